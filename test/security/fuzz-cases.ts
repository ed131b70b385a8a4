/**
 * Generated GraphQL requests for the fuzz suite: operations derived from the schema (every query and mutation
 * field, their arguments and selections, so a new field is fuzzed without touching this file), filled with
 * valid, nearly valid or hostile values; and hostile shapes that no schema walk produces (fragment bombs, deep
 * brackets, alias bombs, long lists, deep variables, malformed bodies).
 */
import crypto from 'node:crypto';
import fc from 'fast-check';
import {
  getIntrospectionQuery, getNamedType, isEnumType, isInputObjectType, isListType, isNonNullType, isObjectType, isScalarType,
  type GraphQLArgument, type GraphQLField, type GraphQLInputType, type GraphQLObjectType, type GraphQLSchema,
} from 'graphql';

/** Values the demo warehouse knows, read from the API at the start of the run. */
export interface Pools {
  municipalities: string[];
  regions: string[];
  peerGroups: string[];
  metrics: string[];
  serviceAreas: string[];
  indicators: string[];
  tables: string[];
  years: number[];
}

export interface FuzzCase {
  kind: string;
  method: 'POST' | 'GET';
  /** The body as sent (POST), or the query string (GET). */
  body: string;
  headers: Record<string, string>;
}

type Mode = 'valid' | 'near' | 'hostile';

const PER_MILLE = fc.noBias(fc.integer({ min: 0, max: 999 }));

/** fast-check's imperative generator, with the few draws the builders need. */
class Draw {
  constructor(private readonly g: fc.GeneratorValue) {}
  int(min: number, max: number): number { return this.g(fc.integer, { min, max }); }
  /** Unbiased: fast-check's integers lean towards their bounds, which is what values want but not what odds want. */
  chance(p: number): boolean { return this.g(() => PER_MILLE) < p * 1000; }
  pick<T>(xs: readonly T[]): T { return xs[this.int(0, xs.length - 1)]; }
  some<T>(xs: readonly T[], max: number): T[] {
    const n = this.int(1, Math.max(1, Math.min(max, xs.length)));
    const pool = [...xs];
    return Array.from({ length: n }, () => pool.splice(this.int(0, pool.length - 1), 1)[0]).filter((x) => x !== undefined);
  }
  text(max: number): string { return this.g(fc.string, { maxLength: max, unit: this.pick(['grapheme', 'binary', 'grapheme-ascii'] as const) }); }
  /** Header values are bytes: printable ASCII only. */
  ascii(max: number): string { return this.g(fc.string, { maxLength: max, unit: 'grapheme-ascii' }).replace(/[^\x20-\x7e]/g, ''); }
}

export const SQL_PAYLOADS = [`'; DROP TABLE fact; --`, `" OR 1=1 --`, `%' UNION SELECT sql FROM sqlite_master --`, `\\'); DELETE FROM load; --`, `0219' OR '1'='1`, '%', '_', '*'];
const HOSTILE_INTS = [-2147483648, 2147483647, -1, 0, 1, 99999, -99999, 20000000, 100000000, 1000000000];
const UNICODE = ['Bærum\u0000', 'Æøå', '\u202eBærum', '𝔅ærum', 'ｂærum', 'Bæ\u0301rum', '\ud83d\ude00', ' ', '', '\n\t'];

/** A declared variable whose value the request leaves out. */
const MISSING = Symbol('missing');

/** An enum value in a literal is printed bare. */
class EnumLiteral { constructor(readonly name: string) {} }

