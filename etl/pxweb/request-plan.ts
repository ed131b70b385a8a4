/**
 * Request planner: splits one logical selection into the fewest data requests that each stay under the
 * server's cell limit (`maxDataCells`, 800 000 at SSB; over it SSB answers 400 "Too many cells selected").
 *
 * The split is a grid: each splittable variable is cut into k_i nearly equal contiguous chunks and the
 * requests are the cartesian product of the chunks. Grids keep every request a plain rectangular selection,
 * make the union exactly the input and the requests pairwise disjoint by construction, and are what R pxweb
 * does (its brute force over split factors). We search the factors depth-first with branch-and-bound, which
 * for KOSTRA shapes (a handful of variables, ≤ ~1 000 codes each) is exhaustive and takes well under a
 * millisecond; a step budget caps absurd shapes, which then get the best grid found so far.
 *
 * Time (`Tid`) and `ContentsCode` are never split — the caller marks them `splittable: false` — because a
 * request per year or per measure multiplies the request count for nothing and the 30 calls/minute limit is
 * the real bottleneck.
 *
 * Codes must be concrete category codes (read from metadata), not selection expressions like `*` or
 * `top(3)`: the planner counts and cuts lists, it cannot count an expression.
 */
import type { VariableSelection } from './types';

export interface PlanVariable {
  variableCode: string;
  codes: string[];
  splittable: boolean;
  /** Passed through to every request (e.g. the region codelist `agg_KOGkommuneregion000005402`). */
  codelist?: string;
}

/** One data request: the selection in the input variable order. */
export type PlannedRequest = VariableSelection[];

/** The chosen split, for `--dry-run` printouts and tests. */
export interface PlanShape {
  /** Chunks per variable, in input order (1 = not split). */
  factors: number[];
  /** Π factors. */
  requests: number;
  /** Cells in the largest request. */
  maxRequestCells: number;
  /** Cells in the whole (de-duplicated) selection. */
  totalCells: number;
  /** `lowerBound(...)`: no partition into selections under the limit can use fewer requests. */
  lowerBound: number;
}

/** Cells a selection asks for: the product of the number of codes per variable (empty cells count too). */
export function cellCount(selection: readonly VariableSelection[]): number {
  return selection.reduce((n, v) => n * v.valueCodes.length, 1);
}

/**
 * The fewest requests any split could reach.
 *
 * Given the variables: each request holds at most `floor(maxCells / F)` cells of the splittable variables,
 * where F is the product of the unsplittable counts, so at least `ceil(S / floor(maxCells / F))` requests are
 * needed (S = product of the splittable counts). This is ≥ the naive `ceil(total / maxCells)` and equal to it
 * when nothing is fixed; Infinity when F alone exceeds maxCells.
 *
 * Given only a total cell count: the naive `ceil(total / maxCells)` (at least 1).
 */
export function lowerBound(totalCells: number, maxCells: number): number;
export function lowerBound(variables: readonly PlanVariable[], maxCells: number): number;
export function lowerBound(input: number | readonly PlanVariable[], maxCells: number): number {
  checkMaxCells(maxCells);
  if (typeof input === 'number') return Math.max(1, Math.ceil(input / maxCells));
  const { fixed, splittable } = products(dedupe(input));
  const cap = Math.floor(maxCells / fixed);
  if (cap < 1) return Infinity;
  return Math.max(1, Math.ceil(splittable / cap));
}

/** Plans the requests for a selection. Throws when no split can get under `maxCells`. */
export function planRequests(variables: readonly PlanVariable[], maxCells: number): PlannedRequest[] {
  const vars = dedupe(variables);
  const shape = shapeOf(vars, maxCells);
  const chunks = vars.map((v, i) => chunk(v.codes, shape.factors[i]));

  const requests: PlannedRequest[] = [];
  const pick = new Array<number>(vars.length).fill(0);
  // cartesian product of the chunks, last variable fastest (the same order as JSON-stat values)
  for (;;) {
    requests.push(
      vars.map((v, i) => {
        const sel: VariableSelection = { variableCode: v.variableCode, valueCodes: chunks[i][pick[i]] };
        if (v.codelist !== undefined) sel.codelist = v.codelist;
        return sel;
      }),
    );
    let k = vars.length - 1;
    for (; k >= 0; k--) {
      if (++pick[k] < chunks[k].length) break;
      pick[k] = 0;
    }
    if (k < 0) return requests;
  }
}

/** The split `planRequests` would use, without building the requests. */
export function planShape(variables: readonly PlanVariable[], maxCells: number): PlanShape {
  return shapeOf(dedupe(variables), maxCells);
}

