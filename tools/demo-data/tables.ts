/**
 * The SSB tables of the demo dataset (12134, the financial tables by accounting concept 12137, 12364 and 12143,
 * 12362, 07459): dimensions, labels, notes and the materialised cube of values and statuses, in metadata order
 * (stub then heading, last dimension fastest). Which concept sits in which table is a layout (data, below): SSB's
 * documented one, or the legacy one where 12137 held every concept.
 */
import { FUNCTIONS, GROUPS, functionValidIn } from './functions';
import {
  ART_CODES,
  CI,
  cIdx,
  FI,
  fIdx,
  newUnit,
  NY,
  NPY,
  VI,
  vIdx,
  type DemoModel,
  type Unit,
} from './model';
import { VOLUMES } from './targets';
import {
  aggregateSpecs,
  buildMunicipalityCodes,
  FIRST_YEAR,
  LAST_YEAR,
  LINEAGES,
  POP_LAST_YEAR,
  range,
  validIn,
  type RegionCode,
} from './regions';

export const DEMO_SOURCE = 'Syntetiske demodata (kostra-warehouse) — ikke SSB-tall';
export const DEMO_MARK = 'syntetiske demodata';

/** Status symbols, stored as small integers in the cube. */
export const STATUS_SYMBOLS = ['', '.', '..', ':'] as const;
export const ST_NONE = 0;
export const ST_NA = 1; // "." not applicable (code or function not in use that year)
export const ST_MISSING = 2; // ".." not available
export const ST_SECRET = 3; // ":" suppressed

export interface Category {
  code: string;
  label: string;
}

export interface Codelist {
  id: string;
  label: string;
  type: 'Aggregation' | 'Valueset';
  /** codes of the dimension that the codelist holds (identity mapping) */
  codes: string[];
}

export interface DimDef {
  code: string;
  label: string;
  categories: Category[];
  elimination: boolean;
  show: 'value' | 'code' | 'code_value';
  units?: Record<string, { base: string; decimals: number }>;
  codelists?: Codelist[];
  /** extra dimension extension fields (measuringType, priceType, refperiod…) */
  extension?: Record<string, unknown>;
  /** code -> position; lower-cased code -> position (codes are case-insensitive) */
  index: Map<string, number>;
  lowerIndex: Map<string, number>;
}

export interface Cube {
  values: Float64Array;
  status: Uint8Array;
}

export interface ResolvedDim {
  def: DimDef;
  /** selected positions in metadata order; null = eliminated (summed over) */
  indices: number[] | null;
  codelist?: Codelist;
}

export interface ResolvedSelection {
  /** metadata order */
  dims: ResolvedDim[];
  /** output dimension codes (eliminated ones left out), stub then heading */
  stub: string[];
  heading: string[];
  cells: number;
}

export interface TableDef {
  id: string;
  title: string;
  /** variable names (labels) for /tables */
  variableNames: string[];
  dims: DimDef[];
  stub: string[];
  heading: string[];
  decimals: number;
  notes: string[];
  contents: string;
  subjectCode: string;
  subjectArea: string;
  geo: string;
  defaultUpdated: string;
  cube: () => Cube;
}

export function dim(code: string, label: string, categories: Category[], opts: Partial<Omit<DimDef, 'code' | 'label' | 'categories' | 'index' | 'lowerIndex'>> = {}): DimDef {
  const index = new Map(categories.map((c, i) => [c.code, i]));
  const lowerIndex = new Map(categories.map((c, i) => [c.code.toLowerCase(), i]));
  return { code, label, categories, elimination: false, show: 'value', ...opts, index, lowerIndex };
}

/** Half away from zero, like published tables. */
export function roundTo(v: number, decimals: number): number {
  const f = Math.pow(10, decimals);
  const x = Math.abs(v) * f;
  const r = Math.round(x + 1e-9 * Math.max(1, x)) / f;
  return v < 0 ? -r : r;
}

// ---------------------------------------------------------------------------------------------------------
// Region units

export interface RegionEntry {
  code: string;
  label: string;
  name: string;
  kind: RegionCode['kind'];
  validFrom: number;
  validTo?: number;
  unit: Unit;
}

function sumInto(target: Unit, src: Unit, w: number, yi: number, withData: boolean): void {
  if (Number.isNaN(target.pop[yi])) target.pop[yi] = 0;
  target.pop[yi] += w * src.pop[yi];
  if (!withData) return;
  // the year-Y parts: a code that ends on 31.12 gets its territory's population as its successors count it
  if (Number.isNaN(target.popEnd[yi])) target.popEnd[yi] = 0;
  target.popEnd[yi] += w * src.popEnd[yi];
  for (let c = 0; c < target.c.length / NY; c++) {
    const i = cIdx(c, yi);
    target.c[i] = (Number.isNaN(target.c[i]) ? 0 : target.c[i]) + w * src.c[i];
  }
  for (const a of ['f', 'v'] as const) {
    for (let j = 0; j < target[a].length / NY; j++) {
      const i = j * NY + yi;
      target[a][i] = (Number.isNaN(target[a][i]) ? 0 : target[a][i]) + w * src[a][i];
    }
  }
}

