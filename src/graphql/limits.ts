import {
  getArgumentValues, getNamedType, getNullableType, getVariableValues, GraphQLError, isCompositeType, isInterfaceType, isListType,
  isObjectType, Kind, OperationTypeNode, SchemaMetaFieldDef, TypeMetaFieldDef, TypeNameMetaFieldDef, visit, type DocumentNode, type FragmentDefinitionNode,
  type GraphQLField, type GraphQLNamedType, type GraphQLSchema, type OperationDefinitionNode, type SelectionSetNode,
} from 'graphql';
import { shippedProduction } from '../../core/metrics';
import { MAX_COLUMNS, MAX_SUBJECTS, MAX_YEARS } from '../services/arguments';
import { MAX_FILTER_VALUES, MAX_PAGE_SIZE } from './resolvers/fact.resolver';

export const MAX_DEPTH = 12;
/** The standard introspection query (GraphiQL's docs) nests 15 levels through `ofType`; allow it, not much more. */
export const MAX_INTROSPECTION_DEPTH = 20;
export const MAX_COMPLEXITY = 5000;
export const MAX_ALIASES = 100;
/** No name, code or id in this API is near this long; longer strings are refused before any lookup. */
export const MAX_STRING_LENGTH = 1000;
/**
 * Documents longer than this are refused by the parser (Apollo's parseOptions), before graphql-js validates them:
 * validation compares same-named fields pairwise, quadratic in the document's length (the worst 2 000-token
 * documents measured validate in a few hundred milliseconds). The report's queries use under 300 tokens, GraphiQL's introspection query 163;
 * long lists belong in variables.
 */
export const MAX_TOKENS = 2000;
/** Objects and lists inside one another in the variables, the variables object included (the API's inputs need 4). */
export const MAX_VARIABLE_DEPTH = 16;
/** Selections with every fragment spread expanded where it is spread (what execution would walk). */
export const MAX_EXPANDED_SELECTIONS = 2000;

const tooDeep = (message: string) => new GraphQLError(message, { extensions: { code: 'QUERY_TOO_DEEP', http: { status: 400 } } });
const tooComplex = (message: string) => new GraphQLError(message, { extensions: { code: 'QUERY_TOO_COMPLEX', http: { status: 400 } } });
const badInput = (message: string) => new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } } });

/** What the checks need to know about an operation, with fragments expanded where they are spread. */
interface Shape {
  depth: number;
  aliases: number;
  /** Fields, fragment spreads and inline fragments, each fragment counted once per spread. */
  selections: number;
}

export interface DocumentFacts {
  operations: { name: string | null; introspectionOnly: boolean; shape: Shape }[];
  /** Selection nodes the analysis visited: at most those written, whatever the fragments (each is analysed once). */
  work: number;
}

/** Counts past this are all "far too many"; saturating keeps the arithmetic exact and finite. */
const SATURATED = 1e12;
const add = (a: number, b: number) => Math.min(SATURATED, a + b);
const shown = (n: number) => (n >= SATURATED ? `more than ${SATURATED}` : String(n));

/**
 * One pass over the document: depth, aliases and selections per operation, each fragment analysed once and its
 * result reused at every spread (walking a fragment per spread is exponential in the nesting of spreads). A spread
 * of a fragment being analysed (a cycle) or of an unknown fragment counts as nothing: validation refuses both.
 */
