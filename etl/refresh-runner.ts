import { fork } from 'node:child_process';
import path from 'node:path';
import type { WarehouseStore } from '../db/store';
import type { AppConfig } from '../core/config';
import type { Logger } from '../core/log';
import { firstLoad } from './first-load';
import { EtlBusyError } from './load/lock';
import { logProgress, runEtl, type EtlRunResult } from './pipeline';
import type { RefreshSettings } from './refresher';
import { createSources, type SourceKind } from './sources';
import type { CodeHistorySource, StatSource } from './stat-source';

/** One refresh as the Refresher asks for it; the run id is chosen first so the run's record can be found whatever happens. */
export interface RefreshJob {
  runId: string;
  reason: string;
  source: SourceKind;
  force: boolean;
  /** The first load of an empty warehouse: SSB's data, or the demo data when SSB cannot be reached. */
  firstLoad: boolean;
}

export interface RefreshHandle {
  /** Settles once the run holds the ETL lock (null) or was refused because another run holds it. */
  started: Promise<EtlBusyError | null>;
  /** The run's result; rejects when the run ended without one (refused, or its process died). */
  result: Promise<EtlRunResult>;
  /** Asks the run to stop between requests; its current table rolls back. */
  stop(): void;
}

/** How a refresh is run: in this process (the CLI's worker, tests) or in a child process (the API). */
export type RefreshRunner = (job: RefreshJob) => RefreshHandle;

/** A run's statistics source and code history, when not the ones the settings name (tests give clients with short timeouts). */
export type SourcesFor = (kind: SourceKind) => { source: StatSource; history: CodeHistorySource };

/** Runs a job here, in this process. Started means holding the ETL lock; a lock held elsewhere rejects before. */
export function startJob(store: WarehouseStore, log: Logger, settings: RefreshSettings, job: RefreshJob, sourcesFor?: SourcesFor): RefreshHandle {
  const controller = new AbortController();
  let locked: () => void = () => undefined;
  const holding = new Promise<null>((resolve) => { locked = () => resolve(null); });
  const result = (async () => {
    if (job.firstLoad) return firstLoad(store, log, settings, controller.signal, job.runId, locked);
    const { source, history } = sourcesFor?.(job.source) ?? createSources(job.source, settings, { log });
    return runEtl({
      store, source, history, log, force: job.force, signal: controller.signal, curatedDir: settings.curatedDir, reason: job.reason, runId: job.runId,
      progress: logProgress(log), onLocked: locked,
    });
  })();
  const started = Promise.race([result.then(() => null, (e: unknown) => (e instanceof EtlBusyError ? e : null)), holding]);
  return { started, result, stop: () => controller.abort() };
}

export function inProcessRunner(store: WarehouseStore, log: Logger, settings: RefreshSettings, sourcesFor?: SourcesFor): RefreshRunner {
  return (job) => startJob(store, log, settings, job, sourcesFor);
}

/** What the parent sends the refresh child (etl/refresh-child.ts). */
export type ParentMessage =
  | { type: 'run'; job: RefreshJob; settings: RefreshSettings; databasePath: string; databaseUrl: string | null; logName: string; logLevel: AppConfig['logLevel']; logFormat: AppConfig['logFormat']; nice: number }
  | { type: 'stop' };

/** What the refresh child answers. */
export type ChildMessage =
  | { type: 'started' }
  | { type: 'busy'; holder: EtlBusyError['holder'] }
  | { type: 'result'; result: EtlRunResult }
  | { type: 'error'; message: string };

export interface ChildRunnerOptions {
  databasePath: string;
  /** PostgreSQL (DATABASE_URL) when set; the SQLite file `databasePath` otherwise. */
  databaseUrl: string | null;
  settings: RefreshSettings;
  log: Logger;
  /** The child logs under the parent's name, at its level and format, to the same stdout. */
  logName: string;
  logLevel: AppConfig['logLevel'];
  logFormat: AppConfig['logFormat'];
  /** Scheduling priority of the child (0 normal … 19 lowest); default 10, so the API's requests come first. */
  nice?: number;
  /** How long a stopped child may take to roll back before it is killed; default 15 s. */
  stopGraceMs?: number;
}

export const REFRESH_CHILD = path.join(__dirname, 'refresh-child.js');

/**
 * Runs each refresh in a child process (`dist/etl/refresh-child.js`), so the merge of a table (synchronous
 * better-sqlite3 work on SQLite) never runs on the API's event loop. Progress goes to the shared stdout as log lines; the lock answer and the result
 * come back over IPC. The child exits when this process goes away (it watches the IPC channel).
 */
export function childProcessRunner(options: ChildRunnerOptions): RefreshRunner {
  return (job) => {
    const child = fork(REFRESH_CHILD, [], {
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      // No inspector port of the parent's: the child would fail to bind it.
      execArgv: process.execArgv.filter((a) => !a.startsWith('--inspect')),
    });
    let answerStarted: (busy: EtlBusyError | null) => void = () => undefined;
    const started = new Promise<EtlBusyError | null>((resolve) => { answerStarted = resolve; });
    let outcome: EtlRunResult | null = null;
    let failure: Error | null = null;
    let killTimer: NodeJS.Timeout | undefined;
    const result = new Promise<EtlRunResult>((resolve, reject) => {
      child.on('message', (message: ChildMessage) => {
        if (message.type === 'started') answerStarted(null);
        else if (message.type === 'busy') answerStarted((failure = new EtlBusyError(message.holder)));
        else if (message.type === 'result') outcome = message.result;
        else failure = new Error(message.message);
      });
      child.on('error', (error) => { failure ??= error; });
      child.on('exit', (code, signal) => {
        clearTimeout(killTimer);
        answerStarted(null);
        if (outcome) resolve(outcome);
        else reject(failure ?? new Error(`the refresh process (pid ${child.pid ?? '?'}) ended with ${signal ? `signal ${signal}` : `exit code ${code}`} before it reported a result`));
      });
    });
    const message: ParentMessage = {
      type: 'run', job, settings: options.settings, databasePath: options.databasePath, databaseUrl: options.databaseUrl, logName: options.logName,
      logLevel: options.logLevel, logFormat: options.logFormat, nice: options.nice ?? 10,
    };
    child.send(message);
    options.log.info({ runId: job.runId, pid: child.pid }, `ETL refresh ${job.runId} runs in child process ${child.pid ?? '?'}`);
    return {
      started,
      result,
      stop() {
        if (child.exitCode !== null || child.signalCode !== null) return;
        if (child.connected) child.send({ type: 'stop' } satisfies ParentMessage);
        killTimer ??= setTimeout(() => {
          options.log.error({ pid: child.pid }, 'the refresh process did not stop in time: killed (its load rolls back)');
          child.kill('SIGKILL');
        }, options.stopGraceMs ?? 15_000);
        killTimer.unref();
      },
    };
  };
}