function roundUnit(u: Unit): void {
  for (const a of [u.pop, u.popEnd, u.c, u.f, u.v]) for (let i = 0; i < a.length; i++) if (!Number.isNaN(a[i])) a[i] = Math.round(a[i]);
}

/**
 * Every region code of the demo with its amounts: KOSTRA aggregates first (EAK, EAKUO, EKA…, EKG…), then the
 * municipality codes (current and historical) in code order.
 */
export function buildRegions(model: DemoModel): { kostra: RegionEntry[]; population: RegionEntry[] } {
  const municipal: RegionEntry[] = buildMunicipalityCodes().map((rc) => {
    const u = newUnit();
    for (let yi = 0; yi < NPY; yi++) {
      const parts = rc.parts!.get(FIRST_YEAR + yi);
      if (!parts) continue;
      for (const p of parts) sumInto(u, model.lineages.get(p.lineage)!, p.w, yi, yi < NY);
    }
    roundUnit(u);
    return { code: rc.code, label: rc.label, name: rc.name, kind: 'municipality', validFrom: rc.validFrom, validTo: rc.validTo, unit: u };
  });
  const aggregates: RegionEntry[] = [];
  const byCode = new Map<string, RegionEntry>();
  for (const spec of aggregateSpecs()) {
    let u: Unit;
    if (spec.kind === 'country') u = model.national;
    else if (spec.kind === 'country-ex-oslo') {
      const oslo = model.lineages.get('0301')!;
      const nat = model.national;
      u = newUnit();
      for (const k of ['pop', 'popEnd', 'c', 'f', 'v'] as const) for (let i = 0; i < u[k].length; i++) u[k][i] = nat[k][i] - oslo[k][i];
    } else {
      u = newUnit();
      for (let yi = 0; yi < NPY; yi++) {
        const y = FIRST_YEAR + yi;
        if (!validIn(spec, y)) continue;
        if (spec.members) for (const k of spec.members) sumInto(u, model.lineages.get(k)!, 1, yi, yi < NY);
        if (spec.codePrefixes) {
          for (const m of municipal) {
            if (validIn(m, y) && spec.codePrefixes.some((p) => m.code.startsWith(p))) sumInto(u, m.unit, 1, yi, yi < NY);
          }
        }
      }
      roundUnit(u);
    }
    const e: RegionEntry = { code: spec.code, label: spec.label, name: spec.name, kind: spec.kind, validFrom: spec.validFrom, validTo: spec.validTo, unit: u };
    aggregates.push(e);
    byCode.set(spec.code, e);
  }
  // Population table 07459: the country ("0"), counties (two digits) and municipalities.
  const population: RegionEntry[] = [{ ...byCode.get('EAK')!, code: '0', label: 'Hele landet', name: 'Hele landet' }];
  for (const a of aggregates) if (a.kind === 'county') population.push({ ...a, code: a.code.slice(3) });
  population.push(...municipal);
  return { kostra: [...aggregates, ...municipal], population };
}

// ---------------------------------------------------------------------------------------------------------
// Table definitions

const KOSTRA_NOTES = [
  `${DEMO_SOURCE}. Tallene er generert deterministisk av kostra-warehouse for test og demonstrasjon. De har samme struktur som SSBs tabell, men er ikke SSBs tall; bare Bærum, Asker, ASSS-snittet (kommunegruppe 12) og landet er kalibrert til tallene i Bærum kommunes KOSTRA-analyse 2025.`,
  'Regionkoder som ikke var i bruk et år (kommunesammenslåinger og nye kommunenummer i 2017, 2018, 2020 og 2024) har tomme celler med symbolet "." i det året.',
  'Det er brudd i tidsserien for KOSTRA-gruppene mellom 2019 og 2020 når det gjelder inndelingen etter folkemengde, bundne kostnader og frie disponible inntekter. Se [kodelister for KOSTRA-gruppene i 2019 og 2020](https://www.ssb.no/klass/klassifikasjoner/112/versjoner).',
  'For forklaringer av særskilte forhold i dataene, justeringer i publiserte tall, brudd i tidsserier og kommunesammenslåinger, se [Strukturelle forklaringer og rettelogg](https://www.ssb.no/kostra/rettinger-i-tidligere-ars-publiserte-data).',
];

const NOTE_12362 = [
  'Tabellen gir en oversikt over de mest brukte regnskapsbegrepene fra drifts- og investeringsregnskapet per enkeltfunksjon og funksjonene gruppert per tjenesteområde. Data vises i prosent av totale utgifter, i kroner per innbygger og som absolutte tall i 1000 kr.',
  'Vær oppmerksom på at summen av andelene for utgifter til tjenesteområdene ikke blir 100% for noen av utgiftsbegrepene i denne tabellen. Dette skyldes både at enkelte funksjoner inngår i flere av tjenesteområdene (benevnt som FGK1a..FGK17) mens andre funksjoner ikke inngår i noe tjenesteområde, samt at artsomfanget er ulikt i teller og nevner for enkelte av begrepene.',
  'Funksjon 254 er ikke i bruk fra og med 2024, funksjon 258 er ny i 2024; funksjonene 304 og 305 ble avviklet etter 2017.',
];

