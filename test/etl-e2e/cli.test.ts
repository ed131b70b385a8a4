import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { projectRoot } from '../../core/paths';
import { startStandin, type Standin } from '../standin/server';

const CLI = path.join(projectRoot(), 'dist', 'etl', 'cli.js');

describe('npm run etl (the CLI)', function () {
  this.timeout(60_000);
  let standin: Standin;
  let dir: string;
  before(async () => {
    // the catalogue reads every financial concept from 12137, as in the legacy layout
    standin = await startStandin({ port: 0, rateLimit: { maxCalls: 10_000, windowMs: 60_000 } });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kostra-cli-'));
  });
  after(async () => {
    await standin.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const cli = (...args: string[]) => new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      env: { ...process.env, DATABASE_PATH: path.join(dir, 'w.sqlite'), SSB_API_URL: standin.url, KLASS_API_URL: standin.klassUrl, LOG_LEVEL: 'silent',
        // the stand-in allows 10 000 calls a minute; at SSB's 30 the twelve tables would wait a minute for the window
        SSB_CALLS_PER_MINUTE: '1000' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => { stdout += c.toString(); });
    child.stderr.on('data', (c: Buffer) => { stderr += c.toString(); });
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });

  it('--dry-run prints the plan per table and the total against the lower bound, and writes nothing', async () => {
    const r = await cli('--dry-run');
    expect(r.code).to.equal(0);
    expect(r.stdout).to.contain('Request plan (live); nothing was requested or written.');
    expect(r.stdout).to.match(/table 12362: [\d,]+ cells, 1 request\(s\) \(lower bound 1, limit 800,000 cells each\)/);
    expect(r.stdout).to.contain('total: 12 data request(s), lower bound 12');
    expect((await cli('--status')).stdout).to.equal('No loads yet. Run `npm run etl` to load the catalogue.\n');
  });

  it('loads with a summary per table and exits 0; --status then lists the loads', async () => {
    const r = await cli();
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.match(/^ETL run \S+ \(live\) succeeded in [\d.]+ s$/m);
    for (const t of ['12134', '12137', '12364', '12143', '12362', '07459', '11977', '12562', '11996', '12219', '12275', '12292']) expect(r.stdout).to.match(new RegExp(`^${t}\\s+succeeded\\s+1/1\\s+`, 'm'));
    expect(r.stderr, 'progress lines when not on a terminal').to.contain('table 12134: 1 request(s)');
    expect(r.stdout).to.match(/^reconciliation with SSB's published figures:$/m);
    expect(r.stdout).to.match(/^\s+resultatgrad\s+\d+ of \d+\s+agree with resultatgrad_ssb \(100\.00 %\)/m);
    const status = (await cli('--status')).stdout.split('\n');
    expect(status[0]).to.equal('Recent runs:');
    expect(status[1]).to.match(/^ {2}\S+ succeeded \(live, cli\) started /);
    const loads = status.slice(status.indexOf('Recent loads:') + 1);
    expect(loads[0]).to.match(/^load\s+run\s+table\s+source\s+status/);
    const succeeded = loads.filter((l) => /\bsucceeded\b/.test(l));
    expect(succeeded.map((l) => l.trim().split(/\s+/)[2]).sort()).to.deep.equal(['07459', '11977', '11996', '12134', '12137', '12143', '12219', '12275', '12292', '12362', '12364', '12562', 'curated', 'derived']);
    expect(status).to.include('Reconciliation with SSB\'s published figures (latest per metric):');
    expect(r.stdout).to.match(/^curated inputs: loaded, \d+ need-index rows, \d+ deflator rows \(DEMO values\)$/m);
  });

  it('exits 1 when a table fails, naming the error', async () => {
    standin.setFaults([{ kind: 'status', status: 400, path: '/tables/12134/data', times: Infinity }]);
    try {
      const r = await cli('--table', '12134', '--force');
      expect(r.code).to.equal(1);
      expect(r.stdout).to.match(/^12134\s+failed/m);
      expect(r.stdout).to.contain('problems:\n  - table 12134 failed: SSB answered 400');
    } finally {
      standin.setFaults([]);
    }
  });

  it('refuses unknown options and tables with what is allowed', async () => {
    const bad = await cli('--bogus');
    expect(bad.code).to.equal(2);
    expect(bad.stderr).to.contain("Unknown option '--bogus'");
    expect(bad.stderr).to.contain('Usage: npm run etl -- [options]');
    const table = await cli('--table', '99999');
    expect(table.code).to.equal(1);
    expect(table.stderr).to.equal('etl: unknown table 99999: the catalogue has 12134, 12137, 12364, 12143, 12362, 07459, 11977, 12562, 11996, 12219, 12275, 12292\n');
  });
});
