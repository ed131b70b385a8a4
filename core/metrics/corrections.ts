/**
 * Corrections applied to per-inhabitant expenditure before comparing: expenditure need (utgiftsbehov) and
 * inflation (kommunal deflator). Both indices come from curated input files, not from SSB; these functions
 * only apply them. The group version of the need correction is `needCorrectedGroup` in aggregate.ts.
 */
import { MAX_PERIOD_YEARS } from './series';
import { fmt, lookup, missing, ok, read, type Lookup, type MetricResult, type NumberOrResult } from './values';

/**
 * Expenditure-need corrected value: value / need index, where the need index (utgiftsbehovsindeks) is 1.00 for
 * the national average. Null with a reason when either is missing or the index is not positive.
 */
export function needCorrected(value: NumberOrResult, needIndex: NumberOrResult): MetricResult {
  const v = read(value, 'value');
  const n = read(needIndex, 'need index');
  const reasons = [v, n].flatMap((r) => (r.ok ? [] : [r.reason]));
  if (!v.ok || !n.ok) return missing(reasons.join('; '));
  if (n.value <= 0) return missing(`need index is ${fmt(n.value)}: it must be positive`);
  return ok(v.value / n.value);
}

export interface InflationResult extends MetricResult {
  /** The factor applied (value × factor), when every deflator was there. */
  factor?: number;
}

/**
 * A year-`fromYear` value in year-`toYear` money with the kommunal deflator:
 *   toYear > fromYear:  value × Π_{t=fromYear+1..toYear} (1 + d_t)
 *   toYear < fromYear:  value ÷ Π_{t=toYear+1..fromYear} (1 + d_t)   (deflating backwards)
 *   toYear = fromYear:  value
 * `deflatorByYear` holds each year's deflator as a fraction (0.045 for 4.5 %). Null with a reason naming every
 * missing year; a deflator of magnitude ≥ 1 is refused as almost certainly given in percent.
 */
export function inflationAdjust(
  value: NumberOrResult,
  fromYear: number,
  toYear: number,
  deflatorByYear: Lookup<number, number | null>,
): InflationResult {
  if (!Number.isInteger(fromYear) || !Number.isInteger(toYear)) {
    throw new Error(`inflationAdjust: years must be integers, but got: ${fromYear} and ${toYear}`);
  }
  const v = read(value, 'value');
  const [lo, hi] = fromYear <= toYear ? [fromYear, toYear] : [toYear, fromYear];
  // Callers check their years against the deflator first; this bound keeps the walk below finite whatever they do.
  if (hi - lo >= MAX_PERIOD_YEARS) throw new RangeError(`inflationAdjust: ${fromYear}–${toYear} spans more than ${MAX_PERIOD_YEARS} years`);
  let product = 1;
  const missingYears: number[] = [];
  const problems: string[] = [];
  for (let t = lo + 1; t <= hi; t++) {
    const d = lookup(deflatorByYear, t);
    if (d === undefined || d === null || !Number.isFinite(d)) missingYears.push(t);
    else if (Math.abs(d) >= 1) problems.push(`deflator for ${t} is ${fmt(d)}: expected a fraction (0.045 for 4.5 %)`);
    else product *= 1 + d;
  }
  const reasons = [
    ...(v.ok ? [] : [v.reason]),
    ...(missingYears.length > 0 ? [`no deflator for ${missingYears.join(', ')}`] : []),
    ...problems,
  ];
  if (reasons.length > 0 || !v.ok) return missing(reasons.join('; '));
  const factor = fromYear <= toYear ? product : 1 / product;
  return { value: v.value * factor, factor };
}
