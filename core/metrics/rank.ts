/**
 * Rank of the members of a group for one year: "tredje høyest i ASSS-nettverket", highest and lowest member.
 */
import { read, roundTo, type NumberOrResult } from './values';

export interface RankOptions {
  /** `highestFirst` (default): rank 1 = the highest value. `lowestFirst`: rank 1 = the lowest. */
  direction?: 'highestFirst' | 'lowestFirst';
  /**
   * Compare values rounded to this many decimals (the metric's `decimals`), so members shown with the same
   * figure share a rank. Without it values are compared exactly.
   */
  decimals?: number;
}

export interface RankedMember {
  key: string;
  /** The value as given (unrounded), or null. */
  value: number | null;
  /** Competition rank (1, 1, 3…), or null for a member without a value. */
  rank: number | null;
  /** Why the member has no value. */
  reason?: string;
}

export interface Extreme {
  /** The (unrounded) value of the first holder. */
  value: number;
  /** Every member holding that value (more than one on a tie). */
  keys: string[];
}

export interface RankResult {
  /** Ranked members by rank (ties in input order), then the members without a value. */
  ranks: RankedMember[];
  highest: Extreme | null;
  lowest: Extreme | null;
  /** How many members were ranked (members without a value are not). */
  count: number;
  /** Members without a value, with the reason: not ranked, and not silently forgotten. */
  missing: { key: string; reason: string }[];
}

/**
 * Competition ranking ("1224"): members with equal values share a rank and the next rank skips, so a member's
 * rank is 1 + the number of members strictly ahead of it. Members without a value are listed in `missing`.
 */
export function rankInGroup(memberValues: readonly { key: string; value: NumberOrResult }[], options: RankOptions = {}): RankResult {
  const seen = new Set<string>();
  const present: { key: string; value: number; cmp: number; order: number }[] = [];
  const absent: { key: string; reason: string }[] = [];
  memberValues.forEach((m, order) => {
    if (seen.has(m.key)) throw new Error(`rankInGroup: member "${m.key}" appears twice`);
    seen.add(m.key);
    const r = read(m.value, m.key);
    if (r.ok) present.push({ key: m.key, value: r.value, cmp: options.decimals === undefined ? r.value : roundTo(r.value, options.decimals), order });
    else absent.push({ key: m.key, reason: r.reason });
  });

  const sign = options.direction === 'lowestFirst' ? 1 : -1;
  const sorted = [...present].sort((a, b) => sign * (a.cmp - b.cmp) || a.order - b.order);
  const ranks: RankedMember[] = sorted.map((m) => ({
    key: m.key,
    value: m.value,
    rank: 1 + sorted.filter((o) => sign * (o.cmp - m.cmp) < 0).length,
  }));
  for (const a of absent) ranks.push({ key: a.key, value: null, rank: null, reason: a.reason });

  const extreme = (pick: (...values: number[]) => number): Extreme | null => {
    if (present.length === 0) return null;
    const target = pick(...present.map((m) => m.cmp));
    const holders = present.filter((m) => m.cmp === target);
    return { value: holders[0].value, keys: holders.map((m) => m.key) };
  };
  return {
    ranks,
    highest: extreme(Math.max),
    lowest: extreme(Math.min),
    count: present.length,
    missing: absent,
  };
}
