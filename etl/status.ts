import type BetterSqlite3 from 'better-sqlite3';
import { formatTable } from '../core/text/table';
import { LOAD_COLUMNS, LOAD_ROW, type LoadRow } from '../db/load-rows';
import { checkRows } from '../db/rows';

export function recentLoads(db: BetterSqlite3.Database, limit = 20): LoadRow[] {
  return checkRows(LOAD_ROW, db.prepare(`SELECT ${LOAD_COLUMNS} FROM load ORDER BY id DESC LIMIT ?`).all(limit), 'recent loads');
}

/** `npm run etl -- --status`: the most recent loads, newest first. */
export function formatLoadStatus(db: BetterSqlite3.Database, limit = 20): string {
  const rows = recentLoads(db, limit);
  if (rows.length === 0) return 'No loads yet. Run `npm run etl` to load the catalogue.\n';
  const seconds = (r: LoadRow) => (r.finishedAt ? `${((Date.parse(r.finishedAt) - Date.parse(r.startedAt)) / 1000).toFixed(1)}s` : '…');
  const table = rows.map((r) => [String(r.id), r.runId, r.tableId, r.source, r.status, r.startedAt.replace('T', ' ').slice(0, 19),
    seconds(r), String(r.requests), String(r.cells), String(r.inserted), String(r.updated), String(r.unchanged), r.error ? r.error.split('\n')[0].slice(0, 80) : '']);
  const header = ['load', 'run', 'table', 'source', 'status', 'started (UTC)', 'time', 'req', 'cells', 'ins', 'upd', 'same', 'error'];
  return [...formatTable(header, table, new Set([0, 6, 7, 8, 9, 10, 11])), ''].join('\n');
}
