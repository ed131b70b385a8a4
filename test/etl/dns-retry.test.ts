import dns from 'node:dns';
import http from 'node:http';
import type { LookupFunction } from 'node:net';
import { expect } from 'chai';
import { PxWebClient } from '../../etl/pxweb/client';
import { startStandin, type Standin } from '../standin/server';

/**
 * A resolver that answers like one that lost its upstream for a moment: the first `failures` look-ups fail with
 * `code`, then the name resolves to the local stand-in.
 */
function flakyLookup(code: string, failures: number): { lookup: LookupFunction; calls: () => number } {
  let calls = 0;
  const lookup = (hostname: string, options: dns.LookupOptions, callback: (err: NodeJS.ErrnoException | null, address: string | dns.LookupAddress[], family?: number) => void) => {
    calls++;
    if (calls <= failures) {
      callback(Object.assign(new Error(`getaddrinfo ${code} ${hostname}`), { code, hostname, syscall: 'getaddrinfo' }), '', 4);
      return;
    }
    if (options.all) callback(null, [{ address: '127.0.0.1', family: 4 }]);
    else callback(null, '127.0.0.1', 4);
  };
  return { lookup, calls: () => calls };
}

describe('transient DNS errors are retried like other network errors', () => {
  let standin: Standin;
  before(async () => { standin = await startStandin({ port: 0 }); });
  after(async () => { await standin.close(); });

  for (const code of ['ENOTFOUND', 'EAI_AGAIN']) {
    it(`${code} twice, then the name resolves: the request succeeds after two retries`, async () => {
      const { lookup, calls } = flakyLookup(code, 2);
      const port = new URL(standin.url).port;
      const client = new PxWebClient({
        baseUrl: `http://ssb.example.test:${port}/api/pxwebapi/v2`, httpAgent: new http.Agent({ lookup }), maxRetries: 3, baseDelayMs: 1, maxDelayMs: 5,
      });
      const config = await client.config();
      expect(config.maxDataCells).to.be.a('number');
      expect(calls()).to.equal(3);
      expect(client.stats().retries).to.equal(2);
    });
  }

  it('ENOTFOUND that never ends: gives up after the retries, naming the code and SSB_API_URL', async () => {
    const { lookup } = flakyLookup('ENOTFOUND', Infinity);
    const client = new PxWebClient({ baseUrl: 'http://ssb.example.test/api/pxwebapi/v2', httpAgent: new http.Agent({ lookup }), maxRetries: 2, baseDelayMs: 1, maxDelayMs: 5 });
    const error = await client.config().then(() => null, (e: Error) => e);
    expect(error?.message).to.match(/^Gave up after 3 attempts: SSB did not answer GET \/config \(ENOTFOUND: getaddrinfo ENOTFOUND ssb\.example\.test\).*SSB_API_URL$/);
  });
});
