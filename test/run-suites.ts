#!/usr/bin/env node
/**
 * `npm test` after the build and lint: every test on SQLite, and the warehouse suites again on PostgreSQL
 * (run-engines.ts), side by side. Each pass keeps about one core busy, so on the 2-core CI machine the two took
 * 6.7 minutes together against 12 one after the other. The SQLite pass prints as it runs; the PostgreSQL pass's
 * output is kept and printed whole when it is done, so the two never interleave. TEST_SEQUENTIAL=1 runs them one
 * after the other, both printing as they run (a one-core machine, or reading a failure as it happens).
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { projectRoot } from '../core/paths';
import { MOCHA_BIN } from './helpers/mocha-bin';

const root = projectRoot();
const SQLITE_PASS = [MOCHA_BIN, 'dist/test/**/*.test.js'];
const POSTGRES_PASS = [path.join(root, 'dist', 'test', 'run-engines.js')];

/** Runs node with `args`; resolves with its exit code (1 when it was killed by a signal). */
function run(args: string[], output: 'live' | Buffer[]): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: root, stdio: output === 'live' ? 'inherit' : ['ignore', 'pipe', 'pipe'] });
    if (output !== 'live') {
      child.stdout!.on('data', (chunk: Buffer) => output.push(chunk));
      child.stderr!.on('data', (chunk: Buffer) => output.push(chunk));
    }
    child.on('error', (error) => { process.stderr.write(`could not start ${args[0]}: ${error.message}\n`); resolve(1); });
    child.on('close', (code) => resolve(code ?? 1));
  });
}

async function main(): Promise<number> {
  if (process.env.TEST_SEQUENTIAL === '1') {
    const sqlite = await run(SQLITE_PASS, 'live');
    const postgres = await run(POSTGRES_PASS, 'live');
    return sqlite || postgres;
  }
  process.stdout.write('The PostgreSQL pass runs beside this one; its report follows this one.\n');
  const kept: Buffer[] = [];
  const postgresDone = run(POSTGRES_PASS, kept);
  const sqlite = await run(SQLITE_PASS, 'live');
  const postgres = await postgresDone;
  process.stdout.write(Buffer.concat(kept));
  if (sqlite || postgres) {
    process.stdout.write(`\nnpm test failed: ${[sqlite ? 'the SQLite pass' : '', postgres ? 'the PostgreSQL pass' : ''].filter(Boolean).join(' and ')} (exit codes ${sqlite}, ${postgres}).\n`);
  }
  return sqlite || postgres;
}

main().then((code) => process.exit(code), (error: unknown) => {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exit(1);
});
