import type { AppContext } from '../context';
import { BadInputError } from '../errors';
import {
  combinedEfficiency, read, serviceEfficiency, shippedProduction, weightedVolume, type EfficiencyFigures, type MetricResult,
  type NumberOrResult, type ServiceInputs,
} from '../../core/metrics';
import { toMetric } from './mappers';
import { demoInputsUsed, metricWarnings, subjectOut } from './metric-views';
import type { EfficiencyPoint, EfficiencyTable } from './types/efficiency.types';
import { areaScope, metricOf, needCorrectedByDefault, resolveYears, subjectOf, type SubjectArg, type YearsArg } from '../services/arguments';
import type { PointValue } from '../services/metric.service';
import type { ResolvedSubject } from '../services/subjects';

/**
 * The efficiency analysis as the API serves it: for each service of core/metrics/production.json, the cost metric
 * (gross expenditure per inhabitant of the grouping's functions) and each volume metric (per 1000 inhabitants) are
 * computed for the subject and the reference through the request's MetricService — the same peer groups, need
 * correction, merger coalescing and batched SQL as every other view — and combined by the pure functions of
 * core/metrics/efficiency.ts.
 */
export interface EfficiencyArgs { subject: SubjectArg; reference: SubjectArg; years: YearsArg; needCorrected?: boolean | null }

type Values = Map<ResolvedSubject, Map<number, PointValue>>;

export async function efficiencyTable(ctx: AppContext, args: EfficiencyArgs): Promise<EfficiencyTable> {
  const production = shippedProduction();
  const needCorrected = needCorrectedByDefault(ctx, args.needCorrected);
  const subject = subjectOf(ctx, args.subject, 'subject');
  const reference = subjectOf(ctx, args.reference, 'reference');
  if (subject.kind === reference.kind && subject.id === reference.id) {
    throw new BadInputError(`reference: ${reference.name} is also the subject, so every index would be 100; give a peer group (e.g. { peerGroup: "asss-u-oslo" }) or another municipality`, { argument: 'reference' });
  }
  const years = resolveYears(ctx, args.years);
  const costDef = metricOf(ctx, production.cost);
  const pair = [subject, reference];
  const groupingRow = (id: string) => {
    const g = ctx.snapshot.groupings.find((x) => x.id === id);
    if (!g) throw new Error(`production.json names grouping ${id}, which the warehouse does not have (load the service areas)`);
    return g;
  };
  const services = await Promise.all(production.services.map(async (s) => {
    // The grouping first: a missing one is the deployment's fault, not an argument of this query.
    const grouping = groupingRow(s.grouping);
    const area = areaScope(ctx, s.grouping);
    const volumes = s.volumes.map((v) => ({ ...v, def: metricOf(ctx, v.metric) }));
    const [cost, ...volumeValues] = await Promise.all([
      ctx.metricService.compute(costDef, pair, years, { area, needCorrected }),
      ...volumes.map((v) => ctx.metricService.compute(v.def, pair, years, { area, needCorrected })),
    ]);
    return { s, grouping, area, cost, volumes: volumes.map((v, i) => ({ ...v, values: volumeValues[i] })) };
  }));

  const at = (values: Values, who: ResolvedSubject, year: number): MetricResult => values.get(who)?.get(year) ?? { value: null, reason: 'not computed' };
  const byYear = years.map((year) => {
    const inputs = services.map(({ s, cost, volumes }): ServiceInputs & EfficiencyFigures => {
      const volumeOf = (who: ResolvedSubject) => weightedVolume(volumes.map((v) => ({ metric: v.metric, weight: v.weight, value: at(v.values, who, year) })));
      const i: ServiceInputs = {
        id: s.grouping,
        production: { value: volumeOf(subject), reference: volumeOf(reference) },
        cost: { value: at(cost, subject, year), reference: at(cost, reference, year) },
      };
      return { ...i, ...serviceEfficiency(i) };
    });
    return { year, inputs, combined: combinedEfficiency(inputs) };
  });

  const last = years[years.length - 1];
  const volumeDefs = services.flatMap((x) => x.volumes.map((v) => v.def));
  return {
    subject: subjectOut(subject, last), reference: subjectOut(reference, last), years, needCorrected,
    costMetric: toMetric(costDef, ctx.snapshot),
    services: services.map(({ grouping, area, volumes }, si) => ({
      grouping: { ...grouping, serviceAreas: area.codes },
      volumes: volumes.map((v) => ({ metric: toMetric(v.def, ctx.snapshot), weight: v.weight })),
      points: byYear.map(({ year, inputs, combined }) => point(year, inputs[si], inputs[si], combined.weights[si].weight)),
    })),
    combined: byYear.map(({ year, combined }) => point(year, combined, null, combined.productionIndex.value === null ? null : 1)),
    warnings: [...metricWarnings(ctx, costDef), ...volumeDefs.flatMap((d) => metricWarnings(ctx, d))],
    demoInputs: demoInputsUsed(ctx, { needCorrected }),
  };
}

function point(year: number, f: EfficiencyFigures, inputs: ServiceInputs | null, weight: number | null): EfficiencyPoint {
  const num = (r: NumberOrResult) => {
    const v = read(r, '');
    return v.ok ? v.value : null;
  };
  const reasons = [f.productionIndex, f.costIndex, f.efficiency].flatMap((r) => (r.value === null && r.reason ? [r.reason] : []));
  return {
    year,
    productionIndex: f.productionIndex.value, costIndex: f.costIndex.value, efficiency: f.efficiency.value,
    production: inputs ? num(inputs.production.value) : null, referenceProduction: inputs ? num(inputs.production.reference) : null,
    cost: inputs ? num(inputs.cost.value) : null, referenceCost: inputs ? num(inputs.cost.reference) : null,
    weight, reason: reasons.length ? [...new Set(reasons)].join('; ') : null,
  };
}

