/**
 * Test helpers for the demo/stand-in tests: a minimal json-stat2 decoder (through category.index, any dimension
 * order), the report fixtures, and the calculations the report makes (weighted group averages, need-corrected
 * inflation-adjusted NOK per inhabitant) done from raw cells.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { JsonStat2Dataset, KlassCodeChange } from '../../etl/pxweb/types';

export interface Cell {
  value: number | null;
  status?: string;
}

/** Decodes a json-stat2 dataset into a lookup by category codes given as {dimension: code}. */
export function decode(ds: JsonStat2Dataset): { get(coords: Record<string, string>): Cell; cells(): { coords: Record<string, string>; cell: Cell }[] } {
  const ids = ds.id;
  const sizes = ds.size;
  const index = ids.map((id) => {
    const idx = ds.dimension[id].category.index;
    return Array.isArray(idx) ? Object.fromEntries(idx.map((c, i) => [c, i])) : idx;
  });
  const strides: number[] = [];
  let s = 1;
  for (let k = ids.length - 1; k >= 0; k--) {
    strides[k] = s;
    s *= sizes[k];
  }
  if (s !== ds.value.length) throw new Error(`json-stat2: size product ${s} != value length ${ds.value.length}`);
  const status = (flat: number): string | undefined => {
    if (!ds.status) return undefined;
    return Array.isArray(ds.status) ? ds.status[flat] ?? undefined : ds.status[String(flat)];
  };
  const get = (coords: Record<string, string>): Cell => {
    let flat = 0;
    ids.forEach((id, k) => {
      const pos = index[k][coords[id]];
      if (pos === undefined) throw new Error(`json-stat2: no ${id}=${coords[id]} in the answer`);
      flat += pos * strides[k];
    });
    return { value: ds.value[flat], status: status(flat) };
  };
  const cells = () => {
    const codes = index.map((ix) => Object.entries(ix).sort((a, b) => a[1] - b[1]).map((e) => e[0]));
    return ds.value.map((value, flat) => {
      const coords: Record<string, string> = {};
      let rest = flat;
      ids.forEach((id, k) => {
        coords[id] = codes[k][Math.floor(rest / strides[k])];
        rest %= strides[k];
      });
      return { coords, cell: { value, status: status(flat) } };
    });
  };
  return { get, cells };
}

export const FIXTURES = path.resolve(__dirname, '../../../test/fixtures/report');

export function readCsv(name: string): Record<string, string>[] {
  const text = fs.readFileSync(path.join(FIXTURES, name), 'utf8');
  const lines = text.split(/\r?\n/).filter(Boolean);
  const parse = (line: string) => {
    const out: string[] = [];
    let cur = '';
    let q = false;
    for (const ch of line) {
      if (ch === '"') q = !q;
      else if (ch === ',' && !q) {
        out.push(cur);
        cur = '';
      } else cur += ch;
    }
    out.push(cur);
    return out;
  };
  const header = parse(lines[0]);
  return lines.slice(1).map((l) => Object.fromEntries(parse(l).map((v, i) => [header[i], v])));
}

/** Rounds half away from zero, as published tables do. */
export function round(v: number, decimals: number): number {
  const f = Math.pow(10, decimals);
  const r = Math.round(Math.abs(v) * f + 1e-9) / f;
  return v < 0 ? -r : r;
}

/** ASSS u/Oslo member codes by period (the municipalities' codes valid that year). */
export const ASSS_CODES: Record<string, string[]> = {
  '2020-2023': ['3024', '3025', '3030', '3004', '3005', '4204', '1103', '1108', '4601', '5001', '5401'],
  '2024': ['3201', '3203', '3205', '3107', '3301', '4204', '1103', '1108', '4601', '5001', '5501'],
};
export function asssCodes(year: number): string[] {
  return year >= 2024 ? ASSS_CODES['2024'] : ASSS_CODES['2020-2023'];
}
export const BAERUM: Record<number, string> = { 2020: '3024', 2021: '3024', 2022: '3024', 2023: '3024', 2024: '3201' };
export const ASKER: Record<number, string> = { 2020: '3025', 2021: '3025', 2022: '3025', 2023: '3025', 2024: '3203' };
/** Code of a 2024 member in a year 2020–2024. */
export function codeIn(key: string, year: number): string {
  const i = ASSS_CODES['2024'].indexOf(key);
  if (i < 0) throw new Error(`not an ASSS key: ${key}`);
  return asssCodes(year)[i];
}

export type Decoded = ReturnType<typeof decode>;

/**
 * What a code's territory counted on 31 December of `year`, from table 07459 (population 1 January of the next
 * year): under the code itself when it continues unchanged, under its one successor when it was only renumbered
 * the next day. Anything else (a merger or split on 1 January) cannot be read off 07459 for one code: throws.
 */
export function populationAt3112(pop: Decoded, changes: readonly KlassCodeChange[], code: string, year: number): number {
  const next = `${year + 1}-01-01`;
  const out = changes.filter((c) => c.changeOccurred === next && c.oldCode === code);
  const into = changes.filter((c) => c.changeOccurred === next && c.newCode === code);
  let successor = code;
  if (out.length === 1 && changes.filter((c) => c.changeOccurred === next && c.newCode === out[0].newCode).length === 1) successor = out[0].newCode;
  else if (out.length > 0 || into.length > 0) throw new Error(`${code} changed territory on ${next}: its 31.12.${year} population is not one 07459 cell`);
  const cell = pop.get({ Region: successor === 'EAK' ? '0' : successor, ContentsCode: 'Personer1', Tid: String(year + 1) });
  if (cell.value === null) throw new Error(`07459 has no population for ${successor} on 1.1.${year + 1} (${cell.status})`);
  return cell.value;
}

/** A code whose territory is the same on 31.12 of `year` and 1.1 of the next year (no Klass change names it then). */
export function continuesAfter(changes: readonly KlassCodeChange[], code: string, year: number): boolean {
  const next = `${year + 1}-01-01`;
  return !changes.some((c) => c.changeOccurred === next && (c.oldCode === code || c.newCode === code));
}
