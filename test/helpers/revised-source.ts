import type { DataSelectionBody, JsonStat2Dataset } from '../../etl/pxweb/types';
import type { CodeHistorySource, StatSource } from '../../etl/stat-source';

/**
 * A source that answers like `base` but as if SSB had revised one table: every value shifted by `delta` and a new
 * `updated`. Used to make two warehouse versions whose figures differ.
 */
export function revisedSource(base: StatSource & CodeHistorySource, tableId: string, delta: number, updated: string): StatSource & CodeHistorySource {
  return {
    kind: base.kind,
    config: () => base.config(),
    metadata: (id) => base.metadata(id),
    stats: () => base.stats(),
    changes: (from, to) => base.changes(from, to),
    async table(id) {
      const info = await base.table(id);
      return id === tableId ? { ...info, updated } : info;
    },
    async data(id: string, body: DataSelectionBody): Promise<JsonStat2Dataset> {
      const ds = await base.data(id, body);
      return id === tableId ? { ...ds, value: ds.value.map((v) => (v === null ? null : Math.round((v + delta) * 10) / 10)) } : ds;
    },
  };
}
