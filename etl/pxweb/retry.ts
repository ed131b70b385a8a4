/**
 * Bounded retries with exponential backoff and full jitter (the AWS "full jitter" scheme: sleep a random
 * time in [0, min(maxDelay, base · 2^attempt)]), which spreads retries of parallel callers instead of
 * having them hammer the server in lockstep. Only transient errors are retried (see `isTransientError`);
 * a server's `Retry-After` wins over the computed delay.
 */
import type { Clock } from '../clock';
import { isTransientError } from './errors';

export interface RetryOptions {
  /** Retries after the first attempt; default 5 (so at most 6 attempts). 0 disables retrying. */
  maxRetries?: number;
  /** Backoff ceiling before jitter for the first retry; default 1 000 ms, doubling each retry. */
  baseDelayMs?: number;
  /** Cap for any single wait, including a server's Retry-After; default 60 000 ms. */
  maxDelayMs?: number;
  clock: Clock;
  /** Uniform [0, 1); default Math.random. Inject a constant in tests. */
  random?: () => number;
  /** Which errors to retry; default `isTransientError`. */
  isTransient?: (err: unknown) => boolean;
  /** Called before each wait; `attempt` is the 1-based number of the attempt that failed. */
  onRetry?: (info: RetryInfo) => void;
}

export interface RetryInfo {
  attempt: number;
  error: unknown;
  delayMs: number;
}

/** Thrown when every attempt failed with a transient error. `cause` is the last error. */
export class RetriesExhaustedError extends Error {
  override readonly name = 'RetriesExhaustedError';
  readonly transient = false;
  constructor(
    readonly attempts: number,
    readonly lastError: unknown,
  ) {
    super(`Gave up after ${attempts} attempts: ${messageOf(lastError)}`, { cause: lastError });
  }
}

/**
 * Runs `fn` until it succeeds, a terminal error occurs (thrown as is, at once) or retries run out
 * (RetriesExhaustedError with the last error as cause). `fn` receives the 1-based attempt number.
 */
export async function withRetry<T>(fn: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const opts = resolveRetryOptions(options);
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (err) {
      if (!opts.isTransient(err)) throw err;
      if (attempt > opts.maxRetries) throw new RetriesExhaustedError(attempt, err);
      const delayMs = retryDelay(attempt, err, opts);
      opts.onRetry?.({ attempt, error: err, delayMs });
      await opts.clock.sleep(delayMs);
    }
  }
}

/**
 * The wait before retry number `attempt` (1-based): the error's `retryAfterMs` when it has one, else full
 * jitter over min(maxDelayMs, baseDelayMs · 2^(attempt-1)); never above maxDelayMs.
 */
export function retryDelay(
  attempt: number,
  err: unknown,
  opts: Required<Pick<RetryOptions, 'baseDelayMs' | 'maxDelayMs' | 'random'>>,
): number {
  const retryAfter = (err as { retryAfterMs?: unknown } | null)?.retryAfterMs;
  if (typeof retryAfter === 'number' && Number.isFinite(retryAfter) && retryAfter >= 0) {
    return Math.min(retryAfter, opts.maxDelayMs);
  }
  const ceiling = Math.min(opts.maxDelayMs, opts.baseDelayMs * 2 ** (attempt - 1));
  return Math.floor(opts.random() * ceiling);
}

type ResolvedRetryOptions = Required<Omit<RetryOptions, 'onRetry'>> & Pick<RetryOptions, 'onRetry'>;

/** Fills defaults and validates, one rule per option, dataloader-style messages. */
export function resolveRetryOptions(options: RetryOptions): ResolvedRetryOptions {
  const maxRetries = options.maxRetries ?? 5;
  const baseDelayMs = options.baseDelayMs ?? 1000;
  const maxDelayMs = options.maxDelayMs ?? 60_000;
  if (!Number.isInteger(maxRetries) || maxRetries < 0) {
    throw new TypeError(`maxRetries must be a non-negative integer, but got: ${maxRetries}`);
  }
  if (!(Number.isFinite(baseDelayMs) && baseDelayMs >= 0)) {
    throw new TypeError(`baseDelayMs must be a non-negative number, but got: ${baseDelayMs}`);
  }
  if (!(Number.isFinite(maxDelayMs) && maxDelayMs >= 0)) {
    throw new TypeError(`maxDelayMs must be a non-negative number, but got: ${maxDelayMs}`);
  }
  if (!options.clock || typeof options.clock.sleep !== 'function') {
    throw new TypeError(`clock must be a Clock, but got: ${JSON.stringify(options.clock) ?? typeof options.clock}`);
  }
  return {
    maxRetries,
    baseDelayMs,
    maxDelayMs,
    clock: options.clock,
    random: options.random ?? Math.random,
    isTransient: options.isTransient ?? isTransientError,
    onRetry: options.onRetry,
  };
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