const yearsDim = (last = LAST_YEAR) =>
  dim(
    'Tid',
    'år',
    range(FIRST_YEAR, last).map((y) => ({ code: String(y), label: String(y) })),
    { show: 'code' },
  );

const REGION_CODELIST_ID = 'agg_KOGkommuneregion000005402';

function kostraRegionDim(regions: RegionEntry[]): DimDef {
  const codes = regions.filter((r) => r.kind === 'municipality').map((r) => r.code);
  return dim(
    'KOKkommuneregion0000',
    'region',
    regions.map((r) => ({ code: r.code, label: r.label })),
    { codelists: [{ id: REGION_CODELIST_ID, label: 'Kommuner (gjeldende og historiske koder)', type: 'Aggregation', codes }] },
  );
}

function contentsDim(list: { code: string; label: string; base: string; decimals: number; measuringType?: string }[]): DimDef {
  return dim(
    'ContentsCode',
    'statistikkvariabel',
    list.map((c) => ({ code: c.code, label: c.label })),
    {
      units: Object.fromEntries(list.map((c) => [c.code, { base: c.base, decimals: c.decimals }])),
      extension: {
        measuringType: Object.fromEntries(list.map((c) => [c.code, c.measuringType ?? 'Flow'])),
        priceType: Object.fromEntries(list.map((c) => [c.code, c.base.includes('kr') ? 'Current' : 'NotApplicable'])),
        adjustment: Object.fromEntries(list.map((c) => [c.code, 'None'])),
      },
    },
  );
}

/** Fills a cube in metadata order (last dimension fastest): `cell(idx)` returns the value, or NaN and sets `cellStatus`. */
let cellStatus = ST_NONE;
function fillCube(sizes: number[], cell: (idx: number[]) => number): Cube {
  const n = sizes.reduce((a, b) => a * b, 1);
  const values = new Float64Array(n);
  const status = new Uint8Array(n);
  const idx = new Array<number>(sizes.length).fill(0);
  for (let flat = 0; flat < n; flat++) {
    cellStatus = ST_NONE;
    values[flat] = cell(idx);
    status[flat] = cellStatus;
    for (let k = sizes.length - 1; k >= 0; k--) {
      if (++idx[k] < sizes[k]) break;
      idx[k] = 0;
    }
  }
  return { values, status };
}

/** No figure, with a status symbol. */
function none(st: number): number {
  cellStatus = st;
  return Number.NaN;
}

function lazy<T>(f: () => T): () => T {
  let v: T | undefined;
  return () => (v === undefined ? (v = f()) : v);
}

export const CONTENTS_12134 = [
  { code: 'KOSAGD230000', label: 'Netto driftsresultat i prosent av brutto driftsinntekter', base: 'prosent', decimals: 1 },
  { code: 'KOSAGD290000', label: 'Disposisjonsfond i prosent av brutto driftsinntekter', base: 'prosent', decimals: 1, measuringType: 'Stock' },
  { code: 'KOSKG400000', label: 'Netto lånegjeld i kroner per innbygger', base: 'kr', decimals: 0, measuringType: 'Stock' },
  { code: 'KOSAG110000', label: 'Frie inntekter i kroner per innbygger', base: 'kr', decimals: 0 },
  { code: 'KOSAGI10000', label: 'Brutto investeringsutgifter i prosent av brutto driftsinntekter', base: 'prosent', decimals: 1 },
  { code: 'KOSAGI210000', label: 'Netto avdrag i prosent av brutto driftsinntekter', base: 'prosent', decimals: 1 },
  { code: 'KOSKG280000', label: 'Pensjonsforpliktelse i prosent av brutto driftsinntekter', base: 'prosent', decimals: 1, measuringType: 'Stock' },
  { code: 'KOSKG320000', label: 'Netto lånegjeld i prosent av brutto driftsinntekter', base: 'prosent', decimals: 1, measuringType: 'Stock' },
  { code: 'KOSKG210000', label: 'Arbeidskapital ekskl. premieavvik i prosent av brutto driftsinntekter', base: 'prosent', decimals: 1, measuringType: 'Stock' },
];

/** How each 12134 content is computed from the amounts: numerator concept and kind. */
const DEF_12134: Record<string, { num: string; per: 'bdi' | 'capita' }> = {
  KOSAGD230000: { num: 'AGD23', per: 'bdi' },
  KOSAGD290000: { num: '56', per: 'bdi' },
  KOSKG400000: { num: 'KG31', per: 'capita' },
  KOSAG110000: { num: 'AG11', per: 'capita' },
  KOSAGI10000: { num: 'AGI1', per: 'bdi' },
  KOSAGI210000: { num: 'AGD21', per: 'bdi' },
  KOSKG280000: { num: 'KG28', per: 'bdi' },
  KOSKG320000: { num: 'KG31', per: 'bdi' },
  KOSKG210000: { num: 'KG21', per: 'bdi' },
};

