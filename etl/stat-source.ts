import type { DataSelectionBody, JsonStat2Dataset, KlassCodeChange, PxConfig, PxTableInfo } from './pxweb/types';

/**
 * What the loader needs from a statistics source. The PxWebApi 2 HTTP client implements it for SSB (or the
 * test stand-in); the in-process demo source implements it over the bundled synthetic data. The loader never
 * knows which one it talks to, so demo and live loads run through exactly the same code.
 */
export interface StatSource {
  /** A short name for logs and load records: `live` or `demo`. */
  readonly kind: 'live' | 'demo';
  config(): Promise<PxConfig>;
  table(tableId: string): Promise<PxTableInfo>;
  metadata(tableId: string): Promise<JsonStat2Dataset>;
  data(tableId: string, body: DataSelectionBody): Promise<JsonStat2Dataset>;
  /** Counters since creation, for load records. */
  stats(): SourceStats;
}

export interface SourceStats {
  /** HTTP requests sent (every attempt, including retries). */
  requests: number;
  /** Attempts that were retried after a transient failure. */
  retries: number;
  /** Data requests that succeeded. */
  dataRequests: number;
}

/** Municipality code history (Klass classification 131). */
export interface CodeHistorySource {
  changes(fromDate: string, toDate: string): Promise<KlassCodeChange[]>;
}
