import 'reflect-metadata';
import { Arg, Ctx, FieldResolver, Int, Query, Resolver, Root } from 'type-graphql';
import type { AppContext } from '../../context';
import { BadInputError } from '../../errors';
import {
  averageAnnualGrowth, changePercentagePoints, difference, indexAgainst, periodAverage, rankInGroup, shareOfTotal,
  roundTo, yearOnYearChangePct, type MetricDefinition, type MetricResult,
} from '../../metrics';
import type { AreaScope, PointValue } from '../../services/metric.service';
import { findMunicipality, findPeerGroup, membersInYear, resolveSubject, type Subject as SubjectModel } from '../../services/subjects';
import { toMetric, toMunicipality, toPeerGroup } from '../mappers';
import {
  GrowthMethodEnum, Metric, MetricPoint, MetricSeries, MetricTable, MetricValue, PeerComparison, RankedMember,
  ServiceAreaCell, ServiceAreaColumnInput, ServiceAreaTable, Subject, SubjectInput, YearsInput,
} from '../types/metric.types';

const MAX_SUBJECTS = 400;
const MAX_YEARS = 30;

/** A series as resolved, with the raw points kept for the derived fields (period average, growth, change). */
type SeriesModel = MetricSeries & { _points: { year: number; value: number | null; reason?: string }[] };

function metricOf(ctx: AppContext, id: string, argument = 'metric'): MetricDefinition {
  const def = ctx.metrics.get(id);
  if (!def) throw BadInputError.unknown('metric', id, ctx.metrics.keys(), argument);
  return def;
}

