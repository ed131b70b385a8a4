import type { JsonStat2Dataset } from './pxweb/types';
import { decodeJsonStat2Metadata } from './pxweb/jsonstat-decode';
import { closestMatches } from '../core/text/closest';
import { WHOLE_MUNICIPALITY } from '../core/service-areas';
import type { Catalogue, TableDeclaration } from '../core/source-catalogue';

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
  label: string;
  unit: string;
  decimals: number;
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
}

export class MetadataMismatchError extends Error {
  constructor(readonly tableId: string, readonly problems: string[]) {
    super(`table ${tableId}: the catalogue does not match SSB's metadata (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n` +
      problems.map((p) => `  - ${p}`).join('\n') +
      '\nNo data was requested. Correct the code in core/source-catalogue/source-catalogue.json (the closest labels are suggested) and run again.');
    this.name = 'MetadataMismatchError';
  }
}

const TIME = 'Tid';
const CONTENT = 'ContentsCode';

export const indicatorLookupKey = (content: string, concept: string | null | undefined) => `${content}|${concept ?? ''}`;

/**
 * Checks every configured code against the table's metadata and turns the declaration into concrete code lists.
 * Every problem is collected before failing, so one run shows everything to fix.
 */
export function resolveTable(table: TableDeclaration, catalogue: Catalogue, metadata: JsonStat2Dataset): ResolvedTable {
  const cube = decodeJsonStat2Metadata(metadata);
  const problems: string[] = [];
  const dims = new Map(cube.dims.map((d) => [d.code.toLowerCase(), d]));
  const dim = (code: string | undefined) => (code ? dims.get(code.toLowerCase()) : undefined);
  const labelsOf = (d: { codes: string[]; labels: string[] }) => new Map(d.codes.map((c, i) => [c, d.labels[i] ?? c]));
  const missingCode = (variable: string, code: string, wantedLabel: string | undefined, d: { codes: string[]; labels: string[] }) => {
    const byLabel = wantedLabel ? closestMatches(wantedLabel, d.labels) : [];
    const byCode = closestMatches(code, d.codes);
    const hints = [
      ...byLabel.map((l) => `${d.codes[d.labels.indexOf(l)]} "${l}"`),
      ...byCode.filter((c) => !byLabel.some((l) => d.codes[d.labels.indexOf(l)] === c)).map((c) => `${c} "${labelsOf(d).get(c)}"`),
    ].slice(0, 3);
    problems.push(`${variable}: code ${code}${wantedLabel ? ` (${wantedLabel})` : ''} is not in the metadata` +
      (hints.length ? `; closest: ${hints.join(', ')}` : ''));
  };

  const regionDim = dim(table.regionVariable);
  const timeDim = dim(TIME);
  const contentDim = dim(CONTENT);
  const conceptDim = dim(table.conceptVariable);
  const serviceDim = dim(table.serviceAreaVariable);
  for (const [name, d] of [[table.regionVariable, regionDim], [TIME, timeDim], [CONTENT, contentDim],
    [table.conceptVariable, table.conceptVariable ? conceptDim : true], [table.serviceAreaVariable, table.serviceAreaVariable ? serviceDim : true]] as const) {
    if (!d) problems.push(`variable ${name} is not in the table (it has: ${cube.dims.map((x) => x.code).join(', ')})`);
  }
  if (problems.length) throw new MetadataMismatchError(table.id, problems);

  const patterns = catalogue.regions.include.map((p) => new RegExp(p));
  const aliases = table.regionAliases ?? {};
  for (const code of Object.keys(aliases)) if (!regionDim!.codes.includes(code)) missingCode(table.regionVariable, code, undefined, regionDim!);
  const regionCodes = regionDim!.codes.filter((c) => c in aliases || patterns.some((p) => p.test(c)));
  if (regionCodes.length === 0) problems.push(`${table.regionVariable}: no code matches regions.include (${catalogue.regions.include.join(', ')})`);

  const years = timeDim!.codes.map(Number).filter((y) => Number.isInteger(y) && y >= catalogue.years.from && (catalogue.years.to === undefined || y <= catalogue.years.to));
  if (years.length === 0) problems.push(`${TIME}: no year from ${catalogue.years.from} in the metadata (it has ${timeDim!.codes[0]}–${timeDim!.codes[timeDim!.codes.length - 1]})`);

  const contentCodes = new Set(contentDim!.codes);
  const conceptCodes = new Set(conceptDim?.codes ?? []);
  const indicators: ResolvedIndicator[] = [];
  for (const ind of table.indicators) {
    let ok = true;
    if (!contentCodes.has(ind.content)) { missingCode(CONTENT, ind.content, table.conceptVariable ? undefined : ind.label, contentDim!); ok = false; }
    if (conceptDim && ind.concept !== undefined && !conceptCodes.has(ind.concept)) { missingCode(table.conceptVariable!, ind.concept, ind.label, conceptDim); ok = false; }
    if (!ok) continue;
    const ci = contentDim!.codes.indexOf(ind.content);
    const unit = contentDim!.units?.[ci];
    indicators.push({
      key: ind.key, tableId: table.id, content: ind.content,
      conceptVariable: table.conceptVariable ?? null, concept: ind.concept ?? null,
      label: (conceptDim && ind.concept ? labelsOf(conceptDim).get(ind.concept) : labelsOf(contentDim!).get(ind.content)) ?? ind.label,
      unit: unit?.base ?? 'ukjent', decimals: unit?.decimals ?? (metadata.extension?.px?.decimals) ?? 0,
    });
  }

  const serviceCodes = table.serviceAreas ?? [];
  if (serviceDim) {
    const known = new Set(serviceDim.codes);
    for (const code of serviceCodes) if (!known.has(code)) missingCode(table.serviceAreaVariable!, code, undefined, serviceDim);
  }

  // Every variable SSB marks non-eliminable must be selected; anything else the catalogue does not name is left
  // out so SSB returns its total (e.g. sex and age in 07459).
  const fixed = new Map(Object.entries(table.fixed ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  const variables: ResolvedVariable[] = [];
  for (const d of cube.dims) {
    const lc = d.code.toLowerCase();
    const eliminable = metadata.dimension[d.code]?.extension?.elimination === true;
    if (lc === table.regionVariable.toLowerCase()) variables.push({ variableCode: d.code, codes: regionCodes, splittable: true, role: 'region' });
    else if (lc === TIME.toLowerCase()) variables.push({ variableCode: d.code, codes: years.map(String), splittable: false, role: 'time' });
    else if (lc === CONTENT.toLowerCase()) variables.push({ variableCode: d.code, codes: [...new Set(indicators.map((i) => i.content))], splittable: false, role: 'content' });
    else if (table.conceptVariable && lc === table.conceptVariable.toLowerCase()) variables.push({ variableCode: d.code, codes: [...new Set(indicators.map((i) => i.concept!))], splittable: true, role: 'concept' });
    else if (table.serviceAreaVariable && lc === table.serviceAreaVariable.toLowerCase()) variables.push({ variableCode: d.code, codes: serviceCodes, splittable: true, role: 'serviceArea' });
    else if (fixed.has(lc)) {
      const code = fixed.get(lc)!;
      if (!d.codes.includes(code)) missingCode(d.code, code, undefined, d);
      variables.push({ variableCode: d.code, codes: [code], splittable: false, role: 'fixed' });
    } else if (!eliminable) {
      problems.push(`variable ${d.code} (${d.label}) is mandatory at SSB but the catalogue selects nothing for it: add "fixed": { "${d.code}": "<code>" } (codes: ${d.codes.slice(0, 8).join(', ')}${d.codes.length > 8 ? ', …' : ''})`);
    }
  }
  if (problems.length) throw new MetadataMismatchError(table.id, problems);

  return {
    table,
    title: metadata.label,
    variables,
    regionLabels: labelsOf(regionDim!),
    serviceAreaLabels: serviceDim ? labelsOf(serviceDim) : new Map([[WHOLE_MUNICIPALITY, '']]),
    years,
    indicators,
    indicatorByCodes: new Map(indicators.map((i) => [indicatorLookupKey(i.content, i.concept), i])),
    cells: variables.reduce((n, v) => n * v.codes.length, 1),
  };
}
