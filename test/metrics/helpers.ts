/** Shared test fixtures: the real indicator keys of core/source-catalogue/source-catalogue.json and the bundled metrics. */
import { readFileSync } from 'fs';
import { resolve } from 'path';
import { indexMetrics, loadMetricCatalogue, type MetricDefinition } from '../../core/metrics';

interface EtlCatalogue {
  tables: { serviceAreaVariable?: string; indicators: { key: string }[] }[];
}

/** The repository root, from dist/test/metrics or test/metrics. */
const root = resolve(__dirname, __dirname.split(/[\\/]/).includes('dist') ? '../../..' : '../..');
const etl = JSON.parse(readFileSync(resolve(root, 'core/source-catalogue/source-catalogue.json'), 'utf8')) as EtlCatalogue;

export const indicatorKeys: ReadonlySet<string> = new Set(etl.tables.flatMap((t) => t.indicators.map((i) => i.key)));
export const serviceAreaIndicatorKeys: ReadonlySet<string> = new Set(
  etl.tables.filter((t) => t.serviceAreaVariable !== undefined).flatMap((t) => t.indicators.map((i) => i.key)),
);

const defs = indexMetrics(loadMetricCatalogue({ indicatorKeys, serviceAreaIndicatorKeys }));

export function metric(id: string): MetricDefinition {
  const def = defs.get(id);
  if (!def) throw new Error(`no metric "${id}" in the bundled catalogue`);
  return def;
}
