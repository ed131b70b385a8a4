import DataLoader from 'dataloader';
import type { WarehouseReader } from './reader';
import type { WarehouseSnapshot } from './snapshot';

export interface StoredFact {
  regionCode: string;
  value: number | null;
  status: string | null;
  loadId: number;
}

/** `${indicatorKey}|${serviceArea}|${year}` — every region's fact for one indicator, service area and year. */
export type FactSliceKey = string;
export const sliceKey = (indicatorKey: string, serviceArea: string, year: number): FactSliceKey => `${indicatorKey}|${serviceArea}|${year}`;

/**
 * Per-request loader of fact slices. All slices asked for in one tick become ONE SQL statement, whatever the
 * number of municipalities, groups or years in the query; regions are filtered in memory (a slice holds at most
 * a thousand codes).
 */
export function createFactLoader(reader: WarehouseReader, snapshot: WarehouseSnapshot, cache?: SliceCache): DataLoader<FactSliceKey, Map<string, StoredFact>> {
  return new DataLoader(async (allKeys) => {
    const cached = allKeys.map((k) => cache?.get(snapshot.version, k));
    const keys = allKeys.filter((_, i) => cached[i] === undefined);
    if (keys.length === 0) return cached as Map<string, StoredFact>[];
    const fetched = await fetchSlices(reader, snapshot, keys);
    keys.forEach((k, i) => cache?.set(snapshot.version, k, fetched[i]));
    let next = 0;
    return cached.map((c) => c ?? fetched[next++]);
  }, { maxBatchSize: 2000 });
}

/**
 * Slices of the current warehouse version, shared by all requests: facts never change within a version, so a
 * slice read once serves every later request until the next load commits. Bounded (least recently used out).
 */
export class SliceCache {
  private version = -1;
  private readonly slices = new Map<FactSliceKey, Map<string, StoredFact>>();

  constructor(private readonly maxSlices = 1000) {}

  get(version: number, key: FactSliceKey): Map<string, StoredFact> | undefined {
    if (version !== this.version) return undefined;
    const slice = this.slices.get(key);
    if (slice) {
      this.slices.delete(key);
      this.slices.set(key, slice);
    }
    return slice;
  }

  set(version: number, key: FactSliceKey, slice: Map<string, StoredFact>): void {
    if (version < this.version) return; // a request still reading an older version: do not keep its slices
    if (version > this.version) {
      this.slices.clear();
      this.version = version;
    }
    this.slices.set(key, slice);
    if (this.slices.size > this.maxSlices) this.slices.delete(this.slices.keys().next().value as FactSliceKey);
  }
}

const FACT_ROW = { i: 'number', y: 'number', a: 'string', r: 'string', v: 'number?', s: 'string?', l: 'number' } as const;

/** One SQL statement for all the slices: the cross product of their indicators, years and areas, split in memory. */
async function fetchSlices(reader: WarehouseReader, snapshot: WarehouseSnapshot, keys: readonly FactSliceKey[]): Promise<Map<string, StoredFact>[]> {
  const parsed = keys.map((k) => {
    const [indicatorKey, serviceArea, year] = k.split('|');
    return { indicatorId: snapshot.indicators.get(indicatorKey)?.id, serviceArea, year: Number(year) };
  });
  const ids = [...new Set(parsed.map((p) => p.indicatorId).filter((id): id is number => id !== undefined))];
  const result = new Map<string, Map<string, StoredFact>>(keys.map((k) => [k, new Map()]));
  if (ids.length === 0) return keys.map((k) => result.get(k)!);
  const years = [...new Set(parsed.map((p) => p.year))];
  const areas = [...new Set(parsed.map((p) => p.serviceArea))];
  const rows = await reader.rows(FACT_ROW,
    `SELECT indicator_id AS i, year AS y, service_area_code AS a, region_code AS r, value AS v, status AS s, load_id AS l FROM fact
     WHERE indicator_id IN (${ids.map(() => '?').join(',')}) AND year IN (${years.map(() => '?').join(',')})
       AND service_area_code IN (${areas.map(() => '?').join(',')})`,
    [...ids, ...years, ...areas], 'fact slices',
  );
  for (const row of rows) {
    const key = sliceKey(snapshot.indicatorsById.get(row.i)!.key, row.a, row.y);
    result.get(key)?.set(row.r, { regionCode: row.r, value: row.v, status: row.s, loadId: row.l });
  }
  return keys.map((k) => result.get(k)!);
}
