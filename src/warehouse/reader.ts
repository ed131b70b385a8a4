import type BetterSqlite3 from 'better-sqlite3';

/**
 * All SQL the API runs goes through here, so a request can count its statements (the N+1 test does) and so the
 * read side has one place to swap for another database.
 */
export class WarehouseReader {
  statements = 0;

  constructor(readonly db: BetterSqlite3.Database) {}

  all<T>(sql: string, params: unknown[] = []): T[] {
    this.statements++;
    return this.db.prepare(sql).all(...params) as T[];
  }

  get<T>(sql: string, params: unknown[] = []): T | undefined {
    this.statements++;
    return this.db.prepare(sql).get(...params) as T | undefined;
  }
}
