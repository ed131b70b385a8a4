/**
 * Statements of Bærum's KOSTRA analysis 2025, recomputed with the engine from the published (rounded) figures of
 * /work/shared/data. They check that each kind of statement is a composition of engine functions, not that the
 * rounded inputs reproduce every published decimal.
 */
import { expect } from 'chai';
import {
  aggregateGroup,
  changePercentagePoints,
  computeMetric,
  difference,
  indexAgainst,
  inflationAdjust,
  needCorrected,
  rankInGroup,
  roundTo,
  type Series,
} from '../../core/metrics';
import { metric } from './helpers';

const series = (values: Record<number, number>): Series => Object.entries(values).map(([year, value]) => ({ year: Number(year), value }));

describe('metrics: the report’s statements', () => {
  it('"resultatgraden for landet og snittet i ASSS har falt med henholdsvis 3,5 og 5,1 prosentpoeng siden 2021"', () => {
    const landet = series({ 2021: 4.3, 2022: 3.0, 2023: 3.0, 2024: 0.8 });
    const asss = series({ 2021: 5.2, 2022: 2.8, 2023: 1.6, 2024: 0.1 });
    expect(roundTo(changePercentagePoints(landet, 2021, 2024).value as number, 1)).to.equal(-3.5);
    expect(roundTo(changePercentagePoints(asss, 2021, 2024).value as number, 1)).to.equal(-5.1);
  });

  it('"netto driftsresultat på 2,3 prosent som var 2,2 høyere enn gjennomsnittet"', () => {
    expect(roundTo(difference(2.3, 0.1).value as number, 1)).to.equal(2.2);
  });

  it('"fondsgraden er 6 prosentpoeng lavere enn i 2020" and "en nedgang på tre prosentpoeng fra året før"', () => {
    const fond = series({ 2020: 31, 2021: 31, 2022: 29, 2023: 28, 2024: 25 });
    expect(changePercentagePoints(fond, 2020, 2024)).to.deep.equal({ value: -6 });
    expect(changePercentagePoints(fond, 2023, 2024)).to.deep.equal({ value: -3 });
  });

  it('the index table: a member against the weighted group average, and the highest and lowest member', () => {
    const def = metric('frie_inntekter_pct_bdi');
    const members = [
      { regionKey: 'baerum', year: 2024, values: { frie_inntekter: 730, bdi: 1000 } },
      { regionKey: 'asker', year: 2024, values: { frie_inntekter: 365, bdi: 500 } },
      { regionKey: 'bergen', year: 2024, values: { frie_inntekter: 1280, bdi: 2000 } },
    ];
    const group = aggregateGroup(def, members); // 2375 / 3500 = 67.857… %
    const ranking = rankInGroup(members.map((m) => ({ key: m.regionKey, value: computeMetric(def, m) })));
    expect(ranking.highest?.keys).to.deep.equal(['baerum', 'asker']); // both 73 %
    expect(ranking.lowest).to.deep.equal({ value: 64, keys: ['bergen'] });
    expect(roundTo(indexAgainst(ranking.highest?.value, group).value as number, 0)).to.equal(108);
    expect(roundTo(indexAgainst(ranking.lowest?.value, group).value as number, 0)).to.equal(94);
  });

  it('the service-area table: per inhabitant, corrected for need, in 2024 money', () => {
    const def = metric('netto_driftsutgifter_per_innbygger');
    const perInhabitant = computeMetric(def, { regionKey: '3024', year: 2022, serviceArea: 'FGK8b', values: { netto_driftsutgifter_tjeneste: 1_800_000, folkemengde: 128_000 } });
    const corrected = needCorrected(perInhabitant, 0.9375); // 14 062.5 / 0.9375 = 15 000
    const in2024 = inflationAdjust(corrected, 2022, 2024, { 2023: 0.05, 2024: 0.04 });
    expect(corrected).to.deep.equal({ value: 15000 });
    expect(in2024.value).to.be.closeTo(16380, 1e-9);
  });

});