/** Labels of every accounting concept (KOKartkap0000) the model keeps, whichever table shows it. */
export const CONCEPT_LABELS: Record<string, string> = {
  AGD13: 'Brutto driftsinntekter',
  AGD9: 'Brutto driftsutgifter',
  AGD3: 'Brutto driftsresultat',
  AGD23: 'Netto driftsresultat',
  AGD1: 'Netto driftsutgifter',
  AG11: 'Frie inntekter',
  AG12: 'Skatt på inntekt og formue',
  A800: 'Rammetilskudd',
  AGD86: 'Netto finansutgifter',
  AGD21: 'Avdrag',
  AGD65: 'Avskrivninger',
  AGI1: 'Brutto investeringsutgifter',
  KG14: 'Langsiktig gjeld ekskl. pensjonsforpliktelser',
  KG31: 'Netto lånegjeld',
  '56': 'Disposisjonsfond',
  KG28: 'Pensjonsforpliktelse',
  KG21: 'Arbeidskapital ekskl. premieavvik',
};

/** The contents a table by accounting concept can have (conceptTable computes each from a region's amounts). */
export const CONCEPT_CONTENTS = {
  KOSbelop0000: { label: 'Beløp (1000 kr)', base: '1000 kr', decimals: 0 },
  KOSbelopprinnb0000: { label: 'Beløp per innbygger (kr)', base: 'kr', decimals: 0 },
  KOSbelopbrinv0000: { label: 'I prosent av brutto driftsinntekter', base: 'prosent', decimals: 1 },
} as const;
export type ConceptContent = keyof typeof CONCEPT_CONTENTS;

export interface ConceptTableSpec {
  id: string;
  title: string;
  /** px `contents` */
  contents: string;
  /** px `decimals` */
  decimals: number;
  concepts: readonly string[];
  contentCodes: readonly ConceptContent[];
}

const T12137 = { id: '12137', title: 'Finansielle nøkkeltall, etter regnskapsbegrep (K)', contents: 'Finansielle nøkkeltall', decimals: 0 };
const T12364 = { id: '12364', title: 'Finansielle grunnlagsdata, etter regnskapsbegrep (K)', contents: 'Finansielle grunnlagsdata', decimals: 0 };
const T12143 = {
  id: '12143',
  title: 'Finansielle nøkkeltall i prosent av brutto driftsinntekter, etter regnskapsbegrep (K)',
  contents: 'Finansielle nøkkeltall i prosent av brutto driftsinntekter',
  decimals: 1,
};

export type Layout = 'documented' | 'legacy';
export const LAYOUT_NAMES: readonly Layout[] = ['documented', 'legacy'];

/**
 * Which table holds which concepts and contents, by layout. `documented` is SSB's: 12137 has the key figures,
 * disposisjonsfond, debt and finance items sit in 12364, avdrag and the shares of BDI in 12143. `legacy` is the
 * layout third-party code assumed (everything in 12137; 12364 and 12143 absent), kept so a source catalogue
 * written for it can still be exercised. A concept's values are the same wherever it appears: one model.
 */
export const LAYOUTS: Record<Layout, ConceptTableSpec[]> = {
  documented: [
    { ...T12137, concepts: ['AGD13', 'AGD9', 'AGD3', 'AGD23', 'AGD1', 'AG11', 'AG12', 'A800', 'AGI1', 'KG31'], contentCodes: ['KOSbelop0000', 'KOSbelopprinnb0000'] },
    { ...T12364, concepts: ['56', 'KG14', 'KG28', 'KG21', 'AGD86', 'AGD65', 'AG11', 'AG12', 'KG31', 'AGD23'], contentCodes: ['KOSbelop0000'] },
    { ...T12143, concepts: ['AGD23', 'AGD21', 'AGD86', 'KG31'], contentCodes: ['KOSbelop0000', 'KOSbelopbrinv0000'] },
  ],
  legacy: [
    {
      ...T12137,
      concepts: ['AGD13', 'AGD9', 'AGD3', 'AGD23', 'AGD1', 'AG11', 'AG12', 'A800', 'AGD86', 'AGD21', 'AGD65', 'AGI1', 'KG14', 'KG31', '56'],
      contentCodes: ['KOSbelop0000', 'KOSbelopprinnb0000'],
    },
  ],
};

export const ARTS_12362: Category[] = [
  { code: 'AGD2', label: 'Netto driftsutgifter på funksjon/tjenesteområde' },
  { code: 'AGD10', label: 'Brutto driftsutgifter på funksjon/tjenesteområde' },
  { code: 'AGI5', label: 'Brutto investeringsutgifter på funksjon/tjenesteområde' },
  { code: 'AGD4', label: 'Korrigerte brutto driftsutgifter på funksjon/tjenesteområde' },
];

