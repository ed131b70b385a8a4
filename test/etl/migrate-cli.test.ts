import { MIGRATIONS } from '../../db/migrations';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { projectRoot } from '../../core/paths';

describe('npm run migrate', () => {
  it('creates the schema in a new file, says which migrations are applied, and is idempotent', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kostra-migrate-'));
    try {
      const run = () => spawnSync(process.execPath, [path.join(projectRoot(), 'dist', 'db', 'migrate-cli.js')], { env: { ...process.env, DATABASE_PATH: path.join(dir, 'w.sqlite') }, encoding: 'utf8' });
      for (let i = 0; i < 2; i++) {
        const r = run();
        expect(r.status, r.stderr).to.equal(0);
        expect(r.stdout).to.equal(`${path.join(dir, 'w.sqlite')}: schema up to date (${MIGRATIONS.map((m) => m.name).join(', ')})\n`);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
