/**
 * Errors of the SSB HTTP clients (PxWebApi 2 and Klass), classified the dlt way: transient (retry with
 * backoff) or terminal (stop and say why). Every message names the call and says what to do next, because
 * the person reading it is looking at a failed nightly load, not at this code.
 */
import type { PxProblem } from './types';

/** Which SSB service answered; only used in messages. */
export type SsbService = 'SSB' | 'SSB Klass';

/** What went wrong, beyond the HTTP status. */
export type SsbErrorKind =
  /** The server answered with a non-2xx status. */
  | 'http'
  /** No answer: connection reset, timeout, DNS… (`status` is 0). */
  | 'network'
  /** 2xx, but the body is not valid JSON (typically truncated). */
  | 'invalid-json'
  /** 2xx and valid JSON, but not the expected shape (e.g. an inconsistent JSON-stat dataset). */
  | 'invalid-body';

export interface SsbApiErrorInit {
  service?: SsbService;
  kind: SsbErrorKind;
  /** HTTP status; 0 when there was no answer. */
  status: number;
  method: string;
  /** Full URL, query included. */
  url: string;
  /** The path shown in messages, e.g. `/tables/12362/data` (no query: GET data URLs are long). */
  path: string;
  problem?: PxProblem;
  /** Raw body (shortened) when it was not a problem document. */
  body?: string;
  /** Network error code (ECONNRESET, ETIMEDOUT, ECONNABORTED…). */
  code?: string;
  retryAfterMs?: number;
  /** For invalid-json / invalid-body: what was wrong with the body. */
  reason?: string;
  cause?: unknown;
}

export class SsbApiError extends Error {
  override readonly name = 'SsbApiError';
  readonly service: SsbService;
  readonly kind: SsbErrorKind;
  readonly status: number;
  /** `title` of the problem body, when there was one. */
  readonly title?: string;
  readonly detail?: string;
  readonly method: string;
  readonly url: string;
  readonly path: string;
  readonly body?: string;
  readonly code?: string;
  /** True when retrying the same request may succeed. */
  readonly transient: boolean;
  /** From `Retry-After` (seconds or HTTP date), when the server sent one. */
  readonly retryAfterMs?: number;

  constructor(init: SsbApiErrorInit) {
    super(describe(init), init.cause === undefined ? undefined : { cause: init.cause });
    this.service = init.service ?? 'SSB';
    this.kind = init.kind;
    this.status = init.status;
    this.title = init.problem?.title;
    this.detail = init.problem?.detail;
    this.method = init.method;
    this.url = init.url;
    this.path = init.path;
    this.body = init.body;
    this.code = init.code;
    this.transient = isTransientFailure(init);
    this.retryAfterMs = init.retryAfterMs;
  }
}

/** A selection the client refuses to send because SSB would reject it (or answer 500). Terminal. */
export class InvalidSelectionError extends Error {
  override readonly name = 'InvalidSelectionError';
  readonly transient = false;
}

/**
 * Network error codes worth retrying: the request may well succeed a moment later. ENOTFOUND is among them: a
 * resolver that has lost its upstream for a moment answers "not found", and a nightly load must not give up on
 * SSB for that (a misspelt host fails the same way, only after the retries, with the URL in the message).
 */
export const TRANSIENT_NETWORK_CODES: ReadonlySet<string> = new Set([
  'ENOTFOUND',
  'ECONNRESET',
  'ETIMEDOUT',
  'ECONNABORTED',
  'ECONNREFUSED',
  'EPIPE',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'ERR_SOCKET_CONNECTION_TIMEOUT',
]);

/**
 * Whether an HTTP status is worth retrying: 408, 429 and every 5xx.
 *
 * 500 with an empty body is also how SSB answers a selection that repeats a value code. That case is
 * prevented before sending (the planner de-duplicates and the client refuses duplicates with an
 * InvalidSelectionError), so a 500 that still reaches us is treated as a server fault and retried; if it
 * persists, the final message mentions duplicated codes.
 */
export function isTransientStatus(status: number): boolean {
  return status === 408 || status === 429 || (status >= 500 && status <= 599);
}

/**
 * Classifies any error thrown inside a retried call: our own errors carry `transient`; raw network errors
 * are judged by code or by Node's "socket hang up"; anything else (programming errors, 4xx) is terminal.
 */
export function isTransientError(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const e = err as { transient?: unknown; code?: unknown; message?: unknown };
  if (typeof e.transient === 'boolean') return e.transient;
  if (typeof e.code === 'string' && TRANSIENT_NETWORK_CODES.has(e.code)) return true;
  return typeof e.message === 'string' && /socket hang up/i.test(e.message);
}

