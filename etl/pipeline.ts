import crypto from 'node:crypto';
import { checkRow } from '../db/rows';
import type BetterSqlite3 from 'better-sqlite3';
import { loadCatalogue, type Catalogue, type ServiceAreaCatalogue, type TableDeclaration } from '../core/source-catalogue';
import { resolveTable, type ResolvedTable } from './resolve';
import { buildMunicipalityKeys, codeValidity, isMunicipalityCode } from '../core/municipalities/code-history';
import { FactBuffer } from './load/fact-buffer';
import { acquireEtlLock } from './load/lock';
import { LoadRecords, zeroCounts, type LoadCounts } from './load/load-records';
import { mergeTable } from './load/merge';
import { appendResponse } from './normalize';
import { planRequests, planShape } from './pxweb/request-plan';
import type { VariableSelection } from './pxweb/types';
import type { CodeHistorySource, StatSource } from './stat-source';
import { silentLogger, type Logger } from '../core/log';
import { loadCuratedInputs, type CuratedResult } from './curated-inputs';

export interface PlanSummary {
  /** Data requests the planner made for the table. */
  requests: number;
  /** No split into selections under the cell limit can use fewer requests (unsplittable variables counted). */
  lowerBound: number;
  cells: number;
  maxCells: number;
  selections: VariableSelection[][];
}

export type TableStatus = 'succeeded' | 'skipped' | 'failed' | 'planned';

export interface TableResult extends LoadCounts {
  tableId: string;
  title: string;
  status: TableStatus;
  loadId: number | null;
  ssbUpdated: string | null;
  error?: string;
  durationMs: number;
  plan?: PlanSummary;
}

export interface EtlRunResult {
  runId: string;
  source: 'live' | 'demo';
  /** True when every table loaded or was skipped as unchanged. */
  ok: boolean;
  tables: TableResult[];
  curated?: CuratedResult;
  durationMs: number;
}

/** Hooks for progress displays (the CLI's bars, the worker's log lines). */
export interface EtlProgress {
  tableStarted?(tableId: string, plan: PlanSummary): void;
  requestDone?(tableId: string, cells: number): void;
  tableFinished?(result: TableResult): void;
}

export interface EtlRunOptions {
  db: BetterSqlite3.Database;
  source: StatSource;
  history: CodeHistorySource;
  /** Load only these table ids (default: the whole catalogue). */
  tables?: string[];
  /** Reload tables whose SSB `updated` has not changed. */
  force?: boolean;
  /** Plan and print the requests; write nothing. */
  dryRun?: boolean;
  progress?: EtlProgress;
  log?: Logger;
  now?: () => Date;
  /** Stop between requests when aborted (SIGTERM); the current table's load then fails and rolls back. */
  signal?: AbortSignal;
  /** Folder of the curated input files (the configuration's CURATED_DIR); default the shipped etl/curated. */
  curatedDir?: string;
}

export class EtlUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EtlUsageError';
  }
}

/**
 * One ETL run over the catalogue: extract (SSB requests planned under maxDataCells), normalize (json-stat2 into a
 * columnar buffer), load (one transaction per table). Tables are independent: one failing does not stop the others,
 * and its previous facts stay as they were.
 *
 * When live data arrives in a warehouse that holds the bundled demo data, the run switches to replace mode: every
 * table is fetched first and the demo facts are swapped for live ones in a single transaction, so demo and live
 * facts never mix, not even after a partial failure.
 */
export async function runEtl(options: EtlRunOptions): Promise<EtlRunResult> {
  const started = Date.now();
  const now = options.now ?? (() => new Date());
  const log = options.log ?? silentLogger;
  const { catalogue, serviceAreas } = loadCatalogue();
  const tables = selectTables(catalogue, options.tables);
  const runId = `${now().toISOString().replace(/[-:.]/g, '').slice(0, 15)}-${crypto.randomBytes(3).toString('hex')}`;
  const db = options.db;
  const records = new LoadRecords(db, now);

  const lock = options.dryRun ? null : acquireEtlLock(db, runId, now);
  try {
    if (lock) {
      const interrupted = records.markInterrupted();
      if (interrupted) log.warn({ interrupted }, `marked ${interrupted} load(s) left running by a stopped process as interrupted`);
    }
    const config = await options.source.config();
    if (!Number.isInteger(config.maxDataCells) || config.maxDataCells <= 0) {
      throw new Error(`the API's /config reports maxDataCells ${JSON.stringify(config.maxDataCells)}; a positive cell limit is needed to plan requests`);
    }
    const replaceDemo = !options.dryRun && options.source.kind === 'live' && warehouseHoldsDemo(db);
    if (replaceDemo) log.info('the warehouse holds demo data: this live run replaces it in one transaction once every table is fetched');
    const force = options.force || replaceDemo;

    const changes = await options.history.changes(`${catalogue.years.from - 1}-01-01`, `${now().getUTCFullYear() + 1}-01-01`);
    log.info({ runId, source: options.source.kind, tables: tables.map((t) => t.id), force, changes: changes.length }, 'ETL run started');

    const ctx: TableContext = { options, catalogue, serviceAreas, records, runId, log, now, maxCells: config.maxDataCells, changes, force };
    const results: TableResult[] = [];
    if (replaceDemo) {
      results.push(...await replaceAll(ctx, tables));
    } else {
      for (const table of tables) {
        const extracted = await extractTable(ctx, table);
        const result = extracted.kind === 'ready' ? loadExtracted(ctx, extracted, false) : extracted.result;
        options.progress?.tableFinished?.(result);
        results.push(result);
      }
    }
    const curated = options.dryRun ? undefined : loadCuratedInputs(db, runId, now, options.curatedDir);
    const ok = results.every((r) => r.status === 'succeeded' || r.status === 'skipped' || r.status === 'planned');
    const result: EtlRunResult = { runId, source: options.source.kind, ok, tables: results, curated, durationMs: Date.now() - started };
    log.info({ runId, ok, durationMs: result.durationMs, tables: results.map(({ tableId, status, inserted, updated, unchanged, error }) => ({ tableId, status, inserted, updated, unchanged, error })) }, 'ETL run finished');
    return result;
  } finally {
    lock?.release();
  }
}

