/**
 * The synthetic dataset behind the demo data ("syntetiske demodata", NOT Statistics Norway figures): the
 * economic model, the SSB-shaped tables over it and the Klass code history, built deterministically in memory.
 * The stand-in serves it over HTTP (test/standin); `npm run demo-data` writes the bundle the product loads.
 */
import { readCuratedInputs, type CuratedInputs } from './curated';
import { buildModel, type DemoModel } from './model';
import { buildCodeChanges, buildMunicipalityCodes, LINEAGES, type CodeChange, type LineageSpec, type RegionCode } from './regions';
import { buildTables, DEMO_MARK, DEMO_SOURCE, type Layout, type TableDef } from './tables';

export interface DemoDataset {
  label: string;
  /** SSB's documented layout: what the product's demo bundle is written from */
  tables: TableDef[];
  /** every layout (tables.ts LAYOUTS) over the same model */
  layouts: Record<Layout, TableDef[]>;
  lineages: LineageSpec[];
  municipalityCodes: RegionCode[];
  codeChanges: CodeChange[];
  model: DemoModel;
  curated: CuratedInputs;
}

const datasets = new Map<string, DemoDataset>();

/** The synthetic dataset (built once per curated directory, in memory, deterministic). */
export function demoDataset(options: { curatedDir?: string } = {}): DemoDataset {
  const curated = readCuratedInputs(options.curatedDir);
  const cached = datasets.get(curated.dir);
  if (cached) return cached;
  const model = buildModel(curated);
  const layouts = buildTables(model);
  const ds: DemoDataset = {
    label: `kostra-warehouse ${DEMO_MARK} (${DEMO_SOURCE})`,
    tables: layouts.documented,
    layouts,
    lineages: LINEAGES,
    municipalityCodes: buildMunicipalityCodes(),
    codeChanges: buildCodeChanges(),
    model,
    curated,
  };
  datasets.set(curated.dir, ds);
  return ds;
}

