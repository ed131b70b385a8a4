#!/usr/bin/env node
import './production-default';
import { configOrExit } from '../core/config';
import { createLogger } from '../core/log';
import { openStore, storeOptions } from '../db/store';
import { childProcessRunner, Refresher, startMaintenance } from '../etl';
import { exitWith, listenProblem, warehouseOpenProblem } from '../core/startup-errors';
import { createServer } from './server';

/** `npm start`: migrate, load data on first start, serve GraphQL, and run the nightly refresh in the same process. */
async function main(): Promise<void> {
  const config = configOrExit('kostra-warehouse');
  const log = createLogger('kostra-warehouse', config);
  const store = await openStore({ ...storeOptions(config), onError: (error) => log.error({ err: error }, 'warehouse connection error') })
    .catch((error: unknown) => exitWith('kostra-warehouse', warehouseOpenProblem(config, error)));
  // Every refresh (the first load, the nightly one, refreshWarehouse) runs in a child process: the API's event loop
  // never runs a table's merge.
  const settings = { source: config.source, ssbApiUrl: config.ssbApiUrl, klassApiUrl: config.klassApiUrl, ssbCallsPerMinute: config.ssbCallsPerMinute, curatedDir: config.curatedDir };
  const refresher = new Refresher(store, log, settings, childProcessRunner({
    databasePath: config.databasePath, databaseUrl: config.databaseUrl, settings, log, logName: 'kostra-warehouse', logLevel: config.logLevel, logFormat: config.logFormat,
  }));
  const maintenance = startMaintenance({ store, log, refresher, settings: config, firstLoad: true, cron: config.etlSchedule ? config.etlCron : null });
  const server = await createServer({
    store, log, refresher, adminToken: config.adminToken, development: config.development, corsOrigins: config.corsOrigins, caches: config.apiCaches,
    notReadyReason: () => (maintenance.loading ? 'the first load is still running' : null),
  });
  const port = await server.listen(config.port, config.host).catch(async (error: unknown) => {
    await maintenance.stop();
    await store.close();
    return exitWith('kostra-warehouse', listenProblem(config.port, config.host, error));
  });
  log.info({ port }, `GraphQL API and explorer at http://localhost:${port}/graphql (health: /healthz, readiness: /readyz)`);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal, refreshRunning: refresher.running }, `stopping: no new requests; in-flight requests finish${refresher.running ? ', the refresh process stops (its current table rolls back)' : ''}; then the database closes`);
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

/** A start-up failure an operator can fix: one line naming what to change, no stack trace. */
main().catch((error) => {
  process.stderr.write(`kostra-warehouse: ${(error as Error).stack ?? error}\n`);
  process.exit(1);
});
