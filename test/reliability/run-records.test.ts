import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { defaultCuratedDir } from '../../etl/curated-inputs';
import { createDemoSource } from '../../etl/demo';
import { runEtl } from '../../etl/pipeline';
import { Refresher, type RefreshSettings } from '../../etl/refresher';
import { inProcessRunner, type SourcesFor } from '../../etl/refresh-runner';
import { createServer, type AppServer } from '../../src/server';
import { fastClients } from '../helpers/fast-clients';
import { postGraphql } from '../helpers/graphql-post';
import { recordingLogger } from '../helpers/recording-logger';
import { openTestWarehouse, type TestWarehouse } from '../helpers/warehouse';
import { startStandin, type Standin } from '../standin/server';

const TOKEN = 'run-records-test-token-0123';
const RUNS = '{ warehouseStatus { runs { id reason status error problems } } }';

interface Api {
  server: AppServer;
  refresher: Refresher;
  lines: { level: number; msg: string }[];
  gql(query: string): Promise<any>;
  /** refreshWarehouse through the API, then the run's record once it is finished. */
  refreshAndWait(): Promise<{ id: string; reason: string; status: string; error: string | null; problems: string[] }>;
}

async function api(w: TestWarehouse, settings: Partial<RefreshSettings>, sourcesFor?: SourcesFor): Promise<Api> {
  const { log, lines } = recordingLogger();
  const full: RefreshSettings = { source: 'live', ssbApiUrl: 'http://127.0.0.1:9/unused', klassApiUrl: 'http://127.0.0.1:9/unused', curatedDir: defaultCuratedDir(), ...settings };
  const refresher = new Refresher(w.store, log, full, inProcessRunner(w.store, log, full, sourcesFor));
  const server = await createServer({ store: w.store, log, refresher, adminToken: TOKEN });
  const port = await server.listen(0, '127.0.0.1');
  const gql = async (query: string): Promise<any> => (await postGraphql(`http://127.0.0.1:${port}/graphql`, query, undefined, { authorization: `Bearer ${TOKEN}` })).body;
  return {
    server, refresher, lines, gql,
    async refreshAndWait() {
      const before = new Set(((await gql(RUNS)).data.warehouseStatus.runs as { id: string }[]).map((r) => r.id));
      const answer = await gql('mutation { refreshWarehouse(force: true) { started message } }');
      expect(answer.data.refreshWarehouse.started, answer.data.refreshWarehouse.message).to.equal(true);
      while ((await gql('{ warehouseStatus { refreshRunning } }')).data.warehouseStatus.refreshRunning) await new Promise((r) => setTimeout(r, 50));
      const runs = (await gql(RUNS)).data.warehouseStatus.runs as Awaited<ReturnType<Api['refreshAndWait']>>[];
      const fresh = runs.filter((r) => !before.has(r.id));
      expect(fresh, 'exactly one new run record').to.have.length(1);
      expect(fresh[0].status).to.not.equal('RUNNING');
      expect(fresh[0].reason, 'the record says the API asked for it').to.equal('api');
      return fresh[0];
    },
  };
}

/** The run's cause is in the error log too, not only in the record. */
function expectErrorLogged(lines: { level: number; msg: string }[], cause: RegExp) {
  expect(lines.filter((l) => l.level >= 50).map((l) => l.msg).join('\n')).to.match(cause);
}

