import type { WarehouseStore } from '../db/store';
import type { Logger } from '../core/log';
import { warehouseIsEmpty } from './first-load';
import { warehouseHoldsDemo } from './pipeline';
import type { Refresher, RefreshSettings } from './refresher';
import { startSchedule, type Schedule } from './scheduler';
import { startRequestPoller } from './refresh-requests';

export interface MaintenanceOptions {
  store: WarehouseStore;
  log: Logger;
  refresher: Refresher;
  settings: RefreshSettings;
  /** Load data into an empty warehouse first (SSB, or the demo data when SSB cannot be reached). */
  firstLoad: boolean;
  /** The nightly refresh: a cron expression (Europe/Oslo), or null for none. */
  cron: string | null;
  /** How often refreshes asked of serving replicas (`refresh_request`) are picked up; default 2 s. */
  requestPollMs?: number;
}

export interface Maintenance {
  /** True while the first load of an empty warehouse runs (the API is not ready then). */
  readonly loading: boolean;
  /** Settles when the first load (if any) has finished or failed. */
  readonly firstLoadDone: Promise<void>;
  /** Stops the schedule and a running first load (it rolls back), then waits for them. */
  stop(): Promise<void>;
}

/**
 * Everything that keeps the warehouse loaded, for the processes that run it (`npm start`, `npm run worker`): the
 * first load of an empty warehouse, a background attempt to replace demo data by SSB's, and the nightly refresh.
 * The schedule starts once the first load has settled, so the two never race for the lock.
 */
export function startMaintenance(options: MaintenanceOptions): Maintenance {
  const { store, log, refresher, settings } = options;
  let schedule: Schedule | null = null;
  let requests: { stop(): Promise<void> } | null = null;
  let stopped = false;
  // Until the check below has answered, the API is not ready: it may be about to load.
  let loading = options.firstLoad;

  const firstLoadDone = (async () => {
    const empty = options.firstLoad && await warehouseIsEmpty(store);
    loading = empty;
    if (empty) {
      try {
        // Through the refresher: the same runner (a child process for the API), lock and run record as any refresh.
        const start = await refresher.start({ reason: 'first start', firstLoad: true });
        if (start.started) await start.promise;
        else log.error(`the first load could not start: ${start.reason}`);
      } catch (error) {
        log.error({ err: error }, `the first load failed: ${(error as Error).message}`);
      } finally {
        loading = false;
      }
    } else if (options.firstLoad && settings.source === 'live' && await warehouseHoldsDemo(store)) {
      // The demo data stands in only until SSB can be reached: try now, in the background.
      log.info('the warehouse holds demo data: trying a live load from SSB in the background to replace it');
      const start = await refresher.start({ reason: 'replace demo data' });
      if (start.started) {
        start.promise.then(
          (r) => log[r.ok ? 'info' : 'warn'](r.ok ? 'live data replaced the demo data' : 'SSB could not be loaded; the demo data stays until the next refresh'),
          (e: unknown) => log.error({ err: e }, 'replacing the demo data failed'),
        );
      }
    }
    if (stopped) return;
    requests = startRequestPoller({ store, refresher, log, pollMs: options.requestPollMs });
    if (options.cron === null) return;
    schedule = startSchedule(options.cron, async () => {
      const start = await refresher.start({ reason: 'schedule' });
      if (!start.started) return log.warn(`scheduled refresh skipped: ${start.reason}`);
      const result = await start.promise;
      log[result.ok ? 'info' : 'error']({ runId: result.runId, ok: result.ok }, `scheduled refresh ${result.ok ? 'succeeded' : 'failed'}`);
    }, log);
  })();

  return {
    get loading() { return loading; },
    firstLoadDone,
    async stop() {
      stopped = true;
      // The timers first, so neither the schedule nor a refresh request starts a run while the running one stops.
      await schedule?.stop();
      await requests?.stop();
      await refresher.stop();
      await firstLoadDone.catch(() => undefined);
    },
  };
}
