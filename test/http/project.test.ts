import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { CONFIG_VARIABLES, loadConfig } from '../../core/config';
import { projectRoot } from '../../core/paths';

const root = projectRoot();
const read = (file: string) => fs.readFileSync(path.join(root, file), 'utf8');
const pkg = JSON.parse(read('package.json')) as { scripts: Record<string, string>; license: string; overrides?: Record<string, string>; engines: { node: string } };

/** Does `version` satisfy an npm `engines` range? The forms the lock file holds: >=, >, <, <=, ^, ~, x/*, ||, spaces. */
export function satisfies(version: string, range: string): boolean {
  const [major, minor, patch] = version.replace(/^v/, '').split('.').map(Number);
  const cmp = (a: number[], b: number[]) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
  const v = [major, minor, patch];
  const comparator = (text: string): boolean => {
    if (text === '' || text === '*' || text === 'x') return true;
    const m = /^(>=|<=|>|<|\^|~|=)?v?(\d+|x|\*)(?:\.(\d+|x|\*))?(?:\.(\d+|x|\*))?$/.exec(text);
    if (!m) throw new Error(`engines range not understood: ${text}`);
    const op = m[1] ?? '';
    const parts = [m[2], m[3], m[4]];
    const given = parts.findIndex((p) => p === undefined || p === 'x' || p === '*');
    const n = given < 0 ? 3 : given;
    const low = parts.map((p, i) => (i < n ? Number(p) : 0));
    const nextUp = (level: number) => low.map((x, i) => (i < level ? x : i === level ? x + 1 : 0));
    switch (op) {
      case '>=': return cmp(v, low) >= 0;
      case '>': return n === 3 ? cmp(v, low) > 0 : cmp(v, nextUp(n - 1)) >= 0;
      case '<': return cmp(v, low) < 0;
      case '<=': return n === 3 ? cmp(v, low) <= 0 : cmp(v, nextUp(n - 1)) < 0;
      case '^': return cmp(v, low) >= 0 && cmp(v, nextUp(low[0] > 0 || n === 1 ? 0 : low[1] > 0 || n === 2 ? 1 : 2)) < 0;
      case '~': return cmp(v, low) >= 0 && cmp(v, nextUp(n === 1 ? 0 : 1)) < 0;
      default: return n === 3 ? cmp(v, low) === 0 : cmp(v, low) >= 0 && cmp(v, nextUp(n - 1)) < 0;
    }
  };
  return range.split('||').some((alternative) =>
    alternative.trim().replace(/(>=|<=|>|<|\^|~|=)\s+/g, '$1').split(/\s+/).every(comparator));
}

