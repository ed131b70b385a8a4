import pino from 'pino';
import type { Logger } from '../../core/log';
import { startHarness, type Harness } from '../graphql/harness';

export interface LogLine { level: number; msg: string; [key: string]: unknown }

/** pino's numeric levels: what a line at or above `warn` or `error` looks like. */
export const LEVEL = { info: 30, warn: 40, error: 50 } as const;

/** A logger that keeps every line in memory, so a test can see at which level the server reported something. */
export function recordingLogger(): { log: Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const log = pino({ level: 'debug' }, { write: (s: string) => { lines.push(JSON.parse(s) as LogLine); } });
  return { log, lines };
}

export interface LoggedHarness extends Harness {
  lines: LogLine[];
  /** POST a body exactly as given (for JSON that JSON.stringify would refuse or reshape). */
  raw(body: string): Promise<{ status: number; text: string }>;
  healthy(): Promise<boolean>;
}

export async function startLoggedHarness(): Promise<LoggedHarness> {
  const { log, lines } = recordingLogger();
  const h = await startHarness({ log });
  return Object.assign(h, {
    lines,
    async raw(body: string) {
      const res = await fetch(h.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      return { status: res.status, text: await res.text() };
    },
    async healthy() {
      const res = await fetch(h.url.replace(/\/graphql$/, '/healthz'));
      return res.status === 200 && ((await res.json()) as { status?: string }).status === 'ok';
    },
  });
}
