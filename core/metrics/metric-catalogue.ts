/**
 * The metric catalogue: derived metrics declared as data (`metrics.json`), validated at start-up against the
 * indicator keys the ETL loads. Like Cube's data model, every declaration is checked, every error is collected
 * with its path (`metrics[3] (resultatgrad) -> formula.numerator: …`) and all of them are reported together in
 * one `CatalogueError`.
 *
 * Formulas are a small closed set, not an expression language:
 *   ratio          numerator / denominator × scale          (share of BDI: scale 100)
 *   perInhabitant  amount × scale / population              (amount in 1000 NOK → NOK per inhabitant: scale 1000)
 *   base           an indicator as-is                       (an amount, a population, or SSB's own ratio)
 *
 * `serviceAreaScoped: true` means the first operand (numerator / amount / indicator) is read for one service
 * area (tjenesteområde) and the other operand (denominator / population) for the whole municipality.
 */
import { CatalogueError } from '../catalogue-error';
import { indicatorKeys, loadCatalogue, serviceAreaIndicatorKeys } from '../source-catalogue';
import { closestMatches } from '../text/closest';
import bundledCatalogue from './metrics.json';

export { CatalogueError };
const FILE = 'core/metrics/metrics.json';

export type FormulaKind = 'ratio' | 'perInhabitant' | 'base';

export interface RatioFormula {
  kind: 'ratio';
  numerator: string;
  denominator: string;
  scale: number;
}

export interface PerInhabitantFormula {
  kind: 'perInhabitant';
  /** An amount in 1000 NOK. */
  amount: string;
  /** Normally `folkemengde`: table 07459's population on 1 January. */
  population: string;
  /** 1000 turns an amount in 1000 NOK into NOK per inhabitant. */
  scale: number;
  /**
   * Which population an accounting year divides by. KOSTRA's convention (SSB: "Nevner = antall innbyggere i
   * kommunen per 31.12.") is `endOfYear`: the population on 31 December of the year, which is the 1 January
   * population of the NEXT year. `startOfYear` (the same year's 1 January) is kept only to show, by reconciliation,
   * that it is wrong.
   */
  populationAt: PopulationDate;
}

export type PopulationDate = 'endOfYear' | 'startOfYear';
export const POPULATION_DATES: readonly PopulationDate[] = ['endOfYear', 'startOfYear'];

/** The year whose 1 January population a figure for `year` divides by. */
export function populationYear(formula: PerInhabitantFormula, year: number): number {
  return formula.populationAt === 'endOfYear' ? year + 1 : year;
}

export interface BaseFormula {
  kind: 'base';
  indicator: string;
}

export type Formula = RatioFormula | PerInhabitantFormula | BaseFormula;

/**
 * How a peer group is combined. `weightedRatio` (Σ numerator / Σ denominator × scale) is the KOSTRA/Framsikt
 * convention for ratios; `perInhabitantRatio` (Σ amount × scale / Σ population) its per-inhabitant form; `sum`
 * adds amounts; `unweightedMean` is the mean of the members' own values (ASSS resource-index style); `none`
 * declares that the metric has no group value (a ratio published by SSB can be neither summed nor averaged).
 */
export type AggregationMode = 'weightedRatio' | 'perInhabitantRatio' | 'sum' | 'unweightedMean' | 'none';

export type MetricUnit = 'percent' | 'percentage_points' | 'nok' | 'nok_per_inhabitant' | 'nok_1000' | 'persons' | 'per_1000_inhabitants' | 'index';

export interface MetricDefinition {
  id: string;
  label: string;
  description: string;
  unit: MetricUnit;
  /** Decimals to show (and to compare at when ranking for ties). */
  decimals: number;
  formula: Formula;
  /** The default aggregation over a group; `aggregationModesFor` lists the alternatives. */
  aggregation: AggregationMode;
  serviceAreaScoped: boolean;
  /**
   * The indicator holding SSB's own published figure of this metric (e.g. 12134's resultatgrad): after every load
   * the warehouse recomputes the metric where SSB publishes it and compares (reconciliation).
   */
  publishedAs?: string;
}

export interface CatalogueValidationOptions {
  /** Every indicator key the warehouse knows (from core/source-catalogue/source-catalogue.json). */
  indicatorKeys: ReadonlySet<string>;
  /**
   * Optional: the indicator keys reported per service area (the indicators of table 12362). When given, a
   * `serviceAreaScoped` metric must read its first operand from one of them and its other operand from an
   * indicator that is not; a metric that is not scoped must not read any of them.
   */
  serviceAreaIndicatorKeys?: ReadonlySet<string>;
}

