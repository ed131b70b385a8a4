/**
 * The result type every metric function returns, and the small helpers that build and read it.
 *
 * A value that cannot be computed is `null` with a `reason` that names what is missing, for which region and
 * year — never 0, never NaN. Functions that combine results (index, change, growth…) accept either a plain
 * number or a `MetricResult`, so a reason travels from the base fact to the final figure.
 */

/** What every metric function returns. `reason` is set when, and only when, `value` is null. */
export interface MetricResult {
  value: number | null;
  reason?: string;
}

/** A plain number, a missing number, or the result of another metric function. */
export type NumberOrResult = number | null | undefined | MetricResult;

/**
 * SSB's status symbols (JSON-stat `status`), as shown in reasons. Values are in English for the reason text.
 * `-` (nil) and `.` (not applicable) are explicit statements that nothing is there; the others mean "unknown".
 */
export const SSB_STATUS_LABELS: Readonly<Record<string, string>> = {
  '.': 'not applicable',
  '..': 'not available',
  '...': 'not yet available',
  ':': 'suppressed for confidentiality',
  '-': 'nil',
  '*': 'provisional',
};

/** `SSB status ".." — not available`; unknown symbols are quoted without a label. */
export function describeStatus(status: string): string {
  const label = SSB_STATUS_LABELS[status];
  return label === undefined ? `SSB status "${status}"` : `SSB status "${status}" — ${label}`;
}

export function ok(value: number): MetricResult {
  return { value };
}

export function missing(reason: string): MetricResult {
  return { value: null, reason };
}

/** A result or a reason: what `read` gives back. */
export type Read = { ok: true; value: number } | { ok: false; reason: string };

/**
 * Read a number from a `NumberOrResult`; `role` names it in the reason ("reference: no value for bdi, …").
 * Non-finite numbers (NaN, ±Infinity) are treated as missing.
 */
export function read(input: NumberOrResult, role: string): Read {
  if (input === null || input === undefined) return { ok: false, reason: `${role} is missing` };
  if (typeof input === 'number') {
    return Number.isFinite(input) ? { ok: true, value: input } : { ok: false, reason: `${role} is not a finite number (${input})` };
  }
  if (input.value === null || input.value === undefined) {
    return { ok: false, reason: input.reason ? `${role}: ${input.reason}` : `${role} is missing` };
  }
  if (!Number.isFinite(input.value)) return { ok: false, reason: `${role} is not a finite number (${input.value})` };
  return { ok: true, value: input.value };
}

/** Round half away from zero to `decimals` places (for display and for tie detection in rankings). */
export function roundTo(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  const scaled = Math.abs(value) * factor;
  // Nudge by a relative epsilon so that 2.675 (stored as 2.67499999…) rounds up as written.
  const rounded = Math.round(scaled * (1 + Number.EPSILON)) / factor;
  return value < 0 && rounded !== 0 ? -rounded : rounded;
}

/** Format a number for a reason text without floating-point noise (0.30000000000000004 -> 0.3). */
export function fmt(value: number): string {
  return String(Number(value.toPrecision(12)));
}

/** Values keyed by region, year or indicator: a Map, or a plain object for convenience (tests, JSON). */
export type Lookup<K extends string | number, V> = ReadonlyMap<K, V> | Readonly<Partial<Record<K, V>>>;

/** The value under `key`, or undefined when there is none (own properties only, so "constructor" is not a key). */
export function lookup<K extends string | number, V>(values: Lookup<K, V>, key: K): V | undefined {
  if (isMap(values)) return values.get(key);
  if (!Object.prototype.hasOwnProperty.call(values, key)) return undefined;
  return values[key];
}

function isMap<K extends string | number, V>(values: Lookup<K, V>): values is ReadonlyMap<K, V> {
  return values instanceof Map;
}
