import rawCatalogue from './source-catalogue.json';
import { CatalogueError } from '../catalogue-error';
import rawServiceAreas from '../service-areas/service-areas.json';

/**
 * The declarative catalogue of what the ETL loads (catalogue.json) and the service-area dimension
 * (service-areas.json). Both are data; this module only types and validates them, collecting every problem
 * with its path before anything runs (Cube's declared-then-validated model).
 */

export interface IndicatorDeclaration {
  /** Stable name used by the API and the metric catalogue, e.g. `bdi`. */
  key: string;
  content: string;
  /** Code in the table's concept variable (KOKartkap0000 / KOKart0000), when the table has one. */
  concept?: string;
  /** SSB's label for the concept (or content, when there is no concept): used to suggest the right code. */
  label: string;
  /** The code comes from third-party lists and must be confirmed against the live metadata. */
  verify?: boolean;
}

export interface TableDeclaration {
  id: string;
  title: string;
  regionVariable: string;
  conceptVariable?: string;
  serviceAreaVariable?: string;
  serviceAreas?: string[];
  /**
   * Region codes this table uses for a region other tables name differently, stored under the common code:
   * population table 07459 calls the country "0" where the KOSTRA tables say "EAK".
   */
  regionAliases?: Record<string, string>;
  /** Codes for other mandatory variables, e.g. { "KOKregnskapsomfa0000": "A" }. */
  fixed?: Record<string, string>;
  indicators: IndicatorDeclaration[];
}

export interface Catalogue {
  years: { from: number; to?: number };
  regions: { include: string[] };
  tables: TableDeclaration[];
}

export interface ServiceAreaDeclaration {
  code: string;
  label: string;
  kind: 'total' | 'group' | 'function';
  functions?: string[];
}

export interface GroupingDeclaration {
  id: string;
  label: string;
  parent?: string;
  needSector: string | null;
  serviceAreas: string[];
}

export interface ServiceAreaCatalogue {
  serviceAreas: ServiceAreaDeclaration[];
  groupings: GroupingDeclaration[];
}


export { CatalogueError };
const FILE = 'core/source-catalogue/source-catalogue.json';

const isNonEmptyString = (v: unknown): v is string => typeof v === 'string' && v.trim().length > 0;

