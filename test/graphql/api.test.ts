import fs from 'node:fs';
import { expect } from 'chai';
import { WarehouseReader } from '../../src/warehouse/reader';
import { printAppSchema } from '../../src/schema/print-schema';
import { SCHEMA_FILE } from '../../src/schema/build-schema';
import os from 'node:os';
import path from 'node:path';
import { defaultCuratedDir, loadCuratedInputs } from '../../etl/curated-inputs';
import { ADMIN_TOKEN, example, startHarness, type Harness } from './harness';

describe('GraphQL API', function () {
  this.timeout(60_000);
  let h: Harness;
  before(async () => { h = await startHarness(); });
  after(async () => { await h?.close(); });

  describe('schema', () => {
    it('schema/schema.graphql is the SDL generated from the code (run `npm run schema` after changing a type)', async () => {
      expect(fs.readFileSync(SCHEMA_FILE(), 'utf8')).to.equal(await printAppSchema());
    });
  });

  describe('dimensions', () => {
    it('finds Bærum by any of its codes and lists them with their years', async () => {
      for (const ref of ['0219', '3024', '3201', 'bærum']) {
        const res = await h.gql('query($r: String!) { municipality(ref: $r) { key name codes { code validFrom validTo } } }', { r: ref });
        expect(res.body.errors, ref).to.equal(undefined);
        expect(res.body.data!.municipality.key).to.equal('3201');
        expect(res.body.data!.municipality.codes.map((c: any) => c.code)).to.deep.equal(['0219', '3024', '3201']);
      }
    });

    it('lists the ASSS u/Oslo peer group with its 11 members', async () => {
      const res = await h.gql('{ peerGroup(ref: "ASSS u/Oslo") { id members { municipality { name } } } }');
      expect(res.body.data!.peerGroup.members).to.have.length(11);
    });
  });

  describe('bad input', () => {
    it('a misspelt municipality is BAD_USER_INPUT naming the value and the closest match', async () => {
      const res = await h.gql('{ metricSeries(metric: "resultatgrad", subjects: [{ municipality: "Bærumm" }], years: { list: [2024] }) { years } }');
      expect(res.body.errors![0].extensions!.code).to.equal('BAD_USER_INPUT');
      expect(res.body.errors![0].message).to.contain('unknown municipality "Bærumm"; did you mean "Bærum"');
    });

    it('a misspelt metric suggests the right one', async () => {
      const res = await h.gql('{ metric(id: "resultgrad") { id } }');
      expect(res.body.errors![0].extensions!.code).to.equal('BAD_USER_INPUT');
      expect(res.body.errors![0].message).to.contain('did you mean "resultatgrad"');
    });

    it('a year that is not loaded names the loaded range', async () => {
      const years = (await h.gql('{ years }')).body.data!.years as number[];
      const res = await h.gql('{ metricSeries(metric: "resultatgrad", subjects: [{ municipality: "Bærum" }], years: { list: [1999] }) { years } }');
      expect(res.body.errors![0].message).to.equal(`years: 1999 is not loaded; loaded years are ${years[0]}–${years[years.length - 1]}`);
    });

    it('a page size over the cap is refused with the cap', async () => {
      const res = await h.gql('{ facts(first: 5000) { totalCount } }');
      expect(res.body.errors![0].message).to.equal('first must be between 1 and 1000, but got: 5000');
    });

    it('the standard introspection query (the explorer\'s docs) is allowed; deeper nesting is refused before it runs', async () => {
      const { getIntrospectionQuery } = await import('graphql');
      expect((await h.gql(getIntrospectionQuery({ descriptions: true, inputValueDeprecation: true }))).body.errors).to.equal(undefined);
      const nested = `{ __schema { types { ${'fields { type { '.repeat(10)}name${' } }'.repeat(10)} } } }`;
      const res = await h.gql(nested);
      // graphql-js's own introspection rule refuses it during validation, before the operation limits run
      expect(res.body.errors![0].message).to.equal('Maximum introspection depth exceeded');
      expect(res.status).to.equal(400);
    });

    it('an alias bomb is refused', async () => {
      const res = await h.gql(`{ ${Array.from({ length: 150 }, (_, i) => `a${i}: years`).join(' ')} }`);
      expect(res.body.errors![0].message).to.equal('query uses 150 aliases; at most 100 are allowed');
    });
  });

  describe('values', () => {
    it('a metric without data returns null with the reason, never 0', async () => {
      // Bærum's 2020–2023 code 3024 holds no 2015 figures; 0219 does, so the series is whole; a region code on its own is not.
      const res = await h.gql('{ metricSeries(metric: "resultatgrad", subjects: [{ region: "3024" }], years: { list: [2015] }) { series { points { value reason } } } }');
      expect(res.body.errors).to.equal(undefined);
      const point = res.body.data!.metricSeries.series[0].points[0];
      expect(point.value).to.equal(null);
      expect(point.reason).to.be.a('string').and.match(/no value for (netto_driftsresultat|bdi)/);
    });

    it('per-inhabitant figures work for the country too (07459 calls it "0", stored as EAK)', async () => {
      const res = await h.gql('{ metricSeries(metric: "netto_driftsutgifter_per_innbygger", serviceArea: "FGK7", subjects: [{ region: "EAK" }, { municipality: "Bærum" }], years: { list: [2024] }) { series { points { value reason } } } }');
      expect(res.body.errors).to.equal(undefined);
      for (const s of res.body.data!.metricSeries.series) expect(s.points[0].value, s.points[0].reason).to.be.a('number').and.greaterThan(1000);
    });

    it('a merged municipality before its merger adds up its old codes\' amounts (Asker 2019 = Asker + Røyken + Hurum) and recomputes the ratio from them', async () => {
      const sums = new Map<string, number>();
      for (const key of ['bdi', 'frie_inntekter']) {
        sums.set(key, (await h.warehouse.store.get({ s: 'number' }, `SELECT SUM(f.value) AS s FROM fact f JOIN indicator i ON i.id = f.indicator_id
          WHERE i.key = ? AND f.year = 2019 AND f.region_code IN ('0220', '0627', '0628')`, [key]))!.s);
      }
      const sum = (key: string) => sums.get(key)!;
      const res = await h.gql(`{ bdi: metricSeries(metric: "bdi", subjects: [{ municipality: "Asker" }], years: { list: [2019] }) { series { points { value reason } } }
        ratio: metricSeries(metric: "frie_inntekter_pct_bdi", subjects: [{ municipality: "Asker" }], years: { list: [2019] }) { series { points { value reason } } } }`);
      expect(res.body.errors).to.equal(undefined);
      expect(res.body.data!.bdi.series[0].points[0].value).to.equal(sum('bdi'));
      expect(res.body.data!.ratio.series[0].points[0].value).to.be.closeTo((sum('frie_inntekter') / sum('bdi')) * 100, 1e-9);
    });

    it('a merger year with one member suppressed is null, naming the member, not the sum of the others (Hurum\'s netto driftsresultat 2019 is ":")', async () => {
      const res = await h.gql('{ metricSeries(metric: "resultatgrad", subjects: [{ municipality: "Asker" }], years: { list: [2019, 2020] }) { series { points { year value reason } } } }');
      const [y2019, y2020] = res.body.data!.metricSeries.series[0].points;
      expect(y2019.value).to.equal(null);
      expect(y2019.reason).to.match(/no value for netto_driftsresultat, Asker \(3203\), 2019: .*0628 \(SSB status ":"\) lacked one/);
      expect(y2020.value, 'after the merger the new code holds it').to.be.a('number');
    });

    it('indices are against any reference: the country = 100', async () => {
      const res = await h.gql('{ metricSeries(metric: "resultatgrad", subjects: [{ municipality: "Bærum" }], years: { list: [2024] }, reference: { region: "EAK" }) { series { points { value index } } reference { points { value } } } }');
      const p = res.body.data!.metricSeries.series[0].points[0];
      const ref = res.body.data!.metricSeries.reference.points[0].value;
      expect(p.index).to.be.closeTo((p.value / ref) * 100, 1e-9);
    });

    it('excluding self changes the group average; the unweighted mean differs from the weighted average', async () => {
      const res = await h.gql(`{ metricSeries(metric: "resultatgrad", years: { list: [2024] }, subjects: [
        { peerGroup: "asss-u-oslo" }, { peerGroup: "asss-u-oslo", excluding: "Bærum" }, { peerGroup: "asss-u-oslo", average: UNWEIGHTED }]) {
        series { subject { name members } points { value } } } }`);
      const [all, excl, mean] = res.body.data!.metricSeries.series;
      expect(excl.subject.members).to.have.length(10);
      expect(excl.points[0].value).to.not.equal(all.points[0].value);
      expect(mean.points[0].value).to.not.equal(all.points[0].value);
    });
  });

  describe('no N+1', () => {
    it('the SQL statements of a metric query do not grow with the number of municipalities or years', async () => {
      // two metrics no other test here reads, so neither answer comes from the response cache
      const q = (metric: string, subjects: string[], from: number) => `{ metricSeries(metric: "${metric}", subjects: [${subjects.map((s) => `{ municipality: "${s}" }`).join(',')}], years: { from: ${from}, to: 2024 }) { series { points { value } } } }`;
      await h.gql(q('netto_finansutgifter_pct_bdi', ['Bærum'], 2024));
      const small = h.server.lastStatements;
      await h.gql(q('netto_avdrag_pct_bdi', ['Bærum', 'Asker', 'Bergen', 'Stavanger', 'Tromsø', 'Drammen', 'Sandnes', 'Trondheim'], 2015));
      const large = h.server.lastStatements;
      expect([small, large]).to.deep.equal([2, 2]); // the version check and one batched fact read
    });

    it('a metric query reads the facts of its subjects\' regions only (with the codes linked to them by Klass changes)', async () => {
      const read: unknown[][] = [];
      // eslint-disable-next-line @typescript-eslint/unbound-method -- called with the reader as `this` (apply)
      const rows = WarehouseReader.prototype.rows;
      WarehouseReader.prototype.rows = function (this: WarehouseReader, ...args: Parameters<WarehouseReader['rows']>) {
        if (args[3] === 'fact slices') read.push(args[2] ?? []);
        return rows.apply(this, args);
      } as WarehouseReader['rows'];
      try {
        await h.gql('{ metricSeries(metric: "netto_avdrag_pct_bdi", subjects: [{ municipality: "Bærum" }], years: { from: 2015, to: 2024 }) { series { points { value } } } }');
      } finally {
        WarehouseReader.prototype.rows = rows;
      }
      expect(read).to.have.length(1);
      const codes = read[0].filter((p): p is string => typeof p === 'string' && /^\d{4}$/.test(p));
      // Bærum's own codes over time (0219 until 2019, 3024 in Viken 2020–2023, 3201 since 2024), nothing else
      expect([...new Set(codes)].sort()).to.deep.equal(['0219', '3024', '3201']);
    });

    it('the index table (7 comparisons × 11 members) runs a handful of statements', async () => {
      await h.gql(example('01-status-index-2024'));
      expect(h.server.lastStatements).to.be.at.most(3);
    });
  });

  describe('facts', () => {
    it('pages with a cursor and totalCount, each fact with unit, status and provenance', async () => {
      const q = 'query($after: String) { facts(filter: { regions: ["Bærum"], indicators: ["bdi"] }, first: 4, after: $after) { totalCount edges { cursor node { year region { code } value unit status provenance { sourceTable loadId source } } } pageInfo { hasNextPage endCursor } } }';
      const first = await h.gql(q);
      const page1 = first.body.data!.facts;
      expect(page1.totalCount).to.equal(30); // 3 codes × 10 years
      expect(page1.edges).to.have.length(4);
      expect(page1.edges[0].node.unit).to.equal('1000 kr');
      expect(page1.edges[0].node.provenance.sourceTable).to.equal('12137');
      const seen = new Set(page1.edges.map((e: any) => `${e.node.year}-${e.node.region.code}`));
      let after = page1.pageInfo.endCursor;
      let hasNext = page1.pageInfo.hasNextPage;
      while (hasNext) {
        const next = (await h.gql(q, { after })).body.data!.facts;
        next.edges.forEach((e: any) => seen.add(`${e.node.year}-${e.node.region.code}`));
        after = next.pageInfo.endCursor;
        hasNext = next.pageInfo.hasNextPage;
      }
      expect(seen.size).to.equal(30);
    });

    it('a first page that holds every match counts it without a count statement; a partial page or a later one counts', async () => {
      const q = (first: number, after?: string) => `{ facts(filter: { regions: ["Bærum"], indicators: ["bdi"] }, first: ${first}${after ? `, after: "${after}"` : ''}) { totalCount edges { cursor } } }`;
      const whole = (await h.gql(q(100))).body.data!.facts;
      const wholeStatements = h.server.lastStatements;
      const partial = (await h.gql(q(29))).body.data!.facts;
      const partialStatements = h.server.lastStatements;
      const later = (await h.gql(q(100, partial.edges[0].cursor))).body.data!.facts;
      const laterStatements = h.server.lastStatements;
      expect([whole.edges.length, whole.totalCount, partial.totalCount, later.edges.length, later.totalCount]).to.deep.equal([30, 30, 30, 29, 30]);
      expect(partialStatements - wholeStatements).to.equal(1); // the count
      expect(laterStatements).to.equal(partialStatements);
    });
  });

  describe('caching and versions', () => {
    it('warehouseStatus is never served from the response cache: a load that does not change the data still shows', async () => {
      const q = '{ warehouseStatus(loads: 1) { recentLoads { id status } } }';
      const first = (await h.gql(q)).body.data!.warehouseStatus.recentLoads[0];
      await h.warehouse.store.run(`INSERT INTO load (run_id, table_id, source, status, started_at, finished_at) VALUES ('t', '12134', 'demo', 'skipped', ?, ?)`,
        [new Date().toISOString(), new Date().toISOString()]);
      const second = (await h.gql(q)).body.data!.warehouseStatus.recentLoads[0];
      expect(second).to.deep.equal({ id: first.id + 1, status: 'SKIPPED' });
    });


    it('responses carry the warehouse version and a cache-control header fit for nightly data', async () => {
      const res = await h.gql('{ years }');
      expect(res.body.extensions!.warehouse.version).to.be.a('number').and.greaterThan(0);
      expect(res.body.extensions!.warehouse.demo).to.equal(true);
      expect(res.headers.get('x-warehouse-version')).to.equal(String(res.body.extensions!.warehouse.version));
      expect(res.headers.get('cache-control')).to.match(/max-age=3600/);
    });
  });

  describe('curated inputs', () => {
    it('a changed curated file is loaded with a load record of its own, so the version moves and no stale answer is served', async () => {
      const query = '{ deflator { year value } }';
      const before = await h.gql(query);
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kostra-curated-'));
      try {
        for (const f of fs.readdirSync(defaultCuratedDir())) fs.copyFileSync(path.join(defaultCuratedDir(), f), path.join(dir, f));
        expect((await loadCuratedInputs(h.warehouse.store, 'same', undefined, dir)).changed, 'unchanged files write nothing').to.equal(false);
        const text = fs.readFileSync(path.join(dir, 'deflator.csv'), 'utf8').replace(/^2024,.*$/m, '2024,0.1234');
        fs.writeFileSync(path.join(dir, 'deflator.csv'), text);
        expect((await loadCuratedInputs(h.warehouse.store, 'edited', undefined, dir)).changed).to.equal(true);
        const after = await h.gql(query);
        expect(after.body.extensions!.warehouse.version).to.be.greaterThan(before.body.extensions!.warehouse.version);
        expect(after.body.data!.deflator.find((d: any) => d.year === 2024).value).to.equal(0.1234);
      } finally {
        expect((await loadCuratedInputs(h.warehouse.store, 'restore')).changed).to.equal(true);
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  describe('refresh mutation', () => {
    it('without a valid token fails with UNAUTHENTICATED and starts nothing', async () => {
      for (const headers of [{} as Record<string, string>, { authorization: 'Bearer wrong-token-wrong-token' }, { authorization: ADMIN_TOKEN }]) {
        const res = await h.gql('mutation { refreshWarehouse { started message } }', undefined, headers);
        expect(res.body.errors![0].extensions!.code).to.equal('UNAUTHENTICATED');
      }
      const status = await h.gql('{ warehouseStatus { refreshRunning } }');
      expect(status.body.data!.warehouseStatus.refreshRunning).to.equal(false);
    });

    it('with the token starts one refresh and reports a second as already running', async () => {
      const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };
      const first = await h.gql('mutation { refreshWarehouse(force: true) { started message } }', undefined, auth);
      const second = await h.gql('mutation { refreshWarehouse { started message } }', undefined, auth);
      expect(first.body.data!.refreshWarehouse.started).to.equal(true);
      expect(second.body.data!.refreshWarehouse).to.deep.equal({ started: false, message: 'not started: a refresh is already running in this process' });
    });
  });
});
