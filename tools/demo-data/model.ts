/**
 * The economic model behind the synthetic demo data: for every municipality (lineage) and year, population,
 * accounting concepts (KOKartkap0000 of 12137, 12364 and 12143, 1000 NOK) and net/gross expenditure by KOSTRA
 * function (12362), calibrated so that Bærum's KOSTRA report (2024 figures) comes out of the raw cells; plus the
 * national totals (EAK).
 *
 * Everything is additive amounts (integers in 1000 NOK, persons), so region codes covering parts of lineages,
 * KOSTRA groups and counties are plain sums, and every ratio, per-inhabitant figure and share is computed from
 * the amounts exactly as SSB does.
 */
import { loadServiceAreas } from '../../core/service-areas';
import { shippedMetrics, shippedProduction } from '../../core/metrics';
import { inflationFactor, NEED_SECTORS, needIndex, type CuratedInputs, type NeedSector } from './curated';
import { expandServiceArea, FUNCTIONS, FUNCTION_BY_CODE, functionValidIn, NAERING_FIXED } from './functions';
import { noise, uniform } from './prng';
import { ASSS_U_OSLO_KEYS, FIRST_YEAR, LAST_YEAR, LINEAGES, POP_LAST_YEAR, type LineageSpec } from './regions';
import {
  BAERUM_TAX,
  EFFICIENCY_TARGETS,
  LANDET_EARLY,
  RATIO_ANCHORS,
  RATIO_CONCEPT,
  RATIO_METRICS,
  SERVICE_BASELINE,
  SERVICE_TARGETS,
  VOLUMES,
  type RatioMetric,
  type ServiceSeries,
} from './targets';

export const NY = LAST_YEAR - FIRST_YEAR + 1; // 10 years of KOSTRA
export const NPY = POP_LAST_YEAR - FIRST_YEAR + 1; // 11 years of population

/** Concepts kept per unit: every concept of every table layout (tables.ts decides which table shows which). */
export const CONCEPT_CODES = ['AGD13', 'AGD9', 'AGD3', 'AGD23', 'AGD1', 'AG11', 'AG12', 'A800', 'AGD86', 'AGD21', 'AGD65', 'AGI1', 'KG14', 'KG31', '56', 'KG28', 'KG21'] as const;
export const CI = new Map<string, number>(CONCEPT_CODES.map((c, i) => [c, i]));
export const ART_CODES = ['AGD2', 'AGD10', 'AGI5', 'AGD4'] as const;
export const FUNC_CODES = FUNCTIONS.map((f) => f.code);
export const FI = new Map<string, number>(FUNC_CODES.map((c, i) => [c, i]));
/** Service volumes (tables 11977, 12562, 11996, 12219, 12275, 12292), by indicator key. */
export const VI = new Map<string, number>(VOLUMES.map((v, i) => [v.key, i]));
const NV = VOLUMES.length;
const NC = CONCEPT_CODES.length;
const NA = ART_CODES.length;
const NF = FUNC_CODES.length;

/** Amounts of one region (lineage, code or aggregate). NaN = no figure (code not valid / function not in use). */
export interface Unit {
  /** persons 1 January, years 2015–2025 (table 07459) */
  pop: Float64Array;
  /**
   * persons 31 December, years 2015–2024: KOSTRA's denominator for every per-inhabitant figure. It is the
   * territory's population counted on 1 January of the next year, so for a code that ends on 31.12 it is what
   * its successors count (Σ over its parts in the year of w × the lineage's next-year population).
   */
  popEnd: Float64Array;
  /** [concept][year] 1000 NOK */
  c: Float64Array;
  /** [art][function][year] 1000 NOK */
  f: Float64Array;
  /** [volume][year] counts (tenths for a volume published with one decimal) */
  v: Float64Array;
}

export function newUnit(fill = Number.NaN): Unit {
  return {
    pop: new Float64Array(NPY).fill(fill), popEnd: new Float64Array(NY).fill(fill), c: new Float64Array(NC * NY).fill(fill),
    f: new Float64Array(NA * NF * NY).fill(fill), v: new Float64Array(NV * NY).fill(fill),
  };
}
export const cIdx = (concept: number, yi: number) => concept * NY + yi;
export const fIdx = (art: number, fn: number, yi: number) => (art * NF + fn) * NY + yi;
export const vIdx = (volume: number, yi: number) => volume * NY + yi;

interface Grouping {
  id: string;
  label: string;
  needSector: NeedSector | null;
  serviceAreas: string[];
  parent?: string;
}
/** The product's validated service-area catalogue, each need sector one the demo's curated need index models. */
export const GROUPINGS: Grouping[] = loadServiceAreas().groupings.map((g) => {
  const sector = g.needSector;
  if (sector !== null && !(NEED_SECTORS as readonly string[]).includes(sector)) {
    throw new Error(`demo model: grouping ${g.id} has need sector ${sector}; the demo need index models ${NEED_SECTORS.join(', ')}`);
  }
  return { ...g, needSector: sector as NeedSector | null };
});
/** Groupings that hold functions (every one but "Andre områder", which is the sum of its children). */
export const LEAF_GROUPINGS = GROUPINGS.filter((g) => g.serviceAreas.length > 0);

