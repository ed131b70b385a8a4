import { expect } from 'chai';
import { inflationAdjust, needCorrected } from '../../core/metrics';

const deflator = new Map([
  [2023, 0.05],
  [2024, 0.04],
]);

describe('metrics/corrections', () => {
  describe('needCorrected', () => {
    it('is value / need index (national average = 1.00)', () => {
      expect(needCorrected(16000, 1.25)).to.deep.equal({ value: 12800 });
      expect(needCorrected({ value: 9000 }, 0.9)).to.deep.equal({ value: 10000 });
    });

    it('gives null with a reason for a missing or non-positive index', () => {
      expect(needCorrected(16000, null)).to.deep.equal({ value: null, reason: 'need index is missing' });
      expect(needCorrected(16000, 0)).to.deep.equal({ value: null, reason: 'need index is 0: it must be positive' });
    });
  });

  describe('inflationAdjust', () => {
    it('inflates a year-Y value to year B by Π (1 + d_t) for t = Y+1..B', () => {
      expect(inflationAdjust(1000, 2022, 2024, deflator)).to.deep.equal({ value: 1092, factor: 1.092 });
      expect(inflationAdjust(1000, 2023, 2024, { 2024: 0.04 })).to.deep.equal({ value: 1040, factor: 1.04 });
    });

    it('deflates backwards by division, and leaves the same year alone', () => {
      const r = inflationAdjust(1092, 2024, 2022, deflator);
      expect(r.value).to.be.closeTo(1000, 1e-9);
      expect(r.factor).to.be.closeTo(1 / 1.092, 1e-15);
      expect(inflationAdjust(500, 2024, 2024, new Map())).to.deep.equal({ value: 500, factor: 1 });
    });

    it('names every year without a deflator, and refuses a deflator given in percent', () => {
      expect(inflationAdjust(1000, 2020, 2024, deflator)).to.deep.equal({ value: null, reason: 'no deflator for 2021, 2022' });
      expect(inflationAdjust(1000, 2023, 2024, { 2024: 4.5 })).to.deep.equal({
        value: null,
        reason: 'deflator for 2024 is 4.5: expected a fraction (0.045 for 4.5 %)',
      });
      expect(inflationAdjust({ value: null, reason: 'no value for x' }, 2023, 2024, deflator)).to.deep.equal({ value: null, reason: 'value: no value for x' });
    });
  });
});
