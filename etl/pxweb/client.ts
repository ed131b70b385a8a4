/**
 * HTTP client for SSB's statistics API, PxWebApi 2 (see the shared ssb-api.md beside the project, ../shared/docs/ssb-api.md). It implements StatSource, so the
 * loader talks to it exactly as to the demo source.
 *
 * What it guarantees: at most `maxCalls` attempts per window (retries included); transient failures
 * (429, 5xx, resets, timeouts, truncated or inconsistent bodies) retried with backoff; every json-stat2
 * answer validated by the decoder before it is returned, so a shifted or cut-off cube never reaches the
 * loader; GET for selections whose URL fits (≤ 2 000 characters; SSB answers 404 above ~2 100), POST above.
 * It never sends `outputFormatParams` (400 with json-stat2) or `outputValues` (removed from the spec).
 */
import type { SourceStats, StatSource } from '../stat-source';
import { InvalidSelectionError } from './errors';
import type { HttpJson } from './http-json';
import { ssbHttp, type SsbClientOptions } from './ssb-http';
import { decodeJsonStat2, decodeJsonStat2Metadata } from './jsonstat-decode';
import type { DataSelectionBody, JsonStat2Dataset, PxConfig, PxTableInfo, VariableSelection } from './types';

/** Longest GET URL we send. SSB answers 404 above ~2 100 characters; keep a margin. */
export const MAX_GET_URL_LENGTH = 2000;

export interface PxWebClientOptions extends SsbClientOptions {
  /** Default `no`. */
  lang?: string;
  /** Default MAX_GET_URL_LENGTH. */
  maxGetUrlLength?: number;
}

/** How a data call goes on the wire. */
export type DataRequestPlan =
  | { method: 'GET'; url: string }
  | { method: 'POST'; url: string; body: DataSelectionBody };

export class PxWebClient implements StatSource {
  readonly kind = 'live' as const;
  readonly baseUrl: string;
  readonly lang: string;
  private readonly http: HttpJson;
  private readonly maxGetUrlLength: number;
  private dataRequests = 0;

  constructor(options: PxWebClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.lang = options.lang ?? 'no';
    this.maxGetUrlLength = options.maxGetUrlLength ?? MAX_GET_URL_LENGTH;
    this.http = ssbHttp('SSB', options);
  }

  /** `GET /config`: limits and formats. Remember that SSB's 0 / 0 rate limit means "not stated". */
  config(): Promise<PxConfig> {
    return this.http.request({
      method: 'GET',
      path: '/config',
      parse: (json) => expectFields<PxConfig>(json, ['maxDataCells', 'maxCallsPerTimeWindow', 'timeWindow'], 'config'),
    });
  }

  /** `GET /tables/{id}`: `updated` is the only signal that KOSTRA figures were revised. */
  table(tableId: string): Promise<PxTableInfo> {
    return this.http.request({
      method: 'GET',
      path: `/tables/${encodeURIComponent(tableId)}`,
      query: `lang=${encodeURIComponent(this.lang)}`,
      parse: (json) => expectFields<PxTableInfo>(json, ['id', 'updated'], 'table'),
    });
  }

  /** `GET /tables/{id}/metadata`: a json-stat2 dataset with `value: []`, validated. */
  metadata(tableId: string): Promise<JsonStat2Dataset> {
    return this.http.request({
      method: 'GET',
      path: `/tables/${encodeURIComponent(tableId)}/metadata`,
      query: `lang=${encodeURIComponent(this.lang)}&outputFormat=json-stat2`,
      parse: (json) => {
        decodeJsonStat2Metadata(json);
        return json as JsonStat2Dataset;
      },
    });
  }

  /**
   * The data for one selection, as json-stat2, validated (ids, sizes, index permutations, value count).
   * Refuses a selection that repeats a code (SSB would answer 500 with an empty body). Split big selections
   * with `planRequests` first: this sends exactly one selection.
   */
  async data(tableId: string, body: DataSelectionBody): Promise<JsonStat2Dataset> {
    assertNoDuplicateCodes(tableId, body.selection);
    const plan = this.planDataRequest(tableId, body);
    const path = `/tables/${encodeURIComponent(tableId)}/data`;
    const query = plan.url.slice(plan.url.indexOf('?') + 1);
    const ds = await this.http.request<JsonStat2Dataset>({
      method: plan.method,
      path,
      query,
      body: plan.method === 'POST' ? plan.body : undefined,
      parse: (json) => {
        decodeJsonStat2(json);
        return json as JsonStat2Dataset;
      },
    });
    this.dataRequests++;
    return ds;
  }

