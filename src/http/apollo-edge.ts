/**
 * What the HTTP edge needs from each GraphQL request, as one Apollo plugin: the ETag of a cacheable GET answer and
 * the request's figures for /metrics. It must come after the cache-control plugin, whose `Cache-Control` it reads.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { OperationTypeNode } from 'graphql';
import type { AppContext } from '../context';
import { etagMatches, operationEtag, sharedCacheable } from './etag';
import type { CacheResult, EdgeMetrics } from './metrics';

export function edgePlugin(metrics: EdgeMetrics | null): ApolloServerPlugin<AppContext> {
  return {
    async requestDidStart() {
      const started = process.hrtime.bigint();
      return {
        async willSendResponse(requestContext) {
          const { request, response, contextValue } = requestContext;
          const cacheControl = response.http.headers.get('cache-control');
          const ok = response.body.kind === 'single' && !response.body.singleResult.errors?.length;
          const cacheable = ok && sharedCacheable(cacheControl);
          // Only a GET can be answered by a cache or revalidated; a POST's validator would never be used.
          if (cacheable && request.http?.method === 'GET' && contextValue.snapshot && requestContext.queryHash) {
            const etag = operationEtag(contextValue.snapshot.version, [
              requestContext.queryHash, request.operationName ?? null, request.variables ?? {}, request.http.headers.get('accept') ?? '',
            ]);
            response.http.headers.set('etag', etag);
            // The integration still hands over the body; Express sends none with a 304.
            if (etagMatches(request.http.headers.get('if-none-match'), etag)) response.http.status = 304;
          }
          if (metrics) {
            const isQuery = requestContext.operation?.operation === OperationTypeNode.QUERY;
            const cache: CacheResult | null = !requestContext.operation ? null
              : isQuery && requestContext.metrics.responseCacheHit ? 'hit'
                : isQuery && cacheable ? 'miss' : 'bypass';
            metrics.observeRequest(requestContext.operationName, Number(process.hrtime.bigint() - started) / 1e9, cache);
          }
        },
      };
    },
  };
}
