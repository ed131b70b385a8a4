import { expect } from 'chai';
import { CronConfigError, startSchedule } from '../../etl/scheduler';
import { cronProblem } from '../../core/config';
import { silentLogger } from '../../core/log';

describe('the nightly schedule', () => {
  it('accepts the default and six-field expressions', () => {
    for (const e of ['30 2 * * *', '*/5 * * * * *', '0 30 2 * * 1-5']) expect(cronProblem(e), e).to.equal(null);
  });

  it('rejects an invalid expression at start with the variable, the value and an example', () => {
    expect(() => startSchedule('61 25 * * *', async () => undefined, silentLogger)).to.throw(CronConfigError, /^ETL_CRON "61 25 \* \* \*" is not a valid cron expression \(.+\)\. Use five or six fields, e\.g\. "30 2 \* \* \*" for 02:30 every night \(Europe\/Oslo\)\.$/);
    expect(() => startSchedule('every night', async () => undefined, silentLogger)).to.throw(CronConfigError);
  });

  it('runs the job on its ticks and never overlaps itself', async function () {
    this.timeout(10_000);
    let running = 0;
    let maxRunning = 0;
    let starts = 0;
    const schedule = startSchedule('* * * * * *', async () => {
      starts++;
      running++;
      maxRunning = Math.max(maxRunning, running);
      await new Promise((r) => setTimeout(r, 2_200));
      running--;
    }, silentLogger);
    await new Promise((r) => setTimeout(r, 3_500));
    await schedule.stop();
    expect(starts).to.be.within(1, 2);
    expect(maxRunning).to.equal(1);
  });
});
