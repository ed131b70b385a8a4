import { openWarehouse, rawDatabase, type DataSourceOptions } from '../data-source';
import { PgStore } from './postgres';
import { SqliteStore } from './sqlite';
import type { WarehouseStore } from './types';

export * from './types';
export { insertRows, ROWS_PER_STATEMENT } from './insert-rows';

export interface StoreOptions extends DataSourceOptions {
  /** Hears of errors that cannot be thrown to a caller (a read snapshot that could not be ended, a dropped idle connection). */
  onError?: (error: unknown) => void;
}

/**
 * The one way every entry point opens the warehouse: migrate and seed (TypeORM), then the store of the engine the
 * configuration names — PostgreSQL when `url` (DATABASE_URL) is set, the SQLite file `path` otherwise.
 */
export async function openStore(options: StoreOptions): Promise<WarehouseStore> {
  const ds = await openWarehouse(options);
  if (options.url) return PgStore.open(options.url, ds, options.onError);
  return new SqliteStore(ds, rawDatabase(ds), options.path, options.onError);
}

/** The options of the configured warehouse (DATABASE_URL wins over DATABASE_PATH). */
export function storeOptions(config: { databasePath: string; databaseUrl: string | null }): DataSourceOptions {
  return { path: config.databasePath, url: config.databaseUrl };
}
