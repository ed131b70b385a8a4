import { PxWebClient } from '../../etl/pxweb/client';
import { KlassClient } from '../../etl/klass/client';

/** Clients for the local stand-in with short timeouts and backoff, so fault tests run in well under a second. */
export function fastClients(urls: { url: string; klassUrl: string }, overrides: { timeoutMs?: number; maxRetries?: number; maxCalls?: number } = {}) {
  const common = { timeoutMs: overrides.timeoutMs ?? 2_000, maxRetries: overrides.maxRetries ?? 5, baseDelayMs: 5, maxDelayMs: 50, maxCalls: overrides.maxCalls ?? 1000, windowMs: 60_000 };
  return {
    source: new PxWebClient({ baseUrl: urls.url, ...common }),
    history: new KlassClient({ baseUrl: urls.klassUrl, ...common }),
  };
}
