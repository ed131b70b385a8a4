#!/usr/bin/env node
import './production-default';
import cluster from 'node:cluster';
import { configOrExit, type AppConfig } from '../core/config';
import { createLogger, type Logger } from '../core/log';
import { openStore, storeOptions } from '../db/store';
import { childProcessRunner, Refresher, startMaintenance } from '../etl';
import { exitWith, listenProblem, warehouseOpenProblem } from '../core/startup-errors';
import { createServer } from './server';
import { FIRST_LOAD_SETTLED, startServing } from './serving';
import { stopOnSignals } from './shutdown';

const PROGRAM = 'kostra-warehouse';

/**
 * `npm start`: migrate, load data on first start, serve GraphQL, and run the nightly refresh. With API_PROCESSES=1
 * (the default) one process does it all; with more, this process loads (first load, schedule, refresh requests) and
 * forks that many API processes, which share the port (node:cluster) and read the same warehouse.
 */
async function main(): Promise<void> {
  const config = configOrExit(PROGRAM);
  if (cluster.isWorker) return apiProcess(config);
  const log = createLogger(PROGRAM, config);
  const store = await openStore({ ...storeOptions(config), onError: (error) => log.error({ err: error }, 'warehouse connection error') })
    .catch((error: unknown) => exitWith(PROGRAM, warehouseOpenProblem(config, error)));
  // Every refresh (the first load, the nightly one, refreshWarehouse) runs in a child process: the API's event loop
  // never runs a table's merge.
  const settings = { source: config.source, ssbApiUrl: config.ssbApiUrl, klassApiUrl: config.klassApiUrl, ssbCallsPerMinute: config.ssbCallsPerMinute, curatedDir: config.curatedDir };
  const refresher = new Refresher(store, log, settings, childProcessRunner({
    databasePath: config.databasePath, databaseUrl: config.databaseUrl, settings, log, logName: PROGRAM, logLevel: config.logLevel, logFormat: config.logFormat,
  }));
  const maintenance = startMaintenance({ store, log, refresher, settings: config, firstLoad: true, cron: config.etlSchedule ? config.etlCron : null });
  const api: Api = config.apiProcesses > 1 ? forkApiProcesses(config, log, maintenance.firstLoadDone) : await (async () => {
    const server = await createServer({
      store, log, refresher, adminToken: config.adminToken, development: config.development, corsOrigins: config.corsOrigins, caches: config.apiCaches,
      notReadyReason: () => (maintenance.loading ? 'the first load is still running' : null),
    });
    return { listen: () => server.listen(config.port, config.host), stop: () => server.stop() };
  })();
  const port = await api.listen().catch(async (error: unknown) => {
    await api.stop();
    await maintenance.stop();
    await store.close();
    // A forked API process that could not start has said why above; only the server's own listen error is about PORT.
    const fromListen = typeof (error as { code?: unknown })?.code === 'string';
    return exitWith(PROGRAM, fromListen ? listenProblem(config.port, config.host, error) : (error as Error).message);
  });
  log.info({ port, apiProcesses: config.apiProcesses }, `GraphQL API and explorer at http://localhost:${port}/graphql (health: /healthz, readiness: /readyz)`);

  const stopping = stopOnSignals(log, (signal) => {
    log.info({ signal, refreshRunning: refresher.running }, `stopping: no new requests; in-flight requests finish${refresher.running ? ', the refresh process stops (its current table rolls back)' : ''}; then the database closes`);
  }, async () => {
    await api.stop();
    await maintenance.stop();
    await store.close();
  });
  await maintenance.firstLoadDone;
  if (!stopping()) log.info('ready');
}

/** One of the API processes `npm start` forks: it serves and loads nothing (see src/serving.ts). */
async function apiProcess(config: AppConfig): Promise<void> {
  const log = createLogger(PROGRAM, config).child({ apiProcess: cluster.worker?.id });
  // Not ready while the primary's first load runs: the tables it has committed so far are not the whole warehouse.
  let firstLoadSettled = false;
  process.on('message', (message) => { if (message === FIRST_LOAD_SETTLED) firstLoadSettled = true; });
  const serving = await startServing(PROGRAM, config, log, {
    migrate: false, notReadyReason: () => (firstLoadSettled ? null : 'the first load is still running'),
  });
  log.info({ port: serving.port }, 'API process serving');
  // The primary asks it to stop (SIGTERM); Ctrl-C reaches the whole process group (SIGINT).
  stopOnSignals(log, () => undefined, () => serving.stop());
}

/** What serves the API for `npm start`: this process's server, or the API processes it forks. */
interface Api {
  /** Resolves to the port once the API accepts requests. */
  listen(): Promise<number>;
  stop(): Promise<void>;
}

/**
 * The API processes, as one server to the primary: `listen` forks them (they read PORT and HOST themselves) and
 * resolves once each listens; one that dies afterwards is replaced (a crash must not take capacity away for good),
 * one that cannot start stops the start. Each is told when `firstLoadDone` settles, and is not ready until then.
 */
function forkApiProcesses(config: AppConfig, log: Logger, firstLoadDone: Promise<void>): Api {
  let stopping = false;
  const listening = new Set<number>();
  // Each API process hears when the first load has settled, a replacement forked later too.
  const fork = () => {
    const worker = cluster.fork();
    // Settled either way: a first load that failed leaves the warehouse as it is, which the API then serves.
    void firstLoadDone.catch(() => undefined).then(() => { if (worker.isConnected()) worker.send(FIRST_LOAD_SETTLED); });
  };
  return {
    listen: () => new Promise<number>((resolve, reject) => {
      let answered = false;
      cluster.on('listening', (worker, address) => {
        listening.add(worker.id);
        if (!answered && listening.size >= config.apiProcesses) { answered = true; resolve(address.port); }
      });
      cluster.on('exit', (worker, code, signal) => {
        const served = listening.delete(worker.id);
        // Exit code 0: it was asked to stop (SIGTERM from here, or Ctrl-C to the whole process group).
        if (stopping || code === 0) return;
        if (!served && !answered) {
          answered = true;
          reject(new Error(`an API process ended before it listened (exit code ${code}${signal ? `, signal ${signal}` : ''}); its error is above`));
          return;
        }
        log.error({ apiProcess: worker.id, code, signal }, `API process ${worker.id} ended (${signal ?? `exit code ${code}`}); starting another`);
        fork();
      });
      for (let i = 0; i < config.apiProcesses; i++) fork();
    }),
    async stop() {
      stopping = true;
      const workers = Object.values(cluster.workers ?? {}).filter((w) => w !== undefined);
      await Promise.all(workers.map((w) => new Promise<void>((resolve) => {
        if (w.isDead()) { resolve(); return; }
        w.once('exit', () => resolve());
        w.process.kill('SIGTERM');
      })));
    },
  };
}

main().catch((error) => {
  process.stderr.write(`${PROGRAM}: ${(error as Error).stack ?? error}\n`);
  process.exit(1);
});
