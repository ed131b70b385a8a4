/**
 * Which table holds which accounting concept: SSB's documented layout (12137, 12364, 12143) and the legacy one
 * (everything in 12137), served by the stand-in over one generator, so a concept's figures never depend on the
 * table or the layout it is read from.
 */
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { DemoApi } from './pxweb-api';
import { startStandin, type Standin } from './server';
import { decode, round, type Decoded } from './cells';
import type { Layout } from '../../tools/demo-data/tables';

const ROOT = path.resolve(__dirname, '../../..');
const CONCEPT_TABLES = ['12137', '12364', '12143'];

function everything(api: DemoApi, id: string): Decoded {
  const meta = api.metadata(id);
  return decode(api.data(id, { selection: meta.id.map((variableCode) => ({ variableCode, valueCodes: ['*'] })) }));
}

/** Codes in metadata order (an object's own keys put integer-like codes such as "56" first). */
function codes(api: DemoApi, id: string, variable: string): string[] {
  const index = api.metadata(id).dimension[variable].category.index as Record<string, number>;
  return Object.entries(index).sort((a, b) => a[1] - b[1]).map(([code]) => code);
}
const concepts = (api: DemoApi, id: string) => codes(api, id, 'KOKartkap0000');
const contents = (api: DemoApi, id: string) => codes(api, id, 'ContentsCode');

