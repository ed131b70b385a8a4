#!/usr/bin/env node
import { configOrExit } from '../core/config';
import { createLogger } from '../core/log';
import { openStore, storeOptions } from '../db/store';
import { Refresher, startMaintenance } from '../etl';
import { createServer } from './server';

/** `npm start`: migrate, load data on first start, serve GraphQL, and run the nightly refresh in the same process. */
async function main(): Promise<void> {
  const config = configOrExit('kostra-warehouse');
  const log = createLogger('kostra-warehouse', config);
  const store = await openStore({ ...storeOptions(config), onError: (error) => log.error({ err: error }, 'warehouse connection error') });
  const refresher = new Refresher(store, log, config);
  const maintenance = startMaintenance({ store, log, refresher, settings: config, firstLoad: true, cron: config.etlSchedule ? config.etlCron : null });
  const server = await createServer({
    store, log, refresher, adminToken: config.adminToken, development: config.development, corsOrigins: config.corsOrigins,
    notReadyReason: () => (maintenance.loading ? 'the first load is still running' : null),
  });
  const port = await server.listen(config.port, config.host);
  log.info({ port }, `GraphQL API and explorer at http://localhost:${port}/graphql (health: /healthz, readiness: /readyz)`);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping: no new requests; letting in-flight requests and a running load finish or roll back');
    const deadline = setTimeout(() => { log.error('shutdown took over 25 s; exiting'); process.exit(1); }, 25_000);
    deadline.unref();
    try {
      await server.stop();
      await maintenance.stop();
      await store.close();
      log.info('stopped cleanly');
      process.exit(0);
    } catch (error) {
      log.error({ err: error }, 'error while stopping');
      process.exit(1);
    }
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
  await maintenance.firstLoadDone;
  if (!stopping) log.info('ready');
}

main().catch((error) => {
  process.stderr.write(`kostra-warehouse: ${(error as Error).stack ?? error}\n`);
  process.exit(1);
});
