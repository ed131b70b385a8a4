import { operandsOf, type MetricDefinition } from '../../core/metrics';
import type { ReconciliationRow } from '../../db/load-rows';
import type { MunicipalityRow, PeerGroupRow, RegionRow, WarehouseSnapshot } from '../warehouse/snapshot';
import type { Municipality, PeerGroup, Region } from './types/dimension.types';
import type { Disagreement, Metric, Reconciliation } from './types/metric.types';
import type { RegionKindEnum } from './types/dimension.types';

export const toRegion = (r: RegionRow): Region => ({ ...r, kind: r.kind as RegionKindEnum });

export const toMunicipality = (m: MunicipalityRow): Municipality => ({ key: m.key, name: m.name, codes: m.codes.map(toRegion) });

export const toPeerGroup = (g: PeerGroupRow, snapshot: WarehouseSnapshot): PeerGroup => ({
  ...g,
  members: g.members.map((m) => {
    const row = snapshot.municipalities.get(m.municipalityKey);
    return { ...m, municipality: row ? toMunicipality(row) : null };
  }),
});

export function toMetric(def: MetricDefinition, snapshot: WarehouseSnapshot): Metric {
  const f = def.formula;
  const formula = f.kind === 'ratio' ? `${f.numerator} / ${f.denominator} × ${f.scale}`
    : f.kind === 'perInhabitant' ? `${f.amount} × ${f.scale} / ${f.population} ${f.populationAt === 'endOfYear' ? 'at 31.12 (1 January of the next year)' : 'at 1 January of the year'}`
      : f.indicator;
  const r = snapshot.reconciliation.get(def.id);
  return {
    id: def.id, label: def.label, description: def.description, unit: def.unit, decimals: def.decimals,
    aggregation: def.aggregation, serviceAreaScoped: def.serviceAreaScoped, formula, inputs: operandsOf(f),
    publishedAs: def.publishedAs ?? null,
    reconciliation: r ? toReconciliation(r) : null,
  };
}

export function toReconciliation(r: ReconciliationRow): Reconciliation {
  return {
    metric: r.metric, published: r.published, table: r.tableId, checked: r.checked, agreed: r.agreed,
    agreementPct: r.checked ? (100 * r.agreed) / r.checked : null, notComputable: r.notComputable, tolerance: r.tolerance,
    runId: r.runId, checkedAt: r.createdAt, worst: parseDisagreements(r.worst),
  };
}

function parseDisagreements(json: string): Disagreement[] {
  const parsed: unknown = JSON.parse(json);
  if (!Array.isArray(parsed)) return [];
  return parsed.flatMap((d: Record<string, unknown>) => (typeof d.region === 'string' && typeof d.year === 'number' && typeof d.published === 'number' && typeof d.computed === 'number'
    ? [{ region: d.region, year: d.year, published: d.published, computed: d.computed, serviceArea: typeof d.serviceArea === 'string' ? d.serviceArea : null }]
    : []));
}
