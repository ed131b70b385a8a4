import Database from 'better-sqlite3';
import type BetterSqlite3 from 'better-sqlite3';

/**
 * Read-only connections for API requests, each request inside its own read transaction. In WAL mode a read
 * transaction sees one committed state from its first statement to its end, so every answer is computed from
 * exactly one warehouse version, even while a load commits (in this process or in the ETL worker's).
 * Connections are reused; the pool grows with concurrency and keeps a few idle ones.
 */
export class ReadPool {
  private readonly idle: BetterSqlite3.Database[] = [];
  private closed = false;

  constructor(private readonly file: string, private readonly maxIdle = 8) {
    if (file === ':memory:' || file === '') throw new Error('the API needs a database file (not :memory:) to open read connections');
  }

  acquire(): Lease {
    if (this.closed) throw new Error('the read pool is closed');
    const db = this.idle.pop() ?? this.open();
    statements(db).begin.run();
    let released = false;
    return {
      db,
      release: () => {
        if (released) return;
        released = true;
        try {
          if (db.inTransaction) statements(db).commit.run();
        } finally {
          if (this.closed || this.idle.length >= this.maxIdle) db.close();
          else this.idle.push(db);
        }
      },
    };
  }

  close(): void {
    this.closed = true;
    for (const db of this.idle.splice(0)) db.close();
  }

  private open(): BetterSqlite3.Database {
    const db = new Database(this.file, { readonly: true, fileMustExist: true });
    db.pragma('busy_timeout = 10000');
    return db;
  }
}

export interface Lease {
  db: BetterSqlite3.Database;
  release: () => void;
}

const prepared = new WeakMap<BetterSqlite3.Database, { begin: BetterSqlite3.Statement; commit: BetterSqlite3.Statement }>();
function statements(db: BetterSqlite3.Database) {
  let s = prepared.get(db);
  if (!s) prepared.set(db, (s = { begin: db.prepare('BEGIN DEFERRED'), commit: db.prepare('COMMIT') }));
  return s;
}
