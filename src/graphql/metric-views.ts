import type { AppContext } from '../context';
import { BadInputError } from '../errors';
import {
  difference, indexAgainst, operandsOf, rankInGroup, roundTo, shareOfTotal, yearOnYearChangePct, type MetricDefinition, type MetricResult,
} from '../../core/metrics';
import { toMetric, toMunicipality, toPeerGroup } from './mappers';
import type {
  MetricPoint, MetricSeries, MetricTable, MetricValue, PeerComparison, RankedMember, ServiceAreaCell, ServiceAreaTable, Subject,
} from './types/metric.types';
import { areaScope, MAX_COLUMNS, MAX_SUBJECTS, metricOf, needCorrectedByDefault, resolveArea, resolveYears, subjectOf, subjectsOf, type SubjectArg, type YearsArg } from '../services/arguments';
import type { PointValue } from '../services/metric.service';
import { adHocGroup, findMunicipality, findPeerGroup, membersInYear, type GroupRef, type ResolvedSubject } from '../services/subjects';

/**
 * The API's views of the metric engine: a metric over subjects and years, a peer comparison, the service-area
 * table. Each fetches through the request's MetricService (one SQL batch) and shapes plain objects for the types.
 */

/** A series as resolved, with the raw points kept for the derived fields (period average, growth, change). */
export type SeriesModel = MetricSeries & { _points: { year: number; value: number | null; reason?: string }[] };

export function subjectOut(s: ResolvedSubject, lastYear: number): Subject {
  return {
    kind: s.kind, id: s.id, name: s.name,
    members: s.kind === 'peerGroup' ? membersInYear(s.group, lastYear).filter((k) => k !== s.excluding?.key) : s.kind === 'municipality' ? [s.municipality.key] : [],
  };
}

