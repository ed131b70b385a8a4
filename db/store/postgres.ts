import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { DataSource } from 'typeorm';
import { checkRows, type Row, type RowSpec } from '../rows';
import type { AdvisoryLock, FactRows, ReadLease, Sql, WarehouseStore } from './types';

// COUNT(*) and SUM are bigint/numeric in PostgreSQL; the warehouse's counts fit in a double, and rows are checked as numbers.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v) => Number(v));

/** Connections per process: requests hold one each for their snapshot, a load one or two. */
export const PG_POOL_SIZE = 10;

const converted = new Map<string, string>();

/** `?` placeholders (outside quoted text) to PostgreSQL's `$1, $2…`, once per SQL text. */
export function dollarPlaceholders(sql: string): string {
  let out = converted.get(sql);
  if (out !== undefined) return out;
  let n = 0;
  let quoted: string | null = null;
  out = '';
  for (const ch of sql) {
    if (quoted) {
      if (ch === quoted) quoted = null;
      out += ch;
    } else if (ch === "'" || ch === '"') {
      quoted = ch;
      out += ch;
    } else {
      out += ch === '?' ? `$${++n}` : ch;
    }
  }
  if (converted.size > 2000) converted.clear();
  converted.set(sql, out);
  return out;
}

const aliases = new WeakMap<RowSpec, [string, string][]>();

/** PostgreSQL folds unquoted aliases to lower case (`AS runId` comes back as `runid`): give them back their spec's name. */
function renamed(spec: RowSpec, rows: Record<string, unknown>[]): Record<string, unknown>[] {
  let pairs = aliases.get(spec);
  if (!pairs) aliases.set(spec, (pairs = Object.keys(spec).filter((k) => k !== k.toLowerCase()).map((k) => [k, k.toLowerCase()])));
  if (pairs.length === 0) return rows;
  for (const row of rows) {
    for (const [name, lower] of pairs) {
      if (!(name in row) && lower in row) {
        row[name] = row[lower];
        delete row[lower];
      }
    }
  }
  return rows;
}

type Queryable = pg.Pool | pg.PoolClient;

export class PgSql implements Sql {
  readonly engine = 'postgres' as const;
  /** Set when a request's snapshot ends: its connection is back in the pool and may be another request's now. */
  ended = false;

  constructor(readonly client: Queryable) {}

  async all<S extends RowSpec>(spec: S, sql: string, params: readonly unknown[] = [], what = 'warehouse query'): Promise<Row<S>[]> {
    if (this.ended) throw new Error(`${what}: this request's read snapshot has ended (the client went away)`);
    const result = await this.client.query<Record<string, unknown>>(dollarPlaceholders(sql), params as unknown[]);
    return checkRows(spec, renamed(spec, result.rows), what);
  }

  async get<S extends RowSpec>(spec: S, sql: string, params: readonly unknown[] = [], what = 'warehouse query'): Promise<Row<S> | undefined> {
    return (await this.all(spec, sql, params, what))[0];
  }

  async run(sql: string, params: readonly unknown[] = []): Promise<number> {
    if (this.ended) throw new Error('this transaction has ended');
    return (await this.client.query(dollarPlaceholders(sql), params as unknown[])).rowCount ?? 0;
  }

  binary(expr: string): string {
    return `${expr} COLLATE "C"`;
  }
}

/** COPY's text format: tab-separated, \N for null, backslash escapes. */
const copyText = (v: string | number | null) => (v === null ? '\\N' : typeof v === 'number' ? String(v) : v.replace(/[\\\t\n\r]/g, (c) => ({ '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' })[c]!));

/**
 * The shared warehouse: PostgreSQL through a connection pool. Each request reads in one REPEATABLE READ, READ ONLY
 * transaction (one warehouse version per answer, whatever commits meanwhile); a table's load COPYs its facts into a
 * staging table and merges them with one INSERT … ON CONFLICT … DO UPDATE … WHERE changed, in the table's transaction;
 * the ETL lock is a session advisory lock, which PostgreSQL releases itself when the holder's connection dies.
 */
