/**
 * Resolution: the source catalogue checked against SSB's live metadata, before any data request.
 *
 *  1. `resolveIndicators`: each indicator takes the first of its candidate sources whose table answered its
 *     metadata, whose content (and concept) code exists, and whose SSB label matches the catalogue's. An indicator
 *     found nowhere is reported with what each candidate said and the closest labels — it does not stop the rest.
 *  2. `resolveTable`: one table's selection for the indicators it was chosen for: concrete codes for every
 *     variable, labels from the metadata. Only a structural change (a variable gone, a mandatory variable the
 *     catalogue cannot select) fails the table, and then that table alone.
 */
import type { SourceCandidate, SourceCatalogue, TableDeclaration } from '../core/source-catalogue';
import { groupingCodes, WHOLE_MUNICIPALITY, type ServiceAreaCatalogue } from '../core/service-areas';
import { closestMatches, nearest } from '../core/text/closest';
import { labelMatches } from '../core/text/labels';
import { decodeJsonStat2Metadata, type DecodedCube, type DecodedDimension } from './pxweb/jsonstat-decode';
import type { JsonStat2Dataset } from './pxweb/types';

/** One variable of a resolved selection, in the table's metadata order. */
export interface ResolvedVariable {
  variableCode: string;
  codes: string[];
  /** The planner may split it across requests (never time or content). */
  splittable: boolean;
  role: 'region' | 'concept' | 'serviceArea' | 'content' | 'time' | 'fixed';
}

export interface ResolvedIndicator {
  key: string;
  tableId: string;
  content: string;
  conceptVariable: string | null;
  concept: string | null;
  /** SSB's label for the concept (or content) in the chosen table. */
  label: string;
  unit: string;
  decimals: number;
  certainty: SourceCandidate['certainty'];
  /** Position of the chosen source among the indicator's candidates (0 = the preferred one). */
  candidate: number;
}

export interface CandidateOutcome {
  table: string;
  content: string;
  concept: string | null;
  /** Why this candidate was not taken. */
  problem: string;
}

export interface UnresolvedIndicator {
  key: string;
  label: string;
  /** Only a reconciliation check needs it: reported, but the run does not fail for it. */
  optional: boolean;
  tried: CandidateOutcome[];
}

export interface CatalogueResolution {
  resolved: ResolvedIndicator[];
  missing: UnresolvedIndicator[];
  /** For resolved indicators that are not on their preferred source: why the earlier candidates were passed over. */
  passedOver: Map<string, CandidateOutcome[]>;
}

/** A table's metadata, or why it could not be read (404, a network failure, a broken answer). */
export interface MetadataRead { ok: true; metadata: JsonStat2Dataset; cube: DecodedCube }
export type TableMetadata = MetadataRead | { ok: false; problem: string };

/** A table whose metadata could not be read (SSB does not have it, the network failed): a candidate that fails. */
export function unreadable(tableId: string, error: unknown): TableMetadata {
  return { ok: false, problem: `table ${tableId} could not be read: ${(error instanceof Error ? error.message : String(error)).split('\n')[0]}` };
}

export function tableMetadata(metadata: JsonStat2Dataset): MetadataRead {
  return { ok: true, metadata, cube: decodeJsonStat2Metadata(metadata) };
}

const TIME = 'Tid';
const CONTENT = 'ContentsCode';

export const indicatorLookupKey = (content: string, concept: string | null | undefined) => `${content}|${concept ?? ''}`;

function dimension(cube: DecodedCube, code: string | undefined): DecodedDimension | undefined {
  return code ? cube.dims.find((d) => d.code.toLowerCase() === code.toLowerCase()) : undefined;
}

function labelOf(d: DecodedDimension, code: string): string {
  return d.labels[d.codes.indexOf(code)] ?? code;
}

/**
 * "code "label"" of the closest entries of a dimension, by label and by code — or, when nothing is close, the
 * nearest labels anyway, so an operator sees what the table does hold.
 */
