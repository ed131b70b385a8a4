import type { ReadLease, Sql, WarehouseStore } from '../../db/store';
import { startHarness, type Harness } from '../graphql/harness';
import { recordingLogger, type LogLine } from '../helpers/recording-logger';

export { LEVEL, recordingLogger, type LogLine } from '../helpers/recording-logger';

/** How the API words the loaded years in its refusals: "loaded years are 2015–2024". */
export async function loadedYearsPhrase(h: Harness): Promise<string> {
  const years = (await h.gql('{ years }')).body.data!.years as number[];
  return `loaded years are ${years[0]}–${years[years.length - 1]}`;
}

export interface LoggedHarness extends Harness {
  lines: LogLine[];
  /** POST a body exactly as given (for JSON that JSON.stringify would refuse or reshape). */
  raw(body: string): Promise<{ status: number; text: string }>;
  healthy(): Promise<boolean>;
}

export async function startLoggedHarness(options: Omit<NonNullable<Parameters<typeof startHarness>[0]>, 'log'> = {}): Promise<LoggedHarness> {
  const { log, lines } = recordingLogger();
  const h = await startHarness({ ...options, log });
  return Object.assign(h, {
    lines,
    async raw(body: string) {
      const res = await fetch(h.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      return { status: res.status, text: await res.text() };
    },
    async healthy() {
      const res = await fetch(h.url.replace(/\/graphql$/, '/healthz'));
      return res.status === 200 && ((await res.json()) as { status?: string }).status === 'ok';
    },
  });
}

export interface ObservedStore {
  /** Put this between the server and the warehouse (startLoggedHarness's `serve`). */
  store: WarehouseStore;
  /** Every statement the server started in a read snapshot, in order. */
  started: string[];
  /** Statements started in a read snapshot after it was released: work of a request that had ended. */
  afterRelease: number;
  /** Lets the statements held by `gated` run. */
  open(): void;
  /** Holds them again from now on. */
  close(): void;
}

/**
 * A test double of the warehouse that records what the server reads, and holds every statement matching `gated`
 * until the test opens the gate (so a test can see what a request does while one of its reads waits); `slow` makes
 * every other statement wait a turn of the event loop.
 */
export function observedStore(store: WarehouseStore, gated?: RegExp, options: { slow?: boolean } = {}): ObservedStore {
  let open!: () => void;
  let gate!: Promise<void>;
  const close = () => { gate = new Promise<void>((resolve) => { open = resolve; }); };
  close();
  const beginRead = async (): Promise<ReadLease> => {
    const lease = await store.beginRead();
    let released = false;
    const hold = async (text: string) => {
      observed.started.push(text);
      if (released) observed.afterRelease++;
      if (gated?.test(text)) await gate;
      // A slower disk: each statement yields to the event loop first, so an answer can overtake a request's reads.
      else if (options.slow) await new Promise((resolve) => setImmediate(resolve));
    };
    const sql: Sql = {
      engine: lease.sql.engine,
      binary: (expr) => lease.sql.binary(expr),
      all: async (spec, text, params, what) => { await hold(text); return lease.sql.all(spec, text, params, what); },
      get: async (spec, text, params, what) => { await hold(text); return lease.sql.get(spec, text, params, what); },
      run: async (text, params) => { await hold(text); return lease.sql.run(text, params); },
    };
    return { sql, release: () => { released = true; return lease.release(); } };
  };
  // Everything but beginRead is the store's own, called on the store itself (its writes keep its one queue).
  const wrapped = new Proxy(store, {
    get(target, prop) {
      if (prop === 'beginRead') return beginRead;
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
  const observed: ObservedStore = { store: wrapped, started: [], afterRelease: 0, open: () => open(), close };
  return observed;
}
