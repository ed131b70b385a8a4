import crypto from 'node:crypto';
import type { Logger } from '../core/log';
import { silentLogger } from '../core/log';
import { buildMunicipalityKeys, codeValidity, isMunicipalityCode, type KlassCodeChange } from '../core/municipalities/code-history';
import { loadCatalogue, type SourceCatalogue, type TableDeclaration } from '../core/source-catalogue';
import type { ServiceAreaCatalogue } from '../core/service-areas';
import type { RunStatus } from '../db/entities';
import { refreshPlannerStatistics } from '../db/statistics';
import type { Sql, WarehouseStore } from '../db/store';
import { loadCuratedInputs, type CuratedResult } from './curated-inputs';
import { writeDerived, type DerivedResult } from './derived';
import { FactBuffer } from './load/fact-buffer';
import { acquireEtlLock, EtlBusyError, type EtlLock } from './load/lock';
import { LoadRecords, RunRecords, settleRun, zeroCounts, type LoadCounts } from './load/load-records';
import { mergeTable } from './load/merge';
import { appendResponse } from './normalize';
import { planRequests, planShape } from './pxweb/request-plan';
import type { PxTableInfo, VariableSelection } from './pxweb/types';
import { reconcile, type ReconciliationResult } from './reconcile';
import {
  resolveIndicators, resolveTable, tableMetadata, unreadable, type CatalogueResolution, type ResolvedTable, type TableMetadata,
} from './resolve';
import type { CodeHistorySource, StatSource } from './stat-source';

export interface PlanSummary {
  /** Data requests the planner made for the table. */
  requests: number;
  /** No split into selections under the cell limit can use fewer requests (unsplittable variables counted). */
  lowerBound: number;
  cells: number;
  maxCells: number;
  selections: VariableSelection[][];
}

/**
 * `unused`: no indicator of the catalogue was taken from the table (every one found a preferred source elsewhere,
 * or the table does not exist at SSB) — nothing to load, nothing wrong.
 */
export type TableStatus = 'succeeded' | 'skipped' | 'failed' | 'planned' | 'unused';

export interface TableResult extends LoadCounts {
  tableId: string;
  title: string;
  status: TableStatus;
  loadId: number | null;
  ssbUpdated: string | null;
  error?: string;
  durationMs: number;
  plan?: PlanSummary;
  /** The indicators the table was chosen for. */
  indicators: string[];
  /** Problems that did not stop the table (a grouping's service area missing…). */
  warnings: string[];
}

export interface EtlRunResult {
  runId: string;
  source: 'live' | 'demo';
  /** True when every indicator resolved and every table that holds one loaded or was skipped as unchanged. */
  ok: boolean;
  tables: TableResult[];
  /** Where each indicator was found, or why it was not; null when the run stopped before resolving. */
  resolution: CatalogueResolution | null;
  /** Everything the run found wrong, one line each (also in the run record). */
  problems: string[];
  curated?: CuratedResult;
  reconciliation?: ReconciliationResult[];
  derived?: DerivedResult;
  /** Why the run stopped before its tables, when it did. */
  error?: string;
  /** What the run record says (dry runs have none). */
  status?: Exclude<RunStatus, 'running'>;
  /** Set when the run record could not be written (the database refused it): the caller must keep the record. */
  recordError?: string;
  durationMs: number;
}

/** Hooks for progress displays (the CLI's bars, the worker's log lines). */
export interface EtlProgress {
  tableStarted?(tableId: string, plan: PlanSummary): void;
  requestDone?(tableId: string, cells: number): void;
  tableFinished?(result: TableResult): void;
}

