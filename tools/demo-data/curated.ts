import fs from 'node:fs';
import path from 'node:path';
import { defaultCuratedDir, parseCsv } from '../../etl/curated-inputs';

/**
 * The curated inputs the demo generator calibrates against: the same files the ETL loads into the warehouse
 * (etl/curated/need-index.csv and deflator.csv, or CURATED_DIR), so need-corrected, inflation-adjusted figures
 * computed by the product from the demo data reproduce the report whatever values those files hold.
 */
export interface CuratedInputs {
  /** `${key}/${year}/${sector}` -> index */
  need: Map<string, number>;
  /** year -> growth rate */
  deflator: Map<number, number>;
  dir: string;
}

export const NEED_SECTORS = ['grunnskole', 'pleie_omsorg', 'barnehage', 'kommunehelse', 'sosialhjelp', 'barnevern', 'administrasjon', 'total'] as const;
export type NeedSector = (typeof NEED_SECTORS)[number];

export function readCuratedInputs(dir: string = defaultCuratedDir()): CuratedInputs {
  const read = (name: string) => fs.readFileSync(path.join(dir, name), 'utf8');
  const need = new Map<string, number>();
  for (const r of parseCsv(read('need-index.csv'), 'need-index.csv', ['municipality_key', 'year', 'sector', 'value'])) {
    need.set(`${r.municipality_key}/${Number(r.year)}/${r.sector}`, Number(r.value));
  }
  const deflator = new Map<number, number>();
  for (const r of parseCsv(read('deflator.csv'), 'deflator.csv', ['year', 'value'])) deflator.set(Number(r.year), Number(r.value));
  return { need, deflator, dir };
}

/** Need index of a municipality (key = newest code) for a sector and year; 1.00 when the file has no row. */
export function needIndex(c: CuratedInputs, key: string, year: number, sector: NeedSector): number {
  return c.need.get(`${key}/${year}/${sector}`) ?? 1;
}

/** Factor that inflates a year-`from` amount to year-`to` value: Π_{t=from+1..to} (1 + deflator_t). */
export function inflationFactor(c: CuratedInputs, from: number, to: number): number {
  let f = 1;
  for (let t = from + 1; t <= to; t++) f *= 1 + (c.deflator.get(t) ?? 0);
  return f;
}
