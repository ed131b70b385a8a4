/**
 * A separate ETL process for crash tests: runs one ETL run against the stand-in (env SSB_API_URL, KLASS_API_URL)
 * into DATABASE_PATH (or DATABASE_URL's PostgreSQL), printing FETCHING when the first data request starts and, with
 * STALL_IN_MERGE=1, MERGING after a thousand fact upserts (PostgreSQL: after the staged facts are merged, before the
 * commit) — then it stalls inside the transaction so the parent can SIGKILL it there.
 */
import fs from 'node:fs';
import Database from 'better-sqlite3';
import { openStore, storeOptions } from '../../db/store';
import { PgStore } from '../../db/store/postgres';
import { runEtl } from '../../etl/pipeline';
import { fastClients } from './fast-clients';

const say = (line: string) => fs.writeSync(1, `${line}\n`);

const stall = () => {
  say('MERGING');
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 30_000);
};

if (process.env.STALL_IN_MERGE === '1' && process.env.DATABASE_URL) {
  // eslint-disable-next-line @typescript-eslint/unbound-method -- called with the instance's `this` below
  const upsert = PgStore.prototype.upsertFacts;
  PgStore.prototype.upsertFacts = async function (this: PgStore, ...args: Parameters<PgStore['upsertFacts']>) {
    const changed = await upsert.apply(this, args);
    stall();
    return changed;
  };
} else if (process.env.STALL_IN_MERGE === '1') {
  // eslint-disable-next-line @typescript-eslint/unbound-method -- called with the instance's `this` below
  const prepare = Database.prototype.prepare;
  Database.prototype.prepare = function (this: Database.Database, sql: string) {
    const statement = prepare.call(this, sql);
    if (!sql.trimStart().startsWith('INSERT INTO fact')) return statement;
    const run = statement.run.bind(statement);
    let n = 0;
    (statement as { run: unknown }).run = (...args: unknown[]) => {
      if (++n === 1000) stall();
      return (run as (...a: unknown[]) => unknown)(...args);
    };
    return statement;
  } as typeof prepare;
}

async function main() {
  const store = await openStore(storeOptions({ databasePath: process.env.DATABASE_PATH ?? '', databaseUrl: process.env.DATABASE_URL || null }));
  const { source, history } = fastClients({ url: process.env.SSB_API_URL!, klassUrl: process.env.KLASS_API_URL! }, { timeoutMs: 30_000 });
  const result = await runEtl({
    store, source, history, force: process.env.FORCE === '1',
    progress: { tableStarted: () => say('FETCHING') },
  });
  say(`DONE ${result.ok ? 'ok' : 'failed'}`);
  await store.close();
}

main().catch((e) => { say(`ERROR ${(e as Error).message}`); process.exit(1); });
