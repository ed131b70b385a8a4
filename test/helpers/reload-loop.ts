/**
 * A separate ETL process that keeps reloading the warehouse at DATABASE_PATH for DURATION_MS, alternating between
 * the demo data and a revision of table 12134 (+1 on every value), so each reload makes a new version whose
 * figures differ. Prints `RELOADS n` when done.
 */
import fs from 'node:fs';
import { openStore, storeOptions } from '../../db/store';
import { createDemoSource } from '../../etl/demo';
import { runEtl } from '../../etl/pipeline';
import { revisedSource } from './revised-source';

async function main() {
  const store = await openStore(storeOptions({ databasePath: process.env.DATABASE_PATH ?? '', databaseUrl: process.env.DATABASE_URL || null }));
  const until = Date.now() + Number(process.env.DURATION_MS ?? 20_000);
  let n = 0;
  while (Date.now() < until) {
    const demo = createDemoSource();
    const source = n % 2 === 0 ? revisedSource(demo, '12134', 1, `2027-01-01T00:00:${String(n % 60).padStart(2, '0')}Z`) : demo;
    const result = await runEtl({ store, source, history: demo, tables: ['12134'], force: true });
    if (!result.ok) throw new Error(`reload ${n} failed: ${JSON.stringify(result.tables.map((t) => t.error))}`);
    n++;
  }
  fs.writeSync(1, `RELOADS ${n}\n`);
  await store.close();
}

main().catch((e) => { fs.writeSync(1, `ERROR ${(e as Error).message}\n`); process.exit(1); });