export interface DemoModel {
  lineages: Map<string, Unit>;
  national: Unit;
  /** per lineage and year: the need-corrected NOK per inhabitant (2024 value) the generator aimed at, by grouping */
  serviceValues: Map<string, Map<string, Float64Array>>;
  curated: CuratedInputs;
}

// ---------------------------------------------------------------------------------------------------------
// Population

/** Population 1 January (approximately real), 2015–2025. */
const NATIONAL_POP = [5165802, 5213985, 5258317, 5295619, 5328212, 5367580, 5391369, 5425270, 5488984, 5550203, 5594340];

function lineagePop(l: LineageSpec): Float64Array {
  const out = new Float64Array(NPY);
  for (let yi = 0; yi < NPY; yi++) {
    const y = FIRST_YEAR + yi;
    const wobble = 1 + noise(`pop/${l.key}/${y}`, 0.0015);
    out[yi] = Math.round(l.pop2024 * Math.pow(1 + l.growth, y - 2024) * (y === 2024 ? 1 : wobble));
  }
  return out;
}

function smallness(pop: number): number {
  return Math.max(0, Math.min(1, Math.log(60000 / pop) / Math.log(25)));
}

// ---------------------------------------------------------------------------------------------------------
// Ratios (% of brutto driftsinntekter)

const METRIC_SD: Record<RatioMetric, number> = {
  netto_driftsresultat: 1.2,
  frie_inntekter: 3.5,
  skatteinntekter: 5,
  netto_finansutgifter: 0.9,
  netto_avdrag: 0.6,
  brutto_investeringsutgifter: 4,
  netto_lanegjeld: 16,
  disposisjonsfond: 4.5,
};
const METRIC_BOUNDS: Record<RatioMetric, [number, number]> = {
  netto_driftsresultat: [-6, 10],
  frie_inntekter: [45, 90],
  skatteinntekter: [15, 75],
  netto_finansutgifter: [0.3, 9],
  netto_avdrag: [1, 7],
  brutto_investeringsutgifter: [4, 40],
  netto_lanegjeld: [20, 160],
  disposisjonsfond: [0.5, 40],
};

/** National ratio for a year: the report's Landet series 2020–2024, plausible values before. */
export function landetRatio(m: RatioMetric, y: number): number {
  return y >= 2020 ? RATIO_ANCHORS[m].landet[y - 2020] : LANDET_EARLY[m][y - FIRST_YEAR];
}

function lineageOffset(l: LineageSpec, m: RatioMetric): number {
  const small = smallness(l.pop2024);
  let off = noise(`off/${l.key}/${m}`, METRIC_SD[m]);
  if (m === 'frie_inntekter') off += 6 * small;
  if (m === 'skatteinntekter') off -= 8 * small;
  if (m === 'disposisjonsfond') off += 2 * small;
  if (l.key === '0301') {
    if (m === 'skatteinntekter') off = 9;
    if (m === 'frie_inntekter') off = 4;
    if (m === 'netto_lanegjeld') off = -15;
  }
  return off;
}

function clamp(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}

function naturalRatio(l: LineageSpec, m: RatioMetric, y: number, center = landetRatio(m, y)): number {
  const [lo, hi] = METRIC_BOUNDS[m];
  return clamp(center + lineageOffset(l, m) + noise(`yr/${l.key}/${m}/${y}`, METRIC_SD[m] * 0.25), lo, hi);
}

// ---------------------------------------------------------------------------------------------------------
// Brutto driftsinntekter

/** Nominal growth of BDI per inhabitant, by year. */
const BDI_GROWTH: Record<number, number> = { 2016: 0.04, 2017: 0.035, 2018: 0.032, 2019: 0.038, 2020: 0.03, 2021: 0.07, 2022: 0.06, 2023: 0.055, 2024: 0.04 };
const BDI_PC_2024: Record<string, number> = {
  '0301': 145000,
  '4601': 124000,
  '5001': 122000,
  '1103': 128000,
  '4204': 123000,
  '3301': 119000,
  '3107': 121000,
  '1108': 118000,
  '3205': 117000,
  '5501': 127000,
};
const NATIONAL_BDI_PC_2024 = 122000;
/** Bærum's BDI 2024 (1000 NOK); earlier years follow from the tax statements of the report. */
const BAERUM_BDI_2024 = 16300000;
const ASKER_BDI_2024 = 11700000;
const ASKER_BDI_GROWTH: Record<number, number> = { 2021: 0.08, 2022: 0.06, 2023: 0.02, 2024: 0.04 };

function lineageBdi(l: LineageSpec, pop: Float64Array): Float64Array {
  const out = new Float64Array(NY);
  if (l.key === '3201') return baerumBdi();
  const pc24 = BDI_PC_2024[l.key] ?? 120000 + 45000 * smallness(l.pop2024) + noise(`bdipc/${l.key}`, 4000);
  let pc = pc24;
  const perCapita = new Float64Array(NY);
  for (let y = LAST_YEAR; y >= FIRST_YEAR; y--) {
    perCapita[y - FIRST_YEAR] = pc;
    if (y > FIRST_YEAR) pc /= 1 + BDI_GROWTH[y] + noise(`bdig/${l.key}/${y}`, 0.01);
  }
  for (let yi = 0; yi < NY; yi++) out[yi] = Math.round(perCapita[yi] * pop[yi] / 1000);
  if (l.key === '3203') {
    out[NY - 1] = ASKER_BDI_2024;
    for (let y = LAST_YEAR; y > 2020; y--) out[y - 1 - FIRST_YEAR] = Math.round(out[y - FIRST_YEAR] / (1 + ASKER_BDI_GROWTH[y]));
    for (let y = 2019; y >= FIRST_YEAR; y--) out[y - FIRST_YEAR] = Math.round(out[y + 1 - FIRST_YEAR] / (1 + BDI_GROWTH[y + 1]));
  }
  return out;
}

