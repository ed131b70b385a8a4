/**
 * `GET /metrics` in Prometheus's text format (prom-client): GraphQL latency by operation, the response cache's hits
 * and misses, requests waiting for their turn, refresh runs and their outcome, rows loaded, the warehouse version and
 * how old each table's data is.
 *
 * One registry per server (not prom-client's global one), so several servers in one process (tests) keep their
 * own series. Refresh figures come from the Refresher's observer hook; the ETL's internals stay behind etl/index.ts.
 */
import type { Request, Response } from 'express';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { RefreshEvent } from '../../etl';

export interface WarehouseFigures {
  version: number;
  demo: boolean;
  /** Per source table: when its data was last loaded (ISO timestamp), null when never. */
  tables: { id: string; lastLoadedAt: string | null }[];
}

export interface EdgeMetricsOptions {
  /** Read at every scrape. */
  warehouse: () => WarehouseFigures;
  refreshRunning?: () => boolean;
  /** Requests read and waiting for their turn to start (src/http/turns.ts). */
  waiting?: () => number;
  now?: () => number;
  /** Process metrics (CPU, memory, event-loop lag, GC); default on. */
  processMetrics?: boolean;
}

export type CacheResult = 'hit' | 'miss' | 'bypass';

/**
 * Operation names come from clients: every new name would be a new series for as long as the process lives. The
 * first MAX_OPERATION_NAMES keep their name, later ones count as "other".
 */
export const MAX_OPERATION_NAMES = 100;
const OPERATION_NAME = /^[_A-Za-z][_0-9A-Za-z]{0,63}$/;

export class EdgeMetrics {
  readonly registry = new Registry();
  private readonly operations = new Set<string>();
  private readonly duration: Histogram<'operation'>;
  private readonly cache: Counter<'result'>;
  private readonly runs: Counter<'outcome'>;
  private readonly rows: Counter<'table' | 'change'>;

  constructor(options: EdgeMetricsOptions) {
    const registers = [this.registry];
    const now = options.now ?? Date.now;
    if (options.processMetrics !== false) collectDefaultMetrics({ register: this.registry });
    this.duration = new Histogram({
      name: 'kostra_graphql_request_duration_seconds',
      help: 'GraphQL requests from start to response, by operation name (anonymous: no name; other: beyond the first 100 names)',
      labelNames: ['operation'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    });
    this.cache = new Counter({
      name: 'kostra_response_cache_requests_total',
      help: 'Query answers by the whole-response cache: hit, miss (computed, then cached) or bypass (not cacheable: maxAge 0, errors, mutations)',
      labelNames: ['result'],
      registers,
    });
    for (const result of ['hit', 'miss', 'bypass']) this.cache.inc({ result }, 0);
    this.runs = new Counter({
      name: 'kostra_refresh_runs_total',
      help: 'Warehouse refreshes by outcome: succeeded (every table loaded or skipped), failed (a table failed), error (the run threw), refused (another run held the lock)',
      labelNames: ['outcome'],
      registers,
    });
    for (const outcome of ['succeeded', 'failed', 'error', 'refused']) this.runs.inc({ outcome }, 0);
    this.rows = new Counter({
      name: 'kostra_etl_rows_total',
      help: 'Fact rows written by refreshes in this process, by table and change (inserted, updated, unchanged)',
      labelNames: ['table', 'change'],
      registers,
    });
    new Gauge({
      name: 'kostra_refresh_running',
      help: '1 while a refresh runs in this process',
      registers,
      collect() { this.set(options.refreshRunning?.() ? 1 : 0); },
    });
    new Gauge({
      name: 'kostra_requests_waiting',
      help: 'GraphQL and CSV requests read and waiting to start (they start one per event-loop turn, first come first served)',
      registers,
      collect() { this.set(options.waiting?.() ?? 0); },
    });
    const warehouse = () => options.warehouse();
    new Gauge({
      name: 'kostra_warehouse_version',
      help: 'Id of the newest successful load (the version every answer names)',
      registers,
      collect() { this.set(warehouse().version); },
    });
    new Gauge({
      name: 'kostra_warehouse_demo',
      help: '1 while the warehouse holds the bundled synthetic demo data, not SSB figures',
      registers,
      collect() { this.set(warehouse().demo ? 1 : 0); },
    });
    new Gauge({
      name: 'kostra_source_table_age_seconds',
      help: 'Seconds since each SSB table\'s data was last loaded',
      labelNames: ['table'],
      registers,
      collect() {
        this.reset();
        for (const t of warehouse().tables) {
          const at = t.lastLoadedAt === null ? NaN : Date.parse(t.lastLoadedAt);
          if (Number.isFinite(at)) this.set({ table: t.id }, Math.max(0, (now() - at) / 1000));
        }
      },
    });
  }

  private operationLabel(name: string | null | undefined): string {
    if (!name) return 'anonymous';
    if (this.operations.has(name)) return name;
    if (!OPERATION_NAME.test(name) || this.operations.size >= MAX_OPERATION_NAMES) return 'other';
    this.operations.add(name);
    return name;
  }

  observeRequest(operationName: string | null | undefined, seconds: number, cache: CacheResult | null): void {
    this.duration.observe({ operation: this.operationLabel(operationName) }, seconds);
    if (cache) this.cache.inc({ result: cache });
  }

  /** For Refresher.observe. */
  readonly onRefresh = (event: RefreshEvent): void => {
    if (event.kind === 'finished') {
      this.runs.inc({ outcome: event.result.ok ? 'succeeded' : 'failed' });
      for (const t of event.result.tables) {
        for (const change of ['inserted', 'updated', 'unchanged'] as const) {
          if (t[change] > 0) this.rows.inc({ table: t.tableId, change }, t[change]);
        }
      }
    } else if (event.kind === 'failed') {
      this.runs.inc({ outcome: 'error' });
    } else if (event.kind === 'refused') {
      this.runs.inc({ outcome: 'refused' });
    }
  };

  readonly handler = async (_req: Request, res: Response): Promise<void> => {
    const body = await this.registry.metrics();
    res.set({ 'Content-Type': this.registry.contentType, 'Cache-Control': 'no-store' });
    res.send(body);
  };
}
