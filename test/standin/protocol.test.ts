/**
 * The stand-in speaks PxWebApi 2 and Klass like SSB: endpoints, selection expressions, GET/POST equivalence,
 * elimination, placement, statuses, the reference server's errors, rate-limit headers.
 */
import { expect } from 'chai';
import { createEmulatorSource } from './pxweb-api';
import { PxProblemError } from './problems';
import { decode } from './cells';
import { call, dataQuery, post, type Reply } from './http';
import { startStandin, type Standin } from './server';

describe('stand-in: PxWebApi 2 protocol', function () {
  this.timeout(10000);
  let s: Standin;
  before(async () => {
    s = await startStandin({ rateLimit: { maxCalls: 100000, windowMs: 60000 }, tableUpdated: { '12134': '2025-03-15T07:00:00Z' } });
  });
  after(() => s.close());

  const data = (table: string, q: string) => call(`${s.url}/tables/${table}/data?${q}`);
  const years = (r: Reply) => Object.keys(r.json.dimension.Tid.category.index);
  const expectProblem = (r: Reply, status: number, title: string) => {
    expect(r.status, r.text).to.equal(status);
    expect(r.headers.get('content-type')).to.match(/^application\/problem\+json/);
    expect(r.json).to.include({ type: 'Parameter error', title, status });
  };

  describe('config, tables, metadata', () => {
    it('GET /config answers with SSB\'s limits (800 000 cells, rate limit fields 0) and says it is demo data', async () => {
      const r = await call(`${s.url}/config`);
      expect(r.status).to.equal(200);
      expect(r.json).to.include({ maxDataCells: 800000, maxCallsPerTimeWindow: 0, timeWindow: 0, defaultLanguage: 'no', defaultDataFormat: 'json-stat2' });
      expect(r.json.sourceReferences[0].text).to.match(/Syntetiske demodata/);
    });

    it('sends x-ratelimit headers on every response', async () => {
      const r = await call(`${s.url}/tables/99999`);
      expect(r.headers.get('x-ratelimit-limit')).to.equal('100000');
      expect(r.headers.get('x-ratelimit-policy')).to.equal('100000;w=60s');
      expect(Number(r.headers.get('x-ratelimit-remaining'))).to.be.below(100000);
    });

    it('GET /tables pages and filters; a page past the end is 404 "Non-existent page"', async () => {
      const all = await call(`${s.url}/tables`);
      expect(all.json.tables.map((t: any) => t.id)).to.deep.equal(['12134', '12137', '12364', '12143', '12362', '07459', '11977', '12562', '11996', '12219', '12275', '12292']);
      expect(all.json.page).to.include({ pageNumber: 1, pageSize: 20, totalElements: 12, totalPages: 1 });
      const p2 = await call(`${s.url}/tables?pageSize=4&pageNumber=2`);
      expect(p2.json.tables.map((t: any) => t.id)).to.deep.equal(['12362', '07459', '11977', '12562']);
      expect(p2.json.page.totalPages).to.equal(3);
      const q = await call(`${s.url}/tables?query=befolkning`);
      expect(q.json.tables.map((t: any) => t.id)).to.deep.equal(['07459']);
      expectProblem(await call(`${s.url}/tables?pageSize=4&pageNumber=4`), 404, 'Non-existent page');
    });

    it('GET /tables/{id} gives updated, periods and variable names; tableUpdated and setTableUpdated simulate revisions', async () => {
      const t = await call(`${s.url}/tables/12362`);
      expect(t.json).to.include({ id: '12362', updated: '2025-06-16T06:00:00Z', firstPeriod: '2015', lastPeriod: '2024' });
      expect(t.json.label).to.match(/syntetiske demodata/);
      expect(t.json.variableNames).to.deep.equal(['region', 'funksjon', 'art', 'statistikkvariabel', 'år']);
      expect((await call(`${s.url}/tables/12134`)).json.updated).to.equal('2025-03-15T07:00:00Z');
      s.setTableUpdated('12134', '2025-06-16T06:00:00Z');
      expect((await call(`${s.url}/tables/12134`)).json.updated).to.equal('2025-06-16T06:00:00Z');
      expect((await call(`${s.url}/tables/12134/metadata`)).json.updated).to.equal('2025-06-16T06:00:00Z');
      expect((await call(`${s.url}/tables/07459`)).json.lastPeriod).to.equal('2025');
    });

    it('unknown table is 404 "Non-existent table" on every table endpoint', async () => {
      expectProblem(await call(`${s.url}/tables/99999`), 404, 'Non-existent table');
      expectProblem(await call(`${s.url}/tables/99999/metadata`), 404, 'Non-existent table');
      expectProblem(await data('99999', 'valueCodes[Tid]=2024'), 404, 'Non-existent table');
    });

    it('metadata is json-stat2 with every category, value [], elimination flags and aggregallowed false', async () => {
      const m = (await call(`${s.url}/tables/12362/metadata`)).json;
      expect(m).to.include({ version: '2.0', class: 'dataset', source: 'Syntetiske demodata (kostra-warehouse) — ikke SSB-tall' });
      expect(m.value).to.deep.equal([]);
      expect(m.id).to.deep.equal(['KOKkommuneregion0000', 'KOKfunksjon0000', 'KOKart0000', 'ContentsCode', 'Tid']);
      expect(m.role).to.deep.equal({ time: ['Tid'], geo: ['KOKkommuneregion0000'], metric: ['ContentsCode'] });
      for (const id of m.id) expect(m.dimension[id].extension.elimination, id).to.equal(false);
      expect(m.extension.px).to.include({ tableid: '12362', aggregallowed: false });
      expect(m.extension.px.stub).to.deep.equal(['KOKkommuneregion0000', 'KOKfunksjon0000', 'KOKart0000']);
      expect(m.note[0]).to.match(/Syntetiske demodata/);
      expect(m.dimension.ContentsCode.category.unit.KOSandel3501).to.deep.equal({ base: 'prosent', decimals: 1 });
      const regions = m.dimension.KOKkommuneregion0000.category.label;
      expect(regions['0219']).to.equal('Bærum (-2019)');
      expect(regions['3024']).to.equal('Bærum (2020-2023)');
      expect(regions['3201']).to.equal('Bærum');
      expect(regions['5001']).to.equal('Trondheim - Tråante');
      expect(regions['5030']).to.equal('Klæbu (2018-2019)');
      expect(regions).to.include.keys('EAK', 'EAKUO', 'EKG12', 'EKG13', 'EKA32');
      const p = (await call(`${s.url}/tables/07459/metadata`)).json;
      expect(p.dimension.Kjonn.extension.elimination).to.equal(true);
      expect(p.dimension.Alder.extension.elimination).to.equal(true);
      expect(p.dimension.Region.extension.elimination).to.equal(false);
      expect(Object.keys(p.dimension.Alder.category.index)).to.have.length(106);
    });
  });

  describe('data selections', () => {
    const sel12137 = { KOKkommuneregion0000: '0301,EAK', KOKartkap0000: 'AGD13,AGD23', ContentsCode: 'KOSbelop0000' };

    it('GET and POST with the same selection give the same answer, and so does the in-process emulator', async () => {
      const get = await data('12137', dataQuery({ ...sel12137, Tid: '[range(2020,2024)]' }));
      const body = {
        selection: [
          { variableCode: 'KOKkommuneregion0000', valueCodes: ['0301', 'EAK'] },
          { variableCode: 'KOKartkap0000', valueCodes: ['AGD13', 'AGD23'] },
          { variableCode: 'ContentsCode', valueCodes: ['KOSbelop0000'] },
          { variableCode: 'Tid', valueCodes: ['range(2020,2024)'] },
        ],
      };
      const p = await post(`${s.url}/tables/12137/data?outputFormat=json-stat2`, body);
      expect(get.status).to.equal(200);
      expect(p.json).to.deep.equal(get.json);
      expect(await createEmulatorSource().data('12137', body)).to.deep.equal(get.json);
      expect(get.json.size).to.deep.equal([2, 2, 1, 5]);
      expect(get.json.value).to.have.length(20);
      expect(get.json).to.not.have.property('status');
    });

    it('returns categories in metadata order, whatever the request order', async () => {
      const r = await data('12137', dataQuery({ KOKkommuneregion0000: '3201,EAK,0301', KOKartkap0000: 'AGD23,AGD13', ContentsCode: 'KOSbelop0000', Tid: '2024,2020' }));
      expect(r.json.dimension.KOKkommuneregion0000.category.index).to.deep.equal({ EAK: 0, '0301': 1, '3201': 2 });
      expect(r.json.dimension.KOKartkap0000.category.index).to.deep.equal({ AGD13: 0, AGD23: 1 });
      expect(years(r)).to.deep.equal(['2020', '2024']);
    });

    it('top/bottom on time are the newest/oldest years ascending, with offsets; elsewhere the first/last in metadata order', async () => {
      const q = (tid: string) => data('12134', dataQuery({ KOKkommuneregion0000: 'EAK', ContentsCode: 'KOSAGD230000', Tid: tid }));
      expect(years(await q('top(3)'))).to.deep.equal(['2022', '2023', '2024']);
      expect(years(await q('[top(2,1)]'))).to.deep.equal(['2022', '2023']);
      expect(years(await q('bottom(2)'))).to.deep.equal(['2015', '2016']);
      expect(years(await q('from(2022)'))).to.deep.equal(['2022', '2023', '2024']);
      expect(years(await q('to(2016)'))).to.deep.equal(['2015', '2016']);
      expect(years(await q('[range(2019,2021)],2015'))).to.deep.equal(['2015', '2019', '2020', '2021']);
      const r = await data('12134', dataQuery({ KOKkommuneregion0000: 'top(2)', ContentsCode: 'bottom(1)', Tid: '2024' }));
      expect(Object.keys(r.json.dimension.KOKkommuneregion0000.category.index)).to.deep.equal(['EAK', 'EAKUO']);
      expect(Object.keys(r.json.dimension.ContentsCode.category.index)).to.deep.equal(['KOSKG210000']);
    });

    it('wildcards: *, prefix*, *suffix and ? match codes case-insensitively', async () => {
      const codes = async (v: string) => Object.keys((await data('12362', dataQuery({ KOKkommuneregion0000: '3201', KOKfunksjon0000: v, KOKart0000: 'AGD2', ContentsCode: 'KOSbelop0000', Tid: '2024' }))).json.dimension.KOKfunksjon0000.category.index);
      expect(await codes('fgk1?')).to.deep.equal(['FGK12', 'FGK13', 'FGK14', 'FGK15', 'FGK16', 'FGK17', 'FGK1a', 'FGK1b', 'FGK1c']);
      expect(await codes('25*')).to.deep.equal(['251', '252', '253', '254', '256', '257', '258']);
      expect(await codes('*b')).to.deep.equal(['FGK1b', 'FGK8b']);
      expect(await codes('*')).to.have.length(95);
    });

    it('variable names, value codes and parameter names are case-insensitive', async () => {
      const r = await call(`${s.url}/tables/12137/data?valuecodes[kokkommuneregion0000]=eak&VALUECODES[kokartkap0000]=agd13&valueCodes[contentscode]=kosbelop0000&valueCodes[TID]=2024&OUTPUTFORMAT=json-stat2`);
      expect(r.status, r.text).to.equal(200);
      expect(r.json.value).to.have.length(1);
    });

    it('placement (POST placement or GET heading/stub) reorders the dimensions; the cells stay the same', async () => {
      const q = dataQuery({ ...sel12137, Tid: '2023,2024' });
      const plain = decode((await data('12137', q)).json);
      const moved = await data('12137', `${q}&heading=KOKkommuneregion0000&stub=Tid`);
      expect(moved.json.id).to.deep.equal(['Tid', 'KOKartkap0000', 'KOKkommuneregion0000', 'ContentsCode']);
      expect(moved.json.extension.px.heading).to.deep.equal(['KOKkommuneregion0000', 'ContentsCode']);
      const d = decode(moved.json);
      for (const c of plain.cells()) expect(d.get(c.coords)).to.deep.equal(c.cell);
      const viaPost = await post(`${s.url}/tables/12137/data`, {
        selection: [
          { variableCode: 'KOKkommuneregion0000', valueCodes: ['0301', 'EAK'] },
          { variableCode: 'KOKartkap0000', valueCodes: ['AGD13', 'AGD23'] },
          { variableCode: 'ContentsCode', valueCodes: ['KOSbelop0000'] },
          { variableCode: 'Tid', valueCodes: ['2023', '2024'] },
        ],
        placement: { heading: ['KOKkommuneregion0000'], stub: ['Tid'] },
      });
      expect(viaPost.json).to.deep.equal(moved.json);
    });

    it('an empty POST body gives the default selection (newest year, all contents, first value of the others)', async () => {
      const r = await call(`${s.url}/tables/12134/data`, { method: 'POST' });
      expect(r.status).to.equal(200);
      expect(r.json.size).to.deep.equal([1, 9, 1]);
      expect(years(r)).to.deep.equal(['2024']);
    });

    it('eliminated Kjonn/Alder give the total; selecting Kjonn only sums over ages', async () => {
      const total = decode((await data('07459', dataQuery({ Region: '3201', ContentsCode: 'Personer1', Tid: '2024' }))).json);
      const bySex = decode((await data('07459', dataQuery({ Region: '3201', Kjonn: '*', ContentsCode: 'Personer1', Tid: '2024' }))).json);
      const full = (await data('07459', dataQuery({ Region: '3201', Kjonn: '*', Alder: '*', ContentsCode: 'Personer1', Tid: '2024' }))).json;
      const t = total.get({ Region: '3201', ContentsCode: 'Personer1', Tid: '2024' }).value!;
      const m = bySex.get({ Region: '3201', Kjonn: '1', ContentsCode: 'Personer1', Tid: '2024' }).value!;
      const f = bySex.get({ Region: '3201', Kjonn: '2', ContentsCode: 'Personer1', Tid: '2024' }).value!;
      expect(t).to.equal(129800);
      expect(m + f).to.equal(t);
      expect(full.value.reduce((a: number, b: number) => a + b, 0)).to.equal(t);
      expect(full.id).to.deep.equal(['Region', 'Kjonn', 'Alder', 'ContentsCode', 'Tid']);
      expect(total.cells()).to.have.length(1);
    });

    it('cells outside a code\'s validity are null with "."; suppressed and unavailable cells carry ":" and ".."', async () => {
      const r = (await data('12137', dataQuery({ KOKkommuneregion0000: '0219,3024,3201', KOKartkap0000: 'AGD13', ContentsCode: 'KOSbelop0000', Tid: '2019,2020,2024' }))).json;
      const d = decode(r);
      expect(d.get({ KOKkommuneregion0000: '0219', KOKartkap0000: 'AGD13', ContentsCode: 'KOSbelop0000', Tid: '2020' })).to.deep.equal({ value: null, status: '.' });
      expect(d.get({ KOKkommuneregion0000: '3024', KOKartkap0000: 'AGD13', ContentsCode: 'KOSbelop0000', Tid: '2024' })).to.deep.equal({ value: null, status: '.' });
      expect(d.get({ KOKkommuneregion0000: '3201', KOKartkap0000: 'AGD13', ContentsCode: 'KOSbelop0000', Tid: '2024' }).value).to.equal(16300000);
      expect(Object.keys(r.status)).to.have.length(6);
      const secret = decode((await data('12362', dataQuery({ KOKkommuneregion0000: '1849', KOKfunksjon0000: 'FGK13,244', KOKart0000: 'AGD2', ContentsCode: 'KOSbelop0000', Tid: '2016,2017' }))).json);
      expect(secret.get({ KOKkommuneregion0000: '1849', KOKfunksjon0000: '244', KOKart0000: 'AGD2', ContentsCode: 'KOSbelop0000', Tid: '2016' })).to.deep.equal({ value: null, status: ':' });
      expect(secret.get({ KOKkommuneregion0000: '1849', KOKfunksjon0000: '244', KOKart0000: 'AGD2', ContentsCode: 'KOSbelop0000', Tid: '2017' }).status).to.equal(undefined);
      const missing = decode((await data('12134', dataQuery({ KOKkommuneregion0000: 'EAK', ContentsCode: 'KOSKG280000', Tid: '2015' }))).json);
      expect(missing.get({ KOKkommuneregion0000: 'EAK', ContentsCode: 'KOSKG280000', Tid: '2015' })).to.deep.equal({ value: null, status: '..' });
    });

    it('a region codelist restricts the codes it holds; GET /codelists/{id} lists it; unknown ids are 400/404', async () => {
      const ok = await data('12137', `${dataQuery({ KOKkommuneregion0000: '32*', KOKartkap0000: 'AGD13', ContentsCode: 'KOSbelop0000', Tid: '2024' })}&codelist[KOKkommuneregion0000]=agg_KOGkommuneregion000005402`);
      expect(ok.status, ok.text).to.equal(200);
      expect(Object.keys(ok.json.dimension.KOKkommuneregion0000.category.index)[0]).to.equal('3201');
      expectProblem(await data('12137', `${dataQuery({ KOKkommuneregion0000: 'EAK', KOKartkap0000: 'AGD13', ContentsCode: 'KOSbelop0000', Tid: '2024' })}&codelist[KOKkommuneregion0000]=agg_KOGkommuneregion000005402`), 400, 'Non-existent value');
      expectProblem(await data('12137', `${dataQuery({ KOKkommuneregion0000: 'EAK', KOKartkap0000: 'AGD13', ContentsCode: 'KOSbelop0000', Tid: '2024' })}&codelist[KOKkommuneregion0000]=agg_nope`), 400, 'Non-existent codelist');
      const cl = await call(`${s.url}/codelists/agg_KOGkommuneregion000005402`);
      expect(cl.json.values.find((v: any) => v.code === '3201')).to.deep.equal({ code: '3201', label: 'Bærum', valueMap: ['3201'] });
      expectProblem(await call(`${s.url}/codelists/vs_nope`), 404, 'Non-existent codelist');
    });
  });

  describe('errors like the reference server', () => {
    const base = { KOKkommuneregion0000: 'EAK', KOKartkap0000: 'AGD13', ContentsCode: 'KOSbelop0000', Tid: '2024' };

    it('400 "Non-existent variable"', async () => {
      expectProblem(await data('12137', dataQuery({ ...base, Kjonn: '1' })), 400, 'Non-existent variable');
      expectProblem(await data('12137', `${dataQuery(base)}&heading=Nope`), 400, 'Non-existent variable');
    });

    it('400 "Non-existent value", also inside from/to/range', async () => {
      expectProblem(await data('12137', dataQuery({ ...base, KOKartkap0000: 'AGD99' })), 400, 'Non-existent value');
      expectProblem(await data('12137', dataQuery({ ...base, Tid: '[range(2010,2024)]' })), 400, 'Non-existent value');
      expectProblem(await data('12137', dataQuery({ ...base, Tid: 'from(1999)' })), 400, 'Non-existent value');
    });

    it('400 "Missing selection for mandantory variable" (sic) when a non-eliminable variable is left out', async () => {
      const { KOKartkap0000: _, ...rest } = base;
      void _;
      expectProblem(await data('12137', dataQuery(rest)), 400, 'Missing selection for mandantory variable');
      expectProblem(await post(`${s.url}/tables/07459/data`, { selection: [{ variableCode: 'Kjonn', valueCodes: ['1'] }, { variableCode: 'Tid', valueCodes: ['2024'] }, { variableCode: 'ContentsCode', valueCodes: ['*'] }] }), 400, 'Missing selection for mandantory variable');
    });

    it('400 "Illegal selection expression", e.g. an unbracketed range in GET or top(0)', async () => {
      expectProblem(await data('12137', dataQuery({ ...base, Tid: 'range(2020,2024)' })), 400, 'Illegal selection expression');
      expectProblem(await data('12137', dataQuery({ ...base, Tid: 'top(0)' })), 400, 'Illegal selection expression');
      expectProblem(await data('12137', dataQuery({ ...base, Tid: 'top(x)' })), 400, 'Illegal selection expression');
      expectProblem(await post(`${s.url}/tables/12137/data`, '{not json'), 400, 'Illegal selection expression');
    });

    it('400 "Too many cells selected" above 800 000 cells (12362 everything = 2.3 million)', async () => {
      const r = await post(`${s.url}/tables/12362/data`, {
        selection: ['KOKkommuneregion0000', 'KOKfunksjon0000', 'KOKart0000', 'ContentsCode', 'Tid'].map((v) => ({ variableCode: v, valueCodes: ['*'] })),
      });
      expectProblem(r, 400, 'Too many cells selected');
      expect(r.json.detail).to.match(/^2337000 cells selected, the maximum is 800000$/);
    });

    it('400 "Unsupported output format" for anything but json-stat2, and for outputFormatParams', async () => {
      expectProblem(await data('12137', `${dataQuery(base)}&outputFormat=csv`), 400, 'Unsupported output format');
      expectProblem(await data('12137', `${dataQuery(base)}&outputFormat=json-stat2&outputFormatParams=UseCodes`), 400, 'Unsupported output format');
    });

    it('500 with an empty body when a value code is repeated', async () => {
      const r = await data('12137', dataQuery({ ...base, Tid: '2024,2023,2024' }));
      expect(r.status).to.equal(500);
      expect(r.text).to.equal('');
      const viaSource = await createEmulatorSource()
        .data('12137', { selection: [{ variableCode: 'KOKkommuneregion0000', valueCodes: ['EAK', 'eak'] }, { variableCode: 'KOKartkap0000', valueCodes: ['AGD13'] }, { variableCode: 'ContentsCode', valueCodes: ['KOSbelop0000'] }, { variableCode: 'Tid', valueCodes: ['2024'] }] })
        .catch((e) => e);
      expect(viaSource).to.be.instanceOf(PxProblemError);
      expect(viaSource).to.include({ status: 500, problem: undefined, transient: true });
    });

    it('404 for any URL over 2 100 characters, even a valid selection', async () => {
      const many = Array.from({ length: 500 }, (_, i) => String(1000 + i)).join(',');
      const r = await data('12137', dataQuery({ ...base, KOKkommuneregion0000: many }));
      expect(r.status).to.equal(404);
      expect(r.text).to.equal('');
      expect(r.headers.get('x-ratelimit-limit')).to.equal('100000');
      const log = s.requests[s.requests.length - 1];
      expect(log.urlLength).to.be.greaterThan(2100);
      expect(log.status).to.equal(404);
    });

    it('the in-process emulator throws the same problems', async () => {
      const src = createEmulatorSource();
      const err = await src.data('12137', { selection: [{ variableCode: 'Nope', valueCodes: ['1'] }] }).catch((e) => e);
      expect(err).to.be.instanceOf(PxProblemError);
      expect(err).to.include({ status: 400, title: 'Non-existent variable', transient: false });
      const missing = await src.table('99999').catch((e) => e);
      expect(missing).to.include({ status: 404, title: 'Non-existent table' });
      expect(src.stats()).to.deep.equal({ requests: 2, retries: 0, dataRequests: 0 });
    });

    it('unsupported language is 400; lang=en is accepted', async () => {
      expect((await call(`${s.url}/tables/12137?lang=en`)).json.language).to.equal('en');
      expectProblem(await call(`${s.url}/tables/12137?lang=xx`), 400, 'Unsupported language');
    });
  });

  describe('Klass', () => {
    it('changes.json lists renumberings, mergers and splits in [from, to)', async () => {
      const r = await call(`${s.klassUrl}/classifications/131/changes.json?from=2019-01-01&to=2025-01-01`);
      expect(r.status).to.equal(200);
      const rows = r.json.codeChanges as { oldCode: string; newCode: string; changeOccurred: string; oldName: string; newName: string }[];
      const has = (o: string, n: string, d: string) => rows.some((x) => x.oldCode === o && x.newCode === n && x.changeOccurred === d);
      expect(has('0219', '3024', '2020-01-01')).to.equal(true);
      expect(has('3024', '3201', '2024-01-01')).to.equal(true);
      for (const old of ['0220', '0627', '0628']) expect(has(old, '3025', '2020-01-01'), old).to.equal(true);
      expect(has('1507', '1508', '2024-01-01') && has('1507', '1580', '2024-01-01'), 'Ålesund split').to.equal(true);
      expect(has('1850', '1806', '2020-01-01') && has('1850', '1875', '2020-01-01'), 'Tysfjord split').to.equal(true);
      expect(has('1141', '1103', '2020-01-01')).to.equal(true);
      expect(has('5030', '5001', '2020-01-01')).to.equal(true);
      expect(rows.some((x) => x.changeOccurred < '2019-01-01')).to.equal(false);
      expect(rows.find((x) => x.oldCode === '5401')).to.include({ oldName: 'Tromsø - Romsa - Tromssa', newCode: '5501' });
      const early = await call(`${s.klassUrl}/classifications/131/changes?from=2015-01-01&to=2019-01-01`, { headers: { accept: 'application/json' } });
      expect(early.json.codeChanges.map((x: any) => `${x.oldCode}>${x.newCode}@${x.changeOccurred}`)).to.include.members(['1601>5001@2018-01-01', '1662>5030@2018-01-01', '0706>0710@2017-01-01']);
    });

    it('codesAt gives the codes valid on a date', async () => {
      const codes = async (d: string) => ((await call(`${s.klassUrl}/classifications/131/codesAt.json?date=${d}`)).json.codes as { code: string }[]).map((c) => c.code);
      const c2024 = await codes('2024-01-01');
      expect(c2024).to.include('3201').and.not.include('3024');
      expect(await codes('2022-06-30')).to.include('3024').and.include('1507').and.not.include('3201');
      expect(await codes('2016-01-01')).to.include('0706').and.include('0219');
    });

    it('unknown classification is 404 with a plain-text body; bad dates are 400', async () => {
      const r = await call(`${s.klassUrl}/classifications/999/changes.json?from=2019-01-01&to=2025-01-01`);
      expect(r.status).to.equal(404);
      expect(r.headers.get('content-type')).to.match(/^text\/plain/);
      expect((await call(`${s.klassUrl}/classifications/131/changes.json?from=2019&to=2025-01-01`)).status).to.equal(400);
    });
  });
});
