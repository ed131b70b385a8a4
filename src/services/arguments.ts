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
export const MAX_SUBJECTS = 400;
export const MAX_YEARS = 30;

export interface YearsArg { list?: number[] | null; from?: number | null; to?: number | null }
export type SubjectArg = Omit<SubjectRef, 'average'> & { average?: string | null };

export function metricOf(ctx: AppContext, id: string, argument = 'metric'): MetricDefinition {
  const def = ctx.metrics.get(id);
  if (!def) throw BadInputError.unknown('metric', id, ctx.metrics.keys(), argument);
  return def;
}

export function resolveYears(ctx: AppContext, years: YearsArg): number[] {
  const loaded = ctx.snapshot.years;
  let list: number[];
  if (years.list?.length) {
    if (years.from != null || years.to != null) throw new BadInputError('years: give either list or from/to, not both', { argument: 'years' });
    list = [...new Set(years.list)].sort((a, b) => a - b);
  } else {
    const from = years.from ?? loaded[0];
    const to = years.to ?? loaded[loaded.length - 1];
    if (from === undefined || to === undefined) throw new BadInputError('the warehouse has no years loaded yet: run the ETL first', { argument: 'years' });
    if (from > to) throw new BadInputError(`years: from ${from} is after to ${to}`, { argument: 'years' });
    list = [];
    for (let y = from; y <= to; y++) list.push(y);
  }
  if (list.length > MAX_YEARS) throw new BadInputError(`years: ${list.length} years asked for; at most ${MAX_YEARS} per request`, { argument: 'years' });
  const unknown = list.filter((y) => !loaded.includes(y));
  if (unknown.length) {
    throw new BadInputError(`years: ${unknown.join(', ')} ${unknown.length === 1 ? 'is' : 'are'} not loaded; loaded years are ${loaded[0]}–${loaded[loaded.length - 1]}`, { argument: 'years', value: unknown });
  }
  return list;
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