describe('every refresh leaves a run record with its cause (issue 9 item 7)', function () {
  this.timeout(60_000);
  let standin: Standin;
  let w: TestWarehouse;
  let app: Api | null;

  before(async () => { standin = await startStandin({ port: 0, rateLimit: { maxCalls: 100_000, windowMs: 60_000 } }); });
  after(async () => { await standin.close(); });
  beforeEach(async () => { w = await openTestWarehouse(); app = null; });
  afterEach(async () => {
    standin.setFaults([]);
    await app?.refresher.stop();
    await app?.server.stop();
    await w.close();
  });

  it('SSB unreachable: a failed run naming SSB and the network error', async () => {
    const closed = fastClients({ url: 'http://127.0.0.1:9/api/pxwebapi/v2', klassUrl: standin.klassUrl }, { maxRetries: 2 });
    app = await api(w, {}, () => closed);
    const run = await app.refreshAndWait();
    expect(run.status).to.equal('FAILED');
    expect(run.error).to.match(/^Gave up after 3 attempts: SSB did not answer GET \/config \(ECONNREFUSED/);
    expectErrorLogged(app.lines, /failed: Gave up after 3 attempts: SSB did not answer GET \/config/);
  });

  it('Klass failing: a failed run naming Klass', async () => {
    standin.setFaults([{ kind: 'status', status: 503, path: '/api/klass', times: Infinity }]);
    const clients = fastClients(standin, { maxRetries: 1 });
    app = await api(w, {}, () => clients);
    const run = await app.refreshAndWait();
    expect(run.status).to.equal('FAILED');
    expect(run.error).to.match(/SSB Klass answered 503/);
    expectErrorLogged(app.lines, /SSB Klass answered 503/);
  });

  it('the curated inputs failing: the run is partial, its error names the file', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kostra-curated-'));
    try {
      for (const f of fs.readdirSync(defaultCuratedDir())) fs.copyFileSync(path.join(defaultCuratedDir(), f), path.join(dir, f));
      fs.writeFileSync(path.join(dir, 'need-index.csv'), 'kommune;år;verdi\n0301;2024;1.0\n');
      const clients = fastClients(standin);
      app = await api(w, { curatedDir: dir }, () => clients);
      const run = await app.refreshAndWait();
      expect(run.status).to.equal('PARTIAL');
      expect(run.error).to.match(/^need-index\.csv is invalid:\n {2}- header must have municipality_key,year,sector,value/);
      expectErrorLogged(app.lines, /need-index\.csv is invalid/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the disk full on an empty database: the failed run says so', async function () {
    if (w.engine !== 'sqlite') this.skip(); // a full disk is simulated with SQLite's page limit
    // SQLite's page limit is a full disk as SQLite sees it: no page more for this connection.
    const pages = (w.db.pragma('page_count', { simple: true }) as number);
    w.db.pragma(`max_page_count = ${pages + 2}`);
    const demo = createDemoSource();
    app = await api(w, { source: 'demo' }, () => ({ source: demo, history: demo }));
    const run = await app.refreshAndWait();
    expect(run.status).to.equal('FAILED');
    expect([run.error, ...run.problems].join('\n')).to.match(/database or disk is full/);
    expectErrorLogged(app.lines, /database or disk is full/);
  });

  it('a database that refuses every write, before any table: the record is kept and shown, then written once it can be', async function () {
    if (w.engine !== 'sqlite') this.skip(); // refusing writes is simulated with SQLite's query_only
    const closed = fastClients({ url: 'http://127.0.0.1:9/api/pxwebapi/v2', klassUrl: standin.klassUrl }, { maxRetries: 0 });
    app = await api(w, {}, () => closed);
    w.db.pragma('query_only = ON');
    const run = await app.refreshAndWait();
    expect(run.status).to.equal('FAILED');
    expect(run.error).to.match(/attempt to write a readonly database/);
    expect(run.problems.at(-1)).to.match(/^this record could not be written to the database: attempt to write a readonly database/);
    expectErrorLogged(app.lines, /attempt to write a readonly database/);
    expect(w.db.prepare('SELECT COUNT(*) AS n FROM etl_run').get()).to.deep.equal({ n: 0 });

    w.db.pragma('query_only = OFF');
    await app.refreshAndWait();
    const stored = w.db.prepare('SELECT status, error FROM etl_run WHERE id = ?').get(run.id) as { status: string; error: string };
    expect(stored.status).to.equal('failed');
    expect(stored.error).to.match(/attempt to write a readonly database/);
  });

  it('the first load failing before any table (SSB answers 404 for /config): a failed run with the answer', async () => {
    const server = http.createServer((_req, res) => { res.writeHead(404, { 'content-type': 'text/plain' }).end('no such API here'); });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    try {
      const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/api/pxwebapi/v2`;
      app = await api(w, { ssbApiUrl: url });
      const start = await app.refresher.start({ reason: 'first start', firstLoad: true });
      expect(start.started).to.equal(true);
      await (start.started && start.promise.catch(() => undefined));
      const runs = (await app.gql(RUNS)).data.warehouseStatus.runs;
      expect(runs).to.have.length(1);
      expect(runs[0]).to.include({ reason: 'first start', status: 'FAILED' });
      expect(runs[0].error).to.match(/^SSB answered 404 "no such API here" for GET \/config/);
      expectErrorLogged(app.lines, /SSB answered 404/);
    } finally {
      server.close();
    }
  });

  it('a run of the CLI that fails is recorded too (runEtl writes its own record)', async () => {
    const clients = fastClients({ url: 'http://127.0.0.1:9/api/pxwebapi/v2', klassUrl: standin.klassUrl }, { maxRetries: 0 });
    const result = await runEtl({ store: w.store, ...clients });
    expect(result.status).to.equal('failed');
    expect(await w.store.all({ reason: 'string', status: 'string', error: 'string?' }, 'SELECT reason, status, error FROM etl_run')).to.deep.equal([{ reason: 'cli', status: 'failed', error: result.error }]);
  });
});
