/**
 * Reconciliation: the warehouse recomputes every figure SSB also publishes — each metric declared with `publishedAs`
 * in the metric catalogue (12134's ratios and per-inhabitant figures, 12137's and 12362's amounts per inhabitant,
 * 12143's shares of BDI) — for every region, year and service area where SSB publishes it, with the same engine and
 * conventions the API uses, and compares at SSB's precision: agreement means within half a unit of the last
 * published decimal. A convention that is wrong (the population date, a code, a sign) shows as disagreement on data
 * the project did not make.
 */
import type { KlassCodeChange } from '../core/municipalities/code-history';
import {
  computeMetric, endOfYearPopulation, FactIndex, inputsFromFacts, operandsOf, populationYear, scopedOperandOf, shippedMetrics,
  type BaseFact, type MetricDefinition,
} from '../core/metrics';
import { WHOLE_MUNICIPALITY } from '../core/service-areas';
import type { Sql } from '../db/store';

export interface Disagreement {
  region: string;
  year: number;
  serviceArea: string | null;
  published: number;
  computed: number;
}

export interface ReconciliationResult {
  metric: string;
  /** The indicator holding SSB's figure. */
  published: string;
  tableId: string;
  /** The load of the published figures that was checked. */
  loadId: number | null;
  checked: number;
  agreed: number;
  /** Published figures the warehouse could not recompute (an input missing or suppressed). */
  notComputable: number;
  tolerance: number;
  /** The largest disagreements, largest first. */
  worst: Disagreement[];
}

/** How many disagreements each result keeps. */
const WORST_KEPT = 10;

export interface ReconcileOptions {
  /** Klass changes, for the 31.12 population of codes that ended that day. */
  changes: readonly KlassCodeChange[];
  /** The metric definitions to check (default: the catalogue's); a test passes a deliberately wrong convention. */
  metrics?: readonly MetricDefinition[];
}

const FACT = { region: 'string', year: 'number', area: 'string', value: 'number?', status: 'string?' } as const;

/** `sql`: the store (the ETL holds its lock, so the facts do not change meanwhile) or a read snapshot. */
export async function reconcile(sql: Sql, options: ReconcileOptions): Promise<ReconciliationResult[]> {
  const defs = options.metrics ?? shippedMetrics();
  const indicators = new Map((await sql.all({ id: 'number', key: 'string', tableId: 'string', decimals: 'number' },
    'SELECT id, key, table_id AS tableId, decimals FROM indicator', [], 'indicators')).map((i) => [i.key, i]));
  const validity = new Map((await sql.all({ code: 'string', validFrom: 'number?', validTo: 'number?' },
    'SELECT code, valid_from AS validFrom, valid_to AS validTo FROM region', [], 'regions')).map((r) => [r.code, r]));
  const validIn = (code: string, year: number) => {
    const r = validity.get(code);
    return Boolean(r && (r.validFrom === null || r.validFrom <= year) && (r.validTo === null || r.validTo >= year));
  };
  // In key order on both engines, so ties among the worst disagreements fall the same way.
  const factsOf = (indicatorId: number) => sql.all(FACT, `SELECT region_code AS region, year, service_area_code AS area, value, status
    FROM fact WHERE indicator_id = ? ORDER BY year, ${sql.binary('region_code')}, ${sql.binary('service_area_code')}`, [indicatorId], 'facts to reconcile');
  const lastLoad = async (tableId: string) => (await sql.get({ id: 'number?' }, 'SELECT last_load_id AS id FROM source_table WHERE id = ?', [tableId], 'last load'))?.id ?? null;

  const results: ReconciliationResult[] = [];
  for (const def of defs) {
    if (!def.publishedAs) continue;
    const published = indicators.get(def.publishedAs);
    const operands = operandsOf(def.formula);
    if (!published || operands.some((k) => !indicators.has(k))) continue; // not loaded: nothing to compare
    const decimals = published.decimals;
    const tolerance = 0.5 * 10 ** -decimals;
    const facts: BaseFact[] = [];
    for (const key of operands) {
      for (const f of await factsOf(indicators.get(key)?.id ?? -1)) {
        facts.push({ regionKey: f.region, year: f.year, serviceArea: f.area, indicatorKey: key, value: f.value, status: f.status });
      }
    }
    const publishedFacts = (await factsOf(published.id)).filter((f) => f.value !== null);
    const derived = endOfYearPopulations(def, facts, publishedFacts, options.changes, validIn);
    const index = new FactIndex([...facts.filter((x) => !derived.has(`${x.indicatorKey}|${x.regionKey}|${x.year}|${x.serviceArea ?? ''}`)), ...derived.values()]);
    const scoped = def.serviceAreaScoped ? scopedOperandOf(def.formula) : null;
    let checked = 0;
    let agreed = 0;
    let notComputable = 0;
    const worst: Disagreement[] = [];
    for (const p of publishedFacts) {
      const inputs = inputsFromFacts(def, index, { regionKey: p.region, year: p.year, ...(scoped ? { serviceArea: p.area } : {}) });
      const computed = computeMetric(def, inputs).value;
      if (computed === null) {
        notComputable++;
        continue;
      }
      checked++;
      const diff = Math.abs(computed - (p.value ?? 0));
      if (diff <= tolerance * (1 + 1e-9) + 1e-12) agreed++;
      else worst.push({ region: p.region, year: p.year, serviceArea: scoped ? p.area : null, published: p.value ?? 0, computed });
    }
    worst.sort((a, b) => Math.abs(b.computed - b.published) - Math.abs(a.computed - a.published));
    const loadId = await lastLoad(published.tableId);
    results.push({
      metric: def.id, published: def.publishedAs, tableId: published.tableId, loadId: typeof loadId === 'number' ? loadId : null,
      checked, agreed, notComputable, tolerance, worst: worst.slice(0, WORST_KEPT),
    });
  }
  return results;
}

/**
 * The 31.12 population of every published region code and year, as facts at the next year so the engine reads them
 * like any other: the code's own 1 January count when its territory did not change that day, its successors' after a
 * renumbering or split, none after a merger. Keyed like the 1 January facts they replace.
 */
function endOfYearPopulations(
  def: MetricDefinition, facts: readonly BaseFact[], published: readonly { region: string; year: number }[],
  changes: readonly KlassCodeChange[], validIn: (code: string, year: number) => boolean,
): Map<string, BaseFact> {
  const out = new Map<string, BaseFact>();
  const f = def.formula;
  if (f.kind !== 'perInhabitant' || f.populationAt !== 'endOfYear') return out;
  const population = new Map<string, number | null>();
  for (const x of facts) if (x.indicatorKey === f.population && x.serviceArea === WHOLE_MUNICIPALITY) population.set(`${x.regionKey}|${x.year}`, x.value);
  for (const { region, year } of published) {
    const next = populationYear(f, year);
    const id = `${f.population}|${region}|${next}|${WHOLE_MUNICIPALITY}`;
    if (out.has(id)) continue;
    const value = endOfYearPopulation(region, year, (code) => population.get(`${code}|${next}`) ?? null, changes, validIn);
    out.set(id, { regionKey: region, year: next, serviceArea: WHOLE_MUNICIPALITY, indicatorKey: f.population, value: value.value, status: null, ...(value.reason ? { reason: value.reason } : {}) });
  }
  return out;
}
