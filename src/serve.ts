#!/usr/bin/env node
import './production-default';
import { configOrExit } from '../core/config';
import { createLogger } from '../core/log';
import { startServing } from './serving';
import { stopOnSignals } from './shutdown';

/**
 * `npm run serve`: the API alone (ETL_SCHEDULE=off implied), one of several replicas behind a load balancer over a
 * shared PostgreSQL warehouse; `npm run worker` loads it. `refreshWarehouse` records a request the worker runs, so a
 * refresh asked of any replica runs once.
 */
async function main(): Promise<void> {
  const config = configOrExit('serve');
  const log = createLogger('serve', config);
  const serving = await startServing('serve', config, log);
  log.info({ port: serving.port, warehouse: serving.location }, `GraphQL API (serving only; the worker loads) at http://localhost:${serving.port}/graphql`);
  stopOnSignals(log, (signal) => log.info({ signal }, 'stopping: no new requests; letting in-flight requests finish'), () => serving.stop());
  log.info('ready');
}

main().catch((error) => {
  process.stderr.write(`serve: ${(error as Error).stack ?? error}\n`);
  process.exit(1);
});
