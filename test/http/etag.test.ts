import { createHash } from 'node:crypto';
import { expect } from 'chai';
import { ifNoneMatchProblem, operationEtag, sharedCacheable } from '../../src/http/etag';
import { startHarness, type Harness } from '../graphql/harness';
import { extraServer, gqlGet } from './helpers';

const YEARS = 'query Years { years }';

describe('cacheable GET queries: ETag and 304', function () {
  this.timeout(60_000);
  let h: Harness;
  let base: string;
  before(async () => {
    h = await startHarness();
    base = h.url.replace(/\/graphql$/, '');
  });
  after(async () => { await h?.close(); });

  const version = async () => (await h.gql('{ years }')).body.extensions!.warehouse.version as number;

  it('a GET returns 200 with an ETag naming the warehouse version and a public max-age', async () => {
    const res = await gqlGet(base, YEARS);
    expect(res.status).to.equal(200);
    expect(res.headers.get('cache-control')).to.equal('max-age=3600, public');
    expect(res.headers.get('etag')).to.match(new RegExp(`^W/"v${await version()}-[A-Za-z0-9_-]{22}"$`));
    expect((await res.json() as any).data.years).to.be.an('array').with.length.greaterThan(0);
  });

  it('repeating it with If-None-Match gives 304 with no body; another tag gives the answer again', async () => {
    const etag = (await gqlGet(base, YEARS)).headers.get('etag')!;
    const again = await gqlGet(base, YEARS, undefined, { 'if-none-match': etag });
    expect(again.status).to.equal(304);
    expect(await again.text()).to.equal('');
    expect(again.headers.get('etag')).to.equal(etag);
    const listed = await gqlGet(base, YEARS, undefined, { 'if-none-match': `W/"v0-other", ${etag}` });
    expect(listed.status).to.equal(304);
    const other = await gqlGet(base, YEARS, undefined, { 'if-none-match': 'W/"v1-somethingelse"' });
    expect(other.status).to.equal(200);
    expect((await other.json() as any).data.years).to.be.an('array');
  });

  it('the ETag depends on the operation and its variables', async () => {
    const q = 'query M($ref: String!) { municipality(ref: $ref) { key name } }';
    const a = (await gqlGet(base, q, { ref: 'Bærum' })).headers.get('etag');
    const b = (await gqlGet(base, q, { ref: 'Asker' })).headers.get('etag');
    const c = (await gqlGet(base, YEARS)).headers.get('etag');
    expect(a).to.be.a('string');
    expect(new Set([a, b, c]).size).to.equal(3);
    expect((await gqlGet(base, q, { ref: 'Bærum' })).headers.get('etag')).to.equal(a);
  });

  it('an automatic persisted query (hash only, after it was registered) has the same ETag as the full query', async () => {
    const sha256Hash = createHash('sha256').update(YEARS).digest('hex');
    const extensions = JSON.stringify({ persistedQuery: { version: 1, sha256Hash } });
    const hashOnly = () => fetch(`${base}/graphql?extensions=${encodeURIComponent(extensions)}`, { headers: { 'apollo-require-preflight': 'true' } });
    const register = await fetch(`${base}/graphql?query=${encodeURIComponent(YEARS)}&extensions=${encodeURIComponent(extensions)}`, { headers: { 'apollo-require-preflight': 'true' } });
    expect(register.status).to.equal(200);
    const res = await hashOnly();
    expect(res.status).to.equal(200);
    expect(res.headers.get('etag')).to.equal((await gqlGet(base, YEARS)).headers.get('etag'));
    // CSRF prevention applies to persisted queries as well: a GET without a non-simple content type or header is refused.
    const bare = await fetch(`${base}/graphql?extensions=${encodeURIComponent(extensions)}`);
    expect(bare.status).to.equal(400);
    expect((await bare.json() as any).errors[0].message).to.match(/Cross-Site Request Forgery/);
  });

  it('CSRF prevention stays on: a bare GET is refused, content-type: application/json or x-apollo-operation-name pass', async () => {
    const url = `${base}/graphql?query=${encodeURIComponent(YEARS)}`;
    expect((await fetch(url)).status).to.equal(400);
    expect((await fetch(url, { headers: { 'content-type': 'application/json' } })).status).to.equal(200);
    expect((await fetch(url, { headers: { 'x-apollo-operation-name': 'Years' } })).status).to.equal(200);
  });

  it('after the warehouse version changes, the ETag changes and the old one no longer matches', async () => {
    const before = (await gqlGet(base, YEARS)).headers.get('etag')!;
    const v = await version();
    await h.warehouse.store.run(`INSERT INTO load (run_id, table_id, source, status, started_at, finished_at) VALUES ('etag-test', '12134', 'demo', 'succeeded', ?, ?)`,
      [new Date().toISOString(), new Date().toISOString()]);
    expect(await version()).to.be.greaterThan(v);
    const res = await gqlGet(base, YEARS, undefined, { 'if-none-match': before });
    expect(res.status).to.equal(200);
    const after = res.headers.get('etag')!;
    expect(after).not.to.equal(before);
    expect(after).to.match(new RegExp(`^W/"v${await version()}-`));
  });

  it('POSTs, mutations, warehouseStatus (max-age 0) and errors get no ETag and never 304', async () => {
    const etag = (await gqlGet(base, YEARS)).headers.get('etag')!;
    const post = await fetch(h.url, { method: 'POST', headers: { 'content-type': 'application/json', 'if-none-match': etag }, body: JSON.stringify({ query: YEARS }) });
    expect(post.status).to.equal(200);
    expect(post.headers.get('etag')).to.equal(null);
    // With the token it would start a refresh; the answer's headers are the same either way.
    const mutation = await fetch(h.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer wrong-token-0123456789' }, body: JSON.stringify({ query: 'mutation { refreshWarehouse { started } }' }) });
    expect((await mutation.json() as any).errors[0].extensions.code).to.equal('UNAUTHENTICATED');
    expect(mutation.headers.get('etag')).to.equal(null);
    const status = await gqlGet(base, '{ warehouseStatus { version } }');
    expect(status.status).to.equal(200);
    expect(status.headers.get('cache-control')).to.equal('no-store');
    expect(status.headers.get('etag')).to.equal(null);
    const bad = await gqlGet(base, '{ municipality(ref: "Bærumm") { key } }');
    expect((await bad.json() as any).errors[0].extensions.code).to.equal('BAD_USER_INPUT');
    expect(bad.headers.get('etag')).to.equal(null);
  });

  it('refuses a malformed, oversized or wildcard If-None-Match with a message saying what to send', async () => {
    for (const [header, message] of [
      ['abc', /If-None-Match holds "abc", which is not an entity tag/],
      [`"${'x'.repeat(2000)}"`, /at most 1024 are allowed/],
      ['*', /If-None-Match: \* is not supported/],
      [Array.from({ length: 20 }, (_, i) => `"t${i}"`).join(', '), /lists 20 entity tags; at most 16/],
    ] as const) {
      const res = await gqlGet(base, YEARS, undefined, { 'if-none-match': header });
      expect(res.status, header.slice(0, 20)).to.equal(400);
      expect((await res.json() as any).errors[0].message).to.match(message);
    }
  });

  describe('helpers', () => {
    it('sharedCacheable wants public and a positive max-age', () => {
      expect(sharedCacheable('max-age=3600, public')).to.equal(true);
      expect(sharedCacheable('public, max-age=0')).to.equal(false);
      expect(sharedCacheable('max-age=3600, private')).to.equal(false);
      expect(sharedCacheable('no-store')).to.equal(false);
      expect(sharedCacheable(undefined)).to.equal(false);
    });

    it('operationEtag is weak, names the version and differs per request', () => {
      expect(operationEtag(7, ['a'])).to.match(/^W\/"v7-[A-Za-z0-9_-]{22}"$/);
      expect(operationEtag(7, ['a'])).not.to.equal(operationEtag(7, ['b']));
      expect(operationEtag(7, ['a'])).not.to.equal(operationEtag(8, ['a']));
    });

    it('ifNoneMatchProblem accepts lists of strong and weak tags', () => {
      expect(ifNoneMatchProblem('W/"v1-abc", "xyz"')).to.equal(null);
    });
  });

  describe('the cache policy, decided once per operation from its root fields', () => {
    it('warehouseStatus reached through a fragment or an inline fragment is never cached; a query beside it makes no difference', async () => {
      for (const query of [
        '{ ...S } fragment S on Query { warehouseStatus { version } }',
        '{ ... on Query { years warehouseStatus { version } } }',
        '{ years ...S } fragment S on Query { ...T } fragment T on Query { warehouseStatus { version } }',
      ]) {
        const res = await gqlGet(base, query);
        expect(res.status, query).to.equal(200);
        expect(res.headers.get('cache-control'), query).to.equal('no-store');
      }
      expect((await gqlGet(base, '{ ...Y } fragment Y on Query { years }')).headers.get('cache-control')).to.equal('max-age=3600, public');
    });

    it('an answer with errors is not cached, whatever its fields', async () => {
      const res = await gqlGet(base, '{ municipality(ref: "Bærumm") { key } }');
      expect(res.headers.get('cache-control')).to.equal('no-store');
    });
  });

  describe('API_CACHES=off (caches: false)', () => {
    it('computes a repeated query from the warehouse each time, with the same answer and the same Cache-Control', async () => {
      const off = await extraServer(h, { caches: false });
      const query = '{ metricSeries(metric: "resultatgrad", subjects: [{ municipality: "Bærum" }], years: { list: [2024] }) { series { points { value } } } }';
      try {
        const ask = async (server: typeof off.server, url: string) => {
          const res = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
          return { body: await res.json() as { data: unknown }, statements: server.lastStatements, cacheControl: res.headers.get('cache-control') };
        };
        const onFirst = await ask(h.server, base);
        const onAgain = await ask(h.server, base);
        const offFirst = await ask(off.server, off.base);
        const offAgain = await ask(off.server, off.base);
        expect(onAgain.statements, 'caches on: the repeat is the stored answer (only the version check runs)').to.equal(1);
        expect(offAgain.statements, 'caches off: the repeat reads the facts again').to.be.greaterThan(1);
        expect(offAgain.body.data).to.deep.equal(onFirst.body.data);
        expect(offFirst.body.data).to.deep.equal(onAgain.body.data);
        expect(offAgain.cacheControl).to.equal('max-age=3600, public');
      } finally {
        await off.close();
      }
    });
  });
});
