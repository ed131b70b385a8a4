/**
 * The report's last analysis, "Ressursbruk, produksjon og effektivitet": the example operation reproduces the
 * figures the report states (report-efficiency.csv) on the demo data at the report's precision, and its story of
 * 2021–2024; the query answers for any municipality and reference, with need correction as asked.
 */
import { expect } from 'chai';
import { example, reportCsv, round, startHarness, type Harness } from './harness';

interface Point { year: number; productionIndex: number | null; costIndex: number | null; efficiency: number | null; weight?: number | null; reason?: string | null }
interface Table { combined: Point[]; services: { grouping: { id: string }; points: Point[] }[]; warnings?: string[]; demoInputs?: string[] }

const FIGURE: Record<string, keyof Point> = { production: 'productionIndex', cost: 'costIndex', efficiency: 'efficiency' };
/** "0,1 prosent høyere enn ASSS-snittet": index − 100, at the report's one decimal. */
const pctVsAverage = (index: number | null | undefined) => round((index as number) - 100, 1);

describe('efficiency: production, cost and efficiency per service (the report\'s last analysis)', function () {
  this.timeout(60_000);
  let h: Harness;
  let table: Table;
  let development: Table;
  before(async () => {
    h = await startHarness();
    const res = await h.gql(example('09-efficiency'));
    expect(res.body.errors).to.equal(undefined);
    ({ table, development } = res.body.data as { table: Table; development: Table });
  });
  after(async () => { await h?.close(); });

  const pointOf = (t: Table, service: string, year: number): Point => {
    const points = service === 'combined' ? t.combined : t.services.find((s) => s.grouping.id === service)?.points;
    const p = points?.find((x) => x.year === year);
    expect(p, `${service} ${year}`).to.not.equal(undefined);
    return p!;
  };

  it('09: reproduces every figure the report states, at its precision (report-efficiency.csv)', () => {
    const rows = reportCsv('report-efficiency.csv');
    expect(rows).to.have.length(8);
    for (const row of rows) {
      const t = Number(row.year) === 2024 ? table : development;
      const p = pointOf(t, row.service, Number(row.year));
      expect(pctVsAverage(p[FIGURE[row.figure]] as number), `${row.service} ${row.figure} ${row.year}: "${row.report_text}"`).to.equal(Number(row.pct_vs_asss));
    }
  });

  it('09: sosialtjenester produce most and are the most efficient, barnevern produce least and are the least efficient (2024)', () => {
    const by = (f: keyof Point) => [...table.services].sort((a, b) => (b.points[0][f] as number) - (a.points[0][f] as number)).map((s) => s.grouping.id);
    expect(by('productionIndex')[0]).to.equal('sosiale_tjenester');
    expect(by('productionIndex').at(-1)).to.equal('barnevern');
    expect(by('efficiency')[0]).to.equal('sosiale_tjenester');
    expect(by('efficiency').at(-1)).to.equal('barnevern');
  });

  it('09: the combined figures are the services\' indices weighted by the average\'s spending, and efficiency is production / cost', () => {
    const weights = table.services.map((s) => s.points[0].weight as number);
    expect(weights.reduce((a, b) => a + b, 0)).to.be.closeTo(1, 1e-12);
    for (const f of ['productionIndex', 'costIndex'] as const) {
      const weighted = table.services.reduce((sum, s, i) => sum + weights[i] * (s.points[0][f] as number), 0);
      expect(weighted, f).to.be.closeTo(table.combined[0][f] as number, 1e-9);
    }
    for (const p of [table.combined[0], ...table.services.map((s) => s.points[0])]) {
      expect(p.efficiency).to.be.closeTo(((p.productionIndex as number) / (p.costIndex as number)) * 100, 1e-9);
    }
  });

  it('09 development: the report\'s story of 2021–2024 — production rising, costs under the average until 2024, efficiency falling most in barnehage and grunnskole', () => {
    const combined = (y: number) => pointOf(development, 'combined', y);
    expect(combined(2024).productionIndex).to.be.greaterThan(combined(2021).productionIndex as number);
    expect(combined(2021).costIndex).to.be.within(98, 100); // "litt under"
    for (const y of [2022, 2023]) expect(combined(y).costIndex, String(y)).to.be.below(98); // "klart under"
    expect(combined(2024).costIndex).to.be.within(100, 101); // "litt over"
    const change = (id: string) => (pointOf(development, id, 2024).efficiency as number) - (pointOf(development, id, 2023).efficiency as number);
    const ids = development.services.map((s) => s.grouping.id).sort((a, b) => change(a) - change(b));
    expect(ids.slice(0, 2).sort()).to.deep.equal(['barnehage', 'grunnskole']);
    expect(ids.at(-1)).to.equal('kommunehelse');
    for (const id of ['barnehage', 'barnevern', 'sosiale_tjenester', 'pleie_omsorg']) {
      expect(pointOf(development, id, 2024).productionIndex, `${id} production rises`).to.be.greaterThan(pointOf(development, id, 2021).productionIndex as number);
    }
    expect(pointOf(development, 'grunnskole', 2024).productionIndex).to.be.below(pointOf(development, 'grunnskole', 2021).productionIndex as number);
  });

  it('says which volume codes are assumed and that the need index is demo data', () => {
    expect(table.demoInputs).to.deep.equal(['need-index']);
    expect(table.warnings!.join('\n')).to.match(/sosialhjelpsmottakere is read from table 12219 content \S+, a code assumed/);
    expect(table.warnings!.join('\n')).to.not.match(/legeaarsverk is read/); // a third-party code, not an assumed one
  });

  it('a volume metric asked for on its own carries the same warning (every metric reading an assumed code does)', async () => {
    const series = (metric: string) => `{ metricSeries(metric: "${metric}", subjects: [{ municipality: "Bærum" }], years: { list: [2024] }) { warnings } }`;
    const volume = (await h.gql(series('sosialhjelpsmottakere_per_1000'))).body.data!.metricSeries.warnings as string[];
    expect(volume.join('\n')).to.match(/^sosialhjelpsmottakere is read from table 12219 content \S+, a code assumed .*treat sosialhjelpsmottakere_per_1000 as provisional$/);
    expect((await h.gql(series('resultatgrad'))).body.data!.metricSeries.warnings).to.deep.equal([]);
  });

  const query = `query($subject: SubjectInput!, $reference: SubjectInput!, $years: YearsInput!, $nc: Boolean) {
    efficiencyTable(subject: $subject, reference: $reference, years: $years, needCorrected: $nc) {
      subject { name } reference { name } needCorrected demoInputs
      combined { year productionIndex costIndex efficiency reason }
      services { grouping { id } points { year productionIndex costIndex efficiency production referenceProduction cost referenceCost reason } } } }`;
  const run = async (variables: Record<string, unknown>) => {
    const res = await h.gql(query, variables);
    return res.body;
  };
  const baerum = { municipality: 'Bærum' };
  const asss = { peerGroup: 'asss-u-oslo' };

  it('need correction moves production and cost indices alike: each service\'s efficiency is the same with and without it', async () => {
    const plain = await run({ subject: baerum, reference: asss, years: { list: [2024] }, nc: false });
    const corrected = await run({ subject: baerum, reference: asss, years: { list: [2024] }, nc: true });
    expect(plain.errors).to.equal(undefined);
    expect(plain.data!.efficiencyTable.needCorrected).to.equal(false);
    expect(plain.data!.efficiencyTable.demoInputs).to.deep.equal([]);
    const services = (b: typeof plain) => b.data!.efficiencyTable.services as Table['services'];
    services(plain).forEach((s, i) => {
      const c = services(corrected)[i].points[0];
      expect(s.points[0].efficiency, s.grouping.id).to.be.closeTo(c.efficiency as number, 1e-9);
      expect(s.points[0].costIndex, s.grouping.id).to.not.be.closeTo(c.costIndex as number, 1e-6);
    });
  });

  it('defaults to no need correction while the need index holds demo values, like the service-area table', async () => {
    const body = await run({ subject: baerum, reference: asss, years: { list: [2024] } });
    expect(body.data!.efficiencyTable.needCorrected).to.equal(false);
  });

  it('answers for any municipality against any reference: Asker against ASSS u/Oslo without Asker, and the country', async () => {
    const body = await run({ subject: { municipality: 'Asker' }, reference: { peerGroup: 'asss-u-oslo', excluding: 'Asker' }, years: { from: 2022, to: 2024 } });
    expect(body.errors).to.equal(undefined);
    const t = body.data!.efficiencyTable;
    expect(t.reference.name).to.equal('ASSS u/Oslo uten Asker');
    for (const p of t.combined) expect(p.efficiency, String(p.year)).to.be.a('number');
    const s = t.services[0].points[0];
    expect(s.productionIndex).to.be.closeTo((s.production / s.referenceProduction) * 100, 1e-9);
    expect(s.costIndex).to.be.closeTo((s.cost / s.referenceCost) * 100, 1e-9);
    const landet = await run({ subject: baerum, reference: { region: 'EAK' }, years: { list: [2024] } });
    expect(landet.errors).to.equal(undefined);
    expect(landet.data!.efficiencyTable.combined[0].efficiency).to.be.a('number');
  });

  it('a subject without figures in a year gets null indices with the reason, never 0', async () => {
    // 0219 is Bærum's code until 2019: as a region taken as it is, it has no 2024 figures
    const body = await run({ subject: { region: '0219' }, reference: asss, years: { list: [2019, 2024] } });
    expect(body.errors).to.equal(undefined);
    const [y2019, y2024] = body.data!.efficiencyTable.combined;
    expect(y2019.efficiency).to.be.a('number');
    expect(y2024.efficiency).to.equal(null);
    expect(y2024.reason).to.match(/0219/);
    const service = body.data!.efficiencyTable.services[0].points[1];
    expect(service.productionIndex).to.equal(null);
    expect(service.reason).to.be.a('string').and.not.equal('');
  });

  it('refuses a reference that is the subject itself, and unknown years, naming what is allowed', async () => {
    const same = await run({ subject: baerum, reference: { municipality: '3201' }, years: { list: [2024] } });
    expect(same.errors?.[0].extensions?.code).to.equal('BAD_USER_INPUT');
    expect(same.errors?.[0].message).to.match(/reference: Bærum is also the subject.*peerGroup/);
    const years = await run({ subject: baerum, reference: asss, years: { list: [1990] } });
    expect(years.errors?.[0].extensions?.code).to.equal('BAD_USER_INPUT');
    expect(years.errors?.[0].message).to.match(/1990 is not loaded; loaded years are 2015–2024/);
  });
});
