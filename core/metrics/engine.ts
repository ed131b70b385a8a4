/**
 * The metric engine's core: one metric for one region and year, and the comparisons between two values
 * (index against a reference, difference, efficiency). Pure functions over plain inputs; no I/O.
 *
 * Group aggregates live in aggregate.ts, rankings in rank.ts, time series in series.ts and the need/inflation
 * corrections in corrections.ts; index.ts re-exports them all.
 */
import type { MetricDefinition } from './metric-catalogue';
import { readOperand, type RegionYearInputs } from './inputs';
import { fmt, missing, ok, read, type MetricResult, type NumberOrResult } from './values';

/**
 * Compute one metric for one region and year.
 *   ratio          numerator / denominator × scale
 *   perInhabitant  amount × scale / population
 *   base           the indicator as-is
 * A missing operand gives null with a reason naming every missing operand, region and year; a zero
 * denominator (or population) gives null with a reason. Never 0 for missing data.
 */
export function computeMetric(def: MetricDefinition, inputs: RegionYearInputs): MetricResult {
  const f = def.formula;
  const scoped = def.serviceAreaScoped;
  switch (f.kind) {
    case 'base': {
      const v = readOperand(inputs, f.indicator, scoped);
      return v.ok ? ok(v.value) : missing(v.reason);
    }
    case 'ratio':
    case 'perInhabitant': {
      const [numKey, denKey] = f.kind === 'ratio' ? [f.numerator, f.denominator] : [f.amount, f.population];
      const num = readOperand(inputs, numKey, scoped);
      const den = readOperand(inputs, denKey, false);
      const reasons = [num, den].flatMap((r) => (r.ok ? [] : [r.reason]));
      if (!num.ok || !den.ok) return missing(reasons.join('; '));
      const problem = denominatorProblem(def, den.value, `${inputs.regionKey}, ${inputs.year}`);
      if (problem) return missing(problem);
      return ok((num.value * f.scale) / den.value);
    }
  }
}

/**
 * Why a denominator cannot be divided by (0, or a population that is not positive), or undefined.
 * `where` names the region and year, or the group.
 */
export function denominatorProblem(def: MetricDefinition, denominator: number, where: string): string | undefined {
  const f = def.formula;
  if (f.kind === 'ratio' && denominator === 0) {
    return `${f.denominator} is 0 for ${where}: ${def.id} = ${f.numerator} / ${f.denominator} is undefined`;
  }
  if (f.kind === 'perInhabitant' && denominator <= 0) {
    return `${f.population} is ${fmt(denominator)} for ${where}: ${def.id} needs a positive population`;
  }
  return undefined;
}

/**
 * Index against a reference: value / reference × 100 (reference = group average gives 100).
 * Null with a reason when either is missing, when the reference is 0, or when it is negative (an index against
 * a negative reference reverses the order: a better value would get a lower index). `names` name the two in reasons.
 */
export function indexAgainst(value: NumberOrResult, reference: NumberOrResult, names: { value?: string; reference?: string } = {}): MetricResult {
  const referenceName = names.reference ?? 'reference';
  const v = read(value, names.value ?? 'value');
  const r = read(reference, referenceName);
  const reasons = [v, r].flatMap((x) => (x.ok ? [] : [x.reason]));
  if (!v.ok || !r.ok) return missing(reasons.join('; '));
  if (r.value === 0) return missing(`${referenceName} is 0: an index against 0 is undefined`);
  if (r.value < 0) {
    return missing(`${referenceName} is negative (${fmt(r.value)}): an index against a negative ${referenceName} reverses the order`);
  }
  return ok((v.value * 100) / r.value);
}

/**
 * value − reference, e.g. "2,3 prosent, 2,2 høyere enn gjennomsnittet" (percentage points when both are
 * percentages).
 */
export function difference(value: NumberOrResult, reference: NumberOrResult): MetricResult {
  const v = read(value, 'value');
  const r = read(reference, 'reference');
  const reasons = [v, r].flatMap((x) => (x.ok ? [] : [x.reason]));
  if (!v.ok || !r.ok) return missing(reasons.join('; '));
  return ok(v.value - r.value);
}

