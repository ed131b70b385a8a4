/**
 * `npm run bench`: load throughput, the request plan at SSB's scale, and GraphQL over HTTP, each against the
 * baselines that bound it, measured side by side in one run (these machines are shared and noisy: compare the
 * ratios, not the absolute figures). Prints a table and writes the figures to BENCH_OUT (test/bench/results.json).
 * The load and the report queries are measured on SQLite and on PostgreSQL (TEST_DATABASE_URL, or the machine's
 * server at 127.0.0.1:5432; a database of its own per run, dropped after it). BENCH_ONLY=load,engines (any of load,
 * plan, graphql, decoding, engines) runs only those sections.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { projectRoot } from '../../core/paths';
import { loadCatalogue } from '../../core/source-catalogue';
import { groupingCodes } from '../../core/service-areas';
import { PxWebClient } from '../../etl/pxweb/client';
import { decodeJsonStat2 } from '../../etl/pxweb/jsonstat-decode';
import { readCuratedInputs } from '../../tools/demo-data/curated';
import { buildModel } from '../../tools/demo-data/model';
import { buildTables } from '../../tools/demo-data/tables';
import { CELLS, syntheticDataset } from './synthetic-table';
import { fmt, log, stat, waitForLine, type Stat } from './common';
import { coldAndWarm } from './cold-warm';
import { freshLocation, postgresAdminUrl, type EngineLocation } from '../helpers/engines';
import { planRequests, type PlanVariable } from '../../etl/pxweb/request-plan';

const ROOT = projectRoot();
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const OUT = path.resolve(ROOT, process.env.BENCH_OUT ?? 'test/bench/results.json');
/** Region codes a KOSTRA table holds at SSB when every code valid since 2015 is asked for (municipality codes of
 *  2015–2024 with their historical ones, ~800, plus the country, EAKUO and 17 KOSTRA groups), rounded up. */
const SSB_REGION_CODES = 900;
const SSB_MAX_CELLS = 800_000;
const SSB_CALLS_PER_MINUTE = 30;

async function loadThroughput() {
  log('1. Load throughput: a synthetic KOSTRA-shaped json-stat2 table of 1 000 000 cells, into SQLite and into PostgreSQL');
  const postgres = Boolean(await postgresAdminUrl());
  const runOnce = async (mode: string, engine: 'sqlite' | 'postgres' = 'sqlite') => {
    const location: EngineLocation | null = engine === 'postgres' ? await freshLocation('postgres') : null;
    try {
      const r = spawnSync(process.execPath, [path.join(ROOT, 'dist/test/bench/load-worker.js'), '--mode', mode], {
        encoding: 'utf8', env: { ...process.env, DATABASE_URL: location?.env.DATABASE_URL ?? '' },
      });
      if (r.status !== 0) throw new Error(`load worker (${mode}, ${engine}) failed: ${r.stderr}`);
      return JSON.parse(r.stdout.trim().split('\n').pop()!) as { factsPerSecond: number; peakRssMb: number; rows: number; stored: number };
    } finally {
      await location?.drop();
    }
  };
  await runOnce('product'); await runOnce('raw'); // warm-up (disk cache, code cache)
  if (postgres) await runOnce('product', 'postgres');
  const product: Awaited<ReturnType<typeof runOnce>>[] = [];
  const raw: Awaited<ReturnType<typeof runOnce>>[] = [];
  const pg: Awaited<ReturnType<typeof runOnce>>[] = [];
  for (let i = 0; i < RUNS; i++) {
    product.push(await runOnce('product'));
    raw.push(await runOnce('raw'));
    if (postgres) pg.push(await runOnce('product', 'postgres'));
  }
  const p = stat(product.map((r) => r.factsPerSecond));
  const b = stat(raw.map((r) => r.factsPerSecond));
  const result = {
    cells: product[0].rows,
    product: { factsPerSecond: p, peakRssMb: stat(product.map((r) => r.peakRssMb)) },
    rawBaseline: { factsPerSecond: b, peakRssMb: stat(raw.map((r) => r.peakRssMb)) },
    ratio: p.median / b.median,
    target: { ratioAtLeast: 0.5, peakRssMbUnder: 400 },
    postgres: pg.length ? { factsPerSecond: stat(pg.map((r) => r.factsPerSecond)), peakRssMb: stat(pg.map((r) => r.peakRssMb)), stored: pg[0].stored } : null,
  };
  log(`   product (decode + merge):   ${fmt(p.median)} facts/s (min ${fmt(p.min)}, max ${fmt(p.max)}), peak RSS ${fmt(result.product.peakRssMb.median)} MB`);
  log(`   raw better-sqlite3 insert:  ${fmt(b.median)} facts/s (min ${fmt(b.min)}, max ${fmt(b.max)}), peak RSS ${fmt(result.rawBaseline.peakRssMb.median)} MB`);
  log(`   ratio ${fmt(result.ratio, 2)} (target ≥ 0.5); peak memory target < 400 MB`);
  if (result.postgres) {
    const q = result.postgres;
    log(`   PostgreSQL product (COPY + merge): ${fmt(q.factsPerSecond.median)} facts/s (min ${fmt(q.factsPerSecond.min)}, max ${fmt(q.factsPerSecond.max)}), peak RSS ${fmt(q.peakRssMb.median)} MB (the loading process; the server's own memory not counted); ${fmt(q.factsPerSecond.median / p.median, 2)} × SQLite`);
  } else {
    log('   PostgreSQL: no server answered, not measured');
  }
  return result;
}

