import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { openWarehouse, type DataSourceOptions, type Engine } from '../../db/data-source';

/**
 * The two warehouse engines for tests. SQLite always runs; PostgreSQL runs when TEST_DATABASE_URL (or, without it,
 * the machine's server at 127.0.0.1:5432) answers. Each PostgreSQL warehouse is a database of its own, created for
 * the test and dropped after it, so runs never see each other's data.
 */
export const ENGINES: readonly Engine[] = ['sqlite', 'postgres'];

const DEFAULT_ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
let reachable: Promise<string | null> | null = null;

/** The URL of a database from which test databases can be created, or null (with the reason on stderr, once). */
export function postgresAdminUrl(): Promise<string | null> {
  reachable ??= (async () => {
    const url = process.env.TEST_DATABASE_URL || DEFAULT_ADMIN_URL;
    const client = new Client({ connectionString: url, connectionTimeoutMillis: 3000 });
    try {
      await client.connect();
      await client.query('SELECT 1');
      return url;
    } catch (error) {
      process.stderr.write(`PostgreSQL tests skipped: ${url.replace(/\/\/[^@/]*@/, '//…@')} cannot be reached (${(error as Error).message}). ` +
        'Start PostgreSQL (see .ci/run) or set TEST_DATABASE_URL to run them.\n');
      return null;
    } finally {
      await client.end().catch(() => undefined);
    }
  })();
  return reachable;
}

async function admin<T>(fn: (client: Client) => Promise<T>): Promise<T> {
  const url = await postgresAdminUrl();
  if (!url) throw new Error('PostgreSQL is not reachable');
  const client = new Client({ connectionString: url });
  await client.connect();
  try { return await fn(client); } finally { await client.end(); }
}

export interface EngineLocation {
  engine: Engine;
  options: DataSourceOptions;
  /** The variables a child process (server, worker, ETL) needs to open the same warehouse. */
  env: Record<string, string>;
  /** Drops the database (PostgreSQL) or deletes the folder (SQLite). */
  drop(): Promise<void>;
}

/**
 * A fresh place for a warehouse on `engine`: empty, or a copy of the closed warehouse at `copyOf` (SQLite: the file;
 * PostgreSQL: a database made from it as a template, which no session may have open meanwhile).
 */
export async function freshLocation(engine: Engine, copyOf?: EngineLocation): Promise<EngineLocation> {
  if (copyOf && copyOf.engine !== engine) throw new Error(`cannot copy a ${copyOf.engine} warehouse to ${engine}`);
  if (engine === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kostra-test-'));
    const file = path.join(dir, 'warehouse.sqlite');
    if (copyOf) {
      fs.copyFileSync(copyOf.options.path, file);
      // A closed warehouse has checkpointed its log; should one be left, it is part of the data.
      if (fs.existsSync(`${copyOf.options.path}-wal`)) fs.copyFileSync(`${copyOf.options.path}-wal`, `${file}-wal`);
    }
    return {
      engine, options: { path: file }, env: { DATABASE_PATH: file, DATABASE_URL: '' },
      drop: async () => { fs.rmSync(dir, { recursive: true, force: true }); },
    };
  }
  const name = `kostra_test_${process.pid}_${crypto.randomBytes(4).toString('hex')}`;
  const template = copyOf ? ` TEMPLATE ${new URL(copyOf.options.url!).pathname.slice(1)}` : '';
  await admin((c) => c.query(`CREATE DATABASE ${name}${template}`));
  const url = new URL((await postgresAdminUrl())!);
  url.pathname = `/${name}`;
  return {
    engine, options: { path: '', url: url.toString() }, env: { DATABASE_URL: url.toString() },
    drop: () => admin(async (c) => { await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`); }),
  };
}

export interface EngineWarehouse extends EngineLocation {
  ds: DataSource;
  close(): Promise<void>;
}

/** A migrated, seeded warehouse on `engine`. */
export async function openEngineWarehouse(engine: Engine): Promise<EngineWarehouse> {
  const location = await freshLocation(engine);
  const ds = await openWarehouse(location.options);
  return {
    ...location, ds,
    async close() {
      if (ds.isInitialized) await ds.destroy();
      await location.drop();
    },
  };
}

/**
 * `describe` once per engine; the PostgreSQL block is skipped (with the reason printed) when no server answers.
 * `body` gets the engine; open warehouses inside with `openEngineWarehouse(engine)`.
 */
export function describeEngines(title: string, body: (engine: Engine) => void): void {
  for (const engine of ENGINES) {
    describe(`${title} [${engine}]`, function () {
      if (engine === 'postgres') {
        before(async function () {
          if (!(await postgresAdminUrl())) this.skip();
        });
      }
      body(engine);
    });
  }
}
