import type { AppConfig } from '../core/config';
import type { Logger } from '../core/log';
import { exitWith, listenProblem, warehouseOpenProblem } from '../core/startup-errors';
import { openStore, storeOptions } from '../db/store';
import { RefreshRequester } from '../etl';
import { createServer } from './server';

export interface Serving {
  port: number;
  location: string;
  stop(): Promise<void>;
}

/**
 * A process that serves the API and loads nothing: `npm run serve` replicas, and the API processes `npm start` forks
 * (API_PROCESSES > 1). `refreshWarehouse` records a request that the loading process (`npm run worker`, or
 * `npm start`'s primary) claims, so a refresh asked of any of them runs once. `migrate: false` when the process that
 * forked this one has migrated the warehouse already.
 */
/** What `npm start`'s primary sends its API processes once its first load has settled (node:cluster's IPC). */
export const FIRST_LOAD_SETTLED = 'kostra-warehouse:first-load-settled';

export async function startServing(program: string, config: AppConfig, log: Logger, options: { migrate?: boolean; notReadyReason?: () => string | null } = {}): Promise<Serving> {
  const store = await openStore({ ...storeOptions(config), migrate: options.migrate, onError: (error) => log.error({ err: error }, 'warehouse connection error') })
    .catch((error: unknown) => exitWith(program, warehouseOpenProblem(config, error)));
  const refresher = new RefreshRequester(store, log);
  const server = await createServer({
    store, log, refresher, adminToken: config.adminToken, development: config.development, corsOrigins: config.corsOrigins, caches: config.apiCaches,
    notReadyReason: options.notReadyReason,
  });
  const port = await server.listen(config.port, config.host).catch(async (error: unknown) => {
    await refresher.stop();
    await store.close();
    return exitWith(program, listenProblem(config.port, config.host, error));
  });
  return {
    port, location: store.location,
    async stop() {
      await server.stop();
      await refresher.stop();
      await store.close();
    },
  };
}
