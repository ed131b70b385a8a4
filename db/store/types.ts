import type { DataSource } from 'typeorm';
import type { Row, RowSpec } from '../rows';
import type { Engine } from '../data-source';

export type { Engine };

/**
 * Statements on one connection (a transaction, a read snapshot, or autocommit). SQL is written once with `?`
 * placeholders and the column names of the migrations; each engine adapts what differs (PostgreSQL's `$n`
 * placeholders and lower-cased aliases, SQLite's 0/1 booleans). Every row is checked against `spec`.
 */
export interface Sql {
  readonly engine: Engine;
  all<S extends RowSpec>(spec: S, sql: string, params?: readonly unknown[], what?: string): Promise<Row<S>[]>;
  get<S extends RowSpec>(spec: S, sql: string, params?: readonly unknown[], what?: string): Promise<Row<S> | undefined>;
  /** Runs a statement; resolves to the number of rows it changed. */
  run(sql: string, params?: readonly unknown[]): Promise<number>;
  /** `expr` ordered and compared byte by byte (SQLite's way); PostgreSQL's default collation orders by language. */
  binary(expr: string): string;
}

/** A request's read snapshot: every statement sees one committed warehouse version. */
export interface ReadLease {
  sql: Sql;
  /** Ends the snapshot and returns the connection; never throws (errors go to the store's onError). */
  release(): Promise<void>;
}

/** One table's facts for the merge, as the normalize stage holds them (columnar, codes interned). */
export interface FactRows {
  readonly length: number;
  /** indicator id, year, region code, service area code, value (null = none), SSB status symbol (null = none). */
  at(i: number): [number, number, string, string, number | null, string | null];
}

/** Held while a process loads; released by the run. */
export interface AdvisoryLock {
  release(): Promise<void>;
}

/**
 * The warehouse as the API, the ETL and the tools see it, whichever engine holds it. Reads go through `beginRead`
 * (one consistent snapshot per request) or the autocommit statements; writes through `write` (one transaction);
 * the fact merge and the ETL lock are each engine's own best way.
 */
export interface WarehouseStore extends Sql {
  /** Where the data is, for log lines (a file path, or the PostgreSQL URL without its password). */
  readonly location: string;
  /** TypeORM's DataSource, which migrated and seeded the warehouse (tests compare its entities with the schema). */
  readonly dataSource: DataSource;
  /** Runs `fn` in one write transaction: committed when it resolves, rolled back when it throws. */
  write<T>(fn: (tx: Sql) => Promise<T>): Promise<T>;
  /** A read snapshot (SQLite: a WAL read transaction; PostgreSQL: REPEATABLE READ, read only). */
  beginRead(): Promise<ReadLease>;
  /**
   * Inserts or updates facts inside `tx`, writing only rows whose value or status changed; resolves to the number
   * of rows written (inserted + updated).
   */
  upsertFacts(tx: Sql, facts: FactRows, loadId: number): Promise<number>;
  /** PostgreSQL: a session advisory lock (null when another session holds it). SQLite has none: it returns undefined. */
  tryAdvisoryLock(key: number): Promise<AdvisoryLock | null | undefined>;
  close(): Promise<void>;
}

/** Runs `fn` in a read snapshot of its own. */
export async function inSnapshot<T>(store: WarehouseStore, fn: (sql: Sql) => Promise<T>): Promise<T> {
  const lease = await store.beginRead();
  try { return await fn(lease.sql); } finally { await lease.release(); }
}
