/**
 * Issue 15, "more reproductions from a schema-driven fuzzer": each reproduction A–G as it was sent, on a fresh
 * server, and the rule behind B's second half: no work of a request goes on after its answer.
 */
import { expect } from 'chai';
import { MAX_EXPANDED_SELECTIONS, MAX_VARIABLE_DEPTH } from '../../src/graphql/limits';
import { inflationAdjust, MAX_PERIOD_YEARS } from '../../core/metrics';
import { doublingFragments } from './fuzz-cases';
import { LEVEL, observedStore, loadedYearsPhrase, startLoggedHarness, type LoggedHarness, type ObservedStore } from './support';

/** `depth` nested empty lists: `[[[…]]]`. */
export const nestedLists = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

describe('issue 15: the schema-driven fuzzer\'s reproductions', function () {
  this.timeout(60_000);
  let h: LoggedHarness;
  let loaded: string;
  before(async () => {
    h = await startLoggedHarness();
    loaded = await loadedYearsPhrase(h);
  });
  after(async () => { await h?.close(); });
  afterEach(async () => {
    expect(await h.healthy(), 'the server is alive after the test').to.equal(true);
    expect(h.lines.filter((l) => l.level >= LEVEL.error).map((l) => l.msg), 'error-level log lines').to.deep.equal([]);
  });

  /** Every error of an answer, by code and message, with the HTTP status. */
  async function answer(body: string) {
    const res = await h.raw(body);
    const parsed = JSON.parse(res.text) as { data?: unknown; errors?: { message: string; extensions?: { code?: string } }[] };
    return { status: res.status, data: parsed.data, errors: (parsed.errors ?? []).map((e) => ({ code: e.extensions?.code, message: e.message })) };
  }
  const post = (query: string, variables?: Record<string, unknown>, extensions?: Record<string, unknown>) => answer(JSON.stringify({ query, variables, extensions }));

  it('A: serviceAreaTable(inflateTo: 1000000000) is BAD_USER_INPUT naming the years the deflator covers', async () => {
    const r = await post('{ serviceAreaTable(inflateTo: 1000000000, columns: [{subject: {municipality: "3049"}, year: 2018}]) { inflatedTo } }');
    expect(r.errors).to.have.length(1);
    expect(r.errors[0].code).to.equal('BAD_USER_INPUT');
    expect(r.errors[0].message).to.match(/^inflateTo: no deflator for 1000000000; the deflator covers 2015, .*2024/);
  });

  it('A: the inflation adjustment itself refuses a span of years it would have to walk', () => {
    expect(() => inflationAdjust(100, 2018, 1_000_000_000, new Map())).to.throw(RangeError, `inflationAdjust: 2018–1000000000 spans more than ${MAX_PERIOD_YEARS} years`);
    expect(inflationAdjust(100, 2018, 2018 + MAX_PERIOD_YEARS - 1, new Map()).reason).to.match(/^no deflator for 2019, 2020/);
  });

  it('B: averageAnnualGrowth(from: 0, to: 100000000), alone and beside a failing sibling, is BAD_USER_INPUT', async () => {
    const growth = 'metricSeries(metric: "skatt", subjects: [{municipality: "Bærum"}], years: {list: [2020]}) { series { averageAnnualGrowth(method: MEAN_OF_YEAR_ON_YEAR, from: 0, to: 100000000) { value } } }';
    const alone = await post(`{ ${growth} }`);
    expect(alone.errors).to.deep.equal([{ code: 'BAD_USER_INPUT', message: `averageAnnualGrowth: from 0 is not loaded; ${loaded}` }]);
    const withSibling = await post(`{ ${growth} metric(id: "x") { id } }`);
    expect(withSibling.data).to.equal(null);
    expect(withSibling.errors.map((e) => e.code)).to.satisfy((codes: string[]) => codes.length > 0 && codes.every((c) => c === 'BAD_USER_INPUT'));
    expect(withSibling.errors.some((e) => e.message.startsWith('unknown metric "x"')), JSON.stringify(withSibling.errors)).to.equal(true);
  });

  it('B: a one-sided years range up to 1000000000 is BAD_USER_INPUT naming the loaded years', async () => {
    const r = await post('{ metricSeries(metric: "skatt", subjects: [{municipality: "Bærum"}], years: {to: 1000000000}) { years } }');
    expect(r.errors).to.deep.equal([{ code: 'BAD_USER_INPUT', message: `years: to 1000000000 is not loaded; ${loaded}` }]);
  });

  describe('C: variables that do not fit their types are 400 BAD_USER_INPUT with graphql-js\'s own message', () => {
    const municipality = 'query q($v1: String!) { municipality(ref: $v1) { name } }';
    const years = 'query q($y: Int!) { metricSeries(metric: "resultatgrad", subjects: [{municipality: "Bærum"}], years: {list: [$y]}) { years } }';
    for (const [what, query, variables, message] of [
      ['a required variable left out', municipality, {}, 'Variable "$v1" of required type "String!" was not provided.'],
      ['2.5 into Int!', years, { y: 2.5 }, 'Variable "$y" got invalid value 2.5; Int cannot represent non-integer value: 2.5'],
      ['null into String!', municipality, { v1: null }, 'Variable "$v1" of non-null type "String!" must not be null.'],
      ['null into Int!', years, { y: null }, 'Variable "$y" of non-null type "Int!" must not be null.'],
    ] as const) {
      it(what, async () => {
        expect(await post(query, variables)).to.deep.equal({ status: 400, data: undefined, errors: [{ code: 'BAD_USER_INPUT', message }] });
      });
    }
  });

  it('D: a variable of 5 000 nested empty lists (10 kB) is 400 BAD_USER_INPUT naming the depth allowed', async () => {
    const r = await answer(`{"query":"query($v1: String!) { municipality(ref: $v1) { key } }","variables":{"v1":${nestedLists(5000)}}}`);
    expect(r).to.deep.equal({ status: 400, data: undefined, errors: [{ code: 'BAD_USER_INPUT', message: `variables are nested 5001 levels deep; at most ${MAX_VARIABLE_DEPTH} are allowed` }] });
  });

  it('E: twelve doubling fragments (549 bytes) are 400 QUERY_TOO_COMPLEX naming the expanded size', async () => {
    const query = doublingFragments(12, 7);
    expect(query.length).to.be.below(560);
    const r = await post(query);
    expect(r.status).to.equal(400);
    expect(r.errors).to.have.length(1);
    expect(r.errors[0].code).to.equal('QUERY_TOO_COMPLEX');
    expect(r.errors[0].message).to.match(new RegExp(`^query expands to [\\d ]+ selections with its fragments spread; at most ${MAX_EXPANDED_SELECTIONS} are allowed$`));
  });

  it('F: persisted-query extensions Apollo refuses are 400 BAD_REQUEST with Apollo\'s message', async () => {
    const pq = (persistedQuery: Record<string, unknown>) => post('{ years }', undefined, { persistedQuery });
    expect(await pq({ version: 1, sha256Hash: 'abc' })).to.deep.equal({ status: 400, data: undefined, errors: [{ code: 'BAD_REQUEST', message: 'provided sha does not match query' }] });
    expect(await pq({ version: 2, sha256Hash: 'abc' })).to.deep.equal({ status: 400, data: undefined, errors: [{ code: 'BAD_REQUEST', message: 'Unsupported persisted query version' }] });
    const notFound = await answer(JSON.stringify({ extensions: { persistedQuery: { version: 1, sha256Hash: 'a'.repeat(64) } } }));
    expect(notFound.errors).to.deep.equal([{ code: 'PERSISTED_QUERY_NOT_FOUND', message: 'PersistedQueryNotFound' }]);
  });

  it('G: reversed periods are BAD_USER_INPUT saying which way round they go', async () => {
    const series = (field: string) => `{ metricSeries(metric: "resultatgrad", subjects: [{municipality: "Bærum"}], years: {from: 2020, to: 2024}) { series { ${field} { value } } } }`;
    expect((await post(series('periodAverage(from: 2022, to: 2020)'))).errors)
      .to.deep.equal([{ code: 'BAD_USER_INPUT', message: 'periodAverage: from 2022 must be at or before to 2020' }]);
    expect((await post(series('averageAnnualGrowth(from: 2022, to: 2020)'))).errors)
      .to.deep.equal([{ code: 'BAD_USER_INPUT', message: 'averageAnnualGrowth: from 2022 must be before to 2020' }]);
  });
});

