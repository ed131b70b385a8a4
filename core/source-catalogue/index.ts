/**
 * The source catalogue: what the ETL loads from SSB (source-catalogue.json, data). Tables say how each SSB table
 * is read; indicators name each concept the warehouse needs with its candidate sources in order of preference, so
 * a concept can come from whichever table holds it (resolved against the live metadata at plan time, see
 * etl/resolve). Validated by a schema (unknown keys are errors) and then against itself, every problem reported
 * together with its path (Cube's declared-then-validated model).
 */
import { z } from 'zod';
import { CatalogueError } from '../catalogue-error';
import { loadServiceAreas, type ServiceAreaCatalogue } from '../service-areas';
import { zodProblems } from '../zod-problems';
import rawCatalogue from './source-catalogue.json';

export { CatalogueError };
const FILE = 'core/source-catalogue/source-catalogue.json';

const code = z.string().min(1).max(64);
const pattern = z.string().min(1).refine((p) => {
  try { new RegExp(p); return true; } catch { return false; }
}, 'must be a valid regular expression');

const tableSchema = z.strictObject({
  id: z.string().regex(/^\d{5}$/, 'must be a 5-digit SSB table id'),
  title: z.string().min(1),
  regionVariable: code,
  /** The table's concept variable (KOKartkap0000 regnskapsbegrep, KOKart0000 art), when it has one. */
  conceptVariable: code.optional(),
  serviceAreaVariable: code.optional(),
  serviceAreas: z.strictObject({
    $comment: z.string().optional(),
    /** Codes of the service-area variable to load, by pattern; labels come from the metadata. */
    include: z.array(pattern).default([]),
    /** Also every code the groupings of service-areas.json use. */
    groupings: z.boolean().default(false),
  }).optional(),
  /** Region codes this table uses for a region other tables name differently, stored under the common code. */
  regionAliases: z.record(z.string(), code).optional(),
  /** Codes for other mandatory variables, e.g. { "KOKregnskapsomfa0000": "A" }. */
  fixed: z.record(z.string(), code).optional(),
  /** False for a table whose years are not accounting years (population 1 January). Default true. */
  addsYears: z.boolean().default(true),
});

const candidateSchema = z.strictObject({
  table: z.string().regex(/^\d{5}$/, 'must be a 5-digit SSB table id'),
  content: code,
  concept: code.optional(),
  /** SSB's label in this table, when it differs from the indicator's. */
  label: z.string().min(1).optional(),
  /** api = seen in real SSB answers, ssb = on an SSB page, 3p = only in third-party lists, assumed = a placeholder code from a table number alone (confirm with --check). */
  certainty: z.enum(['api', 'ssb', '3p', 'assumed']),
});

const indicatorSchema = z.strictObject({
  key: z.string().regex(/^[a-z][a-z0-9_]*$/, 'must be snake_case'),
  /** SSB's label of the concept (or of the content, for a table without a concept variable). */
  label: z.string().min(1),
  sources: z.array(candidateSchema).min(1, 'needs at least one candidate source'),
  /**
   * The warehouse works without it: a published figure used only to reconcile with SSB, or a service volume whose
   * code is not yet confirmed at SSB (the efficiency analysis). When no candidate holds it, that is reported (and
   * what needs it answers null with a reason), but the run still succeeds.
   */
  optional: z.boolean().default(false),
});

const catalogueSchema = z.strictObject({
  $comment: z.string().optional(),
  years: z.strictObject({ from: z.number().int().min(1900).max(2100), to: z.number().int().min(1900).max(2100).optional() }),
  regions: z.strictObject({ $comment: z.string().optional(), include: z.array(pattern).min(1, 'must list at least one region-code pattern') }),
  tables: z.array(tableSchema).min(1),
  indicators: z.array(indicatorSchema).min(1),
});

export type TableDeclaration = z.infer<typeof tableSchema>;
export type SourceCandidate = z.infer<typeof candidateSchema>;
export type IndicatorDeclaration = z.infer<typeof indicatorSchema>;
export type SourceCatalogue = z.infer<typeof catalogueSchema>;

