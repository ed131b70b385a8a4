import { insertRows, type FactRows, type Sql, type WarehouseStore } from '../../db/store';
import type { ResolvedTable } from '../resolve';
import { WHOLE_MUNICIPALITY, type ServiceAreaCatalogue } from '../../core/service-areas';
import type { FactBuffer } from './fact-buffer';
import { LoadRecords, type LoadCounts } from './load-records';
import { parseRegionLabel } from '../../core/municipalities/regions';

export interface MergeInput {
  loadId: number;
  resolved: ResolvedTable;
  buffer: FactBuffer;
  /** Region code -> stable municipality key (from Klass). */
  municipalityKeys: Map<string, string>;
  /** Region code -> years its validity starts/ends, from Klass changes (labels only mark ended codes). */
  codeValidity: Map<string, { from?: number; to?: number }>;
  serviceAreas: ServiceAreaCatalogue;
  ssbUpdated: string;
  source: 'live' | 'demo';
  counts: LoadCounts;
  /** Remove every fact first (the first live load replacing demo data). */
  replaceAllFacts?: boolean;
}

/**
 * The load stage: dimensions, facts, the load record and the table's freshness, all in ONE transaction. A crash or
 * kill at any point leaves the previous facts as they were (SQLite rolls the journal back), and the load record
 * only says `succeeded` when the facts committed with it.
 *
 * Facts are merged by the store's own best way (SQLite: one prepared upsert per cell; PostgreSQL: COPY into a staging
 * table, then one INSERT … ON CONFLICT … DO UPDATE), writing only rows whose value or status changed, so a repeated
 * load changes no row; inserted/updated/unchanged are derived from row counts and the rows written. Facts of the
 * table's indicators outside what was loaded — a region code, year or service area SSB no longer publishes — are
 * deleted (`removed`), so the warehouse holds what SSB publishes, not what it once did.
 * `outer`: a transaction to merge inside (the live load replacing the demo data merges every table in one).
 */
export async function mergeTable(store: WarehouseStore, input: MergeInput, now: () => Date = () => new Date(), outer?: Sql): Promise<LoadCounts> {
  const { resolved, buffer, counts } = input;
  const merge = async (tx: Sql): Promise<LoadCounts> => {
    if (input.replaceAllFacts) await tx.run('DELETE FROM fact');
    await upsertDimensions(tx, input);
    const indicatorIds = await upsertIndicators(tx, resolved);
    const ids = [...new Set(indicatorIds)];
    const countSql = `SELECT COUNT(*) AS n FROM fact WHERE indicator_id IN (${ids.map(() => '?').join(',')})`;
    const countRows = async () => (await tx.get({ n: 'number' }, countSql, ids, 'fact count'))?.n ?? 0;
    const before = await countRows();
    const regionCodes = buffer.regionCodes.values();
    const areaCodes = buffer.serviceAreaCodes.values();
    const rows: FactRows = {
      length: buffer.length,
      at: (i) => [indicatorIds[buffer.indicator[i]], buffer.year[i], regionCodes[buffer.region[i]], areaCodes[buffer.serviceArea[i]], buffer.value(i), buffer.statusAt(i)],
    };
    const changed = await store.upsertFacts(tx, rows, input.loadId);
    const after = await countRows();
    const removed = await removeUnpublished(tx, ids, resolved.years, regionCodes, areaCodes);
    const result: LoadCounts = {
      ...counts,
      inserted: after - before,
      updated: changed - (after - before),
      unchanged: buffer.length - changed,
      removed,
    };
    await new LoadRecords(tx, now).finish(input.loadId, 'succeeded', result);
    await tx.run(`INSERT INTO source_table (id, title, ssb_updated, last_load_id, last_loaded_at, source) VALUES (?, ?, ?, ?, ?, ?)
      ON CONFLICT (id) DO UPDATE SET title = excluded.title, ssb_updated = excluded.ssb_updated,
        last_load_id = excluded.last_load_id, last_loaded_at = excluded.last_loaded_at, source = excluded.source`,
    [resolved.table.id, resolved.title, input.ssbUpdated, input.loadId, now().toISOString(), input.source]);
    return result;
  };
  return outer ? merge(outer) : store.write(merge);
}

/**
 * Deletes the facts of `indicatorIds` whose year, region or service area is not among those just loaded. Run in
 * chunks of the IN lists so no statement passes SQLite's bound-parameter limit.
 */
async function removeUnpublished(tx: Sql, indicatorIds: number[], years: number[], regions: readonly string[], areas: readonly string[]): Promise<number> {
  if (indicatorIds.length === 0) return 0;
  const marks = (n: number) => new Array<string>(n).fill('?').join(',');
  const keep = (column: string, values: readonly unknown[]) => `${column} NOT IN (${marks(values.length)})`;
  const sql = `DELETE FROM fact WHERE indicator_id IN (${marks(indicatorIds.length)})
    AND (${keep('year', years)} OR ${keep('region_code', regions)} OR ${keep('service_area_code', areas)})`;
  return tx.run(sql, [...indicatorIds, ...years, ...regions, ...areas]);
}

