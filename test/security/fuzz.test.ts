/**
 * The GraphQL fuzz suite: thousands of generated requests (see fuzz-cases.ts) over HTTP to the real server on the
 * demo data. Bounded by count, never by time: FUZZ_RUNS requests (default 10 000) from FUZZ_SEED (printed; set it
 * to replay a run). Every answer must be a well-formed GraphQL response, no client input may cause an internal
 * error, no request may read the warehouse after its answer, and the server must be alive with its heap back where it
 * was at the end.
 */
import fs from 'node:fs';
import v8 from 'node:v8';
import vm from 'node:vm';
import { expect } from 'chai';
import fc from 'fast-check';
import { buildSchema, type GraphQLSchema } from 'graphql';
import { SCHEMA_FILE } from '../../src/schema/build-schema';
import { fuzzCase, type FuzzCase, type Pools } from './fuzz-cases';
import { LEVEL, observedStore, startLoggedHarness, type LoggedHarness, type ObservedStore } from './support';

const SEED = Number(process.env.FUZZ_SEED ?? 9_2026);
const RUNS = Number(process.env.FUZZ_RUNS ?? 10_000);
const ERROR_ID = /^internal error \(id [0-9a-f]{8}\); the server log has the details$/;
const STACK = /node_modules|\.[jt]s:\d+:\d+/;
/**
 * Heap growth allowed over a run, in MB. What the server keeps on purpose is bounded: parsed documents (an LRU of
 * DOCUMENT_CACHE_BYTES of JSON, about four times that in the heap, full after a few hundred distinct queries) and
 * whole responses (RESPONSE_CACHE_BYTES of JSON; the run's cacheable answers fill a few MB of it). A run of 10 000
 * grows the heap by about 40 MB here and then stays; anything kept per request beyond the caches is a leak.
 */
const HEAP_GROWTH_MB = 64;

/** What is wrong with an answer, or null when it is a well-formed GraphQL response the rules allow. */
export function problemWith(status: number, text: string): string | null {
  let body: unknown;
  try { body = JSON.parse(text); } catch { return `status ${status}, not JSON: ${text.slice(0, 200)}`; }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return 'not a JSON object';
  const { data, errors } = body as { data?: unknown; errors?: unknown };
  if (data === undefined && errors === undefined) return 'neither data nor errors';
  if (errors !== undefined) {
    if (!Array.isArray(errors) || errors.length === 0) return 'errors is not a non-empty list';
    for (const e of errors as { message?: unknown; extensions?: { code?: unknown } }[]) {
      if (typeof e?.message !== 'string' || !e.message) return 'an error without a message';
      if (typeof e.extensions?.code !== 'string') return `an error without a code: ${e.message.slice(0, 200)}`;
      if (e.extensions.code === 'INTERNAL_SERVER_ERROR') {
        if (!ERROR_ID.test(e.message)) return `an internal error that says more than its id: ${e.message.slice(0, 200)}`;
        // client input must never cause one: each is a bug to fix
        return `an internal error (status ${status}): ${e.message}`;
      }
    }
  }
  if (status >= 500) return `status ${status} without an internal error id`;
  if (STACK.test(text)) return 'a stack trace in the answer';
  return null;
}

async function send(url: string, c: FuzzCase): Promise<{ status: number; text: string }> {
  const res = c.method === 'GET'
    ? await fetch(`${url}?${c.body}`, { headers: c.headers })
    : await fetch(url, { method: 'POST', headers: c.headers, body: c.body });
  return { status: res.status, text: await res.text() };
}

describe('GraphQL fuzz', function () {
  // A safety net for a hung server, not a measure: the run is bounded by its count.
  this.timeout(900_000);
  let h: LoggedHarness;
  let schema: GraphQLSchema;
  let pools: Pools;
  let store: ObservedStore;
  before(async () => {
    h = await startLoggedHarness({ serve: (s) => (store = observedStore(s, undefined, { slow: true })).store });
    schema = buildSchema(fs.readFileSync(SCHEMA_FILE(), 'utf8'));
    const d = (await h.gql(`{ municipalities { key name codes { code } } regions(kinds: [COUNTRY, KOSTRA_GROUP]) { code } peerGroups { id name }
      metrics { id } serviceAreas { code } serviceAreaGroupings { id } indicators { key tableId } years }`)).body.data!;
    pools = {
      municipalities: d.municipalities.flatMap((m: any) => [m.key, m.name, m.codes[0].code]),
      regions: d.regions.map((r: any) => r.code),
      peerGroups: d.peerGroups.flatMap((g: any) => [g.id, g.name]),
      metrics: d.metrics.map((m: any) => m.id),
      serviceAreas: [...d.serviceAreas.map((a: any) => a.code), ...d.serviceAreaGroupings.map((g: any) => g.id)],
      indicators: d.indicators.map((i: any) => i.key),
      tables: [...new Set<string>(d.indicators.map((i: any) => i.tableId))],
      years: d.years,
    };
  });
  after(async () => { await h?.close(); });

  it(`answers ${RUNS} generated requests (valid, nearly valid, hostile) with well-formed GraphQL, no internal error, and stays alive and bounded`, async () => {
    process.stdout.write(`      fuzz: FUZZ_SEED=${SEED} FUZZ_RUNS=${RUNS}\n`);
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    const kinds = new Map<string, number>();
    const statuses = new Map<number, number>();
    let baseline = 0;
    let sent = 0;
    // fast-check prints the whole counterexample, which can be 100 kB: keep the seed, path and the start of it.
    await fc.assert(fc.asyncProperty(fuzzCase(schema, pools), async (c) => {
      // the first requests warm the caches and the code; the heap is measured from there
      if (sent === 200) { gc(); baseline = process.memoryUsage().heapUsed; }
      sent++;
      kinds.set(c.kind, (kinds.get(c.kind) ?? 0) + 1);
      const res = await send(h.url, c);
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      const problem = problemWith(res.status, res.text);
      if (problem) throw new Error(`${problem}\n  request (${c.kind}, ${c.method}): ${c.body.slice(0, 600)}`);
    }), { seed: SEED, numRuns: RUNS, endOnFailure: true }).catch((e: Error) => {
      throw new Error(e.message.length > 4000 ? `${e.message.slice(0, 2000)} …\n${e.message.slice(-2000)}` : e.message);
    });
    process.stdout.write(`      fuzz: ${sent} requests; kinds ${JSON.stringify(Object.fromEntries(kinds))}; statuses ${JSON.stringify(Object.fromEntries(statuses))}\n`);

    expect(sent).to.equal(RUNS);
    expect(store.afterRelease, 'statements run for a request after it had answered').to.equal(0);
    expect(await h.healthy(), '/healthz after the run').to.equal(true);
    expect((await h.gql('{ years }')).body.data!.years).to.deep.equal(pools.years);
    const errors = h.lines.filter((l) => l.level >= LEVEL.error);
    expect(errors.map((l) => l.msg).slice(0, 5), 'error-level log lines').to.deep.equal([]);
    gc();
    const grown = (process.memoryUsage().heapUsed - baseline) / 2 ** 20;
    process.stdout.write(`      fuzz: heap ${grown >= 0 ? '+' : ''}${grown.toFixed(1)} MB over the run\n`);
    expect(grown, 'MB of heap kept after the run').to.be.below(HEAP_GROWTH_MB);
  });
});
