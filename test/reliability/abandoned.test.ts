import net from 'node:net';
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
    const { port } = new URL(h.url);
    // Whole requests whose sockets close at once: the server is still preparing each request's context.
    await Promise.all(Array.from({ length: 40 }, (_, i) => new Promise<void>((resolve) => {
      const body = JSON.stringify({ query: `# abandoned ${i}\n${query}` });
      const socket = net.connect(Number(port), '127.0.0.1', () => {
        socket.end(`POST /graphql HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
        socket.destroy();
      });
      socket.on('close', () => resolve());
      socket.on('error', () => resolve());
    })));
    await new Promise((r) => setTimeout(r, 500));
    if (h.warehouse.engine === 'postgres') {
      expect(await valueOf(h.warehouse.store, "SELECT COUNT(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND state = 'idle in transaction'")).to.equal(0);
    }
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => h.gql(`# after ${i}\n${query}`)));
    for (const a of answers) expect(a.body.errors, JSON.stringify(a.body.errors)).to.equal(undefined);
  });
});
