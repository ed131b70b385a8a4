import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { insertRows, type WarehouseStore } from '../db/store';
import { projectRoot } from '../core/paths';

/**
 * Curated inputs that SSB does not publish: the expenditure-need index (inntektssystemet) and the kommunal
 * deflator. They live as CSV files in etl/curated/ with their source in sources.json, and every ETL run loads
 * them whole (they are small), in one transaction.
 */
export interface CuratedResult {
  /** False when the files are byte for byte what the last curated load wrote: nothing was written. */
  changed: boolean;
  needIndexRows: number;
  deflatorRows: number;
  sources: { id: string; source: string; demo: boolean }[];
}

export class CuratedInputError extends Error {
  constructor(file: string, problems: string[]) {
    super(`${file} is invalid:\n${problems.slice(0, 20).map((p) => `  - ${p}`).join('\n')}${problems.length > 20 ? `\n  … and ${problems.length - 20} more` : ''}\nFix the file and run the ETL again.`);
    this.name = 'CuratedInputError';
  }
}

/** The shipped curated files (the configuration's CURATED_DIR default). */
export function defaultCuratedDir(): string {
  return path.join(projectRoot(), 'etl', 'curated');
}

/** Parses a simple comma-separated file with a header row (no quoted fields: these files are numbers and codes). */
export function parseCsv(text: string, file: string, columns: string[]): Record<string, string>[] {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() && !l.startsWith('#'));
  const header = lines.shift()?.split(',').map((h) => h.trim()) ?? [];
  const missing = columns.filter((c) => !header.includes(c));
  if (missing.length) throw new CuratedInputError(file, [`header must have ${columns.join(',')}; missing ${missing.join(', ')}`]);
  return lines.map((line) => {
    const cells = line.split(',');
    return Object.fromEntries(header.map((h, i) => [h, (cells[i] ?? '').trim()]));
  });
}

/** Load records of curated inputs use this table id; their `ssb_updated` holds the files' content hash. */
export const CURATED_TABLE_ID = 'curated';

/**
 * Loads the curated files when their content changed since the last curated load, with a load record of its own
 * so the warehouse version moves and cached answers that used the old values are not served again.
 */
export async function loadCuratedInputs(store: WarehouseStore, runId: string, now: () => Date = () => new Date(), dir = defaultCuratedDir()): Promise<CuratedResult> {
  const texts = new Map(['sources.json', 'need-index.csv', 'deflator.csv'].map((name) => [name, fs.readFileSync(path.join(dir, name), 'utf8')]));
  const read = (name: string) => texts.get(name)!;
  const sources = JSON.parse(read('sources.json')) as Record<string, { source: string; demo?: boolean; note?: string }>;
  const hash = crypto.createHash('sha256');
  for (const [name, text] of texts) hash.update(`${name}\0${text}\0`);
  const contentHash = `sha256:${hash.digest('hex')}`;

  const needProblems: string[] = [];
  const need = parseCsv(read('need-index.csv'), 'need-index.csv', ['municipality_key', 'year', 'sector', 'value']).map((r, i) => {
    const value = Number(r.value);
    const year = Number(r.year);
    if (!/^\d{4}$/.test(r.municipality_key)) needProblems.push(`line ${i + 2}: municipality_key "${r.municipality_key}" is not a 4-digit code`);
    if (!Number.isInteger(year)) needProblems.push(`line ${i + 2}: year "${r.year}" is not a year`);
    if (!(value > 0)) needProblems.push(`line ${i + 2}: value "${r.value}" must be a positive index (national average = 1.00)`);
    return [r.municipality_key, year, r.sector, value] as const;
  });
  if (needProblems.length) throw new CuratedInputError('need-index.csv', needProblems);

  const deflatorProblems: string[] = [];
  const deflator = parseCsv(read('deflator.csv'), 'deflator.csv', ['year', 'value']).map((r, i) => {
    const value = Number(r.value);
    if (!Number.isInteger(Number(r.year))) deflatorProblems.push(`line ${i + 2}: year "${r.year}" is not a year`);
    if (!Number.isFinite(value) || Math.abs(value) > 0.5) deflatorProblems.push(`line ${i + 2}: value "${r.value}" must be a yearly growth rate such as 0.045`);
    return [Number(r.year), value] as const;
  });
  if (deflatorProblems.length) throw new CuratedInputError('deflator.csv', deflatorProblems);

  const summary = {
    needIndexRows: need.length,
    deflatorRows: deflator.length,
    sources: Object.entries(sources).map(([id, s]) => ({ id, source: s.source, demo: Boolean(s.demo) })),
  };
  const last = (await store.get({ hash: 'string?' }, `SELECT ssb_updated AS hash FROM load WHERE table_id = ? AND status = 'succeeded' ORDER BY id DESC LIMIT 1`, [CURATED_TABLE_ID], 'last curated load'))?.hash;
  if (last === contentHash) return { changed: false, ...summary };

  const at = now().toISOString();
  await store.write(async (tx) => {
    await tx.run('DELETE FROM need_index');
    await insertRows(tx, 'need_index', ['municipality_key', 'year', 'sector', 'value'], need);
    await tx.run('DELETE FROM deflator');
    await insertRows(tx, 'deflator', ['year', 'value'], deflator);
    for (const [id, s] of Object.entries(sources)) {
      await tx.run(`INSERT INTO curated_source (id, source, demo, note, loaded_at) VALUES (?, ?, ?, ?, ?)
        ON CONFLICT (id) DO UPDATE SET source = excluded.source, demo = excluded.demo, note = excluded.note, loaded_at = excluded.loaded_at`,
      [id, s.source, Boolean(s.demo), s.note ?? null, at]);
    }
    await tx.run(`INSERT INTO load (run_id, table_id, source, status, started_at, finished_at, ssb_updated, inserted, pid)
      VALUES (?, ?, 'curated', 'succeeded', ?, ?, ?, ?, ?)`, [runId, CURATED_TABLE_ID, at, at, contentHash, need.length + deflator.length, process.pid]);
  });
  return { changed: true, ...summary };
}
