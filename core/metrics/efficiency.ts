/**
 * The efficiency analysis (ASSS style): per service, a production index (volume per inhabitant relative to a
 * reference, e.g. a peer group's weighted average), a cost index (gross operating expenditure per inhabitant of the
 * service's functions, relative likewise) and efficiency = production index / cost index × 100, which is the
 * reference's unit cost over the municipality's. Combined over the services, each service weighs by the reference's
 * cost per inhabitant: the combined cost index is then exactly total cost per inhabitant relative to the reference,
 * and the combined production index the municipality's volumes valued at the reference's unit costs.
 *
 * Which services, volumes and weights is data (production.json), validated against the metric catalogue and the
 * service-area groupings like the other catalogues. The functions below are pure; the API fetches the per-inhabitant
 * values through the metric service (peer groups, need correction, mergers) and calls them.
 */
import { z } from 'zod';
import { CatalogueError } from '../catalogue-error';
import { loadServiceAreas } from '../service-areas';
import { zodProblems } from '../zod-problems';
import { indexAgainst } from './engine';
import { shippedMetrics, type MetricDefinition } from './metric-catalogue';
import { fmt, missing, ok, read, type MetricResult, type NumberOrResult } from './values';
import bundledProduction from './production.json';

const FILE = 'core/metrics/production.json';

const volumeSchema = z.strictObject({
  metric: z.string().min(1),
  /** How many units of the service's first volume one unit of this volume counts as. */
  weight: z.number().positive().finite(),
});
const serviceSchema = z.strictObject({
  grouping: z.string().min(1),
  volumes: z.array(volumeSchema).min(1, 'needs at least one volume metric'),
});
const productionSchema = z.strictObject({
  $comment: z.string().optional(),
  cost: z.string().min(1),
  services: z.array(serviceSchema).min(1, 'needs at least one service'),
});

export type ProductionCatalogue = z.infer<typeof productionSchema>;
export type ProductionService = z.infer<typeof serviceSchema>;

export interface ProductionValidationOptions {
  metrics: ReadonlyMap<string, MetricDefinition>;
  /** Grouping ids of core/service-areas/service-areas.json. */
  groupings: ReadonlySet<string>;
}

/**
 * Validate the production catalogue: the cost metric must be a per-inhabitant metric read per service area, every
 * volume metric a per-inhabitant metric of the whole municipality (the volume tables have no service-area variable),
 * every grouping known and used once. Throws one CatalogueError listing every problem.
 */
export function validateProductionCatalogue(raw: unknown, options: ProductionValidationOptions): ProductionCatalogue {
  const parsed = productionSchema.safeParse(raw);
  if (!parsed.success) throw new CatalogueError(FILE, zodProblems(parsed.error));
  const cat = parsed.data;
  const problems: string[] = [];
  const known = [...options.metrics.keys()].sort();
  const cost = options.metrics.get(cat.cost);
  if (!cost) problems.push(`cost: unknown metric "${cat.cost}"; known: ${known.join(', ')}`);
  else if (cost.formula.kind !== 'perInhabitant' || !cost.serviceAreaScoped) {
    problems.push(`cost: "${cat.cost}" must be a perInhabitant metric with serviceAreaScoped: true (expenditure of the service's functions per inhabitant)`);
  }
  const seen = new Map<string, number>();
  cat.services.forEach((s, i) => {
    const at = `services[${i}] (${s.grouping})`;
    if (!options.groupings.has(s.grouping)) problems.push(`${at}.grouping: unknown grouping; known: ${[...options.groupings].join(', ')}`);
    if (seen.has(s.grouping)) problems.push(`${at}.grouping: "${s.grouping}" is already services[${seen.get(s.grouping)}]`);
    else seen.set(s.grouping, i);
    const metrics = new Set<string>();
    // The weighted sum of a service's volumes is one production figure only over one denominator.
    let shared: { metric: string; per: string } | undefined;
    s.volumes.forEach((v, j) => {
      const where = `${at}.volumes[${j}].metric`;
      const def = options.metrics.get(v.metric);
      if (!def) problems.push(`${where}: unknown metric "${v.metric}"; known: ${known.join(', ')}`);
      else if (def.formula.kind !== 'perInhabitant' || def.serviceAreaScoped) problems.push(`${where}: "${v.metric}" must be a perInhabitant metric of the whole municipality (not per service area)`);
      else {
        const per = `${def.formula.scale} per ${def.formula.population} (${def.formula.populationAt})`;
        if (!shared) shared = { metric: v.metric, per };
        else if (shared.per !== per) problems.push(`${where}: "${v.metric}" counts ${per}, but "${shared.metric}" counts ${shared.per}; a service's volumes must share their population and scale to be added up`);
      }
      if (metrics.has(v.metric)) problems.push(`${where}: "${v.metric}" is listed twice`);
      metrics.add(v.metric);
    });
  });
  if (problems.length) throw new CatalogueError(FILE, problems);
  return cat;
}