describe('the project at the edge: scripts, configuration files, licence, engines', function () {
  this.timeout(30_000);

  describe('npm scripts', () => {
    it('start, serve, etl, worker, migrate and standin run the compiled output without compiling; install builds it', () => {
      for (const name of ['start', 'serve', 'etl', 'worker', 'migrate', 'standin']) {
        const script = pkg.scripts[name];
        expect(script, name).to.match(/^node dist\/\S+\.js$/);
        expect(fs.existsSync(path.join(root, script.split(' ')[1])), script).to.equal(true);
      }
      expect(pkg.scripts.prepare).to.equal('npm run build');
      expect(pkg.scripts.build).to.match(/^tsc /);
      // The test command still compiles first: it tests the code as it is now, then runs both passes.
      expect(pkg.scripts.test).to.equal('npm run build --silent && npm run lint --silent && node dist/test/run-suites.js');
      expect(fs.existsSync(path.join(root, 'dist', 'test', 'run-suites.js'))).to.equal(true);
    });

    it('`etl --help` prints the usage without loading the ETL, the database layer or the configuration', () => {
      const run = spawnSync(process.execPath, ['-r', path.join(__dirname, 'loaded-modules.js'), path.join(root, 'dist', 'etl', 'cli.js'), '--help'], { encoding: 'utf8' });
      expect(run.status).to.equal(0);
      expect(run.stdout).to.match(/^Usage: npm run etl -- \[options\]/);
      const loaded = JSON.parse(/LOADED (.*)/.exec(run.stderr)![1]) as string[];
      const heavy = loaded.filter((f) => /node_modules[\\/](typeorm|zod|better-sqlite3|node-cron|pino)[\\/]|dist[\\/](db[\\/](data-source|migrations|entities)|etl[\\/]pipeline|core[\\/]config)/.test(f));
      expect(heavy).to.deep.equal([]);
      // The same program, asked to work, does load them (the filter above would notice them).
      const status = spawnSync(process.execPath, ['-r', path.join(__dirname, 'loaded-modules.js'), path.join(root, 'dist', 'etl', 'cli.js'), '--status'], {
        encoding: 'utf8', env: { ...process.env, DATABASE_PATH: path.join(root, 'missing-folder', 'w.sqlite') },
      });
      expect(status.status).to.equal(2);
      expect(status.stderr).to.contain('DATABASE_PATH');
      expect((JSON.parse(/LOADED (.*)/.exec(status.stderr)![1]) as string[]).some((f) => /node_modules[\\/]zod[\\/]/.test(f))).to.equal(true);
    });
  });

  describe('.env.example and README', () => {
    const example = new Map([...read('.env.example').matchAll(/^# ([A-Z_]+)=(.*)$/gm)].map((m) => [m[1], m[2]]));

    it('.env.example lists every variable of core/config.ts, each with a comment saying what it means', () => {
      expect([...example.keys()].sort()).to.deep.equal([...CONFIG_VARIABLES].sort());
      const lines = read('.env.example').split('\n');
      for (const name of CONFIG_VARIABLES) {
        const at = lines.findIndex((l) => l.startsWith(`# ${name}=`));
        expect(lines[at - 1], name).to.match(/^# \S/);
      }
    });

    it('the values in .env.example are the defaults: setting them all changes nothing', () => {
      const given = Object.fromEntries([...example].filter(([, v]) => v !== ''));
      expect(loadConfig(given, { dotenv: false })).to.deep.equal(loadConfig({}, { dotenv: false }));
    });

    it('README\'s configuration table lists every variable', () => {
      const readme = read('README.md');
      for (const name of CONFIG_VARIABLES) expect(readme, name).to.match(new RegExp(`^\\| \`${name}\` \\|`, 'm'));
    });

    it('every example operation says how to read its numbers', () => {
      const dir = path.join(root, 'schema', 'examples');
      for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.graphql'))) {
        expect(fs.readFileSync(path.join(dir, file), 'utf8'), file).to.match(/^# How to read it: /m);
      }
    });
  });

  it('LICENSE is the MIT licence of package.json, for the kostra-warehouse contributors', () => {
    expect(pkg.license).to.equal('MIT');
    const license = read('LICENSE');
    expect(license).to.match(/^MIT License\n\nCopyright \(c\) 2026 kostra-warehouse contributors\n/);
    expect(license).to.contain('THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND');
  });

  describe('engines', () => {
    it('the range check reads npm\'s forms', () => {
      expect(satisfies('20.20.2', '>=20 <23')).to.equal(true);
      expect(satisfies('20.20.2', '>=22.15.0')).to.equal(false);
      expect(satisfies('20.20.2', '^18.18.0 || ^20.9.0 || >=21.1.0')).to.equal(true);
      expect(satisfies('20.20.2', '^20.19.0 || ^22.13.0 || >=24')).to.equal(true);
      expect(satisfies('20.18.0', '^20.19.0 || ^22.13.0 || >=24')).to.equal(false);
      expect(satisfies('20.20.2', '20.x || 22.x')).to.equal(true);
      expect(satisfies('21.0.0', '20 || >=22')).to.equal(false);
      expect(satisfies('20.20.2', '>= 10.x')).to.equal(true);
      expect(satisfies('20.20.2', '>=16 || 14 >=14.17')).to.equal(true);
      expect(satisfies('20.20.2', '~20.19.0')).to.equal(false);
    });

    it('every locked package accepts this Node (npm warns EBADENGINE otherwise); promise-helpers is pinned for Node 20', () => {
      expect(satisfies(process.version, pkg.engines.node)).to.equal(true);
      const lock = JSON.parse(read('package-lock.json')) as { packages: Record<string, { version?: string; engines?: { node?: string } | string[] }> };
      const refused = Object.entries(lock.packages)
        .filter(([, p]) => p.engines && !Array.isArray(p.engines) && p.engines.node && !satisfies(process.version, p.engines.node))
        .map(([name, p]) => `${name}@${p.version}: ${(p.engines as { node: string }).node}`);
      expect(refused).to.deep.equal([]);
      expect(pkg.overrides?.['@whatwg-node/promise-helpers']).to.equal('1.3.2');
      const helpers = Object.entries(lock.packages).filter(([name]) => name.endsWith('node_modules/@whatwg-node/promise-helpers'));
      expect(helpers.map(([, p]) => p.version)).to.deep.equal(['1.3.2']);
    });
  });
});
