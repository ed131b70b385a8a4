/**
 * Stable keys for municipalities across code changes, from Klass classification 131's change list.
 *
 * Norwegian municipality codes change with county reforms (2018, 2020, 2024) and mergers: Bærum was 0219,
 * then 3024 (2020), then 3201 (2024). KOSTRA tables publish each year under the code valid that year, so a
 * time series for "Bærum" must join all three. The key of a code is the NEWEST code reachable by following
 * the changes forward in time; every code of one municipality's history then shares one key.
 *
 * Rules (in order, when leaving a code):
 *  - Renames (old code = new code) and non-municipality codes (EAK, EKG12…: not four digits) are ignored.
 *  - Only changes on or after the date we arrived at the code are followed, so a code number reused later
 *    does not send an old municipality into an unrelated one.
 *  - One successor (a renumbering, or one of several codes merged into one): follow it. So 0220 Asker,
 *    0627 Røyken and 0628 Hurum all get key 3203, the merged Asker.
 *  - Several successors (a split): the split code keeps its own key and no successor continues its series, not
 *    even the one that kept the name: 1508 Ålesund (2024) covers less land than 1507 Ålesund (2020–2023), so
 *    1507 stays a historic municipality with its own history and 1508's history starts in 2024
 *    (`historyStarts`).
 *  - A cycle (which real data should not contain) stops the walk; every code on the cycle gets the smallest
 *    code of the cycle as key, so they still agree.
 */
/** Klass `changes` row (classification 131 = municipalities). */
export interface KlassCodeChange {
  oldCode: string;
  oldName: string;
  newCode: string;
  newName: string;
  /** ISO date, e.g. 2020-01-01 */
  changeOccurred: string;
}

/** Municipality codes are four digits; KOSTRA region variables also hold EAK, EAKUO, EKG12, EKA03… */
export function isMunicipalityCode(code: string): boolean {
  return /^\d{4}$/.test(code);
}

/**
 * Maps every municipality code in `codes` to its key (see the module comment). Codes with no change map to
 * themselves; non-municipality codes are left out of the map.
 */
export function buildMunicipalityKeys(changes: readonly KlassCodeChange[], codes: Iterable<string>): Map<string, string> {
  const edges = new Map<string, KlassCodeChange[]>();
  for (const c of changes) {
    if (c.oldCode === c.newCode || !isMunicipalityCode(c.oldCode) || !isMunicipalityCode(c.newCode)) continue;
    const list = edges.get(c.oldCode) ?? [];
    list.push(c);
    edges.set(c.oldCode, list);
  }
  const keys = new Map<string, string>();
  for (const code of codes) {
    if (isMunicipalityCode(code) && !keys.has(code)) keys.set(code, keyOf(code, edges));
  }
  return keys;
}

function keyOf(start: string, edges: Map<string, KlassCodeChange[]>): string {
  const path: string[] = [start];
  const seenAt = new Map<string, number>([[start, 0]]);
  let current = start;
  let arrived = '';
  for (;;) {
    const next = successor(edges.get(current) ?? [], arrived);
    if (!next) return current;
    const loopStart = seenAt.get(next.code);
    if (loopStart !== undefined) return path.slice(loopStart).reduce((a, b) => (b < a ? b : a));
    seenAt.set(next.code, path.length);
    path.push(next.code);
    current = next.code;
    arrived = next.date;
  }
}

/** The code that continues `from`'s series after date `after`, or undefined (none, or an unmatched split). */
function successor(out: readonly KlassCodeChange[], after: string): { code: string; date: string } | undefined {
  const eligible = out.filter((e) => e.changeOccurred >= after);
  if (eligible.length === 0) return undefined;
  const date = eligible.reduce((d, e) => (e.changeOccurred < d ? e.changeOccurred : d), eligible[0].changeOccurred);
  const atDate = eligible.filter((e) => e.changeOccurred === date);
  const targets = [...new Set(atDate.map((e) => e.newCode))];
  return targets.length === 1 ? { code: targets[0], date } : undefined;
}

function municipalityEdges(changes: readonly KlassCodeChange[]): KlassCodeChange[] {
  return changes.filter((c) => c.oldCode !== c.newCode && isMunicipalityCode(c.oldCode) && isMunicipalityCode(c.newCode));
}

/** Where a municipality's series begins: before `year` its codes covered another territory (part of a split). */
export interface HistoryStart {
  year: number;
  /** Why, in words, for the reason of every earlier figure. */
  reason: string;
}

/**
 * Keys whose territory changed by a split: a code that received part of a split municipality (1508 Ålesund and 1580
 * Haram from 1507 in 2024; 1806 Narvik and 1875 Hamarøy, each with part of 1850 Tysfjord, in 2020) starts a new
 * series that day — figures of its predecessors before it describe other land, so they are not its history.
 * `keyOf` maps a code to its key (see `buildMunicipalityKeys`).
 */