export interface EtlRunOptions {
  /** The warehouse (SQLite or PostgreSQL). */
  store: WarehouseStore;
  source: StatSource;
  history: CodeHistorySource;
  /** Load only these table ids (default: the whole catalogue). The whole catalogue is still resolved. */
  tables?: string[];
  /** Reload tables whose SSB `updated` and selection have not changed. */
  force?: boolean;
  /** Plan and print the requests; write nothing. */
  dryRun?: boolean;
  /** Why the run happens, for the run record (cli, schedule, api…). */
  reason?: string;
  /** The run's id, when the caller must know it before the run starts (default: a new one). */
  runId?: string;
  progress?: EtlProgress;
  log?: Logger;
  now?: () => Date;
  /** Stop between requests when aborted (SIGTERM); the current table's load then fails and rolls back. */
  signal?: AbortSignal;
  /** Folder of the curated input files (the configuration's CURATED_DIR); default the shipped etl/curated. */
  curatedDir?: string;
  /** Called once the run holds the ETL lock (a run refused by the lock rejects with EtlBusyError instead). */
  onLocked?: () => void;
}

export class EtlUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EtlUsageError';
  }
}

/**
 * One ETL run over the catalogue:
 *  - resolve: every candidate table's info and metadata, and each indicator's source chosen among its candidates;
 *  - extract: SSB requests planned under maxDataCells, per table that holds a chosen indicator;
 *  - normalize: json-stat2 into a columnar buffer;
 *  - load: one transaction per table (its previous facts stay as they were when it fails);
 *  - then the curated inputs, and reconciliation with SSB's published figures.
 * Every run has a run record, finished whatever fails, and every table a load record.
 *
 * When live data arrives in a warehouse that holds the bundled demo data, the run switches to replace mode: every
 * table is fetched first and the demo facts are swapped for live ones in a single transaction, so demo and live
 * facts never mix, not even after a partial failure.
 */
export async function runEtl(options: EtlRunOptions): Promise<EtlRunResult> {
  const started = Date.now();
  const now = options.now ?? (() => new Date());
  const log = options.log ?? silentLogger;
  const startedAt = now().toISOString();
  const runId = options.runId ?? newRunId(now());
  const store = options.store;
  const writes = !options.dryRun;
  const result: EtlRunResult = { runId, source: options.source.kind, ok: false, tables: [], resolution: null, problems: [], durationMs: 0 };
  // A broken catalogue file is the run's failure (recorded below); an unknown --table is the caller's mistake.
  let catalogued: { catalogue: SourceCatalogue; serviceAreas: ServiceAreaCatalogue; selected: TableDeclaration[] } | null = null;
  let early: Error | null = null;
  try {
    const { catalogue, serviceAreas } = loadCatalogue();
    catalogued = { catalogue, serviceAreas, selected: selectTables(catalogue, options.tables) };
  } catch (error) {
    if (error instanceof EtlUsageError) throw error;
    early = error instanceof Error ? error : new Error(String(error));
  }
  const records = new LoadRecords(store, now);
  const runs = new RunRecords(store, now);

  let lock: EtlLock | null = null;
  let recordStarted = false;
  try {
    if (writes) {
      lock = await acquireEtlLock(store, runId, now);
      options.onLocked?.();
      const interrupted = await records.markInterrupted();
      if (interrupted) log.warn({ interrupted }, `marked ${interrupted} load(s) left running by a stopped process as interrupted`);
      await runs.start(runId, options.source.kind, options.reason ?? 'cli');
      recordStarted = true;
    } else {
      options.onLocked?.();
    }
    if (early) throw early;
    if (!catalogued) throw new Error('the source catalogue was not read');
    await runStages(options, { ...catalogued, runId, records, log, now, writes, result });
  } catch (error) {
    // Another run holding the lock is not a run of its own: the caller reports it as refused.
    if (error instanceof EtlBusyError) throw error;
    result.error = (error as Error).message;
    result.problems.push(`the run stopped: ${result.error}`);
  }
  // Problems are all reported; the run fails only for what leaves the warehouse without something it needs.
  result.ok = !result.error && (result.resolution?.missing.every((m) => m.optional) ?? false) &&
    result.tables.every((r) => r.status === 'succeeded' || r.status === 'skipped' || r.status === 'planned' || r.status === 'unused');
  result.durationMs = Date.now() - started;
  if (writes) {
    const loaded = result.tables.some((t) => t.status === 'succeeded' || t.status === 'skipped');
    result.status = result.error && !loaded ? 'failed' : result.ok ? 'succeeded' : 'partial';
    try {
      if (recordStarted) await runs.finish(runId, result.status, result.problems, result.error ?? null);
      else await settleRun(store, { id: runId, source: result.source, reason: options.reason ?? 'cli', status: result.status, startedAt, finishedAt: null, pid: process.pid, error: result.error ?? null, problems: result.problems });
    } catch (error) {
      // The database refuses writes (read-only, disk full, schema broken): the caller keeps the record instead.
      result.recordError = (error as Error).message;
    }
  }
  try {
    await lock?.release();
  } catch (error) {
    log.warn({ runId, err: error }, `the ETL lock could not be released (${(error as Error).message}); the next run takes it over once this process has ended`);
  }
  const summary = {
    runId, ok: result.ok, status: result.status, durationMs: result.durationMs, problems: result.problems,
    tables: result.tables.map(({ tableId, status, inserted, updated, unchanged, removed, error }) => ({ tableId, status, inserted, updated, unchanged, removed, error })),
    ...(result.recordError ? { recordError: result.recordError } : {}),
  };
  if (result.ok) log.info(summary, `ETL run ${runId} succeeded`);
  else log.error(summary, `ETL run ${runId} ${result.status === 'partial' ? 'did not complete' : 'failed'}: ${runCause(result)}`);
  return result;
}

