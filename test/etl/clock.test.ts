import { expect } from 'chai';
import { systemClock } from '../../etl/clock';
import { FakeClock, flushPromises } from '../helpers/fake-clock';

describe('clock', () => {
  describe('systemClock', () => {
    it('reads Date.now and resolves sleep(0)', async () => {
      const before = Date.now();
      expect(systemClock.now()).to.be.at.least(before);
      await systemClock.sleep(0);
    });
  });

  describe('FakeClock (test double)', () => {
    it('does not move by itself', async () => {
      const clock = new FakeClock({ start: 100 });
      let woke = false;
      void clock.sleep(10).then(() => (woke = true));
      await flushPromises();
      expect([clock.now(), woke, clock.pendingSleeps]).to.deep.equal([100, false, 1]);
    });

    it('wakes sleepers in deadline order as advance passes their deadlines, standing at each deadline', async () => {
      const clock = new FakeClock();
      const woke: [string, number][] = [];
      void clock.sleep(30).then(() => woke.push(['c', clock.now()]));
      void clock.sleep(10).then(() => woke.push(['a', clock.now()]));
      void clock.sleep(20).then(() => woke.push(['b', clock.now()]));
      await clock.advance(25);
      expect(woke).to.deep.equal([
        ['a', 10],
        ['b', 20],
      ]);
      expect(clock.now()).to.equal(25);
      await clock.advance(5);
      expect(woke).to.have.length(3);
    });

    it('lets woken code sleep again within the same advance', async () => {
      const clock = new FakeClock();
      const times: number[] = [];
      void (async () => {
        for (let i = 0; i < 3; i++) {
          await clock.sleep(10);
          times.push(clock.now());
        }
      })();
      await clock.advance(100);
      expect(times).to.deep.equal([10, 20, 30]);
    });

    it('auto-advances to each deadline when asked to, recording every requested sleep', async () => {
      const clock = new FakeClock({ autoAdvance: true });
      await clock.sleep(1000);
      await Promise.all([clock.sleep(500), clock.sleep(200)]);
      expect(clock.now()).to.equal(1500);
      expect(clock.sleeps).to.deep.equal([1000, 500, 200]);
    });

    it('advanceToNext wakes only the earliest sleeper', async () => {
      const clock = new FakeClock();
      void clock.sleep(50);
      void clock.sleep(70);
      expect(await clock.advanceToNext()).to.equal(true);
      expect([clock.now(), clock.pendingSleeps]).to.deep.equal([50, 1]);
      await clock.advanceToNext();
      expect(await clock.advanceToNext()).to.equal(false);
    });
  });
});
