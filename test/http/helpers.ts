import { silentLogger } from '../../core/log';
import { createServer, type AppServer, type ServerOptions } from '../../src/server';
import type { Harness } from '../graphql/harness';

export interface ExtraServer {
  server: AppServer;
  /** http://127.0.0.1:<port> */
  base: string;
  close(): Promise<void>;
}

/** Another API server over the harness's warehouse, with its own options (CORS policy, refresher, …). */
export async function extraServer(h: Harness, options: Partial<ServerOptions> = {}): Promise<ExtraServer> {
  const server = await createServer({ store: h.warehouse.store, log: silentLogger, processMetrics: false, ...options });
  const port = await server.listen(0, '127.0.0.1');
  return { server, base: `http://127.0.0.1:${port}`, close: () => server.stop() };
}

export const baseOf = (h: Harness) => h.url.replace(/\/graphql$/, '');

/** A GraphQL GET as a front-end sends it: query (and variables) in the URL, a CSRF-prevention header. */
export async function gqlGet(base: string, query: string, variables?: Record<string, unknown>, headers: Record<string, string> = {}): Promise<Response> {
  const params = new URLSearchParams({ query });
  if (variables) params.set('variables', JSON.stringify(variables));
  return fetch(`${base}/graphql?${params.toString()}`, { headers: { 'apollo-require-preflight': 'true', ...headers } });
}

/**
 * RFC 4180 CSV into rows of cells: quoted cells may hold the separator, doubled quotes and line breaks; lines end
 * with CRLF. Written here rather than taken from a library so the test reads the file the way the RFC says, not
 * the way our writer happens to write it.
 */
export function parseCsv(text: string, separator: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { cell += '"'; i++; } else if (c === '"') quoted = false; else cell += c;
    } else if (c === '"' && cell === '') {
      quoted = true;
    } else if (c === separator) {
      row.push(cell); cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell); rows.push(row); row = []; cell = ''; i++;
    } else if (c === '\n') {
      throw new Error(`bare LF at ${i}: CSV lines must end with CRLF`);
    } else {
      cell += c;
    }
  }
  if (quoted) throw new Error('unterminated quoted cell');
  if (cell !== '' || row.length) { row.push(cell); rows.push(row); }
  return rows;
}

/** A number as the CSV wrote it (decimal point or comma) back to a number; '' is null. */
export function csvNumber(text: string, decimalComma = false): number | null {
  if (text === '') return null;
  const n = Number(decimalComma ? text.replace(',', '.') : text);
  if (!Number.isFinite(n)) throw new Error(`not a number: ${JSON.stringify(text)}`);
  return n;
}