/** Progress as log lines, for runs nobody watches on a terminal (the first load, refreshes of the API). */
export const logProgress = (log: Logger): EtlProgress => ({
  tableStarted: (id, plan) => log.info({ table: id, requests: plan.requests, cells: plan.cells }, `loading table ${id}: ${plan.requests} request(s), ${plan.cells} cells`),
  tableFinished: (r) => log.info({ table: r.tableId, status: r.status, inserted: r.inserted }, `table ${r.tableId} ${r.status}${r.error ? `: ${r.error}` : ''}`),
});

/** A run's id: its start time (UTC, to the second) and a random suffix. */
export function newRunId(at: Date): string {
  return `${at.toISOString().replace(/[-:.]/g, '').slice(0, 15)}-${crypto.randomBytes(3).toString('hex')}`;
}

/** One line saying why a run did not complete: what stopped it, else its first problem. */
export function runCause(result: Pick<EtlRunResult, 'error' | 'problems' | 'recordError'>): string {
  const cause = result.error ?? result.problems[0] ?? 'no cause was given';
  return result.recordError ? `${cause} (and its run record could not be written: ${result.recordError})` : cause;
}

interface RunContext {
  catalogue: SourceCatalogue;
  serviceAreas: ServiceAreaCatalogue;
  selected: TableDeclaration[];
  runId: string;
  records: LoadRecords;
  log: Logger;
  now: () => Date;
  writes: boolean;
  result: EtlRunResult;
}

