#!/usr/bin/env node
import './production-default';
import { configOrExit } from '../core/config';
import { createLogger } from '../core/log';
import { openStore, storeOptions } from '../db/store';
import { RefreshRequester } from '../etl';
import { createServer } from './server';
import { exitWith, listenProblem, warehouseOpenProblem } from '../core/startup-errors';

/**
 * `npm run serve`: the API alone (ETL_SCHEDULE=off implied), one of several replicas behind a load balancer over a
 * shared PostgreSQL warehouse; `npm run worker` loads it. `refreshWarehouse` records a request the worker runs, so a
 * refresh asked of any replica runs once.
 */
async function main(): Promise<void> {
  const config = configOrExit('serve');
  const log = createLogger('serve', config);
  const store = await openStore({ ...storeOptions(config), onError: (error) => log.error({ err: error }, 'warehouse connection error') })
    .catch((error: unknown) => exitWith('serve', warehouseOpenProblem(config, error)));
  const refresher = new RefreshRequester(store, log);
  const server = await createServer({
    store, log, refresher, adminToken: config.adminToken, development: config.development, corsOrigins: config.corsOrigins, caches: config.apiCaches,
  });
  const port = await server.listen(config.port, config.host).catch(async (error: unknown) => {
    await refresher.stop();
    await store.close();
    return exitWith('serve', listenProblem(config.port, config.host, error));
  });
  log.info({ port, warehouse: store.location }, `GraphQL API (serving only; the worker loads) at http://localhost:${port}/graphql`);
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping: no new requests; letting in-flight requests finish');
    const deadline = setTimeout(() => { log.error('shutdown took over 25 s; exiting'); process.exit(1); }, 25_000);
    deadline.unref();
    try {
      await server.stop();
      await refresher.stop();
      await store.close();
      process.exit(0);
    } catch (error) {
      log.error({ err: error }, 'error while stopping');
      process.exit(1);
    }
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
  log.info('ready');
}

main().catch((error) => {
  process.stderr.write(`serve: ${(error as Error).stack ?? error}\n`);
  process.exit(1);
});
