import type { WarehouseStore } from '../db/store';
import type { Logger } from '../core/log';
import { settleRun, type SettledRun } from './load/load-records';
import { EtlBusyError } from './load/lock';
import { newRunId, type EtlRunResult } from './pipeline';
import { inProcessRunner, type RefreshHandle, type RefreshJob, type RefreshRunner } from './refresh-runner';
import type { SourceKind, SourceSettings } from './sources';

/** Where a refresh takes its data from: the source kind, the API addresses and the curated files. */
export interface RefreshSettings extends SourceSettings {
  source: SourceKind;
  curatedDir: string;
}

/** A refresh this process runs: started, with the run's outcome to wait for, or refused with the reason. */
export type RefreshStart =
  | { started: true; runId: string; promise: Promise<EtlRunResult> }
  | { started: false; reason: string };

/**
 * What the API's refresh control gives: a refresh of this process, or one a serving replica requested from the
 * loading process, which claims and runs it (the result lives there; follow it in warehouseStatus).
 */
export type RefreshRequestStart = RefreshStart | { started: true; runId: null; requestId: number };

/**
 * What happened to one refresh, for observers such as the API's /metrics. `started`: a run is starting (another
 * process's lock may still refuse it). Then exactly one of: `finished` with the run's result (its `ok` says whether
 * every table loaded or was skipped), `failed` for a run that threw, `refused` for one that never ran.
 */
export type RefreshEvent =
  | { kind: 'started'; reason: string }
  | { kind: 'finished'; reason: string; result: EtlRunResult }
  | { kind: 'failed'; reason: string; error: Error }
  | { kind: 'refused'; reason: string; cause: string };

export type RefreshObserver = (event: RefreshEvent) => void;

/**
 * Starts ETL runs for the schedule, the worker and the API's refresh mutation, never two at once: a run already
 * going in this process is reported, and one in another process is refused by the database lock. The runner decides
 * where a run executes (here, or in a child process for the API). Every run that starts leaves a run record with its
 * cause, whatever fails: the run writes it, or — when its process died or the database refused — this class does,
 * and when the database refuses this class too, the record is kept in memory (`unrecordedRuns`) for warehouseStatus.
 */
export class Refresher {
  private current: Promise<EtlRunResult> | null = null;
  private handle: RefreshHandle | null = null;
  private readonly observers = new Set<RefreshObserver>();
  private readonly unrecorded: UnrecordedRun[] = [];
  private readonly runner: RefreshRunner;

  constructor(private readonly store: WarehouseStore, private readonly log: Logger, private readonly settings: RefreshSettings, runner?: RefreshRunner) {
    this.runner = runner ?? inProcessRunner(store, log, settings);
  }

  get running(): boolean {
    return this.current !== null;
  }

  /** Records of runs the database would not take (read-only, disk full), newest first; written as soon as it takes them. */
  get unrecordedRuns(): readonly UnrecordedRun[] {
    return this.unrecorded;
  }

  /** Follows every refresh from now on; returns the function that stops following. */
  observe(observer: RefreshObserver): () => void {
    this.observers.add(observer);
    return () => { this.observers.delete(observer); };
  }

  private emit(event: RefreshEvent): void {
    for (const observer of this.observers) {
      // An observer's bug must not fail or hide a load.
      try { observer(event); } catch (error) { this.log.warn({ err: error }, 'a refresh observer failed'); }
    }
  }

  /**
   * Starts a run and resolves once it holds the ETL lock (`started: true`, with the run's promise) or was refused:
   * already running here, or the lock is held by another process. `firstLoad`: the first load of an empty warehouse.
   */
  async start(options: { force?: boolean; reason: string; source?: SourceKind; firstLoad?: boolean }): Promise<RefreshStart> {
    if (this.current) {
      const cause = 'a refresh is already running in this process';
      this.emit({ kind: 'refused', reason: options.reason, cause });
      return { started: false, reason: cause };
    }
    // Records the database refused earlier are written when it takes writes again (never throws).
    void this.writeKept();
    const job: RefreshJob = {
      runId: newRunId(new Date()), reason: options.reason, source: options.source ?? this.settings.source, force: Boolean(options.force), firstLoad: Boolean(options.firstLoad),
    };
    const startedAt = new Date().toISOString();
    this.log.info({ runId: job.runId, reason: job.reason, source: job.source }, 'ETL refresh starting');
    const handle = this.runner(job);
    this.handle = handle;
    const promise = handle.result
      .then(async (result) => {
        if (result.recordError) {
          await this.keep({ id: result.runId, source: result.source, reason: job.reason, status: result.status ?? 'failed', startedAt, finishedAt: null, pid: null, error: result.error ?? null, problems: result.problems });
        }
        this.emit({ kind: 'finished', reason: options.reason, result });
        return result;
      }, async (error: unknown) => {
        if (error instanceof EtlBusyError) {
          this.emit({ kind: 'refused', reason: options.reason, cause: error.message });
        } else {
          // The run ended without a result (its process died, or it failed before its own record): record it here.
          const message = (error as Error).message;
          await this.keep({ id: job.runId, source: job.source, reason: job.reason, status: 'failed', startedAt, finishedAt: null, pid: null, error: message, problems: [`the run stopped: ${message}`] });
          this.log.error({ err: error, runId: job.runId, reason: options.reason }, `ETL refresh ${job.runId} failed: ${message}`);
          this.emit({ kind: 'failed', reason: options.reason, error: error instanceof Error ? error : new Error(String(error)) });
        }
        throw error;
      })
      .finally(() => {
        this.current = null;
        this.handle = null;
      });
    this.current = promise;
    // Callers that do not wait for the result must not leave a rejection unhandled: it is recorded and logged above.
    promise.catch(() => undefined);
    this.emit({ kind: 'started', reason: options.reason });
    const busy = await handle.started;
    if (busy) return { started: false, reason: busy.message };
    return { started: true, runId: job.runId, promise };
  }

  /** Asks a running load to stop between requests (it then rolls back) and waits for it. */
  async stop(): Promise<void> {
    this.handle?.stop();
    await this.current?.catch(() => undefined);
  }

  /** Writes a run's record for it; when the database refuses, keeps it in memory with the reason. */
  private async keep(run: SettledRun): Promise<void> {
    try {
      await settleRun(this.store, run);
    } catch (error) {
      const unwritten = `this record could not be written to the database: ${(error as Error).message}`;
      this.log.error({ runId: run.id, err: error }, `the record of ETL run ${run.id} is kept in memory: ${unwritten}`);
      this.unrecorded.unshift({ ...run, finishedAt: run.finishedAt ?? new Date().toISOString(), unwritten });
      this.unrecorded.splice(MAX_UNRECORDED);
    }
  }

  /** Records kept in memory go to the database as soon as it takes them again. */
  private async writeKept(): Promise<void> {
    while (this.unrecorded.length) {
      const run = this.unrecorded[this.unrecorded.length - 1];
      try {
        await settleRun(this.store, run);
      } catch {
        return;
      }
      this.unrecorded.pop();
    }
  }
}

const MAX_UNRECORDED = 10;

/** A run record the database refused, with why. */
export interface UnrecordedRun extends SettledRun {
  finishedAt: string;
  unwritten: string;
}