export function resolveYears(ctx: AppContext, years: YearsInput): number[] {
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

function resolveArea(ctx: AppContext, def: MetricDefinition, serviceArea: string | undefined | null): AreaScope | null {
  if (!def.serviceAreaScoped) {
    if (serviceArea && serviceArea !== 'ALL') throw new BadInputError(`metric ${def.id} is not split by service area; leave serviceArea out`, { argument: 'serviceArea' });
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

function subjectsOf(ctx: AppContext, refs: SubjectInput[], argument: string): SubjectModel[] {
  if (refs.length === 0) throw new BadInputError(`${argument}: give at least one subject`, { argument });
  if (refs.length > MAX_SUBJECTS) throw new BadInputError(`${argument}: ${refs.length} subjects; at most ${MAX_SUBJECTS} per request`, { argument });
  return refs.map((r, i) => resolveSubject(ctx.snapshot, { ...r, average: r.average as 'weighted' | 'unweighted' | undefined }, `${argument}[${i}]`));
}

function subjectOut(s: SubjectModel, lastYear: number): Subject {
  return {
    kind: s.kind, id: s.id, name: s.name,
    members: s.kind === 'peerGroup' ? membersInYear(s.group, lastYear).filter((k) => k !== s.excluding?.key) : s.kind === 'municipality' ? [s.municipality.key] : [],
  };
}

function buildSeries(def: MetricDefinition, subject: Subject, years: number[], values: Map<number, PointValue>, reference: Map<number, PointValue> | null): SeriesModel {
  const raw = years.map((year) => ({ year, value: values.get(year)?.value ?? null, reason: values.get(year)?.reason }));
  const yoyByYear = new Map(yearOnYearChangePct(raw).map((p) => [p.year, p.value]));
  const points: MetricPoint[] = raw.map((p, i) => {
    const ref = reference?.get(p.year);
    const prev = i > 0 && raw[i - 1].year === p.year - 1 ? raw[i - 1] : null;
    return {
      year: p.year, value: p.value, reason: p.value === null ? (p.reason ?? 'no value') : null,
      rounded: p.value === null ? null : roundTo(p.value, def.decimals),
      index: ref ? indexAgainst(p, ref).value : null,
      differenceFromReference: ref ? difference(p, ref).value : null,
      changePct: prev ? (yoyByYear.get(p.year) ?? null) : null,
      change: prev && prev.value !== null && p.value !== null ? p.value - prev.value : null,
    };
  });
  return { subject, points, _points: raw };
}

const asValue = (r: MetricResult): MetricValue => ({ value: r.value, reason: r.value === null ? (r.reason ?? 'no value') : null });

@Resolver(() => MetricSeries)
export class MetricSeriesResolver {
  @FieldResolver(() => MetricValue, { description: 'Change between two years in the metric\'s unit (percentage points for percent metrics).' })
  changeBetween(@Root() series: SeriesModel, @Arg('from', () => Int) from: number, @Arg('to', () => Int) to: number): MetricValue {
    return asValue(changePercentagePoints(series._points, from, to));
  }

  @FieldResolver(() => MetricValue, { description: 'Mean of the yearly values from `from` to `to` (inclusive).' })
  periodAverage(@Root() series: SeriesModel, @Arg('from', () => Int) from: number, @Arg('to', () => Int) to: number): MetricValue {
    return asValue(periodAverage(series._points, from, to));
  }

  @FieldResolver(() => MetricValue, { description: 'Average annual growth in % from `from` to `to` (geometric by default).' })
  averageAnnualGrowth(
    @Root() series: SeriesModel, @Arg('from', () => Int) from: number, @Arg('to', () => Int) to: number,
    @Arg('method', () => GrowthMethodEnum, { defaultValue: GrowthMethodEnum.GEOMETRIC }) method: GrowthMethodEnum,
  ): MetricValue {
    return asValue(averageAnnualGrowth(series._points, from, to, { method }));
  }
}

@Resolver()
export class MetricResolver {
  @Query(() => [Metric], { description: 'The metric catalogue.' })
  metrics(@Ctx() ctx: AppContext): Metric[] {
    return [...ctx.metrics.values()].map(toMetric);
  }

  @Query(() => Metric)
  metric(@Ctx() ctx: AppContext, @Arg('id') id: string): Metric {
    return toMetric(metricOf(ctx, id, 'id'));
  }

  @Query(() => MetricTable, { description: 'One metric for any municipalities, regions and peer-group averages over any years, with index against a reference, year-on-year change and the period forms.' })
  async metricSeries(
    @Ctx() ctx: AppContext,
    @Arg('metric') metricId: string,
    @Arg('subjects', () => [SubjectInput]) subjectRefs: SubjectInput[],
    @Arg('years', () => YearsInput) yearsInput: YearsInput,
    @Arg('serviceArea', () => String, { nullable: true, description: 'For per-service-area metrics: a service-area code (FGK7) or grouping id (pleie_omsorg).' }) serviceArea?: string,
    @Arg('reference', () => SubjectInput, { nullable: true, description: 'Indices are value / reference × 100.' }) referenceRef?: SubjectInput,
    @Arg('needCorrected', () => Boolean, { defaultValue: false, description: 'Divide by the expenditure-need index (per-inhabitant metrics).' }) needCorrected = false,
    @Arg('inflateTo', () => Int, { nullable: true, description: 'Express amounts in this year\'s money (kommunal deflator).' }) inflateTo?: number,
  ): Promise<MetricTable> {
    const def = metricOf(ctx, metricId);
    const years = resolveYears(ctx, yearsInput);
    const area = resolveArea(ctx, def, serviceArea);
    const subjects = subjectsOf(ctx, subjectRefs, 'subjects');
    const reference = referenceRef ? resolveSubject(ctx.snapshot, { ...referenceRef, average: referenceRef.average as 'weighted' | 'unweighted' | undefined }, 'reference') : null;
    if (inflateTo != null && !ctx.snapshot.deflator.has(inflateTo) && !years.includes(inflateTo)) {
      throw new BadInputError(`inflateTo: no deflator for ${inflateTo}; the deflator covers ${[...ctx.snapshot.deflator.keys()].sort().join(', ')}`, { argument: 'inflateTo' });
    }
    const all = reference ? [...subjects, reference] : subjects;
    const values = await ctx.metricService.compute(def, all, years, { area, needCorrected, inflateTo });
    const last = years[years.length - 1];
    const refValues = reference ? values.get(reference.id)! : null;
    return {
      metric: toMetric(def), years, serviceArea: area?.id ?? null, needCorrected, inflatedTo: inflateTo ?? null,
      series: subjects.map((s) => buildSeries(def, subjectOut(s, last), years, values.get(s.id)!, refValues)),
      reference: reference ? buildSeries(def, subjectOut(reference, last), years, refValues!, null) : null,
    };
  }

  @Query(() => PeerComparison, { description: 'A metric across a peer group for one year: weighted and unweighted averages, every member ranked with its index (weighted average = 100), highest and lowest.' })
  async peerComparison(
    @Ctx() ctx: AppContext,
    @Arg('metric') metricId: string,
    @Arg('peerGroup') peerGroupRef: string,
    @Arg('year', () => Int) year: number,
    @Arg('highlight', () => [String], { nullable: true, description: 'Municipalities to return separately, e.g. ["Bærum", "Asker"].' }) highlight?: string[],
    @Arg('serviceArea', () => String, { nullable: true }) serviceArea?: string,
  ): Promise<PeerComparison> {
    const def = metricOf(ctx, metricId);
    const [y] = resolveYears(ctx, { list: [year] });
    const group = findPeerGroup(ctx.snapshot, peerGroupRef, 'peerGroup');
    const area = resolveArea(ctx, def, serviceArea);
    const highlighted = (highlight ?? []).map((h, i) => findMunicipality(ctx.snapshot, h, `highlight[${i}]`));
    const keys = membersInYear(group, y).filter((k) => ctx.snapshot.municipalities.has(k));
    const weighted: SubjectModel = { kind: 'peerGroup', id: 'w', name: group.name, group, average: 'weighted', excluding: null };
    const unweighted: SubjectModel = { ...weighted, id: 'u', average: 'unweighted' };
    const extra = highlighted.filter((m) => !keys.includes(m.key)).map((m) => ctx.metricService.municipalitySubject(m.key)!);
    const members = keys.map((k) => ctx.metricService.municipalitySubject(k)!);
    const values = await ctx.metricService.compute(def, [weighted, unweighted, ...members, ...extra], [y], { area });
    const avg = values.get('w')!.get(y)!;
    const ranking = rankInGroup(members.map((m) => ({ key: m.id, value: values.get(m.id)!.get(y)! })), { decimals: undefined });
    const rankOf = new Map(ranking.ranks.map((r) => [r.key, r.rank]));
    const ranked = (key: string): RankedMember => {
      const v = values.get(key)!.get(y)!;
      const index = avg.value === null ? null : indexAgainst(v, avg).value;
      return {
        municipality: toMunicipality(ctx.snapshot.municipalities.get(key)!),
        value: v.value, reason: v.value === null ? (v.reason ?? 'no value') : null,
        rounded: v.value === null ? null : roundTo(v.value, def.decimals),
        rank: rankOf.get(key) ?? null,
        index,
        indexRounded: index === null ? null : Math.round(index),
        differenceFromAverage: avg.value === null ? null : difference(v, avg).value,
      };
    };
    const order = [...ranking.ranks.map((r) => r.key)];
    return {
      metric: toMetric(def), peerGroup: toPeerGroup(group, ctx.snapshot), year: y,
      weightedAverage: asValue(avg), unweightedMean: asValue(values.get('u')!.get(y)!),
      highest: ranking.highest ? ranked(ranking.highest.keys[0]) : null,
      lowest: ranking.lowest ? ranked(ranking.lowest.keys[0]) : null,
      members: order.map(ranked),
      highlighted: highlighted.map((m) => ranked(m.key)),
    };
  }

  @Query(() => ServiceAreaTable, { description: 'Net operating expenditure per inhabitant by service-area grouping, optionally corrected for expenditure need and inflated to one year\'s money, with each grouping\'s share of the total — the report\'s service-area table in one query.' })
  async serviceAreaTable(
    @Ctx() ctx: AppContext,
    @Arg('columns', () => [ServiceAreaColumnInput], { description: 'One column per subject and year, e.g. Bærum 2022, Bærum 2023, ASSS u/Oslo 2024.' }) columns: ServiceAreaColumnInput[],
    @Arg('metric', { defaultValue: 'netto_driftsutgifter_per_innbygger' }) metricId: string,
    @Arg('needCorrected', () => Boolean, { defaultValue: true }) needCorrected: boolean,
    @Arg('inflateTo', () => Int, { nullable: true }) inflateTo?: number,
  ): Promise<ServiceAreaTable> {
    const def = metricOf(ctx, metricId);
    if (!def.serviceAreaScoped) throw new BadInputError(`metric ${def.id} is not per service area; use e.g. netto_driftsutgifter_per_innbygger`, { argument: 'metric' });
    if (columns.length === 0 || columns.length > MAX_SUBJECTS) throw new BadInputError(`columns: give 1 to ${MAX_SUBJECTS} columns`, { argument: 'columns' });
    const subjects = subjectsOf(ctx, columns.map((c) => c.subject), 'columns');
    const years = columns.map((c) => resolveYears(ctx, { list: [c.year] })[0]);
    const distinctYears = [...new Set(years)].sort();
    const groupings = ctx.snapshot.groupings;
    // one compute per grouping; all of them share the request's fact loader, so the SQL is batched
    const perGrouping = await Promise.all(groupings.map(async (g) => {
      const area = areaScope(ctx, g.id);
      const values = await ctx.metricService.compute(def, subjects, distinctYears, { area, needCorrected, inflateTo });
      return { g, values };
    }));
    const cellsByGrouping = new Map<string, ServiceAreaCell[]>();
    const totals: ServiceAreaCell[] = [];
    columns.forEach((_, ci) => {
      const s = subjects[ci];
      const y = years[ci];
      const shares = shareOfTotal(perGrouping.map(({ g, values }) => ({ id: g.id, parent: g.parentId, value: values.get(s.id)!.get(y)! })));
      const subject = subjectOut(s, y);
      for (const item of shares.items) {
        const cells = cellsByGrouping.get(item.id) ?? [];
        cells.push({ subject, year: y, value: item.value.value, reason: item.value.value === null ? (item.value.reason ?? null) : null, sharePct: item.share.value });
        cellsByGrouping.set(item.id, cells);
      }
      totals.push({ subject, year: y, value: shares.total.value, reason: shares.total.value === null ? (shares.total.reason ?? null) : null, sharePct: shares.total.value === null ? null : 100 });
    });
    return {
      metric: toMetric(def), needCorrected, inflatedTo: inflateTo ?? null,
      rows: groupings.map((g) => ({
        grouping: { ...g, serviceAreas: [...ctx.snapshot.serviceAreas.values()].filter((a) => a.groupingId === g.id).map((a) => a.code) },
        cells: cellsByGrouping.get(g.id) ?? [],
      })),
      totals,
    };
  }
}

