/**
 * The synthetic dataset itself: regions and code histories, Klass rows, the curated inputs, determinism and
 * size; and the `npm run standin` entry point.
 */
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import catalogue from '../../etl/catalogue/catalogue.json';
import { createDemoSource, demoDataset, LINEAGES } from '../../etl/demo';
import { readCuratedInputs } from '../../etl/demo/curated';
import { buildModel } from '../../etl/demo/model';
import { buildTables } from '../../etl/demo/tables';

const ROOT = path.resolve(__dirname, '../../..');

describe('demo dataset', function () {
  this.timeout(10000);
  const ds = demoDataset();
  const table = (id: string) => ds.tables.find((t) => t.id === id)!;
  const regionCodes = table('12362').dims[0].categories.map((c) => c.code);

  // How fast the build is belongs to `npm run bench` (section 4): a wall-clock limit here fails on a loaded machine.
  it('is built in memory: the model and the four cubes, each cube with one value and one status per cell', () => {
    const tables = buildTables(buildModel(readCuratedInputs()));
    expect(tables.map((t) => t.id).sort()).to.deep.equal(catalogue.tables.map((t) => t.id).sort());
    for (const t of tables) {
      const cells = t.dims.reduce((n, d) => n * d.categories.length, 1);
      const cube = t.cube();
      expect([cube.values.length, cube.status.length], t.id).to.deep.equal([cells, cells]);
    }
  });

  it('is deterministic: two builds give identical amounts', () => {
    const curated = readCuratedInputs();
    const a = buildModel(curated);
    const b = buildModel(curated);
    for (const [k, u] of a.lineages) {
      expect(Array.from(b.lineages.get(k)!.c), k).to.deep.equal(Array.from(u.c));
      expect(Array.from(b.lineages.get(k)!.f), k).to.deep.equal(Array.from(u.f));
    }
  });

  it('uses no Math.random or clock in the generator', () => {
    for (const f of ['prng.ts', 'regions.ts', 'model.ts', 'tables.ts', 'functions.ts', 'targets.ts', 'curated.ts', 'jsonstat.ts', 'selection.ts']) {
      const src = fs.readFileSync(path.join(ROOT, 'etl', 'demo', f), 'utf8');
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
    const include = catalogue.regions.include.map((p) => new RegExp(p));
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

  it('answers a full-catalogue selection of every table within 800 000 cells', async () => {
    const src = createDemoSource();
    const include = catalogue.regions.include.map((p) => new RegExp(p));
    const cells: Record<string, number> = {};
    for (const t of catalogue.tables) {
      const meta = await src.metadata(t.id);
      const regionVar = t.regionVariable;
      const regions = Object.keys(meta.dimension[regionVar].category.index).filter((c) => include.some((re) => re.test(c)));
      const selection = [{ variableCode: regionVar, valueCodes: regions }];
      const contents = [...new Set(t.indicators.map((i) => i.content))];
      selection.push({ variableCode: 'ContentsCode', valueCodes: contents });
      selection.push({ variableCode: 'Tid', valueCodes: ['*'] });
      const tt = t as { conceptVariable?: string; serviceAreaVariable?: string; serviceAreas?: string[]; indicators: { concept?: string }[] };
      if (tt.conceptVariable) selection.push({ variableCode: tt.conceptVariable, valueCodes: [...new Set(tt.indicators.map((i) => i.concept!))] });
      if (tt.serviceAreaVariable) selection.push({ variableCode: tt.serviceAreaVariable, valueCodes: tt.serviceAreas! });
      const data = await src.data(t.id, { selection });
      cells[t.id] = data.value.length;
    }
    expect(cells).to.deep.equal({ '12134': 200 * 6 * 10, '12137': 200 * 12 * 2 * 10, '12362': 200 * 32 * 2 * 2 * 10, '07459': 194 * 11 });
  });
});

describe('npm run standin (test/standin/main.ts)', function () {
  this.timeout(10000);

  it('prints the two base URLs, says the data are synthetic, and stops on SIGTERM', async () => {
    const child = spawn(process.execPath, [path.join(ROOT, 'dist', 'test', 'standin', 'main.js')], { env: { ...process.env, STANDIN_PORT: '0' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const urls = await new Promise<RegExpExecArray>((resolve, reject) => {
      child.stdout!.on('data', (c: Buffer) => {
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
