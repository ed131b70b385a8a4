import { expect } from 'chai';
import { silentLogger } from '../../core/log';
import { defaultCuratedDir } from '../../etl/curated-inputs';
import { acquireEtlLock } from '../../etl/load/lock';
import { newRunId } from '../../etl/pipeline';
import { childProcessRunner, type RefreshJob } from '../../etl/refresh-runner';
import { openTestWarehouse, type TestWarehouse } from '../helpers/warehouse';

describe('the refresh process (etl/refresh-child.ts) as the API starts it', function () {
  this.timeout(60_000);
  let w: TestWarehouse;
  beforeEach(async () => { w = await openTestWarehouse(); });
  afterEach(async () => { await w.close(); });

  const settings = { source: 'demo' as const, ssbApiUrl: 'http://127.0.0.1:9/unused', klassApiUrl: 'http://127.0.0.1:9/unused', curatedDir: defaultCuratedDir() };
  const runner = () => childProcessRunner({ databasePath: w.path, databaseUrl: w.env.DATABASE_URL ?? null, settings, log: silentLogger, logName: 'test', logLevel: 'silent', logFormat: 'json' });
  const job = (): RefreshJob => ({ runId: newRunId(new Date()), reason: 'test', source: 'demo', force: true, firstLoad: false });

  it('loads the warehouse and reports the result over IPC', async () => {
    const j = job();
    const handle = runner()(j);
    expect(await handle.started).to.equal(null);
    const result = await handle.result;
    expect(result).to.include({ runId: j.runId, ok: true, status: 'succeeded' });
    const run = await w.store.get({ reason: 'string', status: 'string', pid: 'number' }, 'SELECT reason, status, pid FROM etl_run WHERE id = ?', [j.runId]);
    expect(run).to.deep.include({ reason: 'test', status: 'succeeded' });
    expect(run?.pid, 'run by another process').to.not.equal(process.pid);
  });

  it('a stop asked for before the child began still stops the run, which is recorded as stopped', async () => {
    const j = job();
    const handle = runner()(j);
    handle.stop();
    const result = await handle.result;
    expect(result.ok).to.equal(false);
    expect(result.error).to.match(/asked to stop/);
    expect(await w.store.get({ status: 'string', error: 'string?' }, 'SELECT status, error FROM etl_run WHERE id = ?', [j.runId])).to.deep.equal({ status: 'failed', error: result.error });
  });

  it('a run while another process holds the lock is refused with the holder, and records nothing', async () => {
    const lock = await acquireEtlLock(w.store, 'held-by-this-test');
    try {
      const j = job();
      const handle = runner()(j);
      const busy = await handle.started;
      expect(busy?.message).to.match(new RegExp(`^another ETL run is loading \\(run held-by-this-test, pid ${process.pid} on `));
      await handle.result.then(() => expect.fail('the refused run has no result'), (e: Error) => expect(e.name).to.equal('EtlBusyError'));
      expect(await w.store.get({ n: 'number' }, 'SELECT COUNT(*) AS n FROM etl_run WHERE id = ?', [j.runId])).to.deep.equal({ n: 0 });
    } finally {
      await lock.release();
    }
  });
});
