import type { Agent as HttpAgent } from 'node:http';
import type { Agent as HttpsAgent } from 'node:https';
import { systemClock, type Clock } from '../clock';
import type { SsbService } from './errors';
import { HttpJson, type HttpLog } from './http-json';
import { RateLimiter, SSB_DEFAULT_LIMIT } from './rate-limiter';

/** What both of SSB's clients (statistics and Klass) take: the base URL and the knobs of the shared HTTP path. */
export interface SsbClientOptions {
  /** The API's base URL (the configuration's SSB_API_URL or KLASS_API_URL). */
  baseUrl: string;
  /** Per attempt; default 60 000 ms. */
  timeoutMs?: number;
  /** Default 30 calls per 60 000 ms (SSB's documented limit). Ignored when `limiter` is given. */
  maxCalls?: number;
  windowMs?: number;
  /** Share one limiter between clients that hit the same IP limit (SSB counts calls per address). */
  limiter?: RateLimiter;
  /** Default 5. */
  maxRetries?: number;
  /** Default 1 000 ms. */
  baseDelayMs?: number;
  /** Default 60 000 ms. */
  maxDelayMs?: number;
  clock?: Clock;
  /** Jitter source; default Math.random. */
  random?: () => number;
  httpAgent?: HttpAgent;
  httpsAgent?: HttpsAgent;
  log?: HttpLog;
}

/** The HTTP path of one SSB client: limiter, retries and error classification, with SSB's defaults. */
export function ssbHttp(service: SsbService, options: SsbClientOptions): HttpJson {
  const clock = options.clock ?? systemClock;
  const timeoutMs = options.timeoutMs ?? 60_000;
  if (!(Number.isFinite(timeoutMs) && timeoutMs > 0)) throw new TypeError(`timeoutMs must be a positive number, but got: ${timeoutMs}`);
  return new HttpJson({
    service,
    baseUrl: options.baseUrl.replace(/\/+$/, ''),
    timeoutMs,
    clock,
    limiter: options.limiter ?? new RateLimiter({
      maxCalls: options.maxCalls ?? SSB_DEFAULT_LIMIT.maxCalls,
      windowMs: options.windowMs ?? SSB_DEFAULT_LIMIT.windowMs,
      clock,
    }),
    maxRetries: options.maxRetries,
    baseDelayMs: options.baseDelayMs,
    maxDelayMs: options.maxDelayMs,
    random: options.random,
    httpAgent: options.httpAgent,
    httpsAgent: options.httpsAgent,
    log: options.log,
  });
}