/** Validates the structure and cross-references of the catalogue; throws one CatalogueError listing every problem. */
export function validateCatalogue(raw: unknown): SourceCatalogue {
  const parsed = catalogueSchema.safeParse(raw);
  if (!parsed.success) throw new CatalogueError(FILE, zodProblems(parsed.error));
  const cat = parsed.data;
  const problems: string[] = [];
  if (cat.years.to !== undefined && cat.years.to < cat.years.from) problems.push(`years.to: must be ≥ years.from (${cat.years.from}), but got: ${cat.years.to}`);

  const tables = new Map<string, TableDeclaration>();
  cat.tables.forEach((t, i) => {
    const where = `tables[${i}] (${t.id})`;
    if (tables.has(t.id)) problems.push(`${where}: table listed twice`);
    tables.set(t.id, t);
    if (t.serviceAreas && !t.serviceAreaVariable) problems.push(`${where}.serviceAreas: needs serviceAreaVariable`);
    if (t.serviceAreaVariable && !t.serviceAreas) problems.push(`${where}.serviceAreas: required when serviceAreaVariable is set (patterns and/or groupings: true)`);
    if (t.serviceAreas && t.serviceAreas.include.length === 0 && !t.serviceAreas.groupings) problems.push(`${where}.serviceAreas: selects nothing (give include patterns or groupings: true)`);
  });

  const keys = new Map<string, number>();
  const claimedBy = new Map<string, string>();
  cat.indicators.forEach((ind, i) => {
    const where = `indicators[${i}] (${ind.key})`;
    if (keys.has(ind.key)) problems.push(`${where}.key: "${ind.key}" is declared twice (first at indicators[${keys.get(ind.key)}])`);
    else keys.set(ind.key, i);
    ind.sources.forEach((s, j) => {
      const at = `${where}.sources[${j}]`;
      const t = tables.get(s.table);
      if (!t) {
        problems.push(`${at}.table: table ${s.table} is not declared in tables (declared: ${[...tables.keys()].join(', ')})`);
        return;
      }
      if (t.conceptVariable && s.concept === undefined) problems.push(`${at}.concept: required because table ${t.id} has ${t.conceptVariable}`);
      if (!t.conceptVariable && s.concept !== undefined) problems.push(`${at}.concept: table ${t.id} declares no conceptVariable`);
      const cell = `${s.table}|${s.content}|${s.concept ?? ''}`;
      const owner = claimedBy.get(cell);
      if (owner && owner !== ind.key) problems.push(`${at}: table ${s.table} content ${s.content}${s.concept ? ` concept ${s.concept}` : ''} is already a source of "${owner}"`);
      claimedBy.set(cell, ind.key);
    });
  });
  if (problems.length) throw new CatalogueError(FILE, problems);
  return cat;
}

export interface Catalogues {
  catalogue: SourceCatalogue;
  serviceAreas: ServiceAreaCatalogue;
}

let cached: Catalogues | undefined;

/** The shipped source catalogue and service areas, validated once. */
export function loadCatalogue(): Catalogues {
  cached ??= { catalogue: validateCatalogue(rawCatalogue), serviceAreas: loadServiceAreas() };
  return cached;
}

/** Every indicator key the catalogue can load (what the metric catalogue is validated against). */
export function indicatorKeys(catalogue: SourceCatalogue): Set<string> {
  return new Set(catalogue.indicators.map((i) => i.key));
}

/** Indicator keys whose every source is a table with a service-area variable (reported per tjenesteområde). */
export function serviceAreaIndicatorKeys(catalogue: SourceCatalogue): Set<string> {
  const scoped = new Set(catalogue.tables.filter((t) => t.serviceAreaVariable).map((t) => t.id));
  return new Set(catalogue.indicators.filter((i) => i.sources.every((s) => scoped.has(s.table))).map((i) => i.key));
}
