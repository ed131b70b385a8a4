import { expect } from 'chai';
import { computeMetric, difference, indexAgainst, type RegionYearInputs } from '../../core/metrics';
import { metric } from './helpers';

function at(values: RegionYearInputs['values'], extra: Partial<RegionYearInputs> = {}): RegionYearInputs {
  return { regionKey: '3201', year: 2024, values, ...extra };
}

describe('metrics/engine', () => {
  describe('computeMetric', () => {
    it('computes a ratio of BDI: numerator / denominator × 100', () => {
      expect(computeMetric(metric('resultatgrad'), at({ netto_driftsresultat: 500, bdi: 10000 }))).to.deep.equal({ value: 5 });
      expect(computeMetric(metric('disposisjonsfond_pct_bdi'), at({ disposisjonsfond: 2500, bdi: 10000 }))).to.deep.equal({ value: 25 });
    });

    it('computes NOK per inhabitant from 1000 NOK and the population: amount × 1000 / population', () => {
      const def = metric('netto_driftsutgifter_per_innbygger');
      const r = computeMetric(def, at({ netto_driftsutgifter_tjeneste: 2000, folkemengde: 125 }, { serviceArea: 'FGK8b' }));
      expect(r).to.deep.equal({ value: 16000 });
    });

    it('passes a base indicator through as-is, and accepts a Map with statuses', () => {
      const values = new Map([['skatt', { value: 7_654_321, status: null }]]);
      expect(computeMetric(metric('skatt'), at(values))).to.deep.equal({ value: 7_654_321 });
    });

    it('gives null naming the missing input, region, year and SSB status — never 0', () => {
      const r = computeMetric(metric('resultatgrad'), at({ netto_driftsresultat: 500, bdi: { value: null, status: '..' } }, { year: 2019 }));
      expect(r).to.deep.equal({ value: null, reason: 'no value for bdi, 3201, 2019 (SSB status ".." — not available)' });
    });

    it('names every missing input at once: absent fact, empty cell, unknown status', () => {
      const r = computeMetric(metric('resultatgrad'), at({ bdi: null }));
      expect(r.reason).to.equal('no value for netto_driftsresultat, 3201, 2024 (no fact loaded); no value for bdi, 3201, 2024 (empty cell, no status)');
      const s = computeMetric(metric('skatt'), at({ skatt: { value: null, status: 'x' } }));
      expect(s).to.deep.equal({ value: null, reason: 'no value for skatt, 3201, 2024 (SSB status "x")' });
    });

    it('names the service area of a scoped input', () => {
      const r = computeMetric(metric('netto_driftsutgifter_per_innbygger'), at({ folkemengde: 100 }, { serviceArea: 'FGK13' }));
      expect(r).to.deep.equal({ value: null, reason: 'no value for netto_driftsutgifter_tjeneste/FGK13, 3201, 2024 (no fact loaded)' });
    });

    it('gives null with a reason for a zero denominator or a non-positive population', () => {
      expect(computeMetric(metric('resultatgrad'), at({ netto_driftsresultat: 5, bdi: 0 }))).to.deep.equal({
        value: null,
        reason: 'bdi is 0 for 3201, 2024: resultatgrad = netto_driftsresultat / bdi is undefined',
      });
      expect(computeMetric(metric('frie_inntekter_per_innbygger'), at({ frie_inntekter: 5, folkemengde: 0 }))).to.deep.equal({
        value: null,
        reason: 'folkemengde is 0 for 3201, 2024: frie_inntekter_per_innbygger needs a positive population',
      });
    });

    it('treats a non-finite input as missing', () => {
      expect(computeMetric(metric('bdi'), at({ bdi: Number.NaN })).reason).to.equal('no value for bdi, 3201, 2024 (not a finite number: NaN)');
    });
  });

  describe('indexAgainst', () => {
    it('is value / reference × 100; the reference itself gives 100', () => {
      expect(indexAgainst(73, 73)).to.deep.equal({ value: 100 });
      expect(indexAgainst(3, 4)).to.deep.equal({ value: 75 });
      expect(indexAgainst({ value: 5 }, { value: 2 })).to.deep.equal({ value: 250 });
    });

    it('carries the reason of a missing value or reference, naming which', () => {
      expect(indexAgainst({ value: null, reason: 'no value for bdi, 3201, 2024 (no fact loaded)' }, null)).to.deep.equal({
        value: null,
        reason: 'value: no value for bdi, 3201, 2024 (no fact loaded); reference is missing',
      });
    });

    it('refuses a zero or negative reference', () => {
      expect(indexAgainst(1, 0)).to.deep.equal({ value: null, reason: 'reference is 0: an index against 0 is undefined' });
      expect(indexAgainst(1, -0.5)).to.deep.equal({
        value: null,
        reason: 'reference is negative (-0.5): an index against a negative reference reverses the order',
      });
    });
  });

  describe('difference', () => {
    it('is value − reference ("2,2 høyere enn gjennomsnittet")', () => {
      expect(difference(6, 2.5)).to.deep.equal({ value: 3.5 });
      expect(difference(1, { value: null, reason: 'no group value' })).to.deep.equal({ value: null, reason: 'reference: no group value' });
    });
  });

});
