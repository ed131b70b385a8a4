import { WHOLE_MUNICIPALITY } from '../../core/service-areas';
import { coalesceByKey, type CodeYearRow } from '../../core/municipalities/code-history';
import {
  aggregateGroup, computeMetric, endOfYearPopulation, FactIndex, inflationAdjust, inputsFromFacts, needCorrected, needCorrectedGroup,
  operandsOf, operandYear, scopedOperandOf, type BaseFact, type MetricDefinition, type MetricResult, type RegionYearInputs,
} from '../../core/metrics';
import { sliceKey, type FactLoader, type FactSliceKey, type StoredFact } from '../warehouse/fact-loader';
import type { MunicipalityRow, RegionRow, WarehouseSnapshot } from '../warehouse/snapshot';
import { membersInYear, type ResolvedSubject } from './subjects';

/** A service-area scope: one code, or a grouping of codes summed (the report's "Pleie og omsorg"). */
export interface AreaScope {
  id: string;
  label: string;
  codes: string[];
  needSector: string | null;
}

export interface MetricOptions {
  area?: AreaScope | null;
  /** Divide by the expenditure-need index (per-inhabitant metrics; national average = 1.00). */
  needCorrected?: boolean;
  /** Inflate (or deflate) every value to this year's money with the kommunal deflator. */
  inflateTo?: number | null;
}

export interface PointValue extends MetricResult {
  /** For group subjects: the members that went into the value. */
  members?: string[];
}

/** Units whose values of merged municipalities can be added (SSB's unit labels). */
const ADDITIVE_UNITS = new Set(['1000 kr', 'personer', 'årsverk']);

/**
 * Facts of municipalities and of region codes live in one index under separate names, so a region subject "3201"
 * (the code, valid from 2024) never stands in for the municipality whose key is 3201 (all its codes, back to 0219).
 */
const municipalityId = (key: string) => `m:${key}`;
const regionId = (code: string) => `r:${code}`;

/**
 * Computes metrics for subjects and years from the warehouse. Every fact it needs for a call is fetched through the
 * per-request fact loader in one batch, each municipality's codes are coalesced year by year (mergers add up, a
 * split successor has no history before the split), and everything else is the pure metric engine.
 */
export class MetricService {
  /** Operand facts built in this request, by slice and subjects (see loadInputs). */
  private readonly operandFacts = new Map<string, BaseFact[]>();
  /** The region scope of each set of subjects in this request. */
  private readonly scopes = new Map<string, ReadonlySet<string>>();

  /** `ended`: see WarehouseReader; the computation after the facts arrive is skipped once the request has ended. */
  constructor(private readonly snapshot: WarehouseSnapshot, private readonly facts: FactLoader, private readonly ended: AbortSignal) {}

  /**
   * Every subject's value per year, keyed by the subject itself: a region and a municipality may carry the same id
   * ("3201"), and must not overwrite each other.
   */
  async compute(def: MetricDefinition, subjects: ResolvedSubject[], years: number[], options: MetricOptions = {}): Promise<Map<ResolvedSubject, Map<number, PointValue>>> {
    const out = new Map<ResolvedSubject, Map<number, PointValue>>();
    const notLoaded = this.notLoadedReason(def);
    if (notLoaded) {
      for (const s of subjects) out.set(s, new Map(years.map((y) => [y, { value: null, reason: notLoaded }])));
      return out;
    }
    const index = await this.loadInputs(def, subjects, years, options.area ?? null);
    this.ended.throwIfAborted();
    for (const subject of subjects) {
      const byYear = new Map<number, PointValue>();
      for (const year of years) byYear.set(year, this.point(def, subject, year, index, options));
      out.set(subject, byYear);
    }
    return out;
  }

  municipalitySubject(key: string): ResolvedSubject | null {
    const m = this.snapshot.municipalities.get(key);
    return m ? { kind: 'municipality', id: m.key, name: m.name, municipality: m } : null;
  }

  /** Why a metric cannot be computed at all: an indicator it reads is not in the warehouse. */
  private notLoadedReason(def: MetricDefinition): string | null {
    const reasons = operandsOf(def.formula).filter((key) => !this.snapshot.indicators.has(key)).map((key) => {
      const source = this.snapshot.indicatorSources.get(key);
      if (source?.status === 'missing') {
        return `${key} (${source.label}) is not in the warehouse: the last run found it in no candidate SSB table` +
          `${source.tried ? ` (${triedProblems(source.tried)})` : ''}; see warehouseStatus.problems`;
      }
      return `${key} is not in the warehouse yet: no load has brought it (run the ETL)`;
    });
    return reasons.length ? `${def.id} cannot be computed: ${reasons.join('; ')}` : null;
  }

