/**
 * Time as a dependency. The rate limiter and the retry loop never call `Date.now()` or `setTimeout` directly:
 * they take a Clock, so production uses the system clock and tests use a fake one that moves only when told,
 * which makes waiting logic deterministic and instant to test (no real sleeping, no timing assertions).
 */
export interface Clock {
  /** Milliseconds since the epoch (or since any fixed origin; only differences matter). */
  now(): number;
  /** Resolves after `ms` milliseconds; `ms <= 0` resolves on the next tick. */
  sleep(ms: number): Promise<void>;
}

/** The real clock: `Date.now()` and `setTimeout`. */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, ms))),
};