/**
 * `Retry-After` as milliseconds from `nowMs`: either delay-seconds (`"30"`) or an HTTP date. Undefined when
 * absent or unparseable; 0 for a date in the past.
 */
export function parseRetryAfter(value: string | undefined | null, nowMs: number): number | undefined {
  if (value === undefined || value === null) return undefined;
  const v = value.trim();
  if (v === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  const at = Date.parse(v);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}

// ---------------------------------------------------------------------------------------------------------

function isTransientFailure(init: SsbApiErrorInit): boolean {
  switch (init.kind) {
    case 'http':
      return isTransientStatus(init.status);
    case 'network':
      return init.code === undefined || TRANSIENT_NETWORK_CODES.has(init.code) || /socket hang up|aborted/i.test(init.reason ?? '');
    case 'invalid-json':
    case 'invalid-body':
      return true;
  }
}

function describe(init: SsbApiErrorInit): string {
  const service = init.service ?? 'SSB';
  const call = `${init.method} ${init.path}`;
  switch (init.kind) {
    case 'network':
      return `${service} did not answer ${call} (${init.code ?? 'network error'}${init.reason ? `: ${init.reason}` : ''}): retried with backoff; if it persists check the network and ${service === 'SSB' ? 'SSB_API_URL' : 'KLASS_API_URL'}`;
    case 'invalid-json':
      return `${service} answered ${init.status} for ${call} with a body that is not valid JSON (${init.reason ?? 'unparseable'}), probably truncated: retried; if it persists the server or a proxy is cutting responses`;
    case 'invalid-body':
      return `${service} answered ${init.status} for ${call} with an unexpected body: ${init.reason ?? 'invalid'}; retried; if it persists the response format changed`;
    case 'http':
      break;
  }
  const title = init.problem?.title;
  const what = title ? `${init.status} "${title}"` : `${init.status}${init.body ? ` ${quote(init.body)}` : ''}`;
  const detail = init.problem?.detail ? ` (${init.problem.detail})` : '';
  return `${service} answered ${what}${detail} for ${call}: ${advice(init, title)}`;
}

function advice(init: SsbApiErrorInit, title: string | undefined): string {
  const t = (title ?? '').toLowerCase();
  const s = init.status;
  if (s === 400 && t.includes('too many cells')) {
    return 'the request planner should have split this selection; check maxDataCells';
  }
  if (s === 403) return 'the selection is too big (older servers answer 403); the request planner should have split it; check maxDataCells';
  if (s === 400 && (t.includes('non-existent variable') || t.includes('non-existent value') || t.includes('non-existent codelist'))) {
    return "a code in the catalogue is not in the table; compare core/source-catalogue with the table's /metadata";
  }
  if (s === 400 && t.includes('missing selection')) {
    return 'select every variable that /metadata marks elimination: false';
  }
  if (s === 400 && t.includes('illegal selection expression')) {
    return 'check the valueCodes expressions (in GET an expression with a comma must be in brackets)';
  }
  if (s === 400 && t.includes('unsupported output format')) {
    return 'use outputFormat=json-stat2 without outputFormatParams';
  }
  if (s === 404 && t.includes('non-existent table')) return 'check the table id in core/source-catalogue';
  if (s === 404 && init.service === 'SSB Klass') return 'check the classification id and the dates';
  if (s === 404 && !title && init.method === 'GET' && init.url.length > 2000) {
    return `the GET URL is ${init.url.length} characters; SSB answers 404 above ~2100, so use POST`;
  }
  if (s === 404) return 'check the URL and the id';
  if (s === 429) {
    return `rate limited${init.retryAfterMs !== undefined ? ` (Retry-After ${Math.round(init.retryAfterMs / 1000)} s)` : ''}; waiting and retrying — if it persists lower maxCalls`;
  }
  if (s === 500 && !init.body) {
    return 'SSB answers 500 with an empty body when a value code is repeated in the selection (de-duplicate it); otherwise a server fault, retried';
  }
  if (s === 502 || s === 503 || s === 504) {
    return 'SSB is unavailable (it updates tables around 05:00 and 11:30); retried with backoff';
  }
  if (isTransientStatus(s)) return 'server fault, retried with backoff';
  return 'the request is wrong; fix it before retrying';
}

function quote(body: string): string {
  const oneLine = body.replace(/\s+/g, ' ').trim();
  return JSON.stringify(oneLine.length > 200 ? `${oneLine.slice(0, 197)}...` : oneLine);
}