describe('issue 15: no work of a request goes on after its answer', function () {
  this.timeout(60_000);
  let h: LoggedHarness;
  let store: ObservedStore;
  before(async () => {
    h = await startLoggedHarness({ serve: (s) => (store = observedStore(s, /FROM etl_run/)).store });
  });
  after(async () => { await h?.close(); });

  // An operation runs in graphql-js when first seen and compiled by graphql-jit from the second time on. graphql-js
  // answers as soon as the failing field has nulled the answer, so only the request's end stops the other field;
  // graphql-jit waits for every field first (that run passes either way, and holds the rule if that ever changes).
  for (const run of ['first sight: graphql-js', 'seen before: graphql-jit']) {
    it(`a field still reading when a sibling nulls the whole answer starts no statement after the answer (${run})`, async () => {
      store.close();
      const held = store.started.filter((s) => /FROM etl_run/.test(s)).length;
      const releasedBefore = store.afterRelease;
      // warehouseStatus reads runs, then loads, then the last loads, one after the other; the unknown metric fails
      // at once, and being non-null it takes the whole answer with it while warehouseStatus waits at the gate.
      let atAnswer = -1;
      const answer = h.gql('{ warehouseStatus { runs { id } recentLoads { id } sourceTables { lastLoad { id } } } bad: metricSeries(metric: "no-such-metric", subjects: [{ municipality: "Bærum" }], years: { list: [2024] }) { years } }')
        .then((res) => { atAnswer = store.started.length; return res; });
      while (store.started.filter((s) => /FROM etl_run/.test(s)).length === held) await new Promise((r) => setTimeout(r, 5));
      store.open();
      const res = await answer;
      expect(res.body.data).to.equal(null);
      expect(res.body.errors!.map((e) => e.extensions?.code)).to.deep.equal(['BAD_USER_INPUT']);
      // Let the held statement finish and whatever follows it run: a few turns of the event loop, then a round trip.
      for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
      expect(await h.healthy()).to.equal(true);
      expect(store.started.slice(atAnswer).filter((s) => /FROM load/.test(s)), 'statements started after the answer').to.deep.equal([]);
      expect(store.afterRelease - releasedBefore, 'statements on a released read snapshot').to.equal(0);
      expect(h.lines.filter((l) => l.level >= LEVEL.error).map((l) => l.msg), 'error-level log lines').to.deep.equal([]);
    });
  }
});
