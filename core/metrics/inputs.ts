/**
 * The inputs of the metric functions: base facts as plain records, as the resolvers fetch them from the
 * warehouse, and the one-region-one-year view a metric is computed from.
 */
import { type MetricDefinition, operandsOf, populationYear, scopedOperandOf } from './metric-catalogue';
import { describeStatus, lookup, type Lookup, type Read } from './values';

/** The service-area code of whole-municipality facts (service-areas.json `ALL`); `null` means the same. */
import { WHOLE_MUNICIPALITY } from '../service-areas';

/** One base value as stored in the warehouse. */
export interface BaseFact {
  regionKey: string;
  year: number;
  /** Service area (tjenesteområde) code, or null / `ALL` for the whole municipality. */
  serviceArea: string | null;
  indicatorKey: string;
  value: number | null;
  /** SSB's status symbol for the cell (`..`, `.`, `:`, `-`…), or null. */
  status: string | null;
  /** Why the value is null when the status alone does not say it (e.g. several codes of a merger). */
  reason?: string;
}

/** A value with its SSB status; `reason` (set by `sumServiceAreas`) explains a null value already. */
export interface BaseValue {
  value: number | null;
  status?: string | null;
  reason?: string;
}

/** A plain number is accepted for convenience; `undefined` (no entry) means no fact was loaded. */
export type InputValue = BaseValue | number | null | undefined;

/** Everything one metric needs for one region and year: indicator key → value. */
export interface RegionYearInputs {
  regionKey: string;
  year: number;
  /** For service-area-scoped metrics: the service area (or grouping) the first operand was read for. */
  serviceArea?: string | null;
  values: Lookup<string, InputValue>;
}

/** Facts indexed by region, year, service area and indicator. Two facts for the same cell are an error. */
export class FactIndex {
  private readonly facts = new Map<string, BaseFact>();

  constructor(facts: Iterable<BaseFact>) {
    for (const fact of facts) {
      const key = cellKey(fact.regionKey, fact.year, fact.serviceArea, fact.indicatorKey);
      if (this.facts.has(key)) {
        throw new Error(
          `two facts for ${fact.indicatorKey}${areaSuffix(fact.serviceArea)}, ${fact.regionKey}, ${fact.year}: facts must be unique per region, year, service area and indicator`,
        );
      }
      this.facts.set(key, fact);
    }
  }

  get(regionKey: string, year: number, serviceArea: string | null, indicatorKey: string): BaseFact | undefined {
    return this.facts.get(cellKey(regionKey, year, serviceArea, indicatorKey));
  }
}

export interface InputsAt {
  regionKey: string;
  year: number;
  /** For a service-area-scoped metric: one service area… */
  serviceArea?: string;
  /** …or several, summed (a grouping such as pleie og omsorg = 234 + 253 + …). */
  serviceAreas?: readonly string[];
  /** Name of the summed areas in reasons (e.g. the grouping id); defaults to the codes joined by `+`. */
  serviceAreaLabel?: string;
}

/**
 * Pick the facts one metric needs for one region and year. For a `serviceAreaScoped` metric the first operand
 * is read for `serviceArea` (or the sum over `serviceAreas`) and the other operand for the whole municipality;
 * for any other metric every operand is read for the whole municipality.
 */
export function inputsFromFacts(def: MetricDefinition, facts: FactIndex | readonly BaseFact[], at: InputsAt): RegionYearInputs {
  const index = facts instanceof FactIndex ? facts : new FactIndex(facts);
  const values = new Map<string, InputValue>();
  let serviceArea: string | null = null;
  const scoped = def.serviceAreaScoped ? scopedOperandOf(def.formula) : undefined;
  if (scoped !== undefined) {
    const areas = at.serviceAreas ?? (at.serviceArea !== undefined ? [at.serviceArea] : []);
    if (areas.length === 0) {
      throw new Error(`metric "${def.id}" is service-area scoped: inputsFromFacts needs serviceArea or serviceAreas`);
    }
    serviceArea = at.serviceAreaLabel ?? areas.join('+');
    values.set(
      scoped,
      areas.length === 1
        ? index.get(at.regionKey, at.year, areas[0], scoped)
        : sumServiceAreas(index, { regionKey: at.regionKey, year: at.year, indicatorKey: scoped, serviceAreas: areas }),
    );
  }
  for (const key of operandsOf(def.formula)) {
    if (key === scoped) continue;
    const year = operandYear(def, key, at.year);
    const fact = index.get(at.regionKey, year, null, key);
    if (year !== at.year && (fact === undefined || fact.value === null) && !fact?.reason) {
      // Name the count actually read, so a missing 2025 population does not read as a missing 2024 figure.
      const why = fact?.status ? describeStatus(fact.status) : 'no fact loaded';
      values.set(key, { value: null, reason: `no value for ${key} on 1 January ${year} (the population at 31.12.${at.year}), ${at.regionKey} (${why})` });
    } else {
      values.set(key, fact);
    }
  }
  return { regionKey: at.regionKey, year: at.year, serviceArea, values };
}

