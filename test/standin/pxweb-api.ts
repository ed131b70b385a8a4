/**
 * The demo API, transport-free: every PxWebApi 2 and Klass answer the HTTP stand-in serves, as plain calls that
 * return JSON bodies or throw PxProblemError. The in-process demo source calls the same methods, so the two can
 * never disagree.
 */
import type { DataSelectionBody, JsonStat2Dataset, KlassCodeChange, PxConfig, PxTableInfo } from '../../etl/pxweb/types';
import type { CodeHistorySource, SourceStats, StatSource } from '../../etl/stat-source';
import { PxProblemError, TITLES } from './problems';
import { dataDataset, demoConfig, metadataDataset, tableInfoJson } from '../../tools/demo-data/jsonstat';
import { demoDataset, type DemoDataset } from '../../tools/demo-data/dataset';
import { FIRST_YEAR, validIn } from '../../tools/demo-data/regions';
import { resolveSelection, type GetDataQuery } from './selection';
import { DEMO_MARK, LAYOUT_NAMES, type Layout, type TableDef } from '../../tools/demo-data/tables';

export const DEMO_MAX_DATA_CELLS = 800000;
export { demoDataset, type DemoDataset };
export const DEFAULT_BASE_URL = 'https://demo.kostra-warehouse.invalid/api/pxwebapi/v2';
export const LANGUAGES = ['no', 'en'];

export interface DemoApiOptions {
  /** Per-table `updated` override (ISO UTC), e.g. to simulate SSB's 15 June revision. */
  tableUpdated?: Record<string, string>;
  /** Default 800 000 like SSB. */
  maxDataCells?: number;
  curatedDir?: string;
  dataset?: DemoDataset;
  /**
   * Which table holds which accounting concept: `documented` (default, SSB's layout: 12137, 12364, 12143) or
   * `legacy` (12137 holds every concept; 12364 and 12143 answer 404 like any unknown table).
   */
  layout?: Layout;
}

export interface TableListQuery {
  query?: string;
  pastDays?: string | number;
  includeDiscontinued?: string | boolean;
  pageNumber?: string | number;
  pageSize?: string | number;
  lang?: string;
}

export interface PxTableList {
  language: string;
  tables: (PxTableInfo & Record<string, unknown>)[];
  page: { pageNumber: number; pageSize: number; totalElements: number; totalPages: number; links: { rel: string; hreflang: string; href: string }[] };
  links: { rel: string; hreflang: string; href: string }[];
}

export interface PxCodelist {
  id: string;
  label: string;
  language: string;
  type: string;
  elimination: boolean;
  values: { code: string; label: string; valueMap: string[] }[];
  links: { rel: string; hreflang: string; href: string }[];
}

export class DemoApi {
  readonly dataset: DemoDataset;
  readonly layout: Layout;
  /** the tables served in this layout */
  readonly tables: readonly TableDef[];
  readonly maxDataCells: number;
  private readonly updatedOverride: Record<string, string>;

  constructor(options: DemoApiOptions = {}) {
    this.dataset = options.dataset ?? demoDataset({ curatedDir: options.curatedDir });
    this.layout = options.layout ?? 'documented';
    if (!LAYOUT_NAMES.includes(this.layout)) throw new TypeError(`layout must be one of ${LAYOUT_NAMES.join(', ')}, but got: ${String(options.layout)}`);
    this.tables = this.dataset.layouts[this.layout];
    this.maxDataCells = options.maxDataCells ?? DEMO_MAX_DATA_CELLS;
    if (!(Number.isInteger(this.maxDataCells) && this.maxDataCells > 0)) {
      throw new TypeError(`maxDataCells must be a positive integer, but got: ${options.maxDataCells}`);
    }
    this.updatedOverride = { ...(options.tableUpdated ?? {}) };
    for (const [id, iso] of Object.entries(this.updatedOverride)) {
      if (Number.isNaN(Date.parse(iso))) throw new TypeError(`tableUpdated.${id} must be an ISO timestamp, but got: ${iso}`);
    }
  }

  /** Simulate a revision: the table's `updated` becomes `iso` (or the default again when undefined). */
  setTableUpdated(tableId: string, iso: string | undefined): void {
    if (iso === undefined) delete this.updatedOverride[tableId];
    else this.updatedOverride[tableId] = iso;
  }

  updated(t: TableDef): string {
    return this.updatedOverride[t.id] ?? t.defaultUpdated;
  }

  config(): PxConfig {
    return demoConfig(this.maxDataCells);
  }

