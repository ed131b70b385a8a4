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

  /**
   * `onError` hears of a transaction that could not be ended (a damaged file, a connection closed underneath):
   * release runs when a response closes, where a throw would be an uncaught exception that ends the process.
   */
  constructor(private readonly file: string, private readonly maxIdle = 8, private readonly onError: (error: unknown) => void = () => {}) {
    if (file === ':memory:' || file === '') throw new Error('the API needs a database file (not :memory:) to open read connections');
  }

  acquire(): Lease {
    if (this.closed) throw new Error('the read pool is closed');
    const db = this.idle.pop() ?? this.open();
    try {
      statements(db).begin.run();
    } catch (error) {
      discard(db);
      throw error;
    }
    let released = false;
    return {
      db,
      release: () => {
        if (released) return;
        released = true;
        let healthy = db.open;
        if (healthy && db.inTransaction) {
          try {
            statements(db).commit.run();
          } catch (error) {
            healthy = false;
            this.onError(error);
          }
        } else if (!healthy) {
          this.onError(new Error('a read connection was closed while its request still held it'));
        }
        // A connection whose transaction failed may still hold its read lock or a broken state: never reuse it.
        if (!healthy || this.closed || this.idle.length >= this.maxIdle) discard(db);
        else this.idle.push(db);
      },
    };
  }

  close(): void {
    this.closed = true;
    for (const db of this.idle.splice(0)) discard(db);
  }

  private open(): BetterSqlite3.Database {
    const db = new Database(this.file, { readonly: true, fileMustExist: true });
    db.pragma('busy_timeout = 10000');
    return db;
  }
}

function discard(db: BetterSqlite3.Database): void {
  try {
    if (db.open) db.close();
  } catch { /* closing releases what SQLite can release; nothing more can be done for this connection */ }
}

export interface Lease {
  db: BetterSqlite3.Database;
  /** Ends the read transaction and returns the connection; never throws (errors go to the pool's onError). */
  release: () => void;
}

const prepared = new WeakMap<BetterSqlite3.Database, { begin: BetterSqlite3.Statement; commit: BetterSqlite3.Statement }>();
function statements(db: BetterSqlite3.Database) {
  let s = prepared.get(db);
  if (!s) prepared.set(db, (s = { begin: db.prepare('BEGIN DEFERRED'), commit: db.prepare('COMMIT') }));
  return s;
}
