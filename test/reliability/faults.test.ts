import { expect } from 'chai';
import { runEtl } from '../../etl/pipeline';
import { startStandin, type FaultRule, type Standin } from '../standin/server';
import { fastClients } from '../helpers/fast-clients';
import { factSnapshot, openTestWarehouse, rowsOf, valueOf, type TestWarehouse } from '../helpers/warehouse';

const PATH = '/tables/12134/data';

interface Case {
  name: string;
  rule: Omit<FaultRule, 'times' | 'path'>;
  /** What the failure must name when the fault never stops; null when the load cannot fail from it. */
  cause: RegExp | null;
}

const CASES: Case[] = [
  { name: '429 with Retry-After', rule: { kind: 'status', status: 429, retryAfter: 1 }, cause: /429/ },
  { name: '429 without Retry-After', rule: { kind: 'status', status: 429 }, cause: /429/ },
  { name: 'a burst of 503s', rule: { kind: 'status', status: 503 }, cause: /503/ },
  { name: 'connection resets', rule: { kind: 'reset' }, cause: /socket hang up|ECONNRESET|reset/i },
  { name: 'answers slower than the timeout', rule: { kind: 'slow', delayMs: 1_000 }, cause: /timeout|timed out|ECONNABORTED/i },
  { name: 'truncated bodies', rule: { kind: 'truncate' }, cause: /JSON|truncated|incomplete|aborted/i },
  { name: 'json-stat2 whose sizes and values disagree', rule: { kind: 'badSizes' }, cause: /size|value/i },
  { name: 'a category code the catalogue does not know', rule: { kind: 'extraCode' }, cause: /not requested/ },
];

describe('faults from SSB during a load', function () {
  this.timeout(60_000);
  let standin: Standin;
  let w: TestWarehouse;
  let snapshot: string[];
  const duplicates = () => valueOf(w.store, `SELECT COUNT(*) AS n FROM (SELECT 1 AS one FROM fact
    GROUP BY indicator_id, year, region_code, service_area_code HAVING COUNT(*) > 1) d`);
  const reload = () => runEtl({ store: w.store, ...fastClients(standin, { timeoutMs: 300, maxRetries: 4 }), tables: ['12134'], force: true });

  before(async () => {
    // the catalogue reads every financial concept from 12137, as in the legacy layout
    standin = await startStandin({ port: 0, rateLimit: { maxCalls: 100_000, windowMs: 60_000 } });
    w = await openTestWarehouse();
    expect((await runEtl({ store: w.store, ...fastClients(standin) })).ok).to.equal(true);
    snapshot = (await factSnapshot(w.store));
  });
  after(async () => {
    await standin.close();
    await w.close();
  });
  afterEach(async () => {
    standin.setFaults([]);
    expect((await factSnapshot(w.store)), 'the previous facts are intact').to.deep.equal(snapshot);
    expect(await duplicates(), 'no fact written twice').to.equal(0);
  });

  for (const c of CASES) {
    if (c.rule.kind !== 'extraCode') {
      it(`${c.name}, twice: the load succeeds after bounded retries`, async () => {
        standin.setFaults([{ ...c.rule, path: PATH, times: 2 }]);
        const result = await reload();
        expect(result.ok, JSON.stringify(result.tables[0].error)).to.equal(true);
        expect(result.tables[0].retries).to.be.at.least(2);
        expect([result.tables[0].inserted, result.tables[0].updated]).to.deep.equal([0, 0]);
      });
    }

    it(`${c.name}, without end: the load fails with a record naming the cause`, async () => {
      standin.setFaults([{ ...c.rule, path: PATH, times: Infinity }]);
      const result = await reload();
      const t = result.tables[0];
      expect(result.ok).to.equal(false);
      expect(t.status).to.equal('failed');
      expect(t.error).to.match(c.cause!);
      const [record] = await rowsOf(w.store, 'SELECT status, error, requests FROM load WHERE id = ?', [t.loadId]);
      expect(record.status).to.equal('failed');
      expect(record.error).to.equal(t.error);
      // bounded: the first attempt plus at most maxRetries more for the failing request, and the table/metadata calls
      expect(record.requests).to.be.at.most(2 + 5);
    });
  }
});
