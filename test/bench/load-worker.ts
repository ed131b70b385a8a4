/**
 * One load-throughput measurement in its own process (so its peak memory is its own): `--mode product` decodes and
 * merges the synthetic table through the ETL's normalize and merge stages; `--mode raw` inserts the same rows into
 * the same fact table with one prepared statement in one transaction (SQLite only). With DATABASE_URL set, the
 * product mode loads into that PostgreSQL database instead of a temporary SQLite file. Prints one JSON line.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openStore } from '../../db/store';
import { SqliteSql } from '../../db/store/sqlite';
import { resolveTable, tableMetadata } from '../../etl/resolve';
import { FactBuffer } from '../../etl/load/fact-buffer';
import { LoadRecords, zeroCounts } from '../../etl/load/load-records';
import { mergeTable } from '../../etl/load/merge';
import { appendResponse } from '../../etl/normalize';
import { decodeJsonStat2 } from '../../etl/pxweb/jsonstat-decode';
import { CELLS, DECLARATION, INDICATORS, syntheticDataset } from './synthetic-table';

async function main() {
  const mode = process.argv[process.argv.indexOf('--mode') + 1];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kostra-bench-'));
  const store = await openStore({ path: path.join(dir, 'w.sqlite'), url: process.env.DATABASE_URL || null });
  const metadata = syntheticDataset(false);
  const data = syntheticDataset(true);
  const catalogue = { years: { from: 2015 }, regions: { include: ['^\\d{4}$'] }, tables: [DECLARATION], indicators: [] };
  const resolved = resolveTable(DECLARATION, catalogue, { serviceAreas: [], groupings: [] }, tableMetadata(metadata), INDICATORS);
  const selection = resolved.variables.map((v) => ({ variableCode: v.variableCode, valueCodes: v.codes }));
  let ms: number;
  let rows: number;
  if (mode === 'product') {
    const loadId = await new LoadRecords(store).start('bench', DECLARATION.id, 'live', data.updated ?? null);
    const t0 = process.hrtime.bigint();
    const buffer = new FactBuffer(CELLS);
    appendResponse(resolved, selection, data, buffer);
    const counts = await mergeTable(store, {
      loadId, resolved, buffer, municipalityKeys: new Map(), codeValidity: new Map(), ssbUpdated: data.updated!, source: 'live',
      counts: zeroCounts(), serviceAreas: { serviceAreas: [], groupings: [] },
    });
    ms = Number(process.hrtime.bigint() - t0) / 1e6;
    rows = counts.inserted;
  } else {
    if (!(store instanceof SqliteSql)) throw new Error('--mode raw measures SQLite only');
    const db = store.db;
    // Facts without dimension rows: the baseline measures the insert alone, not the foreign keys' lookups.
    db.pragma('foreign_keys = OFF');
    // the same rows, prepared outside the timing: the baseline is the database's own insert speed
    db.prepare("INSERT INTO indicator (key, table_id, content_code, concept_variable, concept_code, label, unit, decimals) VALUES ('raw', '99362', 'c', null, null, 'raw', 'kr', 0)").run();
    const cube = decodeJsonStat2(data);
    const tuples: [number, number, string, string, number | null, string | null][] = [];
    const [regions, functions, , , years] = cube.dims.map((d) => d.codes);
    cube.forEachCell((pos, value, status) => {
      tuples.push([1 + pos[2] * 2 + pos[3], Number(years[pos[4]]), regions[pos[0]], functions[pos[1]], value, status]);
    });
    const insert = db.prepare('INSERT INTO fact (indicator_id, year, region_code, service_area_code, value, status, load_id) VALUES (?, ?, ?, ?, ?, ?, 1)');
    const t0 = process.hrtime.bigint();
    db.transaction(() => { for (const t of tuples) insert.run(...t); })();
    ms = Number(process.hrtime.bigint() - t0) / 1e6;
    rows = tuples.length;
  }
  const stored = (await store.get({ n: 'number' }, 'SELECT COUNT(*) AS n FROM fact'))?.n ?? 0;
  await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
  process.stdout.write(`${JSON.stringify({ mode, engine: store.engine, rows, stored, ms, factsPerSecond: rows / (ms / 1000), peakRssMb: process.resourceUsage().maxRSS / 1024 })}\n`);
}

main().catch((e) => { process.stderr.write(`${(e as Error).stack}\n`); process.exit(1); });