async function runStages(options: EtlRunOptions, run: RunContext): Promise<void> {
  const { catalogue, serviceAreas, log, result } = run;
  const store = options.store;
  const config = await options.source.config();
  if (!Number.isInteger(config.maxDataCells) || config.maxDataCells <= 0) {
    throw new Error(`the API's /config reports maxDataCells ${JSON.stringify(config.maxDataCells)}; a positive cell limit is needed to plan requests`);
  }
  const replaceDemo = run.writes && options.source.kind === 'live' && await warehouseHoldsDemo(store);
  if (replaceDemo) log.info('the warehouse holds demo data: this live run replaces it in one transaction once every table is fetched');
  const force = Boolean(options.force) || replaceDemo;

  const check = await resolveCatalogue(options.source, { catalogue, serviceAreas, maxCells: config.maxDataCells, signal: options.signal });
  const { resolution } = check;
  result.resolution = resolution;
  result.problems.push(...missingProblems(resolution));
  for (const m of resolution.missing) log.warn({ indicator: m.key, tried: m.tried }, `indicator ${m.key} (${m.label}) not found at SSB`);
  for (const [key, passed] of resolution.passedOver) log.info({ indicator: key, passed }, `indicator ${key}: preferred source passed over`);

  const changes = await options.history.changes(`${catalogue.years.from - 1}-01-01`, `${run.now().getUTCFullYear() + 1}-01-01`);
  log.info({ runId: run.runId, source: options.source.kind, tables: run.selected.map((t) => t.id), force, changes: changes.length }, 'ETL run started');

  const ctx: TableContext = { options, run, changes, force };
  const prepared: (Prepared | Done)[] = [];
  for (const table of run.selected) prepared.push(await fromCheck(ctx, check.tables.get(table.id)));
  if (replaceDemo) {
    result.tables.push(...await replaceAll(ctx, prepared));
  } else {
    for (const p of prepared) {
      const extracted = p.kind === 'prepared' ? await extractTable(ctx, p) : p;
      const table = extracted.kind === 'ready' ? await loadExtracted(ctx, extracted, false) : extracted.result;
      options.progress?.tableFinished?.(table);
      result.tables.push(table);
    }
  }
  for (const t of result.tables) {
    if (t.status === 'failed') result.problems.push(`table ${t.tableId} failed: ${(t.error ?? 'unknown error').split('\n')[0]}`);
    for (const w of t.warnings) result.problems.push(`table ${t.tableId}: ${w}`);
  }
  // Stopped (SIGTERM, the parent gone): the curated inputs and derived figures wait for the next whole run.
  if (options.signal?.aborted) throw new Error('the ETL was asked to stop (signal); the tables not finished were rolled back');
  if (!run.writes) return;

  result.curated = await loadCuratedInputs(store, run.runId, run.now, options.curatedDir);
  const anyLoaded = result.tables.some((t) => t.status === 'succeeded');
  if (anyLoaded || result.curated.changed) {
    result.reconciliation = await reconcile(store, { changes });
    for (const r of result.reconciliation) {
      const share = r.checked ? (100 * r.agreed) / r.checked : 100;
      log[share < 99 ? 'warn' : 'info']({ metric: r.metric, checked: r.checked, agreed: r.agreed, notComputable: r.notComputable, worst: r.worst.slice(0, 3) },
        `reconciliation: ${r.metric} agrees with SSB's ${r.published} on ${r.agreed} of ${r.checked} figures (${share.toFixed(2)} %)`);
    }
  }
  result.derived = await writeDerived(store, {
    runId: run.runId, now: run.now, resolution, changes, reconciliation: result.reconciliation ?? null,
    pruneIndicators: !options.tables?.length ? catalogue.indicators.map((i) => i.key) : null,
  });
  if (anyLoaded || result.curated.changed) {
    log.info({ ms: Math.round(await refreshPlannerStatistics(store)) }, 'planner statistics refreshed (ANALYZE)');
  }
}

export async function warehouseHoldsDemo(sql: Sql): Promise<boolean> {
  return Boolean(await sql.get({ one: 'number' }, "SELECT 1 AS one FROM source_table WHERE source = 'demo' LIMIT 1", [], 'demo data'));
}

function selectTables(catalogue: SourceCatalogue, wanted: string[] | undefined): TableDeclaration[] {
  if (!wanted?.length) return catalogue.tables;
  const known = new Map(catalogue.tables.map((t) => [t.id, t]));
  const unknown = wanted.filter((id) => !known.has(id));
  if (unknown.length) {
    throw new EtlUsageError(`unknown table ${unknown.join(', ')}: the catalogue has ${catalogue.tables.map((t) => t.id).join(', ')}`);
  }
  return wanted.flatMap((id) => known.get(id) ?? []);
}

interface TableContext {
  options: EtlRunOptions;
  run: RunContext;
  changes: KlassCodeChange[];
  force: boolean;
}

