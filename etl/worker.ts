#!/usr/bin/env node
import { configOrExit } from '../core/config';
import { createLogger } from '../core/log';
import { openStore, storeOptions } from '../db/store';
import { Refresher, startMaintenance } from '.';

/**
 * `npm run worker`: the loading on its own, without the API — the first load of an empty warehouse, the nightly
 * refresh (ETL_CRON, default 02:30 Europe/Oslo) and the refreshes asked of any `npm run serve` replica.
 */
async function main(): Promise<void> {
  const config = configOrExit('worker');
  const log = createLogger('worker', config);
  const store = await openStore({ ...storeOptions(config), onError: (error) => log.error({ err: error }, 'warehouse connection error') });
  const refresher = new Refresher(store, log, config);
  const maintenance = startMaintenance({ store, log, refresher, settings: config, firstLoad: true, cron: config.etlCron });
  const shutdown = async (signal: string) => {
    log.info({ signal }, 'worker stopping: waiting for a running load to finish or roll back');
    await maintenance.stop();
    await store.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((error) => {
  process.stderr.write(`worker: ${(error as Error).message}\n`);
  process.exit(1);
});