export function buildSeries(def: MetricDefinition, subject: Subject, years: number[], values: Map<number, PointValue>, reference: Map<number, PointValue> | null): SeriesModel {
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

export const asValue = (r: MetricResult): MetricValue => ({ value: r.value, reason: r.value === null ? (r.reason ?? 'no value') : null });

/** A member against the group's weighted average: index (average = 100), rounded half away from zero as published, and difference. */
export function comparedToAverage(value: MetricResult, average: MetricResult): { index: number | null; indexRounded: number | null; differenceFromAverage: number | null } {
  if (average.value === null) return { index: null, indexRounded: null, differenceFromAverage: null };
  const index = indexAgainst(value, average).value;
  return { index, indexRounded: index === null ? null : roundTo(index, 0), differenceFromAverage: difference(value, average).value };
}

/** Below this share of agreement with SSB's published figure, a metric's answers say so. */
export const RECONCILIATION_WARNING_PCT = 99;

/** What a user must know before using a metric's numbers: it disagrees with SSB's own figure too often. */
export function metricWarnings(ctx: AppContext, def: MetricDefinition): string[] {
  return [...reconciliationWarnings(ctx, def), ...assumedSourceWarnings(ctx, def)];
}

function reconciliationWarnings(ctx: AppContext, def: MetricDefinition): string[] {
  const r = ctx.snapshot.reconciliation.get(def.id);
  if (!r || r.checked === 0) return [];
  const pct = (100 * r.agreed) / r.checked;
  if (pct >= RECONCILIATION_WARNING_PCT) return [];
  return [`${def.id} agrees with SSB's published figure (${r.published}, table ${r.tableId}) on only ${pct.toFixed(1)} % of ${r.checked} figures ` +
    `(run ${r.runId}); a convention or code may be wrong — see metric { reconciliation { worst } } before relying on it`];
}

/** Indicators read through a code nobody has confirmed (certainty "assumed" in the source catalogue), with the code used. */
function assumedSourceWarnings(ctx: AppContext, def: MetricDefinition): string[] {
  return operandsOf(def.formula).flatMap((key) => {
    const source = ctx.snapshot.indicatorSources.get(key);
    if (source?.certainty !== 'assumed') return [];
    return [`${key} is read from table ${source.tableId} content ${source.contentCode}, a code assumed from the table number alone and not confirmed ` +
      `against SSB's metadata (npm run etl -- --check); treat ${def.id} as provisional`];
  });
}

/** The curated inputs with demo values that an answer with these options used. */
export function demoInputsUsed(ctx: AppContext, options: { needCorrected: boolean; inflateTo?: number | null }): string[] {
  return ctx.snapshot.demoInputs.filter((id) => (id === 'need-index' && options.needCorrected) || (id === 'deflator' && options.inflateTo != null));
}

/** Units that are money: the only ones the deflator applies to. */
const MONEY_UNITS = new Set(['nok', 'nok_per_inhabitant', 'nok_1000']);

function checkInflateTo(ctx: AppContext, def: MetricDefinition, inflateTo: number | null | undefined, years: number[]): void {
  if (inflateTo == null) return;
  if (!MONEY_UNITS.has(def.unit)) {
    throw new BadInputError(`inflateTo: ${def.id} is in ${def.unit}, not in kroner; the kommunal deflator applies to amounts of money only — leave inflateTo out`, { argument: 'inflateTo' });
  }
  if (!ctx.snapshot.deflator.has(inflateTo) && !years.includes(inflateTo)) {
    throw new BadInputError(`inflateTo: no deflator for ${inflateTo}; the deflator covers ${[...ctx.snapshot.deflator.keys()].sort().join(', ')}`, { argument: 'inflateTo' });
  }
}

export interface MetricTableArgs {
  metric: string; subjects: SubjectArg[]; years: YearsArg; serviceArea?: string | null; reference?: SubjectArg | null;
  needCorrected: boolean; inflateTo?: number | null;
}

export async function metricTable(ctx: AppContext, args: MetricTableArgs): Promise<MetricTable> {
  const { needCorrected, inflateTo } = args;
  const def = metricOf(ctx, args.metric);
  const years = resolveYears(ctx, args.years);
  const area = resolveArea(ctx, def, args.serviceArea);
  const subjects = subjectsOf(ctx, args.subjects, 'subjects');
  const reference = args.reference ? subjectOf(ctx, args.reference, 'reference') : null;
  checkInflateTo(ctx, def, inflateTo, years);
  const all = reference ? [...subjects, reference] : subjects;
  const values = await ctx.metricService.compute(def, all, years, { area, needCorrected, inflateTo });
  const last = years[years.length - 1];
  const refValues = reference ? values.get(reference)! : null;
  return {
    metric: toMetric(def, ctx.snapshot), years, serviceArea: area?.id ?? null, needCorrected, inflatedTo: inflateTo ?? null,
    series: subjects.map((s) => buildSeries(def, subjectOut(s, last), years, values.get(s)!, refValues)),
    reference: reference ? buildSeries(def, subjectOut(reference, last), years, refValues!, null) : null,
    warnings: metricWarnings(ctx, def), demoInputs: demoInputsUsed(ctx, { needCorrected, inflateTo }),
  };
}

export async function peerComparison(ctx: AppContext, args: { metric: string; peerGroup?: string | null; group?: GroupRef | null; year: number; highlight?: string[] | null; serviceArea?: string | null }): Promise<PeerComparison> {
  const { year } = args;
  const def = metricOf(ctx, args.metric);
  const [y] = resolveYears(ctx, { list: [year] });
  if (Boolean(args.peerGroup) === Boolean(args.group)) throw new BadInputError('give exactly one of peerGroup (an id or name) or group (your own members)', { argument: 'peerGroup' });
  const group = args.group ? adHocGroup(ctx.snapshot, args.group) : findPeerGroup(ctx.snapshot, args.peerGroup ?? '', 'peerGroup');
  const area = resolveArea(ctx, def, args.serviceArea);
  if ((args.highlight?.length ?? 0) > MAX_SUBJECTS) {
    throw new BadInputError(`highlight: ${args.highlight!.length} municipalities; at most ${MAX_SUBJECTS} per request`, { argument: 'highlight' });
  }
  const highlighted = (args.highlight ?? []).map((h, i) => findMunicipality(ctx.snapshot, h, `highlight[${i}]`));
  const keys = membersInYear(group, y).filter((k) => ctx.snapshot.municipalities.has(k));
  const weighted: ResolvedSubject = { kind: 'peerGroup', id: 'w', name: group.name, group, average: 'weighted', excluding: null };
  const unweighted: ResolvedSubject = { ...weighted, id: 'u', average: 'unweighted' };
  const extra = highlighted.filter((m) => !keys.includes(m.key)).map((m) => ctx.metricService.municipalitySubject(m.key)!);
  const members = keys.map((k) => ctx.metricService.municipalitySubject(k)!);
  const values = await ctx.metricService.compute(def, [weighted, unweighted, ...members, ...extra], [y], { area });
  const avg = values.get(weighted)!.get(y)!;
  const byKey = new Map([...members, ...extra].map((m) => [m.id, m]));
  const valueOf = (key: string) => values.get(byKey.get(key)!)!.get(y)!;
  // Ranked at the metric's published precision, as the report compares figures: equal as shown = equal rank.
  const ranking = rankInGroup(members.map((m) => ({ key: m.id, value: valueOf(m.id) })), { decimals: def.decimals });
  const rankOf = new Map(ranking.ranks.map((r) => [r.key, r.rank]));
  const ranked = (key: string): RankedMember => {
    const v = valueOf(key);
    return {
      municipality: toMunicipality(ctx.snapshot.municipalities.get(key)!),
      value: v.value, reason: v.value === null ? (v.reason ?? 'no value') : null,
      rounded: v.value === null ? null : roundTo(v.value, def.decimals),
      rank: rankOf.get(key) ?? null,
      ...comparedToAverage(v, avg),
    };
  };
  const order = [...ranking.ranks.map((r) => r.key)];
  return {
    metric: toMetric(def, ctx.snapshot), peerGroup: toPeerGroup(group, ctx.snapshot), year: y,
    weightedAverage: asValue(avg), unweightedMean: asValue(values.get(unweighted)!.get(y)!),
    highest: ranking.highest ? ranked(ranking.highest.keys[0]) : null,
    lowest: ranking.lowest ? ranked(ranking.lowest.keys[0]) : null,
    members: order.map(ranked),
    highlighted: highlighted.map((m) => ranked(m.key)),
    warnings: metricWarnings(ctx, def), demoInputs: [],
  };
}

export async function serviceAreaTable(ctx: AppContext, args: { columns: { subject: SubjectArg; year: number }[]; metric: string; needCorrected?: boolean | null; inflateTo?: number | null }): Promise<ServiceAreaTable> {
  const { columns, inflateTo } = args;
  const needCorrected = needCorrectedByDefault(ctx, args.needCorrected);
  const def = metricOf(ctx, args.metric);
  if (!def.serviceAreaScoped) throw new BadInputError(`metric ${def.id} is not per service area; use e.g. netto_driftsutgifter_per_innbygger`, { argument: 'metric' });
  if (columns.length === 0 || columns.length > MAX_COLUMNS) throw new BadInputError(`columns: ${columns.length} columns; give 1 to ${MAX_COLUMNS} per table`, { argument: 'columns' });
  const subjects = subjectsOf(ctx, columns.map((c) => c.subject), 'columns');
  const years = columns.map((c) => resolveYears(ctx, { list: [c.year] })[0]);
  checkInflateTo(ctx, def, inflateTo, years);
  const distinctYears = [...new Set(years)].sort((a, b) => a - b);
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
    const shares = shareOfTotal(perGrouping.map(({ g, values }) => ({ id: g.id, parent: g.parentId, value: values.get(s)!.get(y)! })));
    const subject = subjectOut(s, y);
    for (const item of shares.items) {
      const cells = cellsByGrouping.get(item.id) ?? [];
      cells.push({ subject, year: y, value: item.value.value, reason: item.value.value === null ? (item.value.reason ?? null) : null, sharePct: item.share.value });
      cellsByGrouping.set(item.id, cells);
    }
    totals.push({ subject, year: y, value: shares.total.value, reason: shares.total.value === null ? (shares.total.reason ?? null) : null, sharePct: shares.total.value === null ? null : 100 });
  });
  return {
    metric: toMetric(def, ctx.snapshot), needCorrected, inflatedTo: inflateTo ?? null,
    rows: groupings.map((g) => ({
      grouping: { ...g, serviceAreas: [...ctx.snapshot.serviceAreas.values()].filter((a) => a.groupingId === g.id).map((a) => a.code) },
      cells: cellsByGrouping.get(g.id) ?? [],
    })),
    totals,
    warnings: metricWarnings(ctx, def), demoInputs: demoInputsUsed(ctx, { needCorrected, inflateTo }),
  };
}
