/**
 * PxWebApi 2 data selections, shared by the in-process demo source and the HTTP stand-in so both answer
 * identically: GET query parsing (valueCodes[VAR], codelist[VAR], bracketed expressions, heading/stub),
 * expression resolution (codes, `*` / `?` wildcards, top, bottom, from, to, range), elimination, placement and
 * the reference server's errors.
 */
import type { DataSelectionBody, VariableSelection } from '../../etl/pxweb/types';
import { PxProblemError, TITLES } from './problems';
import type { Codelist, DimDef, ResolvedDim, ResolvedSelection, TableDef } from '../../tools/demo-data/tables';

export type { ResolvedDim, ResolvedSelection };

export interface GetDataQuery {
  body: DataSelectionBody;
  outputFormat?: string;
  outputFormatParams?: string;
  lang?: string;
}

/** Splits a GET valueCodes value on commas outside brackets: `a,b,[range(1,2)]` -> ["a","b","[range(1,2)]"]. */
export function splitValueCodes(value: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of value) {
    if (ch === '[') depth++;
    if (ch === ']') depth = Math.max(0, depth - 1);
    if (ch === ',' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out.map((s) => s.trim()).filter((s) => s !== '');
}

/** Reads a GET data query (parameter names are case-insensitive) into the POST body shape. */
export function parseGetDataQuery(params: URLSearchParams): GetDataQuery {
  const selection = new Map<string, VariableSelection>();
  const item = (v: string) => {
    const key = v.toLowerCase();
    let s = selection.get(key);
    if (!s) selection.set(key, (s = { variableCode: v, valueCodes: [] }));
    return s;
  };
  const q: GetDataQuery = { body: { selection: [] } };
  let heading: string[] | undefined;
  let stub: string[] | undefined;
  for (const [rawKey, value] of params) {
    const key = rawKey.toLowerCase();
    const m = /^(valuecodes|codelist)\[(.+)\]$/.exec(key);
    if (m) {
      const variable = rawKey.slice(rawKey.indexOf('[') + 1, -1);
      if (m[1] === 'valuecodes') item(variable).valueCodes.push(...splitValueCodes(value));
      else item(variable).codelist = value;
      continue;
    }
    if (key === 'outputformat') q.outputFormat = value;
    else if (key === 'outputformatparams') q.outputFormatParams = value;
    else if (key === 'lang') q.lang = value;
    else if (key === 'heading') heading = splitValueCodes(value);
    else if (key === 'stub') stub = splitValueCodes(value);
  }
  q.body.selection = [...selection.values()];
  if (heading || stub) q.body.placement = { ...(heading ? { heading } : {}), ...(stub ? { stub } : {}) };
  return q;
}

const CALL = /^(top|bottom|from|to|range)\((.*)\)$/i;

function illegal(variable: string, expr: string): PxProblemError {
  return new PxProblemError(400, TITLES.illegalExpression, `"${expr}" is not a valid selection expression for variable ${variable}`);
}

function lookup(def: DimDef, code: string, allowed: Set<number> | null): number {
  const i = def.lowerIndex.get(code.trim().toLowerCase());
  if (i === undefined || (allowed && !allowed.has(i))) {
    throw new PxProblemError(400, TITLES.nonExistentValue, `Value ${code} does not exist for variable ${def.code}`);
  }
  return i;
}

/** Positions selected by one dimension's value codes, in metadata order, de-duplicated. */
export function resolveValueCodes(def: DimDef, valueCodes: string[], codelist?: Codelist): number[] {
  const allowedList = codelist ? codelist.codes.map((c) => def.index.get(c)!).sort((a, b) => a - b) : def.categories.map((_, i) => i);
  const allowed = codelist ? new Set(allowedList) : null;
  const n = allowedList.length;
  const isTime = def.code === 'Tid';
  const chosen = new Set<number>();
  const literals = new Set<string>();
  for (const raw of valueCodes) {
    if (typeof raw !== 'string') throw illegal(def.code, String(raw));
    let expr = raw.trim();
    if (expr.startsWith('[') && expr.endsWith(']')) expr = expr.slice(1, -1).trim();
    if (expr === '') throw illegal(def.code, raw);
    const call = CALL.exec(expr);
    if (call) {
      const fn = call[1].toLowerCase();
      const args = call[2].split(',').map((a) => a.trim());
      if (fn === 'top' || fn === 'bottom') {
        if (args.length < 1 || args.length > 2 || !args.every((a) => /^\d+$/.test(a))) throw illegal(def.code, raw);
        const count = Number(args[0]);
        const offset = args.length === 2 ? Number(args[1]) : 0;
        if (count < 1) throw illegal(def.code, raw);
        // on time: top = newest (end of the list); elsewhere top = first in metadata order
        const fromEnd = (fn === 'top') === isTime;
        for (let k = offset; k < offset + count && k < n; k++) chosen.add(allowedList[fromEnd ? n - 1 - k : k]);
        continue;
      }
      if (fn === 'from' || fn === 'to') {
        if (args.length !== 1 || args[0] === '') throw illegal(def.code, raw);
        const at = allowedList.indexOf(lookup(def, args[0], allowed));
        const [a, b] = fn === 'from' ? [at, n - 1] : [0, at];
        for (let k = a; k <= b; k++) chosen.add(allowedList[k]);
        continue;
      }
      // range
      if (args.length !== 2 || args.some((a) => a === '')) throw illegal(def.code, raw);
      const a = allowedList.indexOf(lookup(def, args[0], allowed));
      const b = allowedList.indexOf(lookup(def, args[1], allowed));
      for (let k = Math.min(a, b); k <= Math.max(a, b); k++) chosen.add(allowedList[k]);
      continue;
    }
    if (/[()[\]]/.test(expr)) throw illegal(def.code, raw);
    if (expr.includes('*') || expr.includes('?')) {
      const re = new RegExp(`^${expr.replace(/[.+^${}|\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i');
      for (const k of allowedList) if (re.test(def.categories[k].code)) chosen.add(k);
      continue;
    }
    const key = expr.toLowerCase();
    if (literals.has(key)) {
      // SSB answers 500 with an empty body when a value code is repeated
      throw new PxProblemError(500, undefined, `value code ${expr} repeated for variable ${def.code}`);
    }
    literals.add(key);
    chosen.add(lookup(def, expr, allowed));
  }
  return [...chosen].sort((a, b) => a - b);
}

/** The table's default selection (empty POST body / GET without valueCodes): newest year, every content, the first value of other mandatory variables. */
function defaultIndices(def: DimDef): number[] | null {
  if (def.elimination) return null;
  if (def.code === 'Tid') return [def.categories.length - 1];
  if (def.code === 'ContentsCode') return def.categories.map((_, i) => i);
  return [0];
}

function findDim(table: TableDef, code: string): DimDef {
  const d = table.dims.find((x) => x.code.toLowerCase() === String(code).toLowerCase());
  if (!d) throw new PxProblemError(400, TITLES.nonExistentVariable, `Variable ${code} does not exist in table ${table.id}`);
  return d;
}

export function resolveSelection(table: TableDef, body: DataSelectionBody | undefined | null, maxDataCells: number): ResolvedSelection {
  const items = body?.selection ?? [];
  if (!Array.isArray(items)) throw new PxProblemError(400, TITLES.illegalExpression, 'selection must be an array');
  const byDim = new Map<string, ResolvedDim>();
  const useDefault = items.length === 0;
  for (const item of items) {
    if (!item || typeof item !== 'object') throw new PxProblemError(400, TITLES.illegalExpression, 'every selection item needs variableCode and valueCodes');
    const def = findDim(table, item.variableCode);
    if (byDim.has(def.code)) throw new PxProblemError(400, TITLES.illegalExpression, `variable ${def.code} is selected twice`);
    let codelist: Codelist | undefined;
    if (item.codelist !== undefined && item.codelist !== null && item.codelist !== '') {
      codelist = def.codelists?.find((c) => c.id === item.codelist);
      if (!codelist) throw new PxProblemError(400, TITLES.nonExistentCodelist, `Codelist ${item.codelist} does not exist for variable ${def.code}`);
    }
    const codes = Array.isArray(item.valueCodes) ? item.valueCodes : [];
    const indices = resolveValueCodes(def, codes, codelist);
    byDim.set(def.code, { def, indices: indices.length ? indices : null, codelist });
  }
  const dims: ResolvedDim[] = table.dims.map((def) => {
    const r = byDim.get(def.code);
    if (useDefault) return { def, indices: defaultIndices(def) };
    if (r && r.indices) return r;
    if (def.elimination) return { def, indices: null };
    throw new PxProblemError(400, TITLES.missingSelection, `Variable ${def.code} must be selected (elimination is not allowed)`);
  });
  const cells = dims.reduce((p, d) => p * (d.indices ? d.indices.length : 1), 1);
  if (cells > maxDataCells) throw new PxProblemError(400, TITLES.tooManyCells, `${cells} cells selected, the maximum is ${maxDataCells}`);

  // placement: stub then heading; variables left out keep their default side; eliminated ones are dropped
  const kept = new Set(dims.filter((d) => d.indices).map((d) => d.def.code));
  const place = body?.placement;
  let stub = table.stub;
  let heading = table.heading;
  if (place && (place.stub?.length || place.heading?.length)) {
    const ps = (place.stub ?? []).map((c) => findDim(table, c).code);
    const ph = (place.heading ?? []).map((c) => findDim(table, c).code);
    const named = new Set([...ps, ...ph]);
    stub = [...ps, ...table.stub.filter((c) => !named.has(c))];
    heading = [...ph, ...table.heading.filter((c) => !named.has(c))];
  }
  const seen = new Set<string>();
  const uniq = (list: string[]) => list.filter((c) => kept.has(c) && !seen.has(c) && (seen.add(c), true));
  stub = uniq(stub);
  heading = uniq(heading);
  return { dims, stub, heading, cells };
}
