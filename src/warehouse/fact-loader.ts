import DataLoader from 'dataloader';
import type { WarehouseReader } from './reader';
import type { WarehouseSnapshot } from './snapshot';

export interface StoredFact {
  regionCode: string;
  value: number | null;
  status: string | null;
  loadId: number;
}

/** `${indicatorKey}|${serviceArea}|${year}` — the facts of one indicator, service area and year (for a scope's regions). */
export type FactSliceKey = string;
export const sliceKey = (indicatorKey: string, serviceArea: string, year: number): FactSliceKey => `${indicatorKey}|${serviceArea}|${year}`;

/**
 * The region codes a computation reads from its slices. A request for a few municipalities and a peer group reads a
 * few dozen codes; fetching only those, not the whole slice (~200 codes in the demo, ~1 000 at SSB scale), is what
 * makes a metric query cheap without any cache. (A cache of whole slices per warehouse version used to make warm
 * requests cheap instead; it made every cold one pay for every region.)
 */
export type RegionScope = ReadonlySet<string>;

export interface SliceRequest { key: FactSliceKey; regions: RegionScope }

export type FactLoader = DataLoader<SliceRequest, Map<string, StoredFact>, string>;

/**
 * Per-request loader of fact slices. Everything asked for in one tick becomes ONE SQL statement — the union of the
 * slices and of the scopes — whatever the number of metrics, municipalities, groups or years in the query; a slice
 * may then hold regions outside its own scope, which its computation never reads. Equal scopes are one scope (the
 * loader's cache key names the scope by its content, interned once per Set).
 */
export function createFactLoader(reader: WarehouseReader, snapshot: WarehouseSnapshot): FactLoader {
  const idOfSet = new WeakMap<RegionScope, number>();
  const idOfContent = new Map<string, number>();
  const scopeId = (scope: RegionScope): number => {
    let id = idOfSet.get(scope);
    if (id === undefined) {
      const content = [...scope].sort().join(',');
      id = idOfContent.get(content) ?? idOfContent.size;
      idOfContent.set(content, id);
      idOfSet.set(scope, id);
    }
    return id;
  };
  return new DataLoader<SliceRequest, Map<string, StoredFact>, string>(async (requests) => {
    const regions = new Set<string>();
    for (const r of requests) for (const code of r.regions) regions.add(code);
    const keys = [...new Set(requests.map((r) => r.key))];
    const fetched = await fetchSlices(reader, snapshot, keys, regions);
    const byKey = new Map(keys.map((k, i) => [k, fetched[i]]));
    return requests.map((r) => byKey.get(r.key)!);
  }, { maxBatchSize: 2000, cacheKeyFn: (r) => `${r.key}#${scopeId(r.regions)}` });
}

const FACT_ROW = { i: 'number', y: 'number', a: 'string', r: 'string', v: 'number?', s: 'string?', l: 'number' } as const;

/** One SQL statement for all the slices: the cross product of their indicators, years, areas and regions, split in memory. */
async function fetchSlices(reader: WarehouseReader, snapshot: WarehouseSnapshot, keys: readonly FactSliceKey[], scope: RegionScope): Promise<Map<string, StoredFact>[]> {
  const parsed = keys.map((k) => {
    const [indicatorKey, serviceArea, year] = k.split('|');
    return { indicatorId: snapshot.indicators.get(indicatorKey)?.id, serviceArea, year: Number(year) };
  });
  const ids = [...new Set(parsed.map((p) => p.indicatorId).filter((id): id is number => id !== undefined))];
  const result = new Map<string, Map<string, StoredFact>>(keys.map((k) => [k, new Map()]));
  if (ids.length === 0) return keys.map((k) => result.get(k)!);
  const years = [...new Set(parsed.map((p) => p.year))];
  const areas = [...new Set(parsed.map((p) => p.serviceArea))];
  const regions = [...scope];
  if (regions.length === 0) return keys.map((k) => result.get(k)!);
  const rows = await reader.rows(FACT_ROW,
    `SELECT indicator_id AS i, year AS y, service_area_code AS a, region_code AS r, value AS v, status AS s, load_id AS l FROM fact
     WHERE indicator_id IN (${ids.map(() => '?').join(',')}) AND year IN (${years.map(() => '?').join(',')})
       AND service_area_code IN (${areas.map(() => '?').join(',')}) AND region_code IN (${regions.map(() => '?').join(',')})`,
    [...ids, ...years, ...areas, ...regions], 'fact slices',
  );
  for (const row of rows) {
    const key = sliceKey(snapshot.indicatorsById.get(row.i)!.key, row.a, row.y);
    result.get(key)?.set(row.r, { regionCode: row.r, value: row.v, status: row.s, loadId: row.l });
  }
  return keys.map((k) => result.get(k)!);
}