export function analyseDocument(document: DocumentNode): DocumentFacts {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const def of document.definitions) if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
  const done = new Map<string, Shape>();
  const active = new Set<string>();
  let work = 0;
  const empty: Shape = { depth: 0, aliases: 0, selections: 0 };

  const fragmentShape = (name: string): Shape => {
    const known = done.get(name);
    if (known) return known;
    const fragment = fragments.get(name);
    if (!fragment || active.has(name)) return empty;
    active.add(name);
    const shape = setShape(fragment.selectionSet);
    active.delete(name);
    done.set(name, shape);
    return shape;
  };

  const setShape = (set: SelectionSetNode): Shape => {
    const shape = { depth: 0, aliases: 0, selections: 0 };
    for (const sel of set.selections) {
      work++;
      shape.selections = add(shape.selections, 1);
      let inner: Shape;
      if (sel.kind === Kind.FIELD) {
        if (sel.alias) shape.aliases = add(shape.aliases, 1);
        inner = sel.selectionSet ? setShape(sel.selectionSet) : empty;
        shape.depth = Math.max(shape.depth, 1 + inner.depth);
      } else {
        inner = sel.kind === Kind.INLINE_FRAGMENT ? setShape(sel.selectionSet) : fragmentShape(sel.name.value);
        shape.depth = Math.max(shape.depth, inner.depth);
      }
      shape.aliases = add(shape.aliases, inner.aliases);
      shape.selections = add(shape.selections, inner.selections);
    }
    return shape;
  };

  const operations: DocumentFacts['operations'] = [];
  for (const def of document.definitions) {
    if (def.kind !== Kind.OPERATION_DEFINITION) continue;
    operations.push({ name: def.name?.value ?? null, introspectionOnly: isIntrospectionOnly(def), shape: setShape(def.selectionSet) });
  }
  for (const name of fragments.keys()) fragmentShape(name);
  return { operations, work };
}

function isIntrospectionOnly(def: OperationDefinitionNode): boolean {
  return def.selectionSet.selections.every((s) => s.kind === Kind.FIELD && s.name.value.startsWith('__'));
}

const analysed = new WeakMap<DocumentNode, DocumentFacts>();

/**
 * The checks that depend on the document alone, once per parsed document (Apollo reuses the document of a
 * repeated query): depth, aliases and selections with fragments expanded, and string literals.
 */
export function checkDocument(document: DocumentNode): DocumentFacts {
  const cached = analysed.get(document);
  if (cached) return cached;
  let longLiteral = false;
  visit(document, { StringValue(node) { if (node.value.length > MAX_STRING_LENGTH) longLiteral = true; } });
  if (longLiteral) throw tooLongString();
  const facts = analyseDocument(document);
  for (const op of facts.operations) {
    const limit = op.introspectionOnly ? MAX_INTROSPECTION_DEPTH : MAX_DEPTH;
    if (op.shape.depth > limit) throw tooDeep(`query is nested ${op.shape.depth} levels deep; at most ${limit} are allowed`);
    if (op.shape.selections > MAX_EXPANDED_SELECTIONS) {
      throw tooComplex(`query expands to ${shown(op.shape.selections)} selections with its fragments spread; at most ${MAX_EXPANDED_SELECTIONS} are allowed`);
    }
    if (op.shape.aliases > MAX_ALIASES) throw tooComplex(`query uses ${shown(op.shape.aliases)} aliases; at most ${MAX_ALIASES} are allowed`);
  }
  // Only documents that passed are kept: a WeakMap entry lives as long as Apollo's bounded document cache holds it.
  analysed.set(document, facts);
  return facts;
}

/**
 * Variables as sent (unused ones too), walked without recursion before anything else reads them: a JSON body of
 * 100 kB can nest 50 000 levels, which overflows any recursive reader (coercion, hashing, logging).
 */
export function checkVariables(variables: unknown): void {
  let deepest = 0;
  let longString = false;
  const stack: [unknown, number][] = [[variables, 1]];
  while (stack.length) {
    const [value, depth] = stack.pop()!;
    if (typeof value === 'string') {
      if (value.length > MAX_STRING_LENGTH) longString = true;
    } else if (value !== null && typeof value === 'object') {
      if (depth > deepest) deepest = depth;
      for (const item of Array.isArray(value) ? value : Object.values(value)) stack.push([item, depth + 1]);
    }
  }
  if (deepest > MAX_VARIABLE_DEPTH) throw badInput(`variables are nested ${deepest} levels deep; at most ${MAX_VARIABLE_DEPTH} are allowed`);
  if (longString) throw tooLongString();
}

