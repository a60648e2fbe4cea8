/**
 * Fixed calendar of the demo data. Everything is dated relative to REFERENCE_DATE, never to
 * Date.now(), so every run yields identical rows. Dates are handled as day numbers (days since
 * 1970-01-01, UTC) and written as ISO dates ('YYYY-MM-DD'), the way `date` columns are mapped.
 */

export const REFERENCE_DATE = '2026-11-01';

/** First and last day that capacity periods cover (two years around the reference date). */
export const PERIODS_FROM = '2025-11-01';
export const PERIODS_TO = '2027-10-31';

const MS_PER_DAY = 86_400_000;

export const toDay = (iso: string): number => Math.floor(Date.parse(`${iso}T00:00:00Z`) / MS_PER_DAY);

export const fromDay = (day: number): string => new Date(day * MS_PER_DAY).toISOString().slice(0, 10);

export const REFERENCE_DAY = toDay(REFERENCE_DATE);

export const addDays = (iso: string, days: number): string => fromDay(toDay(iso) + days);

/** Midnight UTC of a day plus an offset in seconds: a deterministic timestamp. */
export const timestampOf = (day: number, seconds = 0): Date => new Date(day * MS_PER_DAY + seconds * 1000);

/** The first day of the month `months` after the month of `iso`. */
export function addMonths(iso: string, months: number): string {
  const [y, m] = iso.split('-').map(Number) as [number, number];
  const index = y * 12 + (m - 1) + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  return `${year}-${String(month).padStart(2, '0')}-01`;
}

/** The last day of the month of `iso`. */
export const endOfMonth = (iso: string): string => addDays(addMonths(iso, 1), -1);

/** The next given month/day (e.g. 8/1 for 1 August) on or after `day`. */
export function nextMonthDay(day: number, month: number, dayOfMonth: number): number {
  const year = Number(fromDay(day).slice(0, 4));
  for (const y of [year, year + 1]) {
    const candidate = toDay(`${y}-${String(month).padStart(2, '0')}-${String(dayOfMonth).padStart(2, '0')}`);
    if (candidate >= day) return candidate;
  }
  throw new Error('unreachable');
}

/** German month label, e.g. "November 2026". */
const MONTHS_DE = [
  'Januar',
  'Februar',
  'März',
  'April',
  'Mai',
  'Juni',
  'Juli',
  'August',
  'September',
  'Oktober',
  'November',
  'Dezember',
];
export function monthLabel(iso: string): string {
  const [y, m] = iso.split('-').map(Number) as [number, number];
  return `${MONTHS_DE[m - 1]} ${y}`;
}

/** German date, e.g. "03.02.2026". */
export function germanDate(iso: string): string {
  const [y, m, d] = iso.split('-');
  return `${d}.${m}.${y}`;
}