  table(tableId: string, lang?: string, baseUrl = DEFAULT_BASE_URL): PxTableInfo & Record<string, unknown> {
    const l = this.lang(lang);
    return this.tableInfo(this.find(tableId), l, baseUrl);
  }

  listTables(q: TableListQuery = {}, now: Date = new Date(), baseUrl = DEFAULT_BASE_URL): PxTableList {
    const lang = this.lang(q.lang);
    const pageNumber = intParam('pageNumber', q.pageNumber, 1);
    const pageSize = intParam('pageSize', q.pageSize, 20);
    const pastDays = q.pastDays === undefined || q.pastDays === '' ? undefined : intParam('pastDays', q.pastDays, 0);
    const words = (q.query ?? '').toLowerCase().split(/\s+/).filter(Boolean);
    const matches = this.tables.filter((t) => {
      const text = `${t.id} ${t.title} ${DEMO_MARK} ${t.variableNames.join(' ')}`.toLowerCase();
      if (!words.every((w) => text.includes(w.replace(/\*/g, '')))) return false;
      if (pastDays !== undefined && Date.parse(this.updated(t)) < now.getTime() - pastDays * 86400000) return false;
      return true;
    });
    const totalPages = Math.max(1, Math.ceil(matches.length / pageSize));
    if (pageNumber > totalPages) throw new PxProblemError(404, TITLES.nonExistentPage, `page ${pageNumber} of ${totalPages}`);
    const page = matches.slice((pageNumber - 1) * pageSize, pageNumber * pageSize);
    const href = (n: number) => `${baseUrl}/tables?lang=${lang}&pageSize=${pageSize}&pageNumber=${n}${q.query ? `&query=${encodeURIComponent(q.query)}` : ''}`;
    const pageLinks = [
      ...(pageNumber > 1 ? [{ rel: 'previous', hreflang: lang, href: href(pageNumber - 1) }] : []),
      ...(pageNumber < totalPages ? [{ rel: 'next', hreflang: lang, href: href(pageNumber + 1) }] : []),
      { rel: 'last', hreflang: lang, href: href(totalPages) },
    ];
    return {
      language: lang,
      tables: page.map((t) => this.tableInfo(t, lang, baseUrl)),
      page: { pageNumber, pageSize, totalElements: matches.length, totalPages, links: pageLinks },
      links: [{ rel: 'self', hreflang: lang, href: href(pageNumber) }],
    };
  }

  metadata(tableId: string, lang?: string, baseUrl = DEFAULT_BASE_URL): JsonStat2Dataset {
    const l = this.lang(lang);
    const t = this.find(tableId);
    return metadataDataset(t, this.updated(t), l, baseUrl);
  }

  /** POST /tables/{id}/data (and GET after parseGetDataQuery). */
  data(tableId: string, body: DataSelectionBody | null | undefined, opts: { lang?: string; outputFormat?: string; outputFormatParams?: string } = {}, baseUrl = DEFAULT_BASE_URL): JsonStat2Dataset {
    const t = this.find(tableId);
    const lang = this.lang(opts.lang);
    if (opts.outputFormat !== undefined && opts.outputFormat.toLowerCase() !== 'json-stat2') {
      throw new PxProblemError(400, TITLES.unsupportedFormat, `outputFormat ${opts.outputFormat} is not supported by the demo; use json-stat2`);
    }
    if (opts.outputFormatParams) throw new PxProblemError(400, TITLES.unsupportedFormat, 'outputFormatParams cannot be used with json-stat2');
    const sel = resolveSelection(t, body, this.maxDataCells);
    return dataDataset(t, sel, this.updated(t), lang, baseUrl);
  }

  dataFromQuery(tableId: string, q: GetDataQuery, baseUrl = DEFAULT_BASE_URL): JsonStat2Dataset {
    return this.data(tableId, q.body, { lang: q.lang, outputFormat: q.outputFormat, outputFormatParams: q.outputFormatParams }, baseUrl);
  }

  codelist(id: string, lang?: string, baseUrl = DEFAULT_BASE_URL): PxCodelist {
    const l = this.lang(lang);
    for (const t of this.tables) {
      for (const d of t.dims) {
        const c = d.codelists?.find((x) => x.id === id);
        if (!c) continue;
        const label = new Map(d.categories.map((x) => [x.code, x.label]));
        return {
          id: c.id,
          label: c.label,
          language: l,
          type: c.type,
          elimination: false,
          values: c.codes.map((code) => ({ code, label: label.get(code)!, valueMap: [code] })),
          links: [{ rel: 'self', hreflang: l, href: `${baseUrl}/codelists/${encodeURIComponent(id)}?lang=${l}` }],
        };
      }
    }
    throw new PxProblemError(404, TITLES.nonExistentCodelist, `Codelist ${id} does not exist`);
  }