/** Cells deliberately without a figure ('..' not available, ':' suppressed), away from the calibrated series. */
function special12134(region: string, content: string, year: number): number {
  if (content === 'KOSKG280000' && year === 2015) return ST_MISSING;
  if (region === '1875' && content === 'KOSKG210000' && year === 2021) return ST_SECRET;
  return ST_NONE;
}
/** By concept, so a cell moves with its concept to whichever table holds it (every content of the concept). */
function specialConcept(region: string, concept: string, year: number): number {
  if (region === '5421' && concept === '56' && year === 2020) return ST_MISSING;
  if (region === '1875' && concept === 'KG14' && (year === 2020 || year === 2021)) return ST_MISSING;
  // Hurum's last year before it merged into Asker, so coalescing a merger meets a suppressed part (Asker's 2019 =
  // 0220 + 0627 + 0628 has no netto driftsresultat); the report's 2020–2024 figures do not touch it
  if (region === '0628' && concept === 'AGD23' && year === 2019) return ST_SECRET;
  return ST_NONE;
}
function special12362(region: string, fn: string, year: number): number {
  if (region === '1849' && year === 2016 && ['244', '251', '252', 'FGK13'].includes(fn)) return ST_SECRET;
  if (region === '1865' && year === 2018 && fn === '321') return ST_MISSING;
  return ST_NONE;
}