export const FORMULA_KINDS: readonly FormulaKind[] = ['ratio', 'perInhabitant', 'base'];
export const AGGREGATION_MODES: readonly AggregationMode[] = ['weightedRatio', 'perInhabitantRatio', 'sum', 'unweightedMean', 'none'];
export const METRIC_UNITS: readonly MetricUnit[] = [
  'percent',
  'percentage_points',
  'nok',
  'nok_per_inhabitant',
  'nok_1000',
  'persons',
  'per_1000_inhabitants',
  'index',
];

/** Units that are themselves ratios: adding them up means nothing. */
const NON_ADDITIVE_UNITS: ReadonlySet<MetricUnit> = new Set<MetricUnit>(['percent', 'percentage_points', 'nok_per_inhabitant', 'per_1000_inhabitants', 'index']);


/**
 * The aggregation modes a metric supports; the first one is the natural weighted mode. A ratio aggregates as
 * `weightedRatio` or `unweightedMean`, a per-inhabitant metric as `perInhabitantRatio` or `unweightedMean`, a
 * base amount as `sum` or `unweightedMean`, a base ratio (unit percent, index…) only as `unweightedMean`.
 */
export function aggregationModesFor(def: Pick<MetricDefinition, 'formula' | 'unit'>): AggregationMode[] {
  switch (def.formula.kind) {
    case 'ratio':
      return ['weightedRatio', 'unweightedMean'];
    case 'perInhabitant':
      return ['perInhabitantRatio', 'unweightedMean'];
    case 'base':
      return NON_ADDITIVE_UNITS.has(def.unit) ? ['unweightedMean'] : ['sum', 'unweightedMean'];
  }
}

/** The indicator keys a metric reads, first operand first. */
export function operandsOf(formula: Formula): string[] {
  switch (formula.kind) {
    case 'ratio':
      return [formula.numerator, formula.denominator];
    case 'perInhabitant':
      return [formula.amount, formula.population];
    case 'base':
      return [formula.indicator];
  }
}

/** The operand a service-area-scoped metric reads per service area (numerator, amount or indicator). */
export function scopedOperandOf(formula: Formula): string {
  return operandsOf(formula)[0];
}

/**
 * Validate a raw catalogue (the parsed `metrics.json`) against the known indicator keys. Returns the metric
 * definitions in declaration order, or throws one `CatalogueError` with every problem found.
 */
export function validateMetricCatalogue(raw: unknown, options: CatalogueValidationOptions): MetricDefinition[] {
  const errors: string[] = [];
  const metrics: MetricDefinition[] = [];
  if (!isObject(raw)) {
    throw new CatalogueError(FILE, [`catalogue: must be an object with a "metrics" array, but got: ${show(raw)}`]);
  }
  checkKeys(raw, ['$comment', 'metrics'], 'catalogue', errors);
  if (!Array.isArray(raw.metrics)) {
    errors.push(`catalogue -> metrics: must be an array, but got: ${show(raw.metrics)}`);
    throw new CatalogueError(FILE, errors);
  }
  const firstIndexById = new Map<string, number>();
  raw.metrics.forEach((entry: unknown, i: number) => {
    const def = validateMetric(entry, i, options, firstIndexById, errors);
    if (def) metrics.push(def);
  });
  if (errors.length > 0) throw new CatalogueError(FILE, errors);
  return metrics;
}

/** Validate the bundled `metrics.json` (see `validateMetricCatalogue`). */
export function loadMetricCatalogue(options: CatalogueValidationOptions): MetricDefinition[] {
  return validateMetricCatalogue(bundledCatalogue, options);
}

/** Metric definitions by id, for resolvers. */
export function indexMetrics(defs: readonly MetricDefinition[]): ReadonlyMap<string, MetricDefinition> {
  return new Map(defs.map((d) => [d.id, d]));
}

// ---------------------------------------------------------------------------------------------------------------
// One validator per field. Each pushes its own errors and returns the parsed value, or undefined.

const METRIC_KEYS = ['$comment', 'id', 'label', 'description', 'unit', 'decimals', 'formula', 'aggregation', 'serviceAreaScoped', 'publishedAs'];
const FORMULA_KEYS: Record<FormulaKind, string[]> = {
  ratio: ['kind', 'numerator', 'denominator', 'scale'],
  perInhabitant: ['kind', 'amount', 'population', 'scale', 'populationAt'],
  base: ['kind', 'indicator'],
};
const ID_PATTERN = /^[a-z][a-z0-9_]*$/;

