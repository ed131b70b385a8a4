import { historyStarts, type HistoryStart, type KlassCodeChange } from '../../core/municipalities/code-history';
import { INDICATOR_SOURCE_ROW, INDICATOR_SOURCE_SQL, LATEST_RECONCILIATION_SQL, RECONCILIATION_ROW, type IndicatorSourceRow, type ReconciliationRow } from '../../db/load-rows';
import type { Row, RowSpec } from '../../db/rows';
import type { Sql } from '../../db/store';

/**
 * The warehouse's small dimensions, read once per warehouse version and shared by every request until the next
 * load commits. The version is the id of the newest finished load (or curated-input change), so a response can say
 * exactly which data it was computed from, and a cache can never serve a mix of two versions' dimensions.
 */
export interface RegionRow {
  code: string; name: string; label: string; kind: string; validFrom: number | null; validTo: number | null; municipalityKey: string | null;
}
export interface IndicatorRow {
  id: number; key: string; tableId: string; contentCode: string; conceptVariable: string | null; conceptCode: string | null;
  label: string; unit: string; decimals: number;
}
export interface ServiceAreaRow { code: string; label: string; kind: string; groupingId: string | null; functions: string | null }
export interface GroupingRow { id: string; label: string; parentId: string | null; needSector: string | null; sortOrder: number }
export interface PeerGroupRow {
  id: string; name: string; description: string | null; ssbRegionCode: string | null; builtin: boolean;
  members: { municipalityKey: string; fromYear: number | null; toYear: number | null }[];
}
export interface SourceTableRow {
  id: string; title: string; ssbUpdated: string | null; lastLoadId: number | null; lastLoadedAt: string | null; source: string | null;
}
export interface MunicipalityRow {
  key: string; name: string; codes: RegionRow[];
  /** Set when the municipality's territory changed by a split: no figures before `year` (see core historyStarts). */
  historyStart: HistoryStart | null;
}

export interface WarehouseSnapshot {
  version: number;
  regions: Map<string, RegionRow>;
  municipalities: Map<string, MunicipalityRow>;
  indicators: Map<string, IndicatorRow>;
  indicatorsById: Map<number, IndicatorRow>;
  serviceAreas: Map<string, ServiceAreaRow>;
  groupings: GroupingRow[];
  peerGroups: Map<string, PeerGroupRow>;
  years: number[];
  sourceTables: Map<string, SourceTableRow>;
  /** `${municipalityKey}|${year}|${sector}` -> index */
  needIndex: Map<string, number>;
  deflator: Map<number, number>;
  curatedSources: { id: string; source: string; demo: boolean; note: string | null; loadedAt: string }[];
  /** The data is the bundled synthetic demo dataset. */
  demo: boolean;
  /** Curated inputs that hold demo values (synthetic need index, deflator): answers that use them say so. */
  demoInputs: string[];
  /** Klass code changes, for the population at 31.12 of codes that ended that day. */
  changes: KlassCodeChange[];
  /** Where each indicator of the catalogue was found at SSB, or why it was not. */
  indicatorSources: Map<string, IndicatorSourceRow>;
  /** The latest reconciliation with SSB's published figures, per metric. */
  reconciliation: Map<string, ReconciliationRow>;
}

/** Runs on every request, in the request's snapshot: the version is the database's, so every replica agrees on it. */
export async function warehouseVersion(sql: Sql): Promise<number> {
  return (await sql.get({ v: 'number' }, `SELECT COALESCE(MAX(id), 0) AS v FROM load WHERE status = 'succeeded'`, [], 'warehouse version'))?.v ?? 0;
}

export class SnapshotCache {
  private cached: WarehouseSnapshot | null = null;
  /** The read of a new version in progress: requests arriving together right after a load wait for it. */
  private reading: { version: number; snapshot: Promise<WarehouseSnapshot> } | null = null;