function requestPlan() {
  log(`2. Request plan for the whole catalogue at SSB's scale (${SSB_REGION_CODES} region codes, maxDataCells ${fmt(SSB_MAX_CELLS)})`);
  const { catalogue, serviceAreas } = loadCatalogue();
  const client = new PxWebClient({ baseUrl: 'https://data.ssb.no/api/pxwebapi/v2' });
  const years = Array.from({ length: 10 }, (_, i) => String(catalogue.years.from + i));
  const regions = Array.from({ length: SSB_REGION_CODES }, (_, i) => (i < 880 ? String(101 + i * 6).padStart(4, '0') : `EKG${String(i - 879).padStart(2, '0')}`));
  // Each indicator from its preferred source, as SSB's documented layout would resolve it.
  const chosen = catalogue.indicators.map((i) => i.sources[0]);
  const areas = [...Array.from({ length: 17 }, (_, i) => `FGK${i + 1}`), ...groupingCodes(serviceAreas).filter((c) => !c.startsWith('FGK'))];
  const tables = catalogue.tables.filter((t) => chosen.some((c) => c.table === t.id)).map((t) => {
    const mine = chosen.filter((c) => c.table === t.id);
    const vars: PlanVariable[] = [{ variableCode: t.regionVariable, codes: regions, splittable: true }];
    if (t.serviceAreaVariable) vars.push({ variableCode: t.serviceAreaVariable, codes: areas, splittable: true });
    if (t.conceptVariable) vars.push({ variableCode: t.conceptVariable, codes: [...new Set(mine.flatMap((c) => (c.concept ? [c.concept] : [])))], splittable: true });
    vars.push({ variableCode: 'ContentsCode', codes: [...new Set(mine.map((c) => c.content))], splittable: false });
    vars.push({ variableCode: 'Tid', codes: years, splittable: false });
    const cells = vars.reduce((n, v) => n * v.codes.length, 1);
    const requests = planRequests(vars, SSB_MAX_CELLS);
    const wire = requests.map((selection) => client.planDataRequest(t.id, { selection }));
    const maxCells = Math.max(...requests.map((r) => r.reduce((n, v) => n * v.valueCodes.length, 1)));
    const getUrls = wire.filter((w) => w.method === 'GET').map((w) => w.url.length);
    return { table: t.id, cells, requests: requests.length, lowerBound: Math.ceil(cells / SSB_MAX_CELLS), maxRequestCells: maxCells,
      get: getUrls.length, post: wire.length - getUrls.length, longestGetUrl: getUrls.length ? Math.max(...getUrls) : 0 };
  });
  const dataRequests = tables.reduce((n, t) => n + t.requests, 0);
  const bound = tables.reduce((n, t) => n + t.lowerBound, 0);
  const calls = 1 + 1 + tables.length * 2 + dataRequests; // config, Klass, table + metadata per table, data
  const minutes = calls <= SSB_CALLS_PER_MINUTE ? 0 : (calls - SSB_CALLS_PER_MINUTE) / SSB_CALLS_PER_MINUTE;
  for (const t of tables) {
    log(`   ${t.table}: ${fmt(t.cells)} cells → ${t.requests} request(s), lower bound ${t.lowerBound}; largest ${fmt(t.maxRequestCells)} cells; ${t.get} GET (longest URL ${t.longestGetUrl}), ${t.post} POST`);
  }
  log(`   total ${dataRequests} data requests against a lower bound of ${bound} (${fmt(dataRequests / bound, 2)} × the bound; target ≤ 1.1)`);
  log(`   a full refresh makes ${calls} calls: at ${SSB_CALLS_PER_MINUTE} per minute it needs ${minutes === 0 ? 'no waiting (under one window)' : `≈ ${fmt(minutes, 1)} min of waiting`}`);
  return { regionCodes: SSB_REGION_CODES, tables, dataRequests, lowerBound: bound, ratio: dataRequests / bound, calls, minutesAt30PerMinute: minutes };
}

