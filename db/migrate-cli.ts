#!/usr/bin/env node
/** `npm run migrate`: bring the warehouse schema up to date (the server and the ETL also do this on start). */
import { configOrExit } from '../core/config';
import { openWarehouse } from './data-source';
import { storeOptions } from './store';

async function main(): Promise<void> {
  const config = configOrExit('migrate');
  const ds = await openWarehouse(storeOptions(config));
  const applied = await ds.query<{ name: string }[]>('SELECT name FROM migrations ORDER BY id');
  process.stdout.write(`${config.databaseUrl ? 'PostgreSQL' : config.databasePath}: schema up to date (${applied.map((m) => m.name).join(', ')})\n`);
  await ds.destroy();
}

main().catch((error) => {
  process.stderr.write(`migrate: ${(error as Error).message}\n`);
  process.exit(1);
});
