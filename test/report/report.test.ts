import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { parse, validate } from 'graphql';
import type { Browser, Page } from 'playwright-core';
import { chromiumAvailable, editorValue, launchChromium, queryEditorValue, runActiveTab } from '../explorer/browser';
import { startHarness, type Harness } from '../graphql/harness';
import { REPORT_CSP } from '../../src/report/report';
import { REPORT_OPERATIONS, REPORT_RATIOS } from '../../src/report/operations';
import { buildAppSchema } from '../../src/schema/build-schema';
import { openReport, waitForReport, type ReportSession } from './browser';

const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';
const GROUP = 'asss-u-oslo';
const DASH = '–';

function assetUrls(html: string): string[] {
  return [...html.matchAll(/<(?:script|link)\b[^>]*\b(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
}

/** A figure as the page shows it (Norwegian: spaces between thousands, decimal comma, U+2212 minus). */
function shown(text: string): number | null {
  const t = text.trim();
  if (t === DASH) return null;
  const n = Number(t.replace(/\s|%/g, '').replace(/\u2212/g, '-').replace(',', '.'));
  if (Number.isNaN(n)) throw new Error(`not a figure: ${JSON.stringify(text)}`);
  return n;
}
const rounded = (v: number | null, decimals: number): number | null => (v === null ? null : Number(v.toFixed(decimals)));

interface Figure {
  text: string;
  title: string;
  href: string;
}

/** Every figure on the page by its data-cell key. */
async function figures(page: Page): Promise<Map<string, Figure>> {
  const list = await page.$$eval('[data-cell]', (els) => els.map((e: any) => [e.dataset.cell, { text: e.textContent, title: e.title, href: e.getAttribute('href') }] as const));
  return new Map(list as [string, Figure][]);
}

function figure(all: Map<string, Figure>, cell: string): Figure {
  const f = all.get(cell);
  if (!f) throw new Error(`the page shows no figure ${cell} (has ${[...all.keys()].slice(0, 5).join(', ')}…)`);
  return f;
}

/** A shown figure equals the API's value (null: a dash whose tooltip carries the API's reason). */
function expectFigure(all: Map<string, Figure>, cell: string, expected: number | null, reason?: string | null): void {
  const f = figure(all, cell);
  expect(shown(f.text), cell).to.equal(expected);
  if (expected === null && reason) expect(f.title, cell).to.include(reason);
}

describe('report page', function () {
  this.timeout(60_000);
  let h: Harness;
  let base: string;

  async function gql<T = any>(query: string, variables?: Record<string, unknown>): Promise<T> {
    const res = await h.gql<T>(query, variables);
    expect(res.body.errors, JSON.stringify(res.body.errors)).to.equal(undefined);
    return res.body.data as T;
  }

  async function municipalityKey(ref: string): Promise<string> {
    return (await gql<{ municipality: { key: string } }>('query($ref: String!) { municipality(ref: $ref) { key } }', { ref })).municipality.key;
  }

  before(async function () {
    h = await startHarness();
    base = h.url.replace(/\/graphql$/, '');
  });

  after(async function () {
    await h?.close();
  });

  describe('over HTTP', function () {
    it('serves the page with a strict CSP, only local assets and no inline script but the JSON config', async function () {
      const res = await fetch(`${base}/report`, { headers: { accept: BROWSER_ACCEPT } });
      expect(res.status).to.equal(200);
      expect(res.headers.get('content-type')).to.match(/^text\/html/);
      expect(res.headers.get('content-security-policy')).to.equal(REPORT_CSP);
      expect(REPORT_CSP).to.include("default-src 'none'").and.include("script-src 'self'").and.include("style-src 'self'").and.include("connect-src 'self'");
      expect(REPORT_CSP).not.to.match(/unsafe-inline|unsafe-eval|https?:|\*/);
      const html = await res.text();
      expect(html).not.to.match(/https?:\/\//);
      expect(html).not.to.match(/\sstyle=/i);
      const inline = [...html.matchAll(/<script\b(?![^>]*\bsrc=)([^>]*)>/g)].map((m) => m[1]);
      expect(inline).to.deep.equal([' type="application/json" id="report-config"']);
      for (const u of assetUrls(html)) expect(u).to.match(/^(\/report\/assets\/[\w.-]+\?v=[0-9a-f]{12}$|data:)/);
    });

    it('serves Chart.js from the installed package and its own script and stylesheet, cacheable by content hash', async function () {
      const html = await (await fetch(`${base}/report`)).text();
      const urls = assetUrls(html).filter((u) => u.startsWith('/'));
      const names = urls.map((u) => u.replace(/^\/report\/assets\//, '').replace(/\?.*$/, '')).sort();
      expect(names).to.deep.equal(['chart.umd.js', 'report.css', 'report.js']);
      for (const u of urls) {
        const res = await fetch(base + u);
        expect(res.status, u).to.equal(200);
        expect(res.headers.get('cache-control'), u).to.equal('public, max-age=31536000, immutable');
        expect(res.headers.get('content-type'), u).to.match(u.includes('.css') ? /^text\/css/ : /^text\/javascript/);
        const body = Buffer.from(await res.arrayBuffer());
        if (u.includes('chart.umd.js')) {
          const installed = path.join(path.dirname(require.resolve('chart.js')), 'chart.umd.js');
          expect(body.equals(readFileSync(installed)), 'chart.umd.js is the installed bundle').to.equal(true);
        }
      }
      const stale = await fetch(`${base}/report/assets/report.js?v=000000000000`);
      expect(stale.headers.get('cache-control')).to.equal('no-cache');
      for (const bad of ['nope.js', '..%2Fpackage.json', 'client.js', 'report.ts']) {
        expect((await fetch(`${base}/report/assets/${bad}`)).status, bad).to.equal(404);
      }
    });

    it("sends only valid operations of the public schema", async function () {
      const schema = await buildAppSchema();
      for (const [name, text] of Object.entries(REPORT_OPERATIONS)) {
        expect(validate(schema, parse(text)).map((e) => e.message), name).to.deep.equal([]);
      }
    });
  });

  describe('in a real browser (Debian chromium)', function () {
    let browser: Browser | undefined;
    let session: ReportSession;
    let page: Page;
    let year: number;
    let shotDir: string;

    before(async function () {
      if (!chromiumAvailable()) {
        console.log('      skipped: chromium not installed: apt-get install chromium to run the report browser test');
        this.skip();
      }
      // The report's year: the latest year for which the country has a resultatgrad (asked differently from the page).
      const { years } = await gql<{ years: number[] }>('{ years }');
      const country = await gql('query($years: [Int!]!) { metricSeries(metric: "resultatgrad", subjects: [{ region: "EAK" }], years: { list: $years }) { series { points { year value } } } }', { years });
      year = Math.max(...country.metricSeries.series[0].points.filter((p: any) => p.value !== null).map((p: any) => p.year));
      shotDir = mkdtempSync(path.join(os.tmpdir(), 'report-shot-'));
      browser = await launchChromium();
      session = await openReport(browser, `${base}/report`);
      page = session.page;
    });

    after(async function () {
      await browser?.close();
      if (shotDir) rmSync(shotDir, { recursive: true, force: true });
    });

    /** The status table against peerComparison, metric by metric. */
    async function checkStatusTable(municipality: string, peerGroup: string, y: number): Promise<void> {
      const all = await figures(page);
      for (const { metric } of REPORT_RATIOS) {
        const { peerComparison: pc } = await gql(`query($metric: String!, $group: String!, $year: Int!, $m: String!) {
          peerComparison(metric: $metric, peerGroup: $group, year: $year, highlight: [$m]) {
            weightedAverage { value reason }
            highest { indexRounded municipality { name } } lowest { indexRounded municipality { name } }
            highlighted { rounded indexRounded rank reason } members { rank }
          } }`, { metric, group: peerGroup, year: y, m: municipality });
        const cell = (what: string) => `status:${metric}:${what}`;
        expectFigure(all, cell('average'), pc.weightedAverage.value === null ? null : 100, pc.weightedAverage.reason);
        expectFigure(all, cell('highest'), pc.highest?.indexRounded ?? null);
        expectFigure(all, cell('lowest'), pc.lowest?.indexRounded ?? null);
        if (pc.highest) expect(figure(all, cell('highest')).title, cell('highest')).to.include(pc.highest.municipality.name);
        const own = pc.highlighted[0];
        expectFigure(all, cell('municipality'), own.indexRounded, own.reason);
        expectFigure(all, cell('value'), own.rounded, own.reason);
        const rank = figure(all, cell('rank')).text;
        expect(rank, cell('rank')).to.equal(own.rank === null ? DASH : `${own.rank} av ${pc.members.length}`);
      }
    }

    /** The eight charts (Chart.js instances and their pixels) and their tables against metricSeries. */
    async function checkRatioCharts(municipality: string, peerGroup: string, y: number): Promise<void> {
      const charts = await page.$$eval('#ratios .chart-card', (cards) => cards.map((card: any) => {
        const canvas = card.querySelector('canvas');
        const chart = (globalThis as any).Chart.getChart(canvas);
        const ctx = canvas.getContext('2d');
        const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
        // Pixels of the municipality's and the group's line colours (#1f5fa8, #d9730d), anti-aliasing allowed.
        const near = (i: number, [r, g, b]: number[]) => data[i + 3] > 200 && Math.abs(data[i] - r) + Math.abs(data[i + 1] - g) + Math.abs(data[i + 2] - b) < 60;
        let municipalityPixels = 0;
        let groupPixels = 0;
        for (let i = 0; i < data.length; i += 4) {
          if (near(i, [0x1f, 0x5f, 0xa8])) municipalityPixels++;
          if (near(i, [0xd9, 0x73, 0x0d])) groupPixels++;
        }
        return {
          metric: card.dataset.metric as string,
          type: chart?.config.type as string | undefined,
          labels: chart?.data.labels as string[],
          datasets: (chart?.data.datasets ?? []).map((d: any) => ({ label: d.label, data: d.data })),
          width: canvas.width as number,
          municipalityPixels,
          groupPixels,
        };
      }));
      expect(charts.map((c) => c.metric)).to.deep.equal(REPORT_RATIOS.map((r) => r.metric));
      const all = await figures(page);
      const from = y - 4;
      for (const chart of charts) {
        const { metricSeries: ms } = await gql(`query($metric: String!, $m: String!, $group: String!, $from: Int!, $to: Int!) {
          metricSeries(metric: $metric, subjects: [{ municipality: $m }, { peerGroup: $group }, { region: "EAK" }], years: { from: $from, to: $to }) {
            series { subject { name } points { year value rounded reason } }
          } }`, { metric: chart.metric, m: municipality, group: peerGroup, from, to: y });
        expect(chart.type, chart.metric).to.equal('line');
        expect(chart.labels, chart.metric).to.deep.equal(ms.series[0].points.map((p: any) => String(p.year)));
        expect(chart.datasets, chart.metric).to.deep.equal(ms.series.map((s: any) => ({ label: s.subject.name, data: s.points.map((p: any) => p.value) })));
        const drawn = ms.series.map((s: any) => s.points.filter((p: any) => p.value !== null).length);
        expect(chart.width, chart.metric).to.be.greaterThan(100);
        if (drawn[0] > 1) expect(chart.municipalityPixels, `${chart.metric}: the municipality's line is drawn`).to.be.greaterThan(40);
        if (drawn[1] > 1) expect(chart.groupPixels, `${chart.metric}: the group's line is drawn`).to.be.greaterThan(40);
        ms.series.forEach((s: any, si: number) => s.points.forEach((p: any) =>
          expectFigure(all, `series:${chart.metric}:${si}:${p.year}`, p.rounded, p.reason)));
      }
    }

    /** The service-area table (values, shares, bars) against serviceAreaTable. */
    async function checkServiceAreas(municipality: string, peerGroup: string, y: number): Promise<void> {
      const columns = [y - 2, y - 1, y].map((year) => ({ subject: { municipality }, year })).concat([{ subject: { peerGroup }, year: y } as any]);
      const { serviceAreaTable: t } = await gql(`query($columns: [ServiceAreaColumnInput!]!, $year: Int!) {
        serviceAreaTable(columns: $columns, needCorrected: true, inflateTo: $year) {
          rows { grouping { id } cells { value sharePct reason } } totals { value sharePct reason }
        } }`, { columns, year: y });
      const all = await figures(page);
      expect([...all.keys()].filter((k) => k.startsWith('service:') && k.endsWith(':value')).length).to.equal((t.rows.length + 1) * columns.length);
      for (const row of [...t.rows, { grouping: { id: 'total' }, cells: t.totals }]) {
        row.cells.forEach((c: any, i: number) => {
          expectFigure(all, `service:${row.grouping.id}:${i}:value`, rounded(c.value, 0), c.reason);
          expectFigure(all, `service:${row.grouping.id}:${i}:share`, rounded(c.sharePct, 1), c.reason);
          if (c.value !== null && Math.abs(c.value) >= 1000) expect(figure(all, `service:${row.grouping.id}:${i}:value`).text).to.match(/^−?\d{1,3}(\s\d{3})+$/);
          if (c.sharePct !== null) expect(figure(all, `service:${row.grouping.id}:${i}:share`).text).to.match(/^−?\d+,\d\s%$/);
        });
      }
      // Bars share one scale: each bar's length over its track is |value| / the largest |value| of the rows.
      const largest = Math.max(...t.rows.flatMap((r: any) => r.cells.map((c: any) => Math.abs(c.value ?? 0))));
      const bars = await page.$$eval('#service-areas tbody tr', (rows) => rows.map((r: any) =>
        [...r.querySelectorAll('.bar-track')].map((track: any) => track.querySelector('.bar').getBoundingClientRect().width / track.getBoundingClientRect().width)));
      expect(bars.length).to.equal(t.rows.length);
      t.rows.forEach((row: any, ri: number) => row.cells.forEach((c: any, i: number) =>
        expect(bars[ri][i], `${row.grouping.id} column ${i}`).to.be.closeTo(Math.abs(c.value ?? 0) / largest, 0.02)));
    }

    /** Tax growth against metricSeries of skatt (year-on-year change, average growth) and the tax share. */
    async function checkTaxGrowth(municipality: string, peerGroup: string, y: number): Promise<void> {
      const from = y - 4;
      const data = await gql(`query($m: String!, $group: String!, $from: Int!, $to: Int!, $shareFrom: Int!) {
        skatt: metricSeries(metric: "skatt", subjects: [{ municipality: $m }], years: { from: $from, to: $to }) {
          series { points { year value changePct reason }
            g: averageAnnualGrowth(from: $from, to: $to) { value reason }
            m: averageAnnualGrowth(from: $from, to: $to, method: MEAN_OF_YEAR_ON_YEAR) { value reason } } }
        share: metricSeries(metric: "skatteinntekter_pct_bdi", subjects: [{ municipality: $m }, { peerGroup: $group }], years: { from: $shareFrom, to: $to }) {
          metric { decimals } series { periodAverage(from: $shareFrom, to: $to) { value reason } } }
      }`, { m: municipality, group: peerGroup, from, to: y, shareFrom: y - 3 });
      const all = await figures(page);
      const series = data.skatt.series[0];
      for (const p of series.points) {
        expectFigure(all, `tax:${p.year}:value`, rounded(p.value, 0), p.reason);
        expectFigure(all, `tax:${p.year}:change`, rounded(p.changePct, 1), p.reason);
      }
      expectFigure(all, 'tax:growth:geometric', rounded(series.g.value, 1), series.g.reason);
      expectFigure(all, 'tax:growth:meanOfYearOnYear', rounded(series.m.value, 1), series.m.reason);
      data.share.series.forEach((s: any, i: number) => expectFigure(all, `tax:share:${i}`, rounded(s.periodAverage.value, data.share.metric.decimals), s.periodAverage.reason));
      const bars = await page.$eval('#tax-growth canvas', (canvas: any) => (globalThis as any).Chart.getChart(canvas)?.data.datasets[0].data);
      expect(bars).to.deep.equal(series.points.map((p: any) => p.changePct));
    }

    /** Production, gross expenditure and efficiency (the table, the development and the bars) against efficiencyTable. */
    async function checkEfficiency(municipality: string, peerGroup: string, y: number): Promise<void> {
      const { efficiencyTable: t } = await gql(`query($m: String!, $group: String!, $from: Int!, $to: Int!) {
        efficiencyTable(subject: { municipality: $m }, reference: { peerGroup: $group }, years: { from: $from, to: $to }, needCorrected: true) {
          services { grouping { id } points { year productionIndex costIndex efficiency reason } }
          combined { year productionIndex costIndex efficiency reason } } }`, { m: municipality, group: peerGroup, from: Math.max(2015, y - 3), to: y });
      const all = await figures(page);
      // shown as % above (+) or below (−) the group's average: index − 100
      const deviation = (v: number | null) => (v === null ? null : v - 100);
      const fields = ['productionIndex', 'costIndex', 'efficiency'] as const;
      const inYear = (points: any[]) => points.find((p) => p.year === y);
      const rows = [...t.services.map((s: any) => [s.grouping.id, inYear(s.points)]), ['combined', inYear(t.combined)]] as [string, any][];
      for (const [id, p] of rows) {
        for (const f of fields) {
          expectFigure(all, `eff:${id}:${f}`, rounded(deviation(p[f]), 1), p.reason);
          if (p[f] !== null) expect(figure(all, `eff:${id}:${f}`).text, `eff:${id}:${f}`).to.match(/^([+−]\d+|0),\d\s%$/);
        }
      }
      for (const p of t.combined) for (const f of fields) expectFigure(all, `eff:combined:${p.year}:${f}`, rounded(deviation(p[f]), 1), p.reason);
      const bars = await page.$eval('#efficiency canvas', (canvas: any) => (globalThis as any).Chart.getChart(canvas)?.data.datasets.map((d: any) => d.data));
      expect(bars).to.deep.equal(fields.map((f) => rows.map(([, p]) => deviation(p[f]))));
    }

    it('opens on Bærum, ASSS u/Oslo and the latest year with accounts, chosen from the API', async function () {
      const baerum = await municipalityKey('Bærum');
      expect(await page.evaluate(() => (globalThis as any).document.body.dataset.selection)).to.equal(`${baerum}|${GROUP}|${year}`);
      const choices = await gql('{ municipalities { key name } peerGroups { id name } }');
      const options = await page.$$eval('#municipality option', (opts) => opts.map((o: any) => ({ key: o.value, name: o.textContent })));
      expect(options).to.deep.equal(choices.municipalities);
      expect(await page.$$eval('#peer-group option', (opts) => opts.map((o: any) => o.value))).to.deep.equal(choices.peerGroups.map((p: any) => p.id));
      expect(await page.$$eval('#year option', (opts) => opts.map((o: any) => Number(o.value)))).to.include(year).and.not.include(year + 1);
      expect(await page.locator('h1').innerText()).to.include(`Bærum ${year}`);
    });

    it('shows the demo notice and the data version from the API, and the source', async function () {
      const res = await h.gql('{ years }');
      const warehouse = res.body.extensions!.warehouse;
      expect(warehouse.demo).to.equal(true);
      const notice = page.locator('#demo-notice');
      expect(await notice.isVisible()).to.equal(true);
      expect(await notice.innerText()).to.include(warehouse.notice);
      expect(await page.locator('#demo-badge').isVisible()).to.equal(true);
      const source = await page.locator('.report-source').innerText();
      expect(source).to.include('Kilde: Statistisk sentralbyrå').and.include(`dataversjon ${warehouse.version}`);
    });

    it('shows the status index table of peerComparison for the eight ratios', async function () {
      await checkStatusTable('Bærum', GROUP, year);
    });

    it('draws the eight ratio series as line charts of metricSeries (municipality, group, Landet)', async function () {
      await checkRatioCharts('Bærum', GROUP, year);
    });

    it('shows the service-area table of serviceAreaTable with shares and bars on one scale', async function () {
      await checkServiceAreas('Bærum', GROUP, year);
    });

    it('shows tax growth from metricSeries of skatt', async function () {
      await checkTaxGrowth('Bærum', GROUP, year);
    });

    it('shows production, gross expenditure and efficiency per service and combined from efficiencyTable (the report\'s 0.1 % below the average)', async function () {
      await checkEfficiency('Bærum', GROUP, year);
      if (year === 2024) expect(figure(await figures(page), 'eff:combined:efficiency').text).to.equal('−0,1\u00a0%');
    });

    it('can be photographed whole (as schema/report.png is, by screenshot.ts)', async function () {
      const file = path.join(shotDir, 'report.png');
      await page.screenshot({ path: file, fullPage: true });
      expect(statSync(file).size).to.be.greaterThan(50_000);
    });

    it('links every figure to its operation, and a query link opens it in the explorer with the same answer', async function () {
      const link = page.locator('#status .query-link');
      const href = await link.getAttribute('href');
      const all = await figures(page);
      const own = figure(all, 'status:resultatgrad:municipality');
      expect(own.href).to.equal(href);
      expect(own.title).to.include('ReportStatusIndex → resultatgrad.highlighted[0].indexRounded');
      for (const [cell, f] of all) expect(f.href, cell).to.match(/^\/graphql#query=/);

      const [explorer] = await Promise.all([session.context.waitForEvent('page'), link.click()]);
      await explorer.waitForSelector('.graphiql-query-editor .CodeMirror', { timeout: 15_000 });
      expect(await queryEditorValue(explorer)).to.equal(REPORT_OPERATIONS.statusIndex);
      const variables = JSON.parse(await editorValue(explorer, '.graphiql-editor-tool .CodeMirror'));
      expect(variables).to.deep.equal({ municipality: await municipalityKey('Bærum'), peerGroup: GROUP, year });
      const answer = JSON.parse(await runActiveTab(explorer, 20_000));
      expect(shown(own.text)).to.equal(answer.data.resultatgrad.highlighted[0].indexRounded);
      await explorer.close();
    });

    it('re-renders everything for Asker when the municipality changes', async function () {
      const asker = await municipalityKey('Asker');
      await page.selectOption('#municipality', { label: 'Asker' });
      expect(await waitForReport(page, `${asker}|`)).to.equal(`${asker}|${GROUP}|${year}`);
      expect(await page.locator('h1').innerText()).to.include(`Asker ${year}`);
      expect(new URL(page.url()).searchParams.get('municipality')).to.equal(asker);
      await checkStatusTable('Asker', GROUP, year);
      await checkRatioCharts('Asker', GROUP, year);
      await checkServiceAreas('Asker', GROUP, year);
      await checkTaxGrowth('Asker', GROUP, year);
      await checkEfficiency('Asker', GROUP, year);
    });

    it('shows a dash with the API reason where a value is missing (Tysfjord, dissolved in 2020), never 0', async function () {
      const tysfjord = await municipalityKey('Tysfjord');
      const y = 2020;
      await page.goto(`${base}/report?municipality=${tysfjord}&peerGroup=${GROUP}&year=${y}`);
      expect(await waitForReport(page, `${tysfjord}|`)).to.equal(`${tysfjord}|${GROUP}|${y}`);
      // checkStatusTable and checkTaxGrowth compare every dash's tooltip with the API's reason.
      await checkStatusTable('Tysfjord', GROUP, y);
      await checkTaxGrowth('Tysfjord', GROUP, y);
      await checkRatioCharts('Tysfjord', GROUP, y);
      await checkServiceAreas('Tysfjord', GROUP, y);
      await checkEfficiency('Tysfjord', GROUP, y);
      const missing = await page.$$eval('.figure.missing', (els) => els.map((e: any) => ({ text: e.textContent, title: e.title })));
      expect(missing.length).to.be.greaterThan(10);
      for (const m of missing) {
        expect(m.text).to.equal(DASH);
        expect(m.title).to.match(/^Mangler: \S/);
      }
      expect(await page.locator('[data-cell="status:resultatgrad:municipality"]').getAttribute('title')).to.include('no value for netto_driftsresultat');
    });

    it('made no request outside 127.0.0.1 and hit no CSP violation or script error', function () {
      const origin = new URL(base).origin;
      expect(session.requests.filter((u) => u.includes('/report/assets/chart.umd.js')).length).to.be.greaterThan(0);
      const foreign = session.requests.filter((u) => !u.startsWith(`${origin}/`) && !u.startsWith('data:'));
      expect(foreign, 'requests that left 127.0.0.1').to.deep.equal([]);
      expect(session.errors, 'console errors / failed requests').to.deep.equal([]);
    });
  });
});
