/**
 * Wire types of SSB's statistics API (PxWebApi 2) and JSON-stat 2.0, as documented in
 * ../shared/docs/ssb-api.md and copied from recorded real responses. Shared by the HTTP client,
 * the decoder, the request planner, the in-process demo source and the test stand-in.
 */

/** `GET /config`. SSB answers maxCallsPerTimeWindow 0 / timeWindow 0, which does NOT mean unlimited. */
export interface PxConfig {
  apiVersion: string;
  appVersion: string;
  languages: { id: string; label: string }[];
  defaultLanguage: string;
  maxDataCells: number;
  maxCallsPerTimeWindow: number;
  timeWindow: number;
  license: string;
  sourceReferences: { language: string; text: string }[];
  defaultDataFormat: string;
  dataFormats: string[];
  features?: unknown[];
}

/** `GET /tables/{id}`. `updated` is ISO UTC, the only signal that KOSTRA figures were revised. */
export interface PxTableInfo {
  language: string;
  id: string;
  label: string;
  description?: string;
  updated: string;
  firstPeriod: string;
  lastPeriod: string;
  variableNames: string[];
  discontinued?: boolean;
  source?: string;
  timeUnit?: string;
  links?: { rel: string; hreflang?: string; href: string }[];
}

export interface JsonStatUnit {
  base: string;
  decimals: number;
}

export interface JsonStatCategory {
  /** code -> position. Some producers send an array of codes instead; the decoder accepts both. */
  index: Record<string, number> | string[];
  label?: Record<string, string>;
  unit?: Record<string, JsonStatUnit>;
}

export interface JsonStatDimension {
  label: string;
  category: JsonStatCategory;
  extension?: {
    elimination?: boolean;
    eliminationValueCode?: string;
    show?: string;
    codelists?: unknown[];
    [key: string]: unknown;
  };
  link?: unknown;
}

/** A json-stat2 dataset: `/tables/{id}/data?outputFormat=json-stat2` and `/tables/{id}/metadata` (value = []). */
export interface JsonStat2Dataset {
  version: '2.0';
  class: 'dataset';
  label: string;
  source?: string;
  updated?: string;
  note?: string[];
  role?: { time?: string[]; geo?: string[]; metric?: string[] };
  id: string[];
  size: number[];
  dimension: Record<string, JsonStatDimension>;
  value: (number | null)[];
  /** flat index (as string) -> SSB symbol; JSON-stat also allows an array aligned with `value`. */
  status?: Record<string, string> | (string | null)[];
  extension?: {
    px?: {
      tableid?: string;
      decimals?: number;
      aggregallowed?: boolean;
      heading?: string[];
      stub?: string[];
      [key: string]: unknown;
    };
    [key: string]: unknown;
  };
}

/** One variable of a data selection. Codes may be plain codes or selection expressions (`*`, `top(n)`, `from(x)`...). */
export interface VariableSelection {
  variableCode: string;
  valueCodes: string[];
  codelist?: string;
}

/** The body of `POST /tables/{id}/data`. */
export interface DataSelectionBody {
  selection: VariableSelection[];
  placement?: { heading?: string[]; stub?: string[] };
}

/** RFC 7807 problem body as PxWebApi sends it (`application/problem+json`). */
export interface PxProblem {
  type?: string;
  title: string;
  status: number;
  detail?: string;
}

export type { KlassCodeChange } from '../../core/municipalities/code-history';