const tooLongString = () => badInput(`a string argument is longer than ${MAX_STRING_LENGTH} characters; names, codes and ids are much shorter`);

/**
 * Rejects abusive operations before any resolver runs: the document checks (see checkDocument), string variables
 * over MAX_STRING_LENGTH, and an estimated cost over MAX_COMPLEXITY (list fields cost more).
 */
export function checkOperationLimits(schema: GraphQLSchema, document: DocumentNode, variables: Record<string, unknown>, operation?: OperationDefinitionNode): void {
  // Nothing here is cached per variables: once linear, the checks cost less than keeping what clients sent.
  checkVariables(variables);
  const facts = checkDocument(document);
  // Introspection is bounded by the depth limit and the schema's own size; the list estimator would overprice it.
  if (facts.operations.every((op) => op.introspectionOnly)) return;
  // No operation chosen (several, no operationName): execution refuses it; pricing all of them would be wasted work.
  if (!operation) return;
  const cost = operationCost(schema, document, operation, variables);
  if (cost > MAX_COMPLEXITY) throw tooComplex(`query cost ${shown(cost)} is over the limit of ${MAX_COMPLEXITY}; ask for fewer fields, subjects, years, columns or rows`);
}

/** The length assumed for a list whose length the arguments do not tell. */
export const DEFAULT_LIST_LENGTH = 10;

/** What a field's arguments tell about its cost: work done for the inputs, and the lengths of lists below it. */
interface Priced { work: number; lengths: Record<string, number> }

const count = (value: unknown, cap: number): number => (Array.isArray(value) ? Math.min(value.length, cap) : 0);
const clamp = (n: number, lo: number, hi: number) => Math.min(Math.max(n, lo), hi);

/** Years a `YearsInput` asks for; an open range is priced as the longest allowed. */
function yearCount(years: { list?: unknown; from?: unknown; to?: unknown } | undefined): number {
  if (!years) return MAX_YEARS;
  if (Array.isArray(years.list) && years.list.length) return Math.min(years.list.length, MAX_YEARS);
  if (typeof years.from === 'number' && typeof years.to === 'number') return clamp(years.to - years.from + 1, 1, MAX_YEARS);
  return MAX_YEARS;
}

/**
 * Fields whose cost grows with their input. Sizes are capped at the resolvers' limits, so an oversized input gets
 * the resolver's precise message ("at most 24 columns") rather than a cost error.
 */
const PRICES: Record<string, (args: Record<string, unknown>) => Priced> = {
  'Query.metricSeries': (args) => {
    const subjects = count(args.subjects, MAX_SUBJECTS) + (args.reference ? 1 : 0);
    const years = yearCount(args.years as Parameters<typeof yearCount>[0]);
    return { work: subjects * years, lengths: { series: subjects, points: years, years } };
  },
  'Query.peerComparison': (args) => {
    const highlighted = count(args.highlight, MAX_SUBJECTS);
    return { work: DEFAULT_LIST_LENGTH + highlighted, lengths: { highlighted } };
  },
  // Every column's subject is computed for every year asked for in any column, in each of the ~10 groupings.
  'Query.serviceAreaTable': (args) => {
    const columns = count(args.columns, MAX_COLUMNS);
    const years = Array.isArray(args.columns) ? new Set(args.columns.slice(0, MAX_COLUMNS).map((c: { year?: unknown }) => c?.year)).size : 0;
    return { work: columns * Math.max(1, years) * DEFAULT_LIST_LENGTH, lengths: { cells: columns, totals: columns } };
  },
  // Two subjects, every year, for the cost and each volume metric of every service in production.json.
  'Query.efficiencyTable': (args) => {
    const years = yearCount(args.years as Parameters<typeof yearCount>[0]);
    const production = shippedProduction();
    const metrics = production.services.reduce((n, service) => n + 1 + service.volumes.length, 0);
    return { work: 2 * years * metrics, lengths: { services: production.services.length, points: years, combined: years, years } };
  },
  // A page of facts is plain rows, each built and serialised: four rows cost what one computed value does (a page of
  // 1 000 rows with every field takes as long as a metricSeries at the cost limit).
  'Query.facts': (args) => {
    const filter = (args.filter ?? {}) as Record<string, unknown>;
    const listed = ['regions', 'indicators', 'serviceAreas', 'years'].reduce((n, k) => n + count(filter[k], MAX_FILTER_VALUES), 0);
    // An out-of-range page size never runs: price it as nothing, so the resolver's precise message reaches the client.
    const rows = typeof args.first !== 'number' ? 100 : args.first >= 1 && args.first <= MAX_PAGE_SIZE ? args.first : 0;
    return { work: Math.ceil(listed / 10), lengths: { edges: Math.ceil(rows / 4) } };
  },
  'Query.warehouseStatus': (args) => ({ work: 0, lengths: { recentLoads: typeof args.loads === 'number' ? clamp(args.loads, 0, 200) : 20 } }),
};