function validateMetric(
  entry: unknown,
  i: number,
  options: CatalogueValidationOptions,
  firstIndexById: Map<string, number>,
  errors: string[],
): MetricDefinition | undefined {
  const at = `metrics[${i}]`;
  if (!isObject(entry)) {
    errors.push(`${at}: must be an object, but got: ${show(entry)}`);
    return undefined;
  }
  const before = errors.length;
  const id = typeof entry.id === 'string' && ID_PATTERN.test(entry.id) ? entry.id : undefined;
  const path = id === undefined ? at : `${at} (${id})`;

  if (id === undefined) {
    errors.push(`${path} -> id: must be a string of lower-case letters, digits and _ starting with a letter, but got: ${show(entry.id)}`);
  } else if (firstIndexById.has(id)) {
    errors.push(`${path} -> id: duplicate id "${id}" (first declared at metrics[${firstIndexById.get(id)}])`);
  } else {
    firstIndexById.set(id, i);
  }
  checkKeys(entry, METRIC_KEYS, path, errors);
  const label = nonEmptyString(entry.label, `${path} -> label`, errors);
  const description = nonEmptyString(entry.description, `${path} -> description`, errors);
  const unit = oneOf(entry.unit, METRIC_UNITS, `${path} -> unit`, errors);
  const decimals = validateDecimals(entry.decimals, `${path} -> decimals`, errors);
  const formula = validateFormula(entry.formula, `${path} -> formula`, options, errors);
  const aggregation = oneOf(entry.aggregation, AGGREGATION_MODES, `${path} -> aggregation`, errors);
  let serviceAreaScoped = false;
  if (entry.serviceAreaScoped !== undefined) {
    if (typeof entry.serviceAreaScoped === 'boolean') serviceAreaScoped = entry.serviceAreaScoped;
    else errors.push(`${path} -> serviceAreaScoped: must be true or false, but got: ${show(entry.serviceAreaScoped)}`);
  }

  if (formula && unit && aggregation && aggregation !== 'none') {
    const allowed = aggregationModesFor({ formula, unit });
    if (!allowed.includes(aggregation)) {
      errors.push(
        `${path} -> aggregation: "${aggregation}" does not apply to a ${formula.kind} formula with unit ${unit}; allowed: ${[...allowed, 'none'].join(', ')}`,
      );
    }
  }
  if (formula && options.serviceAreaIndicatorKeys) {
    checkServiceAreaScope(formula, serviceAreaScoped, path, options.serviceAreaIndicatorKeys, errors);
  }
  // One name, one number: a metric named like an indicator must be that indicator as-is.
  if (id !== undefined && formula && options.indicatorKeys.has(id) && !(formula.kind === 'base' && formula.indicator === id)) {
    errors.push(`${path} -> id: "${id}" is also an indicator key with another number behind it; name the metric differently or make it { kind: base, indicator: "${id}" }`);
  }
  let publishedAs: string | undefined;
  if (entry.publishedAs !== undefined) publishedAs = validateIndicatorRef(entry.publishedAs, `${path} -> publishedAs`, options.indicatorKeys, errors);

  if (errors.length > before) return undefined;
  return {
    id: id as string,
    label: label as string,
    description: description as string,
    unit: unit as MetricUnit,
    decimals: decimals as number,
    formula: formula as Formula,
    aggregation: aggregation as AggregationMode,
    serviceAreaScoped,
    ...(publishedAs !== undefined ? { publishedAs } : {}),
  };
}

function validateFormula(raw: unknown, path: string, options: CatalogueValidationOptions, errors: string[]): Formula | undefined {
  if (!isObject(raw)) {
    errors.push(`${path}: must be an object with a "kind" (${FORMULA_KINDS.join(', ')}), but got: ${show(raw)}`);
    return undefined;
  }
  const kind = oneOf(raw.kind, FORMULA_KINDS, `${path}.kind`, errors);
  if (kind === undefined) return undefined;
  const before = errors.length;
  checkKeys(raw, FORMULA_KEYS[kind], path, errors, '.');
  const indicator = (field: string) => validateIndicatorRef(raw[field], `${path}.${field}`, options.indicatorKeys, errors);
  const scale = () => {
    const v = raw.scale;
    if (typeof v === 'number' && Number.isFinite(v) && v > 0) return v;
    errors.push(`${path}.scale: must be a positive number, but got: ${show(v)}`);
    return undefined;
  };
  let formula: Formula | undefined;
  switch (kind) {
    case 'ratio': {
      const numerator = indicator('numerator');
      const denominator = indicator('denominator');
      const s = scale();
      if (numerator && denominator && s !== undefined) formula = { kind, numerator, denominator, scale: s };
      break;
    }
    case 'perInhabitant': {
      const amount = indicator('amount');
      const population = indicator('population');
      const s = scale();
      const populationAt = raw.populationAt === undefined ? 'endOfYear' : oneOf(raw.populationAt, POPULATION_DATES, `${path}.populationAt`, errors);
      if (amount && population && s !== undefined && populationAt) formula = { kind, amount, population, scale: s, populationAt };
      break;
    }
    case 'base': {
      const key = indicator('indicator');
      if (key) formula = { kind, indicator: key };
      break;
    }
  }
  return errors.length > before ? undefined : formula;
}

