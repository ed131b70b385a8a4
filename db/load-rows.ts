import type { Row } from './rows';

/**
 * The warehouse's records as the API (warehouseStatus) and `npm run etl -- --status` read them: one shape and one
 * query each, checked at the boundary.
 */
export const LOAD_ROW = {
  id: 'number', runId: 'string', tableId: 'string', source: 'string', status: 'string', startedAt: 'string', finishedAt: 'string?',
  ssbUpdated: 'string?', requests: 'number', retries: 'number', cells: 'number', inserted: 'number', updated: 'number',
  unchanged: 'number', removed: 'number', error: 'string?',
} as const;
export type LoadRow = Row<typeof LOAD_ROW>;

export const LOAD_COLUMNS = `id, run_id AS runId, table_id AS tableId, source, status, started_at AS startedAt, finished_at AS finishedAt,
  ssb_updated AS ssbUpdated, requests, retries, cells, inserted, updated, unchanged, removed, error`;

export const RUN_ROW = {
  id: 'string', source: 'string', reason: 'string', status: 'string', startedAt: 'string', finishedAt: 'string?',
  pid: 'number?', host: 'string?', error: 'string?', problems: 'string?',
} as const;
export type RunRow = Row<typeof RUN_ROW>;
export const RUN_COLUMNS = 'id, source, reason, status, started_at AS startedAt, finished_at AS finishedAt, pid, host, error, problems';

export const RECONCILIATION_ROW = {
  id: 'number', runId: 'string', metric: 'string', published: 'string', tableId: 'string', loadId: 'number?', checked: 'number',
  agreed: 'number', notComputable: 'number', tolerance: 'number', worst: 'string', createdAt: 'string',
} as const;
export type ReconciliationRow = Row<typeof RECONCILIATION_ROW>;
/** The newest result per metric. */
export const LATEST_RECONCILIATION_SQL = `SELECT id, run_id AS runId, metric, published, table_id AS tableId, load_id AS loadId, checked, agreed,
  not_computable AS notComputable, tolerance, worst, created_at AS createdAt FROM reconciliation
  WHERE id IN (SELECT MAX(id) FROM reconciliation GROUP BY metric) ORDER BY metric`;

export const INDICATOR_SOURCE_ROW = {
  key: 'string', label: 'string', status: 'string', tableId: 'string?', contentCode: 'string?', conceptCode: 'string?', ssbLabel: 'string?',
  certainty: 'string?', candidate: 'number?', tried: 'string?', runId: 'string', checkedAt: 'string',
} as const;
export type IndicatorSourceRow = Row<typeof INDICATOR_SOURCE_ROW>;
export const INDICATOR_SOURCE_SQL = `SELECT key, label, status, table_id AS tableId, content_code AS contentCode, concept_code AS conceptCode,
  ssb_label AS ssbLabel, certainty, candidate, tried, run_id AS runId, checked_at AS checkedAt FROM indicator_source ORDER BY key`;

/** Problem lines of a run record (stored as a JSON list). */
export function runProblems(row: Pick<RunRow, 'problems'>): string[] {
  if (!row.problems) return [];
  const parsed: unknown = JSON.parse(row.problems);
  return Array.isArray(parsed) ? parsed.filter((p): p is string => typeof p === 'string') : [];
}
