import { expect } from 'chai';
import {
  aggregateGroup,
  computeMetric,
  indexAgainst,
  needCorrectedGroup,
  type RegionYearInputs,
  roundTo,
  shareOfTotal,
} from '../../core/metrics';
import { metric } from './helpers';

function member(regionKey: string, values: RegionYearInputs['values']): RegionYearInputs {
  return { regionKey, year: 2024, values };
}

// A big member with a low result and a small member with a high one.
const big = member('big', { netto_driftsresultat: 50, bdi: 1000 }); // 5 %
const small = member('small', { netto_driftsresultat: 3, bdi: 10 }); // 30 %
const mid = member('mid', { netto_driftsresultat: 20, bdi: 500 }); // 4 %

describe('metrics/aggregate', () => {
  describe('aggregateGroup', () => {
    it('weights by size: Σ numerator / Σ denominator differs from the mean of the members’ ratios', () => {
      const def = metric('resultatgrad');
      const weighted = aggregateGroup(def, [big, small]);
      const mean = aggregateGroup(def, [big, small], { mode: 'unweightedMean' });
      expect(weighted.mode).to.equal('weightedRatio');
      expect(weighted.value).to.be.closeTo(5.247524752475248, 1e-12); // 53 / 1010 × 100
      expect(weighted.numerator).to.equal(53);
      expect(weighted.denominator).to.equal(1010);
      expect(mean.value).to.equal(17.5); // (5 + 30) / 2: the small member weighs as much as the big one
      expect(mean.value).to.not.equal(weighted.value);
      expect(mean).to.not.have.property('numerator');
    });

    it('excludes one member on request ("excluding self", KS’s ASSS convention)', () => {
      const def = metric('resultatgrad');
      const all = aggregateGroup(def, [big, small, mid]);
      const others = aggregateGroup(def, [big, small, mid], { excludeMember: 'big' });
      expect(all.value).to.equal(7300 / 1510);
      expect(others).to.deep.include({ excluded: 'big', members: ['small', 'mid'], numerator: 23, denominator: 510 });
      expect(others.value).to.be.closeTo(4.509803921568627, 1e-12);
      expect(aggregateGroup(def, [big, small, mid], { excludeMember: 'small', mode: 'unweightedMean' }).value).to.equal(4.5);
    });

    it('excluding a region that is not a member changes nothing', () => {
      const r = aggregateGroup(metric('resultatgrad'), [big, mid], { excludeMember: '0301' });
      expect(r).to.deep.include({ excluded: null, members: ['big', 'mid'], numerator: 70, denominator: 1500 });
    });

    it('gives null when a member lacks an input, naming it — a big member is never dropped silently', () => {
      const lacking = member('3201', { netto_driftsresultat: 50, bdi: { value: null, status: ':' } });
      const r = aggregateGroup(metric('resultatgrad'), [lacking, small, mid]);
      expect(r).to.deep.equal({
        value: null,
        mode: 'weightedRatio',
        members: [],
        excluded: null,
        partial: false,
        lackingInputs: [{ regionKey: '3201', reason: 'no value for bdi, 3201, 2024 (SSB status ":" — suppressed for confidentiality)' }],
        reason: '1 of 3 members lack inputs for resultatgrad: no value for bdi, 3201, 2024 (SSB status ":" — suppressed for confidentiality)',
      });
    });

    it('with allowPartial drops members that lack inputs and says so', () => {
      const lacking = member('3201', { netto_driftsresultat: 50 });
      const r = aggregateGroup(metric('resultatgrad'), [lacking, small, mid], { allowPartial: true });
      expect(r).to.deep.equal({
        value: 2300 / 510,
        mode: 'weightedRatio',
        members: ['small', 'mid'],
        excluded: null,
        partial: true,
        lackingInputs: [{ regionKey: '3201', reason: 'no value for bdi, 3201, 2024 (no fact loaded)' }],
        numerator: 23,
        denominator: 510,
      });
    });

    it('in unweightedMean a member whose own ratio is undefined lacks inputs', () => {
      const zero = member('zero', { netto_driftsresultat: 1, bdi: 0 });
      const r = aggregateGroup(metric('resultatgrad'), [zero, mid], { mode: 'unweightedMean' });
      expect(r.value).to.equal(null);
      expect(r.reason).to.equal('1 of 2 members lack inputs for resultatgrad: bdi is 0 for zero, 2024: resultatgrad = netto_driftsresultat / bdi is undefined');
    });

    it('gives null when the group’s denominator sums to 0 or the group is empty', () => {
      const z1 = member('a', { netto_driftsresultat: 1, bdi: 0 });
      const z2 = member('b', { netto_driftsresultat: 1, bdi: 0 });
      expect(aggregateGroup(metric('resultatgrad'), [z1, z2]).reason).to.equal(
        'bdi is 0 for the group (2 members): resultatgrad = netto_driftsresultat / bdi is undefined',
      );
      expect(aggregateGroup(metric('resultatgrad'), [big], { excludeMember: 'big' }).reason).to.equal('the group has no members once big is excluded');
    });

    it('per inhabitant: Σ amount × 1000 / Σ population', () => {
      const def = metric('netto_driftsutgifter_per_innbygger');
      const a = { regionKey: 'a', year: 2024, serviceArea: 'FGK7', values: { netto_driftsutgifter_tjeneste: 1000, folkemengde: 100 } };
      const b = { regionKey: 'b', year: 2024, serviceArea: 'FGK7', values: { netto_driftsutgifter_tjeneste: 3000, folkemengde: 200 } };
      const r = aggregateGroup(def, [a, b]);
      expect(r).to.deep.include({ mode: 'perInhabitantRatio', numerator: 4000, denominator: 300 });
      expect(r.value).to.be.closeTo(13333.333333333334, 1e-9);
      expect(aggregateGroup(def, [a, b], { mode: 'unweightedMean' }).value).to.equal(12500); // (10000 + 15000) / 2
    });

    it('sums a base amount, or averages it on request', () => {
      const a = member('a', { skatt: 100 });
      const b = member('b', { skatt: 250 });
      expect(aggregateGroup(metric('skatt'), [a, b])).to.deep.include({ value: 350, mode: 'sum', members: ['a', 'b'] });
      expect(aggregateGroup(metric('skatt'), [a, b], { mode: 'unweightedMean' }).value).to.equal(175);
    });

    it('gives null for a metric that declares no group aggregate, unless a mode is asked for', () => {
      const a = member('a', { resultatgrad_ssb: 2 });
      const b = member('b', { resultatgrad_ssb: 5 });
      expect(aggregateGroup(metric('resultatgrad_ssb'), [a, b])).to.deep.equal({
        value: null,
        mode: 'none',
        members: [],
        excluded: null,
        lackingInputs: [],
        partial: false,
        reason:
          'metric "resultatgrad_ssb" declares no group aggregate (aggregation "none"); pass mode "unweightedMean" explicitly, or use a metric recomputed from amounts',
      });
      expect(aggregateGroup(metric('resultatgrad_ssb'), [a, b], { mode: 'unweightedMean' }).value).to.equal(3.5);
    });

    it('throws on a mode that does not apply to the metric, and on a member given twice', () => {
      expect(() => aggregateGroup(metric('resultatgrad'), [big], { mode: 'sum' })).to.throw(
        'aggregation "sum" does not apply to metric "resultatgrad" (ratio, unit percent); available: weightedRatio, unweightedMean',
      );
      expect(() => aggregateGroup(metric('resultatgrad'), [big, big])).to.throw('group member "big" appears twice');
    });

    it('the group value indexes to 100 and members index against it', () => {
      const def = metric('resultatgrad');
      const group = aggregateGroup(def, [big, mid]); // 70 / 1500 × 100
      expect(indexAgainst(group, group)).to.deep.equal({ value: 100 });
      expect(indexAgainst(computeMetric(def, big), group).value).to.be.closeTo(107.14285714285714, 1e-9); // 5 / (70 / 15)
    });
  });

  describe('needCorrectedGroup', () => {
    it('is Σ amount × 1000 / Σ (population × need index)', () => {
      const def = metric('netto_driftsutgifter_per_innbygger');
      const a = { regionKey: 'a', year: 2024, serviceArea: 'FGK8b', values: { netto_driftsutgifter_tjeneste: 1000, folkemengde: 100 } };
      const b = { regionKey: 'b', year: 2024, serviceArea: 'FGK8b', values: { netto_driftsutgifter_tjeneste: 3000, folkemengde: 200 } };
      const r = needCorrectedGroup(def, [a, b], { a: 1.5, b: 0.25 });
      expect(r).to.deep.include({ value: 20000, numerator: 4000, denominator: 200, mode: 'perInhabitantRatio' });
      expect(needCorrectedGroup(def, [a, b], new Map([['a', 1.5]]), { excludeMember: 'b' }).value).to.equal(10000 / 1.5);
    });

    it('names a member without a need index, and refuses a metric that is not per inhabitant', () => {
      const def = metric('netto_driftsutgifter_per_innbygger');
      const a = { regionKey: 'a', year: 2023, values: { netto_driftsutgifter_tjeneste: 1000, folkemengde: 100 } };
      expect(needCorrectedGroup(def, [a], {}).reason).to.equal('1 of 1 members lack inputs for netto_driftsutgifter_per_innbygger: no need index for a, 2023');
      expect(needCorrectedGroup(def, [a], { a: 0 }).reason).to.equal(
        '1 of 1 members lack inputs for netto_driftsutgifter_per_innbygger: need index for a, 2023 is 0: it must be positive',
      );
      expect(() => needCorrectedGroup(metric('resultatgrad'), [a], {})).to.throw('needCorrectedGroup needs a perInhabitant metric, but "resultatgrad" is ratio');
    });
  });

  describe('shareOfTotal', () => {
    // Bærum 2024, NOK per inhabitant corrected for need and inflation (the report's service-area table).
    const baerum2024 = [
      { id: 'grunnskole', value: 16797 },
      { id: 'pleie_omsorg', value: 28851 },
      { id: 'barnevern', value: 2224 },
      { id: 'barnehage', value: 10860 },
      { id: 'kommunehelse', value: 4537 },
      { id: 'sosiale_tjenester', value: 4329 },
      { id: 'kultur_idrett', value: 3751 },
      { id: 'plan_miljo', value: 1438 },
      { id: 'adm_styring', value: 6608 },
      { id: 'andre_omrader' },
      { id: 'brann', parent: 'andre_omrader', value: 969 },
      { id: 'kommunale_boliger', parent: 'andre_omrader', value: 615 },
      { id: 'samferdsel', parent: 'andre_omrader', value: 1387 },
      { id: 'naering', parent: 'andre_omrader', value: 377 },
      { id: 'landbruk', parent: 'andre_omrader', value: 664 },
      { id: 'kirke', parent: 'andre_omrader', value: 722 },
    ];

    it('reproduces the report: a parent is the sum of its children, children stay out of the total', () => {
      const r = shareOfTotal(baerum2024);
      expect(r.total).to.deep.equal({ value: 84129 });
      const andre = r.items.find((i) => i.id === 'andre_omrader');
      expect(andre?.value).to.deep.equal({ value: 4734 });
      const published = [20.0, 34.3, 2.6, 12.9, 5.4, 5.1, 4.5, 1.7, 7.9, 5.6];
      expect(r.items.slice(0, 10).map((i) => roundTo(i.share.value as number, 1))).to.deep.equal(published);
      expect(r.items.find((i) => i.id === 'brann')).to.deep.equal({
        id: 'brann',
        parent: 'andre_omrader',
        value: { value: 969 },
        share: { value: 96900 / 84129 },
      });
    });

    it('gives every share null when a top-level value is missing, naming it', () => {
      const r = shareOfTotal([
        { id: 'a', value: 3 },
        { id: 'b', value: { value: null, reason: 'no value for netto_driftsutgifter_tjeneste/FGK13, 3201, 2024 (no fact loaded)' } },
        { id: 'c' },
        { id: 'c1', parent: 'c', value: 1 },
        { id: 'c2', parent: 'c', value: null },
      ]);
      expect(r.total).to.deep.equal({
        value: null,
        reason: 'b: no value for netto_driftsutgifter_tjeneste/FGK13, 3201, 2024 (no fact loaded); c2 is missing',
      });
      expect(r.items[0].share).to.deep.equal({
        value: null,
        reason: 'total: b: no value for netto_driftsutgifter_tjeneste/FGK13, 3201, 2024 (no fact loaded); c2 is missing',
      });
      expect(r.items[2].value).to.deep.equal({ value: null, reason: 'c2 is missing' });
    });

    it('shares of a simple total, negative items included', () => {
      const r = shareOfTotal([
        { id: 'a', value: 30 },
        { id: 'b', value: 80 },
        { id: 'c', value: -10 },
      ]);
      expect(r.items.map((i) => i.share.value)).to.deep.equal([30, 80, -10]);
    });

    it('throws on an unknown parent or a child of a child', () => {
      expect(() => shareOfTotal([{ id: 'a', parent: 'x', value: 1 }])).to.throw('shareOfTotal: item "a" has unknown parent "x"');
      expect(() =>
        shareOfTotal([
          { id: 'a', value: 1 },
          { id: 'b', parent: 'a', value: 1 },
          { id: 'c', parent: 'b', value: 1 },
        ]),
      ).to.throw('shareOfTotal: item "c" has parent "b", which is itself a child: one level only');
    });
  });
});
