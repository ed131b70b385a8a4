#!/usr/bin/env node
/** `npm run migrate`: bring the warehouse schema up to date (the server and the ETL also do this on start). */
import { openWarehouse } from './data-source';
import { databasePath } from './paths';

async function main(): Promise<void> {
  const ds = await openWarehouse();
  const applied = (await ds.query('SELECT name FROM migrations ORDER BY id')) as { name: string }[];
  process.stdout.write(`${databasePath()}: schema up to date (${applied.map((m) => m.name).join(', ')})\n`);
  await ds.destroy();
}

main().catch((error) => {
  process.stderr.write(`migrate: ${(error as Error).message}\n`);
  process.exit(1);
});
