/**
 * JSON-stat 2.0 answers in the shape SSB's PxWebApi 2 sends (see shared/reference/pxwebapi-v2): metadata with
 * `value: []` and every category, data with the selected categories in metadata order, `value` row-major with
 * the last dimension fastest, `status` only when some cell carries a symbol.
 */
import type { JsonStat2Dataset, JsonStatDimension, PxConfig, PxTableInfo } from '../../etl/pxweb/types';
import { DEMO_MARK, DEMO_SOURCE, STATUS_SYMBOLS, type DimDef, type ResolvedSelection, type TableDef } from './tables';

export const DEMO_CONTACT = [
  {
    name: 'kostra-warehouse',
    organization: 'Syntetiske demodata (ikke SSB)',
    phone: '',
    mail: '',
    raw: 'kostra-warehouse, syntetiske demodata (ikke SSB)# #',
  },
];

export function datasetLabel(t: TableDef): string {
  return `${t.id}: ${t.title} — ${DEMO_MARK}`;
}

function dimensionJson(def: DimDef, indices: number[], forMetadata: boolean, baseUrl: string, lang: string): JsonStatDimension {
  const index: Record<string, number> = {};
  const label: Record<string, string> = {};
  indices.forEach((k, pos) => {
    const c = def.categories[k];
    index[c.code] = pos;
    label[c.code] = c.label;
  });
  const category: JsonStatDimension['category'] = { index, label };
  if (def.units) {
    category.unit = {};
    for (const k of indices) category.unit[def.categories[k].code] = def.units[def.categories[k].code];
  }
  const out: JsonStatDimension = { label: def.label, category };
  if (forMetadata) {
    out.extension = {
      elimination: def.elimination,
      show: def.show,
      ...(def.extension ?? {}),
      codelists: (def.codelists ?? []).map((c) => ({
        id: c.id,
        label: c.label,
        type: c.type,
        links: [{ rel: 'metadata', hreflang: lang, href: `${baseUrl}/codelists/${encodeURIComponent(c.id)}?lang=${lang}` }],
      })),
    };
  }
  return out;
}

function pxExtension(t: TableDef, stub: string[], heading: string[], lang: string) {
  return {
    px: {
      infofile: 'None',
      tableid: t.id,
      decimals: t.decimals,
      'official-statistics': false,
      aggregallowed: false,
      language: lang,
      contents: t.contents,
      descriptiondefault: false,
      heading,
      stub,
      matrix: t.id,
      'subject-code': t.subjectCode,
      'subject-area': t.subjectArea,
    },
    contact: DEMO_CONTACT,
  };
}

function role(t: TableDef) {
  return { time: ['Tid'], geo: [t.geo], metric: ['ContentsCode'] };
}

/** The fields every answer of a table shares, metadata and data alike. */
function datasetHeader(t: TableDef, updated: string) {
  return { version: '2.0' as const, class: 'dataset' as const, label: datasetLabel(t), source: DEMO_SOURCE, updated, note: t.notes, role: role(t) };
}

/** `/metadata`: every category, or for the dimensions in `only` just those positions (the bundled demo data). */
export function metadataDataset(t: TableDef, updated: string, lang: string, baseUrl: string, only: ReadonlyMap<string, number[]> = new Map()): JsonStat2Dataset {
  const indices = (d: DimDef) => only.get(d.code) ?? d.categories.map((_, i) => i);
  return {
    ...datasetHeader(t, updated),
    id: t.dims.map((d) => d.code),
    size: t.dims.map((d) => indices(d).length),
    dimension: Object.fromEntries(t.dims.map((d) => [d.code, dimensionJson(d, indices(d), true, baseUrl, lang)])),
    extension: pxExtension(t, t.stub, t.heading, lang),
    value: [],
  };
}

