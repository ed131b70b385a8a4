import 'reflect-metadata';
import type BetterSqlite3 from 'better-sqlite3';
import { DataSource } from 'typeorm';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';
import { seedBuiltins } from './seed';

export interface DataSourceOptions {
  /** File path (from the configuration's DATABASE_PATH) or ':memory:' in tests. */
  path: string;
  /** Log every SQL statement (TypeORM's logger). */
  logging?: boolean;
}

/**
 * The warehouse DataSource: SQLite through better-sqlite3, WAL so readers never block the nightly load, and a busy
 * timeout so the API and the ETL (separate processes) wait for each other's short write locks instead of failing.
 */
export function createDataSource(options: DataSourceOptions): DataSource {
  return new DataSource({
    type: 'better-sqlite3',
    database: options.path,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    synchronize: false,
    logging: options.logging ?? false,
    prepareDatabase: (db: BetterSqlite3.Database) => {
      db.pragma('journal_mode = WAL');
      db.pragma('busy_timeout = 10000');
      db.pragma('synchronous = NORMAL');
    },
  });
}

/** Open, migrate and seed: the one way every entry point (server, ETL, worker, tests) gets a ready warehouse. */
export async function openWarehouse(options: DataSourceOptions): Promise<DataSource> {
  const ds = createDataSource(options);
  await ds.initialize();
  await ds.runMigrations({ transaction: 'all' });
  await seedBuiltins(ds);
  return ds;
}

/** The better-sqlite3 handle under TypeORM, for prepared-statement bulk work where an ORM save per row is too slow. */
export function rawDatabase(ds: DataSource): BetterSqlite3.Database {
  const connection = (ds.driver as unknown as { databaseConnection?: BetterSqlite3.Database }).databaseConnection;
  if (!connection) throw new Error('the DataSource is not initialised (call openWarehouse first)');
  return connection;
}
