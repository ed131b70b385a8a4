import type { Row } from './rows';

/** A load record as the API and `npm run etl -- --status` read it (one shape, checked at the boundary). */
export const LOAD_ROW = {
  id: 'number', runId: 'string', tableId: 'string', source: 'string', status: 'string', startedAt: 'string', finishedAt: 'string?',
  ssbUpdated: 'string?', requests: 'number', retries: 'number', cells: 'number', inserted: 'number', updated: 'number',
  unchanged: 'number', error: 'string?',
} as const;
export type LoadRow = Row<typeof LOAD_ROW>;

export const LOAD_COLUMNS = `id, run_id AS runId, table_id AS tableId, source, status, started_at AS startedAt, finished_at AS finishedAt,
  ssb_updated AS ssbUpdated, requests, retries, cells, inserted, updated, unchanged, error`;
