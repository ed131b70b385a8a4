import type BetterSqlite3 from 'better-sqlite3';
import type { Logger } from './log';
import { runEtl, type EtlRunResult } from './pipeline';
import { createSources, type SourceKind } from './sources';

export type RefreshStart =
  | { started: true; promise: Promise<EtlRunResult> }
  | { started: false; reason: string };

/**
 * Starts ETL runs for the schedule, the worker and the API's refresh mutation, never two at once: a run already
 * going in this process is reported, and one in another process is refused by the database lock.
 */
export class Refresher {
  private current: Promise<EtlRunResult> | null = null;
  private controller: AbortController | null = null;
  lastResult: EtlRunResult | null = null;

  constructor(private readonly db: BetterSqlite3.Database, private readonly log: Logger, private readonly kind: () => SourceKind = () => 'live') {}

  get running(): boolean {
    return this.current !== null;
  }

  start(options: { force?: boolean; reason: string }): RefreshStart {
    if (this.current) return { started: false, reason: 'a refresh is already running in this process' };
    const { source, history } = createSources(this.kind(), { log: this.log });
    this.controller = new AbortController();
    this.log.info({ reason: options.reason, source: source.kind }, 'ETL refresh starting');
    const promise = runEtl({ db: this.db, source, history, log: this.log, force: options.force, signal: this.controller.signal })
      .then((result) => {
        this.lastResult = result;
        return result;
      })
      .finally(() => {
        this.current = null;
        this.controller = null;
      });
    this.current = promise;
    return { started: true, promise };
  }

  /** Asks a running load to stop between requests (it then rolls back) and waits for it. */
  async stop(): Promise<void> {
    this.controller?.abort();
    await this.current?.catch(() => undefined);
  }
}
