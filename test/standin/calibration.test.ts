/**
 * The demo data reproduce Bærum's "KOSTRA analyse 2025" from raw cells, computed the way the product does
 * (ratios of amounts, weighted group averages Σ/Σ, need-corrected and inflation-adjusted NOK per inhabitant at
 * 31.12), reading each concept from whichever table holds it in SSB's documented layout.
 */
import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import serviceAreas from '../../core/service-areas/service-areas.json';
import { createEmulatorSource } from './pxweb-api';
import { RATIO_CONCEPT, type RatioMetric } from '../../tools/demo-data/targets';
import type { KlassCodeChange } from '../../etl/pxweb/types';
import { ASKER, asssCodes, BAERUM, codeIn, continuesAfter, decode, populationAt3112, readCsv, round, type Decoded } from './cells';

/** The tables by accounting concept in SSB's documented layout; a concept is read from the first that holds it. */
const CONCEPT_TABLES = ['12137', '12364', '12143'];

const YEARS = [2020, 2021, 2022, 2023, 2024];
const SERIES_METRIC: Record<string, RatioMetric> = {
  netto_driftsresultat_pct_bdi: 'netto_driftsresultat',
  frie_inntekter_pct_bdi: 'frie_inntekter',
  skatteinntekter_pct_bdi: 'skatteinntekter',
  netto_finansutgifter_pct_bdi: 'netto_finansutgifter',
  netto_avdrag_pct_bdi: 'netto_avdrag',
  brutto_investeringsutgifter_pct_bdi: 'brutto_investeringsutgifter',
  netto_lanegjeld_pct_bdi: 'netto_lanegjeld',
  disposisjonsfond_pct_bdi: 'disposisjonsfond',
};
const INDEX_METRIC: Record<string, RatioMetric> = {
  netto_driftsresultat: 'netto_driftsresultat',
  frie_inntekter: 'frie_inntekter',
  finansutgifter_netto: 'netto_finansutgifter',
  avdragsutgifter: 'netto_avdrag',
  brutto_investeringsutgifter: 'brutto_investeringsutgifter',
  netto_lanegjeld: 'netto_lanegjeld',
  disposisjonsfond: 'disposisjonsfond',
};