async function graphql() {
  log('3. GraphQL over HTTP (autocannon), against `{ __typename }` (the stack\'s ceiling) and direct SQL (the data\'s floor)');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kostra-bench-gql-'));
  const dbFile = path.join(dir, 'w.sqlite');
  const server = spawn(process.execPath, [path.join(ROOT, 'dist/src/main.js')], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATABASE_PATH: dbFile, KOSTRA_SOURCE: 'demo', ETL_SCHEDULE: 'off', LOG_FORMAT: 'json', LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let sql: ChildProcess | null = null;
  try {
    const port = Number(await waitForLine(server, (l) => /"port":(\d+)/.exec(l)?.[1], 'the server port'));
    await waitForLine(server, (l) => (l.includes('"msg":"ready"') ? 'ok' : undefined), 'the first load');
    const sqlPort = port + 1;
    sql = spawn(process.execPath, [path.join(ROOT, 'dist/test/bench/sql-baseline-server.js'), dbFile, String(sqlPort)], { stdio: ['ignore', 'pipe', 'inherit'] });
    await waitForLine(sql, (l) => (l.includes('listening') ? 'ok' : undefined), 'the SQL baseline server');
    const gqlUrl = `http://127.0.0.1:${port}/graphql`;
    const post = async (query: string) => fetch(gqlUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
    const keys = ((await (await post('{ municipalities { key } }')).json()) as any).data.municipalities.map((m: { key: string }) => m.key) as string[];
    const queries: Record<string, string> = {
      index: fs.readFileSync(path.join(ROOT, 'schema/examples/01-status-index-2024.graphql'), 'utf8'),
      series: `{ metricSeries(metric: "resultatgrad", years: { from: 2015, to: 2024 }, subjects: [${keys.map((k) => `{ municipality: "${k}" }`).join(',')}]) { series { subject { id } points { year value } } } }`,
      facts: '{ facts(first: 500) { totalCount edges { cursor node { region { code } year indicator { key } serviceArea { code } value status } } pageInfo { endCursor } } }',
    };
    let uncached = 0;
    const statements: Record<string, number> = {};
    for (const [name, query] of Object.entries(queries)) {
      const res = await post(query);
      const body = (await res.json()) as { errors?: unknown };
      if (body.errors) throw new Error(`${name}: ${JSON.stringify(body.errors)}`);
      statements[name] = Number(res.headers.get('x-sql-statements'));
    }
    const targets: Record<string, autocannon.Options> = {
      typename: { url: gqlUrl, method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ __typename }' }) },
      ...Object.fromEntries(Object.entries(queries).flatMap(([name, query]) => [
        [`graphql:${name}`, { url: gqlUrl, method: 'POST' as const, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) }],
        [`sql:${name}`, { url: `http://127.0.0.1:${sqlPort}/?q=${name}` }],
      ])),
      // Every request a different text (a numbered comment): the response cache never hits, so this is the cost of
      // computing the index table from the warehouse each time.
      'graphql:index-nocache': {
        url: gqlUrl, method: 'POST', headers: { 'content-type': 'application/json' },
        requests: [{ setupRequest: (req: any) => ({ ...req, body: JSON.stringify({ query: `# ${++uncached}\n${queries.index}` }) }) }],
      },
    };
    const results: Record<string, Record<number, { rps: Stat; p50: Stat; p99: Stat; errors: number }>> = {};
    for (const connections of [1, 10, 50]) {
      for (const [name, options] of Object.entries(targets)) {
        await autocannon({ ...options, connections, duration: 1 });
        const runs: autocannon.Result[] = [];
        for (let i = 0; i < RUNS; i++) runs.push(await autocannon({ ...options, connections, duration: SECONDS }));
        (results[name] ??= {})[connections] = {
          rps: stat(runs.map((r) => r.requests.average)), p50: stat(runs.map((r) => r.latency.p50)), p99: stat(runs.map((r) => r.latency.p99)),
          errors: runs.reduce((n, r) => n + r.errors + r.non2xx, 0),
        };
        const r = results[name][connections];
        log(`   ${name.padEnd(16)} c=${String(connections).padEnd(3)} ${fmt(r.rps.median).padStart(7)} req/s (min ${fmt(r.rps.min)}, max ${fmt(r.rps.max)})  p50 ${fmt(r.p50.median, 1)} ms  p99 ${fmt(r.p99.median, 1)} ms${r.errors ? `  ERRORS ${r.errors}` : ''}`);
      }
    }
    const indexVsTypename = results['graphql:index'][50].rps.median / results.typename[50].rps.median;
    log(`   SQL statements per request: ${Object.entries(statements).map(([k, v]) => `${k} ${v}`).join(', ')}`);
    log(`   index table at 50 connections: ${fmt(indexVsTypename, 2)} × the __typename throughput (target ≥ 0.5); p99 ${fmt(results['graphql:index'][50].p99.median, 1)} ms (target < 100 ms)`);
    log(`   uncached (a new warehouse version, or a never-seen query): ${fmt(results['graphql:index-nocache'][50].rps.median / results.typename[50].rps.median, 2)} × __typename; direct SQL: ${fmt(results['sql:index'][50].rps.median / results.typename[50].rps.median, 2)} × __typename`);
    return { results, statements, indexVsTypenameAt50: indexVsTypename, indexP99At50: results['graphql:index'][50].p99.median,
      uncachedIndexVsTypenameAt50: results['graphql:index-nocache'][50].rps.median / results.typename[50].rps.median, municipalities: keys.length };
  } finally {
    server.kill('SIGTERM');
    sql?.kill('SIGTERM');
    await new Promise((r) => server.on('exit', r));
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The report's index table (the status index of schema/examples/01, a new text each request so no cache answers it)
 * at 10 connections, while a forced full reload runs (in the server's refresh process) and right after it at rest,
 * for as long as the reload took: the reload's cost to the API's latency, side by side.
 */
async function duringReload() {
  log('6. The report\'s index table at 10 connections: p99 during a forced full reload (run by the server\'s refresh process) beside p99 at rest');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kostra-bench-reload-'));
  const token = 'bench-admin-token-0123456789';
  const server = spawn(process.execPath, [path.join(ROOT, 'dist/src/main.js')], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATABASE_PATH: path.join(dir, 'w.sqlite'), KOSTRA_SOURCE: 'demo', ETL_SCHEDULE: 'off', LOG_FORMAT: 'json', LOG_LEVEL: 'info', ADMIN_TOKEN: token },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const port = Number(await waitForLine(server, (l) => /"port":(\d+)/.exec(l)?.[1], 'the server port'));
    const url = `http://127.0.0.1:${port}/graphql`;
    const post = async (query: string, headers: Record<string, string> = {}) => (await fetch(url, {
      method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query }),
    })).json() as Promise<any>;
    const status = async () => (await post('{ warehouseStatus { refreshRunning sourceTables { id } } }')).data.warehouseStatus as { refreshRunning: boolean; sourceTables: unknown[] };
    for (;;) {
      const s = await status();
      if (!s.refreshRunning && s.sourceTables.length) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const index = fs.readFileSync(path.join(ROOT, 'schema/examples/01-status-index-2024.graphql'), 'utf8');
    let n = 0;
    const base: autocannon.Options = { url, method: 'POST', headers: { 'content-type': 'application/json' }, connections: 10 };
    const targets: Record<string, autocannon.Options> = {
      // As the report page sends it: the same text, answered from the response cache until a table's commit moves the version.
      report: { ...base, body: JSON.stringify({ query: index }) },
      // A new text each time: computed from the warehouse on every request.
      uncached: { ...base, requests: [{ setupRequest: (req: any) => ({ ...req, body: JSON.stringify({ query: `# ${++n}\n${index}` }) }) }] },
    };
    const measure = async (target: autocannon.Options) => {
      const answer = await post('mutation { refreshWarehouse(force: true) { started message } }', { authorization: `Bearer ${token}` });
      if (!answer.data?.refreshWarehouse?.started) throw new Error(`the reload did not start: ${JSON.stringify(answer)}`);
      const t0 = Date.now();
      const during = await new Promise<autocannon.Result>((resolve, reject) => {
        const instance = autocannon({ ...target, duration: 600 }, (err: Error | null, result: autocannon.Result) => (err ? reject(err) : resolve(result)));
        const poll = async () => {
          if ((await status()).refreshRunning) setTimeout(() => void poll(), 100);
          else instance.stop();
        };
        void poll();
      });
      const reloadSeconds = (Date.now() - t0) / 1000;
      const rest = await autocannon({ ...target, duration: Math.max(1, Math.round(reloadSeconds)) });
      return { reloadSeconds, during, rest };
    };
    const result: Record<string, unknown> = { connections: 10, target: { p99DuringMsUnder: 100 } };
    for (const [name, target] of Object.entries(targets)) {
      await autocannon({ ...target, duration: 1 });
      const runs: Awaited<ReturnType<typeof measure>>[] = [];
      for (let i = 0; i < RUNS; i++) runs.push(await measure(target));
      const pick = (f: (r: (typeof runs)[number]) => number) => stat(runs.map(f));
      const side = (k: 'during' | 'rest') => ({
        p50: pick((r) => r[k].latency.p50), p99: pick((r) => r[k].latency.p99), rps: pick((r) => r[k].requests.average),
        errors: runs.reduce((e, r) => e + r[k].errors + r[k].non2xx, 0),
      });
      const figures = { reloadSeconds: pick((r) => r.reloadSeconds), during: side('during'), rest: side('rest') };
      result[name] = figures;
      const line = (label: string, f: ReturnType<typeof side>) => log(`     ${label} p99 ${fmt(f.p99.median, 1)} ms (min ${fmt(f.p99.min, 1)}, max ${fmt(f.p99.max, 1)}), p50 ${fmt(f.p50.median, 1)} ms, ${fmt(f.rps.median)} req/s${f.errors ? `  ERRORS ${f.errors}` : ''}`);
      log(`   ${name === 'report' ? 'as the report sends it (the same text: cached between versions)' : 'uncached (a new text each request)'}; a forced full reload took ${fmt(figures.reloadSeconds.median, 1)} s`);
      line('during the reload:', figures.during);
      line('at rest:          ', figures.rest);
      log(`     p99 during / at rest: ${fmt(figures.during.p99.median / Math.max(figures.rest.p99.median, 0.001), 2)}${name === 'report' ? ` (target: during < 100 ms: ${figures.during.p99.median < 100 ? 'met' : 'NOT met'})` : ''}`);
    }
    return result;
  } finally {
    server.kill('SIGTERM');
    await new Promise((r) => server.on('exit', r));
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Milliseconds of `fn`, median of RUNS after one warm-up. */
function timed(fn: () => void): Stat {
  fn();
  const ms: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = process.hrtime.bigint();
    fn();
    ms.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return stat(ms);
}

/** The timings the unit tests used to assert (they fail on a loaded machine; here they are figures, side by side). */
function decodeAndDemo() {
  log(`5. Decoding json-stat2 (${fmt(CELLS)} cells) against a plain walk of the same values; the demo dataset build`);
  const ds = syntheticDataset(true);
  const values = ds.value;
  let sink = 0;
  const decode = timed(() => { decodeJsonStat2(ds).forEachCell((_p, v) => { if (v !== null) sink += v; }); });
  const walk = timed(() => { for (let i = 0; i < values.length; i++) { const v = values[i]; if (v !== null) sink += v; } });
  const demo = timed(() => { for (const t of buildTables(buildModel(readCuratedInputs())).documented) t.cube(); });
  log(`   decode + walk: ${fmt(decode.median, 1)} ms (min ${fmt(decode.min, 1)}, max ${fmt(decode.max, 1)}); plain walk ${fmt(walk.median, 1)} ms; ratio ${fmt(decode.median / Math.max(walk.median, 0.001), 1)}`);
  log(`   demo dataset (model and every table's cube): ${fmt(demo.median)} ms (min ${fmt(demo.min)}, max ${fmt(demo.max)})`);
  return { cells: CELLS, decodeMs: decode, plainWalkMs: walk, ratio: decode.median / Math.max(walk.median, 0.001), demoBuildMs: demo, checksum: sink > 0 };
}

/**
 * The report's queries (schema/examples 01–05) on each engine, through the real server over the demo data: cached
 * (the response cache answers: the engine is not asked) and uncached (a new text each time: every statement runs).
 */
async function engines() {
  log('7. The report queries (schema/examples 01–05) on SQLite and on PostgreSQL, 10 connections');
  const names = fs.readdirSync(path.join(ROOT, 'schema/examples')).filter((f) => /^0[1-5].*\.graphql$/.test(f)).sort();
  const queries = Object.fromEntries(names.map((f) => [f.replace(/\.graphql$/, ''), fs.readFileSync(path.join(ROOT, 'schema/examples', f), 'utf8')]));
  const out: Record<string, Record<string, { cached: { rps: Stat; p99: Stat }; uncached: { rps: Stat; p99: Stat } }>> = {};
  for (const engine of ['sqlite', 'postgres'] as const) {
    if (engine === 'postgres' && !(await postgresAdminUrl())) { log('   PostgreSQL: no server answered, not measured'); continue; }
    const location = await freshLocation(engine);
    const server = spawn(process.execPath, [path.join(ROOT, 'dist/src/main.js')], {
      env: { ...process.env, ...location.env, PORT: '0', HOST: '127.0.0.1', KOSTRA_SOURCE: 'demo', ETL_SCHEDULE: 'off', LOG_FORMAT: 'json', LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      const port = Number(await waitForLine(server, (l) => /"port":(\d+)/.exec(l)?.[1], 'the server port'));
      await waitForLine(server, (l) => (l.includes('"msg":"ready"') ? 'ok' : undefined), 'the first load');
      const url = `http://127.0.0.1:${port}/graphql`;
      out[engine] = {};
      for (const [name, query] of Object.entries(queries)) {
        let n = 0;
        const cached: autocannon.Options = { url, method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }), connections: 10 };
        const uncached: autocannon.Options = { ...cached, requests: [{ setupRequest: (req: any) => ({ ...req, body: JSON.stringify({ query: `# ${++n}\n${query}` }) }) }] };
        const measure = async (options: autocannon.Options) => {
          await autocannon({ ...options, duration: 1 });
          const runs: autocannon.Result[] = [];
          for (let i = 0; i < RUNS; i++) runs.push(await autocannon({ ...options, duration: SECONDS }));
          const errors = runs.reduce((s, r) => s + r.errors + r.non2xx, 0);
          if (errors) throw new Error(`${engine} ${name}: ${errors} errors`);
          return { rps: stat(runs.map((r) => r.requests.average)), p99: stat(runs.map((r) => r.latency.p99)) };
        };
        out[engine][name] = { cached: await measure(cached), uncached: await measure(uncached) };
      }
    } finally {
      server.kill('SIGTERM');
      await new Promise((r) => server.on('exit', r));
      await location.drop();
    }
  }
  for (const name of Object.keys(queries)) {
    const cell = (engine: string, kind: 'cached' | 'uncached') => {
      const r = out[engine]?.[name]?.[kind];
      return r ? `${fmt(r.rps.median).padStart(6)} req/s p99 ${fmt(r.p99.median, 1).padStart(6)} ms` : '—'.padStart(30);
    };
    log(`   ${name.padEnd(30)} uncached: SQLite ${cell('sqlite', 'uncached')} | PostgreSQL ${cell('postgres', 'uncached')}`);
    log(`   ${''.padEnd(30)} cached:   SQLite ${cell('sqlite', 'cached')} | PostgreSQL ${cell('postgres', 'cached')}`);
  }
  return out;
}

/** Sections to run (BENCH_ONLY=cold-warm,graphql …); all by default. */
const SECTIONS = ['load', 'plan', 'graphql', 'cold-warm', 'decode', 'reload', 'engines'] as const;
const only = (process.env.BENCH_ONLY ?? '').split(',').map((s) => s.trim()).filter(Boolean);
const unknownSections = only.filter((s) => !(SECTIONS as readonly string[]).includes(s));
if (unknownSections.length) throw new Error(`BENCH_ONLY: unknown section(s) ${unknownSections.join(', ')}; allowed: ${SECTIONS.join(', ')}`);
const wanted = (section: (typeof SECTIONS)[number]) => only.length === 0 || only.includes(section);

async function main() {
  const started = Date.now();
  const machine = { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memoryGb: Math.round(os.totalmem() / 2 ** 30), node: process.version, platform: `${os.platform()} ${os.release()}` };
  log(`kostra-warehouse benchmark — ${machine.cpus} × ${machine.cpuModel}, ${machine.memoryGb} GB, Node ${machine.node}; median of ${RUNS} runs after a warm-up`);
  log();
  const out: Record<string, unknown> = { date: new Date().toISOString(), machine, runs: RUNS, secondsPerRun: SECONDS };
  if (wanted('load')) { out.load = await loadThroughput(); log(); }
  if (wanted('plan')) { out.plan = requestPlan(); log(); }
  if (wanted('graphql')) { out.graphql = await graphql(); log(); }
  if (wanted('cold-warm')) {
    log('4. GraphQL with caches off and on');
    out.coldWarm = await coldAndWarm({ runs: Math.min(RUNS, 2), seconds: Math.min(SECONDS, 2) });
    log();
  }
  if (wanted('decode')) { out.decoding = decodeAndDemo(); log(); }
  if (wanted('reload')) { out.duringReload = await duringReload(); log(); }
  if (wanted('engines')) { out.engines = await engines(); log(); }
  out.durationSeconds = (Date.now() - started) / 1000;
  fs.mkdirSync(path.dirname(OUT), { recursive: true });
  fs.writeFileSync(OUT, `${JSON.stringify(out, null, 2)}\n`);
  log();
  log(`figures written to ${path.relative(ROOT, OUT)} (${fmt(Number(out.durationSeconds))} s)`);
}

main().catch((e) => { process.stderr.write(`bench: ${(e as Error).stack}\n`); process.exit(1); });
