import type { CapacityPeriod } from './capacity-period.entity.js';

/** Free places: derived, never stored, never below 0. */
export const availablePlaces = (p: Pick<CapacityPeriod, 'total' | 'occupied' | 'reserved'>) =>
  Math.max(0, p.total - p.occupied - p.reserved);

/** The SQL twin of availablePlaces over three integer expressions (SQL text from code). */
export const availablePlacesSql = (total: string, occupied: string, reserved: string) =>
  `greatest(0, ${total} - ${occupied} - ${reserved})`;
