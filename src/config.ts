import fs from 'node:fs';
import path from 'node:path';
import { DEFAULT_ETL_CRON, validateCron } from '../etl/scheduler';
import { projectRoot } from '../db/paths';

/** Every environment variable the product reads, with its default; README's table mirrors this. */
export interface AppConfig {
  port: number;
  host: string;
  databasePath: string | undefined;
  ssbApiUrl: string;
  klassApiUrl: string;
  etlCron: string;
  etlSchedule: boolean;
  source: 'live' | 'demo';
  adminToken: string | null;
  development: boolean;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Reads `.env` from the project root when present; variables already set win. */
export function loadDotEnv(env: NodeJS.ProcessEnv = process.env): void {
  const file = path.join(projectRoot(), '.env');
  if (!fs.existsSync(file)) return;
  for (const line of fs.readFileSync(file, 'utf8').split(/\r?\n/)) {
    const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (!m || line.trimStart().startsWith('#')) continue;
    const value = m[2].replace(/^(['"])(.*)\1$/, '$2');
    if (env[m[1]] === undefined) env[m[1]] = value;
  }
}

/** Validates every variable and reports all problems at once, each naming the variable, the value and what is allowed. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const problems: string[] = [];
  const port = env.PORT?.trim() ? Number(env.PORT) : 4000;
  if (!Number.isInteger(port) || port < 0 || port > 65535) problems.push(`PORT "${env.PORT}" must be a whole number from 0 to 65535`);
  const url = (name: string, fallback: string) => {
    const value = env[name]?.trim() || fallback;
    try {
      const u = new URL(value);
      if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('protocol');
    } catch {
      problems.push(`${name} "${value}" must be an http(s) URL, e.g. ${fallback}`);
    }
    return value.replace(/\/+$/, '');
  };
  const ssbApiUrl = url('SSB_API_URL', 'https://data.ssb.no/api/pxwebapi/v2');
  const klassApiUrl = url('KLASS_API_URL', 'https://data.ssb.no/api/klass/v1');
  const etlCron = env.ETL_CRON?.trim() || DEFAULT_ETL_CRON;
  try { validateCron(etlCron); } catch (e) { problems.push((e as Error).message); }
  const schedule = (env.ETL_SCHEDULE ?? 'on').trim().toLowerCase();
  if (!['on', 'off'].includes(schedule)) problems.push(`ETL_SCHEDULE "${env.ETL_SCHEDULE}" must be on or off`);
  const source = (env.KOSTRA_SOURCE ?? 'live').trim().toLowerCase();
  if (source !== 'live' && source !== 'demo') problems.push(`KOSTRA_SOURCE "${env.KOSTRA_SOURCE}" must be live or demo`);
  const databasePath = env.DATABASE_PATH?.trim() || undefined;
  if (databasePath === ':memory:') problems.push('DATABASE_PATH ":memory:" is not allowed: the API reads through its own connections and the ETL may run in another process; give a file path');
  else if (databasePath) {
    const dir = path.dirname(path.resolve(projectRoot(), databasePath));
    if (!fs.existsSync(dir)) problems.push(`DATABASE_PATH "${databasePath}": the folder ${dir} does not exist`);
  }
  const adminToken = env.ADMIN_TOKEN?.trim() || null;
  if (adminToken !== null && adminToken.length < 16) problems.push('ADMIN_TOKEN must be at least 16 characters (or unset to disable the refresh mutation)');
  if (problems.length) throw new ConfigError(problems);
  return {
    port, host: env.HOST?.trim() || '0.0.0.0', databasePath, ssbApiUrl, klassApiUrl, etlCron, etlSchedule: schedule === 'on',
    source: source as 'live' | 'demo', adminToken, development: env.NODE_ENV === 'development',
  };
}
