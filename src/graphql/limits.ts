import { GraphQLError, Kind, visit, type DocumentNode, type FragmentDefinitionNode, type GraphQLSchema, type SelectionSetNode } from 'graphql';
import { getComplexity, simpleEstimator } from 'graphql-query-complexity';

export const MAX_DEPTH = 12;
/** The standard introspection query (GraphiQL's docs) nests 15 levels through `ofType`; allow it, not much more. */
export const MAX_INTROSPECTION_DEPTH = 20;
export const MAX_COMPLEXITY = 5000;
export const MAX_ALIASES = 100;
/** No name, code or id in this API is near this long; longer strings are refused before any lookup. */
export const MAX_STRING_LENGTH = 1000;

function depthOf(set: SelectionSetNode | undefined, fragments: Map<string, FragmentDefinitionNode>, seen: Set<string>): number {
  if (!set) return 0;
  let max = 0;
  for (const sel of set.selections) {
    if (sel.kind === Kind.FIELD) max = Math.max(max, sel.selectionSet ? 1 + depthOf(sel.selectionSet, fragments, seen) : 1);
    else if (sel.kind === Kind.INLINE_FRAGMENT) max = Math.max(max, depthOf(sel.selectionSet, fragments, seen));
    else if (!seen.has(sel.name.value)) {
      const f = fragments.get(sel.name.value);
      if (f) max = Math.max(max, depthOf(f.selectionSet, fragments, new Set([...seen, sel.name.value])));
    }
  }
  return max;
}

function aliasCount(document: DocumentNode): number {
  let n = 0;
  const visit = (set: SelectionSetNode | undefined) => {
    for (const sel of set?.selections ?? []) {
      if (sel.kind === Kind.FIELD && sel.alias) n++;
      if ('selectionSet' in sel) visit(sel.selectionSet);
    }
  };
  for (const def of document.definitions) if ('selectionSet' in def) visit(def.selectionSet);
  return n;
}

/**
 * Rejects abusive operations before any resolver runs: nesting deeper than MAX_DEPTH, more than MAX_ALIASES
 * aliases (alias bombs), or an estimated cost over MAX_COMPLEXITY (list fields cost more).
 */
export function checkOperationLimits(schema: GraphQLSchema, document: DocumentNode, variables: Record<string, unknown>): void {
  // Apollo reuses the parsed document of a repeated query: check each (document, variables) pair once.
  const key = JSON.stringify(variables ?? {});
  const checked = passed.get(document);
  if (checked?.has(key)) return;
  checkUncached(schema, document, variables);
  if (checked) {
    if (checked.size < 100) checked.add(key);
  } else {
    passed.set(document, new Set([key]));
  }
}

const passed = new WeakMap<DocumentNode, Set<string>>();

function checkUncached(schema: GraphQLSchema, document: DocumentNode, variables: Record<string, unknown>): void {
  const fragments = new Map(document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((f) => [f.name.value, f]));
  for (const def of document.definitions) {
    if (def.kind !== Kind.OPERATION_DEFINITION) continue;
    const depth = depthOf(def.selectionSet, fragments, new Set());
    const introspection = def.selectionSet.selections.some((s) => s.kind === Kind.FIELD && s.name.value.startsWith('__'));
    const limit = introspection ? MAX_INTROSPECTION_DEPTH : MAX_DEPTH;
    if (depth > limit) {
      throw new GraphQLError(`query is nested ${depth} levels deep; at most ${limit} are allowed`, { extensions: { code: 'QUERY_TOO_DEEP', http: { status: 400 } } });
    }
  }
  const tooLong = (value: unknown): boolean =>
    typeof value === 'string' ? value.length > MAX_STRING_LENGTH
      : Array.isArray(value) ? value.some(tooLong)
        : value !== null && typeof value === 'object' ? Object.values(value).some(tooLong) : false;
  let longLiteral = false;
  visit(document, { StringValue(node) { if (node.value.length > MAX_STRING_LENGTH) longLiteral = true; } });
  if (longLiteral || tooLong(variables)) {
    throw new GraphQLError(`a string argument is longer than ${MAX_STRING_LENGTH} characters; names, codes and ids are much shorter`, { extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } } });
  }
  const aliases = aliasCount(document);
  if (aliases > MAX_ALIASES) {
    throw new GraphQLError(`query uses ${aliases} aliases; at most ${MAX_ALIASES} are allowed`, { extensions: { code: 'QUERY_TOO_COMPLEX', http: { status: 400 } } });
  }
  // Introspection is bounded by the depth limit and the schema's own size; the list estimator would overprice it.
  const introspectionOnly = document.definitions.every((d) => d.kind !== Kind.OPERATION_DEFINITION ||
    d.selectionSet.selections.every((s) => s.kind === Kind.FIELD && s.name.value.startsWith('__')));
  if (introspectionOnly) return;
  const cost = getComplexity({ schema, query: document, variables, estimators: [listAwareEstimator, simpleEstimator({ defaultComplexity: 1 })] });
  if (cost > MAX_COMPLEXITY) {
    throw new GraphQLError(`query cost ${cost} is over the limit of ${MAX_COMPLEXITY}; ask for fewer fields, subjects or pages`, { extensions: { code: 'QUERY_TOO_COMPLEX', http: { status: 400 } } });
  }
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
