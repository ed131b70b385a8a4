/**
 * The table-shaped answers offered as CSV: for each, one fixed GraphQL operation (run through the same schema,
 * limits and response cache as any client's) and how its answer becomes rows. The URL's parameters are the
 * operation's variables, named like the field's arguments; nothing here computes a figure.
 */
import type { CsvCell, CsvTable } from './csv-format';

export interface CsvShape {
  /** The URL segment: /csv/<name>. */
  name: string;
  /** The GraphQL field it exports. */
  field: string;
  document: string;
  /** Parameters of the shape itself (not variables), with their allowed values; the first is the default. */
  options?: Record<string, readonly string[]>;
  /** Variables given when the URL leaves them out (the CSV's own defaults, where they differ from the field's). */
  defaults?: Record<string, unknown>;
  /** A working URL, shown in errors. */
  example: string;
  toTable(data: Record<string, unknown>, options: Record<string, string>): CsvTable;
}

/** Say why a cell is empty (the API's reason), at most this many lines, so a table with many gaps stays readable. */
const MAX_REASON_NOTES = 20;

function reasonNotes(reasons: string[]): string[] {
  const unique = [...new Set(reasons)];
  const shown = unique.slice(0, MAX_REASON_NOTES).map((r) => `Tom celle: ${r}`);
  if (unique.length > MAX_REASON_NOTES) shown.push(`… og ${unique.length - MAX_REASON_NOTES} andre tomme celler (se reason i GraphQL-svaret)`);
  return shown;
}

interface MetricInfo { id: string; label: string; unit: string; decimals?: number }
/** The MetricUnit enum as the report writes it. */
const UNIT_LABELS: Record<string, string> = {
  PERCENT: 'prosent', PERCENTAGE_POINTS: 'prosentpoeng', NOK: 'kroner', NOK_PER_INHABITANT: 'kroner per innbygger',
  NOK_1000: '1000 kroner', PERSONS: 'personer', PER_1000_INHABITANTS: 'per 1000 innbyggere', INDEX: 'indeks',
};
const metricNote = (m: MetricInfo, extra: string[] = []) => [`${m.label.includes(m.id) ? m.label : `${m.label} (${m.id})`}, enhet: ${UNIT_LABELS[m.unit] ?? m.unit}`, ...extra].join('; ');

// ---- metricSeries: one row per subject, one column per year (the report's ratio tables) ---------------------------

const SERIES_MEASURES = ['value', 'rounded', 'index', 'differenceFromReference', 'change', 'changePct'] as const;
type SeriesMeasure = (typeof SERIES_MEASURES)[number];

interface SeriesData {
  metricSeries: {
    metric: MetricInfo; years: number[]; serviceArea: string | null; needCorrected: boolean; inflatedTo: number | null;
    series: { subject: { kind: string; id: string; name: string }; points: ({ year: number; reason: string | null } & Record<SeriesMeasure, number | null>)[] }[];
  };
}

const metricSeries: CsvShape = {
  name: 'metric-series',
  field: 'metricSeries',
  document: `query CsvMetricSeries($metric: String!, $subjects: [SubjectInput!]!, $years: YearsInput!, $serviceArea: String,
  $reference: SubjectInput, $needCorrected: Boolean, $inflateTo: Int) {
  metricSeries(metric: $metric, subjects: $subjects, years: $years, serviceArea: $serviceArea, reference: $reference,
    needCorrected: $needCorrected, inflateTo: $inflateTo) {
    metric { id label unit decimals }
    years serviceArea needCorrected inflatedTo
    series { subject { kind id name } points { year value rounded index differenceFromReference change changePct reason } }
  }
}`,
  options: { measure: SERIES_MEASURES },
  example: '/csv/metric-series?metric=resultatgrad&subjects=[{"municipality":"Bærum"},{"peerGroup":"asss-u-oslo"}]&years={"from":2020,"to":2024}',
  toTable(data, options) {
    const t = (data as unknown as SeriesData).metricSeries;
    const measure = options.measure as SeriesMeasure;
    const reasons: string[] = [];
    const rows = t.series.map((s) => {
      const byYear = new Map(s.points.map((p) => [p.year, p]));
      return [s.subject.name, s.subject.id, s.subject.kind, ...t.years.map((year): CsvCell => {
        const point = byYear.get(year);
        const value = point?.[measure] ?? null;
        if (value === null && point?.reason) reasons.push(`${s.subject.name} ${year}: ${point.reason}`);
        return value;
      })];
    });
    const facts = [
      `verdi: ${measure}`,
      ...(t.serviceArea ? [`tjenesteområde ${t.serviceArea}`] : []),
      ...(t.needCorrected ? ['korrigert for utgiftsbehov'] : []),
      ...(t.inflatedTo !== null ? [`i ${t.inflatedTo}-kroner`] : []),
    ];
    return { header: ['subject', 'subject_id', 'subject_kind', ...t.years.map(String)], rows, notes: [metricNote(t.metric, facts), ...reasonNotes(reasons)] };
  },
};

