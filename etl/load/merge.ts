import type BetterSqlite3 from 'better-sqlite3';
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
 * Facts are merged with one prepared upsert per cell that only writes when the value or status changed, so a
 * repeated load changes no row; inserted/updated/unchanged are derived from row counts and `changes`. Facts of the
 * table's indicators outside what was loaded — a region code, year or service area SSB no longer publishes — are
 * deleted (`removed`), so the warehouse holds what SSB publishes, not what it once did.
 * The SQL (ON CONFLICT … DO UPDATE … WHERE, IS DISTINCT FROM) is portable to PostgreSQL.
 */
export function mergeTable(db: BetterSqlite3.Database, input: MergeInput, now: () => Date = () => new Date()): LoadCounts {
  const { resolved, buffer, counts } = input;
  const run = db.transaction(() => {
    if (input.replaceAllFacts) db.prepare('DELETE FROM fact').run();
    upsertDimensions(db, input);
    const indicatorIds = upsertIndicators(db, resolved);
    const ids = [...new Set(indicatorIds)];
    const countRows = db.prepare(`SELECT COUNT(*) AS n FROM fact WHERE indicator_id IN (${ids.map(() => '?').join(',')})`).pluck();
    const before = Number(countRows.get(...ids));

    const upsert = db.prepare(`INSERT INTO fact (indicator_id, year, region_code, service_area_code, value, status, load_id)
      VALUES (?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (indicator_id, year, region_code, service_area_code) DO UPDATE
        SET value = excluded.value, status = excluded.status, load_id = excluded.load_id
        WHERE fact.value IS DISTINCT FROM excluded.value OR fact.status IS DISTINCT FROM excluded.status`);
    const regionCodes = buffer.regionCodes.values();
    const areaCodes = buffer.serviceAreaCodes.values();
    let changed = 0;
    for (let i = 0; i < buffer.length; i++) {
      changed += upsert.run(indicatorIds[buffer.indicator[i]], buffer.year[i], regionCodes[buffer.region[i]],
        areaCodes[buffer.serviceArea[i]], buffer.value(i), buffer.statusAt(i), input.loadId).changes;
    }
    const after = Number(countRows.get(...ids));
    const removed = removeUnpublished(db, ids, resolved.years, buffer.regionCodes.values(), buffer.serviceAreaCodes.values());
    const result: LoadCounts = {
      ...counts,
      inserted: after - before,
      updated: changed - (after - before),
      unchanged: buffer.length - changed,
      removed,
    };
    new LoadRecords(db, now).finish(input.loadId, 'succeeded', result);
    db.prepare(`INSERT INTO source_table (id, title, ssb_updated, last_load_id, last_loaded_at, source) VALUES (?, ?, ?, ?, ?, ?)
      ON CONFLICT (id) DO UPDATE SET title = excluded.title, ssb_updated = excluded.ssb_updated,
        last_load_id = excluded.last_load_id, last_loaded_at = excluded.last_loaded_at, source = excluded.source`)
      .run(resolved.table.id, resolved.title, input.ssbUpdated, input.loadId, now().toISOString(), input.source);
    return result;
  });
  return run.immediate();
}

/**
 * Deletes the facts of `indicatorIds` whose year, region or service area is not among those just loaded. Run in
 * chunks of the IN lists so no statement passes SQLite's bound-parameter limit.
 */
function removeUnpublished(db: BetterSqlite3.Database, indicatorIds: number[], years: number[], regions: readonly string[], areas: readonly string[]): number {
  if (indicatorIds.length === 0) return 0;
  const marks = (n: number) => new Array<string>(n).fill('?').join(',');
  const keep = (column: string, values: readonly unknown[]) => `${column} NOT IN (${marks(values.length)})`;
  const sql = `DELETE FROM fact WHERE indicator_id IN (${marks(indicatorIds.length)})
    AND (${keep('year', years)} OR ${keep('region_code', regions)} OR ${keep('service_area_code', areas)})`;
  return db.prepare(sql).run(...indicatorIds, ...years, ...regions, ...areas).changes;
}