  private point(def: MetricDefinition, subject: ResolvedSubject, year: number, index: FactIndex, options: MetricOptions): PointValue {
    const area = options.area ?? null;
    const at = (regionKey: string) => inputsFromFacts(def, index, {
      regionKey, year,
      ...(def.serviceAreaScoped ? { serviceAreas: area?.codes ?? [WHOLE_MUNICIPALITY], serviceAreaLabel: area?.id } : {}),
    });
    let value: PointValue;
    if (subject.kind === 'peerGroup') {
      const keys = membersInYear(subject.group, year).filter((k) => this.snapshot.municipalities.has(k));
      if (keys.length === 0) return { value: null, reason: `peer group ${subject.group.name} has no members with data in ${year}` };
      const inputs: RegionYearInputs[] = keys.map((k) => at(municipalityId(k)));
      const excludeMember = subject.excluding ? municipalityId(subject.excluding.key) : undefined;
      if (options.needCorrected && subject.average === 'weighted') {
        const sector = this.needSector(def, area);
        if (typeof sector !== 'string') return sector;
        const needs = new Map(keys.map((k) => [municipalityId(k), this.needIndexOf(k, year, sector)]));
        const group = needCorrectedGroup(def, inputs, needs, { excludeMember });
        value = { value: group.value, reason: group.reason, members: group.members.map(keyOf) };
      } else if (options.needCorrected) {
        const included = keys.filter((k) => municipalityId(k) !== excludeMember);
        const corrected = included.map((k) => this.corrected(def, computeMetric(def, at(municipalityId(k))), k, year, area));
        const missing = corrected.filter((c) => c.value === null);
        value = missing.length
          ? { value: null, reason: missing.map((m) => m.reason).join('; ') }
          : { value: corrected.reduce((s, c) => s + (c.value ?? 0), 0) / corrected.length, members: included };
      } else {
        const group = aggregateGroup(def, inputs, { mode: subject.average === 'unweighted' ? 'unweightedMean' : undefined, excludeMember });
        value = { value: group.value, reason: group.reason, members: group.members.map(keyOf) };
      }
    } else if (subject.kind === 'municipality') {
      value = computeMetric(def, at(municipalityId(subject.municipality.key)));
      if (options.needCorrected) value = this.corrected(def, value, subject.municipality.key, year, area);
    } else {
      value = computeMetric(def, at(regionId(subject.region.code)));
      if (options.needCorrected) value = this.corrected(def, value, subject.region.code, year, area, subject.region);
    }
    if (options.inflateTo != null && value.value !== null) {
      const adjusted = inflationAdjust(value, year, options.inflateTo, this.snapshot.deflator);
      value = { ...value, value: adjusted.value, reason: adjusted.reason };
    }
    return value;
  }

  private needIndexOf(key: string, year: number, sector: string): number | null {
    return this.snapshot.needIndex.get(`${key}|${year}|${sector}`) ?? null;
  }

  private needSector(def: MetricDefinition, area: AreaScope | null): string | MetricResult {
    if (def.formula.kind !== 'perInhabitant') return { value: null, reason: `need correction applies to per-inhabitant metrics; ${def.id} is a ${def.formula.kind}` };
    return area?.needSector ?? 'total';
  }

  private corrected(def: MetricDefinition, value: MetricResult, key: string, year: number, area: AreaScope | null, region?: RegionRow): MetricResult {
    const sector = this.needSector(def, area);
    if (typeof sector !== 'string') return sector;
    // The need index is relative to the national average, so the country itself is 1.00 by definition.
    const index = region?.kind === 'country' ? 1 : this.needIndexOf(key, year, sector);
    if (index === null) return { value: null, reason: `no expenditure-need index for ${key}, ${year}, sector ${sector} (etl/curated/need-index.csv)` };
    return needCorrected(value, index);
  }