interface Prepared {
  kind: 'prepared';
  table: TableDeclaration;
  resolved: ResolvedTable;
  ssbUpdated: string;
  selectionHash: string;
  plan: PlanSummary;
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

type Done = { kind: 'done'; result: TableResult };

const emptyResult = (table: TableDeclaration, status: TableStatus, extra: Partial<TableResult> = {}): TableResult => ({
  tableId: table.id, title: table.title, status, loadId: null, ssbUpdated: null, durationMs: 0, indicators: [], warnings: [], ...zeroCounts(), ...extra,
});

/** One table as the catalogue check saw it: ready to load, holding nothing the catalogue takes, or unreadable. */
export type TableCheck =
  | Prepared
  | { kind: 'unused'; table: TableDeclaration; ssbUpdated: string | null; reason: string }
  | { kind: 'failed'; table: TableDeclaration; ssbUpdated: string | null; error: string; indicators: string[] };

export interface CatalogueCheck {
  resolution: CatalogueResolution;
  /** Per catalogue table, in catalogue order. */
  tables: Map<string, TableCheck>;
}

/**
 * The resolve stage, on its own for `npm run etl -- --check`: every catalogue table's info and metadata (a table SSB
 * does not have is a candidate that fails, not an error), each indicator's source, and each table's selection and
 * plan. Requests metadata only; writes nothing.
 */
export async function resolveCatalogue(
  source: StatSource, options: { catalogue: SourceCatalogue; serviceAreas: ServiceAreaCatalogue; maxCells: number; signal?: AbortSignal },
): Promise<CatalogueCheck> {
  const { catalogue, serviceAreas, maxCells } = options;
  const infos = new Map<string, PxTableInfo>();
  const metadata = new Map<string, TableMetadata>();
  for (const table of catalogue.tables) {
    if (options.signal?.aborted) throw new Error('the ETL was asked to stop (signal) before the tables were read; nothing was written');
    try {
      infos.set(table.id, await source.table(table.id));
      metadata.set(table.id, tableMetadata(await source.metadata(table.id)));
    } catch (error) {
      metadata.set(table.id, unreadable(table.id, error));
    }
  }
  const resolution = resolveIndicators(catalogue, metadata);
  const tables = new Map<string, TableCheck>();
  for (const table of catalogue.tables) {
    const indicators = resolution.resolved.filter((i) => i.tableId === table.id);
    const meta = metadata.get(table.id);
    const ssbUpdated = infos.get(table.id)?.updated ?? null;
    if (indicators.length === 0 || !meta?.ok || ssbUpdated === null) {
      // No indicator comes from a table that could not be read, so this is "nothing taken from it".
      tables.set(table.id, { kind: 'unused', table, ssbUpdated, reason: meta && !meta.ok ? meta.problem : 'every indicator found its preferred source elsewhere' });
      continue;
    }
    try {
      const resolved = resolveTable(table, catalogue, serviceAreas, meta, indicators);
      const selections = planRequests(resolved.variables, maxCells);
      const shape = planShape(resolved.variables, maxCells);
      const plan: PlanSummary = { requests: selections.length, lowerBound: shape.lowerBound, cells: resolved.cells, maxCells, selections };
      tables.set(table.id, { kind: 'prepared', table, resolved, ssbUpdated, selectionHash: selectionHash(resolved), plan });
    } catch (error) {
      tables.set(table.id, { kind: 'failed', table, ssbUpdated, error: (error as Error).message, indicators: indicators.map((i) => i.key) });
    }
  }
  return { resolution, tables };
}

/** One line per indicator found in no candidate table, with what each candidate said. */
export function missingProblems(resolution: CatalogueResolution): string[] {
  return resolution.missing.map((m) => `indicator ${m.key} (${m.label}) was found in no candidate table${m.optional ? ' (optional: the run goes on without it; what needs it answers null with a reason)' : ''}: ${m.tried.map((t) => t.problem).join('; ')}`);
}

/** A table of the check as the run goes on with it: prepared for extraction, or already done (unused, failed). */
async function fromCheck(ctx: TableContext, check: TableCheck | undefined): Promise<Prepared | Done> {
  const { run } = ctx;
  if (!check) throw new Error('a selected table is missing from the catalogue check');
  if (check.kind === 'prepared') return check;
  if (check.kind === 'unused') {
    run.log.info({ table: check.table.id }, `table ${check.table.id}: no indicator taken from it (${check.reason})`);
    return { kind: 'done', result: emptyResult(check.table, 'unused', { ssbUpdated: check.ssbUpdated, ...(check.reason.startsWith('table ') ? { error: check.reason } : {}) }) };
  }
  run.log.error({ table: check.table.id }, `table ${check.table.id} cannot be read as the catalogue says: ${check.error}`);
  const loadId = run.writes ? await run.records.start(run.runId, check.table.id, ctx.options.source.kind, check.ssbUpdated) : null;
  if (loadId !== null) await run.records.finish(loadId, 'failed', zeroCounts(), check.error);
  return { kind: 'done', result: emptyResult(check.table, 'failed', { loadId, ssbUpdated: check.ssbUpdated, error: check.error, indicators: check.indicators }) };
}

/** What was asked for — indicators and every code of every variable — so a changed catalogue or code list reloads. */
function selectionHash(resolved: ResolvedTable): string {
  const hash = crypto.createHash('sha256');
  hash.update(JSON.stringify(resolved.indicators.map((i) => [i.key, i.content, i.concept, i.unit, i.decimals])));
  for (const v of resolved.variables) hash.update(JSON.stringify([v.variableCode, v.codes]));
  return `sel:${hash.digest('hex').slice(0, 40)}`;
}

async function extractTable(ctx: TableContext, p: Prepared): Promise<Extracted | Done> {
  const { options, run } = ctx;
  const { table, resolved, plan } = p;
  const started = Date.now();
  const source = options.source;
  const statsBefore = source.stats();
  const counts = zeroCounts();
  const base = { title: resolved.title, ssbUpdated: p.ssbUpdated, plan, indicators: resolved.indicators.map((i) => i.key), warnings: resolved.warnings };
  let loadId: number | null = null;
  const sync = () => {
    const s = source.stats();
    counts.requests = s.requests - statsBefore.requests;
    counts.retries = s.retries - statsBefore.retries;
  };
  if (options.dryRun) return { kind: 'done', result: emptyResult(table, 'planned', base) };
  if (!ctx.force && await isUnchanged(options.store, table.id, p.ssbUpdated, p.selectionHash, source.kind)) {
    const id = await run.records.start(run.runId, table.id, source.kind, p.ssbUpdated, 'skipped', p.selectionHash);
    await run.records.finish(id, 'skipped', counts);
    run.log.info({ table: table.id, ssbUpdated: p.ssbUpdated }, `table ${table.id} unchanged since its last load (SSB updated ${p.ssbUpdated}, same selection): skipped`);
    return { kind: 'done', result: emptyResult(table, 'skipped', { ...base, loadId: id }) };
  }
  try {
    loadId = await run.records.start(run.runId, table.id, source.kind, p.ssbUpdated, 'running', p.selectionHash);
    options.progress?.tableStarted?.(table.id, plan);
    const buffer = new FactBuffer(Math.min(resolved.cells, 4_000_000));
    for (const selection of plan.selections) {
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
    return { kind: 'ready', table, resolved, buffer, loadId, ssbUpdated: p.ssbUpdated, counts, started, plan };
  } catch (error) {
    sync();
    const message = (error as Error).message;
    if (loadId !== null) await run.records.finish(loadId, 'failed', counts, message);
    run.log.error({ table: table.id, err: error }, `table ${table.id} failed: ${message}`);
    return { kind: 'done', result: { ...emptyResult(table, 'failed', base), ...counts, loadId, error: message, durationMs: Date.now() - started } };
  }
}

/** `outer`: the transaction replacing the demo data, when this table is one of all loaded at once. */
async function loadExtracted(ctx: TableContext, e: Extracted, replaceAllFacts: boolean, outer?: Sql): Promise<TableResult> {
  const { run } = ctx;
  const base = {
    ...emptyResult(e.table, 'failed'), title: e.resolved.title, ssbUpdated: e.ssbUpdated, loadId: e.loadId, plan: e.plan,
    indicators: e.resolved.indicators.map((i) => i.key), warnings: e.resolved.warnings,
  };
  try {
    const counts = await mergeTable(ctx.options.store, {
      loadId: e.loadId, resolved: e.resolved, buffer: e.buffer, serviceAreas: run.serviceAreas, ssbUpdated: e.ssbUpdated,
      source: ctx.options.source.kind, counts: e.counts, replaceAllFacts,
      municipalityKeys: buildMunicipalityKeys(ctx.changes, e.buffer.regionCodes.values().filter(isMunicipalityCode)),
      codeValidity: codeValidity(ctx.changes),
    }, run.now, outer);
    run.log.info({ table: e.table.id, ...counts }, `table ${e.table.id} loaded: ${counts.inserted} inserted, ${counts.updated} updated, ${counts.unchanged} unchanged, ${counts.removed} removed`);
    return { ...base, ...counts, status: 'succeeded', durationMs: Date.now() - e.started };
  } catch (error) {
    const message = (error as Error).message;
    await (outer ? run.records.in(outer) : run.records).finish(e.loadId, 'failed', e.counts, message);
    run.log.error({ table: e.table.id, err: error }, `table ${e.table.id} failed while merging: ${message}`);
    return { ...base, ...e.counts, status: 'failed', error: message, durationMs: Date.now() - e.started };
  }
}

async function replaceAll(ctx: TableContext, prepared: (Prepared | Done)[]): Promise<TableResult[]> {
  const extracted: (Extracted | Done)[] = [];
  for (const p of prepared) extracted.push(p.kind === 'prepared' ? await extractTable(ctx, p) : p);
  const failed = extracted.filter((x): x is Done => x.kind === 'done' && x.result.status === 'failed');
  const store = ctx.options.store;
  const results: TableResult[] = [];
  const finishAll = async (message: string) => Promise.all(extracted.map(async (x) => {
    if (x.kind === 'done') return x.result;
    await ctx.run.records.finish(x.loadId, 'failed', x.counts, message);
    return { ...emptyResult(x.table, 'failed'), title: x.resolved.title, ssbUpdated: x.ssbUpdated, loadId: x.loadId, ...x.counts, error: message, durationMs: Date.now() - x.started, indicators: x.resolved.indicators.map((i) => i.key), warnings: x.resolved.warnings };
  }));
  if (failed.length) {
    // Keep the demo warehouse whole rather than half live: mark every fetched table as not loaded.
    results.push(...await finishAll(`not loaded: the live run must replace the demo data for every table at once, and ${failed.map((f) => f.result.tableId).join(', ')} failed`));
  } else {
    try {
      await store.write(async (tx) => {
        await tx.run('DELETE FROM fact');
        await tx.run('DELETE FROM source_table');
        for (const e of extracted) {
          if (e.kind === 'done') { results.push(e.result); continue; }
          const r = await loadExtracted(ctx, e, false, tx);
          if (r.status === 'failed') throw new Error(`table ${r.tableId}: ${r.error}`);
          results.push(r);
        }
      });
    } catch (error) {
      // The transaction rolled back, failure records included: write them again outside it.
      results.length = 0;
      results.push(...await finishAll(`not loaded: replacing the demo data failed and was rolled back (${(error as Error).message})`));
    }
  }
  results.forEach((r) => ctx.options.progress?.tableFinished?.(r));
  return results;
}

async function isUnchanged(sql: Sql, tableId: string, ssbUpdated: string, selection: string, source: string): Promise<boolean> {
  const row = await sql.get({ ssbUpdated: 'string?', source: 'string?', status: 'string?', selection: 'string?' }, `SELECT t.ssb_updated AS ssbUpdated,
    t.source AS source, l.status AS status, l.selection_hash AS selection FROM source_table t LEFT JOIN load l ON l.id = t.last_load_id
    WHERE t.id = ?`, [tableId], 'table freshness');
  return Boolean(row && row.ssbUpdated === ssbUpdated && row.source === source && row.status === 'succeeded' && row.selection === selection);
}
