/**
 * Fault injection and the sliding-window rate limit of the stand-in: what the ETL client must survive.
 */
import { expect } from 'chai';
import { decode } from './cells';
import { call, dataQuery, post } from './http';
import { startStandin, type Standin } from './server';

const SEL = dataQuery({ KOKkommuneregion0000: 'EAK,0301', KOKartkap0000: 'AGD13,AGD23', ContentsCode: 'KOSbelop0000', Tid: '2023,2024' });

describe('stand-in: faults and rate limit', function () {
  this.timeout(10000);
  let s: Standin;
  before(async () => {
    s = await startStandin({ rateLimit: { maxCalls: 100000, windowMs: 60000 } });
  });
  after(() => s.close());
  afterEach(() => s.setFaults([]));
  const dataUrl = () => `${s.url}/tables/12137/data?${SEL}`;

  it('status: 429 with Retry-After, then the normal answer', async () => {
    s.setFaults([{ kind: 'status', status: 429, retryAfter: 2, path: '/data' }]);
    const first = await call(dataUrl());
    expect(first.status).to.equal(429);
    expect(first.headers.get('retry-after')).to.equal('2');
    expect(first.json).to.include({ title: 'Too Many Requests', status: 429 });
    expect(first.headers.get('x-ratelimit-limit')).to.equal('100000');
    expect((await call(dataUrl())).status).to.equal(200);
  });

  it('status: 429 without Retry-After', async () => {
    s.setFaults([{ kind: 'status', status: 429 }]);
    const r = await call(`${s.url}/config`);
    expect(r.status).to.equal(429);
    expect(r.headers.get('retry-after')).to.equal(null);
  });

  it('status: a burst of three 503s on one path only', async () => {
    s.setFaults([{ kind: 'status', status: 503, path: '/tables/12137/data', times: 3 }]);
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await call(dataUrl())).status);
    expect((await call(`${s.url}/tables/12137/metadata`)).status).to.equal(200);
    expect(statuses).to.deep.equal([503, 503, 503, 200]);
  });

  it('fails only the Nth data request (nth)', async () => {
    s.setFaults([{ kind: 'status', status: 500, path: /\/data$/, nth: 3 }]);
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await call(dataUrl())).status);
    expect(statuses).to.deep.equal([200, 200, 500, 200]);
  });

  it('reset: the socket is destroyed without an answer', async () => {
    s.setFaults([{ kind: 'reset', path: '/data' }]);
    const err = await call(dataUrl()).catch((e) => e);
    expect(err).to.be.instanceOf(Error);
    expect((await call(dataUrl())).status).to.equal(200);
    expect(s.requests.some((r) => r.fault === 'reset' && r.status === 0)).to.equal(true);
  });

  it('slow: the answer comes after delayMs, so a shorter client timeout fires', async () => {
    s.setFaults([{ kind: 'slow', delayMs: 400, path: '/data', times: 2 }]);
    const timedOut = await call(dataUrl(), { signal: AbortSignal.timeout(100) }).catch((e) => e);
    expect(timedOut).to.be.instanceOf(Error);
    expect(timedOut.name).to.match(/TimeoutError|AbortError/);
    const patient = await call(dataUrl());
    expect(patient.status).to.equal(200);
    // both requests went through the delay: the impatient client left (status 0), the patient one got its answer
    expect(s.requests.filter((r) => r.fault === 'slow' && r.path.endsWith('/data')).map((r) => r.status)).to.deep.equal([0, 200]);
  });

  it('truncate: Content-Length promises the whole body, half arrives, the connection closes', async () => {
    s.setFaults([{ kind: 'truncate', path: '/metadata' }]);
    const err = await call(`${s.url}/tables/12137/metadata`).catch((e) => e);
    expect(err).to.be.instanceOf(Error);
    expect((await call(`${s.url}/tables/12137/metadata`)).status).to.equal(200);
  });

  it('badSizes: json-stat2 whose size does not match the number of values', async () => {
    s.setFaults([{ kind: 'badSizes', path: '/data' }]);
    const r = await call(dataUrl());
    expect(r.status).to.equal(200);
    const product = (r.json.size as number[]).reduce((a, b) => a * b, 1);
    expect(product).to.not.equal(r.json.value.length);
    expect(() => decode(r.json)).to.throw(/size product/);
  });

  it('extraCode: a consistent json-stat2 answer with a category the catalogue does not know', async () => {
    s.setFaults([{ kind: 'extraCode', path: '/data' }, { kind: 'extraCode', path: '/metadata', dimension: 'KOKartkap0000', code: 'AGDX9' }]);
    const r = await call(dataUrl());
    expect(r.json.size).to.deep.equal([2, 2, 2, 2]);
    expect(r.json.dimension.ContentsCode.category.index).to.deep.equal({ KOSbelop0000: 0, KOSdemoUkjent: 1 });
    const d = decode(r.json);
    expect(d.get({ KOKkommuneregion0000: 'EAK', KOKartkap0000: 'AGD13', ContentsCode: 'KOSdemoUkjent', Tid: '2024' })).to.deep.equal({ value: null, status: '..' });
    const plain = decode((await call(dataUrl())).json);
    for (const c of plain.cells()) expect(d.get(c.coords)).to.deep.equal(c.cell);
    const concepts = s.api.metadata('12137').size[1];
    const m = (await call(`${s.url}/tables/12137/metadata`)).json;
    expect(m.dimension.KOKartkap0000.category.index.AGDX9).to.equal(concepts);
    expect(m.size[1]).to.equal(concepts + 1);
  });

  it('faults match by method too, and the request log records method, path, query, status, URL length and fault', async () => {
    s.setFaults([{ kind: 'status', status: 503, method: 'POST' }]);
    const before = s.requests.length;
    expect((await call(dataUrl())).status).to.equal(200);
    expect((await post(`${s.url}/tables/12137/data`, { selection: [] })).status).to.equal(503);
    const [g, p] = s.requests.slice(before);
    expect(g).to.include({ method: 'GET', path: '/api/pxwebapi/v2/tables/12137/data', status: 200 });
    expect(g.query).to.equal(SEL);
    expect(g.urlLength).to.equal(dataUrl().length);
    expect(p).to.include({ method: 'POST', status: 503, fault: 'status' });
  });

  it('rejects a malformed fault plan with a message that names the rule', () => {
    expect(() => s.setFaults([{ kind: 'explode' as never }])).to.throw(/faults\[0\]\.kind must be one of/);
    expect(() => s.setFaults([{ kind: 'reset', nth: 0 }])).to.throw('faults[0].nth must be a positive integer, but got: 0');
  });
});

