import fs from 'node:fs';
import { processAlive } from './process-alive';

const SHELLS = new Set(['sh', 'dash', 'bash', 'zsh', 'ash']);

/** The parent process id of `pid` and its command name, from /proc (Linux); null elsewhere. */
function procParent(pid: number): { ppid: number; comm: string } | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // pid (comm) state ppid …; comm may itself hold spaces and parentheses, so split at the last ')'.
    const close = stat.lastIndexOf(')');
    const comm = stat.slice(stat.indexOf('(') + 1, close);
    const ppid = Number(stat.slice(close + 2).split(' ')[1]);
    return Number.isInteger(ppid) ? { ppid, comm } : null;
  } catch {
    return null;
  }
}

/**
 * Calls `onGone` once when the process that started this one has ended. Under `npm run`, node's parent is the
 * shell npm started (`sh -c …`), which outlives a killed npm, so npm itself is watched too. A run nobody waits for
 * (its terminal's npm was SIGKILLed) then stops instead of loading on as an orphan.
 */
export function watchParent(onGone: (why: string) => void, intervalMs = 1000): () => void {
  const parent = process.ppid;
  const watched = [parent];
  const info = procParent(parent);
  if (process.env.npm_lifecycle_event && info && info.ppid > 1 && SHELLS.has(info.comm)) watched.push(info.ppid);
  let done = false;
  const timer = setInterval(() => {
    const gone = process.ppid !== parent ? parent : watched.find((pid) => !processAlive(pid));
    if (gone === undefined || done) return;
    done = true;
    clearInterval(timer);
    onGone(`the process that started this one (pid ${gone}${gone === parent ? '' : ', npm'}) has ended`);
  }, intervalMs);
  timer.unref();
  return () => { done = true; clearInterval(timer); };
}
