import { expect } from 'chai';
import {
  CatalogueError, combinedEfficiency, efficiencyIndex, serviceEfficiency, shippedMetrics, shippedProduction, validateProductionCatalogue,
  weightedVolume, type MetricDefinition,
} from '../../core/metrics';
import { loadServiceAreas } from '../../core/service-areas';
import { indicatorKeys, loadCatalogue } from '../../core/source-catalogue';
import bundledProduction from '../../core/metrics/production.json';

const metrics = new Map<string, MetricDefinition>(shippedMetrics().map((m) => [m.id, m]));
const groupings = new Set(loadServiceAreas().groupings.map((g) => g.id));

function problemsOf(raw: unknown): string[] {
  try {
    validateProductionCatalogue(raw, { metrics, groupings });
  } catch (e) {
    expect(e).to.be.instanceOf(CatalogueError);
    return [...(e as CatalogueError).problems];
  }
  throw new Error('expected a CatalogueError');
}

describe('metrics/efficiency', () => {
  describe('the production catalogue (core/metrics/production.json)', () => {
    it('declares the report\'s six services, each volume a per-1000-inhabitants metric of a catalogue indicator', () => {
      const cat = shippedProduction();
      expect(cat.services.map((s) => s.grouping)).to.deep.equal(['grunnskole', 'barnehage', 'kommunehelse', 'sosiale_tjenester', 'barnevern', 'pleie_omsorg']);
      expect(cat.cost).to.equal('brutto_driftsutgifter_per_innbygger');
      const keys = indicatorKeys(loadCatalogue().catalogue);
      for (const v of cat.services.flatMap((s) => s.volumes)) {
        const def = metrics.get(v.metric)!;
        expect(def.unit, v.metric).to.equal('per_1000_inhabitants');
        expect(def.formula.kind === 'perInhabitant' && keys.has(def.formula.amount), v.metric).to.equal(true);
      }
    });

    it('collects every problem with its path: unknown metrics and groupings, a scoped volume, a cost not per service area, a grouping twice', () => {
      const raw = {
        cost: 'resultatgrad',
        services: [
          { grouping: 'grunnskole', volumes: [{ metric: 'elever_grunnskole_vektet_per_1000', weight: 1 }, { metric: 'elever_grunnskole_vektet_per_1000', weight: 2 }] },
          { grouping: 'skole', volumes: [{ metric: 'netto_driftsutgifter_per_innbygger', weight: 1 }] },
          { grouping: 'grunnskole', volumes: [{ metric: 'pupils', weight: 1 }] },
        ],
      };
      const problems = problemsOf(raw);
      expect(problems).to.have.length(6);
      expect(problems[0]).to.equal('cost: "resultatgrad" must be a perInhabitant metric with serviceAreaScoped: true (expenditure of the service\'s functions per inhabitant)');
      expect(problems[1]).to.equal('services[0] (grunnskole).volumes[1].metric: "elever_grunnskole_vektet_per_1000" is listed twice');
      expect(problems[2]).to.match(/^services\[1\] \(skole\)\.grouping: unknown grouping; known: grunnskole, /);
      expect(problems[3]).to.equal('services[1] (skole).volumes[0].metric: "netto_driftsutgifter_per_innbygger" must be a perInhabitant metric of the whole municipality (not per service area)');
      expect(problems[4]).to.equal('services[2] (grunnskole).grouping: "grunnskole" is already services[0]');
      expect(problems[5]).to.match(/^services\[2\] \(grunnskole\)\.volumes\[0\]\.metric: unknown metric "pupils"; known: /);
    });

    it('refuses a service whose volumes do not share one population and scale (their weighted sum would mean nothing)', () => {
      const beboere = metrics.get('beboere_sykehjem_per_1000')!;
      if (beboere.formula.kind !== 'perInhabitant') throw new Error('beboere_sykehjem_per_1000 is a perInhabitant metric');
      const perInhabitant: MetricDefinition = { ...beboere, id: 'beboere_sykehjem_per_innbygger', formula: { ...beboere.formula, scale: 1 } };
      const startOfYear: MetricDefinition = { ...beboere, id: 'beboere_sykehjem_1_januar', formula: { ...beboere.formula, populationAt: 'startOfYear' } };
      const withOdd = new Map([...metrics, [perInhabitant.id, perInhabitant], [startOfYear.id, startOfYear]]);
      const raw = { cost: bundledProduction.cost, services: [{ grouping: 'pleie_omsorg', volumes: [
        { metric: 'mottakere_hjemmetjenester_per_1000', weight: 1 }, { metric: perInhabitant.id, weight: 5 }, { metric: startOfYear.id, weight: 5 },
      ] }] };
      let problems: string[] = [];
      try { validateProductionCatalogue(raw, { metrics: withOdd, groupings }); } catch (e) { problems = [...(e as CatalogueError).problems]; }
      expect(problems).to.deep.equal([
        'services[0] (pleie_omsorg).volumes[1].metric: "beboere_sykehjem_per_innbygger" counts 1 per folkemengde (endOfYear), but "mottakere_hjemmetjenester_per_1000" counts 1000 per folkemengde (endOfYear); a service\'s volumes must share their population and scale to be added up',
        'services[0] (pleie_omsorg).volumes[2].metric: "beboere_sykehjem_1_januar" counts 1000 per folkemengde (startOfYear), but "mottakere_hjemmetjenester_per_1000" counts 1000 per folkemengde (endOfYear); a service\'s volumes must share their population and scale to be added up',
      ]);
    });

    it('refuses a weight that is not positive and unknown keys, by schema', () => {
      const raw = { ...bundledProduction, servcies: [], services: [{ grouping: 'grunnskole', volumes: [{ metric: 'elever_grunnskole_vektet_per_1000', weight: 0 }] }] };
      const problems = problemsOf(raw).join('\n');
      expect(problems).to.match(/servcies/);
      expect(problems).to.match(/services\.0\.volumes\.0\.weight|services\[0\]\.volumes\[0\]\.weight/);
    });
  });

  describe('the indices', () => {
    it('weights volumes: Σ weight × volume per inhabitant, null naming every missing volume', () => {
      expect(weightedVolume([{ metric: 'a', weight: 5, value: 7 }, { metric: 'b', weight: 1, value: 30 }])).to.deep.equal({ value: 65 });
      expect(weightedVolume([{ metric: 'a', weight: 5, value: { value: null, reason: 'no value for x' } }, { metric: 'b', weight: 1, value: null }]))
        .to.deep.equal({ value: null, reason: 'a: no value for x; b is missing' });
      expect(weightedVolume([]).value).to.equal(null);
    });

    it('efficiency = production index / cost index × 100; null for a missing or non-positive cost index', () => {
      expect(efficiencyIndex(112.5, 78)).to.deep.equal({ value: (112.5 * 100) / 78 });
      expect(efficiencyIndex(100, 0)).to.deep.equal({ value: null, reason: 'cost index is 0: an index against 0 is undefined' });
      expect(efficiencyIndex(100, -4)).to.deep.equal({ value: null, reason: 'cost index is negative (-4): an index against a negative cost index reverses the order' });
      expect(efficiencyIndex(null, 100)).to.deep.equal({ value: null, reason: 'production index is missing' });
    });

    it('a service against its reference: the efficiency is the reference\'s unit cost over the subject\'s', () => {
      // subject: 30 units per 1000 at 6000 kr per inhabitant (200 kr a unit); reference: 25 at 6250 (250 kr a unit)
      const f = serviceEfficiency({ id: 's', production: { value: 30, reference: 25 }, cost: { value: 6000, reference: 6250 } });
      expect(f.productionIndex.value).to.be.closeTo(120, 1e-12);
      expect(f.costIndex.value).to.be.closeTo(96, 1e-12);
      expect(f.efficiency.value).to.be.closeTo(125, 1e-12); // 250 / 200 × 100
    });

    it('combined: weights are the reference\'s cost shares, so the combined cost index is total cost against the reference\'s total', () => {
      const services = [
        { id: 'a', production: { value: 30, reference: 25 }, cost: { value: 6000, reference: 6250 } },
        { id: 'b', production: { value: 10, reference: 12 }, cost: { value: 3000, reference: 2000 } },
      ].map((s) => ({ ...s, ...serviceEfficiency(s) }));
      const c = combinedEfficiency(services);
      expect(c.weights.map((w) => w.weight)).to.deep.equal([6250 / 8250, 2000 / 8250]);
      expect(c.costIndex.value).to.be.closeTo(((6000 + 3000) / (6250 + 2000)) * 100, 1e-9);
      expect(c.productionIndex.value).to.be.closeTo((6250 / 8250) * 120 + (2000 / 8250) * ((10 / 12) * 100), 1e-9);
      expect(c.efficiency.value).to.be.closeTo(((c.productionIndex.value as number) / (c.costIndex.value as number)) * 100, 1e-12);
    });

    it('combined: one service without figures makes every combined figure null, naming it (no silent smaller basket)', () => {
      const services = [
        { id: 'a', production: { value: 30, reference: 25 }, cost: { value: 6000, reference: 6250 } },
        { id: 'b', production: { value: null, reference: 12 }, cost: { value: 3000, reference: 2000 } },
      ].map((s) => ({ ...s, ...serviceEfficiency(s) }));
      const c = combinedEfficiency(services);
      expect(c.efficiency.value).to.equal(null);
      expect(c.productionIndex.reason).to.equal('b: production index: value is missing');
      expect(c.weights).to.deep.equal([{ id: 'a', weight: null }, { id: 'b', weight: null }]);
    });
  });
});