  /** Fetches every fact the call needs in one batch and coalesces each municipality's codes year by year. */
  private async loadInputs(def: MetricDefinition, subjects: ResolvedSubject[], years: number[], area: AreaScope | null): Promise<FactIndex> {
    const scoped = def.serviceAreaScoped ? scopedOperandOf(def.formula) : null;
    const operands = operandsOf(def.formula).map((key) => ({
      key,
      areas: key === scoped ? (area?.codes ?? [WHOLE_MUNICIPALITY]) : [WHOLE_MUNICIPALITY],
      years: [...new Set(years.map((y) => operandYear(def, key, y)))],
    }));
    const municipalityKeys = new Set<string>();
    const regionCodes = new Set<string>();
    for (const s of subjects) {
      if (s.kind === 'municipality') municipalityKeys.add(s.municipality.key);
      else if (s.kind === 'region') regionCodes.add(s.region.code);
      else for (const y of years) for (const k of membersInYear(s.group, y)) municipalityKeys.add(k);
    }
    const subjectsId = `${[...municipalityKeys].sort().join(',')}/${[...regionCodes].sort().join(',')}`;
    // One Set per subjects for the whole request: the fact loader recognises a scope it has seen by identity.
    let regions = this.scopes.get(subjectsId);
    if (!regions) this.scopes.set(subjectsId, (regions = regionScope(this.snapshot, municipalityKeys, regionCodes)));
    const keys: FactSliceKey[] = [];
    for (const op of operands) for (const a of op.areas) for (const y of op.years) keys.push(sliceKey(op.key, a, y));
    const loaded = await this.facts.loadMany(keys.map((key) => ({ key, regions })));
    const slices = new Map<FactSliceKey, Map<string, StoredFact>>();
    keys.forEach((k, i) => {
      const slice = loaded[i];
      if (slice instanceof Error) throw slice;
      slices.set(k, slice);
    });
    const validIn = (code: string, y: number) => {
      const r = this.snapshot.regions.get(code);
      return Boolean(r && (r.validFrom === null || r.validFrom <= y) && (r.validTo === null || r.validTo >= y));
    };
    const keyOfCode = (code: string) => this.snapshot.regions.get(code)?.municipalityKey ?? undefined;
    const codesByKey = new Map([...municipalityKeys].map((key) => [key, this.snapshot.municipalities.get(key)?.codes.map((c) => c.code) ?? []]));
    const codesOf = (key: string) => codesByKey.get(key) ?? this.snapshot.municipalities.get(key)?.codes.map((c) => c.code) ?? [];
    // The metrics of one request share operands (bdi is the denominator of most ratios): each operand's facts for a
    // year and these subjects are built once per request.
    const facts: BaseFact[] = [];
    for (const op of operands) {
      // Amounts and head counts of the municipalities that later merged add up; ratios never do.
      const additive = ADDITIVE_UNITS.has(this.snapshot.indicators.get(op.key)?.unit ?? '');
      // The 31.12 population is read from the next year's 1 January count: `shift` years after the figure's year.
      const shift = operandYear(def, op.key, 0);
      const isPopulation = shift !== 0;
      for (const a of op.areas) {
        for (const year of op.years) {
          const memoKey = `${sliceKey(op.key, a, year)}|${shift}|${subjectsId}`;
          const known = this.operandFacts.get(memoKey);
          if (known) {
            for (const f of known) facts.push(f);
            continue;
          }
          const built: BaseFact[] = [];
          const slice = slices.get(sliceKey(op.key, a, year)) ?? new Map<string, StoredFact>();
          const base = { year, serviceArea: a, indicatorKey: op.key };
          for (const code of regionCodes) {
            const f = slice.get(code);
            const fact: BaseFact = { ...base, regionKey: regionId(code), value: f?.value ?? null, status: f?.status ?? null };
            // A region code's own 1 January count is its 31.12 territory only when no code joined or left it that day.
            built.push(isPopulation ? this.endOfYear(fact, code, slice, validIn) : fact);
          }
          const rows: CodeYearRow<number>[] = [];
          for (const key of municipalityKeys) {
            for (const code of codesOf(key)) {
              const f = slice.get(code);
              if (f) rows.push({ code, year, value: f.value, status: f.status });
            }
          }
          const coalesced = new Map(coalesceByKey(rows, keyOfCode, validIn, { additive, codesOf }).map((c) => [c.key, c]));
          for (const key of municipalityKeys) {
            const m = this.snapshot.municipalities.get(key);
            const c = coalesced.get(key);
            const reason = c ? coalesceReason(op.key, m, c) : undefined;
            let fact: BaseFact = { ...base, regionKey: municipalityId(key), value: c?.value ?? null, status: c?.status ?? null, ...(reason ? { reason } : {}) };
            if (m?.historyStart && year - shift < m.historyStart.year) {
              fact = { ...fact, value: null, status: null, reason: m.historyStart.reason };
            } else if (isPopulation && fact.value === null && m) {
              const last = [...m.codes].reverse().find((code) => validIn(code.code, year - 1));
              if (last) fact = this.endOfYear(fact, last.code, slice, validIn);
            }
            built.push(fact);
          }
          this.operandFacts.set(memoKey, built);
          for (const f of built) facts.push(f);
        }
      }
    }
    return new FactIndex(facts);
  }

