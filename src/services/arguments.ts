import { WHOLE_MUNICIPALITY } from '../../core/service-areas';
import { BadInputError } from '../errors';
import type { AppContext } from '../context';
import type { MetricDefinition } from '../../core/metrics';
import type { AreaScope } from './metric.service';
import { resolveSubject, type AverageMode, type ResolvedSubject, type SubjectRef } from './subjects';

/**
 * Turning a request's arguments into what the services compute with: a metric definition, loaded years, a
 * service-area scope, subjects. Every refusal is a BAD_USER_INPUT naming the value and what is allowed.
 */
/** Subjects of one metricSeries and municipalities highlighted in one peerComparison (more: several requests). */
export const MAX_SUBJECTS = 100;
export const MAX_YEARS = 30;
/** Columns of one serviceAreaTable: the report's table has 2–6; a table of more than 24 is no longer readable. */
export const MAX_COLUMNS = 24;

export interface YearsArg { list?: number[] | null; from?: number | null; to?: number | null }
export type SubjectArg = Omit<SubjectRef, 'average'> & { average?: string | null };

/**
 * Whether to correct for need when the request does not say: only when the need index is real, since numbers built on
 * synthetic indices must be asked for (the service-area table and the efficiency table).
 */
export function needCorrectedByDefault(ctx: AppContext, asked: boolean | null | undefined): boolean {
  return asked ?? !ctx.snapshot.demoInputs.includes('need-index');
}

export function metricOf(ctx: AppContext, id: string, argument = 'metric'): MetricDefinition {
  const def = ctx.metrics.get(id);
  if (!def) throw BadInputError.unknown('metric', id, ctx.metrics.keys(), argument);
  return def;
}

export function resolveYears(ctx: AppContext, years: YearsArg): number[] {
  const loaded = loadedYears(ctx);
  let list: number[];
  if (years.list?.length) {
    if (years.from != null || years.to != null) throw new BadInputError('years: give either list or from/to, not both', { argument: 'years' });
    if (years.list.length > MAX_YEARS) throw new BadInputError(`years: ${years.list.length} years asked for; at most ${MAX_YEARS} per request`, { argument: 'years' });
    list = [...new Set(years.list)].sort((a, b) => a - b);
  } else {
    // The bounds are checked against the loaded years before the list is built: a range is never allocated from
    // what the client sent (from -2³¹ to 2³¹ − 1 would not fit in memory).
    const from = years.from ?? loaded[0];
    const to = years.to ?? loaded[loaded.length - 1];
    checkLoadedYear(ctx, from, 'years', 'from');
    checkLoadedYear(ctx, to, 'years', 'to');
    if (from > to) throw new BadInputError(`years: from ${from} is after to ${to}`, { argument: 'years' });
    if (to - from + 1 > MAX_YEARS) throw new BadInputError(`years: ${to - from + 1} years asked for; at most ${MAX_YEARS} per request`, { argument: 'years' });
    list = [];
    for (let y = from; y <= to; y++) list.push(y);
  }
  const unknown = list.filter((y) => !loaded.includes(y));
  if (unknown.length) {
    throw new BadInputError(`years: ${unknown.join(', ')} ${unknown.length === 1 ? 'is' : 'are'} not loaded; ${loadedRange(loaded)}`, { argument: 'years', value: unknown });
  }
  return list;
}

function loadedYears(ctx: AppContext): number[] {
  const loaded = ctx.snapshot.years;
  if (loaded.length === 0) throw new BadInputError('the warehouse has no years loaded yet: run the ETL first', { argument: 'years' });
  return loaded;
}

const loadedRange = (loaded: number[]) => `loaded years are ${loaded[0]}–${loaded[loaded.length - 1]}`;

/** A single year argument (`from`, `to` of a range or a period): BAD_USER_INPUT unless it is a loaded year. */
export function checkLoadedYear(ctx: AppContext, year: number, argument: string, name?: string): void {
  const loaded = loadedYears(ctx);
  if (!loaded.includes(year)) throw new BadInputError(`${argument}: ${name ? `${name} ` : ''}${year} is not loaded; ${loadedRange(loaded)}`, { argument, value: year });
}

/**
 * The period of a series statement (periodAverage, averageAnnualGrowth, changeBetween): both ends loaded years,
 * from before to (or equal, when `allowSame`). Checked before the statement walks the years in between.
 */
export function checkPeriodArgs(ctx: AppContext, field: string, from: number, to: number, allowSame: boolean): void {
  checkLoadedYear(ctx, from, field, 'from');
  checkLoadedYear(ctx, to, field, 'to');
  if (allowSame ? from > to : from >= to) {
    throw new BadInputError(`${field}: from ${from} must be ${allowSame ? 'at or before' : 'before'} to ${to}`, { argument: field, value: [from, to] });
  }
}

export function resolveArea(ctx: AppContext, def: MetricDefinition, serviceArea: string | undefined | null): AreaScope | null {
  if (!def.serviceAreaScoped) {
    if (serviceArea && serviceArea !== WHOLE_MUNICIPALITY) throw new BadInputError(`metric ${def.id} is not split by service area; leave serviceArea out`, { argument: 'serviceArea' });
    return null;
  }
  if (!serviceArea) throw new BadInputError(`metric ${def.id} is per service area: give serviceArea (a code such as FGK7, or a grouping id such as pleie_omsorg)`, { argument: 'serviceArea' });
  return areaScope(ctx, serviceArea);
}

export function areaScope(ctx: AppContext, ref: string): AreaScope {
  const grouping = ctx.snapshot.groupings.find((g) => g.id === ref);
  if (grouping) {
    const children = ctx.snapshot.groupings.filter((g) => g.parentId === grouping.id);
    const codesOf = (id: string) => [...ctx.snapshot.serviceAreas.values()].filter((a) => a.groupingId === id).map((a) => a.code);
    const codes = children.length ? children.flatMap((c) => codesOf(c.id)) : codesOf(grouping.id);
    return { id: grouping.id, label: grouping.label, codes, needSector: grouping.needSector };
  }
  const area = ctx.snapshot.serviceAreas.get(ref);
  if (area) return { id: area.code, label: area.label, codes: [area.code], needSector: ctx.snapshot.groupings.find((g) => g.id === area.groupingId)?.needSector ?? 'total' };
  throw BadInputError.unknown('service area or grouping', ref, [...ctx.snapshot.groupings.map((g) => g.id), ...ctx.snapshot.serviceAreas.keys()], 'serviceArea');
}

export function subjectsOf(ctx: AppContext, refs: SubjectArg[], argument: string): ResolvedSubject[] {
  if (refs.length === 0) throw new BadInputError(`${argument}: give at least one subject`, { argument });
  if (refs.length > MAX_SUBJECTS) throw new BadInputError(`${argument}: ${refs.length} subjects; at most ${MAX_SUBJECTS} per request`, { argument });
  return refs.map((r, i) => resolveSubject(ctx.snapshot, { ...r, average: r.average as AverageMode | undefined }, `${argument}[${i}]`));
}


export function subjectOf(ctx: AppContext, ref: SubjectArg, argument: string): ResolvedSubject {
  return resolveSubject(ctx.snapshot, { ...ref, average: ref.average as AverageMode | undefined }, argument);
}
