/**
 * Rows read from the warehouse, checked at the boundary instead of cast: each query names the columns it expects
 * and their types, and a row that does not match (a migration out of step, a NULL where none is allowed, another
 * driver's types) fails with the query and the column rather than travelling on as a wrong type.
 */
export type ColumnType = 'string' | 'number' | 'boolean' | 'string?' | 'number?';

type TypeOf<C extends ColumnType> =
  C extends 'string' ? string
    : C extends 'number' ? number
      : C extends 'boolean' ? boolean
        : C extends 'string?' ? string | null
          : C extends 'number?' ? number | null
            : never;

export type RowSpec = Readonly<Record<string, ColumnType>>;
export type Row<S extends RowSpec> = { -readonly [K in keyof S]: TypeOf<S[K]> };

export class RowShapeError extends Error {
  constructor(what: string, column: string, expected: ColumnType, value: unknown) {
    super(`${what}: column ${column} should be ${expected}, but the database gave ${value === null ? 'NULL' : `${typeof value} ${JSON.stringify(value)}`}; ` +
      'the schema and the code disagree — run the migrations (npm run migrate) or report a bug');
    this.name = 'RowShapeError';
  }
}

/** Checks (and, for booleans stored as 0/1, converts) every row against `spec`. `what` names the query in errors. */
export function checkRows<S extends RowSpec>(spec: S, rows: readonly unknown[], what: string): Row<S>[] {
  const columns = Object.entries(spec);
  const booleans = columns.filter(([, t]) => t === 'boolean').map(([c]) => c);
  return rows.map((raw) => {
    if (typeof raw !== 'object' || raw === null) throw new RowShapeError(what, '(row)', 'string', raw);
    const row = raw as Record<string, unknown>;
    for (const [column, type] of columns) {
      const value = row[column];
      const ok = type === 'string' ? typeof value === 'string'
        : type === 'number' ? typeof value === 'number'
          : type === 'boolean' ? typeof value === 'boolean' || value === 0 || value === 1
            : type === 'string?' ? value === null || typeof value === 'string'
              : value === null || typeof value === 'number';
      if (!ok) throw new RowShapeError(what, column, type, value);
    }
    for (const column of booleans) row[column] = Boolean(row[column]);
    return row as Row<S>;
  });
}

/** One row or none (see `checkRows`). */
export function checkRow<S extends RowSpec>(spec: S, row: unknown, what: string): Row<S> | undefined {
  return row === undefined ? undefined : checkRows(spec, [row], what)[0];
}
