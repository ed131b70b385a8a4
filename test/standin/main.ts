/**
 * `npm run standin`: the local stand-in for SSB's statistics API and Klass, serving SYNTHETIC demo data.
 * STANDIN_PORT (default 8089), STANDIN_HOST (default 127.0.0.1), STANDIN_RATE_LIMIT ("30/60" calls per seconds),
 * STANDIN_LAYOUT (`documented`, SSB's table layout, by default; `legacy`: 12137 holds every concept).
 */
import { DEMO_SOURCE, LAYOUT_NAMES, type Layout } from '../../tools/demo-data/tables';
import { startStandin } from './server';

function rateLimit(spec: string | undefined): { maxCalls: number; windowMs: number; retryAfter: boolean } | undefined {
  if (!spec) return undefined;
  const m = /^(\d+)\/(\d+)$/.exec(spec.trim());
  if (!m) throw new Error(`STANDIN_RATE_LIMIT must look like 30/60 (calls/seconds), but got: ${spec}`);
  return { maxCalls: Number(m[1]), windowMs: Number(m[2]) * 1000, retryAfter: true };
}

function layout(name: string | undefined): Layout | undefined {
  if (name === undefined || name === '') return undefined;
  const found = LAYOUT_NAMES.find((l) => l === name);
  if (!found) throw new Error(`STANDIN_LAYOUT must be one of ${LAYOUT_NAMES.join(', ')}, but got: ${name}`);
  return found;
}

async function main(): Promise<void> {
  const port = Number(process.env.STANDIN_PORT ?? 8089);
  if (!(Number.isInteger(port) && port >= 0 && port < 65536)) throw new Error(`STANDIN_PORT must be a port number, but got: ${process.env.STANDIN_PORT}`);
  const standin = await startStandin({
    port,
    host: process.env.STANDIN_HOST ?? '127.0.0.1',
    rateLimit: rateLimit(process.env.STANDIN_RATE_LIMIT),
    layout: layout(process.env.STANDIN_LAYOUT),
  });
  const out = process.stdout;
  out.write(`SSB stand-in listening — it serves SYNTHETIC DEMO DATA (${DEMO_SOURCE}), not figures from Statistics Norway.\n`);
  out.write(`Tables (${standin.api.layout} layout): ${standin.api.tables.map((t) => t.id).join(', ')}; Klass classification 131 (changes, codesAt).\n`);
  out.write(`Point the ETL at it with:\n\n  SSB_API_URL=${standin.url} KLASS_API_URL=${standin.klassUrl}\n\n`);
  out.write('Ctrl-C to stop.\n');
  let closing = false;
  const stop = (signal: string) => {
    if (closing) return;
    closing = true;
    out.write(`\n${signal}: closing the stand-in\n`);
    void standin.close().then(() => process.exit(0));
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err) => {
  process.stderr.write(`stand-in failed to start: ${(err as Error).message}\n`);
  process.exit(1);
});
