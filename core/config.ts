import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import cron from 'node-cron';
import { z } from 'zod';
import { projectRoot } from './paths';

/**
 * The one configuration of every entry point (server, worker, ETL CLI, migrations, stand-in): environment
 * variables, with an optional `.env` file in the project root under them. Declared once as a zod schema, so a
 * variable is parsed and checked the same way wherever it is read; README's "Configuration" table mirrors it.
 */
export const DEFAULT_SSB_API_URL = 'https://data.ssb.no/api/pxwebapi/v2';
export const DEFAULT_KLASS_API_URL = 'https://data.ssb.no/api/klass/v1';
export const DEFAULT_ETL_CRON = '30 2 * * *';
/** More API processes than this buys nothing over one SQLite file or one PostgreSQL pool per process. */
export const MAX_API_PROCESSES = 32;
/** SSB's documented limit: 30 requests per 60 s per IP address (going over earns 429s). */
export const SSB_DEFAULT_CALLS_PER_MINUTE = 30;
export const ETL_TIMEZONE = 'Europe/Oslo';
export const DEFAULT_DATABASE_PATH = path.join('db', 'kostra.sqlite');
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface AppConfig {
  port: number;
  host: string;
  /** Absolute path of the SQLite file (used when `databaseUrl` is null). */
  databasePath: string;
  /** postgres://… of a shared PostgreSQL warehouse; null = the embedded SQLite file. */
  databaseUrl: string | null;
  ssbApiUrl: string;
  klassApiUrl: string;
  /** Calls per 60 s each SSB client allows itself (SSB_CALLS_PER_MINUTE). */
  ssbCallsPerMinute: number;
  source: 'live' | 'demo';
  etlSchedule: boolean;
  etlCron: string;
  adminToken: string | null;
  logLevel: LogLevel;
  logFormat: 'json' | 'pretty' | null;
  development: boolean;
  standinPort: number;
  /** Absolute path of the curated input files. */
  curatedDir: string;
  /** Origins whose pages may read the public API cross-origin: '*' = any, [] = none. */
  corsOrigins: '*' | string[];
  /**
   * The whole-response cache (API_CACHES). Off only to measure cold requests (`npm run bench` compares both);
   * answers are the same either way.
   */
  apiCaches: boolean;
  /**
   * API processes `npm start` serves with (API_PROCESSES): 1 serves in the process that loads; more fork that many
   * serving processes over the same warehouse (SQLite's WAL lets them read side by side), and the first process
   * only loads.
   */
  apiProcesses: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}\nSee README.md, "Configuration", for every variable, its default and what it allows.`);
    this.name = 'ConfigError';
  }
}

/** Checks a cron expression up front, so a typo stops the start instead of silently never running. */
export function cronProblem(expression: string): string | null {
  const result = cron.validateDetailed(expression);
  if (result.valid) return null;
  const detail = result.errors.map((e) => `${e.field}${e.value !== undefined ? ` "${e.value}"` : ''}: ${e.message}`).join('; ') || 'invalid';
  return `is not a valid cron expression (${detail}). Use five or six fields, e.g. "${DEFAULT_ETL_CRON}" for 02:30 every night (${ETL_TIMEZONE})`;
}

const text = (fallback: string) => z.string().trim().optional().transform((v) => (v ? v : fallback));
const oneOf = <T extends string>(values: readonly T[], fallback: T) =>
  text(fallback).transform((v) => v.toLowerCase()).refine((v): v is T => (values as readonly string[]).includes(v), { message: `must be one of ${values.join(', ')}` }).transform((v) => v);
/** A whole number from `min` to `max`; `hint` adds what else is allowed or why. */
const wholeNumber = (fallback: number, min: number, max: number, hint = '') =>
  text(String(fallback)).refine((v) => /^\d{1,9}$/.test(v) && Number(v) >= min && Number(v) <= max, { message: `must be a whole number from ${min} to ${max}${hint}` }).transform(Number);
const port = (fallback: number) => wholeNumber(fallback, 0, 65535);
const httpUrl = (fallback: string) =>
  text(fallback).refine((v) => {
    try { return ['http:', 'https:'].includes(new URL(v).protocol); } catch { return false; }
  }, { message: `must be an http(s) URL, e.g. ${fallback}` }).transform((v) => v.replace(/\/+$/, ''));
const fromRoot = (value: string) => path.resolve(projectRoot(), value);

/**
 * DATABASE_URL selects PostgreSQL; only its own URL form is accepted, so a typo (mysql://, a bare host name) stops the
 * start with what to write instead of reaching the driver as an opaque connection error.
 */
export function postgresUrlProblem(value: string): string | null {
  const example = 'postgres://user@db.example:5432/kostra';
  if (value.length > 2000) return `is ${value.length} characters long; a connection URL is at most 2000`;
  let url: URL;
  try { url = new URL(value); } catch { return `is not a URL; write it as ${example} (or unset it to use the SQLite file DATABASE_PATH)`; }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') return `must start with postgres:// or postgresql:// (PostgreSQL is the only server database), e.g. ${example}`;
  if (!url.hostname) return `names no host; write it as ${example}`;
  if (url.pathname.replace(/^\//, '') === '') return `names no database (the path after the host); write it as ${example}`;
  return null;
}

export const MAX_CORS_ORIGINS = 50;
const MAX_ORIGIN_LENGTH = 200;

/**
 * CORS_ORIGINS: `*` (any page may read the public data), `none`, or a comma-separated list of exact origins. An
 * entry with a path, a trailing slash or upper-case host would never equal a browser's Origin header, so it is
 * refused with the spelling that would match instead of being silently useless.
 */
export function parseCorsOrigins(value: string): { origins: '*' | string[] } | { problem: string } {
  const text = value.trim();
  if (text === '*') return { origins: '*' };
  if (text.toLowerCase() === 'none') return { origins: [] };
  const entries = text.split(',').map((e) => e.trim()).filter((e) => e !== '');
  if (entries.length === 0) return { problem: 'must be *, none or a comma-separated list of origins such as https://kommune.example,http://localhost:3000' };
  if (entries.length > MAX_CORS_ORIGINS) return { problem: `lists ${entries.length} origins; at most ${MAX_CORS_ORIGINS} are allowed (use * for any origin)` };
  const origins: string[] = [];
  for (const entry of entries) {
    if (entry === '*') return { problem: 'mixes * with origins: use * alone (any origin) or list the origins' };
    if (entry.length > MAX_ORIGIN_LENGTH) return { problem: `has an entry of ${entry.length} characters; an origin is at most ${MAX_ORIGIN_LENGTH}` };
    let origin: string;
    try {
      const url = new URL(entry);
      if (url.protocol !== 'http:' && url.protocol !== 'https:') return { problem: `has "${entry}", which is not an http(s) origin` };
      origin = url.origin;
    } catch {
      return { problem: `has "${entry}", which is not an origin; write scheme://host[:port], e.g. https://kommune.example` };
    }
    if (origin !== entry) return { problem: `has "${entry}", which a browser never sends as Origin; write it as ${origin} (scheme, host and port only)` };
    if (!origins.includes(origin)) origins.push(origin);
  }
  return { origins };
}

const schema = z.object({
  PORT: port(4000),
  HOST: text('0.0.0.0'),
  DATABASE_PATH: text(DEFAULT_DATABASE_PATH)
    .refine((v) => v !== ':memory:', { message: 'is not allowed: the API reads through its own connections and the ETL may run in another process; give a file path' })
    .transform(fromRoot)
    .superRefine((v, ctx) => {
      if (!fs.existsSync(path.dirname(v))) ctx.addIssue({ code: 'custom', message: `is in a folder that does not exist (${path.dirname(v)}); create the folder or choose another path` });
    }),
  DATABASE_URL: z.string().trim().optional().transform((v, ctx) => {
    if (!v) return null;
    const problem = postgresUrlProblem(v);
    if (problem) {
      ctx.addIssue({ code: 'custom', message: problem });
      return z.NEVER;
    }
    return v;
  }),
  SSB_API_URL: httpUrl(DEFAULT_SSB_API_URL),
  KLASS_API_URL: httpUrl(DEFAULT_KLASS_API_URL),
  SSB_CALLS_PER_MINUTE: wholeNumber(SSB_DEFAULT_CALLS_PER_MINUTE, 1, 1000, ` (SSB allows ${SSB_DEFAULT_CALLS_PER_MINUTE}; more only for a mirror or a stand-in that allows it)`),
  KOSTRA_SOURCE: oneOf(['live', 'demo'] as const, 'live'),
  ETL_SCHEDULE: oneOf(['on', 'off'] as const, 'on'),
  ETL_CRON: text(DEFAULT_ETL_CRON).superRefine((v, ctx) => {
    const problem = cronProblem(v);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  }),
  ADMIN_TOKEN: z.string().trim().optional()
    .refine((v) => !v || v.length >= 16, { message: 'must be at least 16 characters (or unset to disable the refresh mutation)' }),
  LOG_LEVEL: z.string().trim().optional(),
  LOG_FORMAT: z.string().trim().optional().refine((v) => !v || v === 'json' || v === 'pretty', { message: 'must be json or pretty' }),
  NODE_ENV: z.string().trim().optional(),
  STANDIN_PORT: port(8089),
  CURATED_DIR: text(path.join('etl', 'curated')).transform(fromRoot)
    .refine((v) => fs.existsSync(v), { message: 'is not a folder that exists' }),
  CORS_ORIGINS: text('*').transform((v, ctx) => {
    const parsed = parseCorsOrigins(v);
    if ('origins' in parsed) return parsed.origins;
    ctx.addIssue({ code: 'custom', message: parsed.problem });
    return z.NEVER;
  }),
  API_CACHES: oneOf(['on', 'off'] as const, 'on'),
  API_PROCESSES: z.preprocess(
    (v) => (typeof v === 'string' && v.trim().toLowerCase() === 'auto' ? String(Math.min(os.availableParallelism(), MAX_API_PROCESSES)) : v),
    wholeNumber(1, 1, MAX_API_PROCESSES, `, or auto (one per CPU core, at most ${MAX_API_PROCESSES})`),
  ),
});

/** Every variable the configuration reads (README's table and .env.example list the same; a test compares them). */
export const CONFIG_VARIABLES: readonly string[] = Object.keys(schema.shape);

/**
 * Validates every variable and reports all problems at once, each naming the variable, the value and what is
 * allowed. `.env` (project root) is read first unless `dotenv: false`; variables already set win.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, options: { dotenv?: boolean } = {}): AppConfig {
  if (options.dotenv !== false) loadDotEnv(env);
  const parsed = schema.safeParse(env);
  const problems: string[] = [];
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const name = String(issue.path[0]);
      problems.push(`${name} ${JSON.stringify(env[name] ?? '')} ${issue.message}`);
    }
  }
  const level = (env.LOG_LEVEL?.trim() || (env.NODE_ENV === 'test' ? 'silent' : 'info')).toLowerCase();
  if (!(LOG_LEVELS as readonly string[]).includes(level)) problems.push(`LOG_LEVEL ${JSON.stringify(env.LOG_LEVEL)} must be one of ${LOG_LEVELS.join(', ')}`);
  if (!parsed.success || problems.length) throw new ConfigError(problems);
  const v = parsed.data;
  return {
    port: v.PORT,
    host: v.HOST,
    databasePath: v.DATABASE_PATH,
    databaseUrl: v.DATABASE_URL,
    ssbApiUrl: v.SSB_API_URL,
    klassApiUrl: v.KLASS_API_URL,
    ssbCallsPerMinute: v.SSB_CALLS_PER_MINUTE,
    source: v.KOSTRA_SOURCE,
    etlSchedule: v.ETL_SCHEDULE === 'on',
    etlCron: v.ETL_CRON,
    adminToken: v.ADMIN_TOKEN || null,
    logLevel: level as LogLevel,
    logFormat: (v.LOG_FORMAT || null) as AppConfig['logFormat'],
    development: v.NODE_ENV === 'development',
    standinPort: v.STANDIN_PORT,
    curatedDir: v.CURATED_DIR,
    corsOrigins: v.CORS_ORIGINS,
    apiCaches: v.API_CACHES === 'on',
    apiProcesses: v.API_PROCESSES,
  };
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

/**
 * For entry points: the configuration, or — on a bad value — the problems on stderr and exit code 2, before
 * anything is opened or started.
 */
export function configOrExit(program: string, env: NodeJS.ProcessEnv = process.env): AppConfig {
  try {
    return loadConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${program}: ${error.message}\n`);
    process.exit(2);
  }
}
