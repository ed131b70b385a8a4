import { expect } from 'chai';
import {
  averageAnnualGrowth,
  changePercentagePoints,
  periodAverage,
  type Series,
  yearOnYearChangePct,
} from '../../core/metrics';

// Tax income (1000 NOK): +19.4 % in 2021, −7.5 % in 2023, as in the report's statement on Bærum.
const skatt: Series = [
  { year: 2020, value: 1000 },
  { year: 2021, value: 1194 },
  { year: 2022, value: 1194 },
  { year: 2023, value: 1104.45 },
];

describe('metrics/series', () => {
  describe('yearOnYearChangePct', () => {
    it('is (v_t − v_{t−1}) / v_{t−1} × 100 for every year after the first', () => {
      const r = yearOnYearChangePct(skatt);
      expect(r.map((p) => p.year)).to.deep.equal([2021, 2022, 2023]);
      expect(r[0]).to.deep.equal({ year: 2021, value: 19.4 });
      expect(r[1]).to.deep.equal({ year: 2022, value: 0 });
      expect(r[2].value).to.be.closeTo(-7.5, 1e-12);
    });

    it('gives null with a reason for a missing year, a gap, or a zero or negative base', () => {
      const r = yearOnYearChangePct([
        { year: 2019, value: -5 },
        { year: 2020, value: 0 },
        { year: 2021, value: 4 },
        { year: 2022, value: null, reason: 'no value for skatt, 3201, 2022 (no fact loaded)' },
        { year: 2024, value: 3 },
      ]);
      expect(r).to.deep.equal([
        { year: 2020, value: null, reason: 'value for 2019 is negative (-5): a percentage change from a negative value is not meaningful' },
        { year: 2021, value: null, reason: 'value for 2020 is 0: a percentage change from 0 is undefined' },
        { year: 2022, value: null, reason: '2022: no value for skatt, 3201, 2022 (no fact loaded)' },
        { year: 2024, value: null, reason: 'no value for 2023 in the series' },
      ]);
    });
  });

  describe('changePercentagePoints', () => {
    it('is v_to − v_from ("falt med 3,5 og 5,1 prosentpoeng siden 2021")', () => {
      const landet: Series = [
        { year: 2021, value: 4.25 },
        { year: 2024, value: 0.75 },
      ];
      expect(changePercentagePoints(landet, 2021, 2024)).to.deep.equal({ value: -3.5 });
      expect(changePercentagePoints(landet, 2024, 2021)).to.deep.equal({ value: 3.5 });
    });

    it('names the missing year', () => {
      expect(changePercentagePoints([{ year: 2024, value: 25 }], 2020, 2024)).to.deep.equal({ value: null, reason: 'no value for 2020 in the series' });
    });
  });

  describe('periodAverage', () => {
    it('is the mean of the yearly values (of the yearly ratios, for a ratio)', () => {
      const share: Series = [
        { year: 2020, value: 57 },
        { year: 2021, value: 62 },
        { year: 2022, value: 69 },
        { year: 2023, value: 62 },
        { year: 2024, value: 58 },
      ];
      expect(periodAverage(share, 2021, 2024)).to.deep.equal({ value: 62.75 });
      expect(periodAverage(share, 2022, 2022)).to.deep.equal({ value: 69 });
    });

    it('needs every year of the period', () => {
      expect(periodAverage([{ year: 2021, value: 1 }, { year: 2023, value: 3 }], 2021, 2023)).to.deep.equal({
        value: null,
        reason: 'no value for 2022 in the series',
      });
      expect(() => periodAverage([], 2024, 2021)).to.throw('periodAverage: fromYear must be an integer not after toYear, but got: 2024–2021');
    });
  });

  describe('averageAnnualGrowth', () => {
    it('is geometric: ((v_to / v_from)^(1/(to − from)) − 1) × 100', () => {
      const s: Series = [
        { year: 2020, value: 100 },
        { year: 2021, value: 150 },
        { year: 2022, value: 121 },
      ];
      expect(averageAnnualGrowth(s, 2020, 2022).value).to.be.closeTo(10, 1e-12);
      expect(averageAnnualGrowth(s, 2020, 2021).value).to.be.closeTo(50, 1e-12);
    });

    it('can be the arithmetic mean of the year-on-year changes instead', () => {
      const s: Series = [
        { year: 2020, value: 100 },
        { year: 2021, value: 150 },
        { year: 2022, value: 120 },
      ];
      expect(averageAnnualGrowth(s, 2020, 2022, { method: 'meanOfYearOnYear' })).to.deep.equal({ value: 15 }); // (50 − 20) / 2
    });

    it('gives null with a reason when an end value is missing or not positive', () => {
      const s: Series = [
        { year: 2020, value: -2 },
        { year: 2024, value: 0 },
      ];
      expect(averageAnnualGrowth(s, 2020, 2024)).to.deep.equal({
        value: null,
        reason: 'value for 2020 is -2, value for 2024 is 0: geometric growth needs positive values',
      });
      expect(averageAnnualGrowth([{ year: 2020, value: 1 }], 2020, 2024)).to.deep.equal({ value: null, reason: 'no value for 2024 in the series' });
      expect(() => averageAnnualGrowth(s, 2024, 2024)).to.throw('averageAnnualGrowth: fromYear must be an integer before toYear, but got: 2024–2024');
    });
  });
});
