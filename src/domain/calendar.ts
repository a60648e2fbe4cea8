/** The alliance works in one city: "today" and period boundaries are German local dates. */
export const HUB_TIME_ZONE = 'Europe/Berlin';

const dateFormat = new Intl.DateTimeFormat('en-CA', {
  timeZone: HUB_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** The last answer for the current minute: a local date changes only on a minute boundary. */
let known = { from: 0, until: 0, day: '' };

/** Today's date in the hub's time zone as 'YYYY-MM-DD'. */
export function today(now?: Date): string {
  if (now) return dateFormat.format(now);
  const t = Date.now();
  if (t >= known.from && t < known.until) return known.day;
  const from = t - (t % 60_000);
  known = { from, until: from + 60_000, day: dateFormat.format(t) };
  return known.day;
}

/** The day before an ISO date ('YYYY-MM-DD'). */
export function dayBefore(iso: string): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}
