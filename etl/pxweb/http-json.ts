/**
 * The one HTTP path shared by the PxWebApi and Klass clients: every attempt waits for the rate limiter,
 * failures become classified SsbApiErrors, transient ones are retried with backoff.
 *
 * The body is read as text and parsed here (axios `responseType: 'text'`, no transform) so that a truncated
 * body is seen as invalid JSON — and retried — instead of being silently half-parsed or passed on as a string.
 */
import type { Agent as HttpAgent } from 'node:http';
import type { Agent as HttpsAgent } from 'node:https';
import axios, { type AxiosResponse } from 'axios';
import type { Clock } from '../clock';
import { SsbApiError, parseRetryAfter, type SsbService } from './errors';
import type { HeaderBag, RateLimiter } from './rate-limiter';
import { withRetry } from './retry';
import type { PxProblem } from './types';

/** What the clients log through (pino's logger fits). */
export interface HttpLog {
  debug(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

export interface HttpJsonOptions {
  service: SsbService;
  /** Without trailing slash, e.g. `https://data.ssb.no/api/pxwebapi/v2`. */
  baseUrl: string;
  timeoutMs: number;
  limiter: RateLimiter;
  clock: Clock;
  maxRetries?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  random?: () => number;
  httpAgent?: HttpAgent;
  httpsAgent?: HttpsAgent;
  log?: HttpLog;
}

export interface JsonRequest<T> {
  method: 'GET' | 'POST';
  /** Path below baseUrl, starting with `/`. */
  path: string;
  /** Encoded query string without `?` (callers control encoding: PxWebApi needs literal brackets). */
  query?: string;
  /** POST body, sent as JSON. */
  body?: unknown;
  /** Checks/converts the parsed JSON; a throw marks the answer invalid (transient: retried). */
  parse?: (json: unknown) => T;
}

export class HttpJson {
  readonly baseUrl: string;
  private readonly opts: HttpJsonOptions;
  private readonly counters = { requests: 0, retries: 0 };

  constructor(options: HttpJsonOptions) {
    this.opts = options;
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
  }

  /** Full URL for a path and encoded query. */
  urlFor(path: string, query?: string): string {
    return `${this.baseUrl}${path}${query ? `?${query}` : ''}`;
  }

  /** Sends the request (with retries) and returns the parsed body. */
  request<T = unknown>(req: JsonRequest<T>): Promise<T> {
    const url = this.urlFor(req.path, req.query);
    const { limiter, log } = this.opts;
    return withRetry(() => this.attempt(req, url), {
      clock: this.opts.clock,
      maxRetries: this.opts.maxRetries,
      baseDelayMs: this.opts.baseDelayMs,
      maxDelayMs: this.opts.maxDelayMs,
      random: this.opts.random,
      onRetry: ({ attempt, error, delayMs }) => {
        this.counters.retries++;
        if (error instanceof SsbApiError && error.status === 429) {
          // Hold back every caller, not just this one. Without Retry-After we cannot know when the server's
          // window frees, so wait a whole window: slow, but it never earns a second 429.
          limiter.pauseFor(Math.min(error.retryAfterMs ?? limiter.windowMs, this.opts.maxDelayMs ?? 60_000));
        }
        log?.warn(
          { service: this.opts.service, method: req.method, path: req.path, attempt, delayMs, err: (error as Error)?.message },
          'transient failure, retrying',
        );
      },
    });
  }

  /** Attempts (retries included) and retries since creation. */
  stats(): { requests: number; retries: number } {
    return { ...this.counters };
  }

  /** The calls per window this client allows itself (lowered when the server says its budget is smaller). */
  rateLimit(): { maxCalls: number; windowMs: number } {
    const { maxCalls, windowMs } = this.opts.limiter.stats();
    return { maxCalls, windowMs };
  }

  private async attempt<T>(req: JsonRequest<T>, url: string): Promise<T> {
    await this.opts.limiter.acquire();
    this.counters.requests++;
    const where = { service: this.opts.service, method: req.method, url, path: req.path };
    let res: AxiosResponse<string>;
    try {
      res = await axios.request<string>({
        method: req.method,
        url,
        data: req.body === undefined ? undefined : JSON.stringify(req.body),
        headers: {
          Accept: 'application/json',
          ...(req.body === undefined ? {} : { 'Content-Type': 'application/json' }),
        },
        responseType: 'text',
        transformResponse: [(data: unknown) => data],
        validateStatus: () => true,
        timeout: this.opts.timeoutMs,
        httpAgent: this.opts.httpAgent,
        httpsAgent: this.opts.httpsAgent,
      });
    } catch (err) {
      throw this.fromTransportError(err, where);
    }
    this.opts.limiter.observe(res.headers as unknown as HeaderBag);
    this.opts.log?.debug({ ...where, status: res.status }, 'http response');
    const text = typeof res.data === 'string' ? res.data : res.data == null ? '' : String(res.data);

    if (res.status < 200 || res.status > 299) {
      const retryAfter = res.headers['retry-after'] as string | undefined;
      throw new SsbApiError({
        ...where,
        kind: 'http',
        status: res.status,
        problem: parseProblem(text),
        body: text.trim() === '' ? undefined : text.slice(0, 500),
        retryAfterMs: parseRetryAfter(retryAfter, Date.now()),
      });
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (err) {
      throw new SsbApiError({
        ...where,
        kind: 'invalid-json',
        status: res.status,
        reason: `${(err as Error).message}; ${text.length} characters received`,
        cause: err,
      });
    }
    if (!req.parse) return json as T;
    try {
      return req.parse(json);
    } catch (err) {
      throw new SsbApiError({ ...where, kind: 'invalid-body', status: res.status, reason: (err as Error).message, cause: err });
    }
  }

  /** No usable HTTP answer: timeouts, resets, a body cut off mid-stream. */
  private fromTransportError(err: unknown, where: { service: SsbService; method: string; url: string; path: string }): SsbApiError {
    const e = err as { code?: string; message?: string; response?: { status?: number } };
    if (e.code === 'ERR_BAD_RESPONSE' && e.response) {
      // axios: the server sent a status line and then closed the stream before the end of the body
      return new SsbApiError({
        ...where,
        kind: 'invalid-json',
        status: e.response.status ?? 0,
        reason: `body cut off: ${e.message ?? 'stream aborted'}`,
        cause: err,
      });
    }
    return new SsbApiError({ ...where, kind: 'network', status: 0, code: e.code, reason: e.message, cause: err });
  }
}

/** The RFC 7807 problem in a body, if it is one (needs at least a string title). */
export function parseProblem(text: string): PxProblem | undefined {
  if (!text || text.trim()[0] !== '{') return undefined;
  try {
    const p = JSON.parse(text) as Partial<PxProblem>;
    if (p && typeof p.title === 'string') return p as PxProblem;
  } catch {
    // not JSON: the caller keeps the raw text
  }
  return undefined;
}
