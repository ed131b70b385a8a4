import type { Sql } from './types';

/**
 * Rows per statement. The widest caller binds 7 columns: 3 500 parameters, far below SQLite's 32 766 and
 * PostgreSQL's 65 535, and few enough rows that no statement text grows large.
 */
export const ROWS_PER_STATEMENT = 500;

/**
 * `INSERT INTO table (columns) VALUES (…), (…) …` in statements of ROWS_PER_STATEMENT rows, with `tail` (an
 * ON CONFLICT clause) after each. One round trip per row would dominate a load on a database server. With
 * `ON CONFLICT … DO UPDATE`, the rows of one call must not repeat a key: PostgreSQL refuses to update a row twice
 * in one statement.
 */
export async function insertRows(tx: Sql, table: string, columns: readonly string[], rows: readonly (readonly unknown[])[], tail = ''): Promise<void> {
  const one = `(${columns.map(() => '?').join(', ')})`;
  for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
    const chunk = rows.slice(i, i + ROWS_PER_STATEMENT);
    await tx.run(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ${chunk.map(() => one).join(', ')} ${tail}`, chunk.flat());
  }
}