  /**
   * The snapshot for the version `sql` sees. Costs one small query when nothing changed. Pass the request's own
   * read snapshot so the dimensions and the facts come from the same version.
   */
  async current(sql: Sql): Promise<WarehouseSnapshot> {
    const version = await warehouseVersion(sql);
    if (this.cached?.version === version) return this.cached;
    // It reads through the first request's snapshot; should that one end early, a waiting request reads its own.
    if (this.reading?.version === version) return this.reading.snapshot.catch(() => readSnapshot(sql, version));
    const reading = { version, snapshot: readSnapshot(sql, version) };
    this.reading = reading;
    try {
      const snapshot = await reading.snapshot;
      // Keep the newest; a request still reading an older version gets its own, uncached.
      if (!this.cached || version > this.cached.version) this.cached = snapshot;
      return snapshot;
    } finally {
      if (this.reading === reading) this.reading = null;
    }
  }
}

const REGION = { code: 'string', name: 'string', label: 'string', kind: 'string', validFrom: 'number?', validTo: 'number?', municipalityKey: 'string?' } as const;
const MUNICIPALITY = { key: 'string', name: 'string' } as const;
const INDICATOR = {
  id: 'number', key: 'string', tableId: 'string', contentCode: 'string', conceptVariable: 'string?', conceptCode: 'string?',
  label: 'string', unit: 'string', decimals: 'number',
} as const;
const PEER_GROUP = { id: 'string', name: 'string', description: 'string?', ssbRegionCode: 'string?', builtin: 'boolean' } as const;
const PEER_MEMBER = { groupId: 'string', municipalityKey: 'string', fromYear: 'number?', toYear: 'number?' } as const;
const SOURCE_TABLE = { id: 'string', title: 'string', ssbUpdated: 'string?', lastLoadId: 'number?', lastLoadedAt: 'string?', source: 'string?' } as const;
const NEED = { k: 'string', y: 'number', s: 'string', v: 'number' } as const;
const CURATED = { id: 'string', source: 'string', demo: 'boolean', note: 'string?', loadedAt: 'string' } as const;
const SERVICE_AREA = { code: 'string', label: 'string', kind: 'string', groupingId: 'string?', functions: 'string?' } as const;
const GROUPING = { id: 'string', label: 'string', parentId: 'string?', needSector: 'string?', sortOrder: 'number' } as const;
const YEAR = { year: 'number' } as const;
const DEFLATOR = { year: 'number', value: 'number' } as const;
const CHANGE = { oldCode: 'string', oldName: 'string', newCode: 'string', newName: 'string', changeOccurred: 'string' } as const;

/**
 * Every dimension of one version. Call it inside a read snapshot (a request's, or `inSnapshot`) so all of them come
 * from the same committed state. Text is ordered byte by byte (`sql.binary`) so both engines give the same order.
 */