/** Builds the data answer for a resolved selection: gathers (and sums over eliminated variables) from the cube. */
export function dataDataset(t: TableDef, sel: ResolvedSelection, updated: string, lang: string, baseUrl: string): JsonStat2Dataset {
  const cube = t.cube();
  const metaSizes = t.dims.map((d) => d.categories.length);
  const strides = new Array<number>(metaSizes.length);
  let s = 1;
  for (let k = metaSizes.length - 1; k >= 0; k--) {
    strides[k] = s;
    s *= metaSizes[k];
  }
  const order = [...sel.stub, ...sel.heading];
  const outDims = order.map((code) => {
    const k = t.dims.findIndex((d) => d.code === code);
    return { k, indices: sel.dims[k].indices! };
  });
  const eliminated = sel.dims.map((d, k) => ({ k, d })).filter((x) => x.d.indices === null);
  // offsets of every combination of the eliminated variables (summed over)
  let elimOffsets = [0];
  for (const e of eliminated) {
    const next: number[] = [];
    for (const o of elimOffsets) for (let i = 0; i < metaSizes[e.k]; i++) next.push(o + i * strides[e.k]);
    elimOffsets = next;
  }
  const sizes = outDims.map((d) => d.indices.length);
  const n = sizes.reduce((a, b) => a * b, 1);
  const value = new Array<number | null>(n);
  const status: Record<string, string> = {};
  const pos = new Array<number>(sizes.length).fill(0);
  for (let flat = 0; flat < n; flat++) {
    let base = 0;
    for (let j = 0; j < outDims.length; j++) base += outDims[j].indices[pos[j]] * strides[outDims[j].k];
    let sum = 0;
    let any = false;
    let sym = 0;
    for (const o of elimOffsets) {
      const v = cube.values[base + o];
      if (Number.isNaN(v)) {
        if (!sym) sym = cube.status[base + o];
      } else {
        sum += v;
        any = true;
      }
    }
    if (any) value[flat] = sum;
    else {
      value[flat] = null;
      if (sym) status[String(flat)] = STATUS_SYMBOLS[sym];
    }
    for (let j = sizes.length - 1; j >= 0; j--) {
      if (++pos[j] < sizes[j]) break;
      pos[j] = 0;
    }
  }
  const ds: JsonStat2Dataset = {
    ...datasetHeader(t, updated),
    id: order,
    size: sizes,
    dimension: Object.fromEntries(outDims.map((d) => [t.dims[d.k].code, dimensionJson(t.dims[d.k], d.indices, false, baseUrl, lang)])),
    extension: pxExtension(t, sel.stub, sel.heading, lang),
    value,
  };
  if (Object.keys(status).length) ds.status = status;
  return ds;
}

/** `/config` of the demo API: SSB's cell limit and SSB's zeros for the rate limit (which do not mean unlimited). */
export function demoConfig(maxDataCells: number): PxConfig {
  return {
    apiVersion: '2.0.0',
    appVersion: `kostra-warehouse-demo (${DEMO_MARK})`,
    languages: [
      { id: 'no', label: 'Norsk' },
      { id: 'en', label: 'English' },
    ],
    defaultLanguage: 'no',
    maxDataCells,
    maxCallsPerTimeWindow: 0,
    timeWindow: 0,
    license: 'https://creativecommons.org/licenses/by/4.0/deed.no',
    sourceReferences: [
      { language: 'no', text: DEMO_SOURCE },
      { language: 'en', text: 'Synthetic demo data (kostra-warehouse) — not Statistics Norway figures' },
    ],
    defaultDataFormat: 'json-stat2',
    dataFormats: ['json-stat2'],
    features: [{ id: 'CORS', params: [{ key: 'enabled', value: 'True' }] }],
  };
}

/** `/tables/{id}`: the table's info, with `updated` as the revision signal. */
export function tableInfoJson(t: TableDef, updated: string, lang: string, baseUrl: string): PxTableInfo & Record<string, unknown> {
  const years = t.dims.find((d) => d.code === 'Tid')?.categories ?? [];
  return {
    language: lang,
    id: t.id,
    label: `${t.id}: ${t.title} — ${DEMO_MARK}`,
    description: `${DEMO_SOURCE}.`,
    sortCode: t.id,
    updated,
    firstPeriod: years[0]?.code ?? '',
    lastPeriod: years[years.length - 1]?.code ?? '',
    category: 'public',
    variableNames: t.variableNames,
    discontinued: false,
    source: DEMO_SOURCE,
    subjectCode: t.subjectCode,
    timeUnit: 'Annual',
    paths: [[{ id: t.subjectCode, label: t.subjectArea, sortCode: t.subjectCode }]],
    links: [
      { rel: 'self', hreflang: lang, href: `${baseUrl}/tables/${t.id}?lang=${lang}` },
      { rel: 'metadata', hreflang: lang, href: `${baseUrl}/tables/${t.id}/metadata?lang=${lang}` },
      { rel: 'data', hreflang: lang, href: `${baseUrl}/tables/${t.id}/data?lang=${lang}&outputFormat=json-stat2` },
    ],
  };
}
