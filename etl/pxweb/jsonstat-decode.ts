/**
 * JSON-stat 2.0 decoder for PxWebApi 2 answers (`/tables/{id}/data?outputFormat=json-stat2` and
 * `/tables/{id}/metadata`).
 *
 * Why a decoder of our own: the loader needs three things a generic library does not give together —
 * strict validation (a truncated or inconsistent answer must be rejected so the client retries it instead of
 * loading shifted values), decoding through `category.index` (never assume the response order equals the
 * request order), and a cell loop that does not allocate per cell (a full extract is 800 000 cells).
 *
 * Layout: `value` is row-major with the LAST dimension in `id` varying fastest,
 * flat = Σ_k pos_k · Π_{j>k} size_j.
 */
import type { JsonStatUnit } from './types';

/** Thrown when a dataset breaks JSON-stat 2.0 or is internally inconsistent. Messages start with `JSON-stat: `. */
export class JsonStatError extends Error {
  override readonly name = 'JsonStatError';
}

export interface DecodedDimension {
  code: string;
  label: string;
  /** Category codes in `category.index` order (position 0 first). */
  codes: string[];
  /** Category labels aligned with `codes`; the code itself when the dataset has no label for it. */
  labels: string[];
  /** Units aligned with `codes`, only when the dimension has `category.unit` (the ContentsCode dimension). */
  units?: (JsonStatUnit | undefined)[];
  /** code -> position. */
  positions: ReadonlyMap<string, number>;
}

export interface DecodedCube {
  label: string;
  updated?: string;
  source?: string;
  /** Dimensions in `id` order. */
  dims: DecodedDimension[];
  size: number[];
  /** Π size. */
  cellCount: number;
  /** False for a metadata answer (`value: []`): then `value()` is null and `forEachCell` visits nothing. */
  hasValues: boolean;
  /** The value at a flat index; `null` for a missing value. */
  value(flat: number): number | null;
  /** The status symbol at a flat index (`..`, `:`, `.`, `-`…), or null. */
  status(flat: number): string | null;
  /** The flat index of the cell with these category codes (one per dimension code). Throws on unknown codes. */
  cellIndex(codes: Record<string, string>): number;
  /**
   * Visits every cell in row-major order (last dimension fastest). `pos` holds the category position per
   * dimension; it is ONE array reused for every call (copy it if you keep it), so the loop allocates nothing.
   */
  forEachCell(fn: (pos: Int32Array, value: number | null, status: string | null) => void): void;
}

export interface DecodeOptions {
  /**
   * Accept `value: []` (a `/metadata` answer). A dataset with values must still have exactly Π size of them.
   * Default false: a data answer without values is an error.
   */
  allowEmptyValue?: boolean;
}

/** Decodes and validates a json-stat2 data answer. Throws JsonStatError with an exact message on any fault. */
export function decodeJsonStat2(ds: unknown, options: DecodeOptions = {}): DecodedCube {
  const obj = expectObject(ds, 'the dataset');
  if (obj.version !== '2.0') fail(`version must be "2.0", but got: ${show(obj.version)}`);
  if (obj.class !== 'dataset') fail(`class must be "dataset", but got: ${show(obj.class)}`);

  const ids = obj.id;
  if (!isArrayOf(ids, (x): x is string => typeof x === 'string')) fail('id must be an array of dimension codes');
  const size = obj.size;
  if (!isArrayOf(size, (n): n is number => Number.isInteger(n) && (n as number) >= 0)) {
    fail('size must be an array of non-negative integers');
  }
  if (ids.length !== size.length) fail(`id has ${ids.length} dimensions but size has ${size.length}`);
  if (new Set(ids).size !== ids.length) fail(`id lists a dimension twice: ${JSON.stringify(ids)}`);

  const dimensionObj = expectObject(obj.dimension, 'dimension');
  const dims = ids.map((code, k) => decodeDimension(code, dimensionObj[code], size[k]));
  const cellCount = size.reduce((a, b) => a * b, 1);

  const values: unknown = obj.value;
  if (!Array.isArray(values)) fail('value must be an array (the sparse object form is not supported)');
  const hasValues = !(values.length === 0 && options.allowEmptyValue && cellCount > 0);
  if (hasValues && values.length !== cellCount) {
    fail(`value has ${values.length} entries but size gives ${cellCount} cells (${size.join(' × ')})`);
  }
  if (!isArrayOf(values, (v): v is number | null => v === null || typeof v === 'number')) {
    const i = values.findIndex((v) => v !== null && typeof v !== 'number');
    fail(`value[${i}] must be a number or null, but got: ${show(values[i])}`);
  }

  const statusAt = decodeStatus(obj.status, cellCount);
  const vals = values;
  const strides = stridesOf(size);

  return {
    label: typeof obj.label === 'string' ? obj.label : '',
    updated: typeof obj.updated === 'string' ? obj.updated : undefined,
    source: typeof obj.source === 'string' ? obj.source : undefined,
    dims,
    size: size.slice(),
    cellCount,
    hasValues,
    value: (flat) => (hasValues ? (vals[flat] ?? null) : null),
    status: statusAt,
    cellIndex(codes) {
      let flat = 0;
      dims.forEach((d, k) => {
        const code = codes[d.code];
        if (code === undefined) fail(`cellIndex needs a code for dimension "${d.code}"`);
        const p = d.positions.get(code);
        if (p === undefined) fail(`dimension "${d.code}" has no category "${code}"`);
        flat += p * strides[k];
      });
      return flat;
    },
    forEachCell(fn) {
      if (!hasValues || cellCount === 0) return;
      const n = size.length;
      const pos = new Int32Array(n);
      for (let flat = 0; flat < cellCount; flat++) {
        fn(pos, vals[flat], statusAt(flat));
        // odometer increment, last dimension fastest
        for (let k = n - 1; k >= 0; k--) {
          if (++pos[k] < size[k]) break;
          pos[k] = 0;
        }
      }
    },
  };
}

