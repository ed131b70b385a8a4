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
 *  - Several successors (a split): follow the one whose name equals the old name (compared without case and
 *    without the Sami/Kven part after " - "), e.g. 1507 Ålesund → 1508 Ålesund (and not 1580 Haram). If none
 *    or several match, the split code keeps its own key: no successor continues its series.
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
  if (targets.length === 1) return { code: targets[0], date };
  const sameName = [...new Set(atDate.filter((e) => baseName(e.newName) === baseName(e.oldName)).map((e) => e.newCode))];
  return sameName.length === 1 ? { code: sameName[0], date } : undefined;
}

/** "Trondheim - Tråante" → "trondheim": the Norwegian part, for comparing names across a change. */
function baseName(name: string): string {
  return name.split(' - ')[0].trim().toLowerCase();
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
}

/** code -> key; a Map from `buildMunicipalityKeys` or a function. Codes without a key are their own key. */
export type KeyOf = ReadonlyMap<string, string> | ((code: string) => string | undefined);

/** Whether `code` was a valid municipality code in `year` (e.g. from Klass codesAt on 1 January). */
export type Validity<Y> = (code: string, year: Y) => boolean;

/**
 * One value per (key, year) from rows published under several codes of one municipality.
 *
 * Normally at most one code of a key has a value in a year (the code valid that year), and that value wins.
 * When several have non-null values (a merger year, where SSB shows the old municipalities and sometimes the
 * new one):
 *  1. with `validity`, the single code valid that year wins;
 *  2. an `additive` quantity (an amount in 1000 kr, a head count) of several codes valid that year — the
 *     municipalities that later merged — is their sum, so Asker 2019 = Asker + Røyken + Hurum; ratios and
 *     per-capita figures are never summed;
 *  3. otherwise, if all the values are equal (SSB republished the same figure under both codes), that value;
 *  4. otherwise the value is null with `ambiguous` listing the codes, for the caller to report.
 * With no non-null value the result is null, with the status of the most telling row (a valid code's row,
 * else the key code's, else one whose symbol is not "." — not applicable — else the first).
 *
 * Rows come out ordered by key, then year.
 */
export function coalesceByKey<Y extends string | number>(
  rows: readonly CodeYearRow<Y>[],
  keyOf: KeyOf,
  validity?: Validity<Y>,
  options: { additive?: boolean } = {},
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
    if (options.additive && valid.length > 1) {
      out.push({ key, year, value: valid.reduce((s, r) => s + (r.value as number), 0), status: null, code: null, summed: valid.map((r) => r.code) });
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
