/** Shared test fixtures: the real indicator keys of the source catalogue and the bundled metrics. */
import { indexMetrics, shippedMetrics, type MetricDefinition } from '../../core/metrics';
import { indicatorKeys as keysOf, loadCatalogue, serviceAreaIndicatorKeys as scopedKeysOf } from '../../core/source-catalogue';

const { catalogue } = loadCatalogue();
export const indicatorKeys: ReadonlySet<string> = keysOf(catalogue);
export const serviceAreaIndicatorKeys: ReadonlySet<string> = scopedKeysOf(catalogue);

const defs = indexMetrics(shippedMetrics());

export function metric(id: string): MetricDefinition {
  const def = defs.get(id);
  if (!def) throw new Error(`no metric "${id}" in the bundled catalogue`);
  return def;
}
