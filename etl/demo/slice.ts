import type { JsonStat2Dataset, JsonStatDimension, VariableSelection } from '../pxweb/types';

/**
 * The part of a stored json-stat2 answer that a selection asks for: the same dimensions, each restricted to the
 * selected codes (kept in the stored order, as SSB keeps metadata order), values and statuses gathered. Only
 * plain code lists are understood — what the request planner sends — and every variable of the answer must be
 * selected with codes it holds; anything else is an error naming the variable and the code.
 */
export function sliceDataset(stored: JsonStat2Dataset, selection: readonly VariableSelection[]): JsonStat2Dataset {
  const wanted = new Map(selection.map((s) => [s.variableCode.toLowerCase(), s]));
  for (const s of selection) {
    if (!stored.id.some((id) => id.toLowerCase() === s.variableCode.toLowerCase())) {
      throw new Error(`the demo data has no variable ${s.variableCode} (it has ${stored.id.join(', ')})`);
    }
  }
  const picks = stored.id.map((id) => {
    const dim = stored.dimension[id];
    const index = indexOf(dim);
    const sel = wanted.get(id.toLowerCase());
    if (!sel) throw new Error(`the request selects nothing for ${id}; the demo data answers explicit code lists for every variable`);
    const asked = new Set(sel.valueCodes);
    for (const code of asked) {
      if (!(code in index)) throw new Error(`the demo data has no ${id} code "${code}"`);
    }
    const positions = Object.entries(index).filter(([code]) => asked.has(code)).sort((a, b) => a[1] - b[1]).map(([, p]) => p);
    return { id, dim, positions };
  });

  const size = picks.map((p) => p.positions.length);
  const strides = new Array<number>(stored.size.length);
  for (let k = stored.size.length - 1, s = 1; k >= 0; k--) {
    strides[k] = s;
    s *= stored.size[k];
  }
  const n = size.reduce((a, b) => a * b, 1);
  const value: (number | null)[] = new Array<number | null>(n);
  const status: Record<string, string> = {};
  const source = stored.value;
  const pos = new Array<number>(size.length).fill(0);
  for (let flat = 0; flat < n; flat++) {
    let from = 0;
    for (let k = 0; k < size.length; k++) from += picks[k].positions[pos[k]] * strides[k];
    value[flat] = source[from] ?? null;
    const symbol = statusAt(stored, from);
    if (symbol !== undefined) status[String(flat)] = symbol;
    for (let k = size.length - 1; k >= 0; k--) {
      if (++pos[k] < size[k]) break;
      pos[k] = 0;
    }
  }

  const dimension: Record<string, JsonStatDimension> = {};
  for (const p of picks) {
    const codes = Object.entries(indexOf(p.dim)).sort((a, b) => a[1] - b[1]).map(([c]) => c);
    const kept = p.positions.map((i) => codes[i]);
    const keep = <T>(m: Record<string, T> | undefined) => (m ? Object.fromEntries(kept.filter((c) => c in m).map((c) => [c, m[c]])) : undefined);
    dimension[p.id] = {
      ...p.dim,
      category: {
        ...p.dim.category,
        index: Object.fromEntries(kept.map((c, i) => [c, i])),
        ...(p.dim.category.label ? { label: keep(p.dim.category.label) } : {}),
        ...(p.dim.category.unit ? { unit: keep(p.dim.category.unit) } : {}),
      },
    };
  }
  const answer: JsonStat2Dataset = { ...stored, size, dimension, value };
  delete answer.status;
  if (Object.keys(status).length) answer.status = status;
  return answer;
}

/** `category.index` as code -> position (JSON-stat also allows an array of codes). */
function indexOf(dim: JsonStatDimension): Record<string, number> {
  const index = dim.category.index;
  return Array.isArray(index) ? Object.fromEntries(index.map((c, i) => [c, i])) : index;
}

function statusAt(ds: JsonStat2Dataset, flat: number): string | undefined {
  const status = ds.status;
  if (!status) return undefined;
  const symbol = Array.isArray(status) ? status[flat] : status[String(flat)];
  return symbol ?? undefined;
}
