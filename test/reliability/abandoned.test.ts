import { expect } from 'chai';
import { example, startHarness, type Harness } from '../graphql/harness';
import { valueOf } from '../helpers/warehouse';

/**
 * Clients that go away before their answer (a load balancer's timeout, a closed tab) must not leave their read
 * snapshot open: on PostgreSQL each holds a pooled connection, and ten left idle in their transaction stop the API.
 */
describe('requests whose client goes away', function () {
  this.timeout(60_000);
  let h: Harness;
  before(async () => { h = await startHarness(); });
  after(async () => { await h?.close(); });

  it('end their read snapshot: 40 abandoned requests, then 20 at once are all answered', async () => {
    const query = example('01-status-index-2024');
    await Promise.all(Array.from({ length: 40 }, async (_, i) => {
      const controller = new AbortController();
      const sent = fetch(h.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: `# abandoned ${i}\n${query}` }), signal: controller.signal });
      setTimeout(() => controller.abort(), i % 4);
      await sent.catch(() => undefined);
    }));
    await new Promise((r) => setTimeout(r, 500));
    if (h.warehouse.engine === 'postgres') {
      expect(await valueOf(h.warehouse.store, "SELECT COUNT(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND state = 'idle in transaction'")).to.equal(0);
    }
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => h.gql(`# after ${i}\n${query}`)));
    for (const a of answers) expect(a.body.errors, JSON.stringify(a.body.errors)).to.equal(undefined);
  });
});
