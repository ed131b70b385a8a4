import { expect } from 'chai';
import { type BaseFact, computeMetric, FactIndex, inputsFromFacts, sumServiceAreas } from '../../core/metrics';
import { metric } from './helpers';

function fact(indicatorKey: string, value: number | null, extra: Partial<BaseFact> = {}): BaseFact {
  return { regionKey: '3201', year: 2024, serviceArea: null, indicatorKey, value, status: null, ...extra };
}

const facts: BaseFact[] = [
  fact('bdi', 20000),
  fact('netto_driftsresultat', 460),
  // Per-inhabitant figures divide by the population on 31.12, counted by 07459 as 1 January of the next year.
  fact('folkemengde', 90, { serviceArea: 'ALL' }),
  fact('folkemengde', 100, { serviceArea: 'ALL', year: 2025 }),
  fact('netto_driftsutgifter_tjeneste', 999, { serviceArea: 'ALL' }),
  fact('netto_driftsutgifter_tjeneste', 1500, { serviceArea: 'FGK8b' }),
  fact('netto_driftsutgifter_tjeneste', 300, { serviceArea: '253' }),
  fact('netto_driftsutgifter_tjeneste', 200, { serviceArea: '254' }),
  fact('netto_driftsutgifter_tjeneste', null, { serviceArea: '258', status: '.' }),
  fact('netto_driftsutgifter_tjeneste', null, { serviceArea: '257', status: '..' }),
  fact('bdi', 19000, { year: 2023 }),
];

describe('metrics/inputs', () => {
  it('picks the whole-municipality facts of one region and year (serviceArea null or ALL)', () => {
    const inputs = inputsFromFacts(metric('resultatgrad'), facts, { regionKey: '3201', year: 2024 });
    expect(inputs.serviceArea).to.equal(null);
    expect(computeMetric(metric('resultatgrad'), inputs)).to.deep.equal({ value: 2.3 });
  });

  it('reads the first operand of a scoped metric for the service area and the population for the municipality', () => {
    const def = metric('netto_driftsutgifter_per_innbygger');
    const inputs = inputsFromFacts(def, facts, { regionKey: '3201', year: 2024, serviceArea: 'FGK8b' });
    expect(computeMetric(def, inputs)).to.deep.equal({ value: 15000 });
  });

  it('divides by the population on 31 December: the next year\'s 1 January count, naming that count when it is missing', () => {
    const def = metric('netto_driftsutgifter_per_innbygger');
    expect(computeMetric(def, inputsFromFacts(def, facts, { regionKey: '3201', year: 2024, serviceArea: 'FGK8b' })).value).to.equal(15000); // 1500 × 1000 / 100, not / 90
    const without = facts.filter((f) => !(f.indicatorKey === 'folkemengde' && f.year === 2025));
    expect(computeMetric(def, inputsFromFacts(def, without, { regionKey: '3201', year: 2024, serviceArea: 'FGK8b' })).reason)
      .to.equal('no value for folkemengde on 1 January 2025 (the population at 31.12.2024), 3201 (no fact loaded)');
  });

  it('sums a grouping over several service areas, skipping parts that are "." (not applicable) or "-" (nil)', () => {
    const def = metric('netto_driftsutgifter_per_innbygger');
    const index = new FactIndex(facts);
    const inputs = inputsFromFacts(def, index, { regionKey: '3201', year: 2024, serviceAreas: ['253', '254', '258'], serviceAreaLabel: 'pleie_omsorg' });
    expect(inputs.serviceArea).to.equal('pleie_omsorg');
    expect(computeMetric(def, inputs)).to.deep.equal({ value: 5000 });
  });

  it('makes the sum null when a part is missing for any other reason, naming every such part', () => {
    const index = new FactIndex(facts);
    const sum = sumServiceAreas(index, { regionKey: '3201', year: 2024, indicatorKey: 'netto_driftsutgifter_tjeneste', serviceAreas: ['253', '257', '261'] });
    expect(sum).to.deep.equal({
      value: null,
      reason:
        'no value for netto_driftsutgifter_tjeneste/257, 3201, 2024 (SSB status ".." — not available); no value for netto_driftsutgifter_tjeneste/261, 3201, 2024 (no fact loaded)',
    });
    const none = sumServiceAreas(index, { regionKey: '3201', year: 2024, indicatorKey: 'netto_driftsutgifter_tjeneste', serviceAreas: ['258'] });
    expect(none).to.deep.equal({
      value: null,
      reason: 'no value for netto_driftsutgifter_tjeneste/258, 3201, 2024 (every part is nil or not applicable)',
    });
  });

  it('passes the reason of a missing sum through computeMetric unchanged', () => {
    const def = metric('netto_driftsutgifter_per_innbygger');
    const inputs = inputsFromFacts(def, facts, { regionKey: '3201', year: 2024, serviceAreas: ['253', '257'] });
    expect(computeMetric(def, inputs).reason).to.equal('no value for netto_driftsutgifter_tjeneste/257, 3201, 2024 (SSB status ".." — not available)');
  });

  it('throws when a scoped metric is asked for without a service area, or on duplicate facts', () => {
    expect(() => inputsFromFacts(metric('netto_driftsutgifter_per_innbygger'), facts, { regionKey: '3201', year: 2024 })).to.throw(
      'metric "netto_driftsutgifter_per_innbygger" is service-area scoped: inputsFromFacts needs serviceArea or serviceAreas',
    );
    expect(() => new FactIndex([fact('bdi', 1), fact('bdi', 2, { serviceArea: 'ALL' })])).to.throw(
      'two facts for bdi, 3201, 2024: facts must be unique per region, year, service area and indicator',
    );
  });
});
