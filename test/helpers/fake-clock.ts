import type { Clock } from '../../etl/clock';

interface Timer {
  deadline: number;
  seq: number;
  resolve: () => void;
}

export interface FakeClockOptions {
  /** Initial `now()`; default 0. */
  start?: number;
  /**
   * When true, every pending sleep ends by itself: once the current promise chains have settled (next
   * macrotask), time jumps to the earliest deadline and that sleeper wakes. Code under test then runs at full
   * speed while `now()` and `sleeps` still show exactly how long it would have waited.
   */
  autoAdvance?: boolean;
}

/** Resolves after every promise callback queued so far (and any they queue) has run. */
export function flushPromises(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * A Clock that moves only when the test says so (`advance`) or, with `autoAdvance`, only when everybody is
 * asleep. Sleepers wake in deadline order (ties in call order), and the clock stands exactly at each deadline
 * when its sleeper wakes, so code that reads `now()` after sleeping sees the time it asked for.
 */
export class FakeClock implements Clock {
  /** Every duration passed to `sleep`, in call order: assert waits without timing anything. */
  readonly sleeps: number[] = [];
  private current: number;
  private timers: Timer[] = [];
  private seq = 0;
  private readonly autoAdvance: boolean;
  private pumpScheduled = false;

  constructor(options: FakeClockOptions = {}) {
    this.current = options.start ?? 0;
    this.autoAdvance = options.autoAdvance ?? false;
  }

  now(): number {
    return this.current;
  }

  sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
    return new Promise<void>((resolve) => {
      this.timers.push({ deadline: this.current + Math.max(0, ms), seq: this.seq++, resolve });
      if (this.autoAdvance) this.schedulePump();
    });
  }

  /** How many sleeps have not ended yet. */
  get pendingSleeps(): number {
    return this.timers.length;
  }

  /**
   * Moves time forward by `ms`, waking every sleeper whose deadline falls inside, one at a time in deadline
   * order, letting the woken code run (and possibly sleep again) before the next one wakes.
   */
  async advance(ms: number): Promise<void> {
    const target = this.current + ms;
    for (;;) {
      await flushPromises();
      const next = this.earliest();
      if (!next || next.deadline > target) break;
      this.wake(next);
    }
    this.current = Math.max(this.current, target);
    await flushPromises();
  }

  /** Moves time to the earliest pending deadline and wakes that sleeper; false when nobody sleeps. */
  async advanceToNext(): Promise<boolean> {
    await flushPromises();
    const next = this.earliest();
    if (!next) return false;
    this.wake(next);
    await flushPromises();
    return true;
  }

  private earliest(): Timer | undefined {
    let best: Timer | undefined;
    for (const t of this.timers) {
      if (!best || t.deadline < best.deadline || (t.deadline === best.deadline && t.seq < best.seq)) best = t;
    }
    return best;
  }

  private wake(timer: Timer): void {
    this.timers.splice(this.timers.indexOf(timer), 1);
    this.current = Math.max(this.current, timer.deadline);
    timer.resolve();
  }

  private schedulePump(): void {
    if (this.pumpScheduled) return;
    this.pumpScheduled = true;
    setImmediate(() => {
      this.pumpScheduled = false;
      const next = this.earliest();
      if (!next) return;
      this.wake(next);
      if (this.timers.length > 0) this.schedulePump();
    });
  }
}
