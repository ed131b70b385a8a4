/**
 * Refresh requests from serving replicas (etl/refresh-requests.ts), in-process on this run's engine: one pending
 * request stands for every replica that asks; the loading process claims it and runs one refresh; a request an earlier
 * loading process claimed and never finished (killed mid-run) is closed by the next refresh instead of reading as
 * running forever.
 */
import { expect } from 'chai';
import { silentLogger } from '../../core/log';
import { defaultCuratedDir } from '../../etl/curated-inputs';
import { createDemoSource } from '../../etl/demo';
import { RefreshRequester, startRequestPoller } from '../../etl/refresh-requests';
import { Refresher } from '../../etl/refresher';
import { inProcessRunner } from '../../etl/refresh-runner';
import { waitFor } from '../startup/main-process';
import { openTestWarehouse, valueOf, type TestWarehouse } from '../helpers/warehouse';

describe('refresh requests from serving replicas', function () {
  this.timeout(60_000);
  let w: TestWarehouse;
  beforeEach(async () => { w = await openTestWarehouse(); });
  afterEach(async () => { await w.close(); });

  it('one request stands for every replica that asks; the loading process runs it once and closes a request left running by a stopped one', async () => {
    // What a loading process killed mid-run leaves behind.
    await w.store.run(`INSERT INTO refresh_request (reason, source, force, status, requested_at, requested_by, claimed_by)
      VALUES ('api', NULL, ?, 'running', '2026-11-01T00:00:00.000Z', 'replica-a:1', 'gone-worker:1')`, [false]);
    const stale = Number(await valueOf(w.store, "SELECT MAX(id) AS n FROM refresh_request"));

    const replica = new RefreshRequester(w.store, silentLogger, 20);
    const first = await replica.start({ reason: 'api', force: false });
    const second = await replica.start({ reason: 'api', force: true });
    expect(first.started).to.equal(true);
    const requestId = 'requestId' in first ? first.requestId : null;
    expect(await valueOf(w.store, 'SELECT status FROM refresh_request WHERE id = ?', [requestId]), 'the request the replica names').to.equal('pending');
    expect(second.started).to.equal(false);
    if (!second.started) expect(second.reason).to.equal(`a refresh is already requested (request ${requestId}); it runs once for every replica that asked`);
    await waitFor('the replica to see a refresh asked for', () => (replica.running ? true : undefined));

    const demo = createDemoSource();
    const settings = { source: 'demo' as const, ssbApiUrl: 'http://127.0.0.1:9/unused', klassApiUrl: 'http://127.0.0.1:9/unused', curatedDir: defaultCuratedDir() };
    const refresher = new Refresher(w.store, silentLogger, settings, inProcessRunner(w.store, silentLogger, settings, () => ({ source: demo, history: demo })));
    const poller = startRequestPoller({ store: w.store, refresher, log: silentLogger, pollMs: 20 });
    try {
      await waitFor('the request to be done', async () => (await valueOf(w.store, "SELECT COUNT(*) AS n FROM refresh_request WHERE status = 'done'")) > 0 ? true : undefined);
      const rows = await w.store.all({ id: 'number', status: 'string', force: 'boolean', runId: 'string?', error: 'string?' },
        'SELECT id, status, force, run_id AS runId, error FROM refresh_request ORDER BY id');
      expect(rows).to.have.length(2);
      expect(rows[1]).to.include({ status: 'done', force: true });
      const runs = await w.store.all({ reason: 'string', status: 'string' }, 'SELECT reason, status FROM etl_run WHERE id = ?', [rows[1].runId]);
      expect(runs).to.deep.equal([{ reason: `api (request ${rows[1].id})`, status: 'succeeded' }]);
      expect(rows[0]).to.include({ id: stale, status: 'failed' });
      expect(rows[0].error).to.equal(`the loading process that claimed it stopped before the refresh finished; the refresh of request ${rows[1].id} ran instead`);
      await waitFor('the replica to see nothing running', () => (replica.running ? undefined : true));
    } finally {
      await poller.stop();
      await replica.stop();
      await refresher.stop();
    }
  });
});