export function closestEntries(d: DecodedDimension, wantedLabel: string | undefined, wantedCode: string | undefined, limit = 3, nearestIfNoneClose = true): string[] {
  const byLabel = wantedLabel ? closestMatches(wantedLabel, d.labels, limit).map((l) => d.codes[d.labels.indexOf(l)]) : [];
  const byCode = wantedCode ? closestMatches(wantedCode, d.codes, limit) : [];
  let codes = [...new Set([...byLabel, ...byCode])];
  if (codes.length === 0 && wantedLabel && nearestIfNoneClose) codes = nearest(wantedLabel, d.labels, limit).map((l) => d.codes[d.labels.indexOf(l)]);
  return codes.slice(0, limit).map((c) => `${c} "${labelOf(d, c)}"`);
}

/** Each indicator's source, chosen among its candidates against the tables' metadata. */
export function resolveIndicators(catalogue: SourceCatalogue, metadata: ReadonlyMap<string, TableMetadata>): CatalogueResolution {
  const tables = new Map(catalogue.tables.map((t) => [t.id, t]));
  const resolved: ResolvedIndicator[] = [];
  const missing: UnresolvedIndicator[] = [];
  const passedOver = new Map<string, CandidateOutcome[]>();
  for (const ind of catalogue.indicators) {
    const tried: CandidateOutcome[] = [];
    let chosen: ResolvedIndicator | null = null;
    for (const [i, source] of ind.sources.entries()) {
      const table = tables.get(source.table);
      const meta = metadata.get(source.table);
      const outcome = (problem: string) => tried.push({ table: source.table, content: source.content, concept: source.concept ?? null, problem });
      if (!table || !meta) { outcome(`table ${source.table} was not read in this run`); continue; }
      if (!meta.ok) { outcome(meta.problem); continue; }
      const result = checkCandidate(ind.label, source, table, meta.cube, meta.metadata);
      if (typeof result === 'string') { outcome(result); continue; }
      chosen = { ...result, key: ind.key, candidate: i };
      break;
    }
    if (chosen) {
      resolved.push(chosen);
      if (tried.length) passedOver.set(ind.key, tried);
    } else {
      missing.push({ key: ind.key, label: ind.label, optional: ind.optional, tried });
    }
  }
  return { resolved, missing, passedOver };
}

function checkCandidate(
  indicatorLabel: string, source: SourceCandidate, table: TableDeclaration, cube: DecodedCube, metadata: JsonStat2Dataset,
): Omit<ResolvedIndicator, 'key' | 'candidate'> | string {
  const wanted = source.label ?? indicatorLabel;
  const contentDim = dimension(cube, CONTENT);
  if (!contentDim) return `table ${table.id} has no ${CONTENT} variable`;
  const conceptDim = dimension(cube, table.conceptVariable);
  if (table.conceptVariable && !conceptDim) return `table ${table.id} has no ${table.conceptVariable} variable`;
  if (!contentDim.codes.includes(source.content)) {
    const hints = closestEntries(contentDim, table.conceptVariable ? undefined : wanted, source.content);
    return `table ${table.id}: content ${source.content} is not in the metadata${hints.length ? `; closest: ${hints.join(', ')}` : ''}`;
  }
  // The label that names the concept: the concept's in a table with a concept variable, else the content's.
  let ssbLabel: string;
  if (conceptDim && source.concept !== undefined) {
    if (!conceptDim.codes.includes(source.concept)) {
      const hints = closestEntries(conceptDim, wanted, source.concept);
      return `table ${table.id}: ${table.conceptVariable} code ${source.concept} (${wanted}) is not in the metadata${hints.length ? `; closest: ${hints.join(', ')}` : ''}`;
    }
    ssbLabel = labelOf(conceptDim, source.concept);
  } else {
    ssbLabel = labelOf(contentDim, source.content);
  }
  const code = source.concept ?? source.content;
  if (!labelMatches(wanted, ssbLabel, code)) {
    const d = conceptDim && source.concept !== undefined ? conceptDim : contentDim;
    const hints = closestEntries(d, wanted, undefined, 3, false).filter((h) => !h.startsWith(`${code} `));
    return `table ${table.id}: ${code} is labelled "${ssbLabel}", not "${wanted}"${hints.length ? `; closest by label: ${hints.join(', ')}` : ''}`;
  }
  const unit = contentDim.units?.[contentDim.codes.indexOf(source.content)];
  return {
    tableId: table.id, content: source.content, conceptVariable: table.conceptVariable ?? null, concept: source.concept ?? null,
    label: ssbLabel, unit: unit?.base ?? 'ukjent', decimals: unit?.decimals ?? metadata.extension?.px?.decimals ?? 0,
    certainty: source.certainty,
  };
}