describe('stand-in: sliding-window rate limit', function () {
  this.timeout(10000);

  it('answers 429 (with Retry-After when configured) once maxCalls are used in the window, and recovers', async () => {
    const s = await startStandin({ rateLimit: { maxCalls: 3, windowMs: 400, retryAfter: true } });
    try {
      const got = [];
      for (let i = 0; i < 4; i++) got.push(await call(`${s.url}/config`));
      expect(got.map((r) => r.status)).to.deep.equal([200, 200, 200, 429]);
      expect(got.map((r) => r.headers.get('x-ratelimit-remaining'))).to.deep.equal(['2', '1', '0', '0']);
      expect(got[3].headers.get('retry-after')).to.equal('1');
      expect(got[3].headers.get('x-ratelimit-policy')).to.equal('3;w=0.4s');
      expect(s.requests[3]).to.include({ status: 429, fault: 'rate-limit' });
      await new Promise((r) => setTimeout(r, 450));
      expect((await call(`${s.url}/config`)).status).to.equal(200);
    } finally {
      await s.close();
    }
  });

  it('defaults to SSB\'s 30 calls per 60 s, counted over PxWebApi and Klass together', async () => {
    const s = await startStandin();
    try {
      const first = await call(`${s.klassUrl}/classifications/131/changes.json?from=2019-01-01&to=2025-01-01`);
      expect(first.headers.get('x-ratelimit-policy')).to.equal('30;w=60s');
      expect(first.headers.get('x-ratelimit-remaining')).to.equal('29');
      const statuses: number[] = [];
      for (let i = 0; i < 30; i++) statuses.push((await call(`${s.url}/config`)).status);
      expect(statuses.filter((x) => x === 429)).to.have.length(1);
      expect(statuses[29]).to.equal(429);
    } finally {
      await s.close();
    }
  });
});
