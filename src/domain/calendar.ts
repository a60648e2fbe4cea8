/** The alliance works in one city: "today" and period boundaries are German local dates. */
export const HUB_TIME_ZONE = 'Europe/Berlin';

const dateFormat = new Intl.DateTimeFormat('en-CA', {
  timeZone: HUB_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** Today's date in the hub's time zone as 'YYYY-MM-DD'. */
export function today(now: Date = new Date()): string {
  return dateFormat.format(now);
}

/** The day before an ISO date ('YYYY-MM-DD'). */
export function dayBefore(iso: string): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}
