import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { expect } from 'chai';
import { projectRoot } from '../../core/paths';
import { createDemoSource } from '../../etl/demo';
import { runEtl } from '../../etl/pipeline';
import { postgresAdminUrl } from '../helpers/engines';
import { postGraphql } from '../helpers/graphql-post';
import { openTestWarehouse, valueOf, type TestWarehouse } from '../helpers/warehouse';

const SECONDS = Number(process.env.RELIABILITY_SECONDS ?? 20);
const CLIENTS = 20;
const TOKEN = 'replica-test-admin-token-0123';

/** Starts an entry point of dist/ and resolves with it and the first stdout line `pick` accepts. */
function start(script: string, env: Record<string, string>, pick: (line: string) => string | undefined): Promise<{ child: ChildProcess; value: string }> {
  const child = spawn(process.execPath, [path.join(projectRoot(), 'dist', script)], {
    env: { ...process.env, ...env, LOG_FORMAT: 'json', LOG_LEVEL: 'info', HOST: '127.0.0.1', PORT: '0', ADMIN_TOKEN: TOKEN, KOSTRA_SOURCE: 'demo' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      for (const line of out.split('\n')) {
        const value = pick(line);
        if (value !== undefined) { resolve({ child, value }); return; }
      }
    });
    child.on('exit', (code) => reject(new Error(`${script} exited (${code}) before it was up: ${out.slice(-2000)}`)));
  });
}

/**
 * The scaled-out topology on PostgreSQL: two `npm run serve` replicas and one `npm run worker`. A refresh asked of
 * both replicas at once runs once; reloads asked through either replica while 20 clients read from both leave every
 * answer computed from exactly one warehouse version, and no client sees an error.
 */
describe('two API replicas and a worker on one PostgreSQL', function () {
  this.timeout((SECONDS + 120) * 1000);
  let w: TestWarehouse;
  const children: ChildProcess[] = [];
  let urls: string[] = [];

  before(async function () {
    if (!(await postgresAdminUrl())) this.skip();
    w = await openTestWarehouse('postgres');
    const demo = createDemoSource();
    expect((await runEtl({ store: w.store, source: demo, history: demo })).ok).to.equal(true);
    const worker = await start('etl/worker.js', w.env, (l) => (l.includes('nightly ETL scheduled') ? 'ok' : undefined));
    children.push(worker.child);
    const replicas = await Promise.all([0, 1].map(() => start('src/serve.js', w.env, (l) => /"port":(\d+)/.exec(l)?.[1])));
    children.push(...replicas.map((r) => r.child));
    urls = replicas.map((r) => `http://127.0.0.1:${r.value}/graphql`);
  });
  after(async () => {
    for (const child of children) child.kill('SIGTERM');
    await Promise.all(children.filter((c) => c.exitCode === null).map((c) => new Promise((r) => c.on('exit', r))));
    await w?.close();
  });

  const gql = (url: string, query: string, admin = false) => postGraphql<any>(url, query, undefined, admin ? { authorization: `Bearer ${TOKEN}` } : {});
  const refresh = (url: string) => gql(url, 'mutation { refreshWarehouse(force: true) { started message } }', true);
  const settled = async () => {
    for (;;) {
      if (Number(await valueOf(w.store, "SELECT COUNT(*) AS n FROM refresh_request WHERE status IN ('pending', 'running')")) === 0) return;
      await new Promise((r) => setTimeout(r, 200));
    }
  };
  const runs = async () => Number(await valueOf(w.store, "SELECT COUNT(*) AS n FROM etl_run WHERE reason LIKE 'api%'"));

  it('a refresh asked of both replicas at once runs once, in the worker', async () => {
    const before = await runs();
    const answers = await Promise.all(urls.map((url) => refresh(url)));
    for (const a of answers) expect(a.body.errors, JSON.stringify(a.body)).to.equal(undefined);
    expect(answers.map((a) => a.body.data.refreshWarehouse.started).sort()).to.deep.equal([false, true]);
    await settled();
    expect(await runs()).to.equal(before + 1);
    expect(await valueOf(w.store, "SELECT status FROM etl_run WHERE reason LIKE 'api%' ORDER BY started_at DESC LIMIT 1")).to.equal('succeeded');
  });

  it(`${CLIENTS} clients reading from both replicas while refreshes asked through either reload: zero errors, one version per answer`, async () => {
    const query = '{ metricSeries(metric: "resultatgrad_ssb", subjects: [{ municipality: "Bærum" }], years: { list: [2024] }) { series { points { value } } } warehouseStatus(loads: 1) { version } }';
    const problems: string[] = [];
    const versions = new Set<number>();
    const values = new Set<number>();
    let responses = 0;
    // Bounded by work, not by the clock: at least two reloads, through each replica, however slow the machine; for
    // SECONDS when they are quicker than that. The clients read until the last reload has settled.
    const until = Date.now() + SECONDS * 1000;
    let reloading = true;
    const reloads = (async () => {
      let n = 0;
      while (n < 2 || Date.now() < until - 2000) {
        const res = await refresh(urls[n++ % 2]);
        if (res.body.errors) problems.push(`refresh: ${JSON.stringify(res.body.errors)}`);
        await settled();
      }
      reloading = false;
      return n;
    })();
    await Promise.all(Array.from({ length: CLIENTS }, async (_, client) => {
      while (reloading || Date.now() < until) {
        const res = await gql(urls[client % 2], query);
        responses++;
        if (res.status !== 200 || res.body.errors) { problems.push(JSON.stringify(res.body.errors ?? res.status)); continue; }
        const version = res.body.extensions?.warehouse.version as number;
        if (res.body.data.warehouseStatus.version !== version) problems.push(`data from version ${res.body.data.warehouseStatus.version} in an answer labelled ${version}`);
        versions.add(version);
        values.add(res.body.data.metricSeries.series[0].points[0].value as number);
      }
    }));
    await reloads;
    expect(problems.slice(0, 5)).to.deep.equal([]);
    expect(versions.size, 'versions the readers saw').to.be.at.least(2);
    expect([...values], 'the forced reloads rewrite the same demo figures').to.deep.equal([2.3]);
    expect(responses).to.be.greaterThan(CLIENTS * 5);
  });
});