// ---- peerComparison: one row per member, highest first, then the group's averages ---------------------------------

interface RankedRow {
  rank: number | null; municipality: { key: string; name: string }; value: number | null; rounded: number | null; index: number | null;
  indexRounded: number | null; differenceFromAverage: number | null; reason: string | null;
}
interface PeerData {
  peerComparison: {
    metric: MetricInfo; peerGroup: { id: string; name: string }; year: number;
    weightedAverage: { value: number | null; reason: string | null }; unweightedMean: { value: number | null; reason: string | null };
    members: RankedRow[]; highlighted: { municipality: { key: string } }[];
  };
}

const peerComparison: CsvShape = {
  name: 'peer-comparison',
  field: 'peerComparison',
  document: `query CsvPeerComparison($metric: String!, $peerGroup: String!, $year: Int!, $highlight: [String!], $serviceArea: String) {
  peerComparison(metric: $metric, peerGroup: $peerGroup, year: $year, highlight: $highlight, serviceArea: $serviceArea) {
    metric { id label unit decimals }
    peerGroup { id name }
    year
    weightedAverage { value reason }
    unweightedMean { value reason }
    members { rank municipality { key name } value rounded index indexRounded differenceFromAverage reason }
    highlighted { municipality { key } }
  }
}`,
  example: '/csv/peer-comparison?metric=resultatgrad&peerGroup=asss-u-oslo&year=2024&highlight=Bærum,Asker',
  toTable(data) {
    const p = (data as unknown as PeerData).peerComparison;
    const highlighted = new Set(p.highlighted.map((h) => h.municipality.key));
    const rows: CsvCell[][] = p.members.map((m) => [
      m.rank, m.municipality.key, m.municipality.name, m.value, m.rounded, m.index, m.indexRounded, m.differenceFromAverage,
      highlighted.has(m.municipality.key), m.reason,
    ]);
    rows.push([null, p.peerGroup.id, `${p.peerGroup.name}, vektet gjennomsnitt (indeks 100)`, p.weightedAverage.value, null, null, null, null, false, p.weightedAverage.reason]);
    rows.push([null, p.peerGroup.id, `${p.peerGroup.name}, uvektet gjennomsnitt`, p.unweightedMean.value, null, null, null, null, false, p.unweightedMean.reason]);
    return {
      header: ['rank', 'municipality_key', 'municipality', 'value', 'rounded', 'index', 'index_rounded', 'difference_from_average', 'highlighted', 'reason'],
      rows,
      notes: [metricNote(p.metric, [`${p.peerGroup.name} ${p.year}`, 'indeks = verdi / gruppens vektede gjennomsnitt × 100'])],
    };
  },
};

// ---- serviceAreaTable: one row per grouping, value and share per column (the report's service-area table) --------

interface AreaCell { subject: { name: string }; year: number; value: number | null; sharePct: number | null; reason: string | null }
interface AreaData {
  serviceAreaTable: {
    metric: MetricInfo; needCorrected: boolean; inflatedTo: number | null;
    rows: { grouping: { id: string; label: string; parentId: string | null }; cells: AreaCell[] }[];
    totals: AreaCell[];
  };
}

