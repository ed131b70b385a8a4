import type BetterSqlite3 from 'better-sqlite3';
import { checkRow, checkRows, type Row, type RowSpec } from '../../db/rows';

/**
 * All SQL the API runs goes through here, so a request can count its statements (the N+1 test does), every row is
 * checked against the columns the query expects, and the read side has one place to swap for another database.
 */
export class WarehouseReader {
  statements = 0;

  constructor(readonly db: BetterSqlite3.Database) {}

  rows<S extends RowSpec>(spec: S, sql: string, params: unknown[] = [], what = 'warehouse query'): Row<S>[] {
    this.statements++;
    return checkRows(spec, this.db.prepare(sql).all(...params), what);
  }

  row<S extends RowSpec>(spec: S, sql: string, params: unknown[] = [], what = 'warehouse query'): Row<S> | undefined {
    this.statements++;
    return checkRow(spec, this.db.prepare(sql).get(...params), what);
  }
}
