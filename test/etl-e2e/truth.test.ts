/**
 * Right on first contact with a PxWebApi 2 server laid out as SSB documents its tables (and as it was once believed
 * to be): the catalogue resolves every concept from its candidate tables, the run loads and reconciles with SSB's own
 * published figures, and what cannot be found is reported while the rest loads.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { expect } from 'chai';
import { loadCatalogue } from '../../core/source-catalogue';
import { shippedMetrics, type MetricDefinition } from '../../core/metrics';
import { projectRoot } from '../../core/paths';
import { silentLogger } from '../../core/log';
import { resolveCatalogue, runEtl, type EtlRunResult } from '../../etl/pipeline';
import { reconcile } from '../../etl/reconcile';
import type { JsonStat2Dataset } from '../../etl/pxweb/types';
import type { StatSource } from '../../etl/stat-source';
import { createServer } from '../../src/server';
import { fastClients } from '../helpers/fast-clients';
import { openTestWarehouse, rowsOf, valueOf, type TestWarehouse } from '../helpers/warehouse';
import { startStandin, type Standin } from '../standin/server';

const RATIOS = ['resultatgrad', 'frie_inntekter_pct_bdi', 'skatteinntekter_pct_bdi', 'netto_finansutgifter_pct_bdi', 'netto_avdrag_pct_bdi',
  'brutto_investeringsutgifter_pct_bdi', 'netto_lanegjeld_pct_bdi', 'disposisjonsfond_pct_bdi'];

/** A source whose answers pass through `edit` (metadata and data of one table), like a server that changed. */
function edited(source: StatSource, tableId: string, edit: (ds: JsonStat2Dataset) => JsonStat2Dataset): StatSource {
  return {
    kind: source.kind, config: () => source.config(), table: (id) => source.table(id), stats: () => source.stats(),
    metadata: async (id) => (id === tableId ? edit(await source.metadata(id)) : source.metadata(id)),
    data: (id, body) => source.data(id, body),
  };
}

/** The dataset without one category of one variable (index, labels and size adjusted). */
function without(ds: JsonStat2Dataset, variable: string, code: string): JsonStat2Dataset {
  const copy = JSON.parse(JSON.stringify(ds)) as JsonStat2Dataset;
  const cat = copy.dimension[variable].category;
  const index = cat.index as Record<string, number>;
  const codes = Object.keys(index).filter((c) => c !== code).sort((a, b) => index[a] - index[b]);
  cat.index = Object.fromEntries(codes.map((c, i) => [c, i]));
  if (cat.label) delete cat.label[code];
  copy.size[copy.id.indexOf(variable)] = codes.length;
  return copy;
}

