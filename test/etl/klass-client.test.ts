import { expect } from 'chai';
import { KlassClient, type KlassClientOptions } from '../../etl/klass/client';
import { SsbApiError } from '../../etl/pxweb/errors';
import { RateLimiter } from '../../etl/pxweb/rate-limiter';
import { PxWebClient } from '../../etl/pxweb/client';
import { FakeClock } from '../helpers/fake-clock';
import { sendJson, startLocalServer, type Handler, type LocalServer } from '../helpers/local-server';

const changes = {
  codeChanges: [
    { oldCode: '0219', oldName: 'Bærum', newCode: '3024', newName: 'Bærum', changeOccurred: '2020-01-01' },
    { oldCode: '3024', oldName: 'Bærum', newCode: '3201', newName: 'Bærum', changeOccurred: '2024-01-01' },
  ],
};

describe('klass client', () => {
  let server: LocalServer | undefined;
  let clock: FakeClock;

  async function setup(handler: Handler, options: Partial<KlassClientOptions> = {}): Promise<KlassClient> {
    server = await startLocalServer(handler);
    clock = new FakeClock({ autoAdvance: true, start: Date.now() });
    return new KlassClient({ baseUrl: `${server.origin}/api/klass/v1`, clock, random: () => 0.5, timeoutMs: 2000, ...options });
  }

  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('reads municipality code changes between two dates', async () => {
    const client = await setup((_req, res) => sendJson(res, 200, changes));
    expect(await client.changes('2019-01-01', '2025-01-01')).to.deep.equal(changes.codeChanges);
    expect(server!.requests[0].url).to.equal('/api/klass/v1/classifications/131/changes.json?from=2019-01-01&to=2025-01-01');
    expect(server!.requests[0].headers.accept).to.equal('application/json');
  });

  it('drops change rows without both codes and keeps the rest', async () => {
    const client = await setup((_req, res) =>
      sendJson(res, 200, { codeChanges: [{ oldCode: null, oldName: null, newCode: '5501', newName: 'Tromsø', changeOccurred: '2024-01-01' }, ...changes.codeChanges] }),
    );
    expect(await client.changes('2019-01-01', '2025-01-01')).to.have.length(2);
  });

  it('turns a plain-text 404 into a clear terminal error', async () => {
    const client = await setup((_req, res) => {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('Classification not found: 131');
    });
    const err = (await client.changes('2019-01-01', '2025-01-01').catch((e: unknown) => e)) as SsbApiError;
    expect(err).to.be.instanceOf(SsbApiError);
    expect(err.transient).to.equal(false);
    expect(err.message).to.equal(
      'SSB Klass answered 404 "Classification not found: 131" for GET /classifications/131/changes.json: check the classification id and the dates',
    );
    expect(server!.requests).to.have.length(1);
  });

  it('retries a 503 like the statistics client', async () => {
    const client = await setup((_req, res, i) => (i === 0 ? sendJson(res, 503, '') : sendJson(res, 200, changes)));
    expect(await client.changes('2019-01-01', '2025-01-01')).to.have.length(2);
    expect(client.stats()).to.deep.equal({ requests: 2, retries: 1 });
  });

  it('retries an answer without codeChanges, then reports it', async () => {
    const client = await setup((_req, res) => sendJson(res, 200, { _embedded: {} }), { maxRetries: 0 });
    const err = (await client.changes('2019-01-01', '2025-01-01').catch((e: unknown) => e)) as Error;
    expect((err.cause as Error).message).to.equal(
      'SSB Klass answered 200 for GET /classifications/131/changes.json with an unexpected body: changes answer has no codeChanges array; retried; if it persists the response format changed',
    );
  });

  it('rejects a date that is not YYYY-MM-DD before calling', async () => {
    const client = await setup((_req, res) => sendJson(res, 200, changes));
    expect(() => client.changes('2019', '2025-01-01')).to.throw(TypeError, 'fromDate must be a date as YYYY-MM-DD, but got: "2019"');
    expect(server!.requests).to.have.length(0);
  });

  it('shares one rate limiter with the statistics client', async () => {
    server = await startLocalServer((req, res) => sendJson(res, 200, req.url.includes('klass') ? changes : { maxDataCells: 800000, maxCallsPerTimeWindow: 0, timeWindow: 0 }));
    clock = new FakeClock({ autoAdvance: true, start: 0 });
    const limiter = new RateLimiter({ maxCalls: 1, windowMs: 60_000, clock });
    const klass = new KlassClient({ baseUrl: `${server.origin}/api/klass/v1`, clock, limiter });
    const px = new PxWebClient({ baseUrl: `${server.origin}/api/pxwebapi/v2`, clock, limiter });
    await klass.changes('2019-01-01', '2025-01-01');
    await px.config();
    expect(clock.now()).to.equal(60_000);
  });
});
