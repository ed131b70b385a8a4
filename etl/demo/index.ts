/**
 * Synthetic demo data ("syntetiske demodata", NOT Statistics Norway figures) and the in-process statistics
 * source over it. The same answers are served over HTTP by the test stand-in (test/standin/server.ts).
 *
 * The dataset mimics SSB's KOSTRA tables 12134, 12137, 12362 and the population table 07459 for the ASSS
 * municipalities and ~50 others with their real code histories, SSB's aggregates (EAK, EAKUO, EKG…) and a few
 * counties (EKA…), 2015–2024. It is calibrated so Bærum kommune's "KOSTRA analyse 2025" (2024 figures) comes
 * out of the raw cells: ratio series, the 2024 index table, rank and growth statements and the need-corrected,
 * inflation-adjusted service-area table (against the curated need index and deflator in etl/curated/).
 */
import type { CodeHistorySource, SourceStats, StatSource } from '../stat-source';
import type { DataSelectionBody, JsonStat2Dataset, KlassCodeChange, PxConfig, PxTableInfo } from '../pxweb/types';
import { DemoApi, type DemoApiOptions } from './api';

export { DemoApi, demoDataset, DEMO_MAX_DATA_CELLS, type DemoApiOptions, type DemoDataset, type PxTableList, type PxCodelist, type TableListQuery } from './api';
export { PxProblemError, TITLES } from './errors';
export { parseGetDataQuery, resolveSelection, resolveValueCodes, splitValueCodes, type GetDataQuery, type ResolvedSelection } from './selection';
export { DEMO_SOURCE, DEMO_MARK } from './tables';
export { LINEAGES, ASSS_U_OSLO_KEYS, FIRST_YEAR, LAST_YEAR, type LineageSpec } from './regions';
export { RATIO_ANCHORS, RATIO_CONCEPT, SERVICE_TARGETS, type RatioMetric } from './targets';

export interface DemoSourceOptions extends DemoApiOptions {
  /** An existing DemoApi to share (e.g. with a stand-in server). */
  api?: DemoApi;
}

export type DemoSource = StatSource & CodeHistorySource & { readonly kind: 'demo'; readonly api: DemoApi };

/**
 * The in-process demo source: answers like SSB (config with maxDataCells 800 000 and SSB's zeros for the rate
 * limit, table info, metadata, json-stat2 data with the same selection semantics and errors as the HTTP
 * stand-in — errors are thrown as PxProblemError) and like Klass for code changes.
 */
export function createDemoSource(options: DemoSourceOptions = {}): DemoSource {
  const api = options.api ?? new DemoApi(options);
  const counters: SourceStats = { requests: 0, retries: 0, dataRequests: 0 };
  const call = async <T>(f: () => T): Promise<T> => {
    counters.requests++;
    return f();
  };
  return {
    kind: 'demo',
    api,
    config: (): Promise<PxConfig> => call(() => api.config()),
    table: (tableId: string): Promise<PxTableInfo> => call(() => api.table(tableId)),
    metadata: (tableId: string): Promise<JsonStat2Dataset> => call(() => api.metadata(tableId)),
    data: (tableId: string, body: DataSelectionBody): Promise<JsonStat2Dataset> =>
      call(() => {
        const ds = api.data(tableId, body);
        counters.dataRequests++;
        return ds;
      }),
    stats: (): SourceStats => ({ ...counters }),
    changes: (fromDate: string, toDate: string): Promise<KlassCodeChange[]> =>
      call(() =>
        api.klassChanges(fromDate, toDate).codeChanges.map(({ oldCode, oldName, newCode, newName, changeOccurred }) => ({ oldCode, oldName, newCode, newName, changeOccurred })),
      ),
  };
}