export function historyStarts(changes: readonly KlassCodeChange[], keyOf: (code: string) => string): Map<string, HistoryStart> {
  const edges = municipalityEdges(changes);
  const out = new Map<string, HistoryStart>();
  const byOldAndDate = new Map<string, KlassCodeChange[]>();
  for (const e of edges) {
    const id = `${e.oldCode}|${e.changeOccurred}`;
    byOldAndDate.set(id, [...(byOldAndDate.get(id) ?? []), e]);
  }
  for (const group of byOldAndDate.values()) {
    const targets = [...new Set(group.map((e) => e.newCode))];
    if (targets.length < 2) continue;
    const year = Number(group[0].changeOccurred.slice(0, 4));
    if (!Number.isInteger(year)) continue;
    const split = `${group[0].oldName} (${group[0].oldCode}) was split on ${group[0].changeOccurred} between ${group.map((e) => `${e.newName} (${e.newCode})`).join(' and ')}`;
    for (const e of group) {
      const key = keyOf(e.newCode);
      const previous = out.get(key);
      if (previous && previous.year >= year) continue;
      out.set(key, { year, reason: `${e.newName} (${e.newCode}) has no figures before ${year}: ${split}, so earlier figures cover another territory` });
    }
  }
  return out;
}

export type EndOfYearTerritory = { ok: true; codes: string[] } | { ok: false; reason: string };

/**
 * The codes whose 1 January (year + 1) population is `code`'s territory on 31 December of `year` — the population
 * a per-inhabitant figure of that year divides by. The code itself while it lives on unchanged; its successors when
 * it ended that day and each of them is made of it alone (a renumbering or a split); none when territories joined
 * that day (a merger, or a code that lives on and absorbed others: its 1 January count covers more land).
 * `valid(code, year)` says whether a code was in use in a year.
 */
export function endOfYearTerritory(code: string, year: number, changes: readonly KlassCodeChange[], valid: (code: string, year: number) => boolean): EndOfYearTerritory {
  const day = `${year + 1}-01-01`;
  const edges = municipalityEdges(changes).filter((e) => e.changeOccurred === day);
  const notPublished = (what: string) => ({ ok: false as const, reason: `the population of ${code} on 31.12.${year} is not published: ${what}` });
  if (valid(code, year + 1)) {
    const absorbed = [...new Set(edges.filter((e) => e.newCode === code).map((e) => e.oldCode))];
    return absorbed.length ? notPublished(`${code} absorbed ${absorbed.join(', ')} on ${day}, so its 1 January count covers more land`) : { ok: true, codes: [code] };
  }
  const successors = [...new Set(edges.filter((e) => e.oldCode === code).map((e) => e.newCode))];
  if (successors.length === 0) return { ok: false, reason: `${code} has no population on 1 January ${year + 1} and no successor that day` };
  for (const s of successors) {
    const others = [...new Set(edges.filter((e) => e.newCode === s && e.oldCode !== code).map((e) => e.oldCode))];
    if (others.length) return notPublished(`it merged into ${s} on ${day} together with ${others.join(', ')}`);
    if (valid(s, year)) return notPublished(`it merged into ${s}, which already existed, on ${day}`);
  }
  return { ok: true, codes: successors };
}

// ---------------------------------------------------------------------------------------------------------

export interface CodeYearRow<Y extends string | number = string | number> {
  code: string;
  year: Y;
  value: number | null;
  status: string | null;
}

export interface CoalescedRow<Y extends string | number = string | number> {
  key: string;
  year: Y;
  value: number | null;
  status: string | null;
  /** The code the value (or status) came from; null when ambiguous or summed. */
  code: string | null;
  /** Set when several codes of the key had different non-null values and none could be preferred. */
  ambiguous?: string[];
  /** Set when the value is the sum of these codes (an additive amount of a merger year). */
  summed?: string[];
  /**
   * Set when the key's codes in use that year were several (a merger year) and these lacked a value: the value is
   * null, because a sum without them would cover part of the territory.
   */
  missingParts?: { code: string; status: string | null }[];
}

/** code -> key; a Map from `buildMunicipalityKeys` or a function. Codes without a key are their own key. */
export type KeyOf = ReadonlyMap<string, string> | ((code: string) => string | undefined);

/** Whether `code` was a valid municipality code in `year` (e.g. from Klass codesAt on 1 January). */
export type Validity<Y> = (code: string, year: Y) => boolean;

/** SSB symbols that say a cell is empty on purpose: `.` not applicable (the code was not in use), `-` nil. */
const NOT_MISSING = new Set(['.', '-']);

export interface CoalesceOptions {
  /** The quantity adds up across merging municipalities (an amount in 1000 kr, a head count). */
  additive?: boolean;
  /** Every code of a key, so a code in use that year without any row counts as missing. */
  codesOf?: (key: string) => readonly string[];
}