/** The tables of every layout; tables outside the layouts (12134, 12362, 07459) are shared objects. */
export function buildTables(model: DemoModel): Record<Layout, TableDef[]> {
  const { kostra, population } = buildRegions(model);
  const regionDim = kostraRegionDim(kostra);
  const years = yearsDim();

  // ---- 12134 ----
  const contents12134 = contentsDim(CONTENTS_12134);
  const t12134: TableDef = {
    id: '12134',
    title: 'Utvalgte nøkkeltall for kommuneregnskap (K)',
    variableNames: ['region', 'statistikkvariabel', 'år'],
    dims: [regionDim, contents12134, years],
    stub: ['KOKkommuneregion0000'],
    heading: ['ContentsCode', 'Tid'],
    decimals: 1,
    notes: KOSTRA_NOTES,
    contents: 'Utvalgte nøkkeltall for kommuneregnskap',
    subjectCode: 'of',
    subjectArea: 'Offentlig sektor',
    geo: 'KOKkommuneregion0000',
    defaultUpdated: '2025-06-16T06:00:00Z',
    cube: lazy(() =>
      fillCube([kostra.length, CONTENTS_12134.length, NY], ([ri, ci, yi]) => {
        const r = kostra[ri];
        if (!valid(r, yi)) return none(ST_NA);
        const content = CONTENTS_12134[ci];
        const sp = special12134(r.code, content.code, FIRST_YEAR + yi);
        if (sp) return none(sp);
        const def = DEF_12134[content.code];
        const num = r.unit.c[cIdx(CI.get(def.num)!, yi)];
        const den = def.per === 'bdi' ? r.unit.c[cIdx(CI.get('AGD13')!, yi)] / 100 : r.unit.popEnd[yi] / 1000;
        return roundTo(num / den, content.decimals);
      }),
    ),
  };

  // ---- 12362 ----
  const fnCategories: Category[] = [
    ...FUNCTIONS.map((f) => ({ code: f.code, label: f.label })),
    ...GROUPS.map((g) => ({ code: g.code, label: g.label })),
  ].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  const fnDim = dim('KOKfunksjon0000', 'funksjon', fnCategories);
  const artDim = dim('KOKart0000', 'art', ARTS_12362);
  const contents12362 = contentsDim([
    { code: 'KOSbelop0000', label: 'Beløp (1000 kr)', base: '1000 kr', decimals: 0 },
    { code: 'KOSbelopinnbygge0000', label: 'Beløp per innbygger (kr)', base: 'kr', decimals: 0 },
    { code: 'KOSandel3501', label: 'Andel av totale utgifter (prosent)', base: 'prosent', decimals: 1 },
  ]);
  // function category -> list of leaf function indices (in the unit) and validity per year
  const fnLeaves = fnCategories.map((c) => {
    const g = GROUPS.find((x) => x.code === c.code);
    const leaves = g ? g.functions : [c.code];
    // per year: unit positions of the functions in use
    return range(FIRST_YEAR, LAST_YEAR).map((y) => leaves.filter((f) => functionValidIn(FUNCTIONS[FI.get(f)!], y)).map((f) => FI.get(f)!));
  });
  const artIndex = ARTS_12362.map((a) => (ART_CODES as readonly string[]).indexOf(a.code));
  const t12362: TableDef = {
    id: '12362',
    title: 'Utgifter til tjenesteområdene, kommunekonsern, etter region, funksjon, art, statistikkvariabel og år (K)',
    variableNames: ['region', 'funksjon', 'art', 'statistikkvariabel', 'år'],
    dims: [regionDim, fnDim, artDim, contents12362, years],
    stub: ['KOKkommuneregion0000', 'KOKfunksjon0000', 'KOKart0000'],
    heading: ['ContentsCode', 'Tid'],
    decimals: 1,
    notes: [KOSTRA_NOTES[0], ...NOTE_12362, ...KOSTRA_NOTES.slice(1)],
    contents: 'Utgifter til tjenesteområdene',
    subjectCode: 'of',
    subjectArea: 'Offentlig sektor',
    geo: 'KOKkommuneregion0000',
    defaultUpdated: '2025-06-16T06:00:00Z',
    cube: lazy(() => {
      // denominators of the shares: Σ over every function in use, per region, art and year
      const totals = new Float64Array(kostra.length * ART_CODES.length * NY);
      kostra.forEach((r, ri) => {
        for (let a = 0; a < ART_CODES.length; a++) {
          for (let yi = 0; yi < NY; yi++) {
            let s = 0;
            for (const f of FUNCTIONS) if (functionValidIn(f, FIRST_YEAR + yi)) s += r.unit.f[fIdx(a, FI.get(f.code)!, yi)];
            totals[(ri * ART_CODES.length + a) * NY + yi] = s;
          }
        }
      });
      return fillCube([kostra.length, fnCategories.length, ARTS_12362.length, 3, NY], ([ri, fi, ai, ci, yi]) => {
        const r = kostra[ri];
        if (!valid(r, yi)) return none(ST_NA);
        const y = FIRST_YEAR + yi;
        const code = fnCategories[fi].code;
        const leaves = fnLeaves[fi][yi];
        if (leaves.length === 0) return none(ST_NA);
        const sp = special12362(r.code, code, y);
        if (sp) return none(sp);
        const a = artIndex[ai];
        let amount = 0;
        for (const f of leaves) amount += r.unit.f[fIdx(a, f, yi)];
        if (ci === 0) return amount;
        if (ci === 1) return roundTo((amount * 1000) / r.unit.popEnd[yi], 0);
        const total = totals[(ri * ART_CODES.length + a) * NY + yi];
        return total === 0 ? none(ST_MISSING) : roundTo((amount / total) * 100, 1);
      });
    }),
  };

  // ---- 07459 ----
  const popRegionDim = dim(
    'Region',
    'region',
    population.map((r) => ({ code: r.code, label: r.label })),
    { codelists: [{ id: 'vs_Kommun', label: 'Kommuner (gjeldende og historiske koder)', type: 'Valueset', codes: population.filter((r) => r.kind === 'municipality').map((r) => r.code) }] },
  );
  const sexDim = dim('Kjonn', 'kjønn', [{ code: '1', label: 'Menn' }, { code: '2', label: 'Kvinner' }], { elimination: true });
  const ages: Category[] = range(0, 105).map((a) => ({ code: a === 105 ? '105+' : String(a).padStart(3, '0'), label: a === 105 ? '105 år eller eldre' : `${a} år` }));
  const ageDim = dim('Alder', 'alder', ages, { elimination: true });
  const popContents = contentsDim([{ code: 'Personer1', label: 'Personer', base: 'personer', decimals: 0, measuringType: 'Stock' }]);
  popContents.extension = { ...popContents.extension, refperiod: { Personer1: '1. januar' } };
  const popYears = yearsDim(POP_LAST_YEAR);
  const t07459: TableDef = {
    id: '07459',
    title: 'Befolkning 1. januar, etter region, kjønn, alder, statistikkvariabel og år',
    variableNames: ['region', 'kjønn', 'alder', 'statistikkvariabel', 'år'],
    dims: [popRegionDim, sexDim, ageDim, popContents, popYears],
    stub: ['Region', 'Kjonn', 'Alder'],
    heading: ['ContentsCode', 'Tid'],
    decimals: 0,
    notes: [
      `${DEMO_SOURCE}. Folketallene er omtrent de reelle for kommunene, men alders- og kjønnsfordelingen er syntetisk.`,
      'Regionkoder som ikke var i bruk et år har tomme celler med symbolet ".".',
    ],
    contents: 'Personer',
    subjectCode: 'be',
    subjectArea: 'Befolkning',
    geo: 'Region',
    defaultUpdated: '2025-02-21T07:00:00Z',
    cube: lazy(() => buildPopulationCube(population, ages.length, NPY)),
  };

  const volumeTables = VOLUME_TABLES.map((spec) => volumeTable(spec, kostra, regionDim, years));
  const layouts = {} as Record<Layout, TableDef[]>;
  for (const name of LAYOUT_NAMES) {
    const conceptTables = LAYOUTS[name].map((spec) => conceptTable(spec, kostra, regionDim, years));
    layouts[name] = [t12134, ...conceptTables, t12362, t07459, ...volumeTables];
  }
  return layouts;
}

