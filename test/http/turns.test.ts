import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import express from 'express';
import { oneRequestPerTurn, TurnQueue } from '../../src/http/turns';

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Waits until `held` has a job (a request reached the middleware), for at most a bounded number of turns. */
async function untilHeld(held: unknown[]): Promise<void> {
  for (let turn = 0; held.length === 0; turn++) {
    if (turn > 100_000) throw new Error('the request never reached the turn queue');
    await nextTurn();
  }
}

/** A synchronous piece of work of fixed size (what a cold GraphQL request mostly is: SQLite, JSON, graphql-jit). */
function work(): string {
  let s = '';
  for (let i = 0; i < 2_000; i++) s = JSON.stringify({ i, s: s.slice(0, 64) });
  return s;
}

/** One keep-alive connection per agent, so each agent is one client connection. */
function post(port: number, agent: http.Agent): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: '/', method: 'POST', agent }, (res) => { res.resume(); res.on('end', () => resolve()); });
    req.on('error', reject);
    req.end();
  });
}

async function listen(app: express.Express): Promise<{ server: http.Server; port: number }> {
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

describe('turn-taking: requests start one per event-loop turn', () => {
  it('runs one queued job per turn, first come first served, and a job queued by a job goes to the back', async () => {
    const queue = new TurnQueue();
    const ran: string[] = [];
    queue.enqueue(() => { ran.push('a'); queue.enqueue(() => ran.push('d')); });
    queue.enqueue(() => ran.push('b'));
    queue.enqueue(() => ran.push('c'));
    expect(ran).to.deep.equal([]);
    const seen: string[][] = [];
    for (let turn = 0; turn < 5; turn++) { await nextTurn(); seen.push([...ran]); }
    expect(seen).to.deep.equal([['a'], ['a', 'b'], ['a', 'b', 'c'], ['a', 'b', 'c', 'd'], ['a', 'b', 'c', 'd']]);
    expect(queue.length).to.equal(0);
  });

  it('does not run a request whose client left while it waited for its turn', async () => {
    const held: (() => void)[] = [];
    let handled = 0;
    const app = express();
    app.use(oneRequestPerTurn({ enqueue: (job) => held.push(job) }), (_req, res) => { handled++; res.end('ok'); });
    const { server, port } = await listen(app);
    const serverSockets: import('node:net').Socket[] = [];
    server.on('connection', (s) => serverSockets.push(s));
    try {
      const agent = new http.Agent({ keepAlive: false });
      const req = http.request({ host: '127.0.0.1', port, path: '/', method: 'POST', agent });
      req.on('error', () => undefined);
      req.end();
      await untilHeld(held);
      const closed = new Promise<void>((resolve) => serverSockets[0].once('close', () => resolve()));
      req.destroy();
      await closed;
      held.shift()!();
      expect(handled).to.equal(0);

      const answered = post(port, agent); // the same path with a client that waits: it is run
      await untilHeld(held);
      held.shift()!();
      await answered;
      expect(handled).to.equal(1);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  // libuv accepts one new connection per event-loop turn. Without turn-taking a turn runs every waiting request, so
  // new connections are accepted one per round of the busy ones and the last waits about NEW × BUSY answers.
  it('answers a burst of new connections while busy ones keep asking, within about one round of the open connections', async function () {
    this.timeout(60_000);
    const BUSY = 20;
    const NEW = 20;
    const app = express();
    app.use(oneRequestPerTurn(), (_req, res) => { res.end(work()); });
    const { server, port } = await listen(app);
    let busyAnswers = 0;
    let stop = false;
    const busyAgents = Array.from({ length: BUSY }, () => new http.Agent({ keepAlive: true, maxSockets: 1 }));
    const loops = busyAgents.map(async (agent) => { while (!stop) { await post(port, agent); busyAnswers++; } });
    try {
      while (busyAnswers < 3 * BUSY) await new Promise((resolve) => setTimeout(resolve, 5));
      const before = busyAnswers;
      const waits = await Promise.all(Array.from({ length: NEW }, async () => {
        const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
        await post(port, agent);
        agent.destroy();
        return busyAnswers - before;
      }));
      // Each connection has at most one request queued, so the last new request waits behind at most BUSY + NEW
      // others, plus one busy answer per turn it waited to be accepted (NEW): without turn-taking it was ~200–400.
      expect(Math.max(...waits)).to.be.at.most(BUSY + 2 * NEW);
    } finally {
      stop = true;
      await Promise.all(loops);
      for (const agent of busyAgents) agent.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
