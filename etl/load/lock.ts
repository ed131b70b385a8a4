import os from 'node:os';
import type BetterSqlite3 from 'better-sqlite3';
import { checkRow } from '../../db/rows';

const LOCK_NAME = 'etl';
/** A lock held by another host is considered abandoned when its heartbeat is older than this. */
const STALE_AFTER_MS = 10 * 60_000;
const HEARTBEAT_MS = 30_000;

export class EtlBusyError extends Error {
  constructor(readonly holder: { pid: number; host: string; runId: string; since: string }) {
    super(`another ETL run is loading (run ${holder.runId}, pid ${holder.pid} on ${holder.host}, since ${holder.since}). ` +
      'Only one load may run at a time: wait for it to finish (npm run etl -- --status shows progress).');
    this.name = 'EtlBusyError';
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface EtlLock {
  readonly runId: string;
  release(): void;
}

/**
 * Takes the ETL lock in the database (one row in etl_lock), so two processes — a CLI run and the nightly
 * worker, say — can never load at once. A lock whose owner process is gone (killed, crashed, power loss) is
 * taken over; on another host, one whose heartbeat stopped for 10 minutes is.
 */
export function acquireEtlLock(db: BetterSqlite3.Database, runId: string, now: () => Date = () => new Date()): EtlLock {
  const host = os.hostname();
  const take = db.transaction(() => {
    const row = checkRow({ owner_pid: 'number', owner_host: 'string', run_id: 'string', acquired_at: 'string', heartbeat_at: 'string' },
      db.prepare('SELECT owner_pid, owner_host, run_id, acquired_at, heartbeat_at FROM etl_lock WHERE name = ?').get(LOCK_NAME), 'ETL lock');
    if (row) {
      const sameHost = row.owner_host === host;
      const alive = sameHost
        ? processAlive(row.owner_pid)
        : now().getTime() - Date.parse(row.heartbeat_at) < STALE_AFTER_MS;
      if (alive) throw new EtlBusyError({ pid: row.owner_pid, host: row.owner_host, runId: row.run_id, since: row.acquired_at });
      db.prepare('DELETE FROM etl_lock WHERE name = ?').run(LOCK_NAME);
    }
    const at = now().toISOString();
    db.prepare('INSERT INTO etl_lock (name, owner_pid, owner_host, run_id, acquired_at, heartbeat_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(LOCK_NAME, process.pid, host, runId, at, at);
  });
  take.immediate();

  const heartbeat = setInterval(() => {
    try {
      db.prepare('UPDATE etl_lock SET heartbeat_at = ? WHERE name = ? AND run_id = ?').run(now().toISOString(), LOCK_NAME, runId);
    } catch { /* the next beat tries again; a missed beat only matters after 10 minutes */ }
  }, HEARTBEAT_MS);
  heartbeat.unref();

  let released = false;
  return {
    runId,
    release() {
      if (released) return;
      released = true;
      clearInterval(heartbeat);
      db.prepare('DELETE FROM etl_lock WHERE name = ? AND run_id = ?').run(LOCK_NAME, runId);
    },
  };
}