/** A table by accounting concept (12137, 12364, 12143): region × KOKartkap0000 × ContentsCode × Tid. */
function conceptTable(spec: ConceptTableSpec, kostra: RegionEntry[], regionDim: DimDef, years: DimDef): TableDef {
  for (const c of spec.concepts) if (!CI.has(c) || !CONCEPT_LABELS[c]) throw new Error(`demo tables: ${spec.id} lists concept ${c}, which the model does not keep`);
  const concepts = dim('KOKartkap0000', 'regnskapsbegrep', spec.concepts.map((code) => ({ code, label: CONCEPT_LABELS[code] })));
  const contents = contentsDim(spec.contentCodes.map((code) => ({ code, ...CONCEPT_CONTENTS[code] })));
  const conceptIdx = spec.concepts.map((c) => CI.get(c)!);
  const bdi = CI.get('AGD13')!;
  return {
    id: spec.id,
    title: spec.title,
    variableNames: ['region', 'regnskapsbegrep', 'statistikkvariabel', 'år'],
    dims: [regionDim, concepts, contents, years],
    stub: ['KOKkommuneregion0000', 'KOKartkap0000'],
    heading: ['ContentsCode', 'Tid'],
    decimals: spec.decimals,
    notes: KOSTRA_NOTES,
    contents: spec.contents,
    subjectCode: 'of',
    subjectArea: 'Offentlig sektor',
    geo: 'KOKkommuneregion0000',
    defaultUpdated: '2025-06-16T06:00:00Z',
    cube: lazy(() =>
      fillCube([kostra.length, spec.concepts.length, spec.contentCodes.length, NY], ([ri, ki, ci, yi]) => {
        const r = kostra[ri];
        if (!valid(r, yi)) return none(ST_NA);
        const sp = specialConcept(r.code, spec.concepts[ki], FIRST_YEAR + yi);
        if (sp) return none(sp);
        const amount = r.unit.c[cIdx(conceptIdx[ki], yi)];
        switch (spec.contentCodes[ci]) {
          case 'KOSbelop0000':
            return amount;
          case 'KOSbelopprinnb0000':
            return roundTo((amount * 1000) / r.unit.popEnd[yi], 0);
          case 'KOSbelopbrinv0000':
            return roundTo((amount / r.unit.c[cIdx(bdi, yi)]) * 100, 1);
        }
      }),
    ),
  };
}

/**
 * The service-volume tables of the efficiency analysis. Table numbers are the leads of issue 14; the content codes
 * marked assumed in core/source-catalogue/source-catalogue.json are placeholders, the others third-party (3P). Each
 * variable besides region, contents and time holds the one code the catalogue fixes, non-eliminable like SSB's.
 */
export interface VolumeTableSpec {
  id: string;
  title: string;
  contents: string;
  subjectCode: string;
  subjectArea: string;
  extra: { code: string; label: string; categories: Category[] }[];
  volumes: { key: string; code: string; label: string; base: string }[];
}

export const VOLUME_TABLES: VolumeTableSpec[] = [
  {
    id: '11977', title: 'Elever i kommunale grunnskoler, vektet (K)', contents: 'Elever', subjectCode: 'ud', subjectArea: 'Utdanning', extra: [],
    volumes: [{ key: 'elever_grunnskole_vektet', code: 'KOSelevervektet0000', label: 'Elever i kommunale grunnskoler, vektet', base: 'personer' }],
  },
  {
    id: '12562', title: 'Utvalgte nøkkeltall for barnehager (K)', contents: 'Barn i barnehage', subjectCode: 'ud', subjectArea: 'Utdanning', extra: [],
    volumes: [{ key: 'barn_barnehage_korrigert', code: 'KOSbarnkorrigert0000', label: 'Barn i barnehage korrigert for alder og oppholdstid', base: 'personer' }],
  },
  {
    id: '11996', title: 'Legeårsverk i kommunehelsetjenesten, etter avtaleform og funksjon (K)', contents: 'Legeårsverk', subjectCode: 'he', subjectArea: 'Helse',
    extra: [
      { code: 'KOKavtaleform0000', label: 'avtaleform', categories: [{ code: 'sum', label: 'Sum alle avtaleformer' }] },
      { code: 'KOKfunksjon0000', label: 'funksjon', categories: [{ code: 'FGK10', label: 'Kommunehelse i alt' }] },
    ],
    volumes: [{ key: 'legeaarsverk', code: 'KOSlegeaarsverk0000', label: 'Legeårsverk', base: 'årsverk' }],
  },
  {
    id: '12219', title: 'Sosialhjelpsmottakere (K)', contents: 'Sosialhjelpsmottakere', subjectCode: 'sf', subjectArea: 'Sosiale forhold og kriminalitet', extra: [],
    volumes: [{ key: 'sosialhjelpsmottakere', code: 'KOSsosialhjmott0000', label: 'Sosialhjelpsmottakere', base: 'personer' }],
  },
  {
    id: '12275', title: 'Barn med barnevernstiltak i løpet av året, etter alder og funksjon (K)', contents: 'Barn med barnevernstiltak', subjectCode: 'sf', subjectArea: 'Sosiale forhold og kriminalitet',
    extra: [
      { code: 'KOKalder0000', label: 'alder', categories: [{ code: 'F000-017', label: '0-17 år' }] },
      { code: 'KOKbvfunksjon0000', label: 'funksjon', categories: [{ code: '0', label: 'Alle funksjoner' }] },
    ],
    volumes: [{ key: 'barn_barnevernstiltak', code: 'KOSbvbarntiltaka0000', label: 'Barn med barnevernstiltak i løpet av året', base: 'personer' }],
  },
  {
    id: '12292', title: 'Pleie og omsorg: beboere i institusjon og mottakere av hjemmetjenester (K)', contents: 'Beboere og mottakere', subjectCode: 'he', subjectArea: 'Helse', extra: [],
    volumes: [
      { key: 'beboere_sykehjem', code: 'KOSbeboersykehje0000', label: 'Beboere i sykehjem', base: 'personer' },
      { key: 'mottakere_hjemmetjenester', code: 'KOSkjernetotalt0000', label: 'Mottakere av hjemmetjenester', base: 'personer' },
    ],
  },
];

