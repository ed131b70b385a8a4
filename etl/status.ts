import type BetterSqlite3 from 'better-sqlite3';
import { formatTable } from '../core/text/table';
import {
  LATEST_RECONCILIATION_SQL, LOAD_COLUMNS, LOAD_ROW, RECONCILIATION_ROW, RUN_COLUMNS, RUN_ROW, runProblems, type LoadRow,
} from '../db/load-rows';
import { checkRows } from '../db/rows';

export function recentLoads(db: BetterSqlite3.Database, limit = 20): LoadRow[] {
  return checkRows(LOAD_ROW, db.prepare(`SELECT ${LOAD_COLUMNS} FROM load ORDER BY id DESC LIMIT ?`).all(limit), 'recent loads');
}

/** `npm run etl -- --status`: recent runs with their problems, recent loads, and the latest reconciliation. */
export function formatLoadStatus(db: BetterSqlite3.Database, limit = 20): string {
  const runs = checkRows(RUN_ROW, db.prepare(`SELECT ${RUN_COLUMNS} FROM etl_run ORDER BY started_at DESC LIMIT 5`).all(), 'recent runs');
  const rows = recentLoads(db, limit);
  if (rows.length === 0 && runs.length === 0) return 'No loads yet. Run `npm run etl` to load the catalogue.\n';
  const out: string[] = ['Recent runs:'];
  for (const r of runs) {
    out.push(`  ${r.id} ${r.status} (${r.source}, ${r.reason}) started ${r.startedAt.replace('T', ' ').slice(0, 19)} UTC${r.error ? ` — ${r.error.split('\n')[0]}` : ''}`);
    for (const p of runProblems(r).slice(0, 10)) out.push(`    - ${p.slice(0, 200)}`);
  }
  const seconds = (r: LoadRow) => (r.finishedAt ? `${((Date.parse(r.finishedAt) - Date.parse(r.startedAt)) / 1000).toFixed(1)}s` : '…');
  const table = rows.map((r) => [String(r.id), r.runId, r.tableId, r.source, r.status, r.startedAt.replace('T', ' ').slice(0, 19),
    seconds(r), String(r.requests), String(r.cells), String(r.inserted), String(r.updated), String(r.unchanged), String(r.removed),
    r.error ? r.error.split('\n')[0].slice(0, 80) : '']);
  const header = ['load', 'run', 'table', 'source', 'status', 'started (UTC)', 'time', 'req', 'cells', 'ins', 'upd', 'same', 'rm', 'error'];
  out.push('', 'Recent loads:', ...formatTable(header, table, new Set([0, 6, 7, 8, 9, 10, 11, 12])));
  const recon = checkRows(RECONCILIATION_ROW, db.prepare(LATEST_RECONCILIATION_SQL).all(), 'reconciliation');
  if (recon.length) {
    out.push('', 'Reconciliation with SSB\'s published figures (latest per metric):');
    out.push(...formatTable(['metric', 'published as', 'checked', 'agreed', '%', 'not computable', 'run'],
      recon.map((r) => [r.metric, `${r.published} (${r.tableId})`, String(r.checked), String(r.agreed), r.checked ? ((100 * r.agreed) / r.checked).toFixed(2) : '-', String(r.notComputable), r.runId]),
      new Set([2, 3, 4, 5])).map((l) => `  ${l}`));
  }
  return [...out, ''].join('\n');
}
