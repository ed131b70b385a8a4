import { expect } from 'chai';
import { csvText, plainNumber } from '../../src/http/csv-format';
import { SOURCE_NOTE } from '../../src/http/csv';
import { DEMO_NOTICE } from '../../src/graphql/resolvers/status.resolver';
import { example, startHarness, type Harness } from '../graphql/harness';
import { baseOf, csvNumber, parseCsv } from './helpers';

/** The columns of schema/examples/03-service-area-table.graphql, as the CSV URL's `columns` parameter. */
const REPORT_COLUMNS = [
  { subject: { municipality: 'Bærum' }, year: 2022 },
  { subject: { municipality: 'Bærum' }, year: 2023 },
  { subject: { municipality: 'Bærum' }, year: 2024 },
  { subject: { municipality: 'Asker' }, year: 2024 },
  { subject: { peerGroup: 'asss-u-oslo' }, year: 2024 },
];
const reportTableUrl = (base: string, extra = '') =>
  `${base}/csv/service-area-table?columns=${encodeURIComponent(JSON.stringify(REPORT_COLUMNS))}&needCorrected=true&inflateTo=2024${extra}`;

/** The table part of a parsed CSV and its note rows (after the one empty row). */
function split(rows: string[][]): { header: string[]; body: string[][]; notes: string[] } {
  const gap = rows.findIndex((r) => r.length === 1 && r[0] === '');
  expect(gap, 'an empty row before the notes').to.be.greaterThan(0);
  for (const note of rows.slice(gap + 1)) expect(note, 'a note is one cell').to.have.length(1);
  return { header: rows[0], body: rows.slice(1, gap), notes: rows.slice(gap + 1).map((r) => r[0]) };
}