/**
 * The estimated cost of an operation, with the request's variables: every field costs 1 plus its children; a list
 * field costs its length × its children (at least 1 each), the length taken from the arguments where they tell it
 * (subjects, years, columns, highlight, page size) and DEFAULT_LIST_LENGTH otherwise; fields in PRICES add the
 * work their inputs cause. Fragments are walked where spread: checkDocument has bounded the expanded size.
 */
export function operationCost(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode, variables: Record<string, unknown>): number {
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables, { maxErrors: 1 });
  // Variables of the wrong type: execution refuses them with the precise BAD_USER_INPUT; there is nothing to price.
  if ('errors' in coerced && coerced.errors) return 0;
  const values = coerced.coerced;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const def of document.definitions) if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);

  const fieldOf = (type: GraphQLNamedType, name: string): GraphQLField<unknown, unknown> | undefined => {
    if (name === SchemaMetaFieldDef.name) return SchemaMetaFieldDef;
    if (name === TypeMetaFieldDef.name) return TypeMetaFieldDef;
    if (name === TypeNameMetaFieldDef.name) return TypeNameMetaFieldDef;
    return isObjectType(type) || isInterfaceType(type) ? type.getFields()[name] : undefined;
  };

  const setCost = (set: SelectionSetNode, type: GraphQLNamedType, lengths: Record<string, number>): number => {
    let total = 0;
    for (const sel of set.selections) {
      if (sel.kind === Kind.FIELD) {
        const field = fieldOf(type, sel.name.value);
        if (!field) continue; // validation has refused it
        let args: Record<string, unknown>;
        try {
          args = getArgumentValues(field, sel, values);
        } catch {
          continue; // execution reports the argument error
        }
        const priced = PRICES[`${type.name}.${field.name}`]?.(args);
        const below = priced ? { ...lengths, ...priced.lengths } : lengths;
        const namedType = getNamedType(field.type);
        const children = sel.selectionSet && isCompositeType(namedType) ? setCost(sel.selectionSet, namedType, below) : 0;
        const list = isListType(getNullableType(field.type));
        const own = list ? (lengths[field.name] ?? DEFAULT_LIST_LENGTH) * Math.max(1, children) : children;
        total = add(total, add(1 + (priced?.work ?? 0), own));
      } else {
        const set2 = sel.kind === Kind.INLINE_FRAGMENT ? sel : fragments.get(sel.name.value);
        if (!set2) continue;
        const condition = set2.typeCondition ? schema.getType(set2.typeCondition.name.value) : type;
        total = add(total, setCost(set2.selectionSet, condition ?? type, lengths));
      }
    }
    return total;
  };

  const root = operation.operation === OperationTypeNode.MUTATION ? schema.getMutationType()
    : operation.operation === OperationTypeNode.SUBSCRIPTION ? schema.getSubscriptionType() : schema.getQueryType();
  return root ? setCost(operation.selectionSet, root, {}) : 0;
}
