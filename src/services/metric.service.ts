import type DataLoader from 'dataloader';
import { WHOLE_MUNICIPALITY } from '../../core/service-areas';
import { coalesceByKey, type CodeYearRow } from '../../core/municipalities/code-history';
import {
  aggregateGroup, computeMetric, FactIndex, inflationAdjust, inputsFromFacts, needCorrected, needCorrectedGroup,
  operandsOf, scopedOperandOf, type BaseFact, type MetricDefinition, type MetricResult, type RegionYearInputs,
} from '../../core/metrics';
import { sliceKey, type FactSliceKey, type StoredFact } from '../warehouse/fact-loader';
import type { RegionRow, WarehouseSnapshot } from '../warehouse/snapshot';
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
const ADDITIVE_UNITS = new Set(['1000 kr', 'personer']);

/**
 * Computes metrics for subjects and years from the warehouse. Every fact it needs for a call is fetched through
 * the per-request fact loader in one batch, then everything else is the pure metric engine.
 */
export class MetricService {
  constructor(private readonly snapshot: WarehouseSnapshot, private readonly facts: DataLoader<FactSliceKey, Map<string, StoredFact>>) {}

  async compute(def: MetricDefinition, subjects: ResolvedSubject[], years: number[], options: MetricOptions = {}): Promise<Map<string, Map<number, PointValue>>> {
    const index = await this.loadInputs(def, subjects, years, options.area ?? null);
    const out = new Map<string, Map<number, PointValue>>();
    for (const subject of subjects) {
      const byYear = new Map<number, PointValue>();
      for (const year of years) byYear.set(year, this.point(def, subject, year, index, options));
      out.set(subject.id, byYear);
    }
    return out;
  }

  municipalitySubject(key: string): ResolvedSubject | null {
    const m = this.snapshot.municipalities.get(key);
    return m ? { kind: 'municipality', id: m.key, name: m.name, municipality: m } : null;
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
      const inputs: RegionYearInputs[] = keys.map(at);
      const excludeMember = subject.excluding?.key;
      if (options.needCorrected && subject.average === 'weighted') {
        const sector = this.needSector(def, area);
        if (typeof sector !== 'string') return sector;
        const needs = new Map(keys.map((k) => [k, this.snapshot.needIndex.get(`${k}|${year}|${sector}`) ?? null]));
        const group = needCorrectedGroup(def, inputs, needs, { excludeMember });
        value = { value: group.value, reason: group.reason, members: group.members };
      } else if (options.needCorrected) {
        const corrected = keys.filter((k) => k !== excludeMember).map((k) => this.corrected(def, computeMetric(def, at(k)), k, year, area));
        const missing = corrected.filter((c) => c.value === null);
        value = missing.length
          ? { value: null, reason: missing.map((m) => m.reason).join('; ') }
          : { value: corrected.reduce((s, c) => s + (c.value as number), 0) / corrected.length, members: keys.filter((k) => k !== excludeMember) };
      } else {
        const group = aggregateGroup(def, inputs, { mode: subject.average === 'unweighted' ? 'unweightedMean' : undefined, excludeMember });
        value = { value: group.value, reason: group.reason, members: group.members };
      }
    } else {
      const key = subject.kind === 'municipality' ? subject.municipality.key : subject.region.code;
      value = computeMetric(def, at(key));
      if (options.needCorrected) value = this.corrected(def, value, key, year, area, subject.kind === 'region' ? subject.region : undefined);
    }
    if (options.inflateTo != null && value.value !== null) {
      const adjusted = inflationAdjust(value, year, options.inflateTo, this.snapshot.deflator);
      value = { ...value, value: adjusted.value, reason: adjusted.reason };
    }
    return value;
  }

  private needSector(def: MetricDefinition, area: AreaScope | null): string | MetricResult {
    if (def.formula.kind !== 'perInhabitant') return { value: null, reason: `need correction applies to per-inhabitant metrics; ${def.id} is a ${def.formula.kind}` };
    return area?.needSector ?? 'total';
  }

  private corrected(def: MetricDefinition, value: MetricResult, key: string, year: number, area: AreaScope | null, region?: RegionRow): MetricResult {
    const sector = this.needSector(def, area);
    if (typeof sector !== 'string') return sector;
    // The need index is relative to the national average, so the country itself is 1.00 by definition.
    const index = region?.kind === 'country' ? 1 : this.snapshot.needIndex.get(`${key}|${year}|${sector}`);
    if (index === undefined) return { value: null, reason: `no expenditure-need index for ${key}, ${year}, sector ${sector} (etl/curated/need-index.csv)` };
    return needCorrected(value, index);
  }

  /** Fetches every fact the call needs in one batch and coalesces each municipality's codes year by year. */
  private async loadInputs(def: MetricDefinition, subjects: ResolvedSubject[], years: number[], area: AreaScope | null): Promise<FactIndex> {
    const scoped = def.serviceAreaScoped ? scopedOperandOf(def.formula) : null;
    const operands = operandsOf(def.formula).map((key) => ({ key, areas: key === scoped ? (area?.codes ?? [WHOLE_MUNICIPALITY]) : [WHOLE_MUNICIPALITY] }));
    const keys: FactSliceKey[] = [];
    for (const op of operands) for (const a of op.areas) for (const y of years) keys.push(sliceKey(op.key, a, y));
    const slices = await this.facts.loadMany(keys);

    const municipalityKeys = new Set<string>();
    const regionCodes = new Set<string>();
    for (const s of subjects) {
      if (s.kind === 'municipality') municipalityKeys.add(s.municipality.key);
      else if (s.kind === 'region') regionCodes.add(s.region.code);
      else for (const y of years) for (const k of membersInYear(s.group, y)) municipalityKeys.add(k);
    }
    const validity = (code: string, y: number) => {
      const r = this.snapshot.regions.get(code);
      return Boolean(r && (r.validFrom === null || r.validFrom <= y) && (r.validTo === null || r.validTo >= y));
    };
    const keyOf = (code: string) => this.snapshot.regions.get(code)?.municipalityKey ?? undefined;
    const facts: BaseFact[] = [];
    let i = 0;
    for (const op of operands) {
      // Amounts and head counts of the municipalities that later merged add up; ratios never do.
      const additive = ADDITIVE_UNITS.has(this.snapshot.indicators.get(op.key)?.unit ?? '');
      for (const a of op.areas) {
        for (const year of years) {
          const slice = slices[i++];
          if (slice instanceof Error) throw slice;
          for (const code of regionCodes) {
            const f = slice.get(code);
            if (f) facts.push({ regionKey: code, year, serviceArea: a, indicatorKey: op.key, value: f.value, status: f.status });
          }
          const rows: CodeYearRow<number>[] = [];
          for (const key of municipalityKeys) {
            for (const code of this.snapshot.municipalities.get(key)?.codes ?? []) {
              const f = slice.get(code.code);
              if (f) rows.push({ code: code.code, year, value: f.value, status: f.status });
            }
          }
          for (const c of coalesceByKey(rows, keyOf, validity, { additive })) {
            if (regionCodes.has(c.key)) continue; // asked for as a region code too: the direct fact wins
            facts.push({
              regionKey: c.key, year, serviceArea: a, indicatorKey: op.key, value: c.value, status: c.status,
              ...(c.ambiguous ? { reason: `no single value for ${op.key}, ${c.key}, ${year}: codes ${c.ambiguous.join(', ')} (a merger) hold different values, and ${op.key} is not an amount that can be added` } : {}),
            });
          }
        }
      }
    }
    return new FactIndex(facts);
  }
}
