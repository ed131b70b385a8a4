/**
 * Writes the demo data the product ships (etl/demo/demo-data.json.gz) from the synthetic dataset: per catalogue
 * table, what the ETL would ask SSB for — resolved against the table's metadata with the ETL's own resolution —
 * as one json-stat2 answer, the metadata restricted to those codes, and the table info; plus the Klass changes.
 * Deterministic: the same catalogue, curated files and generator give the same bundle (a test checks the
 * committed file against a fresh build).
 */
import fs from 'node:fs';
import zlib from 'node:zlib';
import { loadCatalogue } from '../../core/source-catalogue';
import { DEMO_BUNDLE_FORMAT, demoBundlePath, type DemoBundle } from '../../etl/demo';
import { resolveIndicators, resolveTable, tableMetadata } from '../../etl/resolve';
import { demoDataset, type DemoDataset } from './dataset';
import { dataDataset, demoConfig, metadataDataset, tableInfoJson } from './jsonstat';
import { DEMO_SOURCE, type ResolvedDim, type ResolvedSelection } from './tables';

const BASE_URL = 'https://demo.kostra-warehouse.invalid/api/pxwebapi/v2';
const MAX_DATA_CELLS = 800_000;

export function buildDemoBundle(dataset: DemoDataset = demoDataset()): DemoBundle {
  const { catalogue, serviceAreas } = loadCatalogue();
  const metadata = new Map(dataset.tables.map((t) => [t.id, tableMetadata(metadataDataset(t, t.defaultUpdated, 'no', BASE_URL))]));
  const resolution = resolveIndicators(catalogue, metadata);
  if (resolution.missing.length) throw new Error(`the synthetic dataset lacks indicators of the catalogue: ${resolution.missing.map((m) => `${m.key} (${m.tried.map((t) => t.problem).join('; ')})`).join(' | ')}`);
  const tables = catalogue.tables.flatMap((declaration) => {
    const t = dataset.tables.find((x) => x.id === declaration.id);
    const meta = metadata.get(declaration.id);
    const indicators = resolution.resolved.filter((i) => i.tableId === declaration.id);
    if (!t || !meta?.ok || indicators.length === 0) return []; // holds nothing the catalogue takes: not bundled
    const resolved = resolveTable(declaration, catalogue, serviceAreas, meta, indicators);
    const byVariable = new Map(resolved.variables.map((v) => [v.variableCode, v.codes]));
    const only = new Map<string, number[]>();
    const dims: ResolvedDim[] = t.dims.map((def) => {
      const codes = byVariable.get(def.code);
      if (!codes) return { def, indices: null };
      const wanted = new Set(codes);
      const indices = def.categories.flatMap((c, i) => (wanted.has(c.code) ? [i] : []));
      only.set(def.code, indices);
      return { def, indices };
    });
    const kept = (codes: string[]) => codes.filter((c) => byVariable.has(c));
    const selection: ResolvedSelection = {
      dims, stub: kept(t.stub), heading: kept(t.heading),
      cells: dims.reduce((n, d) => n * (d.indices?.length ?? 1), 1),
    };
    return [{
      info: tableInfoJson(t, t.defaultUpdated, 'no', BASE_URL),
      metadata: metadataDataset(t, t.defaultUpdated, 'no', BASE_URL, only),
      data: dataDataset(t, selection, t.defaultUpdated, 'no', BASE_URL),
    }];
  });
  return {
    format: DEMO_BUNDLE_FORMAT,
    notice: `${DEMO_SOURCE}. Synthetic demo data written by tools/demo-data (npm run demo-data); not Statistics Norway figures.`,
    config: demoConfig(MAX_DATA_CELLS),
    tables,
    klassChanges: dataset.codeChanges.map(({ oldCode, oldName, newCode, newName, changeOccurred }) => ({ oldCode, oldName, newCode, newName, changeOccurred })),
  };
}

/** The bundle as stored: JSON, gzipped (level 9; no timestamp, so the bytes depend on the content only). */
export function encodeDemoBundle(bundle: DemoBundle): Buffer {
  return zlib.gzipSync(Buffer.from(JSON.stringify(bundle)), { level: 9 });
}

/** `npm run demo-data`: writes etl/demo/demo-data.json.gz. */
if (require.main === module) {
  const file = demoBundlePath();
  const bytes = encodeDemoBundle(buildDemoBundle());
  fs.writeFileSync(file, bytes);
  process.stdout.write(`wrote ${file} (${(bytes.length / 1024).toFixed(0)} kB)\n`);
}
