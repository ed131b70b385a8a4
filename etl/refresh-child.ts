#!/usr/bin/env node
/**
 * One refresh in its own process, started by the API (etl/refresh-runner.ts, child_process.fork): the merge of a
 * table is synchronous SQLite work, and here it stalls nobody's requests. Runs at a lower priority (nice 10), answers
 * over IPC, and exits as soon as the parent is gone — a refresh nobody waits for must not go on loading.
 */
import os from 'node:os';
import { createLogger, type Logger } from '../core/log';
import { openStore, storeOptions } from '../db/store';
import { EtlBusyError } from './load/lock';
import { startJob, type ChildMessage, type ParentMessage, type RefreshHandle } from './refresh-runner';

let finished = false;
let log: Logger | null = null;
let handle: RefreshHandle | null = null;
/** A stop asked for before the run began (the parent shutting down while this process starts) still stops it. */
let stopRequested = false;

const send = (message: ChildMessage) => new Promise<void>((resolve) => {
  if (!process.connected || !process.send) { resolve(); return; }
  process.send(message, undefined, {}, () => resolve());
});

if (!process.send) {
  process.stderr.write('refresh-child: started by the API process (child_process.fork) only; run `npm run etl` for a refresh from the shell\n');
  process.exit(2);
}

// The parent died (SIGKILL, crash) or let go: stop at once. SQLite rolls the open transaction back; the lock's
// owner is gone, so the next run takes it over and marks this run interrupted.
process.on('disconnect', () => {
  if (finished) return;
  log?.warn({ pid: process.pid }, 'the process that started this refresh is gone: the refresh stops (its current table rolls back)');
  process.exit(1);
});

// Ctrl-C in a terminal reaches the whole process group: the parent decides (it sends 'stop' while shutting down),
// so the refresh rolls back once, cleanly, instead of dying mid-table here first.
const stop = () => {
  stopRequested = true;
  handle?.stop();
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

process.on('message', (message: ParentMessage) => {
  if (message.type === 'stop') {
    stop();
    return;
  }
  if (handle) return;
  void run(message);
});

async function run(message: Extract<ParentMessage, { type: 'run' }>): Promise<void> {
  try {
    os.setPriority(message.nice);
  } catch {
    // Not allowed here (a container without the capability): the refresh runs at normal priority.
  }
  log = createLogger(message.logName, { logLevel: message.logLevel, logFormat: message.logFormat }).child({ refreshPid: process.pid });
  let code = 0;
  try {
    const store = await openStore({ ...storeOptions({ databasePath: message.databasePath, databaseUrl: message.databaseUrl }), onError: (error) => log?.error({ err: error }, 'warehouse connection error') });
    try {
      handle = startJob(store, log, message.settings, message.job);
      if (stopRequested) handle.stop();
      const busy = await handle.started;
      await send(busy ? { type: 'busy', holder: busy.holder } : { type: 'started' });
      await send({ type: 'result', result: await handle.result });
    } finally {
      await store.close();
    }
  } catch (error) {
    if (!(error instanceof EtlBusyError)) {
      code = 1;
      log.error({ err: error }, `the refresh process failed: ${(error as Error).message}`);
      await send({ type: 'error', message: (error as Error).message });
    }
  }
  finished = true;
  process.exit(code);
}
