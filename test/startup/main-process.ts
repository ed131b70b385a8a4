import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { projectRoot } from '../../core/paths';
import { postGraphql } from '../helpers/graphql-post';

/** The compiled server (`npm start`), run as a child process by the start-up and operations tests. */
export const MAIN = path.join(projectRoot(), 'dist', 'src', 'main.js');

export interface Running {
  child: ChildProcess;
  port: number;
  logs: Record<string, any>[];
  exited: Promise<number | null>;
}

/** A closed loopback port: connecting to it is refused at once, like a machine without a route to SSB. */
export async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

/** Starts the server with `env` over a minimal environment; `as` runs it as another user (tests run as root). */
export function start(env: Record<string, string>, as?: { uid: number; gid: number }): Running {
  const child = spawn(process.execPath, [MAIN], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, PORT: '0', HOST: '127.0.0.1', LOG_FORMAT: 'json', LOG_LEVEL: 'info', ETL_SCHEDULE: 'off', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    ...as,
  });
  const logs: Record<string, any>[] = [];
  let buffer = '';
  child.stdout.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    let nl;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      try { logs.push(JSON.parse(line)); } catch { logs.push({ msg: line }); }
    }
  });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => { stderr += c.toString(); logs.push({ stderr: c.toString() }); });
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  void stderr;
  return { child, port: 0, logs, exited };
}

export async function waitFor<T>(what: string, fn: () => T | undefined | Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const v = await fn();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** The body of a GraphQL answer from the server on `port`. */
export async function gql(port: number, query: string, headers: Record<string, string> = {}): Promise<any> {
  return (await postGraphql(`http://127.0.0.1:${port}/graphql`, query, undefined, headers)).body;
}

