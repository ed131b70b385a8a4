import pino from 'pino';
import type { Logger } from '../../core/log';

export interface LogLine { level: number; msg: string; [key: string]: unknown }

/** pino's numeric levels: what a line at or above `warn` or `error` looks like. */
export const LEVEL = { info: 30, warn: 40, error: 50 } as const;

/** A logger that keeps every line in memory, so a test can see at which level the server reported something. */
export function recordingLogger(): { log: Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const log = pino({ level: 'debug' }, { write: (s: string) => { lines.push(JSON.parse(s) as LogLine); } });
  return { log, lines };
}
