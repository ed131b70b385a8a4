/**
 * How long an answer may be cached, decided once per operation from its root fields, instead of Apollo's
 * cache-control plugin, which runs a hook for every resolved field (thousands on a 1 000-row page) to reach the same
 * answer: every field below the root is warehouse data that changes only with the warehouse version, so only the root
 * fields can differ. A root field declares a shorter life with `@Extensions({ cacheMaxAge: 0 })` (warehouseStatus:
 * running loads change it without a new version); mutations are never cached.
 *
 * The policy feeds the whole-response cache (overallCachePolicy) and the `Cache-Control` header, which is set exactly
 * as Apollo's plugin sets it (`max-age=N, public`, or `no-store` when not cacheable or when the answer has errors).
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { Kind, OperationTypeNode, type DocumentNode, type GraphQLSchema, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';

export const CACHE_MAX_AGE_EXTENSION = 'cacheMaxAge';

export function cachePolicyPlugin<TContext extends object>(schema: GraphQLSchema, defaultMaxAge: number): ApolloServerPlugin<TContext> {
  const queryFields = schema.getQueryType()?.getFields() ?? {};
  const maxAgeOf = (field: string): number => {
    const declared = queryFields[field]?.extensions?.[CACHE_MAX_AGE_EXTENSION];
    return typeof declared === 'number' ? declared : defaultMaxAge;
  };
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operation, overallCachePolicy }) {
          if (!operation) return;
          const maxAge = operationMaxAge(document, operation, maxAgeOf);
          if (maxAge > 0) overallCachePolicy.replace({ maxAge, scope: 'PUBLIC' });
        },
        async willSendResponse({ response, overallCachePolicy }) {
          const cacheable = overallCachePolicy.policyIfCacheable();
          const ok = response.body.kind === 'single' && !response.body.singleResult.errors;
          response.http.headers.set('cache-control', cacheable && ok ? `max-age=${cacheable.maxAge}, ${cacheable.scope.toLowerCase()}` : 'no-store');
        },
      };
    },
  };
}

/** The shortest life among an operation's root fields (fragments included, each visited once); 0 for mutations. */
export function operationMaxAge(document: DocumentNode, operation: OperationDefinitionNode, maxAgeOf: (rootField: string) => number): number {
  if (operation.operation !== OperationTypeNode.QUERY) return 0;
  const fragments = new Map(document.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d.selectionSet] as const] : [])));
  const seen = new Set<string>();
  let maxAge = Infinity;
  const visit = (set: SelectionSetNode) => {
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) maxAge = Math.min(maxAge, maxAgeOf(selection.name.value));
      else if (selection.kind === Kind.INLINE_FRAGMENT) visit(selection.selectionSet);
      else if (!seen.has(selection.name.value)) {
        seen.add(selection.name.value);
        const fragment = fragments.get(selection.name.value);
        if (fragment) visit(fragment);
      }
    }
  };
  visit(operation.selectionSet);
  return Number.isFinite(maxAge) ? maxAge : 0;
}
