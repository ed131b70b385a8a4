import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { startStandin } from '../standin/server';
import { closedPort, gql, start, waitFor } from './main-process';

describe('npm start (the real server as a child process)', function () {
  this.timeout(120_000);
  let dir: string;
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kostra-start-')); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('with SSB unreachable and a fresh database: says so, loads the demo data, is ready, labels responses, stops on SIGTERM', async () => {
    const port = await closedPort();
    const run = start({ DATABASE_PATH: path.join(dir, 'w.sqlite'), SSB_API_URL: `http://127.0.0.1:${port}/api/pxwebapi/v2`, KLASS_API_URL: `http://127.0.0.1:${port}/api/klass/v1` });
    try {
      run.port = await waitFor('the listening port', () => run.logs.find((l) => l.port)?.port);
      await waitFor('ready', () => (run.logs.some((l) => l.msg === 'ready') ? true : undefined));
      const warning = run.logs.find((l) => typeof l.msg === 'string' && l.msg.includes('cannot be reached'));
      expect(warning?.msg).to.match(/^SSB's statistics API at .* cannot be reached from this machine, so the bundled synthetic demo data is loaded instead/);
      const ready = await fetch(`http://127.0.0.1:${run.port}/readyz`);
      expect(ready.status).to.equal(200);
      expect(await ready.json()).to.include({ status: 'ready', demo: true });
      const res = await gql(run.port, '{ metricSeries(metric: "resultatgrad", subjects: [{ municipality: "Bærum" }], years: { from: 2020, to: 2024 }) { series { points { value } } } warehouseStatus { demo notice } }');
      expect(res.extensions.warehouse.demo).to.equal(true);
      expect(res.extensions.warehouse.notice).to.match(/^Synthetic demo data/);
      expect(res.data.warehouseStatus.demo).to.equal(true);
      expect(res.data.metricSeries.series[0].points.map((p: any) => Number(p.value.toFixed(1)))).to.deep.equal([6.0, 7.3, 3.4, 3.7, 2.3]);
      run.child.kill('SIGTERM');
      expect(await run.exited).to.equal(0);
      expect(run.logs.some((l) => l.msg === 'stopped cleanly')).to.equal(true);
    } finally {
      run.child.kill('SIGKILL');
    }
  });

  it('with the stand-in as the live SSB: loads live data and no demo label remains', async () => {
    // the catalogue reads every financial concept from 12137, as in the legacy layout
    const standin = await startStandin({ port: 0, rateLimit: { maxCalls: 10_000, windowMs: 60_000 } });
    // SSB_CALLS_PER_MINUTE: at SSB's 30 the twelve tables would wait a minute for the rate-limit window
    const run = start({ DATABASE_PATH: path.join(dir, 'w.sqlite'), SSB_API_URL: standin.url, KLASS_API_URL: standin.klassUrl, SSB_CALLS_PER_MINUTE: '1000' });
    try {
      run.port = await waitFor('the listening port', () => run.logs.find((l) => l.port)?.port);
      await waitFor('ready', () => (run.logs.some((l) => l.msg === 'ready') ? true : undefined), 180_000);
      const res = await gql(run.port, '{ warehouseStatus { demo notice sourceTables { id source } } }');
      expect(res.extensions.warehouse.demo).to.equal(false);
      expect(res.extensions.warehouse.notice).to.equal(undefined);
      expect(res.data.warehouseStatus.sourceTables.map((t: any) => t.source)).to.deep.equal(Array(12).fill('LIVE'));
      run.child.kill('SIGTERM');
      expect(await run.exited).to.equal(0);
    } finally {
      run.child.kill('SIGKILL');
      await standin.close();
    }
  });

  for (const [variable, value, expected] of [
    ['PORT', 'eighty', 'PORT "eighty" must be a whole number from 0 to 65535'],
    ['ETL_CRON', '61 25 * * *', 'ETL_CRON "61 25 * * *" is not a valid cron expression'],
    ['SSB_API_URL', 'ftp://example', 'SSB_API_URL "ftp://example" must be an http(s) URL'],
    ['DATABASE_PATH', '/no/such/folder/w.sqlite', 'DATABASE_PATH "/no/such/folder/w.sqlite" is in a folder that does not exist (/no/such/folder)'],
    ['DATABASE_URL', 'mysql://db/kostra', 'DATABASE_URL "mysql://db/kostra" must start with postgres:// or postgresql://'],
    ['DATABASE_URL', 'postgres://db.example:5432', 'DATABASE_URL "postgres://db.example:5432" names no database'],
    ['LOG_LEVEL', 'verbose', 'LOG_LEVEL "verbose" must be one of trace, debug, info, warn, error, fatal, silent'],
  ] as const) {
    it(`bad configuration (${variable}) exits non-zero naming the variable, the value and what is allowed`, async () => {
      const run = start({ DATABASE_PATH: path.join(dir, 'w.sqlite'), [variable]: value });
      expect(await run.exited).to.equal(2);
      const stderr = run.logs.filter((l) => l.stderr).map((l) => l.stderr).join('');
      expect(stderr).to.contain(expected);
    });
  }
});
