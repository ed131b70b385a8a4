import type { Logger } from './log';
import type { CodeHistorySource, StatSource } from './stat-source';
import { PxWebClient } from './pxweb/client';
import { KlassClient } from './klass/client';
import { createDemoSource } from './demo';

export type SourceKind = 'live' | 'demo';

/**
 * The statistics source and municipality code history for a run: SSB's APIs (SSB_API_URL, KLASS_API_URL) or the
 * bundled synthetic demo data, which answers through the same interface in-process.
 */
export function createSources(kind: SourceKind, options: { log?: Logger } = {}): { source: StatSource; history: CodeHistorySource } {
  if (kind === 'demo') {
    const demo = createDemoSource();
    return { source: demo, history: demo };
  }
  return { source: new PxWebClient({ log: options.log }), history: new KlassClient({ log: options.log }) };
}
