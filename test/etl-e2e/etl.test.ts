import os from 'node:os';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { expect } from 'chai';
import { runEtl, type EtlRunResult } from '../../etl/pipeline';
import { EtlBusyError, acquireEtlLock } from '../../etl/load/lock';
import { projectRoot } from '../../core/paths';
import { startStandin, type Standin } from '../standin/server';
import { fastClients } from '../helpers/fast-clients';
import { factSnapshot, openTestWarehouse, rowsOf, valueOf, type TestWarehouse } from '../helpers/warehouse';
import { createDemoSource } from '../../etl/demo';
import { Client } from 'pg';
import { ETL_LOCK } from '../../db/data-source';

const CATALOGUE_TABLES = ['12134', '12137', '12364', '12143', '12362', '07459', '11977', '12562', '11996', '12219', '12275', '12292'];

/** Bærum's resultatgrad straight from the warehouse: the value under whichever of its codes holds each year. */
async function baerumResultatgrad(w: TestWarehouse): Promise<number[]> {
  return (await rowsOf(w.store, `SELECT f.year, f.value FROM fact f JOIN indicator i ON i.id = f.indicator_id JOIN region r ON r.code = f.region_code
    WHERE i.key = 'resultatgrad_ssb' AND r.municipality_key = '3201' AND f.value IS NOT NULL AND f.year BETWEEN 2020 AND 2024 ORDER BY f.year`)).map((r) => r.value as number);
}