/** A catalogue table checked against the table's live metadata: concrete codes only, ready to plan. */
export interface ResolvedTable {
  table: TableDeclaration;
  title: string;
  variables: ResolvedVariable[];
  regionLabels: Map<string, string>;
  serviceAreaLabels: Map<string, string>;
  years: number[];
  indicators: ResolvedIndicator[];
  /** `${content}|${concept ?? ''}` -> indicator */
  indicatorByCodes: Map<string, ResolvedIndicator>;
  cells: number;
  /** Problems that do not stop the table (a grouping's service area missing, a region alias absent). */
  warnings: string[];
}

export class TableStructureError extends Error {
  constructor(readonly tableId: string, readonly problems: string[]) {
    super(`table ${tableId} no longer has the structure the catalogue reads (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n` +
      problems.map((p) => `  - ${p}`).join('\n') +
      '\nNo data was requested for this table; the other tables load. Compare core/source-catalogue/source-catalogue.json with the table\'s /metadata.');
    this.name = 'TableStructureError';
  }
}

/**
 * One table's selection for the indicators chosen from it: every variable SSB marks mandatory selected, region codes
 * by the catalogue's patterns, years from the catalogue's first year, service areas by pattern and grouping.
 */
export function resolveTable(
  table: TableDeclaration, catalogue: SourceCatalogue, serviceAreas: ServiceAreaCatalogue, meta: MetadataRead, indicators: ResolvedIndicator[],
): ResolvedTable {
  const { cube, metadata } = meta;
  const problems: string[] = [];
  const warnings: string[] = [];
  const regionDim = dimension(cube, table.regionVariable);
  const timeDim = dimension(cube, TIME);
  const contentDim = dimension(cube, CONTENT);
  const conceptDim = dimension(cube, table.conceptVariable);
  const serviceDim = dimension(cube, table.serviceAreaVariable);
  const has = `it has: ${cube.dims.map((x) => x.code).join(', ')}`;
  if (!regionDim) problems.push(`variable ${table.regionVariable} is not in the table (${has})`);
  if (!timeDim) problems.push(`variable ${TIME} is not in the table (${has})`);
  if (!contentDim) problems.push(`variable ${CONTENT} is not in the table (${has})`);
  if (table.conceptVariable && !conceptDim) problems.push(`variable ${table.conceptVariable} is not in the table (${has})`);
  if (table.serviceAreaVariable && !serviceDim) problems.push(`variable ${table.serviceAreaVariable} is not in the table (${has})`);
  if (!regionDim || !timeDim || !contentDim || problems.length) throw new TableStructureError(table.id, problems);

  const labels = (d: DecodedDimension) => new Map(d.codes.map((c, i) => [c, d.labels[i] ?? c]));
  const patterns = catalogue.regions.include.map((p) => new RegExp(p));
  const aliases = table.regionAliases ?? {};
  for (const code of Object.keys(aliases)) {
    if (!regionDim.codes.includes(code)) warnings.push(`${table.regionVariable}: alias code ${code} is not in the metadata; its figures are not loaded`);
  }
  const regionCodes = regionDim.codes.filter((c) => c in aliases || patterns.some((p) => p.test(c)));
  if (regionCodes.length === 0) problems.push(`${table.regionVariable}: no code matches regions.include (${catalogue.regions.include.join(', ')})`);

  const years = timeDim.codes.map(Number).filter((y) => Number.isInteger(y) && y >= catalogue.years.from && (catalogue.years.to === undefined || y <= catalogue.years.to));
  if (years.length === 0) problems.push(`${TIME}: no year from ${catalogue.years.from} in the metadata (it has ${timeDim.codes[0]}–${timeDim.codes[timeDim.codes.length - 1]})`);

  let serviceCodes: string[] = [];
  if (serviceDim && table.serviceAreas) {
    const include = table.serviceAreas.include.map((p) => new RegExp(p));
    const wanted = new Set(serviceDim.codes.filter((c) => include.some((p) => p.test(c))));
    if (table.serviceAreas.groupings) {
      for (const code of groupingCodes(serviceAreas)) {
        if (serviceDim.codes.includes(code)) wanted.add(code);
        else {
          const hints = closestEntries(serviceDim, undefined, code);
          warnings.push(`${table.serviceAreaVariable}: ${code}, used by a grouping in core/service-areas/service-areas.json, is not in the metadata${hints.length ? ` (closest: ${hints.join(', ')})` : ''}; the grouping is incomplete`);
        }
      }
    }
    serviceCodes = serviceDim.codes.filter((c) => wanted.has(c)); // metadata order
    if (serviceCodes.length === 0) problems.push(`${table.serviceAreaVariable}: no code matches the catalogue's service areas`);
  }

  // Every variable SSB marks non-eliminable must be selected; anything else the catalogue does not name is left
  // out so SSB returns its total (e.g. sex and age in 07459).
  const fixed = new Map(Object.entries(table.fixed ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  const variables: ResolvedVariable[] = [];
  for (const d of cube.dims) {
    const lc = d.code.toLowerCase();
    const eliminable = metadata.dimension[d.code]?.extension?.elimination === true;
    if (d === regionDim) variables.push({ variableCode: d.code, codes: regionCodes, splittable: true, role: 'region' });
    else if (d === timeDim) variables.push({ variableCode: d.code, codes: years.map(String), splittable: false, role: 'time' });
    else if (d === contentDim) variables.push({ variableCode: d.code, codes: [...new Set(indicators.map((i) => i.content))], splittable: false, role: 'content' });
    else if (d === conceptDim) variables.push({ variableCode: d.code, codes: [...new Set(indicators.flatMap((i) => (i.concept === null ? [] : [i.concept])))], splittable: true, role: 'concept' });
    else if (d === serviceDim) variables.push({ variableCode: d.code, codes: serviceCodes, splittable: true, role: 'serviceArea' });
    else if (fixed.has(lc)) {
      const code = fixed.get(lc) ?? '';
      if (!d.codes.includes(code)) problems.push(`${d.code}: fixed code ${code} is not in the metadata${closestEntries(d, undefined, code).map((h) => `; closest: ${h}`).join('')}`);
      variables.push({ variableCode: d.code, codes: [code], splittable: false, role: 'fixed' });
    } else if (!eliminable) {
      problems.push(`variable ${d.code} (${d.label}) is mandatory at SSB but the catalogue selects nothing for it: add "fixed": { "${d.code}": "<code>" } (codes: ${d.codes.slice(0, 8).join(', ')}${d.codes.length > 8 ? ', …' : ''})`);
    }
  }
  if (problems.length) throw new TableStructureError(table.id, problems);

  return {
    table,
    title: metadata.label,
    variables,
    regionLabels: labels(regionDim),
    serviceAreaLabels: serviceDim ? labels(serviceDim) : new Map([[WHOLE_MUNICIPALITY, '']]),
    years,
    indicators,
    indicatorByCodes: new Map(indicators.map((i) => [indicatorLookupKey(i.content, i.concept), i])),
    cells: variables.reduce((n, v) => n * v.codes.length, 1),
    warnings,
  };
}
