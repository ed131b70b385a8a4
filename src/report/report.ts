/**
 * The report page: a reference front-end over the public GraphQL API that shows the tables and charts of
 * Bærum's KOSTRA analysis for any municipality, peer group and year.
 *
 * Served offline like the explorer (municipal networks often have no internet): Chart.js comes from the
 * installed package, the page script and stylesheet from this folder, all under a strict CSP.
 *
 *   GET <path>                  -> the page (strict CSP: only 'self', no inline script or style)
 *   GET <path>/assets/<asset>   -> chart.umd.js, report.js, report.css (content-hashed ?v= URLs)
 *
 * The page itself only talks to the GraphQL endpoint, with the operations of ./operations.ts.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import express from 'express';
import type { Request, Response, Router } from 'express';
import { assetRoutes, browserScript, contentVersion, escapeHtml, jsonForScript, packageFile, pageCsp, sendPage, type Asset } from '../web/assets';
import { COUNTRY_REGION, REPORT_OPERATIONS, REPORT_RATIOS } from './operations';
import { REPORT_CSS } from './styles';

export interface ReportOptions {
  /** Path of the page; default '/report'. */
  path?: string;
  /** The GraphQL endpoint the page queries, e.g. '/graphql'. */
  endpoint: string;
  /** The explorer page the "query" links open; default the endpoint (the explorer lives at the API's URL). */
  explorer?: string;
  /** Chosen when the page opens: a municipality name and a peer group id. */
  defaults?: { municipality: string; peerGroup: string };
}

export const REPORT_CSP = pageCsp(['img-src']);
const JS = 'text/javascript; charset=utf-8';

function buildAssets(): Map<string, Asset> {
  const assets = new Map<string, Asset>();
  const chart = readFileSync(packageFile('chart.js', 'dist/chart.umd.js'));
  assets.set('chart.umd.js', { body: chart, contentType: JS, version: contentVersion(chart) });
  // Only devtools fetch the map (named by the bundle's sourceMappingURL); a nicety, never versioned.
  const chartMap = packageFile('chart.js', 'dist/chart.umd.js.map');
  if (existsSync(chartMap)) assets.set('chart.umd.js.map', { body: readFileSync(chartMap), contentType: 'application/json', version: '' });
  const js = Buffer.from(browserScript(path.join(__dirname, 'client.js')), 'utf8');
  assets.set('report.js', { body: js, contentType: JS, version: contentVersion(js) });
  const css = Buffer.from(REPORT_CSS, 'utf8');
  assets.set('report.css', { body: css, contentType: 'text/css; charset=utf-8', version: contentVersion(css) });
  return assets;
}

function renderPage(config: unknown, explorer: string, assetUrl: (name: string) => string): string {
  return `<!doctype html>
<html lang="nb">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>KOSTRA-analyse – kostra-warehouse</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${assetUrl('report.css')}">
<script type="application/json" id="report-config">${jsonForScript(config)}</script>
<script defer src="${assetUrl('chart.umd.js')}"></script>
<script defer src="${assetUrl('report.js')}"></script>
</head>
<body class="report">
<header class="report-header">
  <div>
    <h1>KOSTRA-analyse <span id="title-municipality"></span><span id="demo-badge" class="demo-badge" hidden>Demodata</span></h1>
    <p class="report-source">Kilde: Statistisk sentralbyrå (SSB), KOSTRA · <span id="data-version">dataversjon –</span> · <a href="${escapeHtml(explorer)}">GraphQL-utforskeren</a></p>
  </div>
  <div class="report-controls">
    <label>Kommune <select id="municipality"></select></label>
    <label>Sammenligningsgruppe <select id="peer-group"></select></label>
    <label>År <select id="year"></select></label>
  </div>
</header>
<div id="demo-notice" class="report-demo" role="note" hidden></div>
<main class="report-main">
  <section id="status" class="report-section" aria-live="polite"><p class="loading">Henter tallene…</p><noscript>Rapportsiden trenger JavaScript. API-et er på ${escapeHtml(explorer)}.</noscript></section>
  <section id="tax-growth" class="report-section"></section>
  <section id="ratios" class="report-section wide"></section>
  <section id="service-areas" class="report-section wide"></section>
  <section id="efficiency" class="report-section wide"></section>
</main>
<footer class="report-footer">Kilde: Statistisk sentralbyrå, lisens CC BY 4.0. Utgiftsbehov og kommunal deflator er kuraterte tall (se warehouseStatus.curatedInputs). Hvert tall lenker til GraphQL-spørringen som ga det.</footer>
</body>
</html>
`;
}

export function reportRouter(options: ReportOptions): Router {
  const pagePath = (options.path ?? '/report').replace(/\/+$/, '');
  if (!/^\/[\w/-]+$/.test(pagePath)) throw new Error(`report: path must be a plain path, got ${options.path}`);
  const explorer = options.explorer ?? options.endpoint;
  const assetBase = `${pagePath}/assets`;
  const assets = buildAssets();
  const { url: assetUrl, handler: serveAsset } = assetRoutes('report', assetBase, assets);
  const html = renderPage({
    endpoint: options.endpoint,
    explorer,
    operations: REPORT_OPERATIONS,
    ratios: REPORT_RATIOS,
    country: COUNTRY_REGION,
    defaults: options.defaults ?? { municipality: 'Bærum', peerGroup: 'asss-u-oslo' },
  }, explorer, assetUrl);
  const router = express.Router();

  router.get(pagePath, (_req: Request, res: Response) => sendPage(res, REPORT_CSP, html));
  router.get(`${assetBase}/:file`, serveAsset);

  return router;
}
