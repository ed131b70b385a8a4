import { expect } from 'chai';
import {
  aggregationModesFor,
  CatalogueError,
  loadMetricCatalogue,
  operandsOf,
  validateMetricCatalogue,
} from '../../core/metrics';
import { indicatorKeys, metric, serviceAreaIndicatorKeys } from './helpers';

const smallKeys = { indicatorKeys: new Set(['bdi', 'netto_driftsresultat', 'folkemengde']) };

function resultatgrad(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 'resultatgrad',
    label: 'Resultatgrad',
    description: 'Netto driftsresultat / BDI.',
    unit: 'percent',
    decimals: 1,
    formula: { kind: 'ratio', numerator: 'netto_driftsresultat', denominator: 'bdi', scale: 100 },
    aggregation: 'weightedRatio',
    ...overrides,
  };
}

function errorsOf(raw: unknown, options: Parameters<typeof validateMetricCatalogue>[1] = smallKeys): readonly string[] {
  try {
    validateMetricCatalogue(raw, options);
  } catch (e) {
    expect(e).to.be.instanceOf(CatalogueError);
    return (e as CatalogueError).problems;
  }
  throw new Error('expected a CatalogueError');
}

describe('metrics/catalogue', () => {
  describe('the bundled metrics.json', () => {
    it('validates against the indicator keys of core/source-catalogue/source-catalogue.json, service-area scope included', () => {
      const defs = loadMetricCatalogue({ indicatorKeys, serviceAreaIndicatorKeys });
      expect(defs.map((d) => d.id)).to.deep.equal([
        'resultatgrad',
        'resultatgrad_ssb',
        'frie_inntekter_pct_bdi',
        'skatteinntekter_pct_bdi',
        'netto_finansutgifter_pct_bdi',
        'netto_avdrag_pct_bdi',
        'brutto_investeringsutgifter_pct_bdi',
        'netto_lanegjeld_pct_bdi',
        'disposisjonsfond_pct_bdi',
        'netto_driftsutgifter_per_innbygger',
        'brutto_driftsutgifter_per_innbygger',
        'netto_driftsutgifter_tjeneste',
        'bdi_per_innbygger',
        'netto_driftsresultat_per_innbygger',
        'frie_inntekter_per_innbygger',
        'netto_lanegjeld_per_innbygger',
        'skatt',
        'frie_inntekter',
        'bdi',
        'elever_grunnskole_vektet_per_1000',
        'barn_barnehage_korrigert_per_1000',
        'legeaarsverk_per_1000',
        'sosialhjelpsmottakere_per_1000',
        'barn_barnevernstiltak_per_1000',
        'beboere_sykehjem_per_1000',
        'mottakere_hjemmetjenester_per_1000',
        'folkemengde',
      ]);
    });

    it('declares every key ratio of the report as a weighted ratio of BDI', () => {
      const expected: Record<string, string> = {
        resultatgrad: 'netto_driftsresultat',
        frie_inntekter_pct_bdi: 'frie_inntekter',
        skatteinntekter_pct_bdi: 'skatt',
        netto_finansutgifter_pct_bdi: 'netto_finansutgifter',
        netto_avdrag_pct_bdi: 'avdrag',
        brutto_investeringsutgifter_pct_bdi: 'brutto_investeringsutgifter',
        netto_lanegjeld_pct_bdi: 'netto_lanegjeld',
        disposisjonsfond_pct_bdi: 'disposisjonsfond',
      };
      for (const [id, numerator] of Object.entries(expected)) {
        const def = metric(id);
        expect(def.formula, id).to.deep.equal({ kind: 'ratio', numerator, denominator: 'bdi', scale: 100 });
        expect(def.aggregation, id).to.equal('weightedRatio');
        expect(def.unit, id).to.equal('percent');
      }
    });

    it('declares net operating expenditure per inhabitant as service-area scoped', () => {
      const def = metric('netto_driftsutgifter_per_innbygger');
      expect(def.serviceAreaScoped).to.equal(true);
      expect(def.formula).to.deep.equal({ kind: 'perInhabitant', amount: 'netto_driftsutgifter_tjeneste', population: 'folkemengde', scale: 1000, populationAt: 'endOfYear' });
      expect(def.aggregation).to.equal('perInhabitantRatio');
      expect(metric('resultatgrad').serviceAreaScoped).to.equal(false);
    });

    it('divides every per-inhabitant metric by the population at 31 December (KOSTRA), and says which SSB figure each reconciles with', () => {
      const defs = loadMetricCatalogue({ indicatorKeys, serviceAreaIndicatorKeys });
      for (const d of defs) if (d.formula.kind === 'perInhabitant') expect(d.formula.populationAt, d.id).to.equal('endOfYear');
      const published = Object.fromEntries(defs.filter((d) => d.publishedAs).map((d) => [d.id, d.publishedAs]));
      expect(published).to.include({ resultatgrad: 'resultatgrad_ssb', frie_inntekter_per_innbygger: 'frie_inntekter_per_innbygger_ssb', netto_driftsutgifter_per_innbygger: 'netto_driftsutgifter_tjeneste_per_innbygger_ssb' });
    });

    it('refuses a metric named like an indicator with another number behind it (one name, one number)', () => {
      const keys = { indicatorKeys: new Set(['resultatgrad', 'netto_driftsresultat', 'bdi']) };
      const raw = { metrics: [{ id: 'resultatgrad', label: 'r', description: 'd', unit: 'percent', decimals: 1, formula: { kind: 'ratio', numerator: 'netto_driftsresultat', denominator: 'bdi', scale: 100 }, aggregation: 'weightedRatio' }] };
      expect(errorsOf(raw, keys)).to.deep.equal(['metrics[0] (resultatgrad) -> id: "resultatgrad" is also an indicator key with another number behind it; name the metric differently or make it { kind: base, indicator: "resultatgrad" }']);
      const base = { metrics: [{ ...raw.metrics[0], formula: { kind: 'base', indicator: 'resultatgrad' }, aggregation: 'none' }] };
      expect(() => validateMetricCatalogue(base, keys)).to.not.throw();
    });
  });

  describe('validation', () => {
    it('returns the definitions, with serviceAreaScoped defaulting to false', () => {
      const defs = validateMetricCatalogue({ metrics: [resultatgrad()] }, smallKeys);
      expect(defs).to.deep.equal([{ ...resultatgrad(), serviceAreaScoped: false }]);
    });

    it('names an unknown indicator with its path, the closest key and every known key', () => {
      const raw = {
        metrics: [
          resultatgrad({ id: 'a' }),
          resultatgrad({ id: 'b' }),
          resultatgrad({ id: 'c' }),
          resultatgrad({ formula: { kind: 'ratio', numerator: 'netto_driftsresultatt', denominator: 'bdi', scale: 100 } }),
        ],
      };
      expect(errorsOf(raw)).to.deep.equal([
        'metrics[3] (resultatgrad) -> formula.numerator: unknown indicator "netto_driftsresultatt" (did you mean "netto_driftsresultat"?); known: bdi, folkemengde, netto_driftsresultat',
      ]);
    });

    it('collects every error of every metric, each with its path, into one CatalogueError', () => {
      const raw = {
        metrics: [
          resultatgrad({ unit: 'procent', decimals: 1.5 }),
          resultatgrad({ label: '', formula: { kind: 'ratio', numerator: 'skatt', denominator: 'bdi', scale: 0 } }),
          resultatgrad({ id: 'Per capita', formula: { kind: 'perCapita' } }),
          resultatgrad({ id: 'x', agregation: 'sum', formula: { kind: 'base', indicator: 'bdi', scale: 1 } }),
          resultatgrad({ id: 'y', formula: { kind: 'perInhabitant', amount: 'bdi', population: 'folkemengde', scale: 1000 }, aggregation: 'sum' }),
          42,
        ],
      };
      let caught: unknown;
      try {
        validateMetricCatalogue(raw, smallKeys);
      } catch (e) {
        caught = e;
      }
      expect(caught).to.be.instanceOf(CatalogueError);
      const err = caught as CatalogueError;
      expect(err.problems).to.deep.equal([
        'metrics[0] (resultatgrad) -> unit: must be one of percent, percentage_points, nok, nok_per_inhabitant, nok_1000, persons, per_1000_inhabitants, index, but got: "procent"',
        'metrics[0] (resultatgrad) -> decimals: must be an integer from 0 to 6, but got: 1.5',
        'metrics[1] (resultatgrad) -> id: duplicate id "resultatgrad" (first declared at metrics[0])',
        'metrics[1] (resultatgrad) -> label: must be a non-empty string, but got: ""',
        'metrics[1] (resultatgrad) -> formula.numerator: unknown indicator "skatt"; known: bdi, folkemengde, netto_driftsresultat',
        'metrics[1] (resultatgrad) -> formula.scale: must be a positive number, but got: 0',
        'metrics[2] -> id: must be a string of lower-case letters, digits and _ starting with a letter, but got: "Per capita"',
        'metrics[2] -> formula.kind: must be one of ratio, perInhabitant, base, but got: "perCapita"',
        'metrics[3] (x) -> agregation: unknown property (did you mean "aggregation"?)',
        'metrics[3] (x) -> formula.scale: unknown property',
        'metrics[4] (y) -> aggregation: "sum" does not apply to a perInhabitant formula with unit percent; allowed: perInhabitantRatio, unweightedMean, none',
        'metrics[5]: must be an object, but got: 42',
      ]);
      expect(err.message).to.equal(
        'core/metrics/metrics.json is invalid (12 problems):\n' + err.problems.map((e) => `  - ${e}`).join('\n') + '\nFix core/metrics/metrics.json and start again.',
      );
    });

    it('refuses to sum a base metric whose unit is a ratio', () => {
      const raw = { metrics: [resultatgrad({ id: 'ssb', formula: { kind: 'base', indicator: 'bdi' }, aggregation: 'sum' })] };
      expect(errorsOf(raw)).to.deep.equal([
        'metrics[0] (ssb) -> aggregation: "sum" does not apply to a base formula with unit percent; allowed: unweightedMean, none',
      ]);
    });

    it('checks service-area scope against the indicators reported per service area', () => {
      const options = {
        indicatorKeys: new Set(['bdi', 'folkemengde', 'utgift_tjeneste']),
        serviceAreaIndicatorKeys: new Set(['utgift_tjeneste']),
      };
      const perInhabitant = (id: string, amount: string, population: string, scoped?: boolean) => ({
        ...resultatgrad({ id, unit: 'nok_per_inhabitant', aggregation: 'perInhabitantRatio' }),
        formula: { kind: 'perInhabitant', amount, population, scale: 1000 },
        ...(scoped === undefined ? {} : { serviceAreaScoped: scoped }),
      });
      const raw = {
        metrics: [
          perInhabitant('ok', 'utgift_tjeneste', 'folkemengde', true),
          perInhabitant('unscoped', 'utgift_tjeneste', 'folkemengde'),
          perInhabitant('wrong_operand', 'bdi', 'folkemengde', true),
          perInhabitant('scoped_population', 'utgift_tjeneste', 'utgift_tjeneste', true),
          perInhabitant('flag', 'bdi', 'folkemengde', 'yes' as unknown as boolean),
        ],
      };
      expect(errorsOf(raw, options)).to.deep.equal([
        'metrics[1] (unscoped) -> formula.amount: "utgift_tjeneste" is reported per service area; set serviceAreaScoped: true',
        'metrics[2] (wrong_operand) -> formula.amount: serviceAreaScoped is true but "bdi" is not reported per service area',
        'metrics[3] (scoped_population) -> formula.population: "utgift_tjeneste" is reported per service area; only the first operand of a scoped metric can be',
        'metrics[4] (flag) -> serviceAreaScoped: must be true or false, but got: "yes"',
      ]);
    });

    it('rejects a catalogue that is not an object with a metrics array, and unknown top-level keys', () => {
      expect(errorsOf([])).to.deep.equal(['catalogue: must be an object with a "metrics" array, but got: []']);
      expect(errorsOf({ metric: [] })).to.deep.equal([
        'catalogue -> metric: unknown property (did you mean "metrics"?)',
        'catalogue -> metrics: must be an array, but got: nothing',
      ]);
    });
  });

  describe('aggregationModesFor and operandsOf', () => {
    it('lists the weighted mode first, and only the mean for a published ratio', () => {
      expect(aggregationModesFor(metric('resultatgrad'))).to.deep.equal(['weightedRatio', 'unweightedMean']);
      expect(aggregationModesFor(metric('netto_driftsutgifter_per_innbygger'))).to.deep.equal(['perInhabitantRatio', 'unweightedMean']);
      expect(aggregationModesFor(metric('skatt'))).to.deep.equal(['sum', 'unweightedMean']);
      expect(aggregationModesFor(metric('resultatgrad_ssb'))).to.deep.equal(['unweightedMean']);
    });

    it('lists the operands first operand first', () => {
      expect(operandsOf(metric('resultatgrad').formula)).to.deep.equal(['netto_driftsresultat', 'bdi']);
      expect(operandsOf(metric('netto_driftsutgifter_per_innbygger').formula)).to.deep.equal(['netto_driftsutgifter_tjeneste', 'folkemengde']);
      expect(operandsOf(metric('skatt').formula)).to.deep.equal(['skatt']);
    });
  });
});
