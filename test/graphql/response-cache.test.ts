import { expect } from 'chai';
import { plainData, StoredData, stringifyResult } from '../../src/graphql/response-cache';
import { startHarness, type Harness } from './harness';

describe('the response cache serves stored answers as stored text', function () {
  this.timeout(60_000);

  it('stringifyResult writes stored data as it is, with or without extensions, as JSON.stringify would', () => {
    const data = { facts: { edges: [{ node: { value: 1.5, status: null, name: 'Bærum "x"' } }] } };
    const stored = new StoredData(JSON.stringify(data)) as unknown as Record<string, unknown>;
    const extensions = { warehouse: { version: 7, demo: true } };
    expect(stringifyResult({ data: stored, extensions })).to.equal(JSON.stringify({ data, extensions }));
    expect(stringifyResult({ data: stored })).to.equal(JSON.stringify({ data }));
    expect(stringifyResult({ data, extensions })).to.equal(JSON.stringify({ data, extensions }));
    // Anyone else serialising or reading it gets the value itself.
    expect(JSON.stringify({ data: stored })).to.equal(JSON.stringify({ data }));
    expect(plainData(stored)).to.deep.equal(data);
    expect(plainData(data)).to.equal(data);
  });

  describe('over HTTP', () => {
    let h: Harness;
    before(async () => { h = await startHarness(); });
    after(async () => { await h?.close(); });

    const post = (query: string) => fetch(h.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });

    it('a hit is the same bytes as the answer that was stored, with an Age, and its data is never parsed', async () => {
      const query = '# response-cache test\n{ facts(filter: { regions: ["Bærum"], indicators: ["bdi"] }, first: 50) { totalCount edges { node { year region { code name } value status } } } }';
      let parsed = 0;
      // eslint-disable-next-line @typescript-eslint/unbound-method -- restored below; called with the instance as `this`
      const toJSON = StoredData.prototype.toJSON;
      StoredData.prototype.toJSON = function (this: StoredData) { parsed++; return toJSON.call(this); };
      try {
        const miss = await post(query);
        const missBody = await miss.text();
        const hit = await post(query);
        const hitBody = await hit.text();
        expect(miss.headers.get('age')).to.equal(null);
        expect(hit.headers.get('age')).to.match(/^\d+$/);
        expect(hitBody).to.equal(missBody);
        expect((JSON.parse(hitBody) as { data: { facts: { edges: unknown[] } } }).data.facts.edges).to.have.length(30);
        expect(hit.headers.get('cache-control')).to.equal(miss.headers.get('cache-control'));
        expect(parsed).to.equal(0);
      } finally {
        StoredData.prototype.toJSON = toJSON;
      }
    });

    it('an answer with errors, or one that may not be cached, is computed every time', async () => {
      const failing = '# response-cache test\n{ facts(filter: { regions: ["Nowhere"] }, first: 5) { totalCount } }';
      expect((await post(failing)).headers.get('age')).to.equal(null);
      expect((await post(failing)).headers.get('age')).to.equal(null);
      const status = '# response-cache test\n{ warehouseStatus { version } }';
      await post(status);
      expect((await post(status)).headers.get('age')).to.equal(null);
    });
  });
});