/** A volume table: region × (its fixed variables) × ContentsCode × Tid. */
function volumeTable(spec: VolumeTableSpec, kostra: RegionEntry[], regionDim: DimDef, years: DimDef): TableDef {
  const volumes = spec.volumes.map((v) => {
    const vi = VI.get(v.key);
    if (vi === undefined) throw new Error(`demo tables: ${spec.id} shows volume ${v.key}, which the model does not keep`);
    const tenths = VOLUMES.find((x) => x.key === v.key)!.tenths === true;
    return { ...v, vi, tenths, decimals: tenths ? 1 : 0 };
  });
  const extra = spec.extra.map((e) => dim(e.code, e.label, e.categories));
  const contents = contentsDim(volumes.map((v) => ({ code: v.code, label: v.label, base: v.base, decimals: v.decimals, measuringType: 'Stock' })));
  return {
    id: spec.id,
    title: spec.title,
    variableNames: ['region', ...spec.extra.map((e) => e.label), 'statistikkvariabel', 'år'],
    dims: [regionDim, ...extra, contents, years],
    stub: ['KOKkommuneregion0000', ...spec.extra.map((e) => e.code)],
    heading: ['ContentsCode', 'Tid'],
    decimals: Math.max(...volumes.map((v) => v.decimals)),
    notes: KOSTRA_NOTES,
    contents: spec.contents,
    subjectCode: spec.subjectCode,
    subjectArea: spec.subjectArea,
    geo: 'KOKkommuneregion0000',
    defaultUpdated: '2025-06-16T06:00:00Z',
    cube: lazy(() =>
      fillCube([kostra.length, ...extra.map((e) => e.categories.length), volumes.length, NY], (idx) => {
        const r = kostra[idx[0]];
        const yi = idx[idx.length - 1];
        if (!valid(r, yi)) return none(ST_NA);
        const v = volumes[idx[idx.length - 2]];
        const count = r.unit.v[vIdx(v.vi, yi)];
        return v.tenths ? roundTo(count / 10, 1) : count;
      }),
    ),
  };
}

function valid(r: RegionEntry, yi: number): boolean {
  return validIn(r, FIRST_YEAR + yi);
}

// ---------------------------------------------------------------------------------------------------------
// Population by sex and age: a smooth synthetic pyramid per region, apportioned so every total is exact.

function agePyramid(tilt: number): { male: number[]; female: number[] } {
  const male: number[] = [];
  const female: number[] = [];
  for (let a = 0; a <= 105; a++) {
    const base = a <= 62 ? 1 + 0.08 * Math.sin(a / 8) : Math.exp(-Math.pow((a - 62) / 17, 2) * 1.6) * (1 + 0.08 * Math.sin(62 / 8));
    const t = Math.max(0.2, 1 + (tilt * (40 - a)) / 40);
    const older = a > 70 ? 1 + (a - 70) / 25 : 1;
    male.push(base * t * 1.02);
    female.push(base * t * older);
  }
  return { male, female };
}

/** Largest-remainder apportionment of an integer total over weights. */
function apportion(total: number, weights: number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const raw = weights.map((w) => (total * w) / sum);
  const out = raw.map(Math.floor);
  let rest = total - out.reduce((a, b) => a + b, 0);
  const order = raw.map((r, i) => [r - Math.floor(r), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let k = 0; rest > 0; k++, rest--) out[order[k % order.length][1]]++;
  return out;
}

function buildPopulationCube(regions: RegionEntry[], nAges: number, nYears: number): Cube {
  const n = regions.length * 2 * nAges * nYears;
  const values = new Float64Array(n);
  const status = new Uint8Array(n);
  const tiltOf = new Map(LINEAGES.map((l) => [l.key, ((l.growth - 0.006) * 12)]));
  regions.forEach((r, ri) => {
    const tilt = tiltOf.get(r.code) ?? 0;
    const { male, female } = agePyramid(tilt);
    const weights = [...male, ...female];
    for (let yi = 0; yi < nYears; yi++) {
      const total = r.unit.pop[yi];
      const ok = validIn(r, FIRST_YEAR + yi) && !Number.isNaN(total);
      const cells = ok ? apportion(total, weights) : null;
      for (let s = 0; s < 2; s++) {
        for (let a = 0; a < nAges; a++) {
          const flat = ((ri * 2 + s) * nAges + a) * nYears + yi;
          if (cells) values[flat] = cells[s * nAges + a];
          else {
            values[flat] = Number.NaN;
            status[flat] = ST_NA;
          }
        }
      }
    }
  });
  return { values, status };
}