describe('ETL end to end against the SSB stand-in', function () {
  this.timeout(60_000);
  let standin: Standin;
  let w: TestWarehouse;
  const run = (options: { force?: boolean; tables?: string[]; timeoutMs?: number; dryRun?: boolean } = {}): Promise<EtlRunResult> =>
    runEtl({ store: w.store, ...fastClients(standin, { timeoutMs: options.timeoutMs }), ...options });
  const dataRequests = () => standin.requests.filter((r) => r.path.endsWith('/data')).length;

  beforeEach(async () => {
    standin = await startStandin({ port: 0, rateLimit: { maxCalls: 10_000, windowMs: 60_000 } });
    w = await openTestWarehouse();
  });
  afterEach(async () => {
    await standin.close();
    await w.close();
  });

  it('loads every catalogue table; Bærum\'s resultatgrad 2020–2024 reads 6.0, 7.3, 3.4, 3.7, 2.3 from the warehouse', async () => {
    const result = await run();
    expect(result.ok).to.equal(true);
    expect(result.tables.map((t) => [t.tableId, t.status])).to.deep.equal(CATALOGUE_TABLES.map((t) => [t, 'succeeded']));
    for (const t of result.tables) {
      expect(t.inserted, t.tableId).to.be.greaterThan(0);
      expect(t.plan!.requests, t.tableId).to.equal(t.plan!.lowerBound);
    }
    expect(await baerumResultatgrad(w)).to.deep.equal([6.0, 7.3, 3.4, 3.7, 2.3]);
    const loads = await rowsOf(w.store, "SELECT table_id, status, requests, cells, inserted FROM load WHERE table_id NOT IN ('curated', 'derived') ORDER BY id");
    expect(loads).to.have.length(CATALOGUE_TABLES.length);
    expect(result.curated).to.include({ changed: true });
    expect(loads.every((l) => l.status === 'succeeded' && l.cells > 0)).to.equal(true);
    // null + status is kept as such, never 0
    const [dot] = await rowsOf(w.store, "SELECT value, status FROM fact WHERE region_code = '0219' AND year = 2024 LIMIT 1");
    expect(dot).to.deep.equal({ value: null, status: '.' });
  });

  it('a second run skips every unchanged table without requesting data', async () => {
    await run();
    const before = dataRequests();
    const second = await run();
    expect(second.ok).to.equal(true);
    expect(second.tables.map((t) => t.status)).to.deep.equal(CATALOGUE_TABLES.map(() => 'skipped'));
    expect(dataRequests()).to.equal(before);
    expect(await valueOf(w.store, "SELECT COUNT(*) AS n FROM load WHERE status = 'skipped'")).to.equal(CATALOGUE_TABLES.length);
  });

  it('a forced run requests everything again and changes 0 rows', async () => {
    await run();
    const snapshot = (await factSnapshot(w.store));
    const forced = await run({ force: true });
    expect(forced.ok).to.equal(true);
    for (const t of forced.tables) {
      expect([t.status, t.inserted, t.updated], t.tableId).to.deep.equal(['succeeded', 0, 0]);
      expect(t.unchanged, t.tableId).to.be.greaterThan(0);
    }
    expect((await factSnapshot(w.store))).to.deep.equal(snapshot);
  });

  it('a table whose SSB `updated` changed is reloaded, and a revised value is updated and counted', async () => {
    await run();
    // what the warehouse holds differs from SSB's revised figure for one cell
    await w.store.run(`UPDATE fact SET value = value + 1 WHERE region_code = '3201' AND year = 2024
      AND indicator_id = (SELECT id FROM indicator WHERE key = 'resultatgrad_ssb')`);
    standin.setTableUpdated('12134', '2026-06-15T06:00:00Z');
    const result = await run();
    const byTable = Object.fromEntries(result.tables.map((t) => [t.tableId, t]));
    expect(byTable['12134'].status).to.equal('succeeded');
    expect([byTable['12134'].inserted, byTable['12134'].updated]).to.deep.equal([0, 1]);
    expect(byTable['12137'].status).to.equal('skipped');
    expect((await baerumResultatgrad(w))[4]).to.equal(2.3);
  });

  it('survives 429 (with and without Retry-After), a burst of 503s, a reset, a slow answer and a truncated body', async () => {
    standin.setFaults([
      { kind: 'status', status: 429, retryAfter: 0, path: '/tables/12134/data' },
      { kind: 'status', status: 429, path: '/tables/12137/data' },
      { kind: 'status', status: 503, path: '/tables/12362/data', times: 3 },
      { kind: 'reset', path: '/tables/07459/metadata' },
      { kind: 'slow', delayMs: 1500, path: '/tables/07459/data' },
      { kind: 'truncate', path: '/tables/12137/metadata' },
    ]);
    const clients = fastClients(standin, { timeoutMs: 500 });
    const result = await runEtl({ store: w.store, ...clients });
    expect(result.ok, JSON.stringify(result.problems)).to.equal(true);
    // metadata retries happen while the catalogue is resolved, data retries per table: count them all
    expect(clients.source.stats().retries).to.be.at.least(8);
    expect(await baerumResultatgrad(w)).to.deep.equal([6.0, 7.3, 3.4, 3.7, 2.3]);
  });

  it('a table failing mid-way leaves its previous facts untouched and a load record naming the cause', async () => {
    await run();
    const snapshot = (await factSnapshot(w.store));
    standin.setFaults([{ kind: 'badSizes', path: '/tables/12362/data', times: Infinity }]);
    const result = await run({ force: true });
    expect(result.ok).to.equal(false);
    const failed = result.tables.find((t) => t.tableId === '12362')!;
    expect(failed.status).to.equal('failed');
    expect(failed.error).to.match(/size|value/i);
    expect(result.tables.filter((t) => t.tableId !== '12362').every((t) => t.status === 'succeeded')).to.equal(true);
    expect((await factSnapshot(w.store))).to.deep.equal(snapshot);
    const [record] = await rowsOf(w.store, "SELECT status, error FROM load WHERE table_id = '12362' ORDER BY id DESC LIMIT 1");
    expect(record.status).to.equal('failed');
    expect(record.error).to.equal(failed.error);
  });

  it('a response with a category code that was not asked for fails the table, not the warehouse', async () => {
    standin.setFaults([{ kind: 'extraCode', path: '/tables/12134/data', times: Infinity }]);
    const result = await run();
    const t = result.tables.find((x) => x.tableId === '12134')!;
    expect(t.status).to.equal('failed');
    expect(t.error).to.match(/code "KOSdemoUkjent", which was not requested/);
    expect(await valueOf(w.store, "SELECT COUNT(*) AS n FROM fact f JOIN indicator i ON i.id = f.indicator_id WHERE i.table_id = '12134'")).to.equal(0);
  });

  it('a dry run prints the plan and writes nothing', async () => {
    const result = await run({ dryRun: true });
    expect(result.tables.map((t) => t.status)).to.deep.equal(CATALOGUE_TABLES.map(() => 'planned'));
    expect(dataRequests()).to.equal(0);
    expect(await valueOf(w.store, 'SELECT COUNT(*) AS n FROM load')).to.equal(0);
    for (const t of result.tables) {
      for (const sel of t.plan!.selections) expect(sel.reduce((n, s) => n * s.valueCodes.length, 1)).to.be.at.most(t.plan!.maxCells);
    }
  });

  it('two ETL runs can never load at once: the lock lives in the database', async function () {
    if (w.engine === 'postgres') {
      // Another session (another host, say) holds the advisory lock and has said who it is.
      const other = new Client({ connectionString: w.env.DATABASE_URL });
      await other.connect();
      try {
        await other.query('SELECT pg_advisory_lock($1)', [ETL_LOCK]);
        await other.query("INSERT INTO etl_lock (name, owner_pid, owner_host, run_id, acquired_at, heartbeat_at) VALUES ('etl', 4242, 'other-host', 'other-run', $1, $1)", [new Date().toISOString()]);
        let error: unknown;
        try { await run(); } catch (e) { error = e; }
        expect(error).to.be.instanceOf(EtlBusyError);
        expect((error as Error).message).to.contain('another ETL run is loading (run other-run, pid 4242 on other-host');
      } finally {
        await other.end();
      }
      // its connection is gone, so PostgreSQL released its lock: no heartbeat or PID check needed to take it over
      const lock = await acquireEtlLock(w.store, 'mine');
      await lock.release();
      return;
    }
    const sleeper = spawn('sleep', ['30']);
    try {
      await w.store.run("INSERT INTO etl_lock (name, owner_pid, owner_host, run_id, acquired_at, heartbeat_at) VALUES ('etl', ?, ?, 'other-run', ?, ?)",
        [sleeper.pid, os.hostname(), new Date().toISOString(), new Date().toISOString()]);
      let error: unknown;
      try { await run(); } catch (e) { error = e; }
      expect(error).to.be.instanceOf(EtlBusyError);
      expect((error as Error).message).to.contain(`another ETL run is loading (run other-run, pid ${sleeper.pid}`);
    } finally {
      sleeper.kill('SIGKILL');
    }
    await new Promise((r) => sleeper.on('exit', r));
    // the holder is gone: its lock is taken over
    const lock = await acquireEtlLock(w.store, 'mine');
    await lock.release();
  });

  it('the first live load replaces the demo data entirely, in one transaction', async () => {
    const demo = createDemoSource();
    expect((await runEtl({ store: w.store, source: demo, history: demo })).ok).to.equal(true);
    const sources = async () => (await rowsOf(w.store, 'SELECT DISTINCT source FROM source_table')).map((r) => r.source as string);
    expect(await sources()).to.deep.equal(['demo']);
    const demoFacts = (await factSnapshot(w.store)).length;
    const live = await run();
    expect(live.ok).to.equal(true);
    expect(live.tables.every((t) => t.status === 'succeeded')).to.equal(true);
    expect(await sources()).to.deep.equal(['live']);
    const liveLoadIds = new Set(live.tables.map((t) => t.loadId));
    const factLoads = (await rowsOf(w.store, 'SELECT DISTINCT load_id FROM fact')).map((r) => r.load_id as number);
    expect(factLoads.every((id) => liveLoadIds.has(id)), 'no fact written by a demo load remains').to.equal(true);
    expect((await factSnapshot(w.store)).length).to.equal(demoFacts);
  });

  it('a live run that fails on one table leaves the demo data whole (never a mix)', async () => {
    const demo = createDemoSource();
    await runEtl({ store: w.store, source: demo, history: demo });
    const snapshot = (await factSnapshot(w.store));
    standin.setFaults([{ kind: 'status', status: 400, path: '/tables/12362/data', times: Infinity }]);
    const live = await run();
    expect(live.ok).to.equal(false);
    expect(live.tables.every((t) => t.status === 'failed')).to.equal(true);
    expect((await factSnapshot(w.store))).to.deep.equal(snapshot);
    expect((await rowsOf(w.store, 'SELECT DISTINCT source FROM source_table')).map((r) => r.source)).to.deep.equal(['demo']);
  });

  for (const where of ['fetch', 'merge'] as const) {
    it(`a load SIGKILLed during the ${where} leaves the previous data readable; the next run marks it interrupted and completes`, async () => {
      await run();
      const snapshot = (await factSnapshot(w.store));
      if (where === 'fetch') standin.setFaults([{ kind: 'slow', delayMs: 20_000, path: '/tables/12134/data' }]);
      const child = spawn(process.execPath, [path.join(projectRoot(), 'dist', 'test', 'helpers', 'etl-child.js')], {
        env: { ...process.env, ...w.env, SSB_API_URL: standin.url, KLASS_API_URL: standin.klassUrl, FORCE: '1', STALL_IN_MERGE: where === 'merge' ? '1' : '' },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      const marker = where === 'fetch' ? 'FETCHING' : 'MERGING';
      await new Promise<void>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (c: Buffer) => { out += c.toString(); if (out.includes(marker)) resolve(); });
        child.on('exit', () => reject(new Error(`child exited before ${marker}: ${out}`)));
      });
      child.kill('SIGKILL');
      await new Promise((r) => child.on('exit', r));
      expect((await factSnapshot(w.store))).to.deep.equal(snapshot);
      expect(await valueOf(w.store, "SELECT COUNT(*) AS n FROM load WHERE status = 'running'")).to.equal(1);

      standin.setFaults([]);
      const next = await run({ force: true });
      expect(next.ok).to.equal(true);
      const interrupted = await rowsOf(w.store, "SELECT table_id, error FROM load WHERE status = 'interrupted'");
      expect(interrupted).to.have.length(1);
      expect(interrupted[0].error).to.match(/stopped before this finished/);
      expect((await factSnapshot(w.store))).to.deep.equal(snapshot);
    });
  }
});
