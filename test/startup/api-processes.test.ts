/**
 * API_PROCESSES > 1: `npm start` loads in its first process and serves from that many forked API processes on one
 * port (issue 11: use every core). No API process is ready before the first load has finished; refreshes asked of an
 * API process run once, in the loading process; an API process that dies is replaced; SIGTERM stops them all.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { gql, start, waitFor, type Running } from './main-process';

const TOKEN = 'api-processes-token-0123456789';

describe('npm start with API_PROCESSES=2 (node:cluster)', function () {
  this.timeout(120_000);
  let dir: string;
  let run: Running;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kostra-cluster-'));
    run = start({ DATABASE_PATH: path.join(dir, 'w.sqlite'), KOSTRA_SOURCE: 'demo', API_PROCESSES: '2', ADMIN_TOKEN: TOKEN });
    run.port = await waitFor('the listening port', () => run.logs.find((l) => l.port && l.apiProcesses)?.port as number | undefined);
    // /readyz through the first load, as a load balancer would ask it
    while (!run.logs.some((l) => l.msg === 'ready')) {
      const res = await fetch(`http://127.0.0.1:${run.port}/readyz`);
      readiness.push({ http: res.status, ...(await res.json() as { version?: number; reason?: string }) });
      await new Promise((r) => setTimeout(r, 20));
    }
  });
  const readiness: { http: number; version?: number; reason?: string }[] = [];
  after(async () => {
    if (run.child.exitCode === null) run.child.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const apiProcesses = () => run.logs.filter((l) => l.msg === 'API process serving').map((l) => l.pid as number);

  it('serves from two API processes besides the loading one, on one port', async () => {
    expect(new Set(apiProcesses()).size).to.equal(2);
    expect(apiProcesses()).to.not.include(run.child.pid);
    const body = await gql(run.port, '{ years }');
    expect(body.data.years).to.include(2024);
  });

  it('no API process says ready while the first load is still running, and each does once it has finished', async () => {
    const loaded = await fetch(`http://127.0.0.1:${run.port}/readyz`).then((r) => r.json()) as { version: number };
    expect(readiness.filter((r) => r.http === 503).map((r) => r.reason), 'asked during the load').to.include('the first load is still running');
    // A process that said ready before the load had finished would show an earlier warehouse version (each table
    // commits on its own); before this was fixed, API processes said ready at versions 1 to 13 of 14.
    expect(readiness.filter((r) => r.http === 200).map((r) => r.version)).to.satisfy((versions: number[]) => versions.every((v) => v === loaded.version));
    for (let i = 0; i < 6; i++) expect((await fetch(`http://127.0.0.1:${run.port}/readyz`)).status, `after the load, request ${i}`).to.equal(200);
  });

  it('a refresh asked of an API process runs once, in the loading process', async () => {
    const asked = await gql(run.port, 'mutation { refreshWarehouse(force: true) { started message } }', { authorization: `Bearer ${TOKEN}` });
    expect(asked.data.refreshWarehouse.started, asked.data.refreshWarehouse.message).to.equal(true);
    const runs = await waitFor('the requested run to finish', async () => {
      const r = (await gql(run.port, '{ warehouseStatus { runs { reason status } } }')).data.warehouseStatus.runs as { reason: string; status: string }[];
      const requested = r.filter((x) => x.reason.startsWith('api'));
      return requested.length && requested.every((x) => x.status !== 'RUNNING') ? requested : undefined;
    });
    expect(runs).to.have.length(1);
    expect(runs[0].status).to.equal('SUCCEEDED');
  });

  it('an API process that dies is replaced, and the API keeps answering', async () => {
    const [victim] = apiProcesses();
    process.kill(victim, 'SIGKILL');
    await waitFor('a replacement', () => (new Set(apiProcesses()).size >= 3 ? true : undefined));
    expect(run.logs.some((l) => /API process \d+ ended \(SIGKILL\); starting another/.test(String(l.msg)))).to.equal(true);
    for (let i = 0; i < 6; i++) expect((await gql(run.port, `{ years } # ${i}`)).data.years).to.include(2024);
    // the replacement heard that the first load is over
    for (let i = 0; i < 6; i++) expect((await fetch(`http://127.0.0.1:${run.port}/readyz`)).status, `request ${i}`).to.equal(200);
  });

  it('SIGTERM stops the API processes and the loading process cleanly', async () => {
    const pids = [...new Set(apiProcesses())];
    run.child.kill('SIGTERM');
    expect(await run.exited).to.equal(0);
    for (const pid of pids) {
      expect(() => process.kill(pid, 0), `API process ${pid} is gone`).to.throw();
    }
  });
});
