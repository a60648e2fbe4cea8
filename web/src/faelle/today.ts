/** Today as YYYY-MM-DD in the browser's time zone (the hub's dates have none). */
export function localToday(): string {
  const now = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** A short, stable reference to a case for people (its id is long and opaque; the case has no name). */
export const caseReference = (id: string) => `Fall …${id.slice(-6)}`;
