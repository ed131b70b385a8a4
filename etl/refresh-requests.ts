import os from 'node:os';
import type { Logger } from '../core/log';
import type { Sql, WarehouseStore } from '../db/store';
import type { Refresher, RefreshObserver, RefreshRequestStart, UnrecordedRun } from './refresher';
import type { SourceKind } from './sources';

/**
 * Refreshes asked of any API replica, through the `refresh_request` table: a replica that only serves (`npm run
 * serve`) records the request; the process that loads (`npm run worker`, or `npm start`) claims every pending request
 * at once and runs one refresh for all of them. So a refresh asked of several replicas together runs once, and the
 * ETL lock still keeps any two loads apart.
 */
const REQUEST = { id: 'number', force: 'boolean', source: 'string?', reason: 'string' } as const;
export const REQUEST_POLL_MS = 2000;
/** Transaction advisory lock key that serialises replicas recording requests (PostgreSQL). */
const REQUEST_LOCK = 7_146_003;

const me = () => `${os.hostname()}:${process.pid}`.slice(0, 200);

/** What the API needs of refreshes: the loading process's Refresher, or a serving replica's RefreshRequester. */
export interface RefreshControl {
  readonly running: boolean;
  /** Runs whose record the database refused, known to this process only (the Refresher keeps them). */
  readonly unrecordedRuns?: readonly UnrecordedRun[];
  start(options: { force?: boolean; reason: string; source?: SourceKind }): Promise<RefreshRequestStart>;
  observe(observer: RefreshObserver): () => void;
  stop(): Promise<void>;
}

class ClaimRace extends Error {}

/** The refresh control of a process that serves only: it asks the loading process, through the database. */
export class RefreshRequester implements RefreshControl {
  private busy = false;
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly store: WarehouseStore, private readonly log: Logger, pollMs = REQUEST_POLL_MS) {
    // `running` answers synchronously (warehouseStatus, /metrics): follow the table in the background.
    this.timer = setInterval(() => { void this.refreshState(); }, pollMs);
    this.timer.unref();
    void this.refreshState();
  }

  /** A refresh is asked for or running (as this replica last saw it, at most a poll interval ago). */
  get running(): boolean {
    return this.busy;
  }

  observe(): () => void {
    // The loading process observes its own runs; a serving replica has none to report.
    return () => {};
  }

  async start(options: { force?: boolean; reason: string; source?: SourceKind }): Promise<RefreshRequestStart> {
    const outcome = await this.store.write(async (tx) => {
      // Replicas asking at the same moment take turns (SQLite's write transactions already do).
      if (tx.engine === 'postgres') await tx.run('SELECT pg_advisory_xact_lock(?)', [REQUEST_LOCK]);
      const open = await tx.get({ id: 'number' }, "SELECT id FROM refresh_request WHERE status = 'pending' ORDER BY id LIMIT 1", [], 'pending refresh request');
      if (open) {
        // One pending request stands for every replica that asks before the worker claims it; forcing carries over.
        if (options.force) await tx.run('UPDATE refresh_request SET force = ? WHERE id = ?', [true, open.id]);
        return { requested: false as const, id: open.id };
      }
      const row = await tx.get({ id: 'number' }, `INSERT INTO refresh_request (reason, source, force, status, requested_at, requested_by)
        VALUES (?, ?, ?, 'pending', ?, ?) RETURNING id`, [options.reason.slice(0, 64), options.source ?? null, Boolean(options.force), new Date().toISOString(), me()], 'new refresh request');
      return { requested: true as const, id: row!.id };
    });
    this.busy = true;
    if (!outcome.requested) return { started: false, reason: `a refresh is already requested (request ${outcome.id}); it runs once for every replica that asked` };
    this.log.info({ request: outcome.id, force: Boolean(options.force) }, 'refresh requested from the worker');
    return { started: true, runId: null, requestId: outcome.id };
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
  }

  private async refreshState(): Promise<void> {
    try {
      this.busy = Boolean(await this.store.get({ id: 'number' }, "SELECT id FROM refresh_request WHERE status IN ('pending', 'running') LIMIT 1", [], 'open refresh request'));
    } catch (error) {
      this.log.warn({ err: error }, 'could not read the refresh requests');
    }
  }
}

