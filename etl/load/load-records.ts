import os from 'node:os';
import type BetterSqlite3 from 'better-sqlite3';
import type { LoadStatus, RunStatus } from '../../db/entities';

/** What one table's load did: the typed stage record the CLI prints, the API exposes and `load` stores. */
export interface LoadCounts {
  requests: number;
  retries: number;
  cells: number;
  inserted: number;
  updated: number;
  unchanged: number;
  /** Facts SSB no longer publishes (a code, year or service area gone from the table), deleted by this load. */
  removed: number;
}

export const zeroCounts = (): LoadCounts => ({ requests: 0, retries: 0, cells: 0, inserted: 0, updated: 0, unchanged: 0, removed: 0 });

const INTERRUPTED = 'the ETL process stopped before this finished (killed, crashed or power lost); nothing of it was written';

/** One record per table per run (`load`), finished in the same transaction as the table's facts. */
export class LoadRecords {
  constructor(private readonly db: BetterSqlite3.Database, private readonly now: () => Date = () => new Date()) {}

  /**
   * Loads and runs left `running` by a process that died (SIGKILL, crash, power loss) are marked `interrupted`.
   * Call only while holding the ETL lock: then no other load can be running.
   */
  markInterrupted(): number {
    const at = this.now().toISOString();
    const loads = this.db.prepare(`UPDATE load SET status = 'interrupted', finished_at = ?, error = ? WHERE status = 'running'`).run(at, INTERRUPTED).changes;
    this.db.prepare(`UPDATE etl_run SET status = 'interrupted', finished_at = ?, error = ? WHERE status = 'running'`).run(at, INTERRUPTED);
    return loads;
  }

  start(runId: string, tableId: string, source: string, ssbUpdated: string | null, status: LoadStatus = 'running', selectionHash: string | null = null): number {
    const at = this.now().toISOString();
    const info = this.db.prepare(`INSERT INTO load (run_id, table_id, source, status, started_at, finished_at, ssb_updated, selection_hash, pid)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(runId, tableId, source, status, at, status === 'running' ? null : at, ssbUpdated, selectionHash, process.pid);
    return Number(info.lastInsertRowid);
  }

  finish(loadId: number, status: Exclude<LoadStatus, 'running'>, counts: LoadCounts, error: string | null = null): void {
    this.db.prepare(`UPDATE load SET status = ?, finished_at = ?, requests = ?, retries = ?, cells = ?, inserted = ?, updated = ?,
        unchanged = ?, removed = ?, error = ? WHERE id = ?`)
      .run(status, this.now().toISOString(), counts.requests, counts.retries, counts.cells, counts.inserted, counts.updated,
        counts.unchanged, counts.removed, error, loadId);
  }
}

/**
 * One record per ETL run (`etl_run`), started before anything else the run does and finished whatever happens, so
 * a refresh that fails before any table — SSB or Klass unreachable, a broken curated file, a full disk — still
 * shows in warehouseStatus with its cause.
 */
export class RunRecords {
  constructor(private readonly db: BetterSqlite3.Database, private readonly now: () => Date = () => new Date()) {}

  start(runId: string, source: string, reason: string): void {
    this.db.prepare(`INSERT INTO etl_run (id, source, reason, status, started_at, pid, host) VALUES (?, ?, ?, 'running', ?, ?, ?)`)
      .run(runId, source, reason.slice(0, 64), this.now().toISOString(), process.pid, os.hostname().slice(0, 200));
  }

  finish(runId: string, status: Exclude<RunStatus, 'running'>, problems: readonly string[], error: string | null = null): void {
    this.db.prepare('UPDATE etl_run SET status = ?, finished_at = ?, problems = ?, error = ? WHERE id = ?')
      .run(status, this.now().toISOString(), problems.length ? JSON.stringify(problems) : null, error, runId);
  }

  /**
   * The finished record of a run whose own process could not write it (the database refused, the process died):
   * finishes the record the run started, or writes it whole when there is none. A record already finished stays.
   */
  settle(run: SettledRun): void {
    this.db.transaction(() => {
      const problems = run.problems.length ? JSON.stringify(run.problems) : null;
      const finishedAt = run.finishedAt ?? this.now().toISOString();
      const existing = this.db.prepare('SELECT status FROM etl_run WHERE id = ?').get(run.id) as { status: string } | undefined;
      if (!existing) {
        this.db.prepare(`INSERT INTO etl_run (id, source, reason, status, started_at, finished_at, pid, host, error, problems)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
          .run(run.id, run.source, run.reason.slice(0, 64), run.status, run.startedAt, finishedAt, run.pid, os.hostname().slice(0, 200), run.error, problems);
      } else if (existing.status === 'running') {
        this.db.prepare('UPDATE etl_run SET status = ?, finished_at = ?, problems = ?, error = ? WHERE id = ?').run(run.status, finishedAt, problems, run.error, run.id);
      }
    }).immediate();
  }
}

/** A run's whole record, as `settle` writes it. */
export interface SettledRun {
  id: string;
  source: string;
  reason: string;
  status: Exclude<RunStatus, 'running'>;
  startedAt: string;
  finishedAt: string | null;
  pid: number | null;
  error: string | null;
  problems: readonly string[];
}
