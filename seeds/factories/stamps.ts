import { timestampOf, toDay } from './calendar.js';

/** Deterministic createdAt/updatedAt (a fixed day plus `seq` seconds, which also orders rows of one day). */
export function stamp(dayOrIso: number | string, seq = 0): { createdAt: Date; updatedAt: Date } {
  const day = typeof dayOrIso === 'number' ? dayOrIso : toDay(dayOrIso);
  const at = timestampOf(day, 8 * 3600 + seq);
  return { createdAt: at, updatedAt: at };
}
