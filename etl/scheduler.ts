import cron from 'node-cron';
import { cronProblem, ETL_TIMEZONE } from '../core/config';
import type { Logger } from '../core/log';

export class CronConfigError extends Error {
  constructor(expression: string, problem: string) {
    super(`ETL_CRON "${expression}" ${problem}.`);
    this.name = 'CronConfigError';
  }
}

export interface Schedule {
  stop(): Promise<void>;
  nextRun(): Date | null;
}

/**
 * Runs `job` on the cron schedule in Oslo time (02:30 by default: clear of SSB's metadata updates at 05:00 and
 * 11:30 and its 08:00 publishing). node-cron's noOverlap skips a tick while the previous run is still going.
 */
export function startSchedule(expression: string, job: () => Promise<unknown>, log: Logger): Schedule {
  const problem = cronProblem(expression);
  if (problem) throw new CronConfigError(expression, problem);
  const task = cron.schedule(expression, async () => {
    try {
      await job();
    } catch (error) {
      log.error({ err: error }, `scheduled ETL run failed: ${(error as Error).message}`);
    }
  }, { timezone: ETL_TIMEZONE, noOverlap: true, name: 'kostra-etl' });
  task.on('execution:overlap', () => log.warn('scheduled ETL run skipped: the previous run is still going'));
  log.info({ cron: expression, timezone: ETL_TIMEZONE, next: task.getNextRun()?.toISOString() }, 'nightly ETL scheduled');
  return {
    stop: async () => { await task.destroy(); },
    nextRun: () => task.getNextRun(),
  };
}
