/**
 * Sliding-window rate limiter: at most `maxCalls` calls start within any `windowMs` window. SSB allows
 * 30 requests per 60 s per IP address; going over earns 429s. Callers `await acquire()` before every HTTP
 * attempt (retries included) and are served first come, first served.
 *
 * Besides its own count the limiter listens to the server: `observe(headers)` pauses when
 * `x-ratelimit-remaining` says the server's budget is (almost) spent — it may count calls we did not make,
 * from another process on the same IP — and `pauseFor(ms)` honours a 429's Retry-After.
 */
import { SSB_DEFAULT_CALLS_PER_MINUTE } from '../../core/config';
import type { Clock } from '../clock';

export interface RateLimiterOptions {
  maxCalls: number;
  windowMs: number;
  clock: Clock;
}

/** Header bag as axios or Node give it. */
export type HeaderBag = Record<string, string | string[] | number | undefined | null>;

/** SSB's documented limit (SSB's /config answers 0 / 0, which does not mean unlimited). */
export const SSB_DEFAULT_LIMIT = { maxCalls: SSB_DEFAULT_CALLS_PER_MINUTE, windowMs: 60_000 } as const;

export class RateLimiter {
  readonly windowMs: number;
  private maxCalls: number;
  private readonly clock: Clock;
  /** Start times of the calls in the current window, oldest first. */
  private readonly starts: number[] = [];
  private readonly waiters: (() => void)[] = [];
  private pausedUntil = -Infinity;
  private pumping = false;
  private waitedMs = 0;
  private granted = 0;

  constructor(options: RateLimiterOptions) {
    const opts = validateOptions(options);
    this.maxCalls = opts.maxCalls;
    this.windowMs = opts.windowMs;
    this.clock = opts.clock;
  }

  /** Resolves when this caller may start a call. FIFO: no caller overtakes an earlier one. */
  acquire(): Promise<void> {
    return new Promise<void>((resolve) => {
      this.waiters.push(resolve);
      if (!this.pumping) void this.pump();
    });
  }

  /**
   * Reads the server's rate-limit headers. With `x-ratelimit-remaining` at 0 — or 1, as a safety margin for
   * a call racing ours — no call starts until a full window has passed (or `x-ratelimit-reset` seconds, when
   * sent and shorter). A smaller `x-ratelimit-limit` than ours lowers our own limit.
   */
  observe(headers: HeaderBag | undefined | null): void {
    if (!headers) return;
    const limit = headerNumber(headers, 'x-ratelimit-limit');
    if (limit !== undefined && Number.isInteger(limit) && limit > 0 && limit < this.maxCalls) this.maxCalls = limit;
    const remaining = headerNumber(headers, 'x-ratelimit-remaining');
    if (remaining === undefined || remaining > 1) return;
    const reset = headerNumber(headers, 'x-ratelimit-reset');
    const ms = reset !== undefined && reset >= 0 && reset * 1000 <= this.windowMs ? reset * 1000 : this.windowMs;
    this.pauseFor(ms);
  }

  /** No call starts for `ms` from now (e.g. a 429's Retry-After). Pauses only ever extend. */
  pauseFor(ms: number): void {
    if (!(ms > 0)) return;
    this.pausedUntil = Math.max(this.pausedUntil, this.clock.now() + ms);
  }

  /** Counters for logs: calls granted and total time callers spent waiting at the head of the queue. */
  stats(): { granted: number; waitedMs: number; queued: number; maxCalls: number; windowMs: number } {
    return { granted: this.granted, waitedMs: this.waitedMs, queued: this.waiters.length, maxCalls: this.maxCalls, windowMs: this.windowMs };
  }

  /** One loop serves the queue in order; it sleeps until the head may go, then re-checks (pauses can grow). */
  private async pump(): Promise<void> {
    this.pumping = true;
    try {
      while (this.waiters.length > 0) {
        const wait = this.waitNeeded();
        if (wait > 0) {
          this.waitedMs += wait;
          await this.clock.sleep(wait);
          continue;
        }
        this.starts.push(this.clock.now());
        this.granted++;
        this.waiters.shift()!();
      }
    } finally {
      this.pumping = false;
    }
  }

  private waitNeeded(): number {
    const now = this.clock.now();
    while (this.starts.length > 0 && this.starts[0] + this.windowMs <= now) this.starts.shift();
    let wait = Math.max(0, this.pausedUntil - now);
    if (this.starts.length >= this.maxCalls) {
      // the window frees when the call that is maxCalls-th from the end leaves it
      wait = Math.max(wait, this.starts[this.starts.length - this.maxCalls] + this.windowMs - now);
    }
    return wait;
  }
}

function validateOptions(options: RateLimiterOptions): RateLimiterOptions {
  if (!options || typeof options !== 'object') throw new TypeError(`RateLimiter options must be an object, but got: ${String(options)}`);
  const { maxCalls, windowMs, clock } = options;
  if (!Number.isInteger(maxCalls) || maxCalls < 1) {
    throw new TypeError(`maxCalls must be a positive integer, but got: ${String(maxCalls)}`);
  }
  if (typeof windowMs !== 'number' || !Number.isFinite(windowMs) || windowMs <= 0) {
    throw new TypeError(`windowMs must be a positive number, but got: ${String(windowMs)}`);
  }
  if (!clock || typeof clock.now !== 'function' || typeof clock.sleep !== 'function') {
    throw new TypeError(`clock must be a Clock with now() and sleep(ms), but got: ${JSON.stringify(clock) ?? typeof clock}`);
  }
  return options;
}

function headerNumber(headers: HeaderBag, name: string): number | undefined {
  let raw: unknown = headers[name];
  if (raw === undefined) {
    const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
    raw = key === undefined ? undefined : headers[key];
  }
  if (Array.isArray(raw)) raw = raw[0];
  if (raw === undefined || raw === null || raw === '') return undefined;
  const n = Number(raw);
  return Number.isFinite(n) ? n : undefined;
}
