/**
 * Group (peer) aggregates and shares of a total.
 *
 * Weighted is the KOSTRA/Framsikt convention: a group's ratio is Σ numerator / Σ denominator × scale over the
 * members (a per-inhabitant figure Σ amount × scale / Σ population) — never the mean of the members' ratios,
 * which gives a small municipality the weight of a large one. ASSS's resource index uses the unweighted mean:
 * both are available for every metric, by name; the catalogue's `aggregation` is the default.
 *
 * Missing members — the choice made here: by default a member without its inputs makes the group value null,
 * with a reason naming every such member and input (a weighted average that silently drops a big member is
 * wrong). With `allowPartial: true` those members are dropped instead and the result says so: `partial: true`
 * and `lackingInputs` lists each dropped member with its reason.
 */
import { type AggregationMode, aggregationModesFor, type MetricDefinition } from './metric-catalogue';
import { computeMetric, denominatorProblem } from './engine';
import { readOperand, type RegionYearInputs } from './inputs';
import { fmt, lookup, missing, ok, read, type Lookup, type MetricResult, type NumberOrResult } from './values';

export interface AggregateOptions {
  /** Defaults to the catalogue's `aggregation` for the metric. */
  mode?: AggregationMode;
  /** "Excluding self" (KS's ASSS convention): leave this region out. A region not in the group changes nothing. */
  excludeMember?: string;
  /** Drop members that lack inputs (listed in `lackingInputs`) instead of returning null. Default false. */
  allowPartial?: boolean;
}

export interface MemberProblem {
  regionKey: string;
  reason: string;
}

export interface GroupResult extends MetricResult {
  mode: AggregationMode;
  /** The region keys whose values went into the result, in input order. */
  members: string[];
  /** The member left out by `excludeMember`, or null when nobody was left out. */
  excluded: string | null;
  /**
   * Members without their inputs, each with the reason. Without `allowPartial` any such member makes the value
   * null; with it they are dropped and `partial` is true.
   */
  lackingInputs: MemberProblem[];
  /** True when the value was computed without the members in `lackingInputs` (only with `allowPartial`). */
  partial: boolean;
  /** For the weighted modes: Σ numerator (or Σ amount) over the members that contributed. */
  numerator?: number;
  /** For the weighted modes: Σ denominator (or Σ population, or Σ population × need index). */
  denominator?: number;
}

/**
 * Aggregate a metric over a group, one `RegionYearInputs` per member (same year).
 *   weightedRatio       Σ numerator / Σ denominator × scale          (ratio metrics)
 *   perInhabitantRatio  Σ amount × scale / Σ population              (per-inhabitant metrics)
 *   sum                 Σ value                                      (base amounts)
 *   unweightedMean      mean of the members' own metric values       (any metric)
 *   none                null: the metric declares no group value
 * Throws when `mode` does not apply to the metric (see `aggregationModesFor`) or a member appears twice.
 */
export function aggregateGroup(def: MetricDefinition, memberInputs: readonly RegionYearInputs[], options: AggregateOptions = {}): GroupResult {
  const mode = options.mode ?? def.aggregation;
  if (mode !== 'none' && !aggregationModesFor(def).includes(mode)) {
    throw new Error(
      `aggregation "${mode}" does not apply to metric "${def.id}" (${def.formula.kind}, unit ${def.unit}); available: ${aggregationModesFor(def).join(', ')}`,
    );
  }
  const { included, excluded } = selectMembers(memberInputs, options.excludeMember);
  const base: GroupResult = { value: null, mode, members: [], excluded, lackingInputs: [], partial: false };
  if (mode === 'none') {
    return {
      ...base,
      reason: `metric "${def.id}" declares no group aggregate (aggregation "none"); pass mode ${aggregationModesFor(def)
        .map((m) => `"${m}"`)
        .join(' or ')} explicitly, or use a metric recomputed from amounts`,
    };
  }

  const contributions = included.map((m) => ({ regionKey: m.regionKey, c: contribution(def, mode, m) }));
  return combine(def, mode, base, contributions, options.allowPartial ?? false, (num, den, n) => {
    if (mode === 'weightedRatio' || mode === 'perInhabitantRatio') {
      const scale = def.formula.kind === 'base' ? 1 : def.formula.scale;
      const problem = denominatorProblem(def, den, `the group (${n} member${n === 1 ? '' : 's'})`);
      return problem ? missing(problem) : ok((num * scale) / den);
    }
    if (mode === 'sum') return ok(num);
    return ok(num / den); // unweightedMean: Σ values / count
  });
}

