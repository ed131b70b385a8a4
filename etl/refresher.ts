import type { WarehouseStore } from '../db/store';
import type { Logger } from '../core/log';
import { EtlBusyError } from './load/lock';
import { runEtl, type EtlRunResult } from './pipeline';
import { createSources, type SourceKind, type SourceSettings } from './sources';

/** Where a refresh takes its data from: the source kind, the API addresses and the curated files. */
export interface RefreshSettings extends SourceSettings {
  source: SourceKind;
  curatedDir: string;
}

export type RefreshStart =
  | { started: true; promise: Promise<EtlRunResult> }
  | { started: false; reason: string };

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
 * going in this process is reported, and one in another process is refused by the database lock.
 */
export class Refresher {
  private current: Promise<EtlRunResult> | null = null;
  private controller: AbortController | null = null;
  lastResult: EtlRunResult | null = null;
  private readonly observers = new Set<RefreshObserver>();

  constructor(private readonly store: WarehouseStore, private readonly log: Logger, private readonly settings: RefreshSettings) {}

  get running(): boolean {
    return this.current !== null;
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
   * already running here, or the lock is held by another process.
   */
  async start(options: { force?: boolean; reason: string; source?: SourceKind }): Promise<RefreshStart> {
    if (this.current) {
      const cause = 'a refresh is already running in this process';
      this.emit({ kind: 'refused', reason: options.reason, cause });
      return { started: false, reason: cause };
    }
    const kind = options.source ?? this.settings.source;
    const { source, history } = createSources(kind, this.settings, { log: this.log });
    this.controller = new AbortController();
    this.log.info({ reason: options.reason, source: source.kind }, 'ETL refresh starting');
    let locked!: () => void;
    const holding = new Promise<null>((resolve) => { locked = () => resolve(null); });
    const promise = runEtl({
      store: this.store, source, history, log: this.log, force: options.force, signal: this.controller.signal, curatedDir: this.settings.curatedDir,
      reason: options.reason, onLocked: locked,
    })
      .then((result) => {
        this.lastResult = result;
        this.emit({ kind: 'finished', reason: options.reason, result });
        return result;
      }, (error: unknown) => {
        if (error instanceof EtlBusyError) {
          this.emit({ kind: 'refused', reason: options.reason, cause: error.message });
        } else {
          this.log.error({ err: error, reason: options.reason }, `ETL refresh failed: ${(error as Error).message}`);
          this.emit({ kind: 'failed', reason: options.reason, error: error instanceof Error ? error : new Error(String(error)) });
        }
        throw error;
      })
      .finally(() => {
        this.current = null;
        this.controller = null;
      });
    this.current = promise;
    this.emit({ kind: 'started', reason: options.reason });
    // Started means holding the lock: a busy lock (another process or host) rejects before that.
    const early = await Promise.race([promise.then(() => null, (e: unknown) => e), holding]);
    if (early instanceof EtlBusyError) return { started: false, reason: early.message };
    // Callers that do not wait for the result must not leave a rejection unhandled: it is logged above.
    promise.catch(() => undefined);
    return { started: true, promise };
  }

  /** Asks a running load to stop between requests (it then rolls back) and waits for it. */
  async stop(): Promise<void> {
    this.controller?.abort();
    await this.current?.catch(() => undefined);
  }
}
