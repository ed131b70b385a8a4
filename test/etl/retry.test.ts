import { expect } from 'chai';
import { SsbApiError, isTransientError, isTransientStatus, parseRetryAfter, type SsbApiErrorInit } from '../../etl/pxweb/errors';
import { RetriesExhaustedError, retryDelay, withRetry } from '../../etl/pxweb/retry';
import { FakeClock } from '../helpers/fake-clock';

const where = { method: 'POST', url: 'https://data.ssb.no/api/pxwebapi/v2/tables/12362/data?lang=no', path: '/tables/12362/data' };
const httpError = (status: number, extra: Partial<SsbApiErrorInit> = {}) => new SsbApiError({ ...where, kind: 'http', status, ...extra });
const networkError = (code: string) => Object.assign(new Error(`connect ${code}`), { code });

/** A function failing with the given errors in turn, then answering 'ok'. */
function failing(...errors: unknown[]): { fn: (attempt: number) => Promise<string>; attempts: number[] } {
  const attempts: number[] = [];
  return {
    attempts,
    fn: async (attempt) => {
      attempts.push(attempt);
      if (errors.length > 0) throw errors.shift();
      return 'ok';
    },
  };
}

describe('retry', () => {
  describe('classification', () => {
    it('retries 408, 429 and every 5xx, and nothing else', () => {
      expect([400, 403, 404, 408, 429, 500, 502, 503, 504].map(isTransientStatus)).to.deep.equal([false, false, false, true, true, true, true, true, true]);
    });

    it('retries resets, timeouts, aborted connections and socket hang ups', () => {
      for (const code of ['ECONNRESET', 'ETIMEDOUT', 'ECONNABORTED']) expect(isTransientError(networkError(code)), code).to.equal(true);
      expect(isTransientError(new Error('socket hang up'))).to.equal(true);
    });

    it('treats invalid or truncated JSON bodies as transient', () => {
      expect(new SsbApiError({ ...where, kind: 'invalid-json', status: 200, reason: 'Unexpected end of JSON input' }).transient).to.equal(true);
      expect(new SsbApiError({ ...where, kind: 'invalid-body', status: 200, reason: 'JSON-stat: value has 5 entries' }).transient).to.equal(true);
    });

    it('treats programming errors and unknown values as terminal', () => {
      expect(isTransientError(new TypeError('x is undefined'))).to.equal(false);
      expect(isTransientError('boom')).to.equal(false);
      expect(isTransientError(networkError('ERR_INVALID_URL'))).to.equal(false);
    });
  });

  describe('Retry-After', () => {
    it('reads delay-seconds', () => {
      expect(parseRetryAfter('30', 0)).to.equal(30_000);
      expect(parseRetryAfter(' 1.5 ', 0)).to.equal(1500);
    });

    it('reads an HTTP date relative to now, never negative', () => {
      const now = Date.parse('Mon, 15 Jun 2026 06:00:00 GMT');
      expect(parseRetryAfter('Mon, 15 Jun 2026 06:00:20 GMT', now)).to.equal(20_000);
      expect(parseRetryAfter('Mon, 15 Jun 2026 05:00:00 GMT', now)).to.equal(0);
    });

    it('ignores a missing or unreadable header', () => {
      expect(parseRetryAfter(undefined, 0)).to.equal(undefined);
      expect(parseRetryAfter('soon', 0)).to.equal(undefined);
    });
  });

  describe('backoff', () => {
    const opts = { baseDelayMs: 1000, maxDelayMs: 60_000, random: () => 0.5 };

    it('doubles the ceiling each retry and applies full jitter', () => {
      expect([1, 2, 3, 4, 5].map((a) => retryDelay(a, new Error('x'), opts))).to.deep.equal([500, 1000, 2000, 4000, 8000]);
      expect(retryDelay(3, new Error('x'), { ...opts, random: () => 0 })).to.equal(0);
    });

    it('never waits longer than maxDelayMs', () => {
      expect(retryDelay(20, new Error('x'), { ...opts, random: () => 0.999999 })).to.equal(59_999);
    });

    it("uses the error's retryAfterMs instead of the computed delay, capped by maxDelayMs", () => {
      expect(retryDelay(1, httpError(429, { retryAfterMs: 7000 }), opts)).to.equal(7000);
      expect(retryDelay(1, httpError(429, { retryAfterMs: 3_600_000 }), opts)).to.equal(60_000);
    });
  });

  describe('withRetry', () => {
    it('returns the first success without sleeping', async () => {
      const clock = new FakeClock({ autoAdvance: true });
      const { fn, attempts } = failing();
      expect(await withRetry(fn, { clock })).to.equal('ok');
      expect(attempts).to.deep.equal([1]);
      expect(clock.sleeps).to.deep.equal([]);
    });

    it('retries transient failures with growing jittered waits, then succeeds', async () => {
      const clock = new FakeClock({ autoAdvance: true });
      const { fn, attempts } = failing(httpError(503), networkError('ECONNRESET'), httpError(502));
      const retries: [number, number][] = [];
      const result = await withRetry(fn, { clock, random: () => 0.5, onRetry: ({ attempt, delayMs }) => retries.push([attempt, delayMs]) });
      expect(result).to.equal('ok');
      expect(attempts).to.deep.equal([1, 2, 3, 4]);
      expect(retries).to.deep.equal([
        [1, 500],
        [2, 1000],
        [3, 2000],
      ]);
      expect(clock.sleeps).to.deep.equal([500, 1000, 2000]);
      expect(clock.now()).to.equal(3500);
    });

    it('waits Retry-After on a 429 instead of the backoff', async () => {
      const clock = new FakeClock({ autoAdvance: true });
      const { fn } = failing(httpError(429, { retryAfterMs: 12_000 }));
      await withRetry(fn, { clock, random: () => 0.5 });
      expect(clock.sleeps).to.deep.equal([12_000]);
    });

    it('throws a terminal error at once, unchanged', async () => {
      const clock = new FakeClock({ autoAdvance: true });
      const terminal = httpError(400, { problem: { title: 'Too many cells selected', status: 400 } });
      const { fn, attempts } = failing(terminal);
      const err = await withRetry(fn, { clock }).catch((e: unknown) => e);
      expect(err).to.equal(terminal);
      expect(attempts).to.deep.equal([1]);
      expect(clock.sleeps).to.deep.equal([]);
    });

    it('gives up after maxRetries retries, keeping the last error as cause', async () => {
      const clock = new FakeClock({ autoAdvance: true });
      const last = httpError(503);
      const { fn, attempts } = failing(httpError(503), httpError(503), last);
      const err = (await withRetry(fn, { clock, maxRetries: 2, random: () => 0 }).catch((e: unknown) => e)) as RetriesExhaustedError;
      expect(err).to.be.instanceOf(RetriesExhaustedError);
      expect(err.attempts).to.equal(3);
      expect(err.cause).to.equal(last);
      expect(err.message).to.equal(`Gave up after 3 attempts: ${last.message}`);
      expect(attempts).to.deep.equal([1, 2, 3]);
      expect(isTransientError(err)).to.equal(false);
    });

    it('makes 6 attempts by default', async () => {
      const clock = new FakeClock({ autoAdvance: true });
      const { fn, attempts } = failing(...Array.from({ length: 10 }, () => networkError('ETIMEDOUT')));
      await withRetry(fn, { clock }).catch(() => undefined);
      expect(attempts).to.deep.equal([1, 2, 3, 4, 5, 6]);
    });

    it('does not retry at all with maxRetries 0', async () => {
      const clock = new FakeClock({ autoAdvance: true });
      const { fn, attempts } = failing(httpError(503));
      const err = await withRetry(fn, { clock, maxRetries: 0 }).catch((e: unknown) => e);
      expect(err).to.be.instanceOf(RetriesExhaustedError);
      expect(attempts).to.deep.equal([1]);
    });

    it('validates its options', async () => {
      const clock = new FakeClock();
      const run = (o: object) => withRetry(async () => 1, { clock, ...o }).catch((e: Error) => e.message);
      expect(await run({ maxRetries: -1 })).to.equal('maxRetries must be a non-negative integer, but got: -1');
      expect(await run({ baseDelayMs: Number.NaN })).to.equal('baseDelayMs must be a non-negative number, but got: NaN');
      expect(await run({ maxDelayMs: -5 })).to.equal('maxDelayMs must be a non-negative number, but got: -5');
      expect(await run({ clock: undefined })).to.equal('clock must be a Clock, but got: undefined');
    });
  });

  describe('error messages', () => {
    it('tells what to do after "Too many cells selected"', () => {
      const err = httpError(400, { problem: { type: 'Parameter error', title: 'Too many cells selected', status: 400 } });
      expect(err.message).to.equal(
        'SSB answered 400 "Too many cells selected" for POST /tables/12362/data: the request planner should have split this selection; check maxDataCells',
      );
      expect(err.transient).to.equal(false);
      expect(err.title).to.equal('Too many cells selected');
    });

    it('points a non-existent value at the catalogue, with the detail', () => {
      const err = httpError(400, { problem: { title: 'Non-existent value', status: 400, detail: 'KOSAG999' } });
      expect(err.message).to.equal(
        "SSB answered 400 \"Non-existent value\" (KOSAG999) for POST /tables/12362/data: a code in the catalogue is not in the table; compare core/source-catalogue with the table's /metadata",
      );
      expect(err.detail).to.equal('KOSAG999');
    });

    it('explains a 500 with an empty body as a probably repeated value code', () => {
      expect(httpError(500).message).to.equal(
        'SSB answered 500 for POST /tables/12362/data: SSB answers 500 with an empty body when a value code is repeated in the selection (de-duplicate it); otherwise a server fault, retried',
      );
    });

    it('explains 503 with the update times', () => {
      expect(httpError(503).message).to.equal(
        'SSB answered 503 for POST /tables/12362/data: SSB is unavailable (it updates tables around 05:00 and 11:30); retried with backoff',
      );
    });

    it('explains a 404 on a long GET as the URL length limit', () => {
      const url = `https://data.ssb.no/api/pxwebapi/v2/tables/12362/data?${'x'.repeat(2100)}`;
      expect(new SsbApiError({ kind: 'http', status: 404, method: 'GET', url, path: '/tables/12362/data' }).message).to.equal(
        `SSB answered 404 for GET /tables/12362/data: the GET URL is ${url.length} characters; SSB answers 404 above ~2100, so use POST`,
      );
    });

    it('reports a timeout as a network failure', () => {
      const err = new SsbApiError({ ...where, kind: 'network', status: 0, code: 'ECONNABORTED', reason: 'timeout of 100ms exceeded' });
      expect(err.message).to.equal(
        'SSB did not answer POST /tables/12362/data (ECONNABORTED: timeout of 100ms exceeded): retried with backoff; if it persists check the network and SSB_API_URL',
      );
      expect(err.transient).to.equal(true);
    });
  });
});
