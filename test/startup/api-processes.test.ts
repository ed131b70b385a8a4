/**
 * API_PROCESSES > 1: `npm start` loads in its first process and serves from that many forked API processes on one
 * port (issue 11: use every core). Refreshes asked of an API process run once, in the loading process; an API
 * process that dies is replaced; SIGTERM stops them all.
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
    await waitFor('ready', () => (run.logs.some((l) => l.msg === 'ready') ? true : undefined));
  });
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