  /** Klass 131 `changes` in [from, to): renumberings, mergers and splits of the demo municipalities. */
  klassChanges(from: string, to: string): { codeChanges: (KlassCodeChange & { oldShortName: string | null; newShortName: string | null })[] } {
    const f = isoDate('from', from);
    const t = isoDate('to', to);
    return {
      codeChanges: this.dataset.codeChanges
        .filter((c) => c.changeOccurred >= f && c.changeOccurred < t)
        .map((c) => ({ oldCode: c.oldCode, oldName: c.oldName, oldShortName: null, newCode: c.newCode, newName: c.newName, newShortName: null, changeOccurred: c.changeOccurred })),
    };
  }

  /** Klass 131 `codesAt`: the demo municipality codes valid on a date. */
  klassCodesAt(date: string): { codes: Record<string, unknown>[] } {
    const d = isoDate('date', date);
    const year = Number(d.slice(0, 4));
    return {
      codes: this.dataset.municipalityCodes
        .filter((c) => validIn(c, year) || (year > 2024 && c.validTo === undefined))
        .map((c) => ({
          code: c.code,
          parentCode: null,
          level: '1',
          name: c.name,
          shortName: '',
          presentationName: '',
          validFrom: c.validFrom > FIRST_YEAR ? `${c.validFrom}-01-01` : null,
          validTo: c.validTo !== undefined ? `${c.validTo + 1}-01-01` : null,
          notes: '',
        })),
    };
  }

  private find(tableId: string): TableDef {
    const t = this.tables.find((x) => x.id.toLowerCase() === String(tableId).toLowerCase());
    if (!t) throw new PxProblemError(404, TITLES.nonExistentTable, `Table ${tableId} does not exist`);
    return t;
  }

  private lang(lang: string | undefined): string {
    if (lang === undefined || lang === '') return 'no';
    const l = lang.toLowerCase();
    if (!LANGUAGES.includes(l)) throw new PxProblemError(400, TITLES.unsupportedLanguage, `Language ${lang} is not supported; use ${LANGUAGES.join(' or ')}`);
    return l;
  }

  private tableInfo(t: TableDef, lang: string, baseUrl: string): PxTableInfo & Record<string, unknown> {
    return tableInfoJson(t, this.updated(t), lang, baseUrl);
  }

}

function intParam(name: string, v: string | number | undefined, dflt: number): number {
  if (v === undefined || v === '') return dflt;
  const n = Number(v);
  if (!Number.isInteger(n) || n < (name === 'pastDays' ? 0 : 1)) throw new PxProblemError(400, TITLES.illegalParameter, `${name} must be a positive integer, but got: ${v}`);
  return n;
}

function isoDate(name: string, v: string | undefined): string {
  if (!v || !/^\d{4}-\d{2}-\d{2}$/.test(v) || Number.isNaN(Date.parse(v))) {
    throw new PxProblemError(400, 'Bad request', `${name} must be a date yyyy-MM-dd, but got: ${v ?? '(missing)'}`);
  }
  return v;
}

export type EmulatorSource = StatSource & CodeHistorySource & { readonly kind: 'demo'; readonly api: DemoApi };

/**
 * The emulator as an in-process statistics source (every selection expression, SSB's errors as PxProblemError):
 * what the HTTP stand-in serves, without HTTP. The product's own demo source (etl/demo) answers only from the
 * committed bundle.
 */
export function createEmulatorSource(api: DemoApi = new DemoApi()): EmulatorSource {
  const counters: SourceStats = { requests: 0, retries: 0, dataRequests: 0 };
  const call = async <T>(f: () => T): Promise<T> => {
    counters.requests++;
    return f();
  };
  return {
    kind: 'demo',
    api,
    config: () => call(() => api.config()),
    table: (tableId: string) => call(() => api.table(tableId)),
    metadata: (tableId: string) => call(() => api.metadata(tableId)),
    data: (tableId: string, body: DataSelectionBody) => call(() => {
      const ds = api.data(tableId, body);
      counters.dataRequests++;
      return ds;
    }),
    stats: () => ({ ...counters }),
    changes: (fromDate: string, toDate: string) => call(() => api.klassChanges(fromDate, toDate).codeChanges.map(({ oldCode, oldName, newCode, newName, changeOccurred }) => ({ oldCode, oldName, newCode, newName, changeOccurred }))),
  };
}
