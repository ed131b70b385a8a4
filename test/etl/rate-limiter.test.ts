import { expect } from 'chai';
import { RateLimiter } from '../../etl/pxweb/rate-limiter';
import { FakeClock, flushPromises } from '../helpers/fake-clock';

/** Starts `n` acquires and records, per caller, the fake time at which it was let through. */
function acquireMany(limiter: RateLimiter, clock: FakeClock, n: number, label = ''): { grantedAt: (number | undefined)[]; order: string[] } {
  const grantedAt: (number | undefined)[] = new Array(n).fill(undefined);
  const order: string[] = [];
  for (let i = 0; i < n; i++) {
    void limiter.acquire().then(() => {
      grantedAt[i] = clock.now();
      order.push(`${label}${i}`);
    });
  }
  return { grantedAt, order };
}

describe('rate-limiter', () => {
  describe('options', () => {
    const clock = new FakeClock();

    it('rejects maxCalls 0 (SSB /config says 0, which does not mean unlimited)', () => {
      expect(() => new RateLimiter({ maxCalls: 0, windowMs: 60_000, clock })).to.throw(TypeError, 'maxCalls must be a positive integer, but got: 0');
    });

    it('rejects a fractional maxCalls', () => {
      expect(() => new RateLimiter({ maxCalls: 2.5, windowMs: 60_000, clock })).to.throw('maxCalls must be a positive integer, but got: 2.5');
    });

    it('rejects windowMs 0', () => {
      expect(() => new RateLimiter({ maxCalls: 30, windowMs: 0, clock })).to.throw('windowMs must be a positive number, but got: 0');
    });

    it('rejects a missing clock', () => {
      expect(() => new RateLimiter({ maxCalls: 30, windowMs: 1000, clock: undefined as never })).to.throw(
        'clock must be a Clock with now() and sleep(ms), but got: undefined',
      );
    });
  });

  describe('sliding window', () => {
    it('lets maxCalls calls through at once without sleeping', async () => {
      const clock = new FakeClock();
      const limiter = new RateLimiter({ maxCalls: 3, windowMs: 1000, clock });
      const { grantedAt } = acquireMany(limiter, clock, 3);
      await flushPromises();
      expect(grantedAt).to.deep.equal([0, 0, 0]);
      expect(clock.sleeps).to.deep.equal([]);
    });

    it('holds the next call until the oldest call leaves the window', async () => {
      const clock = new FakeClock();
      const limiter = new RateLimiter({ maxCalls: 3, windowMs: 1000, clock });
      const { grantedAt } = acquireMany(limiter, clock, 4);
      await clock.advance(999);
      expect(grantedAt).to.deep.equal([0, 0, 0, undefined]);
      await clock.advance(1);
      expect(grantedAt).to.deep.equal([0, 0, 0, 1000]);
    });

    it('slides: calls at 0, 400 and 800 let a fourth through at 1000 and a fifth at 1400', async () => {
      const clock = new FakeClock();
      const limiter = new RateLimiter({ maxCalls: 3, windowMs: 1000, clock });
      await limiter.acquire();
      await clock.advance(400);
      await limiter.acquire();
      await clock.advance(400);
      await limiter.acquire();
      await clock.advance(100);
      const { grantedAt } = acquireMany(limiter, clock, 2);
      await clock.advance(10_000);
      expect(grantedAt).to.deep.equal([1000, 1400]);
    });

    it('serves waiting callers first come, first served', async () => {
      const clock = new FakeClock({ autoAdvance: true });
      const limiter = new RateLimiter({ maxCalls: 2, windowMs: 100, clock });
      const first = acquireMany(limiter, clock, 3, 'a');
      const second = acquireMany(limiter, clock, 3, 'b');
      while (first.order.length + second.order.length < 6) await flushPromises();
      expect([...first.grantedAt, ...second.grantedAt]).to.deep.equal([0, 0, 100, 100, 200, 200]);
    });

    it('keeps 30 calls per 60 s over 90 calls', async () => {
      const clock = new FakeClock({ autoAdvance: true });
      const limiter = new RateLimiter({ maxCalls: 30, windowMs: 60_000, clock });
      const { grantedAt } = acquireMany(limiter, clock, 90);
      while (grantedAt.includes(undefined)) await flushPromises();
      expect(grantedAt.filter((t) => t === 0)).to.have.length(30);
      expect(grantedAt.filter((t) => t === 60_000)).to.have.length(30);
      expect(grantedAt.filter((t) => t === 120_000)).to.have.length(30);
    });
  });

  describe('server signals', () => {
    it('pauses a whole window when x-ratelimit-remaining is 0', async () => {
      const clock = new FakeClock();
      const limiter = new RateLimiter({ maxCalls: 30, windowMs: 60_000, clock });
      limiter.observe({ 'x-ratelimit-limit': '40', 'x-ratelimit-remaining': '0' });
      const { grantedAt } = acquireMany(limiter, clock, 1);
      await clock.advance(59_999);
      expect(grantedAt).to.deep.equal([undefined]);
      await clock.advance(1);
      expect(grantedAt).to.deep.equal([60_000]);
    });

    it('pauses at x-ratelimit-remaining 1 too, as a safety margin', async () => {
      const clock = new FakeClock();
      const limiter = new RateLimiter({ maxCalls: 30, windowMs: 60_000, clock });
      limiter.observe({ 'X-RateLimit-Remaining': ['1'] });
      const { grantedAt } = acquireMany(limiter, clock, 1);
      await clock.advance(60_000);
      expect(grantedAt).to.deep.equal([60_000]);
    });

    it('does not pause while the server reports budget left', async () => {
      const clock = new FakeClock();
      const limiter = new RateLimiter({ maxCalls: 30, windowMs: 60_000, clock });
      limiter.observe({ 'x-ratelimit-limit': '40', 'x-ratelimit-remaining': '39' });
      limiter.observe({});
      limiter.observe(undefined);
      const { grantedAt } = acquireMany(limiter, clock, 1);
      await flushPromises();
      expect(grantedAt).to.deep.equal([0]);
    });

    it('waits only until x-ratelimit-reset when it is sent and shorter than the window', async () => {
      const clock = new FakeClock();
      const limiter = new RateLimiter({ maxCalls: 30, windowMs: 60_000, clock });
      limiter.observe({ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '12' });
      const { grantedAt } = acquireMany(limiter, clock, 1);
      await clock.advance(60_000);
      expect(grantedAt).to.deep.equal([12_000]);
    });

    it('adopts a lower x-ratelimit-limit than its own', async () => {
      const clock = new FakeClock();
      const limiter = new RateLimiter({ maxCalls: 30, windowMs: 60_000, clock });
      limiter.observe({ 'x-ratelimit-limit': '2', 'x-ratelimit-remaining': '2' });
      const { grantedAt } = acquireMany(limiter, clock, 3);
      await clock.advance(60_000);
      expect(grantedAt).to.deep.equal([0, 0, 60_000]);
      expect(limiter.stats().maxCalls).to.equal(2);
    });

    it('honours pauseFor (Retry-After) for every caller, and a shorter pause does not cut a longer one', async () => {
      const clock = new FakeClock();
      const limiter = new RateLimiter({ maxCalls: 30, windowMs: 60_000, clock });
      limiter.pauseFor(5000);
      limiter.pauseFor(1000);
      const { grantedAt } = acquireMany(limiter, clock, 2);
      await clock.advance(4999);
      expect(grantedAt).to.deep.equal([undefined, undefined]);
      await clock.advance(1);
      expect(grantedAt).to.deep.equal([5000, 5000]);
    });

    it('extends a wait already in progress when a pause arrives meanwhile', async () => {
      const clock = new FakeClock();
      const limiter = new RateLimiter({ maxCalls: 1, windowMs: 1000, clock });
      await limiter.acquire();
      const { grantedAt } = acquireMany(limiter, clock, 1);
      await clock.advance(500);
      limiter.pauseFor(2000); // until 2500
      await clock.advance(1000);
      expect(grantedAt).to.deep.equal([undefined]);
      await clock.advance(1000);
      expect(grantedAt).to.deep.equal([2500]);
    });
  });
});