/** GraphQL literal syntax for a generated value (wrong types included: that is the point). */
export function literal(v: unknown): string {
  if (v instanceof EnumLiteral) return v.name;
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[${v.map(literal).join(', ')}]`;
  return `{ ${Object.entries(v as Record<string, unknown>).map(([k, x]) => `${k}: ${literal(x)}`).join(', ')} }`;
}

/** Variables are JSON: an enum value is its name. */
const json = (v: unknown): unknown => (v instanceof EnumLiteral ? v.name : Array.isArray(v) ? v.map(json)
  : v !== null && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, json(x)])) : v);

function nearly(d: Draw, s: string): string {
  if (!s) return s;
  const i = d.int(0, s.length - 1);
  switch (d.int(0, 3)) {
    case 0: return s.slice(0, i) + s.slice(i + 1);
    case 1: return s.slice(0, i) + s[i] + s.slice(i);
    case 2: return s.toUpperCase();
    default: return ` ${s} `;
  }
}

/** Strings by argument name, so that valid values are valid for that argument. */
function stringFor(d: Draw, name: string, p: Pools, mode: Mode): unknown {
  if (mode === 'hostile') {
    switch (d.int(0, 5)) {
      case 0: return d.pick(SQL_PAYLOADS);
      case 1: return d.pick(UNICODE);
      case 2: return 'x'.repeat(d.int(900, 3000));
      case 3: return d.text(40);
      case 4: return d.pick([12, true, [], {}, null]); // wrong type
      default: return d.pick(p.municipalities) + d.pick(SQL_PAYLOADS);
    }
  }
  const pool = ({
    metric: p.metrics, id: p.metrics, peerGroup: p.peerGroups, serviceArea: p.serviceAreas, serviceAreas: p.serviceAreas,
    indicators: p.indicators, table: p.tables, kostraGroup: p.regions.filter((r) => r.startsWith('EKG')), region: p.regions,
    regions: [...p.regions, ...p.municipalities], municipality: p.municipalities, excluding: p.municipalities,
    highlight: p.municipalities, ref: [...p.municipalities, ...p.regions, ...p.peerGroups], search: ['Bær', 'os', 'EKG', 'skatt', ''],
    after: ['WzEsMjAyMCwiMDIxOSIsIkFMTCJd', 'bm90IGEgY3Vyc29y', ''],
  } as Record<string, string[]>)[name] ?? [...p.municipalities, ...p.metrics];
  const value = d.pick(pool.length ? pool : ['x']);
  return mode === 'near' && d.chance(0.5) ? nearly(d, value) : value;
}

function intFor(d: Draw, name: string, p: Pools, mode: Mode): unknown {
  if (mode === 'hostile') return d.chance(0.85) ? d.pick(HOSTILE_INTS) : d.pick(['2024', 2024.5, true, null]);
  const yearish = ['year', 'from', 'to', 'inflateTo', 'yearFrom', 'yearTo', 'list', 'years'].includes(name);
  if (name === 'first') return mode === 'valid' ? d.int(1, 50) : d.pick([0, 1, 1000, 1001, d.int(1, 200)]);
  if (name === 'loads') return mode === 'valid' ? d.int(0, 30) : d.pick([-1, 0, 200, 201]);
  if (yearish) return mode === 'valid' ? d.pick(p.years) : d.pick(p.years) + d.int(-6, 6);
  return d.int(-5, 50);
}

/** A value for an input type; `name` is the argument or input field it is for. */
function valueFor(d: Draw, type: GraphQLInputType, name: string, p: Pools, mode: Mode, depth = 0): unknown {
  if (isNonNullType(type)) {
    if (mode === 'hostile' && d.chance(0.1)) return null;
    return valueFor(d, type.ofType, name, p, mode, depth);
  }
  if (mode !== 'valid' && d.chance(0.05)) return null;
  if (isListType(type)) {
    if (mode === 'hostile' && d.chance(0.15)) return valueFor(d, type.ofType, name, p, mode, depth + 1); // a single value where a list is expected
    const n = mode === 'valid' ? d.int(1, 3) : d.int(0, mode === 'hostile' ? 40 : 6);
    return Array.from({ length: n }, () => valueFor(d, type.ofType, name, p, mode, depth + 1));
  }
  if (isInputObjectType(type)) {
    if (depth > 6) return {};
    const out: Record<string, unknown> = {};
    const fields = Object.values(type.getFields());
    // Inputs such as SubjectInput take one of their fields: mostly give one, sometimes several or none.
    const wanted = fields.filter((f) => isNonNullType(f.type) || d.chance(mode === 'valid' ? 0.3 : 0.5));
    if (!wanted.length && fields.length && mode === 'valid') wanted.push(d.pick(fields));
    for (const f of wanted) out[f.name] = valueFor(d, f.type, f.name, p, mode, depth + 1);
    if (mode === 'hostile' && d.chance(0.2)) out[`unknown${d.int(0, 9)}`] = 1;
    return out;
  }
  if (isEnumType(type)) {
    const values = type.getValues().map((v) => v.name);
    if (mode === 'valid' || d.chance(0.5)) return new EnumLiteral(d.pick(values));
    return mode === 'near' ? new EnumLiteral(d.pick(values).toLowerCase()) : d.pick([new EnumLiteral('NOPE'), 'WEIGHTED', 3]);
  }
  if (isScalarType(type)) {
    switch (type.name) {
      case 'Int': return intFor(d, name, p, mode);
      case 'Float': return mode === 'hostile' ? d.pick([1e308, -1e308, 0.1, '1']) : d.int(0, 100) / 10;
      case 'Boolean': return mode === 'hostile' && d.chance(0.3) ? d.pick(['true', 0, 1]) : d.chance(0.5);
      default: return stringFor(d, name, p, mode);
    }
  }
  return null;
}

/** Arguments of a field, as literals or as variables (declared with their type, or a wrong one). */
function argsFor(d: Draw, field: GraphQLField<unknown, unknown>, p: Pools, mode: Mode, vars: Map<string, { type: string; value: unknown }>): string {
  const given = field.args.filter((a: GraphQLArgument) => isNonNullType(a.type) ? !(mode === 'hostile' && d.chance(0.05)) : d.chance(0.5));
  if (mode !== 'valid' && d.chance(0.05)) given.push({ name: `bogus${d.int(0, 9)}`, type: field.args[0]?.type } as GraphQLArgument);
  const parts = given.map((a) => {
    if (!a.type) return `${a.name}: 1`;
    const value = valueFor(d, a.type, a.name, p, mode);
    if (d.chance(0.35)) {
      const name = `v${vars.size}`;
      const declared = mode === 'hostile' && d.chance(0.2) ? d.pick(['Int', 'String!', '[Int]', 'Boolean', 'NoSuchType']) : a.type.toString();
      // A variable left out, or a value of the wrong type for its declaration (2.5 for Int!, a list for String!).
      const sent = mode !== 'valid' && d.chance(0.15) ? d.pick([MISSING, 2.5, null, [], [[[]]], { a: 1 }, '2024', true]) : json(value);
      vars.set(name, { type: declared, value: sent });
      return `${a.name}: $${name}`;
    }
    return `${a.name}: ${literal(value)}`;
  });
  return parts.length ? `(${parts.join(', ')})` : '';
}

function selectionFor(d: Draw, type: GraphQLObjectType, depth: number, p: Pools, mode: Mode, vars: Map<string, { type: string; value: unknown }>): string {
  const fields = Object.values(type.getFields());
  const parts = d.some(fields, mode === 'valid' ? 4 : 6).map((f) => {
    const alias = d.chance(0.1) ? `a${d.int(0, 99)}: ` : '';
    const args = f.args.length ? argsFor(d, f, p, mode, vars) : '';
    const named = getNamedType(f.type);
    if (!isObjectType(named)) return `${alias}${f.name}${args}`;
    const inner = depth > 0 ? selectionFor(d, named, depth - 1, p, mode, vars) : '__typename';
    return `${alias}${f.name}${args} { ${inner} }`;
  });
  if (mode !== 'valid' && d.chance(0.1)) parts.push(d.pick(['unknownField', '__typename', `... on ${type.name} { __typename }`, '...Missing']));
  return parts.join(' ');
}

/** An operation over one to three root fields of the schema. */
function schemaOperation(d: Draw, schema: GraphQLSchema, p: Pools): { query: string; variables?: Record<string, unknown> } {
  const mode = d.pick(['valid', 'valid', 'near', 'hostile'] as const);
  const mutation = d.chance(0.05) && schema.getMutationType();
  const root = (mutation || schema.getQueryType())!;
  const vars = new Map<string, { type: string; value: unknown }>();
  const fields = d.some(Object.values(root.getFields()), mode === 'valid' ? 2 : 3);
  const body = fields.map((f, i) => {
    const args = argsFor(d, f, p, mode, vars);
    const named = getNamedType(f.type);
    const sel = isObjectType(named) ? ` { ${selectionFor(d, named, d.int(0, 3), p, mode, vars)} }` : '';
    return `${i > 0 ? `f${i}: ` : ''}${f.name}${args}${sel}`;
  }).join(' ');
  const decl = vars.size ? `(${[...vars].map(([n, v]) => `$${n}: ${v.type}`).join(', ')})` : '';
  const query = `${mutation ? 'mutation' : 'query'} Fuzz${decl} { ${body} }`;
  return { query, variables: vars.size ? Object.fromEntries([...vars].filter(([, v]) => v.value !== MISSING).map(([n, v]) => [n, v.value])) : undefined };
}

/**
 * Each fragment spreads the next twice, and from level `fieldsFrom` on also selects a field (issue 15's E, which
 * broke the complexity library's node limit).
 */
export function doublingFragments(levels: number, fieldsFrom: number): string {
  const defs = Array.from({ length: levels }, (_, i) => `fragment D${i} on Query { ...D${i + 1} ...D${i + 1}${i >= fieldsFrom ? ' years' : ''} }`);
  return `{ ...D0 } ${defs.join(' ')} fragment D${levels} on Query { years }`;
}

/** The series fields with a period (`from` and `to` arguments), from the schema: a new one is fuzzed too. */
function periodFields(schema: GraphQLSchema): GraphQLField<unknown, unknown>[] {
  const series = schema.getType('MetricSeries');
  if (!isObjectType(series)) throw new Error('the schema has no MetricSeries type');
  return Object.values(series.getFields()).filter((f) => ['from', 'to'].every((n) => f.args.some((a) => a.name === n)));
}

/** Each level spreads the next twice, so the expanded query doubles per level. */
export function fragmentBomb(levels: number): string {
  const defs = Array.from({ length: levels }, (_, i) => `fragment F${i} on Query { years ...F${i + 1} ...F${i + 1} }`);
  return `{ ...F0 } ${defs.join(' ')} fragment F${levels} on Query { years }`;
}

const post = (kind: string, payload: unknown, headers: Record<string, string> = {}): FuzzCase =>
  ({ kind, method: 'POST', body: JSON.stringify(payload), headers: { 'content-type': 'application/json', ...headers } });

/** Shapes no schema walk produces. */
function hostileShape(d: Draw, schema: GraphQLSchema, p: Pools): FuzzCase {
  const muni = () => ({ municipality: d.pick(p.municipalities) });
  switch (d.int(0, 19)) {
    case 0: return post('fragment bomb', { query: d.chance(0.5) ? fragmentBomb(d.int(1, 40)) : doublingFragments(d.int(1, 24), d.int(0, 24)) });
    case 1: {
      const n = d.int(10, 4000);
      return post('deep brackets', { query: `{ ${d.pick(['metrics', 'years', 'a'])} ${'{ a '.repeat(n)}${'}'.repeat(n)} }` });
    }
    case 2: return post('alias bomb', { query: `{ ${Array.from({ length: d.int(90, 400) }, (_, i) => `a${i}: ${d.pick(['years', 'metrics { id }', '__typename'])}`).join(' ')} }` });
    case 3: return post('long years list', { query: 'query($y: [Int!]) { facts(filter: { years: $y }) { totalCount } }', variables: { y: Array.from({ length: d.chance(0.9) ? d.int(1001, 40_000) : d.int(1, 1000) }, (_, i) => i % 10) } });
    case 4: return post('many subjects', { query: 'query($s: [SubjectInput!]!) { metricSeries(metric: "resultatgrad", subjects: $s, years: { list: [2023, 2024] }) { series { points { value } } } }', variables: { s: Array.from({ length: d.int(50, 600) }, muni) } });
    case 5: return post('many columns', { query: 'query($c: [ServiceAreaColumnInput!]!) { serviceAreaTable(columns: $c) { totals { value } } }', variables: { c: Array.from({ length: d.chance(0.85) ? d.int(25, 500) : d.int(1, 24) }, () => ({ subject: muni(), year: d.pick(p.years) })) } });
    case 6: {
      const n = d.int(10, 20_000);
      const deep = d.chance(0.5) ? `${'{"a":'.repeat(n)}1${'}'.repeat(n)}` : `${'['.repeat(n)}${']'.repeat(n)}`;
      const query = d.pick(['query($v: String) { regions(search: $v) { code } }', 'query($v: String!) { municipality(ref: $v) { key } }', 'query($v: [Int!]) { facts(filter: { years: $v }) { totalCount } }']);
      return { kind: 'deep variables', method: 'POST', headers: { 'content-type': 'application/json' }, body: `{"query":${JSON.stringify(query)},"variables":{"v":${deep}}}` };
    }
    case 7: return post('garbage text', { query: d.text(200) });
    case 8: {
      const raw = d.pick(['{', 'null', '[]', '{}', '"x"', '{"query": 5}', '{"query":"{ years }","variables":"x"}', '{"query":"{ years }","variables":[1]}',
        '{"query":"{ years }","operationName":5}', '{"query":"query A { years } query B { years }"}', '{"query":"query A { years }","operationName":"B"}',
        '[{"query":"{ years }"}]', '{"query":"{ years }","extensions":{"persistedQuery":{"version":1,"sha256Hash":"abc"}}}']);
      return { kind: 'malformed body', method: 'POST', body: raw, headers: { 'content-type': 'application/json' } };
    }
    case 9: {
      // Every period field of a series (any field with from and to), over huge, reversed or one-sided ranges.
      const year = () => (d.chance(0.3) ? d.pick(p.years) : d.pick(HOSTILE_INTS));
      const [a, b] = [year(), year()];
      const field = d.pick(periodFields(schema));
      const extra = field.args.some((x) => x.name === 'method') && d.chance(0.5) ? `, method: ${d.pick(['GEOMETRIC', 'MEAN_OF_YEAR_ON_YEAR'])}` : '';
      const range = d.pick([`from: ${d.pick([a, 2020])}, to: ${d.pick([b, 2024])}`, `to: ${b}`, `from: ${a}`, `list: [${a}, ${b}]`]);
      const sibling = d.chance(0.3) ? ' metric(id: "x") { id }' : '';
      return post('huge ranges', { query: `{ metricSeries(metric: ${JSON.stringify(d.pick(p.metrics))}, subjects: [{ municipality: "Bærum" }], years: { ${range} }) { years series { ${field.name}(from: ${a}, to: ${b}${extra}) { value reason } } }${sibling} }` });
    }
    case 10: return post('cyclic fragments', { query: '{ ...A } fragment A on Query { years ...B } fragment B on Query { metrics { id } ...A }' });
    case 11: return post('long string', { query: `{ municipality(ref: ${JSON.stringify(d.pick(p.municipalities).repeat(d.int(100, 5000)))}) { key } }` });
    case 12: return post('oversized body', { query: `{ years } # ${'x'.repeat(d.int(90_000, 150_000))}` });
    case 13: {
      const n = d.int(1, 30);
      return post('introspection', { query: d.chance(0.3) ? getIntrospectionQuery() : `{ __type(name: "Query") { fields { type { ${'ofType { '.repeat(n)}name${' }'.repeat(n)} } } } }` });
    }
    case 14: return post('directives', { query: `query($x: Boolean) { years @include(if: $x) metrics @skip(if: ${d.pick(['true', '$x', '"no"', '1'])}) { id } ${d.pick(['', 'regions @nope { code }'])} }`, variables: d.pick([{}, { x: true }, { x: 'yes' }]) });
    case 15: return post('admin mutation', { query: 'mutation { refreshWarehouse(force: true) { started } }' }, { authorization: d.pick(['Bearer ', 'Bearer x', `Basic ${d.ascii(20)}`, d.ascii(30)]) });
    case 17: {
      // inflateTo on every field that takes it, far outside the deflator's years.
      const year = d.chance(0.8) ? d.pick(HOSTILE_INTS) : d.pick(p.years) + d.int(-3, 3);
      const column = `{ subject: { municipality: ${JSON.stringify(d.pick(p.municipalities))} }, year: ${d.pick(p.years)} }`;
      return post('huge inflateTo', { query: d.pick([
        `{ serviceAreaTable(inflateTo: ${year}, columns: [${column}]) { inflatedTo totals { value } } }`,
        `{ metricSeries(metric: ${JSON.stringify(d.pick(p.metrics))}, inflateTo: ${year}, subjects: [{ municipality: "Bærum" }], years: { from: 2020, to: 2024 }) { series { points { value reason } } } }`,
      ]) });
    }
    case 18: {
      const query = d.pick(['{ years }', '{ metrics { id } }']);
      const sha = crypto.createHash('sha256').update(query).digest('hex');
      const persistedQuery = d.pick<unknown>([
        { version: 1, sha256Hash: 'abc' }, { version: 2, sha256Hash: sha }, { version: 1, sha256Hash: sha }, { version: 1 }, { sha256Hash: sha },
        { version: '1', sha256Hash: sha }, { version: 1, sha256Hash: 12 }, null, 'x', [], { version: 1, sha256Hash: 'f'.repeat(64) },
      ]);
      return post('persisted query', d.chance(0.5) ? { query, extensions: { persistedQuery } } : { extensions: { persistedQuery } });
    }
    case 16: return { kind: 'content type', method: 'POST', body: JSON.stringify({ query: '{ years }' }), headers: { 'content-type': d.pick(['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data']) } };
    default: {
      const op = schemaOperation(d, schema, p);
      const params = new URLSearchParams({ query: op.query, ...(op.variables ? { variables: JSON.stringify(op.variables) } : {}) });
      return { kind: 'GET', method: 'GET', body: params.toString(), headers: d.chance(0.7) ? { 'apollo-require-preflight': 'true' } : {} };
    }
  }
}

/** One request: three in four derived from the schema, one in four a hostile shape. */
export function fuzzCase(schema: GraphQLSchema, pools: Pools): fc.Arbitrary<FuzzCase> {
  return fc.gen().map((g) => {
    const d = new Draw(g);
    if (d.chance(0.25)) return hostileShape(d, schema, pools);
    const op = schemaOperation(d, schema, pools);
    return post('schema', op.variables ? op : { query: op.query });
  });
}