export function warehouseHoldsDemo(db: BetterSqlite3.Database): boolean {
  return Boolean(db.prepare("SELECT 1 FROM source_table WHERE source = 'demo' LIMIT 1").get());
}

function selectTables(catalogue: Catalogue, wanted: string[] | undefined): TableDeclaration[] {
  if (!wanted?.length) return catalogue.tables;
  const known = new Map(catalogue.tables.map((t) => [t.id, t]));
  const unknown = wanted.filter((id) => !known.has(id));
  if (unknown.length) {
    throw new EtlUsageError(`unknown table ${unknown.join(', ')}: the catalogue has ${catalogue.tables.map((t) => t.id).join(', ')}`);
  }
  return wanted.map((id) => known.get(id)!);
}

interface TableContext {
  options: EtlRunOptions;
  catalogue: Catalogue;
  serviceAreas: ServiceAreaCatalogue;
  records: LoadRecords;
  runId: string;
  log: Logger;
  now: () => Date;
  maxCells: number;
  changes: Awaited<ReturnType<CodeHistorySource['changes']>>;
  force: boolean;
}

interface Extracted {
  kind: 'ready';
  table: TableDeclaration;
  resolved: ResolvedTable;
  buffer: FactBuffer;
  loadId: number;
  ssbUpdated: string;
  counts: LoadCounts;
  started: number;
  plan: PlanSummary;
}

type ExtractOutcome = Extracted | { kind: 'done'; result: TableResult };

async function extractTable(ctx: TableContext, table: TableDeclaration): Promise<ExtractOutcome> {
  const { options, records, log } = ctx;
  const started = Date.now();
  const source = options.source;
  const statsBefore = source.stats();
  const counts = zeroCounts();
  const base = { tableId: table.id, title: table.title, ssbUpdated: null as string | null, durationMs: 0 };
  let loadId: number | null = null;
  const sync = () => {
    const s = source.stats();
    counts.requests = s.requests - statsBefore.requests;
    counts.retries = s.retries - statsBefore.retries;
  };
  try {
    const info = await source.table(table.id);
    base.ssbUpdated = info.updated;
    if (!options.dryRun && !ctx.force && isUnchanged(options.db, table.id, info.updated, source.kind)) {
      sync();
      const id = records.start(ctx.runId, table.id, source.kind, info.updated, 'skipped');
      records.finish(id, 'skipped', counts);
      log.info({ table: table.id, ssbUpdated: info.updated }, `table ${table.id} unchanged since its last load (SSB updated ${info.updated}): skipped`);
      return { kind: 'done', result: { ...base, ...counts, status: 'skipped', loadId: id, durationMs: Date.now() - started } };
    }
    if (!options.dryRun) loadId = records.start(ctx.runId, table.id, source.kind, info.updated);
    const metadata = await source.metadata(table.id);
    const resolved = resolveTable(table, ctx.catalogue, metadata);
    const selections = planRequests(resolved.variables, ctx.maxCells);
    const shape = planShape(resolved.variables, ctx.maxCells);
    const plan: PlanSummary = { requests: selections.length, lowerBound: shape.lowerBound, cells: resolved.cells, maxCells: ctx.maxCells, selections };
    if (options.dryRun) {
      sync();
      return { kind: 'done', result: { ...base, ...counts, title: resolved.title, status: 'planned', loadId: null, plan, durationMs: Date.now() - started } };
    }
    options.progress?.tableStarted?.(table.id, plan);
    const buffer = new FactBuffer(Math.min(resolved.cells, 4_000_000));
    for (const selection of selections) {
      if (options.signal?.aborted) throw new Error('the ETL was asked to stop (signal) before the table finished; nothing was written');
      const response = await source.data(table.id, { selection });
      // Let the event loop breathe between requests: an in-process source answers without I/O, and the API may
      // share this process with the load.
      await new Promise((resolve) => setImmediate(resolve));
      const cells = appendResponse(resolved, selection, response, buffer);
      counts.cells += cells;
      options.progress?.requestDone?.(table.id, cells);
    }
    sync();
    return { kind: 'ready', table, resolved, buffer, loadId: loadId!, ssbUpdated: info.updated, counts, started, plan };
  } catch (error) {
    sync();
    const message = (error as Error).message;
    if (loadId !== null) records.finish(loadId, 'failed', counts, message);
    log.error({ table: table.id, err: error }, `table ${table.id} failed: ${message}`);
    return { kind: 'done', result: { ...base, ...counts, status: 'failed', loadId, error: message, durationMs: Date.now() - started } };
  }
}

