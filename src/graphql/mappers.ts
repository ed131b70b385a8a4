import type { MetricDefinition } from '../../core/metrics';
import type { MunicipalityRow, PeerGroupRow, RegionRow, WarehouseSnapshot } from '../warehouse/snapshot';
import type { Municipality, PeerGroup, Region } from './types/dimension.types';
import type { Metric } from './types/metric.types';
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

export function toMetric(def: MetricDefinition): Metric {
  const f = def.formula;
  const formula = f.kind === 'ratio' ? `${f.numerator} / ${f.denominator} × ${f.scale}`
    : f.kind === 'perInhabitant' ? `${f.amount} × ${f.scale} / ${f.population}`
      : f.indicator;
  const inputs = f.kind === 'ratio' ? [f.numerator, f.denominator] : f.kind === 'perInhabitant' ? [f.amount, f.population] : [f.indicator];
  return {
    id: def.id, label: def.label, description: def.description ?? '', unit: def.unit, decimals: def.decimals,
    aggregation: def.aggregation, serviceAreaScoped: Boolean(def.serviceAreaScoped), formula, inputs,
  };
}
