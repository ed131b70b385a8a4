/**
 * The API with its caches off (API_CACHES=off: every request computed from the warehouse, as the first request after
 * a load or a query never seen before) and on, side by side in one run, at 1, 10 and 50 connections, beside the
 * floor (the same rows by direct SQL on a bare node:http server) and the ceiling (`{ __typename }` through the whole
 * stack). Two servers on one warehouse file answer alternately, so both see the same machine load.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { projectRoot } from '../../core/paths';
import { fmt, log, stat, waitForLine, type Stat } from './common';

const ROOT = projectRoot();

/** The shapes of issue 11's comparison with PostGraphile, on the demo warehouse. */
export const COLD_WARM_QUERIES: Record<string, { query: string; sql?: string }> = {
  'facts: one municipality, one indicator, 10 years, every service area': {
    query: '{ facts(filter: { regions: ["Bærum"], indicators: ["netto_driftsutgifter_tjeneste"], yearFrom: 2015, yearTo: 2024 }, first: 1000) { totalCount edges { node { region { code } year serviceArea { code } value status } } } }',
    sql: 'municipality-page',
  },
  'facts: ASSS members × 5 years × 2 indicators, with names': {
    query: '{ facts(filter: { peerGroup: "asss", indicators: ["bdi", "netto_driftsresultat"], yearFrom: 2020, yearTo: 2024, serviceAreas: ["ALL"] }, first: 1000) { edges { node { region { code name } year indicator { key label } value } } } }',
    sql: 'peer-slice',
  },
  'report: resultatgrad 2020–2024, Bærum + ASSS weighted': {
    query: '{ metricSeries(metric: "resultatgrad", years: { from: 2020, to: 2024 }, subjects: [{ municipality: "Bærum" }, { peerGroup: "asss" }]) { series { subject { id } points { year value } } } }',
  },
  'report: the eight ratio series (example 02)': { query: fs.readFileSync(path.join(ROOT, 'schema/examples/02-ratio-series-2020-2024.graphql'), 'utf8') },
  'report: the status index table (example 01)': { query: fs.readFileSync(path.join(ROOT, 'schema/examples/01-status-index-2024.graphql'), 'utf8'), sql: 'index' },
  '{ __typename } (ceiling)': { query: '{ __typename }' },
};

interface Figures { rps: Stat; p99: Stat; errors: number; /** The slowest answer of the warm-up second: new connections' first requests. */ firstMax: Stat }
interface Window { rps: number; p99: number; firstMax: number; errors: number }

/** Seconds of each run spent opening the connections and warming up, before the measured window. */
const WARM_UP_SECONDS = 1;

/**
 * One run on one set of connections: a warm-up second, then the measured window (requests sent in it; the rate of
 * answers that arrived in it). A keep-alive client pool at N connections is what "at N connections" means; how long
 * a fresh connection waits for its first answer is reported beside it (firstMax). After the run, one request on a
 * new connection waits for the server to finish what the run left queued, so the next run starts on an idle server.
 */
export async function steadyWindow(o: autocannon.Options, connections: number, seconds: number): Promise<Window> {
  const answers: { sentAt: number; latency: number }[] = [];
  const started = performance.now();
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const run = autocannon({ ...o, connections, duration: WARM_UP_SECONDS + seconds }, (error, r) => (error ? reject(error instanceof Error ? error : new Error(String(error))) : resolve(r)));
    run.on('response', (_client, _status, _bytes, latency: number) => {
      answers.push({ sentAt: performance.now() - latency - started, latency });
    });
  });
  await fetch(o.url, { method: o.method ?? 'GET', headers: o.headers as Record<string, string> | undefined, body: o.body as string | undefined }).then((r) => r.arrayBuffer());
  const from = WARM_UP_SECONDS * 1000;
  const measured = answers.filter((a) => a.sentAt >= from).map((a) => a.latency).sort((a, b) => a - b);
  const arrived = answers.filter((a) => a.sentAt + a.latency >= from && a.sentAt + a.latency < from + seconds * 1000).length;
  const firstMax = Math.max(0, ...answers.filter((a) => a.sentAt < from).map((a) => a.latency));
  return {
    rps: arrived / seconds,
    p99: measured.length ? measured[Math.ceil(measured.length * 0.99) - 1] : NaN,
    firstMax,
    errors: result.errors + result.non2xx + result.timeouts,
  };
}
export type ColdWarmResult = Record<string, Record<number, { off: Figures; on: Figures; sql?: Figures }>>;