let shipped: ProductionCatalogue | undefined;

/** The shipped production catalogue, validated once against the shipped metrics and groupings. */
export function shippedProduction(): ProductionCatalogue {
  if (!shipped) {
    const metrics = new Map(shippedMetrics().map((m) => [m.id, m]));
    const groupings = new Set(loadServiceAreas().groupings.map((g) => g.id));
    shipped = validateProductionCatalogue(bundledProduction, { metrics, groupings });
  }
  return shipped;
}

/**
 * A service's production per inhabitant: Σ weight × volume per inhabitant. Every volume shares the same denominator
 * (inhabitants, or inhabitants × need index), so this equals the weighted volume over that denominator — for a group
 * average too (Σ over members is linear). Null, naming every missing volume, when one is missing.
 */
export function weightedVolume(volumes: readonly { metric: string; weight: number; value: NumberOrResult }[]): MetricResult {
  if (volumes.length === 0) return missing('no volume metrics');
  const parts = volumes.map((v) => read(v.value, v.metric));
  const reasons = parts.flatMap((p) => (p.ok ? [] : [p.reason]));
  if (reasons.length) return missing(reasons.join('; '));
  return ok(parts.reduce((s, p, i) => s + (p.ok ? p.value * volumes[i].weight : 0), 0));
}

/**
 * Efficiency = production index / cost index × 100 (100 = as efficient as the reference; above = more output per
 * krone): an index of production against cost. Null when either index is missing or the cost index is not positive.
 */
export function efficiencyIndex(productionIndex: NumberOrResult, costIndex: NumberOrResult): MetricResult {
  return indexAgainst(productionIndex, costIndex, { value: 'production index', reference: 'cost index' });
}

export interface ServiceInputs {
  id: string;
  /** Production (weighted volume) per inhabitant: the subject's and the reference's. */
  production: { value: NumberOrResult; reference: NumberOrResult };
  /** Cost per inhabitant: the subject's and the reference's. */
  cost: { value: NumberOrResult; reference: NumberOrResult };
}

export interface EfficiencyFigures {
  productionIndex: MetricResult;
  costIndex: MetricResult;
  efficiency: MetricResult;
}

/** One service's three indices against the reference. */
export function serviceEfficiency(s: ServiceInputs): EfficiencyFigures {
  const productionIndex = indexAgainst(s.production.value, s.production.reference);
  const costIndex = indexAgainst(s.cost.value, s.cost.reference);
  return { productionIndex, costIndex, efficiency: efficiencyIndex(productionIndex, costIndex) };
}

export interface CombinedEfficiency extends EfficiencyFigures {
  /** Each service's weight (the reference's cost per inhabitant / their sum) in input order; null when not computable. */
  weights: { id: string; weight: number | null }[];
}

/**
 * The combined figures over services: Σ weight × index, with weight = the reference's cost per inhabitant of the
 * service / Σ over the services. Any service without its figures makes the combined figures null (a combination
 * that silently drops a service compares different baskets).
 */
export function combinedEfficiency(services: readonly (ServiceInputs & EfficiencyFigures)[]): CombinedEfficiency {
  const refCosts = services.map((s) => read(s.cost.reference, `${s.id}: reference cost`));
  const problems = refCosts.flatMap((r) => (r.ok ? [] : [r.reason]));
  services.forEach((s) => {
    for (const [name, r] of [['production index', s.productionIndex], ['cost index', s.costIndex]] as const) {
      if (r.value === null) problems.push(`${s.id}: ${name}: ${r.reason ?? 'missing'}`);
    }
  });
  const total = refCosts.reduce((sum, r) => sum + (r.ok ? r.value : 0), 0);
  if (problems.length === 0 && !(total > 0)) problems.push(`the reference's cost per inhabitant sums to ${fmt(total)} over the services: weights need a positive total`);
  if (services.length === 0) problems.push('no services');
  if (problems.length) {
    const reason = problems.join('; ');
    return { productionIndex: missing(reason), costIndex: missing(reason), efficiency: missing(reason), weights: services.map((s) => ({ id: s.id, weight: null })) };
  }
  const weights = refCosts.map((r) => (r.ok ? r.value / total : 0));
  const sum = (pick: (s: EfficiencyFigures) => MetricResult) => services.reduce((acc, s, i) => acc + weights[i] * (pick(s).value as number), 0);
  const productionIndex = ok(sum((s) => s.productionIndex));
  const costIndex = ok(sum((s) => s.costIndex));
  return { productionIndex, costIndex, efficiency: efficiencyIndex(productionIndex, costIndex), weights: services.map((s, i) => ({ id: s.id, weight: weights[i] })) };
}