function loadExtracted(ctx: TableContext, e: Extracted, replaceAllFacts: boolean): TableResult {
  const base = { tableId: e.table.id, title: e.resolved.title, ssbUpdated: e.ssbUpdated, loadId: e.loadId, plan: e.plan };
  try {
    const counts = mergeTable(ctx.options.db, {
      loadId: e.loadId, resolved: e.resolved, buffer: e.buffer, serviceAreas: ctx.serviceAreas, ssbUpdated: e.ssbUpdated,
      source: ctx.options.source.kind, counts: e.counts, replaceAllFacts,
      municipalityKeys: buildMunicipalityKeys(ctx.changes, e.buffer.regionCodes.values().filter(isMunicipalityCode)),
      codeValidity: codeValidity(ctx.changes),
    }, ctx.now);
    ctx.log.info({ table: e.table.id, ...counts }, `table ${e.table.id} loaded: ${counts.inserted} inserted, ${counts.updated} updated, ${counts.unchanged} unchanged`);
    return { ...base, ...counts, status: 'succeeded', durationMs: Date.now() - e.started };
  } catch (error) {
    const message = (error as Error).message;
    ctx.records.finish(e.loadId, 'failed', e.counts, message);
    ctx.log.error({ table: e.table.id, err: error }, `table ${e.table.id} failed while merging: ${message}`);
    return { ...base, ...e.counts, status: 'failed', error: message, durationMs: Date.now() - e.started };
  }
}

async function replaceAll(ctx: TableContext, tables: TableDeclaration[]): Promise<TableResult[]> {
  const extracted: ExtractOutcome[] = [];
  for (const table of tables) extracted.push(await extractTable(ctx, table));
  const failed = extracted.filter((x): x is { kind: 'done'; result: TableResult } => x.kind === 'done');
  if (failed.length) {
    // Keep the demo warehouse whole rather than half live: mark every fetched table as not loaded.
    const reason = `not loaded: the live run must replace the demo data for every table at once, and ${failed.map((f) => f.result.tableId).join(', ')} failed`;
    const results = extracted.map((x) => {
      if (x.kind === 'done') return x.result;
      ctx.records.finish(x.loadId, 'failed', x.counts, reason);
      return { tableId: x.table.id, title: x.resolved.title, ssbUpdated: x.ssbUpdated, loadId: x.loadId, ...x.counts, status: 'failed' as const, error: reason, durationMs: Date.now() - x.started };
    });
    results.forEach((r) => ctx.options.progress?.tableFinished?.(r));
    return results;
  }
  const ready = extracted as Extracted[];
  const db = ctx.options.db;
  const results: TableResult[] = [];
  try {
    db.transaction(() => {
      db.prepare('DELETE FROM fact').run();
      db.prepare('DELETE FROM source_table').run();
      for (const e of ready) {
        const r = loadExtracted(ctx, e, false);
        if (r.status === 'failed') throw new Error(`table ${r.tableId}: ${r.error}`);
        results.push(r);
      }
    }).immediate();
  } catch (error) {
    // The transaction rolled back, failure records included: write them again outside it.
    const message = `not loaded: replacing the demo data failed and was rolled back (${(error as Error).message})`;
    results.length = 0;
    for (const e of ready) {
      ctx.records.finish(e.loadId, 'failed', e.counts, message);
      results.push({ tableId: e.table.id, title: e.resolved.title, ssbUpdated: e.ssbUpdated, loadId: e.loadId, ...e.counts, status: 'failed', error: message, durationMs: Date.now() - e.started });
    }
  }
  results.forEach((r) => ctx.options.progress?.tableFinished?.(r));
  return results;
}

function isUnchanged(db: BetterSqlite3.Database, tableId: string, ssbUpdated: string, source: string): boolean {
  const row = checkRow({ ssbUpdated: 'string?', source: 'string?', status: 'string?' }, db.prepare(`SELECT t.ssb_updated AS ssbUpdated,
    t.source AS source, l.status AS status FROM source_table t LEFT JOIN load l ON l.id = t.last_load_id WHERE t.id = ?`).get(tableId), 'table freshness');
  return Boolean(row && row.ssbUpdated === ssbUpdated && row.source === source && row.status === 'succeeded');
}