/**
 * The year whose fact an operand is read from for a figure of `year`: the population of a per-inhabitant metric at
 * 31 December is the next year's 1 January count (see `populationYear`); every other operand is the same year's.
 */
export function operandYear(def: MetricDefinition, key: string, year: number): number {
  const f = def.formula;
  return f.kind === 'perInhabitant' && key === f.population ? populationYear(f, year) : year;
}

/**
 * Sum one indicator over several service areas. A part whose cell is empty with SSB status `.` (not applicable,
 * e.g. a function not in use that year) or `-` (nil) contributes nothing; any other missing part makes the sum
 * null with a reason naming every missing part. If no part has a number at all, the sum is null.
 */
export function sumServiceAreas(
  facts: FactIndex,
  at: { regionKey: string; year: number; indicatorKey: string; serviceAreas: readonly string[] },
): BaseValue {
  let sum = 0;
  let numbers = 0;
  const problems: string[] = [];
  for (const area of at.serviceAreas) {
    const fact = facts.get(at.regionKey, at.year, area, at.indicatorKey);
    const r = readValue(fact, `${at.indicatorKey}/${area}`, at.regionKey, at.year);
    if (r.ok) {
      sum += r.value;
      numbers++;
    } else if (!(fact && (fact.status === '.' || fact.status === '-'))) {
      problems.push(r.reason);
    }
  }
  if (problems.length > 0) return { value: null, reason: problems.join('; ') };
  if (numbers === 0) {
    return {
      value: null,
      reason: `no value for ${at.indicatorKey}/${at.serviceAreas.join('+')}, ${at.regionKey}, ${at.year} (every part is nil or not applicable)`,
    };
  }
  return { value: sum, status: null };
}

/** Read one operand of a metric from the inputs, with the reason text when it is missing. */
export function readOperand(inputs: RegionYearInputs, key: string, scoped: boolean): Read {
  const label = scoped && inputs.serviceArea ? `${key}/${inputs.serviceArea}` : key;
  return readValue(lookup(inputs.values, key), label, inputs.regionKey, inputs.year);
}

function readValue(v: InputValue, label: string, regionKey: string, year: number): Read {
  const where = `no value for ${label}, ${regionKey}, ${year}`;
  if (v === undefined) return { ok: false, reason: `${where} (no fact loaded)` };
  if (v === null) return { ok: false, reason: `${where} (empty cell, no status)` };
  if (typeof v === 'number') {
    return Number.isFinite(v) ? { ok: true, value: v } : { ok: false, reason: `${where} (not a finite number: ${v})` };
  }
  if (typeof v.value === 'number') {
    return Number.isFinite(v.value) ? { ok: true, value: v.value } : { ok: false, reason: `${where} (not a finite number: ${v.value})` };
  }
  if (v.reason) return { ok: false, reason: v.reason };
  return { ok: false, reason: v.status ? `${where} (${describeStatus(v.status)})` : `${where} (empty cell, no status)` };
}


function normalizeArea(serviceArea: string | null): string {
  return serviceArea === null ? WHOLE_MUNICIPALITY : serviceArea;
}

function areaSuffix(serviceArea: string | null): string {
  const area = normalizeArea(serviceArea);
  return area === WHOLE_MUNICIPALITY ? '' : `/${area}`;
}

function cellKey(regionKey: string, year: number, serviceArea: string | null, indicatorKey: string): string {
  return `${regionKey}\u0000${year}\u0000${normalizeArea(serviceArea)}\u0000${indicatorKey}`;
}
