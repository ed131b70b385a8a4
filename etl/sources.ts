import type { AppConfig } from '../core/config';
import type { Logger } from '../core/log';
import type { CodeHistorySource, StatSource } from './stat-source';
import { PxWebClient } from './pxweb/client';
import { KlassClient } from './klass/client';
import { createDemoSource } from './demo';

export type SourceKind = 'live' | 'demo';

export type SourceSettings = Pick<AppConfig, 'ssbApiUrl' | 'klassApiUrl'> & Partial<Pick<AppConfig, 'ssbCallsPerMinute'>>;

/**
 * The statistics source and municipality code history for a run: SSB's APIs (SSB_API_URL, KLASS_API_URL) or the
 * bundled synthetic demo data, which answers through the same interface in-process.
 */
export function createSources(kind: SourceKind, settings: SourceSettings, options: { log?: Logger } = {}): { source: StatSource; history: CodeHistorySource } {
  if (kind === 'demo') {
    const demo = createDemoSource();
    return { source: demo, history: demo };
  }
  return {
    source: new PxWebClient({ baseUrl: settings.ssbApiUrl, log: options.log, maxCalls: settings.ssbCallsPerMinute }),
    history: new KlassClient({ baseUrl: settings.klassApiUrl, log: options.log, maxCalls: settings.ssbCallsPerMinute }),
  };
}
