#!/usr/bin/env node
import { openWarehouse, rawDatabase } from '../db/data-source';
import { createLogger } from './log';
import { Refresher } from './refresher';
import { DEFAULT_ETL_CRON, startSchedule } from './scheduler';
import type { SourceKind } from './sources';

/** `npm run worker`: the nightly ETL on its own, without the API (ETL_CRON, default 02:30 Europe/Oslo). */
async function main(): Promise<void> {
  const log = createLogger('worker');
  const expression = process.env.ETL_CRON?.trim() || DEFAULT_ETL_CRON;
  const ds = await openWarehouse();
  const kind = (process.env.KOSTRA_SOURCE === 'demo' ? 'demo' : 'live') as SourceKind;
  const refresher = new Refresher(rawDatabase(ds), log, () => kind);
  let schedule;
  try {
    schedule = startSchedule(expression, async () => {
      const start = refresher.start({ reason: 'schedule' });
      if (!start.started) {
        log.warn(start.reason);
        return;
      }
      const result = await start.promise;
      log[result.ok ? 'info' : 'error']({ runId: result.runId, ok: result.ok }, `scheduled ETL run ${result.ok ? 'succeeded' : 'failed'}`);
    }, log);
  } catch (error) {
    await ds.destroy();
    throw error;
  }
  const shutdown = async (signal: string) => {
    log.info({ signal }, 'worker stopping: waiting for a running load to finish or roll back');
    await schedule.stop();
    await refresher.stop();
    await ds.destroy();
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((error) => {
  process.stderr.write(`worker: ${(error as Error).message}\n`);
  process.exit(1);
});
