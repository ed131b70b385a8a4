import cron from 'node-cron';
import type { Logger } from './log';

export const DEFAULT_ETL_CRON = '30 2 * * *';
export const ETL_TIMEZONE = 'Europe/Oslo';

export class CronConfigError extends Error {
  constructor(expression: string, detail: string) {
    super(`ETL_CRON "${expression}" is not a valid cron expression (${detail}). Use five or six fields, ` +
      `e.g. "${DEFAULT_ETL_CRON}" for 02:30 every night (${ETL_TIMEZONE}).`);
    this.name = 'CronConfigError';
  }
}

/** Checks a cron expression up front so a typo stops the start instead of silently never running. */
export function validateCron(expression: string): void {
  const result = cron.validateDetailed(expression);
  if (!result.valid) {
    throw new CronConfigError(expression, result.errors.map((e) => `${e.field}${e.value !== undefined ? ` "${e.value}"` : ''}: ${e.message}`).join('; ') || 'invalid');
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
  validateCron(expression);
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