  /** A code's population on 31.12 (the slice is 1 January of the next year) when the code ended that day. */
  private endOfYear(fact: BaseFact, code: string, slice: Map<string, StoredFact>, validIn: (code: string, year: number) => boolean): BaseFact {
    const population = endOfYearPopulation(code, fact.year - 1, (c) => slice.get(c)?.value ?? null, this.snapshot.changes, validIn);
    return { ...fact, value: population.value, status: population.value === null ? fact.status : null, ...(population.reason ? { reason: population.reason } : {}) };
  }
}

const keyOf = (id: string) => id.slice(2);

/**
 * Every region code a computation for these subjects may read: the regions themselves, each municipality's codes
 * over its history, and every code linked to those by a Klass change (a population at 31.12 of a code that ended
 * that day is read from its successors' counts), followed to the end of each chain.
 */
function regionScope(snapshot: WarehouseSnapshot, municipalityKeys: ReadonlySet<string>, regionCodes: ReadonlySet<string>): ReadonlySet<string> {
  const scope = new Set<string>();
  const pending = [...regionCodes];
  for (const key of municipalityKeys) for (const c of snapshot.municipalities.get(key)?.codes ?? []) pending.push(c.code);
  const linked = linkedCodes(snapshot);
  for (let code = pending.pop(); code !== undefined; code = pending.pop()) {
    if (scope.has(code)) continue;
    scope.add(code);
    pending.push(...(linked.get(code) ?? []));
  }
  return scope;
}

const linkedBySnapshot = new WeakMap<WarehouseSnapshot, Map<string, string[]>>();
function linkedCodes(snapshot: WarehouseSnapshot): Map<string, string[]> {
  let linked = linkedBySnapshot.get(snapshot);
  if (!linked) {
    linked = new Map();
    for (const c of snapshot.changes) {
      linked.set(c.oldCode, [...(linked.get(c.oldCode) ?? []), c.newCode]);
      linked.set(c.newCode, [...(linked.get(c.newCode) ?? []), c.oldCode]);
    }
    linkedBySnapshot.set(snapshot, linked);
  }
  return linked;
}

/** Why a coalesced municipality value is null, when the status alone does not say it. */
function coalesceReason(operand: string, m: MunicipalityRow | undefined, c: { key: string; year: number; ambiguous?: string[]; missingParts?: { code: string; status: string | null }[] }): string | undefined {
  const who = `${m?.name ?? c.key} (${c.key})`;
  if (c.missingParts?.length) {
    const parts = c.missingParts.map((p) => `${p.code}${p.status ? ` (SSB status "${p.status}")` : ' (no figure)'}`).join(', ');
    return `no value for ${operand}, ${who}, ${c.year}: the municipalities that later merged each published their own figure, and ${parts} lacked one — the others' sum would cover part of the territory`;
  }
  if (c.ambiguous?.length) {
    return `no single value for ${operand}, ${who}, ${c.year}: codes ${c.ambiguous.join(', ')} (a merger) hold different values, and ${operand} is not an amount that can be added`;
  }
  return undefined;
}

function triedProblems(tried: string): string {
  try {
    const parsed: unknown = JSON.parse(tried);
    if (Array.isArray(parsed)) return parsed.map((t: { problem?: unknown }) => (typeof t?.problem === 'string' ? t.problem : '')).filter(Boolean).join('; ');
  } catch { /* stored by the ETL; fall through */ }
  return tried;
}
