/**
 * Client for SSB's classification API, Klass (https://data.ssb.no/api/klass/v1), limited to what the
 * warehouse needs from classification 131 (municipalities): the code changes between two dates, and the
 * codes valid on a date. It shares the HTTP path (limiter, retries, error classification) with the PxWebApi
 * client; pass the same `limiter` to both when they run together, as SSB counts calls per IP address.
 */
import type { HttpJson } from '../pxweb/http-json';
import { ssbHttp, type SsbClientOptions } from '../pxweb/ssb-http';
import type { KlassCodeChange } from '../pxweb/types';
import type { CodeHistorySource } from '../stat-source';

/** Klass classification 131: Standard for kommuneinndeling (municipalities). */
export const MUNICIPALITY_CLASSIFICATION = '131';

export type KlassClientOptions = SsbClientOptions;

export class KlassClient implements CodeHistorySource {
  readonly baseUrl: string;
  private readonly http: HttpJson;

  constructor(options: KlassClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.http = ssbHttp('SSB Klass', options);
  }

  /** Municipality code changes that occurred in [from, to) — renumberings, mergers, splits, renames. */
  changes(fromDate: string, toDate: string): Promise<KlassCodeChange[]> {
    checkDate('fromDate', fromDate);
    checkDate('toDate', toDate);
    return this.http.request({
      method: 'GET',
      path: `/classifications/${MUNICIPALITY_CLASSIFICATION}/changes.json`,
      query: `from=${fromDate}&to=${toDate}`,
      parse: (json) => parseChanges(json),
    });
  }

    /** Attempts (retries included) and retries since creation. */
  stats(): { requests: number; retries: number } {
    return this.http.stats();
  }
}

function checkDate(name: string, value: string): void {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(value))) {
    throw new TypeError(`${name} must be a date as YYYY-MM-DD, but got: ${JSON.stringify(value)}`);
  }
}

/**
 * `{codeChanges: [...]}`. Rows without both codes (a code created or abolished with no counterpart) say
 * nothing about continuity and are dropped; a missing name becomes ''.
 */
export function parseChanges(json: unknown): KlassCodeChange[] {
  const rows = (json as { codeChanges?: unknown } | null)?.codeChanges;
  if (!Array.isArray(rows)) throw new Error('changes answer has no codeChanges array');
  const out: KlassCodeChange[] = [];
  rows.forEach((row, i) => {
    const r = (row ?? {}) as Record<string, unknown>;
    if (typeof r.changeOccurred !== 'string') throw new Error(`codeChanges[${i}].changeOccurred is not a string`);
    if (typeof r.oldCode !== 'string' || typeof r.newCode !== 'string') return;
    out.push({
      oldCode: r.oldCode,
      oldName: typeof r.oldName === 'string' ? r.oldName : '',
      newCode: r.newCode,
      newName: typeof r.newName === 'string' ? r.newName : '',
      changeOccurred: r.changeOccurred,
    });
  });
  return out;
}