function upsertIndicators(db: BetterSqlite3.Database, resolved: ResolvedTable): number[] {
  const upsert = db.prepare(`INSERT INTO indicator (key, table_id, content_code, concept_variable, concept_code, label, unit, decimals)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (key) DO UPDATE SET table_id = excluded.table_id, content_code = excluded.content_code,
      concept_variable = excluded.concept_variable, concept_code = excluded.concept_code, label = excluded.label,
      unit = excluded.unit, decimals = excluded.decimals`);
  const idOf = db.prepare('SELECT id FROM indicator WHERE key = ?').pluck();
  return resolved.indicators.map((ind) => {
    upsert.run(ind.key, ind.tableId, ind.content, ind.conceptVariable, ind.concept, ind.label, ind.unit, ind.decimals);
    return Number(idOf.get(ind.key));
  });
}

function upsertDimensions(db: BetterSqlite3.Database, input: MergeInput): void {
  const { resolved, buffer, municipalityKeys } = input;
  const region = db.prepare(`INSERT INTO region (code, name, label, kind, valid_from, valid_to, municipality_key)
    VALUES (?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (code) DO UPDATE SET name = excluded.name, label = excluded.label, kind = excluded.kind,
      valid_from = excluded.valid_from, valid_to = excluded.valid_to, municipality_key = excluded.municipality_key`);
  const facts = new Map<string, ReturnType<typeof parseRegionLabel>>();
  const aliasOf = new Map(Object.entries(resolved.table.regionAliases ?? {}).map(([from, to]) => [to, from]));
  const keepExisting = db.prepare('INSERT INTO region (code, name, label, kind, valid_from, valid_to, municipality_key) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (code) DO NOTHING');
  for (const code of buffer.regionCodes.values()) {
    const alias = aliasOf.get(code);
    if (alias !== undefined) {
      // Stored under the common code: the tables that use that code name the region.
      const r = parseRegionLabel(code, resolved.regionLabels.get(alias) ?? code);
      keepExisting.run(code, r.name, r.label, r.kind, r.validFrom, r.validTo, null);
      continue;
    }
    const r = parseRegionLabel(code, resolved.regionLabels.get(code) ?? code);
    const klass = input.codeValidity.get(code);
    r.validFrom ??= klass?.from ?? null;
    r.validTo ??= klass?.to ?? null;
    facts.set(code, r);
    const key = r.kind === 'municipality' ? (municipalityKeys.get(code) ?? code) : null;
    region.run(r.code, r.name, r.label, r.kind, r.validFrom, r.validTo, key);
  }
  // A municipality is named after the code its key is (the newest code), when this table has it.
  const municipality = db.prepare(`INSERT INTO municipality (key, name) VALUES (?, ?)
    ON CONFLICT (key) DO UPDATE SET name = excluded.name`);
  const placeholder = db.prepare('INSERT INTO municipality (key, name) VALUES (?, ?) ON CONFLICT (key) DO NOTHING');
  const keys = new Set<string>();
  for (const [code, r] of facts) if (r.kind === 'municipality') keys.add(municipalityKeys.get(code) ?? code);
  for (const key of keys) {
    const own = facts.get(key);
    if (own) municipality.run(key, own.name);
    else placeholder.run(key, key); // named when a table holding the key's own code is loaded
  }

  if (resolved.table.addsYears) {
    const year = db.prepare('INSERT INTO year (year) VALUES (?) ON CONFLICT (year) DO NOTHING');
    for (const y of resolved.years) year.run(y);
  }

  const declared = new Map(input.serviceAreas.serviceAreas.map((a) => [a.code, a]));
  const groupingOf = new Map<string, string>();
  for (const g of input.serviceAreas.groupings) for (const code of g.serviceAreas) groupingOf.set(code, g.id);
  const area = db.prepare(`INSERT INTO service_area (code, label, kind, grouping_id, functions) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT (code) DO UPDATE SET label = excluded.label, kind = excluded.kind, grouping_id = excluded.grouping_id,
      functions = excluded.functions`);
  for (const code of buffer.serviceAreaCodes.values()) {
    const d = declared.get(code);
    const label = resolved.serviceAreaLabels.get(code) || d?.label || code;
    area.run(code, label, d?.kind ?? (code === WHOLE_MUNICIPALITY ? 'total' : /^FGK/.test(code) ? 'group' : 'function'),
      groupingOf.get(code) ?? null, d?.functions?.join(',') ?? null);
  }
  const grouping = db.prepare(`INSERT INTO service_area_grouping (id, label, parent_id, need_sector, sort_order) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT (id) DO UPDATE SET label = excluded.label, parent_id = excluded.parent_id, need_sector = excluded.need_sector,
      sort_order = excluded.sort_order`);
  input.serviceAreas.groupings.forEach((g, i) => grouping.run(g.id, g.label, g.parent ?? null, g.needSector, i));
}
