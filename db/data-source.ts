import 'reflect-metadata';
import type BetterSqlite3 from 'better-sqlite3';
import { DataSource } from 'typeorm';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';
import { seedBuiltins } from './seed';

export interface DataSourceOptions {
  /** SQLite file path (from the configuration's DATABASE_PATH) or ':memory:' in tests; used when `url` is not set. */
  path: string;
  /** postgres://… (the configuration's DATABASE_URL): the warehouse is in PostgreSQL instead of the file. */
  url?: string | null;
  /** Log every SQL statement (TypeORM's logger). */
  logging?: boolean;
  /**
   * Migrate and seed (default). False for the API processes `npm start` forks: their primary has done it, and on
   * SQLite a migration transaction racing the first load's writes fails with "database is locked".
   */
  migrate?: boolean;
}

export type Engine = 'sqlite' | 'postgres';


/**
 * The warehouse DataSource. SQLite through better-sqlite3: WAL so readers never block the nightly load, and a busy
 * timeout so the API and the ETL (separate processes) wait for each other's short write locks instead of failing.
 * PostgreSQL through pg: TypeORM only migrates and seeds there (one connection); the store has its own pool.
 */
export function createDataSource(options: DataSourceOptions): DataSource {
  const common = {
    entities: ENTITIES, migrations: MIGRATIONS, migrationsTableName: 'migrations', synchronize: false, logging: options.logging ?? false,
  };
  if (options.url) {
    return new DataSource({ ...common, type: 'postgres', url: options.url, poolSize: 2, applicationName: 'kostra-warehouse migrations' });
  }
  return new DataSource({
    ...common,
    type: 'better-sqlite3',
    database: options.path,
    prepareDatabase: (db: BetterSqlite3.Database) => {
      db.pragma('journal_mode = WAL');
      db.pragma('busy_timeout = 10000');
      db.pragma('synchronous = NORMAL');
    },
  });
}

/**
 * Open, migrate and seed: the one way every entry point (server, ETL, worker, tests) gets a ready warehouse. On
 * PostgreSQL, replicas starting together would race to migrate: an advisory lock makes the others wait.
 */
export async function openWarehouse(options: DataSourceOptions): Promise<DataSource> {
  const ds = createDataSource(options);
  await ds.initialize();
  if (options.migrate === false) return ds;
  if (ds.options.type === 'postgres') {
    const runner = ds.createQueryRunner();
    await runner.connect();
    try {
      await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
      await ds.runMigrations({ transaction: 'all' });
      await seedBuiltins(ds);
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
      await runner.release();
    }
    return ds;
  }
  await ds.runMigrations({ transaction: 'all' });
  await seedBuiltins(ds);
  return ds;
}

/** Advisory lock keys of this product (one 64-bit key space per PostgreSQL database). */
export const MIGRATION_LOCK = 7_146_001;
export const ETL_LOCK = 7_146_002;

/** The better-sqlite3 handle under TypeORM, for prepared-statement bulk work where an ORM save per row is too slow. */
export function rawDatabase(ds: DataSource): BetterSqlite3.Database {
  if (ds.options.type !== 'better-sqlite3') throw new Error('rawDatabase is the SQLite handle; this warehouse is in PostgreSQL (use the store)');
  const connection = (ds.driver as unknown as { databaseConnection?: BetterSqlite3.Database }).databaseConnection;
  if (!connection) throw new Error('the DataSource is not initialised (call openWarehouse first)');
  return connection;
}
