#!/usr/bin/env node
/**
 * `npm test`'s second pass: the warehouse, ETL, API and reliability suites again on PostgreSQL (TEST_ENGINE=postgres),
 * each test warehouse in a database of its own, created and dropped by the test. Skipped — saying so — only when
 * no PostgreSQL answers (TEST_DATABASE_URL, or the machine's at 127.0.0.1:5432).
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { projectRoot } from '../core/paths';
import { postgresAdminUrl } from './helpers/engines';
import { MOCHA_BIN } from './helpers/mocha-bin';

/**
 * The suites that read or write the warehouse; the rest (parsers, the stand-in, pages, and the HTTP edge — CORS,
 * ETag, CSV, /metrics, which reach the warehouse only through the GraphQL layer tested here) do not depend on it.
 */
export const ENGINE_SUITES = ['graphql', 'etl-e2e', 'reliability', 'security'];
/**
 * Tests that already run on both engines themselves (or only on PostgreSQL) in the first pass; the fuzz suite, which
 * attacks the request layer, the same on both engines (the hostile-input regressions run here too); and the
 * executor's tests, which compare graphql-jit with graphql-js over the same answers.
 */
const ALREADY_BOTH = ['reliability/replicas.test.js', 'graphql/examples-engines.test.js', 'security/fuzz.test.js', 'graphql/executor.test.js'];

async function main(): Promise<number> {
  if (!(await postgresAdminUrl())) {
    process.stdout.write('\nPostgreSQL pass skipped: no server answered (see above). SQLite results only.\n');
    return 0;
  }
  process.stdout.write('\nThe warehouse, ETL, API and reliability suites again, on PostgreSQL:\n');
  const dist = path.join(projectRoot(), 'dist', 'test');
  const result = spawnSync(process.execPath, [
    MOCHA_BIN,
    ...ENGINE_SUITES.map((s) => path.join(dist, s, '*.test.js')),
    ...ALREADY_BOTH.flatMap((f) => ['--ignore', path.join(dist, f)]),
  ], {
    stdio: 'inherit', cwd: projectRoot(),
    // The 20 s reload-while-reading test has run on SQLite already; on PostgreSQL 8 s shows the same (CI time).
    env: { ...process.env, TEST_ENGINE: 'postgres', RELIABILITY_SECONDS: process.env.RELIABILITY_SECONDS ?? '8' },
  });
  return result.status ?? 1;
}

main().then((code) => process.exit(code), (error: unknown) => {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exit(1);
});
