/**
 * Statements derived from a yearly series: year-on-year change, change in percentage points, period average,
 * average annual growth. A series is one region's (or one group's) values by year, each a `MetricResult`, so
 * the reason of a missing year is carried into the derived figure. All percentages are in percent
 * (19.4 means 19.4 %).
 */
import { fmt, missing, ok, type MetricResult, type Read } from './values';

export interface SeriesPoint extends MetricResult {
  year: number;
}

export type Series = readonly SeriesPoint[];

/**
 * Year-on-year change in percent, (v_t / v_{t−1} − 1) × 100, for every year of the series but the first.
 * Null with a reason when either year is missing or the previous value is 0 or negative (a percentage change
 * from a negative base is not meaningful: use `changePercentagePoints` or a difference).
 */
export function yearOnYearChangePct(series: Series): SeriesPoint[] {
  const byYear = indexSeries(series);
  const years = [...byYear.keys()].sort((a, b) => a - b);
  return years.slice(1).map((year) => {
    const cur = valueAt(byYear, year);
    const prev = valueAt(byYear, year - 1);
    const reasons = [prev, cur].flatMap((r) => (r.ok ? [] : [r.reason]));
    if (!cur.ok || !prev.ok) return { year, ...missing(reasons.join('; ')) };
    const problem = baseProblem(prev.value, year - 1, 'a percentage change');
    return problem ? { year, ...missing(problem) } : { year, ...ok(((cur.value - prev.value) * 100) / prev.value) };
  });
}

/** Change between two years: v_to − v_from (percentage points when the series is a percentage). */
export function changePercentagePoints(series: Series, fromYear: number, toYear: number): MetricResult {
  const byYear = indexSeries(series);
  const from = valueAt(byYear, fromYear);
  const to = valueAt(byYear, toYear);
  const reasons = [from, to].flatMap((r) => (r.ok ? [] : [r.reason]));
  if (!from.ok || !to.ok) return missing(reasons.join('; '));
  return ok(to.value - from.value);
}

/**
 * Average over the years from..to (inclusive): the mean of the yearly values. For a ratio that is the mean of
 * the yearly ratios, every year weighing the same; `periodWeightedAverage` gives Σ numerator / Σ denominator
 * over the years instead. Every year is required: a missing year gives null naming it.
 */
export function periodAverage(series: Series, fromYear: number, toYear: number): MetricResult {
  checkPeriod(fromYear, toYear, 'periodAverage', false);
  const byYear = indexSeries(series);
  const reads = yearsFrom(fromYear, toYear).map((y) => valueAt(byYear, y));
  const reasons = reads.flatMap((r) => (r.ok ? [] : [r.reason]));
  if (reasons.length > 0) return missing(reasons.join('; '));
  return ok(reads.reduce((s, r) => s + (r.ok ? r.value : 0), 0) / reads.length);
}

export interface GrowthOptions {
  /**
   * `geometric` (default): ((v_to / v_from)^(1 / (to − from)) − 1) × 100, compound growth between the end points.
   * `meanOfYearOnYear`: the arithmetic mean of the year-on-year changes from from+1 to to.
   */
  method?: 'geometric' | 'meanOfYearOnYear';
}

/**
 * Average annual growth in percent over from..to. Geometric by default; null with a reason when an end value
 * is missing or not positive (geometric growth is undefined through zero or a sign change).
 */
export function averageAnnualGrowth(series: Series, fromYear: number, toYear: number, options: GrowthOptions = {}): MetricResult {
  checkPeriod(fromYear, toYear, 'averageAnnualGrowth', true);
  if (options.method === 'meanOfYearOnYear') {
    const changes = yearOnYearChangePct(series.filter((p) => p.year >= fromYear && p.year <= toYear));
    const wanted = yearsFrom(fromYear + 1, toYear);
    const byYear = new Map(changes.map((c) => [c.year, c]));
    const reads = wanted.map((y) => {
      const c = byYear.get(y);
      if (!c) return { ok: false as const, reason: `no value for ${y - 1} or ${y} in the series` };
      return c.value === null ? { ok: false as const, reason: c.reason ?? `no change for ${y}` } : { ok: true as const, value: c.value };
    });
    const reasons = reads.flatMap((r) => (r.ok ? [] : [r.reason]));
    if (reasons.length > 0) return missing(reasons.join('; '));
    return ok(reads.reduce((s, r) => s + (r.ok ? r.value : 0), 0) / reads.length);
  }
  const byYear = indexSeries(series);
  const from = valueAt(byYear, fromYear);
  const to = valueAt(byYear, toYear);
  const reasons = [from, to].flatMap((r) => (r.ok ? [] : [r.reason]));
  if (!from.ok || !to.ok) return missing(reasons.join('; '));
  const problems = [
    from.value <= 0 ? `value for ${fromYear} is ${fmt(from.value)}` : undefined,
    to.value <= 0 ? `value for ${toYear} is ${fmt(to.value)}` : undefined,
  ].filter((p): p is string => p !== undefined);
  if (problems.length > 0) return missing(`${problems.join(', ')}: geometric growth needs positive values`);
  return ok((Math.pow(to.value / from.value, 1 / (toYear - fromYear)) - 1) * 100);
}

// ---------------------------------------------------------------------------------------------------------------

function indexSeries(series: Series): Map<number, SeriesPoint> {
  const byYear = new Map<number, SeriesPoint>();
  for (const p of series) {
    if (byYear.has(p.year)) throw new Error(`series has two values for ${p.year}`);
    byYear.set(p.year, p);
  }
  return byYear;
}

function valueAt(byYear: Map<number, SeriesPoint>, year: number): Read {
  const p = byYear.get(year);
  if (!p) return { ok: false, reason: `no value for ${year} in the series` };
  if (p.value === null || !Number.isFinite(p.value)) return { ok: false, reason: p.reason ? `${year}: ${p.reason}` : `no value for ${year}` };
  return { ok: true, value: p.value };
}

function baseProblem(prev: number, prevYear: number, what: string): string | undefined {
  if (prev === 0) return `value for ${prevYear} is 0: ${what} from 0 is undefined`;
  if (prev < 0) return `value for ${prevYear} is negative (${fmt(prev)}): ${what} from a negative value is not meaningful`;
  return undefined;
}

/** No statistics series spans more years; a longer period is a caller's bug, refused before its years are listed. */
export const MAX_PERIOD_YEARS = 200;

function checkPeriod(fromYear: number, toYear: number, fn: string, strict: boolean): void {
  if (!Number.isInteger(fromYear) || !Number.isInteger(toYear) || (strict ? fromYear >= toYear : fromYear > toYear)) {
    throw new Error(`${fn}: fromYear must be an integer ${strict ? 'before' : 'not after'} toYear, but got: ${fromYear}–${toYear}`);
  }
  if (toYear - fromYear >= MAX_PERIOD_YEARS) throw new RangeError(`${fn}: ${fromYear}–${toYear} spans more than ${MAX_PERIOD_YEARS} years`);
}

function yearsFrom(fromYear: number, toYear: number): number[] {
  return Array.from({ length: toYear - fromYear + 1 }, (_, i) => fromYear + i);
}