/**
 * In the loading process: claims pending requests every `pollMs` and runs one refresh for all of them. A refresh
 * already running here leaves them pending for the next poll.
 */
export function startRequestPoller(options: { store: WarehouseStore; refresher: Refresher; log: Logger; pollMs?: number }): { stop(): Promise<void> } {
  const { store, refresher, log } = options;
  let stopped = false;
  let current: Promise<void> = Promise.resolve();
  const poll = async () => {
    if (stopped || refresher.running) return;
    const claimed = await store.write((tx) => claim(tx)).catch((error: unknown) => {
      if (error instanceof ClaimRace) return [];
      throw error;
    });
    if (claimed.length === 0) return;
    const ids = claimed.map((r) => r.id);
    const force = claimed.some((r) => r.force);
    const source = claimed.map((r) => r.source).find((s): s is SourceKind => s === 'live' || s === 'demo');
    log.info({ requests: ids, force }, `running one refresh for ${ids.length} request(s) from the API`);
    const leavePending = () => store.run(`UPDATE refresh_request SET status = 'pending', claimed_by = NULL WHERE id IN (${ids.map(() => '?').join(',')})`, ids);
    const start = await refresher.start({ force, reason: `api (request ${ids.join(', ')})`.slice(0, 64), source })
      .catch(async (error: unknown) => { await leavePending(); throw error; });
    if (!start.started) {
      // Another process holds the lock: leave them for the next poll.
      await leavePending();
      log.warn({ requests: ids }, `refresh requests left pending: ${start.reason}`);
      return;
    }
    const finish = (status: 'done' | 'failed', runId: string | null, error: string | null) => store.run(
      `UPDATE refresh_request SET status = ?, run_id = ?, finished_at = ?, error = ? WHERE id IN (${ids.map(() => '?').join(',')})`,
      [status, runId, new Date().toISOString(), error, ...ids]);
    await start.promise.then(
      (result) => finish(result.ok ? 'done' : 'failed', result.runId, result.error ?? null),
      (error: unknown) => finish('failed', null, (error as Error).message),
    );
    // Requests an earlier loading process claimed and never finished (it was killed mid-run) would read as running
    // forever on every replica; this newer refresh has done what they asked for.
    const closed = await store.run(`UPDATE refresh_request SET status = 'failed', finished_at = ?, error = ?
      WHERE status = 'running' AND id < ? AND (claimed_by IS NULL OR claimed_by <> ?)`,
    [new Date().toISOString(), `the loading process that claimed it stopped before the refresh finished; the refresh of request ${ids[0]} ran instead`, ids[0], me()]);
    if (closed) log.warn({ closed }, `closed ${closed} refresh request(s) left running by a loading process that stopped`);
  };
  const timer = setInterval(() => {
    current = current.then(poll).catch((error: unknown) => { log.error({ err: error }, `refresh requests: ${(error as Error).message}`); });
  }, options.pollMs ?? REQUEST_POLL_MS);
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await current;
    },
  };
}

/** Every pending request, marked running by this process, in one transaction (so two pollers never take the same). */
async function claim(tx: Sql): Promise<{ id: number; force: boolean; source: string | null; reason: string }[]> {
  const pending = await tx.all(REQUEST, "SELECT id, force, source, reason FROM refresh_request WHERE status = 'pending' ORDER BY id", [], 'pending refresh requests');
  if (pending.length === 0) return [];
  const ids = pending.map((r) => r.id);
  const taken = await tx.run(`UPDATE refresh_request SET status = 'running', claimed_by = ? WHERE status = 'pending' AND id IN (${ids.map(() => '?').join(',')})`, [me(), ...ids]);
  // Another poller claimed some in between (PostgreSQL, READ COMMITTED): roll back and leave the batch to it.
  if (taken !== ids.length) throw new ClaimRace('another process claimed these refresh requests');
  return pending;
}
