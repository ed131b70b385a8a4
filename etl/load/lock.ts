import os from 'node:os';
import { ETL_LOCK } from '../../db/data-source';
import type { Sql, WarehouseStore } from '../../db/store';
import { processAlive } from '../process-alive';

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


export interface EtlLock {
  readonly runId: string;
  release(): Promise<void>;
}

const HOLDER = { owner_pid: 'number', owner_host: 'string', run_id: 'string', acquired_at: 'string', heartbeat_at: 'string' } as const;
const holderRow = (sql: Sql) => sql.get(HOLDER, 'SELECT owner_pid, owner_host, run_id, acquired_at, heartbeat_at FROM etl_lock WHERE name = ?', [LOCK_NAME], 'ETL lock');

/**
 * Takes the ETL lock, so two processes — a CLI run and the nightly worker, say, or workers on two hosts — can never
 * load at once. PostgreSQL: a session advisory lock, which the server releases itself when the holder's connection
 * ends (killed, crashed, host lost), with a row in etl_lock saying who holds it. SQLite: the row in etl_lock is the
 * lock; one whose owner process is gone is taken over, and on another host one whose heartbeat stopped for 10 minutes.
 */
export async function acquireEtlLock(store: WarehouseStore, runId: string, now: () => Date = () => new Date()): Promise<EtlLock> {
  const host = os.hostname();
  const advisory = await store.tryAdvisoryLock(ETL_LOCK);
  if (advisory === null) {
    const row = await holderRow(store);
    throw new EtlBusyError(row
      ? { pid: row.owner_pid, host: row.owner_host, runId: row.run_id, since: row.acquired_at }
      : { pid: 0, host: 'another host', runId: 'unknown', since: 'now' });
  }
  await store.write(async (tx) => {
    const row = await holderRow(tx);
    if (row && !advisory) {
      const sameHost = row.owner_host === host;
      const alive = sameHost
        ? processAlive(row.owner_pid)
        : now().getTime() - Date.parse(row.heartbeat_at) < STALE_AFTER_MS;
      if (alive) throw new EtlBusyError({ pid: row.owner_pid, host: row.owner_host, runId: row.run_id, since: row.acquired_at });
    }
    // Under the advisory lock a row left behind is a dead holder's: the server already released its lock.
    await tx.run('DELETE FROM etl_lock WHERE name = ?', [LOCK_NAME]);
    const at = now().toISOString();
    await tx.run('INSERT INTO etl_lock (name, owner_pid, owner_host, run_id, acquired_at, heartbeat_at) VALUES (?, ?, ?, ?, ?, ?)',
      [LOCK_NAME, process.pid, host.slice(0, 200), runId, at, at]);
  }).catch(async (error: unknown) => {
    await advisory?.release();
    throw error;
  });

  const heartbeat = setInterval(() => {
    store.run('UPDATE etl_lock SET heartbeat_at = ? WHERE name = ? AND run_id = ?', [now().toISOString(), LOCK_NAME, runId])
      .catch(() => { /* the next beat tries again; a missed beat only matters after 10 minutes */ });
  }, HEARTBEAT_MS);
  heartbeat.unref();

  let released = false;
  return {
    runId,
    async release() {
      if (released) return;
      released = true;
      clearInterval(heartbeat);
      try {
        await store.run('DELETE FROM etl_lock WHERE name = ? AND run_id = ?', [LOCK_NAME, runId]);
      } finally {
        await advisory?.release();
      }
    },
  };
}
