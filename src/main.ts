#!/usr/bin/env node
import { openWarehouse, rawDatabase } from '../db/data-source';
import { createLogger } from '../etl/log';
import { Refresher } from '../etl/refresher';
import { startSchedule, type Schedule } from '../etl/scheduler';
import { ConfigError, loadConfig, loadDotEnv } from './config';
import { firstLoad, warehouseIsEmpty } from './first-load';
import { warehouseHoldsDemo } from '../etl/pipeline';
import { createServer } from './server';

/** `npm start`: migrate, load data on first start, serve GraphQL, and run the nightly refresh in the same process. */
async function main(): Promise<void> {
  loadDotEnv();
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`kostra-warehouse: ${error.message}\nSee README.md, "Configuration", for every variable and its default.\n`);
      process.exit(2);
    }
    throw error;
  }
  const log = createLogger('kostra-warehouse');
  const ds = await openWarehouse({ path: config.databasePath });
  const db = rawDatabase(ds);
  const refresher = new Refresher(db, log, () => config.source);
  const startedEmpty = warehouseIsEmpty(db);
  let loading = startedEmpty;
  const server = await createServer({
    db, log, refresher, adminToken: config.adminToken, development: config.development,
    notReadyReason: () => (loading ? 'the first load is still running' : null),
  });
  const port = await server.listen(config.port, config.host);
  log.info({ port }, `GraphQL API and explorer at http://localhost:${port}/graphql (health: /healthz, readiness: /readyz)`);

  const firstLoadStop = new AbortController();
  let firstLoadDone: Promise<unknown> = Promise.resolve();
  let schedule: Schedule | null = null;
  // Installed before the first load, so a stop during it rolls the load back cleanly.
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping: no new requests; letting in-flight requests and a running load finish or roll back');
    const deadline = setTimeout(() => { log.error('shutdown took over 25 s; exiting'); process.exit(1); }, 25_000);
    deadline.unref();
    try {
      await schedule?.stop();
      await server.stop();
      firstLoadStop.abort();
      await firstLoadDone.catch(() => undefined);
      await refresher.stop();
      await ds.destroy();
      log.info('stopped cleanly');
      process.exit(0);
    } catch (error) {
      log.error({ err: error }, 'error while stopping');
      process.exit(1);
    }
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
  if (loading) {
    try {
      firstLoadDone = firstLoad(db, log, config.source, config.ssbApiUrl, firstLoadStop.signal);
      await firstLoadDone;
    } catch (error) {
      log.error({ err: error }, `the first load failed: ${(error as Error).message}`);
    } finally {
      loading = false;
    }
  }
  if (config.source === 'live' && !startedEmpty && warehouseHoldsDemo(db)) {
    // The demo data stands in only until SSB can be reached: try now, in the background.
    log.info('the warehouse holds demo data: trying a live load from SSB in the background to replace it');
    const start = refresher.start({ reason: 'replace demo data' });
    if (start.started) start.promise.then((r) => log[r.ok ? 'info' : 'warn'](r.ok ? 'live data replaced the demo data' : 'SSB could not be loaded; the demo data stays until the next refresh'), () => undefined);
  }
  if (stopping) return;
  if (config.etlSchedule) {
    schedule = startSchedule(config.etlCron, async () => {
      const start = refresher.start({ reason: 'schedule' });
      if (!start.started) return log.warn(`scheduled refresh skipped: ${start.reason}`);
      const result = await start.promise;
      log[result.ok ? 'info' : 'error']({ runId: result.runId }, `scheduled refresh ${result.ok ? 'succeeded' : 'failed'}`);
    }, log);
  }
  log.info('ready');

}

main().catch((error) => {
  process.stderr.write(`kostra-warehouse: ${(error as Error).stack ?? error}\n`);
  process.exit(1);
});