/** Decodes a `/metadata` answer: the same checks, but `value: []` is allowed. */
export function decodeJsonStat2Metadata(ds: unknown): DecodedCube {
  return decodeJsonStat2(ds, { allowEmptyValue: true });
}

// ---------------------------------------------------------------------------------------------------------

function decodeDimension(code: string, raw: unknown, size: number): DecodedDimension {
  if (raw === undefined) fail(`dimension "${code}" is listed in id but missing from dimension`);
  const dim = expectObject(raw, `dimension "${code}"`);
  if (dim.category === undefined) fail(`dimension "${code}" has no category`);
  const cat = expectObject(dim.category, `dimension "${code}" category`);
  const labelObj = cat.label === undefined ? undefined : expectObject(cat.label, `dimension "${code}" category.label`);

  const codes = categoryCodes(code, cat.index, labelObj, size);
  const positions = new Map<string, number>();
  codes.forEach((c, i) => positions.set(c, i));

  const labels = codes.map((c) => (labelObj && typeof labelObj[c] === 'string' ? (labelObj[c]) : c));
  let units: (JsonStatUnit | undefined)[] | undefined;
  if (cat.unit !== undefined) {
    const unitObj = expectObject(cat.unit, `dimension "${code}" category.unit`);
    units = codes.map((c) => unitObj[c] as JsonStatUnit | undefined);
  }
  return { code, label: typeof dim.label === 'string' ? dim.label : code, codes, labels, units, positions };
}

/** Category codes in position order, from `index` as object or array, or from the single label. */
function categoryCodes(
  dim: string,
  index: unknown,
  labelObj: Record<string, unknown> | undefined,
  size: number,
): string[] {
  if (index === undefined) {
    // JSON-stat allows omitting index only for a dimension with exactly one category (named in label).
    const keys = labelObj ? Object.keys(labelObj) : [];
    if (keys.length !== 1) {
      fail(`dimension "${dim}" has no category.index, which may only be omitted when there is exactly one category`);
    }
    if (size !== 1) fail(`dimension "${dim}" has 1 category but size says ${size}`);
    return keys;
  }
  if (Array.isArray(index)) {
    if (index.length !== size) fail(`dimension "${dim}" has ${index.length} categories but size says ${size}`);
    const seen = new Set<string>();
    for (const c of index) {
      if (typeof c !== 'string') fail(`dimension "${dim}" category.index must list string codes, but got: ${show(c)}`);
      if (seen.has(c)) fail(`dimension "${dim}" category.index lists code "${c}" twice`);
      seen.add(c);
    }
    return index.slice() as string[];
  }
  const obj = expectObject(index, `dimension "${dim}" category.index`);
  const entries = Object.entries(obj);
  if (entries.length !== size) fail(`dimension "${dim}" has ${entries.length} categories but size says ${size}`);
  // n distinct in-range positions for n codes is exactly a permutation of 0..n-1.
  const codes = new Array<string | undefined>(size);
  for (const [c, p] of entries) {
    if (typeof p !== 'number' || !Number.isInteger(p) || p < 0 || p >= size) {
      fail(`dimension "${dim}" category.index gives "${c}" position ${show(p)}, outside 0..${size - 1}`);
    }
    const prev = codes[p];
    if (prev !== undefined) fail(`dimension "${dim}" category.index gives position ${p} to both "${prev}" and "${c}"`);
    codes[p] = c;
  }
  return codes as string[];
}

/** Builds `status(flat)` from the object (flat index as string -> symbol), array, or single-string form. */
function decodeStatus(raw: unknown, cellCount: number): (flat: number) => string | null {
  if (raw === undefined || raw === null) return () => null;
  if (typeof raw === 'string') return () => raw; // JSON-stat: one status for every cell
  if (Array.isArray(raw)) {
    if (raw.length === 1) {
      const only = raw[0] as string | null;
      return () => only ?? null;
    }
    if (raw.length !== cellCount) fail(`status has ${raw.length} entries but there are ${cellCount} cells`);
    return (flat) => (raw[flat] as string | null | undefined) ?? null;
  }
  const obj = expectObject(raw, 'status');
  const byFlat = new Map<number, string>();
  for (const [key, symbol] of Object.entries(obj)) {
    const flat = Number(key);
    if (!/^\d+$/.test(key) || flat >= cellCount) fail(`status key "${key}" is not a cell index in 0..${cellCount - 1}`);
    if (typeof symbol !== 'string') fail(`status "${key}" must be a string, but got: ${show(symbol)}`);
    byFlat.set(flat, symbol);
  }
  if (byFlat.size === 0) return () => null;
  return (flat) => byFlat.get(flat) ?? null;
}

function stridesOf(size: number[]): number[] {
  const strides = new Array<number>(size.length);
  let s = 1;
  for (let k = size.length - 1; k >= 0; k--) {
    strides[k] = s;
    s *= size[k];
  }
  return strides;
}

function isArrayOf<T>(x: unknown, item: (v: unknown) => v is T): x is T[] {
  return Array.isArray(x) && x.every((v) => item(v));
}

function expectObject(x: unknown, what: string): Record<string, unknown> {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) fail(`${what} must be an object, but got: ${show(x)}`);
  return x as Record<string, unknown>;
}

function show(x: unknown): string {
  if (x === undefined) return 'undefined';
  const s = JSON.stringify(x);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

function fail(message: string): never {
  throw new JsonStatError(`JSON-stat: ${message}`);
}
