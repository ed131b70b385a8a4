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
import { LINEAGES } from '../../tools/demo-data/regions';
import { readCuratedInputs } from '../../tools/demo-data/curated';
import { buildModel } from '../../tools/demo-data/model';
import { buildTables } from '../../tools/demo-data/tables';

const ROOT = path.resolve(__dirname, '../../..');

describe('demo dataset', function () {
  this.timeout(10000);
  const ds = demoDataset();
  const table = (id: string) => ds.tables.find((t) => t.id === id)!;
  const regionCodes = table('12362').dims[0].categories.map((c) => c.code);

  it('is built in memory in well under a second (model and the four cubes)', () => {
    const t0 = process.hrtime.bigint();
    const curated = readCuratedInputs();
    for (const t of buildTables(buildModel(curated))) t.cube();
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    expect(ms).to.be.below(900);
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
