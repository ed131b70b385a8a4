import type { Sql } from '../db/store';
import { formatTable } from '../core/text/table';
import {
  LATEST_RECONCILIATION_SQL, LOAD_COLUMNS, LOAD_ROW, RECONCILIATION_ROW, RUN_COLUMNS, RUN_ROW, runProblems, type LoadRow,
} from '../db/load-rows';

export async function recentLoads(sql: Sql, limit = 20): Promise<LoadRow[]> {
  return sql.all(LOAD_ROW, `SELECT ${LOAD_COLUMNS} FROM load ORDER BY id DESC LIMIT ?`, [limit], 'recent loads');
}

/** `npm run etl -- --status`: recent runs with their problems, recent loads, and the latest reconciliation. */
export async function formatLoadStatus(sql: Sql, limit = 20): Promise<string> {
  const runs = await sql.all(RUN_ROW, `SELECT ${RUN_COLUMNS} FROM etl_run ORDER BY started_at DESC LIMIT 5`, [], 'recent runs');
  const rows = await recentLoads(sql, limit);
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
  const recon = await sql.all(RECONCILIATION_ROW, LATEST_RECONCILIATION_SQL, [], 'reconciliation');
  if (recon.length) {
    out.push('', 'Reconciliation with SSB\'s published figures (latest per metric):');
    out.push(...formatTable(['metric', 'published as', 'checked', 'agreed', '%', 'not computable', 'run'],
      recon.map((r) => [r.metric, `${r.published} (${r.tableId})`, String(r.checked), String(r.agreed), r.checked ? ((100 * r.agreed) / r.checked).toFixed(2) : '-', String(r.notComputable), r.runId]),
      new Set([2, 3, 4, 5])).map((l) => `  ${l}`));
  }
  return [...out, ''].join('\n');
}
