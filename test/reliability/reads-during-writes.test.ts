import { spawn } from 'node:child_process';
import path from 'node:path';
import { expect } from 'chai';
import { projectRoot } from '../../core/paths';
import { startHarness, type Harness } from '../graphql/harness';

const SECONDS = Number(process.env.RELIABILITY_SECONDS ?? 20);
const CLIENTS = 20;

describe('reads during writes', function () {
  this.timeout((SECONDS + 60) * 1000);
  let h: Harness;
  before(async () => { h = await startHarness(); });
  after(async () => { await h?.close(); });

  it(`${CLIENTS} clients querying for ${SECONDS} s while another process reloads: zero errors, every answer from exactly one version`, async () => {
    const child = spawn(process.execPath, [path.join(projectRoot(), 'dist', 'test', 'helpers', 'reload-loop.js')], {
      env: { ...process.env, ...h.warehouse.env, DURATION_MS: String(SECONDS * 1000) },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let childOut = '';
    child.stdout.on('data', (c: Buffer) => { childOut += c.toString(); });
    const childDone = new Promise<number | null>((r) => child.on('exit', r));

    const query = '{ metricSeries(metric: "resultatgrad_ssb", subjects: [{ municipality: "Bærum" }], years: { list: [2024] }) { series { points { value } } } warehouseStatus(loads: 1) { version } }';
    const valueByVersion = new Map<number, Set<number>>();
    const problems: string[] = [];
    let responses = 0;
    const until = Date.now() + SECONDS * 1000;
    await Promise.all(Array.from({ length: CLIENTS }, async () => {
      while (Date.now() < until) {
        const res = await h.gql(query);
        responses++;
        if (res.status !== 200 || res.body.errors) { problems.push(JSON.stringify(res.body.errors ?? res.status)); continue; }
        const version = res.body.extensions!.warehouse.version as number;
        if (res.body.data!.warehouseStatus.version !== version) problems.push(`data from version ${res.body.data!.warehouseStatus.version} in a response labelled ${version}`);
        const value = res.body.data!.metricSeries.series[0].points[0].value as number;
        if (!valueByVersion.has(version)) valueByVersion.set(version, new Set());
        valueByVersion.get(version)!.add(value);
      }
    }));
    expect(await childDone, childOut).to.equal(0);
    const reloads = Number(/RELOADS (\d+)/.exec(childOut)?.[1]);
    expect(problems.slice(0, 5)).to.deep.equal([]);
    expect(reloads, 'reloads during the test').to.be.at.least(3);
    expect(valueByVersion.size, 'versions seen').to.be.at.least(3);
    for (const [version, values] of valueByVersion) {
      expect([...values], `values seen for version ${version}`).to.have.length(1);
      expect([2.3, 3.3]).to.include([...values][0]);
    }
    expect(responses).to.be.greaterThan(CLIENTS * SECONDS);
  });
});
