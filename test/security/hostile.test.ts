import { expect } from 'chai';
import { ADMIN_TOKEN, startHarness, type Harness } from '../graphql/harness';
import { valueOf } from '../helpers/warehouse';

const PAYLOADS = [`'; DROP TABLE fact; --`, `" OR 1=1 --`, `%' UNION SELECT sql FROM sqlite_master --`, `\\'); DELETE FROM load; --`, `0219' OR '1'='1`];

/** Every string argument of the API, with the payload in it. */
const TARGETS: ((p: string) => string)[] = [
  (p) => `{ municipality(ref: ${JSON.stringify(p)}) { key } }`,
  (p) => `{ region(ref: ${JSON.stringify(p)}) { code } }`,
  (p) => `{ peerGroup(ref: ${JSON.stringify(p)}) { id } }`,
  (p) => `{ metric(id: ${JSON.stringify(p)}) { id } }`,
  (p) => `{ regions(search: ${JSON.stringify(p)}) { code } }`,
  (p) => `{ municipalities(search: ${JSON.stringify(p)}) { key } }`,
  (p) => `{ indicators(search: ${JSON.stringify(p)}) { key } }`,
  (p) => `{ indicators(table: ${JSON.stringify(p)}) { key } }`,
  (p) => `{ facts(filter: { regions: [${JSON.stringify(p)}] }) { totalCount } }`,
  (p) => `{ facts(filter: { peerGroup: ${JSON.stringify(p)} }) { totalCount } }`,
  (p) => `{ facts(filter: { kostraGroup: ${JSON.stringify(p)} }) { totalCount } }`,
  (p) => `{ facts(filter: { indicators: [${JSON.stringify(p)}] }) { totalCount } }`,
  (p) => `{ facts(filter: { serviceAreas: [${JSON.stringify(p)}] }) { totalCount } }`,
  (p) => `{ facts(after: ${JSON.stringify(p)}) { totalCount } }`,
  (p) => `{ metricSeries(metric: ${JSON.stringify(p)}, subjects: [{ municipality: "Bærum" }], years: { list: [2024] }) { years } }`,
  (p) => `{ metricSeries(metric: "resultatgrad", subjects: [{ municipality: ${JSON.stringify(p)} }], years: { list: [2024] }) { years } }`,
  (p) => `{ metricSeries(metric: "resultatgrad", subjects: [{ region: ${JSON.stringify(p)} }], years: { list: [2024] }) { years } }`,
  (p) => `{ metricSeries(metric: "resultatgrad", subjects: [{ peerGroup: ${JSON.stringify(p)} }], years: { list: [2024] }) { years } }`,
  (p) => `{ metricSeries(metric: "resultatgrad", subjects: [{ peerGroup: "asss-u-oslo", excluding: ${JSON.stringify(p)} }], years: { list: [2024] }) { years } }`,
  (p) => `{ metricSeries(metric: "netto_driftsutgifter_per_innbygger", serviceArea: ${JSON.stringify(p)}, subjects: [{ municipality: "Bærum" }], years: { list: [2024] }) { years } }`,
  (p) => `{ peerComparison(metric: "resultatgrad", peerGroup: ${JSON.stringify(p)}, year: 2024) { year } }`,
  (p) => `{ peerComparison(metric: "resultatgrad", peerGroup: "asss-u-oslo", year: 2024, highlight: [${JSON.stringify(p)}]) { year } }`,
  (p) => `{ serviceAreaTable(metric: ${JSON.stringify(p)}, columns: [{ subject: { municipality: "Bærum" }, year: 2024 }]) { needCorrected } }`,
  (p) => `{ serviceAreaTable(columns: [{ subject: { municipality: ${JSON.stringify(p)} }, year: 2024 }]) { needCorrected } }`,
];

const LEAKS = /SQLITE|sqlite_master|SELECT |INSERT |\bat .*\.js:\d+|node_modules|stacktrace/i;

