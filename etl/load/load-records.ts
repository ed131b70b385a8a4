import type BetterSqlite3 from 'better-sqlite3';
import type { LoadStatus } from '../../db/entities';

/** What one table's load did: the typed stage record the CLI prints, the API exposes and `load` stores. */
export interface LoadCounts {
  requests: number;
  retries: number;
  cells: number;
  inserted: number;
  updated: number;
  unchanged: number;
}

export const zeroCounts = (): LoadCounts => ({ requests: 0, retries: 0, cells: 0, inserted: 0, updated: 0, unchanged: 0 });

export class LoadRecords {
  constructor(private readonly db: BetterSqlite3.Database, private readonly now: () => Date = () => new Date()) {}

  /**
   * Loads left `running` by a process that died (SIGKILL, crash, power loss) are marked `interrupted`. Call only
   * while holding the ETL lock: then no other load can be running.
   */
  markInterrupted(): number {
    return this.db.prepare(`UPDATE load SET status = 'interrupted', finished_at = ?,
        error = 'the ETL process stopped before this load finished (killed, crashed or power lost); its facts were not written'
      WHERE status = 'running'`).run(this.now().toISOString()).changes;
  }

  start(runId: string, tableId: string, source: string, ssbUpdated: string | null, status: LoadStatus = 'running'): number {
    const at = this.now().toISOString();
    const info = this.db.prepare(`INSERT INTO load (run_id, table_id, source, status, started_at, finished_at, ssb_updated, pid)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?)`).run(runId, tableId, source, status, at, status === 'running' ? null : at, ssbUpdated, process.pid);
    return Number(info.lastInsertRowid);
  }

  finish(loadId: number, status: Exclude<LoadStatus, 'running'>, counts: LoadCounts, error: string | null = null): void {
    this.db.prepare(`UPDATE load SET status = ?, finished_at = ?, requests = ?, retries = ?, cells = ?, inserted = ?, updated = ?,
        unchanged = ?, error = ? WHERE id = ?`)
      .run(status, this.now().toISOString(), counts.requests, counts.retries, counts.cells, counts.inserted, counts.updated,
        counts.unchanged, error, loadId);
  }
}