/**
 * One value per (key, year) from rows published under several codes of one municipality.
 *
 * Normally one code of a key is in use in a year and its value wins. When several were in use (with `validity`: a
 * merger year, where the municipalities that later merged each published their own figures):
 *  - an `additive` quantity is their sum — Asker 2019 = Asker + Røyken + Hurum — but only when every one of them
 *    has a value (or says `.` / `-`): one suppressed (`:`) or unavailable (`..`) member makes the value null, with
 *    `missingParts` naming it, since the others' sum would cover part of the territory;
 *  - a ratio or per-capita figure is never summed: equal values are that value, different ones are `ambiguous`.
 * Without such a year: the single code in use wins; otherwise equal values (SSB republished one figure under both
 * codes) are that value, and different ones are `ambiguous`. With no value at all the result is null, with the
 * status of the most telling row (a valid code's row, else the key code's, else one whose symbol is not ".").
 *
 * Rows come out ordered by key, then year.
 */
export function coalesceByKey<Y extends string | number>(
  rows: readonly CodeYearRow<Y>[],
  keyOf: KeyOf,
  validity?: Validity<Y>,
  options: CoalesceOptions = {},
): CoalescedRow<Y>[] {
  const lookup = typeof keyOf === 'function' ? keyOf : (code: string) => keyOf.get(code);
  const groups = new Map<string, { key: string; year: Y; rows: CodeYearRow<Y>[] }>();
  for (const row of rows) {
    const key = lookup(row.code) ?? row.code;
    const id = `${key}\u0000${row.year}`;
    let g = groups.get(id);
    if (!g) groups.set(id, (g = { key, year: row.year, rows: [] }));
    g.rows.push(row);
  }

  const out: CoalescedRow<Y>[] = [];
  for (const { key, year, rows: group } of groups.values()) {
    const isValid = (r: CodeYearRow<Y>) => (validity ? validity(r.code, year) : false);
    const withValue = group.filter((r) => r.value !== null);
    const from = (r: CodeYearRow<Y>): CoalescedRow<Y> => ({ key, year, value: r.value, status: r.status, code: r.code });
    const inUse = validity ? [...new Set([...(options.codesOf?.(key) ?? []), ...group.map((r) => r.code)])].filter((c) => validity(c, year)) : [];

    if (inUse.length > 1) {
      const rowOf = new Map(group.map((r) => [r.code, r]));
      const parts = inUse.map((code) => rowOf.get(code) ?? { code, year, value: null, status: null });
      const valued = parts.filter((r) => r.value !== null);
      if (options.additive) {
        const missingParts = parts.filter((r) => r.value === null && !(r.status !== null && NOT_MISSING.has(r.status))).map((r) => ({ code: r.code, status: r.status }));
        if (missingParts.length) out.push({ key, year, value: null, status: null, code: null, missingParts });
        else if (valued.length === 0) out.push(from(parts.find((r) => r.status !== '.') ?? parts[0]));
        else out.push({ key, year, value: valued.reduce((s, r) => s + (r.value ?? 0), 0), status: null, code: null, summed: valued.map((r) => r.code) });
      } else if (valued.length > 0 && valued.length === parts.length && valued.every((r) => r.value === valued[0].value)) {
        out.push(from(valued.find((r) => r.code === key) ?? valued[0]));
      } else {
        out.push({ key, year, value: null, status: null, code: null, ambiguous: inUse });
      }
      continue;
    }

    if (withValue.length === 0) {
      const pick =
        group.find(isValid) ??
        group.find((r) => r.code === key) ??
        group.find((r) => r.status !== null && r.status !== '.') ??
        group[0];
      out.push(from(pick));
      continue;
    }
    if (withValue.length === 1) {
      out.push(from(withValue[0]));
      continue;
    }
    const valid = withValue.filter(isValid);
    if (valid.length === 1) {
      out.push(from(valid[0]));
      continue;
    }
    if (withValue.every((r) => r.value === withValue[0].value)) {
      out.push(from(withValue.find((r) => r.code === key) ?? withValue[0]));
      continue;
    }
    out.push({ key, year, value: null, status: null, code: null, ambiguous: withValue.map((r) => r.code) });
  }
  return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : compareYears(a.year, b.year)));
}

function compareYears(a: string | number, b: string | number): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
}

/** A code that appears as a new code in a change starts that year; an old code ends the year before. */
export function codeValidity(changes: readonly KlassCodeChange[]): Map<string, { from?: number; to?: number }> {
  const validity = new Map<string, { from?: number; to?: number }>();
  for (const c of changes) {
    const year = Number(c.changeOccurred.slice(0, 4));
    if (!Number.isInteger(year)) continue;
    if (c.oldCode !== c.newCode) {
      const old = validity.get(c.oldCode) ?? {};
      old.to = Math.max(old.to ?? -Infinity, year - 1);
      validity.set(c.oldCode, old);
      const neu = validity.get(c.newCode) ?? {};
      neu.from = Math.min(neu.from ?? Infinity, year);
      validity.set(c.newCode, neu);
    }
  }
  return validity;
}
