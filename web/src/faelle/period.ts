import { formatDate } from '../shared/labels';

/** "Kurs Frühjahr 2027 (01.03.2027–30.06.2027)", or the dates alone. */
export function periodText(p: { label: string | null; startsOn: string; endsOn: string }): string {
  const dates = `${formatDate(p.startsOn)}–${formatDate(p.endsOn)}`;
  return p.label ? `${p.label} (${dates})` : dates;
}

/** What the page shows for a value the policy withholds from this viewer (null with data present). */
export const WITHHELD = 'nicht freigegeben';