function validateIndicatorRef(raw: unknown, path: string, known: ReadonlySet<string>, errors: string[]): string | undefined {
  if (typeof raw !== 'string' || raw === '') {
    errors.push(`${path}: must be an indicator key, but got: ${show(raw)}`);
    return undefined;
  }
  if (known.has(raw)) return raw;
  const sorted = [...known].sort();
  const closest = closestMatch(raw, sorted);
  const hint = closest === undefined ? '' : ` (did you mean "${closest}"?)`;
  errors.push(`${path}: unknown indicator "${raw}"${hint}; known: ${sorted.join(', ')}`);
  return undefined;
}

function checkServiceAreaScope(formula: Formula, scoped: boolean, path: string, areaKeys: ReadonlySet<string>, errors: string[]): void {
  const fields: Record<FormulaKind, string[]> = {
    ratio: ['numerator', 'denominator'],
    perInhabitant: ['amount', 'population'],
    base: ['indicator'],
  };
  const names = fields[formula.kind];
  operandsOf(formula).forEach((key, j) => {
    const perArea = areaKeys.has(key);
    const where = `${path} -> formula.${names[j]}`;
    if (!scoped && perArea) {
      errors.push(`${where}: "${key}" is reported per service area; set serviceAreaScoped: true`);
    } else if (scoped && j === 0 && !perArea) {
      errors.push(`${where}: serviceAreaScoped is true but "${key}" is not reported per service area`);
    } else if (scoped && j > 0 && perArea) {
      errors.push(`${where}: "${key}" is reported per service area; only the first operand of a scoped metric can be`);
    }
  });
}

function validateDecimals(raw: unknown, path: string, errors: string[]): number | undefined {
  if (typeof raw === 'number' && Number.isInteger(raw) && raw >= 0 && raw <= 6) return raw;
  errors.push(`${path}: must be an integer from 0 to 6, but got: ${show(raw)}`);
  return undefined;
}

function nonEmptyString(raw: unknown, path: string, errors: string[]): string | undefined {
  if (typeof raw === 'string' && raw.trim() !== '') return raw;
  errors.push(`${path}: must be a non-empty string, but got: ${show(raw)}`);
  return undefined;
}

function oneOf<T extends string>(raw: unknown, allowed: readonly T[], path: string, errors: string[]): T | undefined {
  if (typeof raw === 'string' && (allowed as readonly string[]).includes(raw)) return raw as T;
  errors.push(`${path}: must be one of ${allowed.join(', ')}, but got: ${show(raw)}`);
  return undefined;
}

/** Unknown properties are errors (a misspelt optional field would otherwise be ignored). `sep` joins path and key. */
function checkKeys(obj: Record<string, unknown>, allowed: readonly string[], path: string, errors: string[], sep = ' -> '): void {
  for (const key of Object.keys(obj)) {
    if (!allowed.includes(key)) {
      const closest = closestMatch(key, allowed.filter((k) => k !== '$comment'));
      const hint = closest === undefined ? '' : ` (did you mean "${closest}"?)`;
      errors.push(`${path}${sep}${key}: unknown property${hint}`);
    }
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function show(v: unknown): string {
  if (v === undefined) return 'nothing';
  return JSON.stringify(v);
}

/** The closest candidate by edit distance, for "did you mean" hints; undefined if none is close. */
function closestMatch(word: string, candidates: readonly string[]): string | undefined {
  return closestMatches(word, candidates, 1)[0];
}

let shipped: MetricDefinition[] | undefined;

/**
 * The shipped metric catalogue validated against the shipped source catalogue (its indicator keys and which of them
 * are reported per service area), once per process: what the API serves and reconciliation checks.
 */
export function shippedMetrics(): MetricDefinition[] {
  if (!shipped) {
    const { catalogue } = loadCatalogue();
    shipped = loadMetricCatalogue({ indicatorKeys: indicatorKeys(catalogue), serviceAreaIndicatorKeys: serviceAreaIndicatorKeys(catalogue) });
  }
  return shipped;
}