describe('demo data: calibration against Bærum KOSTRA analyse 2025', function () {
  this.timeout(10000);
  const source = createEmulatorSource();
  let amountCell: (code: string, concept: string, year: number) => { value: number | null; status?: string };
  let amount: (code: string, concept: string, year: number) => number;
  let cells12134: Decoded;
  const conceptCells = new Map<string, Decoded>();
  let fn: Decoded;
  let pop: Decoded;
  let changes: KlassCodeChange[];

  before(async () => {
    const holder = new Map<string, string>();
    for (const id of CONCEPT_TABLES) {
      const concepts = Object.keys((await source.metadata(id)).dimension.KOKartkap0000.category.index);
      for (const c of concepts) if (!holder.has(c)) holder.set(c, id);
      const ds = await source.data(id, {
        selection: [
          { variableCode: 'KOKkommuneregion0000', valueCodes: ['*'] },
          { variableCode: 'KOKartkap0000', valueCodes: ['*'] },
          { variableCode: 'ContentsCode', valueCodes: ['*'] },
          { variableCode: 'Tid', valueCodes: ['*'] },
        ],
      });
      conceptCells.set(id, decode(ds));
    }
    amountCell = (code, concept, year) => {
      const id = holder.get(concept);
      if (!id) throw new Error(`no table of ${CONCEPT_TABLES.join(', ')} holds concept ${concept}`);
      return conceptCells.get(id)!.get({ KOKkommuneregion0000: code, KOKartkap0000: concept, ContentsCode: 'KOSbelop0000', Tid: String(year) });
    };
    amount = (code, concept, year) => {
      const c = amountCell(code, concept, year);
      if (c.value === null) throw new Error(`no ${concept} for ${code} ${year} (${c.status})`);
      return c.value;
    };
    changes = await source.changes('2015-01-01', '2026-01-01');
    cells12134 = decode(
      await source.data('12134', {
        selection: [
          { variableCode: 'KOKkommuneregion0000', valueCodes: ['*'] },
          { variableCode: 'ContentsCode', valueCodes: ['*'] },
          { variableCode: 'Tid', valueCodes: ['*'] },
        ],
      }),
    );
    fn = decode(
      await source.data('12362', {
        selection: [
          { variableCode: 'KOKkommuneregion0000', valueCodes: ['*'] },
          { variableCode: 'KOKfunksjon0000', valueCodes: ['*'] },
          { variableCode: 'KOKart0000', valueCodes: ['AGD2', 'AGD10'] },
          { variableCode: 'ContentsCode', valueCodes: ['KOSbelop0000'] },
          { variableCode: 'Tid', valueCodes: ['range(2015,2024)'] },
        ],
      }),
    );
    pop = decode(
      await source.data('07459', {
        selection: [
          { variableCode: 'Region', valueCodes: ['*'] },
          { variableCode: 'ContentsCode', valueCodes: ['Personer1'] },
          { variableCode: 'Tid', valueCodes: ['*'] },
        ],
      }),
    );
  });

  const ratio = (code: string, m: RatioMetric, y: number) => (amount(code, RATIO_CONCEPT[m], y) / amount(code, 'AGD13', y)) * 100;
  const asss = (m: RatioMetric, y: number) => {
    const codes = asssCodes(y);
    const num = codes.reduce((s, c) => s + amount(c, RATIO_CONCEPT[m], y), 0);
    const den = codes.reduce((s, c) => s + amount(c, 'AGD13', y), 0);
    return (num / den) * 100;
  };
  const series = (name: string, m: RatioMetric, y: number) =>
    name === 'Bærum' ? ratio(BAERUM[y], m, y) : name === 'Asker' ? ratio(ASKER[y], m, y) : name === 'Landet' ? ratio('EAK', m, y) : asss(m, y);

  describe('ratio series (report-ratio-series.csv)', () => {
    it('reproduces all 160 published ratios at the published precision', () => {
      const rows = readCsv('report-ratio-series.csv');
      expect(rows).to.have.length(160);
      const wrong = rows.filter((r) => {
        const got = round(series(r.series, SERIES_METRIC[r.metric], Number(r.year)), Number(r.decimals_as_published));
        return got !== Number(r.value_pct);
      });
      expect(wrong.map((r) => `${r.metric} ${r.series} ${r.year} ${r.value_pct} got ${series(r.series, SERIES_METRIC[r.metric], Number(r.year))}`)).to.deep.equal([]);
    });

    it('KOSTRA group 12 (EKG12) is the sum of the 11 members, so its ratios are the ASSS u/Oslo averages', () => {
      for (const m of Object.values(SERIES_METRIC)) {
        for (const y of YEARS) {
          expect(ratio('EKG12', m, y)).to.be.closeTo(asss(m, y), 1e-9);
        }
      }
    });

    it('12134 resultatgrad (KOSAGD230000) is AGD23 / AGD13 × 100 rounded to 1 decimal for every region and year', () => {
      let checked = 0;
      for (const { coords, cell } of cells12134.cells()) {
        if (coords.ContentsCode !== 'KOSAGD230000' || cell.value === null) continue;
        const y = Number(coords.Tid);
        if (amountCell(coords.KOKkommuneregion0000, 'AGD23', y).value === null) continue; // a suppressed amount
        expect(cell.value, `${coords.KOKkommuneregion0000} ${y}`).to.equal(round(ratio(coords.KOKkommuneregion0000, 'netto_driftsresultat', y), 1));
        checked++;
      }
      expect(checked).to.be.greaterThan(900);
      const get = (code: string, y: number) => cells12134.get({ KOKkommuneregion0000: code, ContentsCode: 'KOSAGD230000', Tid: String(y) }).value;
      expect(get('EKG12', 2024)).to.equal(0.1);
      expect(get('EAK', 2024)).to.equal(0.8);
      expect(get('3201', 2024)).to.equal(2.3);
    });

    it('other 12134 contents agree with the amounts and the population at 31.12', () => {
      const c = (content: string, code: string, y: number) => cells12134.get({ KOKkommuneregion0000: code, ContentsCode: content, Tid: String(y) }).value;
      const people = (code: string, y: number) => populationAt3112(pop, changes, code, y);
      for (const codeOf of [(y: number) => BAERUM[y], (y: number) => ASKER[y], () => '4601', () => '1806']) {
        for (const y of YEARS) {
          const code = codeOf(y);
          expect(c('KOSAGD290000', code, y)).to.equal(round(ratio(code, 'disposisjonsfond', y), 1));
          expect(c('KOSAGI10000', code, y)).to.equal(round(ratio(code, 'brutto_investeringsutgifter', y), 1));
          expect(c('KOSKG320000', code, y)).to.equal(round(ratio(code, 'netto_lanegjeld', y), 1));
          expect(c('KOSAGI210000', code, y)).to.equal(round(ratio(code, 'netto_avdrag', y), 1));
          expect(c('KOSAG110000', code, y)).to.equal(round((amount(code, 'AG11', y) * 1000) / people(code, y), 0));
          expect(c('KOSKG400000', code, y)).to.equal(round((amount(code, 'KG31', y) * 1000) / people(code, y), 0));
        }
      }
    });
  });

  describe('per-inhabitant figures use the population at 31.12 (07459 on 1 January of the next year)', () => {
    interface Check { what: string; code: string; year: number; published: number; amount: number }
    const checks: Check[] = [];
    before(async () => {
      const groups = Object.keys((await source.metadata('12362')).dimension.KOKfunksjon0000.category.index).filter((c) => c.startsWith('FGK'));
      const services = decode(
        await source.data('12362', {
          selection: [
            { variableCode: 'KOKkommuneregion0000', valueCodes: ['*'] },
            { variableCode: 'KOKfunksjon0000', valueCodes: groups },
            { variableCode: 'KOKart0000', valueCodes: ['AGD2', 'AGD10'] },
            { variableCode: 'ContentsCode', valueCodes: ['KOSbelop0000', 'KOSbelopinnbygge0000'] },
            { variableCode: 'Tid', valueCodes: ['*'] },
          ],
        }),
      );
      // municipality codes whose territory is the same on 1 January, and the country (07459's "0")
      const continuing = (code: string, y: number) => (/^\d{4}$/.test(code) || code === 'EAK') && continuesAfter(changes, code, y);
      const add = (what: string, code: string, y: number, published: number | null, amountCell: { value: number | null }) => {
        if (published === null || amountCell.value === null || !continuing(code, y)) return;
        checks.push({ what, code, year: y, published, amount: amountCell.value });
      };
      for (const { coords, cell } of cells12134.cells()) {
        const concept = { KOSAG110000: 'AG11', KOSKG400000: 'KG31' }[coords.ContentsCode];
        if (concept) add(`12134 ${coords.ContentsCode}`, coords.KOKkommuneregion0000, Number(coords.Tid), cell.value, amountCell(coords.KOKkommuneregion0000, concept, Number(coords.Tid)));
      }
      const c12137 = conceptCells.get('12137')!;
      for (const { coords, cell } of c12137.cells()) {
        if (coords.ContentsCode === 'KOSbelopprinnb0000') add('12137 KOSbelopprinnb0000', coords.KOKkommuneregion0000, Number(coords.Tid), cell.value, c12137.get({ ...coords, ContentsCode: 'KOSbelop0000' }));
      }
      for (const { coords, cell } of services.cells()) {
        if (coords.ContentsCode === 'KOSbelopinnbygge0000') add('12362 KOSbelopinnbygge0000', coords.KOKkommuneregion0000, Number(coords.Tid), cell.value, services.get({ ...coords, ContentsCode: 'KOSbelop0000' }));
      }
    });
    const people = (code: string, y: number) => pop.get({ Region: code === 'EAK' ? '0' : code, ContentsCode: 'Personer1', Tid: String(y) }).value!;

    it('every published figure is amount × 1000 / the next year\'s 07459 population, for every continuing code', () => {
      const kinds = new Map<string, number>();
      for (const c of checks) kinds.set(c.what, (kinds.get(c.what) ?? 0) + 1);
      expect([...kinds.keys()].sort()).to.deep.equal(['12134 KOSAG110000', '12134 KOSKG400000', '12137 KOSbelopprinnb0000', '12362 KOSbelopinnbygge0000']);
      for (const [what, n] of kinds) expect(n, what).to.be.greaterThan(500);
      const wrong = checks.filter((c) => round((c.amount * 1000) / people(c.code, c.year + 1), 0) !== c.published);
      expect(wrong.slice(0, 5).map((c) => `${c.what} ${c.code} ${c.year}: ${c.published}`)).to.deep.equal([]);
    });

    it('the same year\'s population (1 January) would not give them: the check above tells the conventions apart', () => {
      for (const what of new Set(checks.map((c) => c.what))) {
        const mine = checks.filter((c) => c.what === what);
        const sameYear = mine.filter((c) => round((c.amount * 1000) / people(c.code, c.year), 0) === c.published);
        expect(sameYear.length / mine.length, what).to.be.below(0.05);
      }
    });

    it('a code renumbered the next day divides by its successor\'s 1 January population (Bærum 0219 → 3024, 3024 → 3201)', () => {
      for (const [code, y, successor] of [['0219', 2019, '3024'], ['3024', 2023, '3201']] as const) {
        const published = cells12134.get({ KOKkommuneregion0000: code, ContentsCode: 'KOSAG110000', Tid: String(y) }).value!;
        expect(published).to.equal(round((amount(code, 'AG11', y) * 1000) / people(successor, y + 1), 0));
      }
    });
  });

  describe('index table 2024 (report-index-2024.csv)', () => {
    const index = (m: RatioMetric, code: string) => (ratio(code, m, 2024) / asss(m, 2024)) * 100;
    const members = asssCodes(2024);
    const extremes = (m: RatioMetric) => {
      const sorted = [...members].sort((a, b) => ratio(b, m, 2024) - ratio(a, m, 2024));
      return { highest: sorted[0], lowest: sorted[sorted.length - 1], sorted };
    };
    for (const row of readCsv('report-index-2024.csv')) {
      const m = INDEX_METRIC[row.metric];
      it(`${row.metric}: Bærum ${row.baerum}, Asker ${row.asker}, highest ${row.highest}, lowest ${row.lowest}`, () => {
        const { highest, lowest } = extremes(m);
        expect(Math.round(index(m, highest)), 'highest').to.equal(Number(row.highest));
        expect(Math.round(index(m, lowest)), 'lowest').to.equal(Number(row.lowest));
        if (m === 'netto_avdrag') {
          // The report is inconsistent: Bærum and Asker are both 3.6 % against an ASSS average of 4.1 % in the
          // series, which allows indices 87–90 only, yet it prints 91 and 103. The demo keeps the series.
          expect(Math.round(index(m, '3201'))).to.equal(90);
          expect(Math.round(index(m, '3203'))).to.equal(90);
        } else {
          expect(Math.round(index(m, '3201')), 'Bærum').to.equal(Number(row.baerum));
          expect(Math.round(index(m, '3203')), 'Asker').to.equal(Number(row.asker));
        }
      });
    }

    it('the extremes are the members the text names', () => {
      const r = (m: RatioMetric, code: string) => ratio(code, m, 2024);
      const nd = extremes('netto_driftsresultat');
      expect(nd.sorted.indexOf('3201'), 'Bærum third highest resultatgrad').to.equal(2);
      expect(round(r('netto_driftsresultat', nd.highest), 1)).to.equal(3.5);
      expect(round(r('netto_driftsresultat', nd.lowest), 1)).to.equal(-3.7);
      const gj = extremes('netto_lanegjeld');
      expect(gj.lowest).to.equal('1103');
      expect(round(r('netto_lanegjeld', '1103'), 0)).to.equal(71);
      expect(gj.highest).to.equal('5501');
      expect(round(r('netto_lanegjeld', '5501'), 0)).to.equal(123);
      expect(extremes('disposisjonsfond').highest).to.equal('3201');
      expect(extremes('frie_inntekter').highest).to.equal('3201');
      expect(extremes('brutto_investeringsutgifter').highest).to.equal('3203');
    });
  });

  describe('statements in the text', () => {
    const tax = (y: number) => amount(y <= 2019 ? '0219' : BAERUM[y], 'AG12', y);
    const growth = (y: number) => (tax(y) / tax(y - 1) - 1) * 100;

    it("Bærum's tax income grew 19.4 % in 2021 and fell 7.5 % in 2023, the extremes of 2020–2024", () => {
      expect(round(growth(2021), 1)).to.equal(19.4);
      expect(round(growth(2023), 1)).to.equal(-7.5);
      for (const y of [2020, 2022, 2024]) expect(growth(y)).to.be.within(-7.5, 19.4);
    });

    it("Bærum's average annual tax growth 2020–2024 is 4.5 % (geometric)", () => {
      expect(round((Math.pow(tax(2024) / tax(2020), 1 / 4) - 1) * 100, 1)).to.equal(4.5);
    });

    it("Bærum's tax growth in 2020 was the lowest in the network", () => {
      const pre: Record<string, string[]> = {
        '3024': ['0219'],
        '3025': ['0220', '0627', '0628'],
        '3030': ['0231', '0227', '0226'],
        '3004': ['0106'],
        '3005': ['0602', '0625', '0711'],
        '4204': ['1001', '1017', '1018'],
        '1103': ['1103', '1141', '1142'],
        '1108': ['1102', '1129'],
        '4601': ['1201'],
        '5001': ['5001', '5030'],
        '5401': ['1902'],
      };
      const g = Object.fromEntries(
        Object.entries(pre).map(([c, olds]) => [c, amount(c, 'AG12', 2020) / olds.reduce((s, o) => s + amount(o, 'AG12', 2019), 0) - 1]),
      );
      const lowest = Object.entries(g).sort((a, b) => a[1] - b[1])[0][0];
      expect(lowest).to.equal('3024');
    });

    it('resultatgrad: Bærum 2.2 pp above ASSS in 2024; Landet and ASSS fell 3.5 and 5.1 pp since 2021', () => {
      expect(round(ratio('3201', 'netto_driftsresultat', 2024) - asss('netto_driftsresultat', 2024), 1)).to.equal(2.2);
      expect(round(ratio('EAK', 'netto_driftsresultat', 2021) - ratio('EAK', 'netto_driftsresultat', 2024), 1)).to.equal(3.5);
      expect(round(asss('netto_driftsresultat', 2021) - asss('netto_driftsresultat', 2024), 1)).to.equal(5.1);
    });

    it('disposisjonsfond: Bærum 6 pp lower than in 2020 and 3 pp lower than the year before', () => {
      const d = (y: number) => ratio(BAERUM[y], 'disposisjonsfond', y);
      expect(round(d(2020) - d(2024), 0)).to.equal(6);
      expect(round(d(2023) - d(2024), 0)).to.equal(3);
    });

    it('skatteandel: Bærum about 62 % and ASSS about 43 % on average over the last four years', () => {
      const avg = (f: (y: number) => number) => [2021, 2022, 2023, 2024].reduce((s, y) => s + f(y), 0) / 4;
      expect(round(avg((y) => ratio(BAERUM[y], 'skatteinntekter', y)), 0)).to.equal(62);
      expect(round(avg((y) => asss('skatteinntekter', y)), 0)).to.equal(43);
    });
  });

  describe('service areas (report-service-areas.csv)', () => {
    const curated = path.resolve(__dirname, '../../../etl/curated');
    const need = new Map<string, number>();
    const deflator = new Map<number, number>();
    before(() => {
      for (const line of fs.readFileSync(path.join(curated, 'need-index.csv'), 'utf8').split('\n').slice(1).filter(Boolean)) {
        const [k, y, s, v] = line.split(',');
        need.set(`${k}/${y}/${s}`, Number(v));
      }
      for (const line of fs.readFileSync(path.join(curated, 'deflator.csv'), 'utf8').split('\n').slice(1).filter(Boolean)) {
        const [y, v] = line.split(',');
        deflator.set(Number(y), Number(v));
      }
    });
    const groupings = serviceAreas.groupings as { id: string; label: string; needSector: string | null; serviceAreas: string[]; parent?: string }[];
    const top = groupings.filter((g) => !g.parent);
    const people = (code: string, y: number) => populationAt3112(pop, changes, code, y);
    const net = (code: string, sa: string, y: number) => fn.get({ KOKkommuneregion0000: code, KOKfunksjon0000: sa, KOKart0000: 'AGD2', ContentsCode: 'KOSbelop0000', Tid: String(y) }).value!;
    const inflate = (y: number) => {
      let f = 1;
      for (let t = y + 1; t <= 2024; t++) f *= 1 + deflator.get(t)!;
      return f;
    };
    /** members: [code valid in year, municipality key] */
    const value = (g: (typeof groupings)[number], members: [string, string][], y: number): number => {
      if (g.serviceAreas.length === 0) return groupings.filter((c) => c.parent === g.id).reduce((s, c) => s + value(c, members, y), 0);
      let num = 0;
      let den = 0;
      for (const [code, key] of members) {
        num += g.serviceAreas.reduce((s, sa) => s + net(code, sa, y), 0) * 1000;
        den += people(code, y) * need.get(`${key}/${y}/${g.needSector}`)!;
      }
      return (num / den) * inflate(y);
    };
    const membersOf = (series: string, y: number): [string, string][] =>
      series === 'Bærum' ? [[BAERUM[y], '3201']] : series === 'Asker' ? [[ASKER[y], '3203']] : asssCodes(2024).map((k) => [codeIn(k, y), k]);
    const labelToGrouping = (label: string) => {
      const child = label.startsWith('Andre områder: ') ? label.slice('Andre områder: '.length) : undefined;
      return groupings.find((g) => (child ? g.parent === 'andre_omrader' && g.label === child : !g.parent && g.label === label));
    };

    it('reproduces every NOK per inhabitant and share at the published precision', () => {
      const rows = readCsv('report-service-areas.csv');
      expect(rows).to.have.length(85);
      const wrong: string[] = [];
      for (const r of rows) {
        const y = Number(r.year);
        const members = membersOf(r.series, y);
        const total = top.reduce((s, g) => s + value(g, members, y), 0);
        const v = r.service_area === 'Totalt' ? total : value(labelToGrouping(r.service_area)!, members, y);
        if (Math.round(v) !== Number(r.nok_per_inhabitant_need_corrected_2024_value)) wrong.push(`${r.service_area} ${r.series} ${y}: ${v}`);
        if (r.share_pct !== '' && round((v / total) * 100, 1) !== Number(r.share_pct)) wrong.push(`${r.service_area} ${r.series} ${y} share ${(v / total) * 100}`);
      }
      expect(wrong).to.deep.equal([]);
    });

    it('every FGK group is exactly the sum of its functions (in use that year) for every region, art and year', () => {
      const groups: Record<string, string[]> = {};
      for (const sa of serviceAreas.serviceAreas) if (sa.kind === 'group') groups[sa.code] = (sa as { functions: string[] }).functions;
      groups.FGK3 = [...groups.FGK3, '304', '305'];
      let checked = 0;
      for (const { coords, cell } of fn.cells()) {
        const fns = groups[coords.KOKfunksjon0000];
        if (!fns || cell.value === null) continue;
        const parts = fns.map((f) => fn.get({ ...coords, KOKfunksjon0000: f })).filter((c) => c.status !== '.');
        if (parts.some((p) => p.value === null)) continue; // a suppressed function
        expect(cell.value, JSON.stringify(coords)).to.equal(parts.reduce((s, p) => s + p.value!, 0));
        checked++;
      }
      expect(checked).to.be.greaterThan(25000);
    });

    it('function 254 exists to 2023 and 258 from 2024 ("." otherwise)', () => {
      const c = (f: string, y: number) => fn.get({ KOKkommuneregion0000: '3201', KOKfunksjon0000: f, KOKart0000: 'AGD2', ContentsCode: 'KOSbelop0000', Tid: String(y) });
      expect(c('254', 2024)).to.deep.equal({ value: null, status: '.' });
      expect(c('258', 2023).status).to.equal('.');
      const c254 = fn.get({ KOKkommuneregion0000: '3024', KOKfunksjon0000: '254', KOKart0000: 'AGD2', ContentsCode: 'KOSbelop0000', Tid: '2023' });
      expect(c254.value).to.be.greaterThan(0);
      expect(c('258', 2024).value).to.be.greaterThan(0);
    });
  });
});
