/**
 * Issue 9, "no request can crash, stall or bloat the server": each reviewer's reproduction, as it was sent.
 * Each test failed (or killed the process) before its fix.
 */
import { expect } from 'chai';
import { averageAnnualGrowth, MAX_PERIOD_YEARS, periodAverage } from '../../src/metrics';
import { LEVEL, startLoggedHarness, type LoggedHarness } from './support';

const bærum = '{ municipality: "Bærum" }';

describe('issue 9 reproductions', function () {
  this.timeout(60_000);
  let h: LoggedHarness;
  let loaded: string;
  before(async () => {
    h = await startLoggedHarness();
    const years = (await h.gql('{ years }')).body.data!.years as number[];
    loaded = `loaded years are ${years[0]}–${years[years.length - 1]}`;
  });
  after(async () => { await h?.close(); });
  afterEach(async () => { expect(await h.healthy(), 'the server is alive after the test').to.equal(true); });

  /** The one error of a refused request: code, message and HTTP status. */
  async function refusal(query: string, variables?: Record<string, unknown>) {
    const res = await h.gql(query, variables);
    expect(res.body.errors, JSON.stringify(res.body)).to.have.length(1);
    const [e] = res.body.errors!;
    return { code: e.extensions?.code as string, message: e.message, status: res.status };
  }

  describe('1. year ranges are checked before any list is built', () => {
    it('metricSeries years { from: -2147483648, to: 2147483647 } is BAD_USER_INPUT naming the value and the loaded years', async () => {
      const r = await refusal(`{ metricSeries(metric: "resultatgrad", subjects: [${bærum}], years: { from: -2147483648, to: 2147483647 }) { years } }`);
      expect(r).to.deep.include({ code: 'BAD_USER_INPUT', message: `years: from -2147483648 is not loaded; ${loaded}` });
      const to = await refusal(`{ metricSeries(metric: "resultatgrad", subjects: [${bærum}], years: { from: 2020, to: 2147483647 }) { years } }`);
      expect(to.message).to.equal(`years: to 2147483647 is not loaded; ${loaded}`);
    });

    it('periodAverage and averageAnnualGrowth over huge periods are BAD_USER_INPUT naming the loaded years', async () => {
      const series = (field: string) => `{ metricSeries(metric: "resultatgrad", subjects: [${bærum}], years: { from: 2020, to: 2024 }) { series { ${field} { value } } } }`;
      for (const [field, message] of [
        ['periodAverage(from: 0, to: 2147483647)', `periodAverage: from 0 is not loaded; ${loaded}`],
        ['periodAverage(from: 2020, to: 20000000)', `periodAverage: to 20000000 is not loaded; ${loaded}`],
        ['averageAnnualGrowth(from: 0, to: 2147483647, method: MEAN_OF_YEAR_ON_YEAR)', `averageAnnualGrowth: from 0 is not loaded; ${loaded}`],
        ['changeBetween(from: -2147483648, to: 2024)', `changeBetween: from -2147483648 is not loaded; ${loaded}`],
      ]) {
        expect(await refusal(series(field)), field).to.deep.include({ code: 'BAD_USER_INPUT', message });
      }
    });

    it('the series statements themselves refuse a period longer than MAX_PERIOD_YEARS before listing its years', () => {
      expect(() => periodAverage([], 0, 2147483647)).to.throw(RangeError, `periodAverage: 0–2147483647 spans more than ${MAX_PERIOD_YEARS} years`);
      expect(() => averageAnnualGrowth([], 0, 20000000, { method: 'meanOfYearOnYear' })).to.throw(RangeError, 'averageAnnualGrowth: 0–20000000 spans');
      expect(periodAverage([], 1900, 1900 + MAX_PERIOD_YEARS - 1).reason).to.match(/^no value for 1900 in the series/);
    });
  });
});