async function upsertIndicators(tx: Sql, resolved: ResolvedTable): Promise<number[]> {
  const upsert = `INSERT INTO indicator (key, table_id, content_code, concept_variable, concept_code, label, unit, decimals)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (key) DO UPDATE SET table_id = excluded.table_id, content_code = excluded.content_code,
      concept_variable = excluded.concept_variable, concept_code = excluded.concept_code, label = excluded.label,
      unit = excluded.unit, decimals = excluded.decimals RETURNING id`;
  const ids: number[] = [];
  for (const ind of resolved.indicators) {
    const row = await tx.get({ id: 'number' }, upsert, [ind.key, ind.tableId, ind.content, ind.conceptVariable, ind.concept, ind.label, ind.unit, ind.decimals], 'indicator id');
    ids.push(row!.id);
  }
  return ids;
}

/** `ON CONFLICT (key) DO UPDATE SET` every column but the key to the row just offered. */
const updateAll = (key: string, columns: readonly string[]) =>
  `ON CONFLICT (${key}) DO UPDATE SET ${columns.filter((c) => c !== key).map((c) => `${c} = excluded.${c}`).join(', ')}`;

const REGION = ['code', 'name', 'label', 'kind', 'valid_from', 'valid_to', 'municipality_key'];
const MUNICIPALITY = ['key', 'name'];
const SERVICE_AREA = ['code', 'label', 'kind', 'grouping_id', 'functions'];
const GROUPING = ['id', 'label', 'parent_id', 'need_sector', 'sort_order'];

/** The table's regions, municipalities, years and service areas, a few multi-row statements per dimension. */
async function upsertDimensions(tx: Sql, input: MergeInput): Promise<void> {
  const { resolved, buffer, municipalityKeys } = input;
  const facts = new Map<string, ReturnType<typeof parseRegionLabel>>();
  const aliasOf = new Map(Object.entries(resolved.table.regionAliases ?? {}).map(([from, to]) => [to, from]));
  const regions: unknown[][] = [];
  // Stored under the common code: the tables that use that code name the region.
  const aliased: unknown[][] = [];
  for (const code of buffer.regionCodes.values()) {
    const alias = aliasOf.get(code);
    if (alias !== undefined) {
      const r = parseRegionLabel(code, resolved.regionLabels.get(alias) ?? code);
      aliased.push([code, r.name, r.label, r.kind, r.validFrom, r.validTo, null]);
      continue;
    }
    const r = parseRegionLabel(code, resolved.regionLabels.get(code) ?? code);
    const klass = input.codeValidity.get(code);
    r.validFrom ??= klass?.from ?? null;
    r.validTo ??= klass?.to ?? null;
    facts.set(code, r);
    const key = r.kind === 'municipality' ? (municipalityKeys.get(code) ?? code) : null;
    regions.push([r.code, r.name, r.label, r.kind, r.validFrom, r.validTo, key]);
  }
  await insertRows(tx, 'region', REGION, aliased, 'ON CONFLICT (code) DO NOTHING');
  await insertRows(tx, 'region', REGION, regions, updateAll('code', REGION));

  // A municipality is named after the code its key is (the newest code), when this table has it; otherwise it gets
  // a placeholder name until a table holding the key's own code is loaded.
  const keys = new Set<string>();
  for (const [code, r] of facts) if (r.kind === 'municipality') keys.add(municipalityKeys.get(code) ?? code);
  const named = [...keys].filter((key) => facts.has(key));
  await insertRows(tx, 'municipality', MUNICIPALITY, named.map((key) => [key, facts.get(key)!.name]), updateAll('key', MUNICIPALITY));
  await insertRows(tx, 'municipality', MUNICIPALITY, [...keys].filter((key) => !facts.has(key)).map((key) => [key, key]), 'ON CONFLICT (key) DO NOTHING');

  if (resolved.table.addsYears) await insertRows(tx, 'year', ['year'], resolved.years.map((y) => [y]), 'ON CONFLICT (year) DO NOTHING');

  const declared = new Map(input.serviceAreas.serviceAreas.map((a) => [a.code, a]));
  const groupingOf = new Map<string, string>();
  for (const g of input.serviceAreas.groupings) for (const code of g.serviceAreas) groupingOf.set(code, g.id);
  await insertRows(tx, 'service_area', SERVICE_AREA, buffer.serviceAreaCodes.values().map((code) => {
    const d = declared.get(code);
    const label = resolved.serviceAreaLabels.get(code) || d?.label || code;
    return [code, label, d?.kind ?? (code === WHOLE_MUNICIPALITY ? 'total' : /^FGK/.test(code) ? 'group' : 'function'), groupingOf.get(code) ?? null, d?.functions?.join(',') ?? null];
  }), updateAll('code', SERVICE_AREA));
  await insertRows(tx, 'service_area_grouping', GROUPING,
    input.serviceAreas.groupings.map((g, i) => [g.id, g.label, g.parent ?? null, g.needSector, i]), updateAll('id', GROUPING));
}
