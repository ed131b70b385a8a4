import type BetterSqlite3 from 'better-sqlite3';
import { formatTable } from '../core/text/table';

export interface LoadRow {
  id: number; run_id: string; table_id: string; source: string; status: string; started_at: string; finished_at: string | null;
  ssb_updated: string | null; requests: number; retries: number; cells: number; inserted: number; updated: number;
  unchanged: number; error: string | null;
}

export function recentLoads(db: BetterSqlite3.Database, limit = 20): LoadRow[] {
  return db.prepare('SELECT * FROM load ORDER BY id DESC LIMIT ?').all(limit) as LoadRow[];
}

/** `npm run etl -- --status`: the most recent loads, newest first. */
export function formatLoadStatus(db: BetterSqlite3.Database, limit = 20): string {
  const rows = recentLoads(db, limit);
  if (rows.length === 0) return 'No loads yet. Run `npm run etl` to load the catalogue.\n';
  const seconds = (r: LoadRow) => (r.finished_at ? `${((Date.parse(r.finished_at) - Date.parse(r.started_at)) / 1000).toFixed(1)}s` : '…');
  const table = rows.map((r) => [String(r.id), r.run_id, r.table_id, r.source, r.status, r.started_at.replace('T', ' ').slice(0, 19),
    seconds(r), String(r.requests), String(r.cells), String(r.inserted), String(r.updated), String(r.unchanged), r.error ? r.error.split('\n')[0].slice(0, 80) : '']);
  const header = ['load', 'run', 'table', 'source', 'status', 'started (UTC)', 'time', 'req', 'cells', 'ins', 'upd', 'same', 'error'];
  return [...formatTable(header, table, new Set([0, 6, 7, 8, 9, 10, 11])), ''].join('\n');
}