describe('tables as CSV (/csv/<shape>)', function () {
  this.timeout(60_000);
  let h: Harness;
  let base: string;
  before(async () => {
    h = await startHarness();
    base = baseOf(h);
  });
  after(async () => { await h?.close(); });

  describe('the report\'s service-area table', () => {
    let graphql: any;
    before(async () => {
      const res = await h.gql(example('03-service-area-table'));
      expect(res.body.errors).to.equal(undefined);
      graphql = res.body.data!.serviceAreaTable;
    });

    it('is a file to download, cacheable, with the values of the GraphQL answer (03-service-area-table)', async () => {
      const res = await fetch(reportTableUrl(base));
      expect(res.status).to.equal(200);
      expect(res.headers.get('content-type')).to.match(/^text\/csv; charset=utf-8/);
      expect(res.headers.get('content-disposition')).to.match(/^attachment; filename="kostra-service-area-table-v\d+\.csv"$/);
      expect(res.headers.get('cache-control')).to.equal('max-age=3600, public');
      expect(res.headers.get('link')).to.equal('<https://creativecommons.org/licenses/by/4.0/>; rel="license"');
      const { header, body, notes } = split(parseCsv(await res.text(), ','));
      const columns = graphql.totals.map((c: any) => `${c.subject.name} ${c.year}`);
      expect(header).to.deep.equal(['grouping_id', 'grouping', 'parent_id', ...columns.flatMap((c: string) => [c, `${c} andel %`])]);
      expect(body).to.have.length(graphql.rows.length + 1);
      graphql.rows.forEach((row: any, i: number) => {
        const line = body[i];
        expect(line.slice(0, 3)).to.deep.equal([row.grouping.id, row.grouping.label, row.grouping.parentId ?? '']);
        expect(line.slice(3).map((c) => csvNumber(c))).to.deep.equal(row.cells.flatMap((c: any) => [c.value, c.sharePct]));
      });
      const total = body[body.length - 1];
      expect(total.slice(0, 2)).to.deep.equal(['total', 'Totalt']);
      expect(total.slice(3).filter((_, i) => i % 2 === 0).map((c) => csvNumber(c))).to.deep.equal(graphql.totals.map((c: any) => c.value));
      expect(notes.some((n) => n.startsWith(SOURCE_NOTE))).to.equal(true);
      expect(notes).to.include(DEMO_NOTICE);
      expect(notes[0]).to.contain('enhet: kroner per innbygger').and.contain('korrigert for utgiftsbehov').and.contain('i 2024-kroner');
    });

    it('in Norwegian Excel form: BOM, semicolons, decimal comma, the same numbers', async () => {
      const res = await fetch(reportTableUrl(base, '&decimal=comma&bom=1'));
      const bytes = new Uint8Array(await res.arrayBuffer());
      expect([...bytes.slice(0, 3)]).to.deep.equal([0xef, 0xbb, 0xbf]);
      const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes).slice(1);
      const { header, body } = split(parseCsv(text, ';'));
      expect(header[3]).to.equal('Bærum 2022');
      expect(body[0][3]).to.match(/^\d+,\d+$/);
      expect(body[0].slice(3).map((c) => csvNumber(c, true))).to.deep.equal(graphql.rows[0].cells.flatMap((c: any) => [c.value, c.sharePct]));
      // A tab-separated file on request.
      const tab = await (await fetch(reportTableUrl(base, '&sep=tab'))).text();
      expect(parseCsv(tab, '\t')[0]).to.deep.equal(parseCsv(await (await fetch(reportTableUrl(base))).text(), ',')[0]);
    });

    it('revalidates with its ETag (304), and a different format is a different ETag', async () => {
      const first = await fetch(reportTableUrl(base));
      const etag = first.headers.get('etag')!;
      expect(etag).to.match(/^W\/"v\d+-/);
      const again = await fetch(reportTableUrl(base), { headers: { 'if-none-match': etag } });
      expect(again.status).to.equal(304);
      expect(await again.text()).to.equal('');
      expect((await fetch(reportTableUrl(base, '&decimal=comma'))).headers.get('etag')).not.to.equal(etag);
    });
  });

  it('metric-series: one row per subject, one column per year, the measure asked for', async () => {
    const subjects = [{ municipality: 'Bærum' }, { peerGroup: 'asss-u-oslo' }, { region: 'EAK' }];
    const gql = (await h.gql('query($s: [SubjectInput!]!) { metricSeries(metric: "resultatgrad", subjects: $s, years: { from: 2020, to: 2024 }, reference: { peerGroup: "asss-u-oslo" }) { series { subject { name id kind } points { year value index } } } }', { s: subjects })).body.data!.metricSeries;
    for (const measure of ['value', 'index']) {
      const url = `${base}/csv/metric-series?metric=resultatgrad&subjects=${encodeURIComponent(JSON.stringify(subjects))}&years=${encodeURIComponent('{"from":2020,"to":2024}')}&reference=${encodeURIComponent('{"peerGroup":"asss-u-oslo"}')}${measure === 'value' ? '' : `&measure=${measure}`}`;
      const res = await fetch(url);
      expect(res.status, await res.clone().text()).to.equal(200);
      const { header, body, notes } = split(parseCsv(await res.text(), ','));
      expect(header).to.deep.equal(['subject', 'subject_id', 'subject_kind', '2020', '2021', '2022', '2023', '2024']);
      expect(body.map((r) => r.slice(0, 3))).to.deep.equal(gql.series.map((s: any) => [s.subject.name, s.subject.id, s.subject.kind]));
      expect(body.map((r) => r.slice(3).map((c) => csvNumber(c)))).to.deep.equal(gql.series.map((s: any) => s.points.map((p: any) => p[measure])));
      expect(notes[0]).to.contain(`verdi: ${measure}`);
    }
  });

  it('peer-comparison: every member ranked, then the group\'s averages; highlight marks rows', async () => {
    const gql = (await h.gql('{ peerComparison(metric: "netto_lanegjeld_pct_bdi", peerGroup: "asss-u-oslo", year: 2024) { weightedAverage { value } unweightedMean { value } members { rank municipality { key name } value rounded index indexRounded differenceFromAverage } } }')).body.data!.peerComparison;
    const res = await fetch(`${base}/csv/peer-comparison?metric=netto_lanegjeld_pct_bdi&peerGroup=asss-u-oslo&year=2024&highlight=${encodeURIComponent('Bærum,Asker')}`);
    const { header, body } = split(parseCsv(await res.text(), ','));
    expect(header).to.deep.equal(['rank', 'municipality_key', 'municipality', 'value', 'rounded', 'index', 'index_rounded', 'difference_from_average', 'highlighted', 'reason']);
    expect(body).to.have.length(gql.members.length + 2);
    gql.members.forEach((m: any, i: number) => {
      const r = body[i];
      expect([csvNumber(r[0]), r[1], r[2], ...r.slice(3, 8).map((c) => csvNumber(c))]).to.deep.equal([m.rank, m.municipality.key, m.municipality.name, m.value, m.rounded, m.index, m.indexRounded, m.differenceFromAverage]);
      expect(r[8]).to.equal(['Bærum', 'Asker'].includes(m.municipality.name) ? 'true' : 'false');
    });
    expect(csvNumber(body[gql.members.length][3])).to.equal(gql.weightedAverage.value);
    expect(csvNumber(body[gql.members.length + 1][3])).to.equal(gql.unweightedMean.value);
  });

  it('facts: one row per fact with provenance, one page, and how to ask for the next', async () => {
    const filter = { regions: ['Bærum'], indicators: ['bdi'] };
    const gql = (await h.gql('query($f: FactFilter!) { facts(filter: $f, first: 5) { totalCount pageInfo { endCursor } edges { node { region { code } year value status provenance { ssbUpdated loadedAt source } } } } }', { f: filter })).body.data!.facts;
    const res = await fetch(`${base}/csv/facts?filter=${encodeURIComponent(JSON.stringify(filter))}&first=5`);
    const { header, body, notes } = split(parseCsv(await res.text(), ','));
    const col = (name: string) => header.indexOf(name);
    expect(body).to.have.length(5);
    gql.edges.forEach(({ node }: any, i: number) => {
      const r = body[i];
      expect([r[col('region_code')], Number(r[col('year')]), csvNumber(r[col('value')]), r[col('status')] || null]).to.deep.equal([node.region.code, node.year, node.value, node.status]);
      expect([r[col('ssb_updated')], r[col('loaded_at')], r[col('source')]]).to.deep.equal([node.provenance.ssbUpdated, node.provenance.loadedAt, node.provenance.source]);
    });
    expect(notes[0]).to.equal(`5 av ${gql.totalCount} fakta`);
    expect(notes[1]).to.equal(`Neste side: samme adresse med after=${gql.pageInfo.endCursor}`);
  });

  it('refuses bad parameters with what is allowed, and GraphQL\'s own input errors as 400', async () => {
    const cases: [string, number, RegExp][] = [
      ['/csv/nope', 404, /no CSV table "nope"; the tables are \/csv\/metric-series, \/csv\/peer-comparison, \/csv\/service-area-table, \/csv\/facts/],
      ['/csv/facts?nope=1', 400, /unknown parameter "nope" for \/csv\/facts; allowed: filter, first, after, decimal, sep, bom/],
      ['/csv/facts?sep=x', 400, /sep=x is not allowed; use one of sep=,, sep=;, sep=tab/],
      ['/csv/facts?decimal=komma', 400, /decimal=komma is not allowed; use one of decimal=point, decimal=comma/],
      ['/csv/facts?first=1&first=2', 400, /first is given 2 times; give it once/],
      ['/csv/facts?first=ten', 400, /first: "ten" is not a whole number/],
      ['/csv/facts?first=5000', 400, /first must be between 1 and 1000, but got: 5000/],
      ['/csv/facts?filter={"regions":', 400, /filter: not valid JSON .*; give a FactFilter as JSON/],
      ['/csv/facts?filter={"region":["Bærum"]}', 400, /Field "region" is not defined by type "FactFilter". Did you mean "regions"/],
      ['/csv/peer-comparison?metric=resultatgrad', 400, /needs peerGroup \(String!\), year \(Int!\); e\.g\. \/csv\/peer-comparison\?/],
      ['/csv/peer-comparison?metric=resultatgrd&peerGroup=asss-u-oslo&year=2024', 400, /unknown metric "resultatgrd"; did you mean "resultatgrad"/],
      ['/csv/peer-comparison?metric=resultatgrad&peerGroup=asss-u-oslo&year=2024&measure=index', 400, /unknown parameter "measure"/],
      ['/csv/metric-series?metric=resultatgrad&subjects=[{"municipality":"Bærum"}]&years={"list":[2024]}&measure=median', 400, /measure=median is not allowed; use one of measure=value, measure=rounded/],
      ['/csv/service-area-table?columns=[{}]', 400, /Field "subject" of required type "SubjectInput!" was not provided/],
      [`/csv/facts?after=${'x'.repeat(9000)}`, 400, /after is 9000 characters long; at most 8000 are allowed/],
    ];
    for (const [path, status, message] of cases) {
      const res = await fetch(base + encodeURI(path));
      const text = await res.text();
      expect(res.status, `${path}: ${text}`).to.equal(status);
      expect(res.headers.get('content-type'), path).to.match(/^text\/plain/);
      expect(text, path).to.match(message);
      expect(res.headers.get('etag'), path).to.equal(null);
    }
  });

  describe('the writer', () => {
    it('writes numbers in plain notation, never 1e-7', () => {
      expect(plainNumber(1e-7)).to.equal('0.0000001');
      expect(plainNumber(-2.5e-8)).to.equal('-0.000000025');
      expect(plainNumber(1.5e21)).to.equal('1500000000000000000000');
      expect(plainNumber(1234.5)).to.equal('1234.5');
      expect(Number(plainNumber(6.02214076e23))).to.equal(6.02214076e23);
    });

    it('quotes what needs quoting and keeps text that looks like a formula as text', () => {
      const text = csvText({ header: ['a', 'b'], rows: [['x,y', 'say "hi"'], ['=HYPERLINK("http://evil")', '-'], ['+1', -1.5], ['line\nbreak', null]], notes: ['note'] }, { separator: ',', decimalComma: false, bom: false });
      expect(text).to.equal('a,b\r\n"x,y","say ""hi"""\r\n"\'=HYPERLINK(""http://evil"")",-\r\n\'+1,-1.5\r\n"line\nbreak",\r\n\r\nnote\r\n');
      const comma = csvText({ header: ['v'], rows: [[-1.5]], notes: [] }, { separator: ',', decimalComma: true, bom: false });
      expect(comma).to.equal('v\r\n"-1,5"\r\n');
    });
  });
});