/**
 * Need-corrected per-inhabitant group average: Σ amount × scale / Σ (population × need index), for a
 * per-inhabitant metric. `needIndexByRegion` holds each member's utgiftsbehovsindeks (national average = 1.00)
 * for the sector and year. Missing members are handled as in `aggregateGroup`.
 */
export function needCorrectedGroup(
  def: MetricDefinition,
  memberInputs: readonly RegionYearInputs[],
  needIndexByRegion: Lookup<string, number | null>,
  options: Omit<AggregateOptions, 'mode'> = {},
): GroupResult {
  const f = def.formula;
  if (f.kind !== 'perInhabitant') {
    throw new Error(`needCorrectedGroup needs a perInhabitant metric, but "${def.id}" is ${f.kind}`);
  }
  const { included, excluded } = selectMembers(memberInputs, options.excludeMember);
  const base: GroupResult = { value: null, mode: 'perInhabitantRatio', members: [], excluded, lackingInputs: [], partial: false };
  const contributions = included.map((m) => {
    const amount = readOperand(m, f.amount, def.serviceAreaScoped);
    const population = readOperand(m, f.population, false);
    const need = readNeedIndex(needIndexByRegion, m.regionKey, m.year);
    const reasons = [amount, population, need].flatMap((r) => (r.ok ? [] : [r.reason]));
    const c: Contribution = amount.ok && population.ok && need.ok ? { ok: true, num: amount.value, den: population.value * need.value } : { ok: false, reason: reasons.join('; ') };
    return { regionKey: m.regionKey, c };
  });
  return combine(def, 'perInhabitantRatio', base, contributions, options.allowPartial ?? false, (num, den) => {
    if (den <= 0) return missing(`Σ ${f.population} × need index is ${fmt(den)} for the group: needs a positive total`);
    return ok((num * f.scale) / den);
  });
}

export interface ShareItem {
  id: string;
  /** A child (e.g. brann under andre_omrader) is shown with a share but left out of the total. */
  parent?: string | null;
  /** The item's value; a top-level item given without one (undefined) takes the sum of its children. */
  value?: NumberOrResult;
}

export interface ShareOfTotalResult {
  /** Σ of the top-level items. */
  total: MetricResult;
  /** In input order: each item's value and its share of the total in percent. */
  items: { id: string; parent: string | null; value: MetricResult; share: MetricResult }[];
}

/**
 * Share of total by service-area grouping: each item / Σ top-level items × 100. Children (items with a
 * `parent`) are excluded from the total, so a parent and its children are not counted twice; a parent without
 * its own value is the sum of its children. Any missing top-level value makes the total (and every share) null.
 * Throws on a duplicate id, an unknown parent, or a child of a child.
 */
export function shareOfTotal(items: readonly ShareItem[]): ShareOfTotalResult {
  const byId = new Map<string, ShareItem>();
  for (const item of items) {
    if (byId.has(item.id)) throw new Error(`shareOfTotal: duplicate item "${item.id}"`);
    byId.set(item.id, item);
  }
  const children = new Map<string, ShareItem[]>();
  for (const item of items) {
    if (item.parent === undefined || item.parent === null) continue;
    const parent = byId.get(item.parent);
    if (!parent) throw new Error(`shareOfTotal: item "${item.id}" has unknown parent "${item.parent}"`);
    if (parent.parent !== undefined && parent.parent !== null) {
      throw new Error(`shareOfTotal: item "${item.id}" has parent "${item.parent}", which is itself a child: one level only`);
    }
    children.set(item.parent, [...(children.get(item.parent) ?? []), item]);
  }

  const values = new Map<string, MetricResult>();
  for (const item of items) {
    const kids = children.get(item.id);
    if (item.value === undefined && kids) {
      const parts = kids.map((k) => read(k.value, k.id));
      const reasons = parts.flatMap((p) => (p.ok ? [] : [p.reason]));
      values.set(item.id, reasons.length > 0 ? missing(reasons.join('; ')) : ok(parts.reduce((s, p) => s + (p.ok ? p.value : 0), 0)));
    } else {
      const r = read(item.value, item.id);
      values.set(item.id, r.ok ? ok(r.value) : missing(r.reason));
    }
  }

  const topLevel = items.filter((i) => i.parent === undefined || i.parent === null);
  const missingTop = topLevel.flatMap((i) => {
    const v = values.get(i.id) as MetricResult;
    return v.value === null ? [v.reason ?? `${i.id} is missing`] : [];
  });
  let total: MetricResult;
  if (topLevel.length === 0) total = missing('no top-level items');
  else if (missingTop.length > 0) total = missing(missingTop.join('; '));
  else total = ok(topLevel.reduce((s, i) => s + ((values.get(i.id) as MetricResult).value as number), 0));

  return {
    total,
    items: items.map((item) => {
      const value = values.get(item.id) as MetricResult;
      let share: MetricResult;
      if (value.value === null) share = missing(value.reason ?? `${item.id} is missing`);
      else if (total.value === null) share = missing(`total: ${total.reason}`);
      else if (total.value === 0) share = missing('the total is 0: shares are undefined');
      else share = ok((value.value * 100) / total.value);
      return { id: item.id, parent: item.parent ?? null, value, share };
    }),
  };
}