describe('hostile input', function () {
  this.timeout(60_000);
  let h: Harness;
  let facts: number;
  before(async () => {
    h = await startHarness();
    facts = await valueOf(h.warehouse.store, 'SELECT COUNT(*) AS n FROM fact');
  });
  after(async () => { await h?.close(); });

  it('SQL metacharacters in every string argument are plain text: a clear BAD_USER_INPUT or an empty answer, nothing executed', async () => {
    let answered = 0;
    for (const target of TARGETS) {
      for (const payload of PAYLOADS) {
        const res = await h.gql(target(payload));
        // An error may quote the value back; nothing else may look like SQL or a stack trace.
        const text = JSON.stringify(res.body).split(JSON.stringify(payload).slice(1, -1)).join('');
        expect(text, target(payload)).to.not.match(LEAKS);
        if (res.body.errors) {
          expect(res.body.errors.map((e) => e.extensions?.code), target(payload)).to.deep.equal(['BAD_USER_INPUT']);
        } else {
          answered++;
        }
      }
    }
    expect(answered, 'searches answer with an empty list').to.be.greaterThan(0);
    expect(await valueOf(h.warehouse.store, 'SELECT COUNT(*) AS n FROM fact')).to.equal(facts);
    expect(await valueOf(h.warehouse.store, 'SELECT COUNT(*) AS n FROM load')).to.be.greaterThan(0);
  });

  it('searches with metacharacters find nothing rather than everything', async () => {
    const res = await h.gql(`{ municipalities(search: "%") { key } regions(search: "_") { code } }`);
    expect(res.body.data!.municipalities).to.deep.equal([]);
    expect(res.body.data!.regions).to.deep.equal([]);
  });

  it('very long string arguments are refused before any lookup', async () => {
    const long = 'Bærum'.repeat(2000);
    const res = await h.gql('query($m: String!) { municipality(ref: $m) { key } }', { m: long });
    expect(res.status).to.equal(400);
    expect(res.body.errors![0].message).to.equal('a string argument is longer than 1000 characters; names, codes and ids are much shorter');
    const literal = await h.gql(`{ municipality(ref: "${long}") { key } }`);
    expect(literal.body.errors![0].extensions!.code).to.equal('BAD_USER_INPUT');
  });

  it('a request body over 100 kB is refused with 413', async () => {
    const res = await fetch(h.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: `{ years } # ${'x'.repeat(200_000)}` }) });
    expect(res.status).to.equal(413);
    const body = await res.text();
    expect(body).to.not.match(LEAKS);
    expect(JSON.parse(body).errors[0].message).to.equal('the request body is larger than 100 kB; send a smaller query');
  });

  it('batched operations are refused', async () => {
    const res = await fetch(h.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify([{ query: '{ years }' }, { query: '{ years }' }]) });
    expect(res.status).to.equal(400);
    expect(await res.text()).to.match(/batch/i);
  });

  it('page sizes outside 1–1000 are refused', async () => {
    for (const first of [0, -1, 1001, 2_000_000_000]) {
      const res = await h.gql(`{ facts(first: ${first}) { totalCount } }`);
      expect(res.body.errors![0].message).to.equal(`first must be between 1 and 1000, but got: ${first}`);
    }
  });

  it('an expensive query (many list fields over many pages) is refused by its estimated cost', async () => {
    const page = (i: number) => `p${i}: facts(first: 1000) { edges { node { region { code label name } indicator { key label unit } serviceArea { code label functions } provenance { loadId } } } }`;
    const res = await h.gql(`{ ${Array.from({ length: 20 }, (_, i) => page(i)).join(' ')} }`);
    expect(res.body.errors![0].message).to.match(/^query cost \d+ is over the limit of 5000/);
    expect(res.body.errors![0].extensions!.code).to.equal('QUERY_TOO_COMPLEX');
  });

  it('repeating a field thousands of times is refused by the parser\'s token limit, and the server goes on answering', async () => {
    const res = await h.gql(`{ ${'years '.repeat(5000)} }`);
    expect(res.status).to.equal(400);
    expect(res.body.errors![0].extensions!.code).to.equal('GRAPHQL_PARSE_FAILED');
    expect(res.body.errors![0].message).to.match(/^Syntax Error: Document contains more tha[nt] 2000 tokens/);
    expect((await h.gql('{ years }')).body.data!.years).to.be.an('array');
  });

  it('wrong, malformed or misplaced admin tokens are UNAUTHENTICATED', async () => {
    for (const headers of [
      { authorization: `Bearer ${ADMIN_TOKEN}x` }, { authorization: `Bearer ${ADMIN_TOKEN.slice(0, -1)}` },
      { authorization: `Basic ${ADMIN_TOKEN}` }, { authorization: 'Bearer ' }, { 'x-admin-token': ADMIN_TOKEN },
    ] as Record<string, string>[]) {
      const res = await h.gql('mutation { refreshWarehouse { started } }', undefined, headers);
      expect(res.body.errors![0].extensions!.code, JSON.stringify(headers)).to.equal('UNAUTHENTICATED');
    }
  });

  it('an internal failure reaches the client as an error id only: no SQL, no stack trace', async () => {
    await h.warehouse.store.run('ALTER TABLE fact RENAME TO fact_moved');
    try {
      const res = await h.gql('{ facts(first: 1) { totalCount } }');
      expect(res.body.errors![0].message).to.match(/^internal error \(id [0-9a-f]{8}\); the server log has the details$/);
      expect(JSON.stringify(res.body)).to.not.match(LEAKS);
    } finally {
      await h.warehouse.store.run('ALTER TABLE fact_moved RENAME TO fact');
    }
  });
});
