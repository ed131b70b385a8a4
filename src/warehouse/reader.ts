import type { Row, RowSpec } from '../../db/rows';
import type { Sql } from '../../db/store';

/**
 * All SQL the API runs goes through here, so a request can count its statements (the N+1 test does), every row is
 * checked against the columns the query expects, every statement runs in the request's one read snapshot, and none
 * starts once the request has ended.
 */
export class WarehouseReader {
  statements = 0;

  /** `ended`: aborted when the request has answered or its client left; no statement starts after that. */
  constructor(readonly sql: Sql, private readonly ended: AbortSignal) {}

  async rows<S extends RowSpec>(spec: S, sql: string, params: unknown[] = [], what = 'warehouse query'): Promise<Row<S>[]> {
    this.ended.throwIfAborted();
    this.statements++;
    return this.sql.all(spec, sql, params, what);
  }

  async row<S extends RowSpec>(spec: S, sql: string, params: unknown[] = [], what = 'warehouse query'): Promise<Row<S> | undefined> {
    this.ended.throwIfAborted();
    this.statements++;
    return this.sql.get(spec, sql, params, what);
  }

  /** See Sql.binary: text ordered the same way on every engine. */
  binary(expr: string): string {
    return this.sql.binary(expr);
  }
}
