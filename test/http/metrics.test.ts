import { expect } from 'chai';
import { silentLogger } from '../../core/log';
import { Refresher, type RefreshEvent } from '../../etl';
import { defaultCuratedDir } from '../../etl/curated-inputs';
import { EdgeMetrics, MAX_OPERATION_NAMES } from '../../src/http/metrics';
import { startHarness, type Harness } from '../graphql/harness';
import { baseOf, extraServer, type ExtraServer } from './helpers';

/** One scrape: `name{labels}` → value. */
async function scrape(base: string): Promise<Map<string, number>> {
  const res = await fetch(`${base}/metrics`);
  expect(res.status).to.equal(200);
  expect(res.headers.get('content-type')).to.match(/^text\/plain; version=0\.0\.4/);
  const series = new Map<string, number>();
  for (const line of (await res.text()).split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    series.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return series;
}

const post = (base: string, query: string, operationName?: string) =>
  fetch(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, operationName }) }).then((r) => r.json() as Promise<any>);

describe('/metrics (Prometheus)', function () {
  this.timeout(60_000);
  let h: Harness;
  let refresher: Refresher;
  let api: ExtraServer;
  before(async () => {
    h = await startHarness();
    refresher = new Refresher(h.warehouse.store, silentLogger, { source: 'demo', ssbApiUrl: 'http://127.0.0.1:9/unused', klassApiUrl: 'http://127.0.0.1:9/unused', curatedDir: defaultCuratedDir() });
    api = await extraServer(h, { refresher });
  });
  after(async () => {
    await refresher?.stop();
    await api?.close();
    await h?.close();
  });

  it('serves process metrics with the default options', async () => {
    const m = await scrape(baseOf(h));
    expect(m.get('process_cpu_user_seconds_total')).to.be.a('number');
    expect([...m.keys()].some((k) => k.startsWith('nodejs_eventloop_lag'))).to.equal(true);
  });

  it('shows the requests waiting for their turn: none at rest, and what the queue holds when scraped', async () => {
    expect((await scrape(baseOf(h))).get('kostra_requests_waiting')).to.equal(0);
    let waiting = 3;
    const metrics = new EdgeMetrics({ warehouse: () => ({ version: 0, demo: false, tables: [] }), waiting: () => waiting, processMetrics: false });
    expect(await metrics.registry.metrics()).to.match(/^kostra_requests_waiting 3$/m);
    waiting = 0;
    expect(await metrics.registry.metrics()).to.match(/^kostra_requests_waiting 0$/m);
  });

  it('GraphQL latency by operation name moves with each request', async () => {
    const key = 'kostra_graphql_request_duration_seconds_count{operation="MetricsYears"}';
    const before = (await scrape(api.base)).get(key) ?? 0;
    await post(api.base, 'query MetricsYears { years }');
    await post(api.base, 'query MetricsYears { years }');
    await post(api.base, '{ years }');
    const after = await scrape(api.base);
    expect(after.get(key)).to.equal(before + 2);
    expect(after.get('kostra_graphql_request_duration_seconds_count{operation="anonymous"}')).to.be.at.least(1);
    expect(after.get('kostra_graphql_request_duration_seconds_sum{operation="MetricsYears"}')).to.be.greaterThan(0);
  });

  it('counts response-cache misses, hits and bypasses', async () => {
    const before = await scrape(api.base);
    const get = (m: Map<string, number>, result: string) => m.get(`kostra_response_cache_requests_total{result="${result}"}`) ?? 0;
    await post(api.base, '{ municipality(ref: "Asker") { key } }');
    await post(api.base, '{ municipality(ref: "Asker") { key } }');
    await post(api.base, '{ municipality(ref: "Asker") { key } }');
    await post(api.base, '{ warehouseStatus { version } }');
    const after = await scrape(api.base);
    expect(get(after, 'miss') - get(before, 'miss')).to.equal(1);
    expect(get(after, 'hit') - get(before, 'hit')).to.equal(2);
    expect(get(after, 'bypass') - get(before, 'bypass')).to.equal(1);
  });

  it('names beyond the first 100 operations count as "other"', async () => {
    const other = 'kostra_graphql_request_duration_seconds_count{operation="other"}';
    for (let i = 0; i < MAX_OPERATION_NAMES + 5; i++) await post(api.base, `query Op${i} { years }`);
    const m = await scrape(api.base);
    expect(m.get(other)).to.be.at.least(5);
    const named = [...m.keys()].filter((k) => k.startsWith('kostra_graphql_request_duration_seconds_count{'));
    expect(named.length).to.be.at.most(MAX_OPERATION_NAMES + 2); // + anonymous and other
  });

  it('shows the warehouse version, the demo flag and each table\'s data age', async () => {
    const m = await scrape(api.base);
    const status = (await post(api.base, '{ warehouseStatus { version demo sourceTables { id lastLoadedAt } } }')).data.warehouseStatus;
    expect(m.get('kostra_warehouse_version')).to.equal(status.version);
    expect(m.get('kostra_warehouse_demo')).to.equal(status.demo ? 1 : 0);
    for (const t of status.sourceTables) {
      const age = m.get(`kostra_source_table_age_seconds{table="${t.id}"}`);
      expect(age, t.id).to.be.a('number').and.at.least(0);
      // Not older than the time since it was loaded plus this scrape's own duration.
      expect(age!, t.id).to.be.at.most((Date.now() - Date.parse(t.lastLoadedAt)) / 1000 + 1);
    }
  });

  it('counts refresh runs by outcome and the rows they wrote, through the Refresher\'s observer', async () => {
    const before = await scrape(api.base);
    const events: RefreshEvent['kind'][] = [];
    const stop = refresher.observe((e) => events.push(e.kind));
    const start = await refresher.start({ reason: 'metrics test', force: true });
    expect(start.started).to.equal(true);
    const second = await refresher.start({ reason: 'metrics test, again' });
    expect(second).to.deep.equal({ started: false, reason: 'a refresh is already running in this process' });
    expect((await scrape(api.base)).get('kostra_refresh_running')).to.equal(1);
    const result = start.started ? await start.promise : null;
    stop();
    expect(events).to.deep.equal(['started', 'refused', 'finished']);
    const after = await scrape(api.base);
    const delta = (key: string) => (after.get(key) ?? 0) - (before.get(key) ?? 0);
    expect(delta('kostra_refresh_runs_total{outcome="succeeded"}')).to.equal(1);
    expect(delta('kostra_refresh_runs_total{outcome="refused"}')).to.equal(1);
    expect(after.get('kostra_refresh_running')).to.equal(0);
    for (const t of result!.tables) {
      expect(delta(`kostra_etl_rows_total{table="${t.tableId}",change="unchanged"}`), t.tableId).to.equal(t.unchanged);
      expect(t.unchanged, t.tableId).to.be.greaterThan(0);
    }
  });
});