/** Validates the structure and cross-references of both files; throws one CatalogueError listing every problem. */
export function validateCatalogue(raw: unknown, rawAreas: unknown): { catalogue: Catalogue; serviceAreas: ServiceAreaCatalogue } {
  const problems: string[] = [];
  const cat = raw as Catalogue;
  const areas = rawAreas as ServiceAreaCatalogue;

  if (!cat || typeof cat !== 'object') throw new CatalogueError(FILE, ['catalogue: must be an object']);
  if (!Number.isInteger(cat.years?.from)) problems.push(`years.from: must be a year, but got: ${JSON.stringify(cat.years?.from)}`);
  if (cat.years?.to !== undefined && (!Number.isInteger(cat.years.to) || cat.years.to < cat.years.from)) {
    problems.push(`years.to: must be a year ≥ years.from, but got: ${JSON.stringify(cat.years.to)}`);
  }
  if (!Array.isArray(cat.regions?.include) || cat.regions.include.length === 0) {
    problems.push('regions.include: must list at least one region-code pattern');
  } else {
    cat.regions.include.forEach((pattern, i) => {
      try { new RegExp(pattern); } catch (e) { problems.push(`regions.include[${i}]: not a valid pattern (${(e as Error).message})`); }
    });
  }

  const areaCodes = new Set<string>();
  (areas?.serviceAreas ?? []).forEach((a, i) => {
    const where = `service-areas.json -> serviceAreas[${i}]`;
    if (!isNonEmptyString(a.code)) problems.push(`${where}.code: required`);
    else if (areaCodes.has(a.code)) problems.push(`${where}: duplicate code "${a.code}"`);
    else areaCodes.add(a.code);
    if (!['total', 'group', 'function'].includes(a.kind)) problems.push(`${where} (${a.code}).kind: must be total, group or function, but got: ${JSON.stringify(a.kind)}`);
  });
  const groupingIds = new Set((areas?.groupings ?? []).map((g) => g.id));
  const claimed = new Map<string, string>();
  (areas?.groupings ?? []).forEach((g, i) => {
    const where = `service-areas.json -> groupings[${i}] (${g.id})`;
    if (g.parent !== undefined && !groupingIds.has(g.parent)) problems.push(`${where}.parent: unknown grouping "${g.parent}"`);
    for (const code of g.serviceAreas ?? []) {
      if (!areaCodes.has(code)) problems.push(`${where}.serviceAreas: unknown service area "${code}"`);
      const owner = claimed.get(code);
      if (owner) problems.push(`${where}.serviceAreas: "${code}" already belongs to grouping "${owner}" (groupings must be disjoint)`);
      claimed.set(code, g.id);
    }
  });

  const tableIds = new Set<string>();
  const keys = new Set<string>();
  (cat.tables ?? []).forEach((t, i) => {
    const where = `tables[${i}] (${t.id})`;
    if (!/^\d{5}$/.test(t.id ?? '')) problems.push(`tables[${i}].id: must be a 5-digit SSB table id, but got: ${JSON.stringify(t.id)}`);
    if (tableIds.has(t.id)) problems.push(`${where}: table listed twice`);
    tableIds.add(t.id);
    if (!isNonEmptyString(t.regionVariable)) problems.push(`${where}.regionVariable: required`);
    if (t.serviceAreaVariable && !(t.serviceAreas?.length)) problems.push(`${where}.serviceAreas: required when serviceAreaVariable is set`);
    for (const code of t.serviceAreas ?? []) {
      if (!areaCodes.has(code)) problems.push(`${where}.serviceAreas: "${code}" is not declared in service-areas.json`);
    }
    if (!Array.isArray(t.indicators) || t.indicators.length === 0) problems.push(`${where}.indicators: at least one indicator`);
    const seen = new Set<string>();
    (t.indicators ?? []).forEach((ind, j) => {
      const at = `${where} -> indicators[${j}] (${ind.key})`;
      if (!/^[a-z][a-z0-9_]*$/.test(ind.key ?? '')) problems.push(`${at}.key: must be snake_case, but got: ${JSON.stringify(ind.key)}`);
      if (keys.has(ind.key)) problems.push(`${at}.key: "${ind.key}" is used twice (keys are global)`);
      keys.add(ind.key);
      if (!isNonEmptyString(ind.content)) problems.push(`${at}.content: required`);
      if (t.conceptVariable && !isNonEmptyString(ind.concept)) problems.push(`${at}.concept: required because the table has ${t.conceptVariable}`);
      if (!t.conceptVariable && ind.concept !== undefined) problems.push(`${at}.concept: the table declares no conceptVariable`);
      const combo = `${ind.content}|${ind.concept ?? ''}`;
      if (seen.has(combo)) problems.push(`${at}: content ${ind.content}${ind.concept ? ` / concept ${ind.concept}` : ''} declared twice`);
      seen.add(combo);
      if (!isNonEmptyString(ind.label)) problems.push(`${at}.label: required (SSB's label, used to suggest a code when it is missing)`);
    });
  });
  if (problems.length) throw new CatalogueError(FILE, problems);
  return { catalogue: cat, serviceAreas: areas };
}

let cached: { catalogue: Catalogue; serviceAreas: ServiceAreaCatalogue } | undefined;

/** The shipped catalogue, validated once. */
export function loadCatalogue(): { catalogue: Catalogue; serviceAreas: ServiceAreaCatalogue } {
  cached ??= validateCatalogue(rawCatalogue, rawServiceAreas);
  return cached;
}
