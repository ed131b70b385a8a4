/**
 * The synthetic dataset itself: regions and code histories, Klass rows, the curated inputs, determinism and
 * size; and the `npm run standin` entry point.
 */
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { loadCatalogue } from '../../core/source-catalogue';
import { resolveCatalogue } from '../../etl/pipeline';
import { createEmulatorSource } from './pxweb-api';
import { demoDataset } from '../../tools/demo-data/dataset';
import { LINEAGES, validIn } from '../../tools/demo-data/regions';
import { readCuratedInputs } from '../../tools/demo-data/curated';
import { buildModel, NY } from '../../tools/demo-data/model';
import { buildRegions, buildTables } from '../../tools/demo-data/tables';

const ROOT = path.resolve(__dirname, '../../..');

describe('demo dataset', function () {
  this.timeout(10000);
  const ds = demoDataset();
  const table = (id: string) => ds.tables.find((t) => t.id === id)!;
  const regionCodes = table('12362').dims[0].categories.map((c) => c.code);

  it("is built in memory: the model and every table's cube, each with one value and one status per cell", () => {
    const tables = buildTables(buildModel(readCuratedInputs())).documented;
    for (const t of tables) {
      const cells = t.dims.reduce((n, d) => n * d.categories.length, 1);
      const cube = t.cube();
      expect([cube.values.length, cube.status.length], t.id).to.deep.equal([cells, cells]);
    }
  });

  it('is deterministic: two builds give identical amounts and populations', () => {
    const curated = readCuratedInputs();
    const a = buildModel(curated);
    const b = buildModel(curated);
    for (const [k, u] of a.lineages) {
      expect(Array.from(b.lineages.get(k)!.c), k).to.deep.equal(Array.from(u.c));
      expect(Array.from(b.lineages.get(k)!.f), k).to.deep.equal(Array.from(u.f));
      expect(Array.from(b.lineages.get(k)!.popEnd), k).to.deep.equal(Array.from(u.popEnd));
    }
  });

  it("a territory's population at 31.12 is what the codes covering it count on 1 January, across every merger, split and renumbering", () => {
    const { kostra, population } = buildRegions(ds.model);
    const end = new Map(kostra.filter((r) => r.kind === 'municipality').map((r) => [r.code, r]));
    const start = new Map(population.filter((r) => r.kind === 'municipality').map((r) => [r.code, r]));
    let components = 0;
    for (let yi = 0; yi < NY; yi++) {
      const y = 2015 + yi;
      const rows = ds.codeChanges.filter((c) => c.changeOccurred === `${y + 1}-01-01`);
      // codes linked by a change on 1 January form one territory: old codes on one side, new codes on the other
      const parent = new Map<string, string>();
      const find = (x: string): string => {
        const p = parent.get(x);
        return p === undefined ? x : find(p);
      };
      for (const r of rows) {
        const [a, b] = [find(`old:${r.oldCode}`), find(`new:${r.newCode}`)];
        if (a !== b) parent.set(a, b);
      }
      const groups = new Map<string, { olds: Set<string>; news: Set<string> }>();
      for (const r of rows) {
        const g = groups.get(find(`old:${r.oldCode}`)) ?? { olds: new Set<string>(), news: new Set<string>() };
        g.olds.add(r.oldCode);
        g.news.add(r.newCode);
        groups.set(find(`old:${r.oldCode}`), g);
      }
      for (const { olds, news } of groups.values()) {
        // a code that continues besides taking others in (Stavanger 2020) is on both sides
        for (const n of news) if (validIn(end.get(n)!, y)) olds.add(n);
        const before = [...olds].reduce((s, c) => s + end.get(c)!.unit.popEnd[yi], 0);
        const after = [...news].reduce((s, c) => s + start.get(c)!.unit.pop[yi + 1], 0);
        expect(before, `${[...olds].join('+')} on 31.12.${y} vs ${[...news].join('+')} on 1.1.${y + 1}`).to.be.closeTo(after, olds.size);
        components++;
      }
      // and an unchanged code counts the same on both days
      for (const [code, r] of end) {
        if (!validIn(r, y) || rows.some((c) => c.oldCode === code || c.newCode === code)) continue;
        expect(r.unit.popEnd[yi], `${code} ${y}`).to.equal(start.get(code)!.unit.pop[yi + 1]);
      }
    }
    expect(components).to.be.greaterThan(40);
  });

  it('aggregates count their members at 31.12 too: KOSTRA group 12 is the sum of its 11 members, the country is 07459\'s next year', () => {
    const { kostra } = buildRegions(ds.model);
    const byCode = new Map(kostra.map((r) => [r.code, r]));
    for (let yi = 0; yi < NY; yi++) {
      const group12 = LINEAGES.filter((l) => l.kostraGroup === 'EKG12').reduce((s, l) => s + ds.model.lineages.get(l.key)!.popEnd[yi], 0);
      expect(byCode.get('EKG12')!.unit.popEnd[yi]).to.be.closeTo(group12, 1);
      expect(byCode.get('EAK')!.unit.popEnd[yi]).to.equal(byCode.get('EAK')!.unit.pop[yi + 1]);
    }
  });

  it('uses no Math.random or clock in the generator', () => {
    for (const f of ['tools/demo-data/prng.ts', 'tools/demo-data/regions.ts', 'tools/demo-data/model.ts', 'tools/demo-data/tables.ts',
      'tools/demo-data/functions.ts', 'tools/demo-data/targets.ts', 'tools/demo-data/curated.ts', 'tools/demo-data/jsonstat.ts',
      'tools/demo-data/bundle.ts', 'test/standin/selection.ts']) {
      const src = fs.readFileSync(path.join(ROOT, f), 'utf8');
      expect(src, f).to.not.match(/Math\.random\(|Date\.now\(|new Date\(/);
    }
  });

  it('holds every ASSS member with its code history, ~50 other municipalities, aggregates and counties', () => {
    expect(LINEAGES).to.have.length.greaterThan(60);
    for (const code of ['0301', '0219', '3024', '3201', '0220', '0627', '0628', '3025', '3203', '0231', '0227', '0226', '3030', '3205', '0106', '3004', '3107', '0602', '0625', '0711', '3005', '3301', '1001', '1017', '1018', '4204', '1103', '1141', '1142', '1102', '1129', '1108', '1201', '4601', '1601', '1662', '5030', '5001', '1902', '5401', '5501']) {
      expect(regionCodes, code).to.include(code);
    }
    expect(regionCodes.slice(0, 11)).to.deep.equal(['EAK', 'EAKUO', 'EKA02', 'EKA03', 'EKA30', 'EKA32', 'EKA46', 'EKG01', 'EKG11', 'EKG12', 'EKG13']);
    // 2024 county reform: Viken -> Akershus 32xx, Buskerud 33xx, Østfold 31xx; Vestfold 39xx, Telemark 40xx; Troms 55xx, Finnmark 56xx
    for (const prefix of ['31', '32', '33', '39', '40', '55', '56', '34', '11', '46', '18', '50', '15', '42']) {
      expect(regionCodes.some((c) => c.startsWith(prefix)), prefix).to.equal(true);
    }
    const include = loadCatalogue().catalogue.regions.include.map((p) => new RegExp(p));
    expect(regionCodes.filter((c) => !include.some((re) => re.test(c)))).to.deep.equal(['EKA02', 'EKA03', 'EKA30', 'EKA32', 'EKA46']);
  });

  it('has a Klass change row for every code that stops being valid before 2024', () => {
    const ended = ds.municipalityCodes.filter((c) => c.validTo !== undefined);
    for (const c of ended) expect(ds.codeChanges.some((r) => r.oldCode === c.code), c.code).to.equal(true);
    for (const r of ds.codeChanges) expect(['2017-01-01', '2018-01-01', '2020-01-01', '2024-01-01']).to.include(r.changeOccurred);
  });

  it('need index covers every demo municipality (newest code), 2015–2024 and all sectors; deflator 2015–2025; sources say demo', () => {
    const curated = readCuratedInputs();
    for (const l of LINEAGES) {
      for (let y = 2015; y <= 2024; y++) {
        for (const s of ['grunnskole', 'pleie_omsorg', 'barnehage', 'kommunehelse', 'sosialhjelp', 'barnevern', 'administrasjon', 'total']) {
          expect(curated.need.get(`${l.key}/${y}/${s}`), `${l.key}/${y}/${s}`).to.be.within(0.5, 2);
        }
      }
    }
    expect([...curated.deflator.keys()].sort()).to.deep.equal([2015, 2016, 2017, 2018, 2019, 2020, 2021, 2022, 2023, 2024, 2025]);
    const sources = JSON.parse(fs.readFileSync(path.join(ROOT, 'etl', 'curated', 'sources.json'), 'utf8'));
    expect(sources['need-index']).to.include({ demo: true });
    expect(sources['need-index'].source).to.match(/Kommunal- og distriktsdepartementet/);
    expect(sources.deflator).to.include({ demo: true });
    expect(sources.deflator.source).to.match(/Finansdepartementet/);
  });

  it("answers the catalogue's resolved selection of every table within 800 000 cells, cell for cell", async () => {
    const src = createEmulatorSource();
    const { catalogue, serviceAreas } = loadCatalogue();
    const check = await resolveCatalogue(src, { catalogue, serviceAreas, maxCells: 800_000 });
    expect(check.resolution.missing).to.deep.equal([]);
    let tables = 0;
    for (const t of check.tables.values()) {
      if (t.kind !== 'prepared') continue;
      tables++;
      expect(t.plan.requests, t.table.id).to.equal(1);
      const selection = t.resolved.variables.map((v) => ({ variableCode: v.variableCode, valueCodes: v.codes }));
      const data = await src.data(t.table.id, { selection });
      expect(data.value, t.table.id).to.have.length(t.resolved.cells);
      expect(t.resolved.cells, t.table.id).to.be.at.most(800_000);
    }
    expect(tables).to.be.at.least(4);
  });
});

describe('npm run standin (test/standin/main.ts)', function () {
  this.timeout(10000);

  it('prints the two base URLs, says the data are synthetic, and stops on SIGTERM', async () => {
    const child = spawn(process.execPath, [path.join(ROOT, 'dist', 'test', 'standin', 'main.js')], { env: { ...process.env, STANDIN_PORT: '0' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const urls = await new Promise<RegExpExecArray>((resolve, reject) => {
      child.stdout.on('data', (c: Buffer) => {
        out += c.toString();
        const m = /SSB_API_URL=(\S+) KLASS_API_URL=(\S+)/.exec(out);
        if (m) resolve(m);
      });
      child.on('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
    });
    expect(out).to.match(/SYNTHETIC DEMO DATA/);
    expect(urls[1]).to.match(/^http:\/\/127\.0\.0\.1:\d+\/api\/pxwebapi\/v2$/);
    expect(urls[2]).to.match(/^http:\/\/127\.0\.0\.1:\d+\/api\/klass\/v1$/);
    const cfg = (await (await fetch(`${urls[1]}/config`)).json()) as { maxDataCells: number };
    expect(cfg.maxDataCells).to.equal(800000);
    const code = await new Promise<number | null>((resolve) => {
      child.on('exit', (c) => resolve(c));
      child.kill('SIGTERM');
    });
    expect(code).to.equal(0);
  });
});