async function eightRatios(w: TestWarehouse): Promise<(number | null)[][]> {
  const server = await createServer({ store: w.store, log: silentLogger });
  try {
    const port = await server.listen(0, '127.0.0.1');
    const query = `{ ${RATIOS.map((m) => `${m}: metricSeries(metric: "${m}", subjects: [{ municipality: "Bærum" }], years: { from: 2020, to: 2024 }) { series { points { value reason } } }`).join('\n')} }`;
    const res = await fetch(`http://127.0.0.1:${port}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
    const body = (await res.json()) as { data: Record<string, { series: { points: { value: number | null }[] }[] }> };
    return RATIOS.map((m) => body.data[m].series[0].points.map((p) => p.value));
  } finally {
    await server.stop();
  }
}

describe('right on first contact with SSB: candidate sources, partial loads and reconciliation', function () {
  this.timeout(120_000);
  let standin: Standin;
  let w: TestWarehouse;
  afterEach(async () => {
    await standin?.close();
    await w?.close();
  });

  for (const layout of ['documented', 'legacy'] as const) {
    it(`against the ${layout} table layout: npm run etl -- --check resolves every indicator, the load exits 0 and Bærum's eight ratio series 2020–2024 are complete`, async () => {
      standin = await startStandin({ port: 0, layout, rateLimit: { maxCalls: 100_000, windowMs: 60_000 } });
      w = await openTestWarehouse();
      const check = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
        const child = spawn(process.execPath, [path.join(projectRoot(), 'dist', 'etl', 'cli.js'), '--check'], {
          env: { ...process.env, ...w.env, SSB_API_URL: standin.url, KLASS_API_URL: standin.klassUrl, LOG_LEVEL: 'silent' },
        });
        let stdout = '';
        child.stdout.on('data', (c: Buffer) => { stdout += c.toString(); });
        child.on('exit', (code) => resolve({ code, stdout }));
      });
      expect(check.code, check.stdout).to.equal(0);
      const total = loadCatalogue().catalogue.indicators.length;
      const optionalMissing = layout === 'legacy' ? 2 : 0; // 12143's shares of BDI: only reconciliation needs them
      expect(check.stdout).to.contain(`${total - optionalMissing} of ${total} indicators resolved; nothing was written.`);
      expect(check.stdout).to.match(/^disposisjonsfond\s+(12364|12137)\s+56\s+KOSbelop0000\s+Disposisjonsfond/m);
      // the service volumes of the efficiency analysis, each with how sure its code is
      const volumes = loadCatalogue().catalogue.indicators.filter((i) => ['11977', '12562', '11996', '12219', '12275', '12292'].includes(i.sources[0].table));
      expect(volumes).to.have.length(7);
      for (const ind of volumes) {
        const [c] = ind.sources;
        expect(check.stdout, ind.key).to.match(new RegExp(`^${ind.key}\\s+${c.table}\\s+${c.content}\\s+.+\\s${c.certainty}\\s*$`, 'm'));
      }
      expect(standin.requests.filter((r) => r.path.endsWith('/data')), '--check requests no data').to.have.length(0);

      const result = await runEtl({ store: w.store, ...fastClients(standin) });
      expect(result.ok, JSON.stringify(result.problems)).to.equal(true);
      for (const series of await eightRatios(w)) expect(series.every((v) => typeof v === 'number'), JSON.stringify(series)).to.equal(true);
      const chosen = await valueOf(w.store, "SELECT table_id FROM indicator_source WHERE key = 'disposisjonsfond'");
      expect(chosen).to.equal(layout === 'documented' ? '12364' : '12137');
    });
  }

  it('reconciles ≥ 99.9 % of SSB\'s published figures on the stand-in, and a deliberately wrong population date (1 January of the same year) falls visibly', async () => {
    standin = await startStandin({ port: 0, rateLimit: { maxCalls: 100_000, windowMs: 60_000 } });
    w = await openTestWarehouse();
    const clients = fastClients(standin);
    const result = await runEtl({ store: w.store, ...clients });
    expect(result.ok).to.equal(true);
    const checks = result.reconciliation ?? [];
    expect(checks.map((r) => r.metric)).to.include.members(['resultatgrad', 'frie_inntekter_per_innbygger', 'netto_driftsutgifter_per_innbygger', 'bdi_per_innbygger']);
    for (const r of checks) {
      expect(r.checked, r.metric).to.be.greaterThan(500);
      expect(r.agreed / r.checked, `${r.metric}: ${JSON.stringify(r.worst.slice(0, 3))}`).to.be.at.least(0.999);
    }
    const stored = await rowsOf(w.store, 'SELECT metric, checked, agreed FROM reconciliation WHERE run_id = ?', [result.runId]);
    expect(stored).to.have.length(checks.length);

    const changes = await clients.history.changes('2014-01-01', '2026-01-01');
    const wrong: MetricDefinition[] = shippedMetrics().map((d) => (d.formula.kind === 'perInhabitant' ? { ...d, formula: { ...d.formula, populationAt: 'startOfYear' as const } } : d));
    const fallen = await reconcile(w.store, { changes, metrics: wrong });
    for (const r of fallen.filter((x) => wrong.find((d) => d.id === x.metric)?.formula.kind === 'perInhabitant')) {
      expect(r.agreed / r.checked, r.metric).to.be.below(0.5);
    }
    expect(fallen.find((r) => r.metric === 'resultatgrad')?.agreed, 'ratios of BDI do not depend on the population').to.equal(checks.find((r) => r.metric === 'resultatgrad')?.agreed);
  });

  it('a service volume SSB does not have under its assumed code is reported, its efficiency is null with the reason, and the run still succeeds (optional)', async () => {
    standin = await startStandin({ port: 0, rateLimit: { maxCalls: 100_000, windowMs: 60_000 } });
    w = await openTestWarehouse();
    const clients = fastClients(standin);
    const source = edited(clients.source, '12219', (ds) => without(ds, 'ContentsCode', 'KOSsosialhjmott0000'));
    const result = await runEtl({ store: w.store, source, history: clients.history });
    expect(result.problems.some((p) => /^indicator sosialhjelpsmottakere \(.*\) was found in no candidate table \(optional: the run goes on without it/.test(p)), result.problems.join('\n')).to.equal(true);
    expect(result.ok, result.problems.join('\n')).to.equal(true);
    expect(await valueOf(w.store, 'SELECT status FROM etl_run WHERE id = ?', [result.runId])).to.equal('succeeded');

    const server = await createServer({ store: w.store, log: silentLogger });
    try {
      const port = await server.listen(0, '127.0.0.1');
      const res = await fetch(`http://127.0.0.1:${port}/graphql`, {
        method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: `{ efficiencyTable(subject: { municipality: "Bærum" }, reference: { peerGroup: "asss-u-oslo" }, years: { list: [2024] }) {
          services { grouping { id } points { efficiency reason } } } }` }),
      });
      const body = (await res.json()) as { data: { efficiencyTable: { services: { grouping: { id: string }; points: { efficiency: number | null; reason: string | null }[] }[] } } };
      const services = body.data.efficiencyTable.services;
      const social = services.filter((x) => x.points[0].efficiency === null);
      expect(social.length, JSON.stringify(services)).to.equal(1);
      expect(social[0].points[0].reason).to.match(/sosialhjelpsmottakere/);
      expect(services.filter((x) => x.points[0].efficiency !== null)).to.have.length(services.length - 1);
    } finally {
      await server.stop();
    }
  });

  it('an indicator found in no candidate table is reported with the closest labels; the rest loads; metrics that need it say why they are null', async () => {
    standin = await startStandin({ port: 0, rateLimit: { maxCalls: 100_000, windowMs: 60_000 } });
    w = await openTestWarehouse();
    const clients = fastClients(standin);
    const source = edited(clients.source, '12364', (ds) => without(ds, 'KOKartkap0000', '56'));
    const result = await runEtl({ store: w.store, source, history: clients.history });
    expect(result.ok).to.equal(false);
    expect(result.problems[0]).to.match(/^indicator disposisjonsfond \(Disposisjonsfond\) was found in no candidate table: table 12364: KOKartkap0000 code 56 \(Disposisjonsfond\) is not in the metadata; closest: .*; table 12137: KOKartkap0000 code 56/);
    expect(result.tables.every((t) => t.status === 'succeeded'), JSON.stringify(result.tables.map((t) => [t.tableId, t.status]))).to.equal(true);
    expect(await valueOf(w.store, 'SELECT status FROM etl_run WHERE id = ?', [result.runId])).to.equal('partial');

    const server = await createServer({ store: w.store, log: silentLogger });
    try {
      const port = await server.listen(0, '127.0.0.1');
      const res = await fetch(`http://127.0.0.1:${port}/graphql`, {
        method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: `{ warehouseStatus { problems runs { status } indicatorSources { key status passedOver } }
          fond: metricSeries(metric: "disposisjonsfond_pct_bdi", subjects: [{ municipality: "Bærum" }], years: { list: [2024] }) { series { points { value reason } } }
          result: metricSeries(metric: "resultatgrad", subjects: [{ municipality: "Bærum" }], years: { list: [2024] }) { series { points { value } } } }` }),
      });
      const body = (await res.json()) as { data: any };
      expect(body.data.warehouseStatus.problems[0]).to.equal(result.problems[0]);
      expect(body.data.warehouseStatus.runs[0].status).to.equal('PARTIAL');
      const fond = body.data.warehouseStatus.indicatorSources.find((s: { key: string }) => s.key === 'disposisjonsfond');
      expect(fond.status).to.equal('missing');
      expect(fond.passedOver).to.have.length(2);
      const point = body.data.fond.series[0].points[0];
      expect(point.value).to.equal(null);
      expect(point.reason).to.match(/^disposisjonsfond_pct_bdi cannot be computed: disposisjonsfond \(Disposisjonsfond\) is not in the warehouse: the last run found it in no candidate SSB table/);
      expect(body.data.result.series[0].points[0].value, 'metrics that do not need it are unaffected').to.be.a('number');
    } finally {
      await server.stop();
    }
  });

  it('a table is skipped only when SSB\'s `updated` and the selection are unchanged: a changed selection reloads it', async () => {
    standin = await startStandin({ port: 0, rateLimit: { maxCalls: 100_000, windowMs: 60_000 } });
    w = await openTestWarehouse();
    const run = (): Promise<EtlRunResult> => runEtl({ store: w.store, ...fastClients(standin) });
    await run();
    // what the catalogue asks of 12134 changes: a new indicator, another code list
    const { catalogue, serviceAreas } = loadCatalogue();
    const source = fastClients(standin).source;
    const full = await resolveCatalogue(source, { catalogue, serviceAreas, maxCells: 800_000 });
    const fewer = await resolveCatalogue(source, { catalogue: { ...catalogue, indicators: catalogue.indicators.filter((i) => i.key !== 'disposisjonsfond_pct_bdi_ssb') }, serviceAreas, maxCells: 800_000 });
    const hash = (c: typeof full) => { const t = c.tables.get('12134'); return t?.kind === 'prepared' ? t.selectionHash : null; };
    expect(hash(fewer)).to.be.a('string').and.not.equal(hash(full));
    await w.store.run("UPDATE load SET selection_hash = ? WHERE id = (SELECT last_load_id FROM source_table WHERE id = '12134')", [hash(fewer)]);
    const second = await run();
    const status = Object.fromEntries(second.tables.map((t) => [t.tableId, t.status]));
    expect(status['12134']).to.equal('succeeded');
    expect(status['12137']).to.equal('skipped');
  });

  it('facts SSB no longer publishes are removed by the next load and counted; other tables keep theirs', async () => {
    standin = await startStandin({ port: 0, rateLimit: { maxCalls: 100_000, windowMs: 60_000 } });
    w = await openTestWarehouse();
    const clients = fastClients(standin);
    await runEtl({ store: w.store, ...clients });
    const count = async (table: string, year: number) => await valueOf(w.store, `SELECT COUNT(*) AS n FROM fact f JOIN indicator i ON i.id = f.indicator_id
      WHERE i.table_id = ? AND f.year = ?`, [table, year]) as number;
    const before = await count('12134', 2015);
    expect(before).to.be.greaterThan(0);
    const source = edited(clients.source, '12134', (ds) => without(without(ds, 'Tid', '2015'), 'KOKkommuneregion0000', '0219'));
    const result = await runEtl({ store: w.store, source, history: clients.history, force: true });
    const t = result.tables.find((x) => x.tableId === '12134')!;
    expect(t.status).to.equal('succeeded');
    const gone = await valueOf(w.store, `SELECT COUNT(*) AS n FROM fact f JOIN indicator i ON i.id = f.indicator_id WHERE i.table_id = '12134' AND (f.year = 2015 OR f.region_code = '0219')`);
    expect(gone).to.equal(0);
    expect(t.removed).to.be.at.least(before);
    expect(await valueOf(w.store, 'SELECT removed FROM load WHERE id = ?', [t.loadId])).to.equal(t.removed);
    expect(await count('12137', 2015), 'another table\'s 2015 facts stay').to.be.greaterThan(0);
  });
});
