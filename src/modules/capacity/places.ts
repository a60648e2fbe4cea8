import type { CapacityPeriod } from './capacity-period.entity.js';

/** Free places: derived, never stored, never below 0. */
export const availablePlaces = (p: Pick<CapacityPeriod, 'total' | 'occupied' | 'reserved'>) =>
  Math.max(0, p.total - p.occupied - p.reserved);

/** The period running on `day`, else the next to start; periods sorted by start date. */
export function currentPeriod<P extends Pick<CapacityPeriod, 'startsOn' | 'endsOn'>>(
  periods: P[],
  day: string,
): P | null {
  return (
    periods.find((p) => p.startsOn <= day && p.endsOn >= day) ?? periods.find((p) => p.startsOn > day) ?? null
  );
}
