/** What every bench section shares: medians over runs, number formatting, and waiting for a child's log line. */
import type { ChildProcess } from 'node:child_process';

export interface Stat { median: number; min: number; max: number }

export const stat = (xs: number[]): Stat => {
  const s = [...xs].sort((a, b) => a - b);
  return { median: s[Math.floor((s.length - 1) / 2)] + (s.length % 2 === 0 ? (s[s.length / 2] - s[s.length / 2 - 1]) / 2 : 0), min: s[0], max: s[s.length - 1] };
};

export const fmt = (n: number, d = 0) => n.toLocaleString('en', { maximumFractionDigits: d, minimumFractionDigits: d });

export const log = (line = '') => process.stdout.write(`${line}\n`);

export async function waitForLine(child: ChildProcess, test: (line: string) => string | undefined, what: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffer = '';
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), 120_000);
    child.stdout!.on('data', (c: Buffer) => {
      buffer += c.toString();
      for (const line of buffer.split('\n')) {
        const hit = test(line);
        if (hit !== undefined) { clearTimeout(timer); resolve(hit); return; }
      }
    });
    child.on('exit', () => reject(new Error(`${what}: the process exited`)));
  });
}