export class PgStore extends PgSql implements WarehouseStore {
  readonly location: string;

  constructor(private readonly pool: pg.Pool, readonly dataSource: DataSource, url: string, private readonly onError: (error: unknown) => void = () => {}) {
    super(pool);
    const shown = new URL(url);
    shown.password = '';
    this.location = shown.toString();
    // An idle connection that the server dropped must not end the process.
    pool.on('error', (error) => onError(error));
  }

  static open(url: string, ds: DataSource, onError?: (error: unknown) => void): PgStore {
    const pool = new pg.Pool({ connectionString: url, max: PG_POOL_SIZE, application_name: 'kostra-warehouse', idleTimeoutMillis: 30_000 });
    return new PgStore(pool, ds, url, onError);
  }

  async write<T>(fn: (tx: Sql) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    // A handle kept past COMMIT must not run on a connection already back in the pool (another request's).
    const tx = new PgSql(client);
    try {
      await client.query('BEGIN');
      const result = await fn(tx);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch((e: Error) => { broken = e; });
      throw error;
    } finally {
      tx.ended = true;
      client.release(broken);
    }
  }

  async beginRead(): Promise<ReadLease> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    } catch (error) {
      client.release(error as Error);
      throw error;
    }
    const sql = new PgSql(client);
    return {
      sql,
      release: async () => {
        if (sql.ended) return;
        sql.ended = true;
        try {
          await client.query('COMMIT');
          client.release();
        } catch (error) {
          this.onError(error);
          client.release(error as Error);
        }
      },
    };
  }

  async upsertFacts(tx: Sql, facts: FactRows, loadId: number): Promise<number> {
    const client = (tx as PgSql).client as pg.PoolClient;
    await client.query(`CREATE TEMP TABLE IF NOT EXISTS fact_stage (ord integer, indicator_id integer, year integer, region_code varchar(16),
      service_area_code varchar(16), value double precision, status varchar(8)) ON COMMIT DROP`);
    await client.query('TRUNCATE fact_stage');
    const CHUNK = 5000;
    function* lines(): Generator<string> {
      for (let start = 0; start < facts.length; start += CHUNK) {
        let text = '';
        for (let i = start; i < Math.min(facts.length, start + CHUNK); i++) text += `${i}\t${facts.at(i).map(copyText).join('\t')}\n`;
        yield text;
      }
    }
    await pipeline(Readable.from(lines()), client.query(copyFrom('COPY fact_stage FROM STDIN')));
    // A cell given twice (two SSB codes stored under one) keeps the later one, as the SQLite path's upserts do.
    const result = await client.query(`INSERT INTO fact (indicator_id, year, region_code, service_area_code, value, status, load_id)
      SELECT DISTINCT ON (indicator_id, year, region_code, service_area_code) indicator_id, year, region_code, service_area_code, value, status, $1
        FROM fact_stage ORDER BY indicator_id, year, region_code, service_area_code, ord DESC
      ON CONFLICT (indicator_id, year, region_code, service_area_code) DO UPDATE
        SET value = EXCLUDED.value, status = EXCLUDED.status, load_id = EXCLUDED.load_id
        WHERE fact.value IS DISTINCT FROM EXCLUDED.value OR fact.status IS DISTINCT FROM EXCLUDED.status`, [loadId]);
    return result.rowCount ?? 0;
  }

  async tryAdvisoryLock(key: number): Promise<AdvisoryLock | null> {
    const client = await this.pool.connect();
    try {
      const { rows } = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1) AS ok', [key]);
      if (!rows[0]?.ok) {
        client.release();
        return null;
      }
    } catch (error) {
      client.release(error as Error);
      throw error;
    }
    let released = false;
    return {
      release: async () => {
        if (released) return;
        released = true;
        try {
          await client.query('SELECT pg_advisory_unlock($1)', [key]);
          client.release();
        } catch (error) {
          // Dropping the connection releases the lock too.
          client.release(error as Error);
        }
      },
    };
  }

  async close(): Promise<void> {
    await this.pool.end();
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}
