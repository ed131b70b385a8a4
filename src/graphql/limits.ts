import {
  GraphQLError, Kind, visit, type DocumentNode, type FragmentDefinitionNode, type GraphQLSchema, type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { getComplexity, simpleEstimator } from 'graphql-query-complexity';

export const MAX_DEPTH = 12;
/** The standard introspection query (GraphiQL's docs) nests 15 levels through `ofType`; allow it, not much more. */
export const MAX_INTROSPECTION_DEPTH = 20;
export const MAX_COMPLEXITY = 5000;
export const MAX_ALIASES = 100;
/** No name, code or id in this API is near this long; longer strings are refused before any lookup. */
export const MAX_STRING_LENGTH = 1000;
/**
 * Documents longer than this are refused by the parser (Apollo's parseOptions), before graphql-js validates them:
 * validation compares same-named fields pairwise, quadratic in the document's length (2 000 tokens validate in
 * well under a second at worst). The report's queries use under 300 tokens, GraphiQL's introspection query 163;
 * long lists belong in variables.
 */
export const MAX_TOKENS = 2000;
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

const tooLongString = () => badInput(`a string argument is longer than ${MAX_STRING_LENGTH} characters; names, codes and ids are much shorter`);

/**
 * Rejects abusive operations before any resolver runs: the document checks (see checkDocument), string variables
 * over MAX_STRING_LENGTH, and an estimated cost over MAX_COMPLEXITY (list fields cost more).
 */
export function checkOperationLimits(schema: GraphQLSchema, document: DocumentNode, variables: Record<string, unknown>, operation?: OperationDefinitionNode): void {
  // Nothing here is cached per variables: once linear, the checks cost less than keeping what clients sent.
  const facts = checkDocument(document);
  const tooLong = (value: unknown): boolean =>
    typeof value === 'string' ? value.length > MAX_STRING_LENGTH
      : Array.isArray(value) ? value.some(tooLong)
        : value !== null && typeof value === 'object' ? Object.values(value).some(tooLong) : false;
  if (tooLong(variables)) throw tooLongString();
  // Introspection is bounded by the depth limit and the schema's own size; the list estimator would overprice it.
  if (facts.operations.every((op) => op.introspectionOnly)) return;
  // No operation chosen (several, no operationName): execution refuses it; pricing all of them would be wasted work.
  if (!operation) return;
  const cost = getComplexity({ schema, query: document, variables, operationName: operation.name?.value, estimators: [listAwareEstimator, simpleEstimator({ defaultComplexity: 1 })] });
  if (cost > MAX_COMPLEXITY) throw tooComplex(`query cost ${cost} is over the limit of ${MAX_COMPLEXITY}; ask for fewer fields, subjects or pages`);
}

/** Fields returning lists cost 10 × their children; `first` on a connection costs first / 10 × its children. */
function listAwareEstimator(options: { type: unknown; field: { type: { toString(): string } }; args: Record<string, unknown>; childComplexity: number }): number | void {
  const typeName = options.field.type.toString();
  // Capped at the page-size limit so an oversized `first` gets the resolver's precise message, not a cost error.
  const first = typeof options.args.first === 'number' ? Math.min(Math.max(options.args.first, 1), 1000) : undefined;
  if (first !== undefined) return 1 + Math.ceil(first / 10) * Math.max(1, options.childComplexity);
  // A connection's edges are the page `first` already paid for.
  if ((options.field as { name?: string }).name === 'edges') return 1 + options.childComplexity;
  if (typeName.startsWith('[')) return 1 + 10 * Math.max(1, options.childComplexity);
  return undefined;
}
