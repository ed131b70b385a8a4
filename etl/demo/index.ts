/**
 * The bundled demo data: synthetic figures ("syntetiske demodata", NOT Statistics Norway's) in the shape of SSB's
 * KOSTRA tables, committed as `demo-data.json.gz` and loaded through the same normalize → load path as SSB's
 * answers. The file is data, not a model: it holds, per table, the table info, the metadata and one json-stat2
 * answer covering everything the source catalogue asks for, and the Klass code changes. It is written by
 * `npm run demo-data` (tools/demo-data, which also calibrates it to the report); a test checks it is up to date.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { projectRoot } from '../../core/paths';
import type { KlassCodeChange } from '../../core/municipalities/code-history';
import type { CodeHistorySource, SourceStats, StatSource } from '../stat-source';
import type { DataSelectionBody, JsonStat2Dataset, PxConfig, PxTableInfo } from '../pxweb/types';
import { sliceDataset } from './slice';

export const DEMO_BUNDLE_FORMAT = 'kostra-warehouse demo bundle 1';

export interface DemoBundleTable {
  info: PxTableInfo;
  /** `/metadata`: the table's dimensions, restricted to the codes the bundle holds. */
  metadata: JsonStat2Dataset;
  /** One `/data` answer covering every code of the metadata's selected variables. */
  data: JsonStat2Dataset;
}

export interface DemoBundle {
  format: typeof DEMO_BUNDLE_FORMAT;
  notice: string;
  config: PxConfig;
  tables: DemoBundleTable[];
  klassChanges: KlassCodeChange[];
}

export function demoBundlePath(): string {
  return path.join(projectRoot(), 'etl', 'demo', 'demo-data.json.gz');
}

let cached: DemoBundle | undefined;

/** The committed bundle, read and checked once per process. */
export function readDemoBundle(file = demoBundlePath()): DemoBundle {
  if (cached && file === demoBundlePath()) return cached;
  let bundle: unknown;
  try {
    bundle = JSON.parse(zlib.gunzipSync(fs.readFileSync(file)).toString('utf8'));
  } catch (error) {
    throw new Error(`the demo data ${file} cannot be read (${(error as Error).message}); run \`npm run demo-data\` to write it again`);
  }
  const b = bundle as Partial<DemoBundle> | null;
  if (!b || b.format !== DEMO_BUNDLE_FORMAT || !Array.isArray(b.tables) || !Array.isArray(b.klassChanges) || !b.config) {
    throw new Error(`${file} is not a ${DEMO_BUNDLE_FORMAT} file; run \`npm run demo-data\` to write it again`);
  }
  if (file === demoBundlePath()) cached = b as DemoBundle;
  return b as DemoBundle;
}

export type DemoSource = StatSource & CodeHistorySource & { readonly kind: 'demo' };

/**
 * The bundle as a statistics source: `/config`, table info and metadata as stored, and data requests answered
 * from the stored answer (the requested codes cut out of it, as SSB would return them). Klass changes likewise.
 */
export function createDemoSource(bundle: DemoBundle = readDemoBundle()): DemoSource {
  const tables = new Map(bundle.tables.map((t) => [t.info.id.toLowerCase(), t]));
  const counters: SourceStats = { requests: 0, retries: 0, dataRequests: 0 };
  const find = (tableId: string): DemoBundleTable => {
    const t = tables.get(tableId.toLowerCase());
    if (!t) throw new Error(`table ${tableId} is not in the demo data (it has ${bundle.tables.map((x) => x.info.id).join(', ')})`);
    return t;
  };
  const call = <T>(f: () => T): Promise<T> => {
    counters.requests++;
    return Promise.resolve().then(f);
  };
  return {
    kind: 'demo',
    config: () => call(() => bundle.config),
    table: (tableId: string) => call(() => find(tableId).info),
    metadata: (tableId: string) => call(() => find(tableId).metadata),
    data: (tableId: string, body: DataSelectionBody) => call(() => {
      const answer = sliceDataset(find(tableId).data, body.selection ?? []);
      counters.dataRequests++;
      return answer;
    }),
    stats: () => ({ ...counters }),
    changes: (fromDate: string, toDate: string) => call(() => bundle.klassChanges.filter((c) => c.changeOccurred >= fromDate && c.changeOccurred < toDate)),
  };
}
