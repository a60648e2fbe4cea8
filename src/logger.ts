import { pino } from 'pino';

export type Logger = pino.Logger;

/** One JSON line per event on stdout; the level comes from LOG_LEVEL. */
export function createLogger(level: string): Logger {
  return pino({ level, base: { service: 'buendnis-hub' } });
}