// ---------------------------------------------------------------------------------------------------------------

type Contribution = { ok: true; num: number; den: number } | { ok: false; reason: string };

function selectMembers(memberInputs: readonly RegionYearInputs[], excludeMember: string | undefined) {
  const seen = new Set<string>();
  for (const m of memberInputs) {
    if (seen.has(m.regionKey)) throw new Error(`group member "${m.regionKey}" appears twice`);
    seen.add(m.regionKey);
  }
  const excluded = excludeMember !== undefined && seen.has(excludeMember) ? excludeMember : null;
  return { included: memberInputs.filter((m) => m.regionKey !== excluded), excluded };
}

/** What one member adds to the sums: numerator and denominator, or (sum, mean) its value and 1. */
function contribution(def: MetricDefinition, mode: AggregationMode, m: RegionYearInputs): Contribution {
  const f = def.formula;
  if (mode === 'unweightedMean') {
    const r = computeMetric(def, m);
    return r.value === null ? { ok: false, reason: r.reason ?? `no value for ${def.id}, ${m.regionKey}, ${m.year}` } : { ok: true, num: r.value, den: 1 };
  }
  if (f.kind === 'base') {
    const r = readOperand(m, f.indicator, def.serviceAreaScoped);
    return r.ok ? { ok: true, num: r.value, den: 1 } : { ok: false, reason: r.reason };
  }
  const [numKey, denKey] = f.kind === 'ratio' ? [f.numerator, f.denominator] : [f.amount, f.population];
  const num = readOperand(m, numKey, def.serviceAreaScoped);
  const den = readOperand(m, denKey, false);
  if (num.ok && den.ok) return { ok: true, num: num.value, den: den.value };
  return { ok: false, reason: [num, den].flatMap((r) => (r.ok ? [] : [r.reason])).join('; ') };
}

function combine(
  def: MetricDefinition,
  mode: AggregationMode,
  base: GroupResult,
  contributions: readonly { regionKey: string; c: Contribution }[],
  allowPartial: boolean,
  finish: (num: number, den: number, memberCount: number) => MetricResult,
): GroupResult {
  if (contributions.length === 0) {
    return { ...base, reason: `the group has no members${base.excluded ? ` once ${base.excluded} is excluded` : ''}` };
  }
  const lacking: MemberProblem[] = [];
  const members: string[] = [];
  let num = 0;
  let den = 0;
  for (const { regionKey, c } of contributions) {
    if (c.ok) {
      members.push(regionKey);
      num += c.num;
      den += c.den;
    } else {
      lacking.push({ regionKey, reason: c.reason });
    }
  }
  if (lacking.length > 0 && !allowPartial) {
    return {
      ...base,
      lackingInputs: lacking,
      reason: `${lacking.length} of ${contributions.length} members lack inputs for ${def.id}: ${lacking.map((d) => d.reason).join('; ')}`,
    };
  }
  if (members.length === 0) {
    return { ...base, lackingInputs: lacking, reason: `no member of the group has inputs for ${def.id}: ${lacking.map((d) => d.reason).join('; ')}` };
  }
  const weighted = mode === 'weightedRatio' || mode === 'perInhabitantRatio';
  const result = finish(num, den, members.length);
  return {
    ...base,
    ...result,
    members,
    lackingInputs: lacking,
    partial: lacking.length > 0,
    ...(weighted ? { numerator: num, denominator: den } : {}),
  };
}

function readNeedIndex(
  byRegion: Lookup<string, number | null>,
  regionKey: string,
  year: number,
): { ok: true; value: number } | { ok: false; reason: string } {
  const v = lookup(byRegion, regionKey);
  if (v === undefined || v === null || !Number.isFinite(v)) return { ok: false, reason: `no need index for ${regionKey}, ${year}` };
  if (v <= 0) return { ok: false, reason: `need index for ${regionKey}, ${year} is ${fmt(v)}: it must be positive` };
  return { ok: true, value: v };
}