describe('demo data: table layouts', function () {
  this.timeout(20000);
  const apis: Record<Layout, DemoApi> = { documented: new DemoApi(), legacy: new DemoApi({ layout: 'legacy' }) };
  const cache = new Map<string, Decoded>();
  const table = (layout: Layout, id: string) => {
    const k = `${layout}/${id}`;
    if (!cache.has(k)) cache.set(k, everything(apis[layout], id));
    return cache.get(k)!;
  };
  const held = (layout: Layout) => apis[layout].tables.map((t) => t.id).filter((id) => CONCEPT_TABLES.includes(id));

  describe("SSB's documented layout (the default)", () => {
    const api = apis.documented;

    it('serves 12134, 12137, 12364, 12143, 12362, 07459 and the service-volume tables', () => {
      expect(api.layout).to.equal('documented');
      expect(api.listTables({ pageSize: 50 }).tables.map((t) => t.id)).to.deep.equal(['12134', '12137', '12364', '12143', '12362', '07459', '11977', '12562', '11996', '12219', '12275', '12292']);
    });

    it('12137 "Finansielle nøkkeltall, etter regnskapsbegrep": ten concepts in 1000 kr and kr per innbygger, without 56, AGD86 or AGD21', () => {
      expect(api.table('12137').label).to.match(/^12137: Finansielle nøkkeltall, etter regnskapsbegrep \(K\)/);
      expect(concepts(api, '12137')).to.deep.equal(['AGD13', 'AGD9', 'AGD3', 'AGD23', 'AGD1', 'AG11', 'AG12', 'A800', 'AGI1', 'KG31']);
      expect(contents(api, '12137')).to.deep.equal(['KOSbelop0000', 'KOSbelopprinnb0000']);
    });

    it('12364 "Finansielle grunnlagsdata, etter regnskapsbegrep": ten concepts, 1000 kr only, the same variables as 12137', () => {
      const meta = api.metadata('12364');
      expect(api.table('12364').label).to.match(/^12364: Finansielle grunnlagsdata, etter regnskapsbegrep \(K\)/);
      expect(concepts(api, '12364')).to.deep.equal(['56', 'KG14', 'KG28', 'KG21', 'AGD86', 'AGD65', 'AG11', 'AG12', 'KG31', 'AGD23']);
      expect(meta.dimension.KOKartkap0000.category.label).to.include({ '56': 'Disposisjonsfond', KG28: 'Pensjonsforpliktelse', KG21: 'Arbeidskapital ekskl. premieavvik' });
      expect(contents(api, '12364')).to.deep.equal(['KOSbelop0000']);
      expect(meta.id).to.deep.equal(api.metadata('12137').id);
      expect(meta.dimension.KOKkommuneregion0000.category.index).to.deep.equal(api.metadata('12137').dimension.KOKkommuneregion0000.category.index);
    });

    it('12143 "Finansielle nøkkeltall i prosent av brutto driftsinntekter": four concepts, 1000 kr and % of BDI with 1 decimal', () => {
      const meta = api.metadata('12143');
      expect(api.table('12143').label).to.match(/^12143: Finansielle nøkkeltall i prosent av brutto driftsinntekter, etter regnskapsbegrep \(K\)/);
      expect(concepts(api, '12143')).to.deep.equal(['AGD23', 'AGD21', 'AGD86', 'KG31']);
      expect(contents(api, '12143')).to.deep.equal(['KOSbelop0000', 'KOSbelopbrinv0000']);
      expect(meta.dimension.ContentsCode.category.unit!.KOSbelopbrinv0000).to.deep.equal({ base: 'prosent', decimals: 1 });
    });

    it('12364 and 12143 are revised with 12137 (same `updated`)', () => {
      expect(api.table('12364').updated).to.equal(api.table('12137').updated);
      expect(api.table('12143').updated).to.equal(api.table('12137').updated);
    });

    it("12143's share of BDI is its amount / 12137's AGD13 × 100, rounded to 1 decimal, in every cell", () => {
      const t = table('documented', '12143');
      const bdi = table('documented', '12137');
      let checked = 0;
      for (const { coords, cell } of t.cells()) {
        if (coords.ContentsCode !== 'KOSbelopbrinv0000') continue;
        const amount = t.get({ ...coords, ContentsCode: 'KOSbelop0000' });
        if (cell.value === null) {
          expect(amount.value, JSON.stringify(coords)).to.equal(null);
          expect(cell.status, JSON.stringify(coords)).to.equal(amount.status);
          continue;
        }
        const agd13 = bdi.get({ KOKkommuneregion0000: coords.KOKkommuneregion0000, KOKartkap0000: 'AGD13', ContentsCode: 'KOSbelop0000', Tid: coords.Tid }).value!;
        expect(cell.value, JSON.stringify(coords)).to.equal(round((amount.value! / agd13) * 100, 1));
        checked++;
      }
      expect(checked).to.be.greaterThan(4 * 800);
    });
  });

  describe('the legacy layout', () => {
    let s: Standin;
    before(async () => {
      s = await startStandin({ layout: 'legacy', rateLimit: { maxCalls: 100000, windowMs: 60000 } });
    });
    after(() => s.close());

    it('12364 and 12143 do not exist: 404 "Non-existent table" for info, metadata and data, like SSB for an unknown id', async () => {
      for (const id of ['12364', '12143']) {
        for (const [url, init] of [
          [`${s.url}/tables/${id}`, undefined],
          [`${s.url}/tables/${id}/metadata`, undefined],
          [`${s.url}/tables/${id}/data?valueCodes[Tid]=2024`, undefined],
          [`${s.url}/tables/${id}/data`, { method: 'POST', body: '{"selection":[]}', headers: { 'content-type': 'application/json' } }],
        ] as const) {
          const r = await fetch(url, init);
          expect(r.status, url).to.equal(404);
          expect(((await r.json()) as { title: string }).title, url).to.equal('Non-existent table');
        }
      }
      const list = (await (await fetch(`${s.url}/tables?pageSize=50`)).json()) as { tables: { id: string }[] };
      expect(list.tables.map((t) => t.id)).to.deep.equal(['12134', '12137', '12362', '07459', '11977', '12562', '11996', '12219', '12275', '12292']);
      expect((await fetch(`${s.url}/tables/12137`)).status).to.equal(200);
    });

    it('12137 holds every concept, 56, AGD86, AGD21, KG14 and AGD65 included', () => {
      expect(concepts(apis.legacy, '12137')).to.deep.equal(['AGD13', 'AGD9', 'AGD3', 'AGD23', 'AGD1', 'AG11', 'AG12', 'A800', 'AGD86', 'AGD21', 'AGD65', 'AGI1', 'KG14', 'KG31', '56']);
      expect(contents(apis.legacy, '12137')).to.deep.equal(['KOSbelop0000', 'KOSbelopprinnb0000']);
    });

    it("12137's 56, AGD86 and AGD21 are the documented layout's 12364 and 12143 figures, cell for cell", () => {
      const legacy = table('legacy', '12137');
      for (const [concept, id] of [['56', '12364'], ['AGD86', '12364'], ['AGD86', '12143'], ['AGD21', '12143']]) {
        const documented = table('documented', id);
        let values = 0;
        for (const { coords, cell } of documented.cells()) {
          if (coords.KOKartkap0000 !== concept || coords.ContentsCode !== 'KOSbelop0000') continue;
          expect(legacy.get(coords), `${id} ${JSON.stringify(coords)}`).to.deep.equal(cell);
          if (cell.value !== null) values++;
        }
        expect(values, `${concept} in ${id}`).to.be.greaterThan(800);
      }
    });
  });

  it('a concept has the same cells in every table and layout that holds it (one generator)', () => {
    // the first table holding a concept/content pair is the reference for every later one
    const first = new Map<string, { where: string; cells: Decoded }>();
    const compared = new Set<string>();
    for (const layout of ['documented', 'legacy'] as const) {
      for (const id of held(layout)) {
        const t = table(layout, id);
        const mine = new Set(concepts(apis[layout], id).flatMap((k) => contents(apis[layout], id).map((c) => `${k}/${c}`)));
        for (const key of mine) if (!first.has(key)) first.set(key, { where: `${layout} ${id}`, cells: t });
        for (const { coords, cell } of t.cells()) {
          const key = `${coords.KOKartkap0000}/${coords.ContentsCode}`;
          const ref = first.get(key)!;
          if (ref.cells === t) continue;
          expect(ref.cells.get(coords), `${key} ${ref.where} vs ${layout} ${id} ${coords.KOKkommuneregion0000} ${coords.Tid}`).to.deep.equal(cell);
          compared.add(key);
        }
      }
    }
    // AG11, AG12, KG31, AGD23, AGD86 across the documented tables; every legacy concept against its documented table
    expect([...compared].filter((k) => k.endsWith('/KOSbelop0000')).map((k) => k.split('/')[0]).sort()).to.deep.equal(
      ['56', 'A800', 'AG11', 'AG12', 'AGD1', 'AGD13', 'AGD21', 'AGD23', 'AGD3', 'AGD65', 'AGD86', 'AGD9', 'AGI1', 'KG14', 'KG31'],
    );
    expect(compared).to.include('AGD13/KOSbelopprinnb0000');
  });

  it('0628 Hurum 2019 netto driftsresultat (AGD23) is suppressed (":") in every table and layout that holds AGD23, in every content', () => {
    let tables = 0;
    for (const layout of ['documented', 'legacy'] as const) {
      for (const id of held(layout)) {
        if (!concepts(apis[layout], id).includes('AGD23')) continue;
        const t = table(layout, id);
        for (const content of contents(apis[layout], id)) {
          const at = (region: string, concept: string, year: number) => t.get({ KOKkommuneregion0000: region, KOKartkap0000: concept, ContentsCode: content, Tid: String(year) });
          expect(at('0628', 'AGD23', 2019), `${layout} ${id} ${content}`).to.deep.equal({ value: null, status: ':' });
          // only that cell: Hurum's other years, its other concepts and the other merging codes keep their figures
          expect(at('0628', 'AGD23', 2018).value, `${layout} ${id} 2018`).to.not.equal(null);
          expect(at('0220', 'AGD23', 2019).value, `${layout} ${id} 0220`).to.not.equal(null);
          expect(at('0627', 'AGD23', 2019).value, `${layout} ${id} 0627`).to.not.equal(null);
          const other = concepts(apis[layout], id).find((c) => c !== 'AGD23')!;
          expect(at('0628', other, 2019).value, `${layout} ${id} ${other}`).to.not.equal(null);
        }
        tables++;
      }
    }
    expect(tables).to.equal(4); // documented 12137, 12364, 12143; legacy 12137
  });

  it('the other special cells move with their concepts (56 for 5421 in 2020, KG14 for 1875 in 2020–2021: "..")', () => {
    const cell = (layout: Layout, id: string, region: string, concept: string, year: number) =>
      table(layout, id).get({ KOKkommuneregion0000: region, KOKartkap0000: concept, ContentsCode: 'KOSbelop0000', Tid: String(year) });
    for (const [layout, id] of [['documented', '12364'], ['legacy', '12137']] as const) {
      expect(cell(layout, id, '5421', '56', 2020), `${layout} ${id}`).to.deep.equal({ value: null, status: '..' });
      expect(cell(layout, id, '1875', 'KG14', 2021), `${layout} ${id}`).to.deep.equal({ value: null, status: '..' });
      expect(cell(layout, id, '5421', '56', 2021).value, `${layout} ${id}`).to.not.equal(null);
    }
  });

  it('an unknown layout is refused, and a shared api cannot be served in another layout', async () => {
    expect(() => new DemoApi({ layout: 'sideways' as Layout })).to.throw(TypeError, 'layout must be one of documented, legacy, but got: sideways');
    let err: unknown;
    try {
      await startStandin({ api: apis.documented, layout: 'legacy' });
    } catch (e) {
      err = e;
    }
    expect(err).to.be.instanceOf(TypeError);
  });

  it('npm run standin serves the legacy layout with STANDIN_LAYOUT=legacy and refuses an unknown one', async () => {
    const run = (layout: string) => {
      const child = spawn(process.execPath, [path.join(ROOT, 'dist', 'test', 'standin', 'main.js')], { env: { ...process.env, STANDIN_PORT: '0', STANDIN_LAYOUT: layout }, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (c: Buffer) => (out += c.toString()));
      child.stderr.on('data', (c: Buffer) => (out += c.toString()));
      return { child, output: () => out };
    };
    const legacy = run('legacy');
    const url = await new Promise<string>((resolve, reject) => {
      legacy.child.stdout.on('data', () => {
        const m = /SSB_API_URL=(\S+)/.exec(legacy.output());
        if (m) resolve(m[1]);
      });
      legacy.child.on('exit', (code) => reject(new Error(`exited ${code}: ${legacy.output()}`)));
    });
    expect(legacy.output()).to.contain('Tables (legacy layout): 12134, 12137, 12362, 07459, 11977, 12562, 11996, 12219, 12275, 12292');
    expect((await fetch(`${url}/tables/12364`)).status).to.equal(404);
    await new Promise<void>((resolve) => {
      legacy.child.on('exit', () => resolve());
      legacy.child.kill('SIGTERM');
    });

    const bad = run('sideways');
    const code = await new Promise<number | null>((resolve) => bad.child.on('exit', (c) => resolve(c)));
    expect(code).to.equal(1);
    expect(bad.output()).to.contain('STANDIN_LAYOUT must be one of documented, legacy, but got: sideways');
  });
});
