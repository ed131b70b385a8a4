import type BetterSqlite3 from 'better-sqlite3';
import type { DataSource } from 'typeorm';
import type { Engine } from '../../db/data-source';
import { openStore, type Sql, type WarehouseStore } from '../../db/store';
import { SqliteSql } from '../../db/store/sqlite';
import { freshLocation, type EngineLocation } from './engines';

export interface TestWarehouse {
  engine: Engine;
  store: WarehouseStore;
  ds: DataSource;
  /** SQLite only: the raw handle, for tests that look at or damage the file underneath the store. */
  readonly db: BetterSqlite3.Database;
  /** SQLite: the file; PostgreSQL: ''. */
  path: string;
  /** What a child process (server, worker, ETL) needs to open the same warehouse. */
  env: Record<string, string>;
  close(): Promise<void>;
}

/**
 * The engine of this test run: `npm test` runs the warehouse, ETL, API and reliability suites once on SQLite and once
 * with TEST_ENGINE=postgres (see test/run-engines.ts).
 */
export function testEngine(): Engine {
  return process.env.TEST_ENGINE === 'postgres' ? 'postgres' : 'sqlite';
}

/**
 * A migrated warehouse on `engine` (default: this run's; SQLite in a fresh temporary file — not :memory:, so child
 * processes can open it too; PostgreSQL: a fresh database, dropped by close), empty or a copy of `copyOf`.
 */
export async function openTestWarehouse(engine: Engine = testEngine(), copyOf?: EngineLocation): Promise<TestWarehouse> {
  const location = await freshLocation(engine, copyOf);
  const store = await openStore(location.options);
  return {
    engine, store, ds: store.dataSource, path: location.options.path, env: location.env,
    get db() {
      if (!(store instanceof SqliteSql)) throw new Error('this test reads the SQLite file directly; on PostgreSQL use the store');
      return store.db;
    },
    async close() {
      await store.close();
      await location.drop();
    },
  };
}

/** Every fact as one comparable string per row (for "nothing changed" assertions), the same on both engines. */
export async function factSnapshot(sql: Sql): Promise<string[]> {
  const rows = await sql.all({ k: 'string', y: 'number', r: 'string', a: 'string', v: 'number?', s: 'string?', l: 'number' },
    `SELECT i.key AS k, f.year AS y, f.region_code AS r, f.service_area_code AS a, f.value AS v, f.status AS s, f.load_id AS l
    FROM fact f JOIN indicator i ON i.id = f.indicator_id ORDER BY ${sql.binary('i.key')}, f.year, ${sql.binary('f.region_code')}, ${sql.binary('f.service_area_code')}`);
  return rows.map((r) => JSON.stringify([r.k, r.y, r.r, r.a, r.v, r.s, r.l]));
}

/**
 * Every fact's value, for tests that compute an expected answer from the stored figures: a synchronous lookup
 * (indicator key, region code, year, service area — default the whole municipality) over one read of the store.
 */
export async function factLookup(sql: Sql): Promise<(indicator: string, region: string, year: number, area?: string) => number | null> {
  const rows = await sql.all({ k: 'string', r: 'string', y: 'number', a: 'string', v: 'number?' },
    'SELECT i.key AS k, f.region_code AS r, f.year AS y, f.service_area_code AS a, f.value AS v FROM fact f JOIN indicator i ON i.id = f.indicator_id');
  const values = new Map(rows.map((x) => [`${x.k}|${x.r}|${x.y}|${x.a}`, x.v]));
  return (indicator, region, year, area = 'ALL') => values.get(`${indicator}|${region}|${year}|${area}`) ?? null;
}

/** Rows of an ad-hoc query, unchecked, for assertions (use lower-case column names: both engines return them as written). */
export function rowsOf(sql: Sql, query: string, params: unknown[] = []): Promise<Record<string, any>[]> {
  return sql.all({}, query, params, 'test query') as Promise<Record<string, any>[]>;
}

/** The first column of the first row (undefined when there is none). */
export async function valueOf(sql: Sql, query: string, params: unknown[] = []): Promise<any> {
  const [row] = await rowsOf(sql, query, params);
  return row === undefined ? undefined : Object.values(row)[0];
}