/** API processes per server (BENCH_API_PROCESSES; default one per core, as API_PROCESSES=auto). */
const API_PROCESSES = process.env.BENCH_API_PROCESSES ?? String(os.availableParallelism());

function startApi(dbFile: string, caches: 'on' | 'off'): ChildProcess {
  return spawn(process.execPath, [path.join(ROOT, 'dist/src/main.js')], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATABASE_PATH: dbFile, KOSTRA_SOURCE: 'demo', ETL_SCHEDULE: 'off', LOG_FORMAT: 'json', LOG_LEVEL: 'info', API_CACHES: caches, API_PROCESSES },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
}

async function ready(child: ChildProcess): Promise<number> {
  const port = Number(await waitForLine(child, (l) => /"port":(\d+)/.exec(l)?.[1], 'the server port'));
  await waitForLine(child, (l) => (l.includes('"msg":"ready"') ? 'ok' : undefined), 'the first load');
  return port;
}

export async function coldAndWarm(options: { runs: number; seconds: number; connections?: number[] }): Promise<ColdWarmResult> {
  const connectionCounts = options.connections ?? [1, 10, 50];
  log(`Caches off (cold) and on (warm), ${API_PROCESSES} API process(es) per server (BENCH_API_PROCESSES), at ${connectionCounts.join('/')} connections; the floor is direct SQL, the ceiling { __typename }`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kostra-bench-cold-'));
  const dbFile = path.join(dir, 'w.sqlite');
  const children: ChildProcess[] = [];
  try {
    const warm = startApi(dbFile, 'on');
    children.push(warm);
    const warmPort = await ready(warm); // the first load, then a second server on the loaded file
    const cold = startApi(dbFile, 'off');
    children.push(cold);
    const coldPort = await ready(cold);
    const sqlPort = warmPort === 65535 ? 40000 : warmPort + 1;
    const sql = spawn(process.execPath, [path.join(ROOT, 'dist/test/bench/sql-baseline-server.js'), dbFile, String(sqlPort)], { stdio: ['ignore', 'pipe', 'inherit'] });
    children.push(sql);
    await waitForLine(sql, (l) => (l.includes('listening') ? 'ok' : undefined), 'the SQL baseline server');

    const target = (port: number, query: string): autocannon.Options => ({
      url: `http://127.0.0.1:${port}/graphql`, method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }),
    });
    for (const [name, { query }] of Object.entries(COLD_WARM_QUERIES)) {
      const res = await fetch(`http://127.0.0.1:${coldPort}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
      const body = (await res.json()) as { errors?: unknown; data?: unknown };
      if (body.errors) throw new Error(`${name}: ${JSON.stringify(body.errors)}`);
    }
    const result: ColdWarmResult = {};
    for (const connections of connectionCounts) {
      for (const [name, { query, sql: sqlName }] of Object.entries(COLD_WARM_QUERIES)) {
        const variants: [string, autocannon.Options][] = [['off', target(coldPort, query)], ['on', target(warmPort, query)]];
        if (sqlName) variants.push(['sql', { url: `http://127.0.0.1:${sqlPort}/?q=${sqlName}` }]);
        const runs: Record<string, Window[]> = {};
        for (let i = 0; i < options.runs; i++) for (const [k, o] of variants) (runs[k] ??= []).push(await steadyWindow(o, connections, options.seconds));
        const figures = (rs: Window[]): Figures => ({
          rps: stat(rs.map((r) => r.rps)), p99: stat(rs.map((r) => r.p99)), firstMax: stat(rs.map((r) => r.firstMax)), errors: rs.reduce((n, r) => n + r.errors, 0),
        });
        const row = { off: figures(runs.off), on: figures(runs.on), ...(runs.sql ? { sql: figures(runs.sql) } : {}) };
        (result[name] ??= {})[connections] = row;
        const show = (label: string, f: Figures) => `${label} ${fmt(f.rps.median).padStart(6)} req/s p99 ${fmt(f.p99.median).padStart(5)} ms (first ${fmt(f.firstMax.median).padStart(5)})${f.errors ? ` ERRORS ${f.errors}` : ''}`;
        log(`   c=${String(connections).padEnd(2)} ${name.padEnd(68)} ${show('off', row.off)} | ${show('on', row.on)}${row.sql ? ` | ${show('sql', row.sql)} | off/sql ${fmt(row.off.rps.median / row.sql.rps.median, 2)}` : ''}`);
      }
    }
    return result;
  } finally {
    for (const c of children) c.kill('SIGTERM');
    await Promise.all(children.map((c) => (c.exitCode !== null ? Promise.resolve() : new Promise<void>((r) => c.on('exit', () => r())))));
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