/** Cuts `codes` into `k` contiguous chunks whose sizes differ by at most one (bigger chunks first). */
export function chunk<T>(codes: readonly T[], k: number): T[][] {
  const out: T[][] = [];
  const base = Math.floor(codes.length / k);
  const extra = codes.length % k;
  let start = 0;
  for (let i = 0; i < k; i++) {
    const len = base + (i < extra ? 1 : 0);
    out.push(codes.slice(start, start + len));
    start += len;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------

/** Search steps before settling for the best grid found so far; realistic shapes need a few hundred. */
const SEARCH_BUDGET = 200_000;

function shapeOf(vars: PlanVariable[], maxCells: number): PlanShape {
  checkMaxCells(maxCells);
  const seenVars = new Set<string>();
  for (const v of vars) {
    if (seenVars.has(v.variableCode)) throw new Error(`planRequests: variable "${v.variableCode}" is listed twice`);
    seenVars.add(v.variableCode);
    if (v.codes.length === 0) {
      throw new Error(`planRequests: variable "${v.variableCode}" has no codes; every selected variable needs at least one`);
    }
  }
  const { fixed, total } = products(vars);
  if (fixed > maxCells) {
    const fixedVars = vars.filter((v) => !v.splittable).map((v) => `${v.variableCode} (${v.codes.length})`);
    const splitVars = vars.filter((v) => v.splittable).map((v) => v.variableCode);
    throw new Error(
      `planRequests: cannot get under ${maxCells} cells per request: the unsplittable variables ` +
        `${fixedVars.join(' × ')} alone give ${fixed} cells, even with one code of each splittable variable` +
        `${splitVars.length ? ` (${splitVars.join(', ')})` : ' (there are none)'}; select fewer years or contents`,
    );
  }
  const bound = lowerBound(vars, maxCells);
  if (total <= maxCells) {
    return { factors: vars.map(() => 1), requests: 1, maxRequestCells: total, totalCells: total, lowerBound: 1 };
  }

  // Depth-first over the split factors, biggest variable first (ties: input order), each variable's factors
  // tried from most to fewest chunks. Pruning is strict (a branch must beat the best grid so far), so of all
  // grids with the fewest requests the FIRST one found is kept: the one that splits the biggest variable the
  // most, then the next biggest, and so on — splitting the variable with the most codes is preferred.
  const order = vars
    .map((_, i) => i)
    .filter((i) => vars[i].splittable && vars[i].codes.length > 1)
    .sort((a, b) => vars[b].codes.length - vars[a].codes.length || a - b);
  const candidates = order.map((i) => factorCandidates(vars[i].codes.length).reverse());
  // remainingFrom[d] = Π codes of order[d..]
  const remainingFrom = new Array<number>(order.length + 1).fill(1);
  for (let d = order.length - 1; d >= 0; d--) remainingFrom[d] = remainingFrom[d + 1] * vars[order[d]].codes.length;

  let best: { factors: number[]; requests: number } | undefined;
  const current = vars.map(() => 1);
  let budget = SEARCH_BUDGET;

  // cellsSoFar: cells per request from the fixed variables and the chunks chosen so far; requests: Π factors
  // chosen so far.
  const search = (depth: number, cellsSoFar: number, requests: number): void => {
    // The undecided variables must still shrink the request by at least this factor, so this branch cannot
    // end with fewer than requests × need requests (the same argument as lowerBound).
    const need = Math.max(1, Math.ceil((cellsSoFar * remainingFrom[depth]) / maxCells));
    if (best && requests * need >= best.requests) return;
    if (depth === order.length) {
      best = { factors: current.slice(), requests };
      return;
    }
    const i = order[depth];
    const n = vars[i].codes.length;
    if (depth === order.length - 1) {
      // last variable: the fewest chunks that fit is the only sensible choice
      const k = Math.ceil(n / Math.floor(maxCells / cellsSoFar));
      current[i] = k;
      search(depth + 1, cellsSoFar * Math.ceil(n / k), requests * k);
      current[i] = 1;
      return;
    }
    for (const { k, size } of candidates[depth]) {
      if (cellsSoFar * size > maxCells) break; // sizes only grow from here on: nothing else fits
      if (--budget < 0 && best) break; // pathological shapes: keep the best grid found so far
      current[i] = k;
      search(depth + 1, cellsSoFar * size, requests * k);
    }
    current[i] = 1;
  };
  search(0, fixed, 1);

  if (!best) {
    // Unreachable: fixed ≤ maxCells means one code per splittable variable always fits.
    throw new Error('planRequests: no split found');
  }
  const chosen = best.factors;
  const maxRequestCells = vars.reduce((p, v, i) => p * Math.ceil(v.codes.length / chosen[i]), 1);
  return { factors: chosen, requests: best.requests, maxRequestCells, totalCells: total, lowerBound: bound };
}

/**
 * The useful chunk counts for n codes: for each achievable largest-chunk size c, the smallest k giving it
 * (k = ceil(n / c)). Other k only add requests without shrinking the largest chunk. About 2·√n values,
 * sorted by k ascending (so chunk size descending).
 */
function factorCandidates(n: number): { k: number; size: number }[] {
  const out: { k: number; size: number }[] = [];
  let lastSize = Infinity;
  for (let k = 1; k <= n; k++) {
    const size = Math.ceil(n / k);
    if (size < lastSize) {
      out.push({ k, size });
      lastSize = size;
    }
  }
  return out;
}

function products(vars: readonly PlanVariable[]): { fixed: number; splittable: number; total: number } {
  let fixed = 1;
  let splittable = 1;
  for (const v of vars) {
    if (v.splittable) splittable *= v.codes.length;
    else fixed *= v.codes.length;
  }
  return { fixed, splittable, total: fixed * splittable };
}

/** Keeps the first occurrence of each code: SSB answers 500 with an empty body when a code is repeated. */
function dedupe(variables: readonly PlanVariable[]): PlanVariable[] {
  return variables.map((v) => ({ ...v, codes: [...new Set(v.codes)] }));
}

function checkMaxCells(maxCells: number): void {
  if (!Number.isInteger(maxCells) || maxCells < 1) {
    throw new Error(`maxCells must be a positive integer, but got: ${maxCells}`);
  }
}