export async function readSnapshot(sql: Sql, version: number): Promise<WarehouseSnapshot> {
  const rows = <S extends RowSpec>(spec: S, query: string): Promise<Row<S>[]> => sql.all(spec, query, [], query.split(/\s+FROM\s+/i)[1]?.split(/\s/)[0] ?? query);
  const b = (expr: string) => sql.binary(expr);
  const regions = new Map((await rows(REGION, `SELECT code, name, label, kind, valid_from AS validFrom, valid_to AS validTo,
    municipality_key AS municipalityKey FROM region ORDER BY ${b('code')}`)).map((r) => [r.code, r]));
  const changes = await rows(CHANGE, `SELECT old_code AS oldCode, old_name AS oldName, new_code AS newCode, new_name AS newName, changed_on AS changeOccurred
    FROM municipality_change ORDER BY id`);
  const starts = historyStarts(changes, (code) => regions.get(code)?.municipalityKey ?? code);
  const municipalities = new Map<string, MunicipalityRow>();
  for (const m of await rows(MUNICIPALITY, `SELECT key, name FROM municipality ORDER BY ${b('name')}`)) municipalities.set(m.key, { ...m, codes: [], historyStart: starts.get(m.key) ?? null });
  for (const r of regions.values()) {
    if (r.municipalityKey) municipalities.get(r.municipalityKey)?.codes.push(r);
  }
  for (const m of municipalities.values()) m.codes.sort((a, b) => (a.validFrom ?? 0) - (b.validFrom ?? 0) || a.code.localeCompare(b.code));
  const indicatorRows = await rows(INDICATOR, `SELECT id, key, table_id AS tableId, content_code AS contentCode, concept_variable AS conceptVariable,
    concept_code AS conceptCode, label, unit, decimals FROM indicator ORDER BY ${b('table_id')}, id`);
  const peerGroups = new Map<string, PeerGroupRow>();
  for (const g of await rows(PEER_GROUP, `SELECT id, name, description, ssb_region_code AS ssbRegionCode, builtin FROM peer_group ORDER BY ${b('name')}`)) {
    peerGroups.set(g.id, { ...g, members: [] });
  }
  for (const m of await rows(PEER_MEMBER, `SELECT group_id AS groupId, municipality_key AS municipalityKey, from_year AS fromYear, to_year AS toYear
    FROM peer_group_member ORDER BY id`)) {
    peerGroups.get(m.groupId)?.members.push({ municipalityKey: m.municipalityKey, fromYear: m.fromYear, toYear: m.toYear });
  }
  const sourceTables = new Map((await rows(SOURCE_TABLE, `SELECT id, title, ssb_updated AS ssbUpdated, last_load_id AS lastLoadId,
    last_loaded_at AS lastLoadedAt, source FROM source_table ORDER BY ${b('id')}`)).map((t) => [t.id, t]));
  const needIndex = new Map<string, number>();
  for (const n of await rows(NEED, 'SELECT municipality_key AS k, year AS y, sector AS s, value AS v FROM need_index')) needIndex.set(`${n.k}|${n.y}|${n.s}`, n.v);
  const curatedSources = await rows(CURATED, `SELECT id, source, demo, note, loaded_at AS loadedAt FROM curated_source ORDER BY ${b('id')}`);
  return {
    version,
    regions,
    municipalities,
    indicators: new Map(indicatorRows.map((i) => [i.key, i])),
    indicatorsById: new Map(indicatorRows.map((i) => [i.id, i])),
    serviceAreas: new Map((await rows(SERVICE_AREA, `SELECT code, label, kind, grouping_id AS groupingId, functions FROM service_area ORDER BY ${b('code')}`)).map((a) => [a.code, a])),
    groupings: await rows(GROUPING, 'SELECT id, label, parent_id AS parentId, need_sector AS needSector, sort_order AS sortOrder FROM service_area_grouping ORDER BY sort_order'),
    peerGroups,
    years: (await rows(YEAR, 'SELECT year FROM year ORDER BY year')).map((y) => y.year),
    sourceTables,
    needIndex,
    deflator: new Map((await rows(DEFLATOR, 'SELECT year, value FROM deflator')).map((d) => [d.year, d.value])),
    curatedSources,
    demo: [...sourceTables.values()].some((t) => t.source === 'demo'),
    demoInputs: curatedSources.filter((s) => s.demo).map((s) => s.id),
    changes,
    indicatorSources: new Map(byteOrder(await sql.all(INDICATOR_SOURCE_ROW, INDICATOR_SOURCE_SQL, [], 'indicator sources'), (s) => s.key).map((s) => [s.key, s])),
    reconciliation: new Map(byteOrder(await sql.all(RECONCILIATION_ROW, LATEST_RECONCILIATION_SQL, [], 'reconciliation'), (r) => r.metric).map((r) => [r.metric, r])),
  };
}

/** Rows in the byte order SQLite gives text (the shared queries order by the engine's collation). */
function byteOrder<T>(rows: T[], key: (row: T) => string): T[] {
  return rows.sort((x, y) => (key(x) < key(y) ? -1 : key(x) > key(y) ? 1 : 0));
}