  /** GET or POST, and the URL, for a data call; for `--dry-run` printouts and tests. */
  planDataRequest(tableId: string, body: DataSelectionBody): DataRequestPlan {
    const url = buildDataGetUrl(this.baseUrl, tableId, body, this.lang);
    if (url.length <= this.maxGetUrlLength) return { method: 'GET', url };
    return { method: 'POST', url: buildDataPostUrl(this.baseUrl, tableId, this.lang), body: postBody(body) };
  }

  stats(): SourceStats {
    const { requests, retries } = this.http.stats();
    return { requests, retries, dataRequests: this.dataRequests };
  }

  rateLimit(): { maxCalls: number; windowMs: number } {
    return this.http.rateLimit();
  }
}

/**
 * The GET URL for a data selection:
 * `{base}/tables/{id}/data?lang=no&outputFormat=json-stat2&valueCodes[VAR]=a,b&codelist[VAR]=agg_x`.
 * Brackets in parameter names stay literal (as in SSB's own examples); codes are percent-encoded but commas
 * separate them; an expression containing a comma is wrapped in brackets (`[range(2020,2024)]`), as the API
 * requires in GET. `placement` becomes `heading=` / `stub=`.
 */
export function buildDataGetUrl(baseUrl: string, tableId: string, body: DataSelectionBody, lang = 'no'): string {
  const parts = [`lang=${encodeURIComponent(lang)}`, 'outputFormat=json-stat2'];
  for (const sel of body.selection) {
    const name = encodeURIComponent(sel.variableCode);
    parts.push(`valueCodes[${name}]=${sel.valueCodes.map(encodeGetValue).join(',')}`);
    if (sel.codelist !== undefined) parts.push(`codelist[${name}]=${encodeURIComponent(sel.codelist)}`);
  }
  const { heading, stub } = body.placement ?? {};
  if (heading?.length) parts.push(`heading=${heading.map(encodeURIComponent).join(',')}`);
  if (stub?.length) parts.push(`stub=${stub.map(encodeURIComponent).join(',')}`);
  return `${baseUrl.replace(/\/+$/, '')}/tables/${encodeURIComponent(tableId)}/data?${parts.join('&')}`;
}

/** The POST URL: only lang and outputFormat in the query; the selection goes in the body. */
export function buildDataPostUrl(baseUrl: string, tableId: string, lang = 'no'): string {
  return `${baseUrl.replace(/\/+$/, '')}/tables/${encodeURIComponent(tableId)}/data?lang=${encodeURIComponent(lang)}&outputFormat=json-stat2`;
}

/** One valueCodes item for GET: percent-encoded, with `[...]` around an expression that contains a comma. */
export function encodeGetValue(item: string): string {
  const bracketed = item.startsWith('[') && item.endsWith(']');
  const inner = bracketed ? item.slice(1, -1) : item;
  if (!inner.includes(',')) return encodeURIComponent(inner);
  return `[${inner.split(',').map(encodeURIComponent).join(',')}]`;
}

/** The POST body: the selection (brackets removed — POST does not need them) and placement, nothing else. */
function postBody(body: DataSelectionBody): DataSelectionBody {
  const out: DataSelectionBody = {
    selection: body.selection.map((s) => {
      const sel: VariableSelection = {
        variableCode: s.variableCode,
        valueCodes: s.valueCodes.map((c) => (c.startsWith('[') && c.endsWith(']') ? c.slice(1, -1) : c)),
      };
      if (s.codelist !== undefined) sel.codelist = s.codelist;
      return sel;
    }),
  };
  if (body.placement) out.placement = body.placement;
  return out;
}

function assertNoDuplicateCodes(tableId: string, selection: readonly VariableSelection[]): void {
  for (const sel of selection) {
    const seen = new Set<string>();
    for (const code of sel.valueCodes) {
      if (seen.has(code)) {
        throw new InvalidSelectionError(
          `Selection for table ${tableId} repeats value code "${code}" of ${sel.variableCode}: SSB answers 500 with an empty body for repeated codes; de-duplicate first (planRequests does)`,
        );
      }
      seen.add(code);
    }
  }
}

function expectFields<T>(json: unknown, fields: string[], what: string): T {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new Error(`${what} answer is not a JSON object`);
  const missing = fields.filter((f) => !(f in json));
  if (missing.length) throw new Error(`${what} answer lacks ${missing.join(', ')}`);
  return json as T;
}
