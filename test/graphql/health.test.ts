import { expect } from 'chai';
import { silentLogger } from '../../core/log';
import { createServer, type AppServer } from '../../src/server';
import { openTestWarehouse, type TestWarehouse } from '../helpers/warehouse';

describe('health and readiness', function () {
  this.timeout(30_000);
  let w: TestWarehouse;
  let server: AppServer;
  let base: string;
  let reason: string | null = null;
  before(async () => {
    w = await openTestWarehouse();
    server = await createServer({ store: w.store, log: silentLogger, notReadyReason: () => reason });
    base = `http://127.0.0.1:${await server.listen(0, '127.0.0.1')}`;
  });
  after(async () => {
    await server.stop();
    await w.close();
  });

  it('/healthz answers while the process is alive, data or not', async () => {
    const res = await fetch(`${base}/healthz`);
    expect(res.status).to.equal(200);
    expect(await res.json()).to.deep.equal({ status: 'ok' });
  });

  it('/readyz is 503 with the reason while the warehouse is empty or the first load runs', async () => {
    let res = await fetch(`${base}/readyz`);
    expect(res.status).to.equal(503);
    expect(await res.json()).to.deep.equal({ status: 'not ready', reason: 'the warehouse holds no data yet (first load not finished)' });
    reason = 'the first load is still running';
    res = await fetch(`${base}/readyz`);
    expect(await res.json()).to.deep.equal({ status: 'not ready', reason: 'the first load is still running' });
    reason = null;
  });

  it('a replica (no word from a loader but the warehouse) is not ready while the first run goes, then ready', async () => {
    const replica = await createServer({ store: w.store, log: silentLogger });
    const url = `http://127.0.0.1:${await replica.listen(0, '127.0.0.1')}/readyz`;
    const at = new Date().toISOString();
    const runs: [string, string][] = [];
    const run = async (id: string, status: string) => {
      runs.push([id, status]);
      await w.store.run("INSERT INTO etl_run (id, source, reason, status, started_at) VALUES (?, 'demo', 'test', ?, ?)", [id, status, at]);
    };
    const table = "INSERT INTO source_table (id, title, last_loaded_at) VALUES ('12137', 'test', ?)";
    try {
      await w.store.run(table, [at]); // a first table is in: the old check said ready from here on
      await run('first', 'running');
      const during = await fetch(url);
      expect([during.status, await during.json()]).to.deep.equal([503, { status: 'not ready', reason: 'the first load is still running (the worker has finished no run yet)' }]);
      await w.store.run("UPDATE etl_run SET status = 'succeeded' WHERE id = 'first'");
      expect((await fetch(url)).status).to.equal(200);
      await run('nightly', 'running'); // a later run: the finished one's data is whole
      expect((await fetch(url)).status).to.equal(200);
    } finally {
      await replica.stop();
      for (const [id] of runs) await w.store.run('DELETE FROM etl_run WHERE id = ?', [id]);
      await w.store.run("DELETE FROM source_table WHERE id = '12137'");
    }
  });

  it('the explorer page is served to browsers at the API URL; GraphQL clients get GraphQL', async () => {
    const page = await fetch(`${base}/graphql`, { headers: { accept: 'text/html' } });
    expect(page.status).to.equal(200);
    expect(page.headers.get('content-type')).to.match(/^text\/html/);
    expect(await page.text()).to.contain('kostra-warehouse');
    const api = await fetch(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ years }' }) });
    expect((await api.json() as { data: { years: number[] } }).data.years).to.deep.equal([]);
  });
});