/**
 * Bærum's BDI path: tax shares s_t (anchors) and tax growth (+19.4 % 2021, −7.5 % 2023, geometric average 4.5 %
 * 2020–2024) fix T_t / T_2020 except the split of growth between 2022 and 2024, chosen so BDI grows equally in
 * both years. BDI_t = T_t / s_t.
 */
function baerumBdi(): Float64Array {
  const s = RATIO_ANCHORS.skatteinntekter.baerum.map((v) => v / 100);
  const total = Math.pow(1 + BAERUM_TAX.avgGrowth2020to2024, 4);
  const g21 = 1 + BAERUM_TAX.growth2021;
  const g23 = 1 + BAERUM_TAX.growth2023;
  const x = Math.sqrt((total * s[3] * s[2]) / (g21 * g23 * s[4] * s[1]));
  const T = [1, g21, g21 * x, g21 * x * g23, total]; // relative to T2020
  const t2020 = (BAERUM_BDI_2024 * s[4]) / T[4];
  const out = new Float64Array(NY);
  for (let i = 0; i < 5; i++) out[2020 - FIRST_YEAR + i] = Math.round((t2020 * T[i]) / s[i]);
  for (let y = 2019; y >= FIRST_YEAR; y--) out[y - FIRST_YEAR] = Math.round(out[y + 1 - FIRST_YEAR] / (1 + BDI_GROWTH[y + 1]));
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Calibration helpers

/** Solves Σ w_i clamp(p_i + δ, lo, hi) = target for δ by bisection; throws when the target is out of reach. */
export function solveShift(p: number[], w: number[], lo: number, hi: number, target: number, what: string): number[] {
  const f = (d: number) => p.reduce((s, pi, i) => s + w[i] * clamp(pi + d, lo, hi), 0);
  const wsum = w.reduce((a, b) => a + b, 0);
  if (target < lo * wsum - 1e-9 || target > hi * wsum + 1e-9) {
    throw new Error(`demo calibration: ${what} needs an average ${target / wsum} outside [${lo}, ${hi}]`);
  }
  let a = -1000;
  let b = 1000;
  for (let i = 0; i < 200; i++) {
    const m = (a + b) / 2;
    if (f(m) < target) a = m;
    else b = m;
  }
  const d = (a + b) / 2;
  return p.map((pi) => clamp(pi + d, lo, hi));
}

// ---------------------------------------------------------------------------------------------------------
// The model

export function buildModel(curated: CuratedInputs): DemoModel {
  const lineages = new Map<string, Unit>();
  const ratios = new Map<string, Map<RatioMetric, Float64Array>>();
  const bdi = new Map<string, Float64Array>();

  for (const l of LINEAGES) {
    const u = newUnit();
    u.pop.set(lineagePop(l));
    for (let yi = 0; yi < NY; yi++) u.popEnd[yi] = u.pop[yi + 1];
    lineages.set(l.key, u);
    bdi.set(l.key, lineageBdi(l, u.pop));
    const r = new Map<RatioMetric, Float64Array>();
    for (const m of RATIO_METRICS) {
      const a = new Float64Array(NY);
      for (let yi = 0; yi < NY; yi++) a[yi] = naturalRatio(l, m, FIRST_YEAR + yi);
      r.set(m, a);
    }
    ratios.set(l.key, r);
  }

  calibrateAsssRatios(ratios, bdi);

  // amounts of the ratio concepts
  for (const l of LINEAGES) {
    const u = lineages.get(l.key)!;
    const b = bdi.get(l.key)!;
    const r = ratios.get(l.key)!;
    for (let yi = 0; yi < NY; yi++) {
      u.c[cIdx(CI.get('AGD13')!, yi)] = b[yi];
      for (const m of RATIO_METRICS) u.c[cIdx(CI.get(RATIO_CONCEPT[m])!, yi)] = Math.round((r.get(m)![yi] * b[yi]) / 100);
    }
  }
  fixAsssSums(lineages, bdi);

  const serviceValues = new Map<string, Map<string, Float64Array>>();
  for (const l of LINEAGES) serviceValues.set(l.key, naturalServiceValues(l));
  calibrateServiceValues(serviceValues, lineages, curated);

  for (const l of LINEAGES) {
    const u = lineages.get(l.key)!;
    fillFunctions(u, l.key, serviceValues.get(l.key)!, curated, (s, y) => needIndex(curated, l.key, y, s));
    fillVolumes(u, l.key, (s, y) => needIndex(curated, l.key, y, s));
  }
  calibrateEfficiency(lineages, curated);
  for (const l of LINEAGES) fillDerivedConcepts(lineages.get(l.key)!, l.key, smallness(l.pop2024));

  const national = buildNational(curated);
  return { lineages, national, serviceValues, curated };
}

/** ASSS u/Oslo 2020–2024: Bærum, Asker and (2024) the extremes fixed; the other members shifted to hit the average. */
function calibrateAsssRatios(ratios: Map<string, Map<RatioMetric, Float64Array>>, bdi: Map<string, Float64Array>): void {
  const members = ASSS_U_OSLO_KEYS;
  for (const m of RATIO_METRICS) {
    const an = RATIO_ANCHORS[m];
    for (let i = 0; i < 5; i++) {
      const y = 2020 + i;
      const yi = y - FIRST_YEAR;
      const fixed = new Map<string, number>([
        ['3201', an.baerum[i]],
        ['3203', an.asker[i]],
      ]);
      let [lo, hi] = METRIC_BOUNDS[m];
      const avg = an.asss[i];
      lo = Math.max(lo, avg - 4 * METRIC_SD[m]);
      hi = Math.min(hi, avg + 4 * METRIC_SD[m]);
      if (y === 2024 && an.lowest.key) {
        fixed.set(an.highest.key, an.highest.value);
        fixed.set(an.lowest.key, an.lowest.value);
        const gap = METRIC_SD[m] * 0.08;
        lo = an.lowest.value + gap;
        hi = an.highest.value - gap;
        // Bærum third highest in netto driftsresultat: everyone else below Bærum
        if (m === 'netto_driftsresultat') hi = an.baerum[4] - gap;
      }
      const free = members.filter((k) => !fixed.has(k));
      const w = free.map((k) => bdi.get(k)![yi]);
      const totalBdi = members.reduce((s, k) => s + bdi.get(k)![yi], 0);
      const fixedSum = [...fixed].reduce((s, [k, v]) => s + v * bdi.get(k)![yi], 0);
      const target = avg * totalBdi - fixedSum;
      const p = free.map((k) => avg + noise(`asss/${k}/${m}`, METRIC_SD[m] * 0.7) + noise(`asssyr/${k}/${m}/${y}`, METRIC_SD[m] * 0.15));
      const solved = solveShift(p, w, lo, hi, target, `${m} ${y} ASSS u/Oslo`);
      for (const [k, v] of fixed) ratios.get(k)!.get(m)![yi] = v;
      free.forEach((k, j) => (ratios.get(k)!.get(m)![yi] = solved[j]));
    }
    // Earlier years of the members follow their 2020 level plus the national movement.
    for (const k of members) {
      const a = ratios.get(k)!.get(m)!;
      for (let y = 2019; y >= FIRST_YEAR; y--) {
        const yi = y - FIRST_YEAR;
        a[yi] = clamp(a[2020 - FIRST_YEAR] + 0.8 * (landetRatio(m, y) - landetRatio(m, 2020)) + noise(`early/${k}/${m}/${y}`, METRIC_SD[m] * 0.15), ...METRIC_BOUNDS[m]);
      }
    }
  }
  // Bærum before 2020, as the report describes it: investment ≈ 13 % before 2018, debt 65–75 %, funds rising.
  const b = ratios.get('3201')!;
  b.get('brutto_investeringsutgifter')!.set([13.1, 12.9, 13.4, 17.0, 20.5], 0);
  b.get('netto_lanegjeld')!.set([66, 68, 70, 71, 72], 0);
  b.get('disposisjonsfond')!.set([21, 23, 25.5, 27.5, 29.5], 0);
  // Tax growth 2020: Bærum lowest in the network (−1.5 %), others +0.5…+4.5 %.
  const i19 = 2019 - FIRST_YEAR;
  const i20 = 2020 - FIRST_YEAR;
  for (const k of members) {
    const g = k === '3201' ? BAERUM_TAX.growth2020 : uniform(`taxg2020/${k}`, 0.005, 0.045);
    const s = ratios.get(k)!.get('skatteinntekter')!;
    const b20 = bdi.get(k)![i20];
    const b19 = bdi.get(k)![i19];
    s[i19] = ((s[i20] * b20) / (1 + g)) / b19;
    for (let y = 2018; y >= FIRST_YEAR; y--) s[y - FIRST_YEAR] = s[i19] + 0.8 * (landetRatio('skatteinntekter', y) - landetRatio('skatteinntekter', 2019));
  }
  // frie inntekter ≥ skatt + 4 (rammetilskudd is never negative)
  for (const [k, r] of ratios) {
    const f = r.get('frie_inntekter')!;
    const s = r.get('skatteinntekter')!;
    for (let yi = 0; yi < NY; yi++) {
      if (f[yi] < s[yi] + 4) {
        const y = FIRST_YEAR + yi;
        if (members.includes(k) && y >= 2020) throw new Error(`demo calibration: ${k} ${y} frie inntekter ${f[yi]} < skatt ${s[yi]} + 4`);
        f[yi] = s[yi] + 4;
      }
    }
  }
}

/** Integer rounding of many members can move Σ concept / Σ BDI: put the residual on the largest free member. */
function fixAsssSums(lineages: Map<string, Unit>, bdi: Map<string, Float64Array>): void {
  const members = ASSS_U_OSLO_KEYS;
  for (const m of RATIO_METRICS) {
    const ci = CI.get(RATIO_CONCEPT[m])!;
    const an = RATIO_ANCHORS[m];
    for (let i = 0; i < 5; i++) {
      const yi = 2020 + i - FIRST_YEAR;
      const totalBdi = members.reduce((s, k) => s + bdi.get(k)![yi], 0);
      const want = Math.round((an.asss[i] * totalBdi) / 100);
      const have = members.reduce((s, k) => s + lineages.get(k)!.c[cIdx(ci, yi)], 0);
      const fixedKeys = new Set(['3201', '3203', an.highest.key, an.lowest.key]);
      const absorber = members.filter((k) => !fixedKeys.has(k)).sort((a, b) => bdi.get(b)![yi] - bdi.get(a)![yi])[0];
      lineages.get(absorber)!.c[cIdx(ci, yi)] += want - have;
    }
  }
}

// ---------------------------------------------------------------------------------------------------------
// Service areas (12362)

function naturalServiceValues(l: LineageSpec): Map<string, Float64Array> {
  const small = smallness(l.pop2024);
  const out = new Map<string, Float64Array>();
  for (const g of LEAF_GROUPINGS) {
    const a = new Float64Array(NY);
    let base = SERVICE_BASELINE[g.id] * (1 + noise(`svc/${l.key}/${g.id}`, 0.08));
    if (g.id === 'landbruk') base *= 1 + 2.5 * small;
    if (g.id === 'samferdsel') base *= 1 + 0.8 * small;
    if (g.id === 'naering') base = SERVICE_BASELINE[g.id] + noise(`svc/${l.key}/${g.id}`, 150);
    for (let yi = 0; yi < NY; yi++) a[yi] = trendValue(base, l.key, g.id, FIRST_YEAR + yi, 2024);
    out.set(g.id, a);
  }
  return out;
}

/** A need-corrected, 2024-valued figure in another year: a small real trend plus noise (additive for small values). */
function trendValue(anchor: number, key: string, grouping: string, y: number, anchorYear: number): number {
  if (y === anchorYear) return anchor;
  if (Math.abs(anchor) < 400) return anchor + noise(`svcyr/${key}/${grouping}/${y}`, 40);
  return anchor * Math.pow(1.008, y - anchorYear) * (1 + noise(`svcyr/${key}/${grouping}/${y}`, 0.02));
}

const SERIES_OF: Record<string, { key: string; year: number; series: ServiceSeries }[]> = {
  '3201': [
    { key: '3201', year: 2022, series: 'baerum2022' },
    { key: '3201', year: 2023, series: 'baerum2023' },
    { key: '3201', year: 2024, series: 'baerum2024' },
  ],
  '3203': [{ key: '3203', year: 2024, series: 'asker2024' }],
};

/**
 * Bærum 2022–2024 and Asker 2024 take the published values; the other ASSS members' 2024 values are shifted
 * (additively, per grouping) so Σ amount / Σ (population × need) is the published ASSS u/Oslo average.
 * Every member's other years hang off its calibrated year.
 */
function calibrateServiceValues(values: Map<string, Map<string, Float64Array>>, lineages: Map<string, Unit>, curated: CuratedInputs): void {
  const y24 = 2024 - FIRST_YEAR;
  for (const g of LEAF_GROUPINGS) {
    const t = SERVICE_TARGETS[g.id];
    if (!t) throw new Error(`demo calibration: no report target for grouping ${g.id} (service-areas.json changed?)`);
    const sector = g.needSector as NeedSector;
    for (const list of Object.values(SERIES_OF)) {
      for (const s of list) {
        const a = values.get(s.key)!.get(g.id)!;
        a[s.year - FIRST_YEAR] = t[s.series];
      }
    }
    // Bærum before 2022 and Asker before 2024 follow their first calibrated year.
    const b = values.get('3201')!.get(g.id)!;
    for (let y = FIRST_YEAR; y < 2022; y++) b[y - FIRST_YEAR] = trendValue(b[2022 - FIRST_YEAR], '3201', g.id, y, 2022);
    const ak = values.get('3203')!.get(g.id)!;
    for (let y = FIRST_YEAR; y < 2024; y++) ak[y - FIRST_YEAR] = trendValue(ak[y24], '3203', g.id, y, 2024);

    const weight = (k: string) => (lineages.get(k)!.popEnd[y24] * needIndex(curated, k, 2024, sector)) / 1000;
    const free = ASSS_U_OSLO_KEYS.filter((k) => k !== '3201' && k !== '3203');
    const totalW = ASSS_U_OSLO_KEYS.reduce((s, k) => s + weight(k), 0);
    const fixed = t.baerum2024 * weight('3201') + t.asker2024 * weight('3203');
    const p = free.map((k) => (Math.abs(t.asss2024) < 400 ? t.asss2024 + noise(`asvc/${k}/${g.id}`, 120) : t.asss2024 * (1 + noise(`asvc/${k}/${g.id}`, 0.07))));
    const w = free.map(weight);
    const need = t.asss2024 * totalW - fixed;
    const delta = (need - p.reduce((s, pi, i) => s + pi * w[i], 0)) / w.reduce((s, x) => s + x, 0);
    free.forEach((k, i) => {
      const a = values.get(k)!.get(g.id)!;
      a[y24] = p[i] + delta;
      for (let y = FIRST_YEAR; y < 2024; y++) a[y - FIRST_YEAR] = trendValue(a[y24], k, g.id, y, 2024);
    });
  }
}

/** Functions of each leaf grouping in a year (validated disjoint). */
const groupingFunctionsCache = new Map<number, Map<string, string[]>>();
export function groupingFunctions(year: number): Map<string, string[]> {
  let m = groupingFunctionsCache.get(year);
  if (m) return m;
  m = new Map();
  const owner = new Map<string, string>();
  for (const g of LEAF_GROUPINGS) {
    const fns = [...new Set(g.serviceAreas.flatMap((sa) => expandServiceArea(sa, year)))];
    for (const f of fns) {
      if (owner.has(f)) throw new Error(`demo model: function ${f} is in both ${owner.get(f)} and ${g.id}; the report groupings must be disjoint`);
      owner.set(f, g.id);
    }
    m.set(g.id, fns);
  }
  groupingFunctionsCache.set(year, m);
  return m;
}

/** Spreads grouping amounts over functions (AGD2), then gross expenditure, investment and corrected gross. */
function fillFunctions(u: Unit, key: string, values: Map<string, Float64Array>, curated: CuratedInputs, need: (s: NeedSector, y: number) => number): void {
  const agd2 = 0;
  const agd10 = 1;
  const agi5 = 2;
  const agd4 = 3;
  for (let yi = 0; yi < NY; yi++) {
    const y = FIRST_YEAR + yi;
    // the report's figures are NOK per inhabitant at 31.12, so that is the population the amounts scale with
    const pop = u.popEnd[yi];
    const infl = inflationFactor(curated, y, 2024);
    const owned = new Set<string>();
    for (const [gid, fns] of groupingFunctions(y)) {
      fns.forEach((f) => owned.add(f));
      const g = LEAF_GROUPINGS.find((x) => x.id === gid)!;
      const amount = Math.round((values.get(gid)![yi] * need(g.needSector as NeedSector, y) * pop) / infl / 1000);
      if (gid === 'naering') {
        let rest = amount;
        for (const f of fns) {
          if (f === '321') continue;
          const v = Math.round(((NAERING_FIXED[f] ?? 0) * pop) / infl / 1000);
          u.f[fIdx(agd2, FI.get(f)!, yi)] = v;
          rest -= v;
        }
        u.f[fIdx(agd2, FI.get('321')!, yi)] = rest;
        continue;
      }
      const wsum = fns.reduce((s, f) => s + (FUNCTION_BY_CODE.get(f)!.w ?? 0), 0);
      let rest = amount;
      let largest = fns[0];
      for (const f of fns) {
        const w = FUNCTION_BY_CODE.get(f)!.w ?? 0;
        if (Math.abs(w) > Math.abs(FUNCTION_BY_CODE.get(largest)!.w ?? 0)) largest = f;
        const v = Math.round((amount * w) / wsum);
        u.f[fIdx(agd2, FI.get(f)!, yi)] = v;
        rest -= v;
      }
      u.f[fIdx(agd2, FI.get(largest)!, yi)] += rest;
    }
    for (const spec of FUNCTIONS) {
      if (owned.has(spec.code) || !functionValidIn(spec, y)) continue;
      if (spec.perCapita === undefined) throw new Error(`demo model: function ${spec.code} has neither a grouping nor a per-capita value`);
      u.f[fIdx(agd2, FI.get(spec.code)!, yi)] = Math.round((spec.perCapita * (1 + noise(`pc/${key}/${spec.code}/${y}`, 0.25)) * pop) / infl / 1000);
    }
    // gross expenditure: net + income, the income spread by weight so Σ gross ≈ BDI × (1.01 − (resultat + finans) %)
    const bdi = u.c[cIdx(CI.get('AGD13')!, yi)];
    const r23 = u.c[cIdx(CI.get('AGD23')!, yi)] / bdi;
    const r86 = u.c[cIdx(CI.get('AGD86')!, yi)] / bdi;
    const bdu = bdi * (1.01 - r23 - r86);
    let net = 0;
    let incomeW = 0;
    let investW = 0;
    for (const spec of FUNCTIONS) {
      if (!functionValidIn(spec, y)) continue;
      net += u.f[fIdx(agd2, FI.get(spec.code)!, yi)];
      incomeW += spec.income;
      investW += spec.invest ?? 0;
    }
    const income = Math.max(bdu - net, 0.05 * bdu);
    const agi1 = u.c[cIdx(CI.get('AGI1')!, yi)];
    for (const spec of FUNCTIONS) {
      if (!functionValidIn(spec, y)) continue;
      const fi = FI.get(spec.code)!;
      const n = u.f[fIdx(agd2, fi, yi)];
      let gross = Math.round(n + (income * spec.income) / incomeW);
      if (spec.code !== '170') gross = Math.max(gross, 0);
      u.f[fIdx(agd10, fi, yi)] = gross;
      u.f[fIdx(agd4, fi, yi)] = Math.round(gross * 0.965);
      u.f[fIdx(agi5, fi, yi)] = Math.round((agi1 * (spec.invest ?? 0)) / investW);
    }
  }
}

/** Concepts that follow from the others: sums of functions, rammetilskudd, depreciation, debt, pensions, working capital. */
function fillDerivedConcepts(u: Unit, key: string, small: number): void {
  for (let yi = 0; yi < NY; yi++) {
    const y = FIRST_YEAR + yi;
    let net = 0;
    let gross = 0;
    for (const spec of FUNCTIONS) {
      if (!functionValidIn(spec, y)) continue;
      net += u.f[fIdx(0, FI.get(spec.code)!, yi)];
      gross += u.f[fIdx(1, FI.get(spec.code)!, yi)];
    }
    const get = (c: string) => u.c[cIdx(CI.get(c)!, yi)];
    const set = (c: string, v: number) => (u.c[cIdx(CI.get(c)!, yi)] = Math.round(v));
    const bdi = get('AGD13');
    set('AGD1', net);
    set('AGD9', gross);
    set('AGD3', bdi - gross);
    set('A800', get('AG11') - get('AG12'));
    set('AGD65', (bdi * (4.3 + noise(`agd65/${key}`, 0.6) + noise(`agd65/${key}/${y}`, 0.15))) / 100);
    set('KG14', get('KG31') * (1.25 + noise(`kg14/${key}`, 0.08)));
    set('KG28', (bdi * (180 + 2 * (y - 2020) + noise(`kg28/${key}`, 22) + 15 * small)) / 100);
    set('KG21', (bdi * (17 + noise(`kg21/${key}`, 7) + noise(`kg21/${key}/${y}`, 2))) / 100);
  }
}

// ---------------------------------------------------------------------------------------------------------
// The country (EAK): not the sum of the demo municipalities, but national totals with the report's Landet ratios.

function buildNational(curated: CuratedInputs): Unit {
  const u = newUnit();
  u.pop.set(NATIONAL_POP);
  for (let yi = 0; yi < NY; yi++) u.popEnd[yi] = u.pop[yi + 1];
  let pc = NATIONAL_BDI_PC_2024;
  for (let y = LAST_YEAR; y >= FIRST_YEAR; y--) {
    const yi = y - FIRST_YEAR;
    const bdi = Math.round((pc * u.pop[yi]) / 1000);
    u.c[cIdx(CI.get('AGD13')!, yi)] = bdi;
    for (const m of RATIO_METRICS) u.c[cIdx(CI.get(RATIO_CONCEPT[m])!, yi)] = Math.round((landetRatio(m, y) * bdi) / 100);
    if (y > FIRST_YEAR) pc /= 1 + BDI_GROWTH[y];
  }
  const values = new Map<string, Float64Array>();
  for (const g of LEAF_GROUPINGS) {
    const a = new Float64Array(NY);
    for (let yi = 0; yi < NY; yi++) a[yi] = SERVICE_BASELINE[g.id] * Math.pow(1.008, FIRST_YEAR + yi - 2024);
    values.set(g.id, a);
  }
  fillFunctions(u, 'EAK', values, curated, () => 1);
  fillVolumes(u, 'EAK', () => 1);
  fillDerivedConcepts(u, 'EAK', 0);
  return u;
}

// ---------------------------------------------------------------------------------------------------------
// Service volumes and the efficiency section

/** Natural volumes: rate × inhabitants at 31.12 × need index, a per-municipality level and a small trend. */
function fillVolumes(u: Unit, key: string, need: (s: NeedSector, y: number) => number): void {
  VOLUMES.forEach((spec, vi) => {
    const level = 1 + noise(`vol/${key}/${spec.key}`, 0.06);
    for (let yi = 0; yi < NY; yi++) {
      const y = FIRST_YEAR + yi;
      const count = spec.rate * u.popEnd[yi] * need(spec.sector, y) * level * Math.pow(1 + spec.trend, y - 2024) * (1 + noise(`volyr/${key}/${spec.key}/${y}`, 0.01));
      u.v[vIdx(vi, yi)] = Math.round(count * (spec.tenths ? 10 : 1));
    }
  });
}

interface EfficiencyService {
  grouping: string;
  sector: NeedSector;
  /** [volume index, weight] from core/metrics/production.json */
  terms: [number, number][];
}

/** The services of core/metrics/production.json with their volumes as model indices (the product reads the same file). */
function efficiencyServices(): EfficiencyService[] {
  const metrics = new Map(shippedMetrics().map((m) => [m.id, m]));
  return shippedProduction().services.map((s) => {
    const g = GROUPINGS.find((x) => x.id === s.grouping);
    if (!g?.needSector) throw new Error(`demo calibration: production.json service ${s.grouping} is not a grouping with a need sector`);
    const terms = s.volumes.map((v): [number, number] => {
      const formula = metrics.get(v.metric)?.formula;
      const amount = formula?.kind === 'perInhabitant' ? formula.amount : undefined;
      const vi = amount === undefined ? undefined : VI.get(amount);
      if (vi === undefined) throw new Error(`demo calibration: volume metric ${v.metric} reads no volume the demo model keeps (${[...VI.keys()].join(', ')})`);
      return [vi, v.weight];
    });
    return { grouping: s.grouping, sector: g.needSector, terms };
  });
}

/**
 * Bærum 2021–2024 against ASSS u/Oslo, need-corrected (Σ amount / Σ inhabitants × need index): Bærum's gross
 * expenditure of each service (its income, AGD10 − AGD2; net expenditure and the service-area table stay as they
 * are) is set so the cost index is the target, then its volumes so the production index is; the service
 * `solvedService` takes what the combined targets leave. Rounding of counts is absorbed by the largest other member.
 */
function calibrateEfficiency(lineages: Map<string, Unit>, curated: CuratedInputs): void {
  const services = efficiencyServices();
  const t = EFFICIENCY_TARGETS;
  const solved = services.find((s) => s.grouping === t.solvedService);
  if (!solved) throw new Error(`demo calibration: solvedService ${t.solvedService} is not in production.json`);
  for (const s of services) if (s !== solved && !t.services[s.grouping]) throw new Error(`demo calibration: no efficiency target for ${s.grouping}`);
  const others = ASSS_U_OSLO_KEYS.filter((k) => k !== '3201');
  const baerum = lineages.get('3201')!;
  for (let i = 0; i < 4; i++) {
    const y = 2021 + i;
    const yi = y - FIRST_YEAR;
    const fns = groupingFunctions(y);
    const den = (k: string, s: EfficiencyService) => lineages.get(k)!.popEnd[yi] * needIndex(curated, k, y, s.sector);
    const a = (s: EfficiencyService) => den('3201', s);
    const b = (s: EfficiencyService) => ASSS_U_OSLO_KEYS.reduce((sum, k) => sum + den(k, s), 0);
    const gross = (k: string, s: EfficiencyService) => fns.get(s.grouping)!.reduce((sum, f) => sum + lineages.get(k)!.f[fIdx(1, FI.get(f)!, yi)], 0);
    const rest = (s: EfficiencyService) => others.reduce((sum, k) => sum + gross(k, s), 0);
    // member index = (x / a) / ((x + R) / b) × 100 = T  ⇔  x = T R a / (100 b − T a)
    const solveOwn = (target: number, R: number, s: EfficiencyService) => (target * R * a(s)) / (100 * b(s) - target * a(s));

    // cost
    for (const s of services) if (s !== solved) setGross(baerum, fns.get(s.grouping)!, yi, solveOwn(t.services[s.grouping].cost[i], rest(s), s), `${s.grouping} ${y}`);
    const fixed = services.filter((s) => s !== solved);
    const K1 = fixed.reduce((sum, s) => sum + gross('3201', s) / a(s), 0);
    const K2 = fixed.reduce((sum, s) => sum + (gross('3201', s) + rest(s)) / b(s), 0);
    const T = t.combined.cost[i] / 100;
    setGross(baerum, fns.get(solved.grouping)!, yi, (T * (K2 + rest(solved) / b(solved)) - K1) / (1 / a(solved) - T / b(solved)), `${solved.grouping} ${y}`);

    // production
    const volume = (k: string, s: EfficiencyService) => s.terms.reduce((sum, [vi, w]) => sum + w * lineages.get(k)!.v[vIdx(vi, yi)], 0);
    const volumeRest = (s: EfficiencyService) => others.reduce((sum, k) => sum + volume(k, s), 0);
    const setVolume = (s: EfficiencyService, target: number) => {
      const want = solveOwn(target, volumeRest(s), s);
      const q = want / volume('3201', s);
      for (const [vi] of s.terms) baerum.v[vIdx(vi, yi)] = Math.round(baerum.v[vIdx(vi, yi)] * q);
      // the rest of the group such that Bærum's rounded volume gives the target exactly
      const own = volume('3201', s);
      const restWanted = (own * b(s) * 100) / (target * a(s)) - own;
      const absorber = others.reduce((best, k) => (volume(k, s) > volume(best, s) ? k : best), others[0]);
      const [vi, w] = s.terms[0];
      lineages.get(absorber)!.v[vIdx(vi, yi)] += Math.round((restWanted - volumeRest(s)) / w);
    };
    const groupCost = (s: EfficiencyService) => (gross('3201', s) + rest(s)) / b(s);
    const productionIndex = (s: EfficiencyService) => ((volume('3201', s) / a(s)) / ((volume('3201', s) + volumeRest(s)) / b(s))) * 100;
    for (const s of fixed) setVolume(s, t.services[s.grouping].production[i]);
    const totalCost = services.reduce((sum, s) => sum + groupCost(s), 0);
    const fixedPart = fixed.reduce((sum, s) => sum + (groupCost(s) / totalCost) * productionIndex(s), 0);
    setVolume(solved, (t.combined.production[i] - fixedPart) / (groupCost(solved) / totalCost));
  }
}

/**
 * Sets a lineage's gross expenditure (AGD10) over some functions to `amount` (1000 NOK) by scaling the income of each
 * (gross − net); the corrected gross (AGD4) follows. Refuses an amount below the net expenditure.
 */
function setGross(u: Unit, fns: string[], yi: number, amount: number, what: string): void {
  const target = Math.round(amount);
  const net = fns.reduce((sum, f) => sum + u.f[fIdx(0, FI.get(f)!, yi)], 0);
  const income = fns.reduce((sum, f) => sum + u.f[fIdx(1, FI.get(f)!, yi)] - u.f[fIdx(0, FI.get(f)!, yi)], 0);
  if (target < net || income <= 0) throw new Error(`demo calibration: ${what} needs gross expenditure ${target} (1000 kr), below its net expenditure ${net} or without income to scale`);
  const k = (target - net) / income;
  let largest = fns[0];
  let sum = 0;
  for (const f of fns) {
    const fi = FI.get(f)!;
    const n = u.f[fIdx(0, fi, yi)];
    const g = Math.round(n + (u.f[fIdx(1, fi, yi)] - n) * k);
    u.f[fIdx(1, fi, yi)] = g;
    sum += g;
    if (g > u.f[fIdx(1, FI.get(largest)!, yi)]) largest = f;
  }
  u.f[fIdx(1, FI.get(largest)!, yi)] += target - sum;
  for (const f of fns) u.f[fIdx(3, FI.get(f)!, yi)] = Math.round(u.f[fIdx(1, FI.get(f)!, yi)] * 0.965);
}