const serviceAreaTable: CsvShape = {
  name: 'service-area-table',
  field: 'serviceAreaTable',
  document: `query CsvServiceAreaTable($columns: [ServiceAreaColumnInput!]!, $metric: String, $needCorrected: Boolean, $inflateTo: Int) {
  serviceAreaTable(columns: $columns, metric: $metric, needCorrected: $needCorrected, inflateTo: $inflateTo) {
    metric { id label unit decimals }
    needCorrected inflatedTo
    rows { grouping { id label parentId } cells { subject { name } year value sharePct reason } }
    totals { subject { name } year value sharePct reason }
  }
}`,
  example: '/csv/service-area-table?columns=[{"subject":{"municipality":"Bærum"},"year":2024},{"subject":{"peerGroup":"asss-u-oslo"},"year":2024}]&inflateTo=2024',
  toTable(data) {
    const t = (data as unknown as AreaData).serviceAreaTable;
    const reasons: string[] = [];
    const cells = (label: string, list: AreaCell[]): CsvCell[] => list.flatMap((c) => {
      if (c.value === null && c.reason) reasons.push(`${label}, ${c.subject.name} ${c.year}: ${c.reason}`);
      return [c.value, c.sharePct];
    });
    const rows: CsvCell[][] = t.rows.map((r) => [r.grouping.id, r.grouping.label, r.grouping.parentId, ...cells(r.grouping.label, r.cells)]);
    rows.push(['total', 'Totalt', null, ...cells('Totalt', t.totals)]);
    const facts = [
      ...(t.needCorrected ? ['korrigert for utgiftsbehov'] : []),
      ...(t.inflatedTo !== null ? [`i ${t.inflatedTo}-kroner`] : []),
      'andel = tjenesteområdets andel av totalen, i %',
    ];
    return {
      header: ['grouping_id', 'grouping', 'parent_id', ...t.totals.flatMap((c) => [`${c.subject.name} ${c.year}`, `${c.subject.name} ${c.year} andel %`])],
      rows,
      notes: [metricNote(t.metric, facts), ...reasonNotes(reasons)],
    };
  },
};

// ---- facts: one row per stored cell, one page --------------------------------------------------------------------

interface FactsData {
  facts: {
    totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null };
    edges: { node: {
      region: { code: string; name: string; kind: string }; year: number; indicator: { key: string; label: string; tableId: string };
      serviceArea: { code: string; label: string }; value: number | null; unit: string; status: string | null; statusMeaning: string | null;
      provenance: { sourceTable: string; ssbUpdated: string | Date | null; loadId: number; loadedAt: string | Date | null; source: string };
    } }[];
  };
}

const facts: CsvShape = {
  name: 'facts',
  field: 'facts',
  document: `query CsvFacts($filter: FactFilter, $first: Int, $after: String) {
  facts(filter: $filter, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node {
      region { code name kind } year indicator { key label tableId } serviceArea { code label }
      value unit status statusMeaning provenance { sourceTable ssbUpdated loadId loadedAt source }
    } }
  }
}`,
  // A spreadsheet wants as many rows as one page may hold.
  defaults: { first: 1000 },
  example: '/csv/facts?filter={"regions":["Bærum"],"indicators":["bdi"]}',
  toTable(data) {
    const f = (data as unknown as FactsData).facts;
    const rows: CsvCell[][] = f.edges.map(({ node: n }) => [
      n.region.code, n.region.name, n.region.kind, n.year, n.indicator.key, n.indicator.label, n.indicator.tableId,
      n.serviceArea.code, n.serviceArea.label, n.value, n.unit, n.status, n.statusMeaning,
      n.provenance.ssbUpdated, n.provenance.loadedAt, n.provenance.loadId, n.provenance.source,
    ]);
    const notes = [`${f.edges.length} av ${f.totalCount} fakta`];
    if (f.pageInfo.hasNextPage && f.pageInfo.endCursor) notes.push(`Neste side: samme adresse med after=${f.pageInfo.endCursor}`);
    return {
      header: ['region_code', 'region', 'region_kind', 'year', 'indicator', 'indicator_label', 'table', 'service_area', 'service_area_label',
        'value', 'unit', 'status', 'status_meaning', 'ssb_updated', 'loaded_at', 'load_id', 'source'],
      rows,
      notes,
    };
  },
};

export const CSV_SHAPES: readonly CsvShape[] = [metricSeries, peerComparison, serviceAreaTable, facts];
