/**
 * Offline GraphQL explorer (GraphiQL 3) served from installed npm packages.
 *
 * Municipal networks often have no internet access, and Apollo's default landing page (Sandbox) loads
 * from a CDN. This router serves GraphiQL, React and ReactDOM straight out of node_modules, at the same
 * URL as the API:
 *
 *   GET  <endpoint>  with an Accept header that prefers text/html and no `query`/`extensions` parameter
 *        -> the explorer page (strict CSP: only 'self', no inline script)
 *   GET  <endpoint>/explorer/<asset>  -> GraphiQL / React UMD bundles, the page's own script and CSS
 *   everything else -> next(), i.e. Apollo (mount this router BEFORE expressMiddleware)
 */
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import path from 'node:path';
import express from 'express';
import type { NextFunction, Request, Response, Router } from 'express';
import { assetRoutes, browserScript, contentVersion, escapeHtml, jsonForScript, packageFile, pageCsp, sendPage, type Asset } from '../web/assets';
import { EXPLORER_CSS } from './styles';

export interface ExplorerExample {
  /** Shown nowhere by GraphiQL itself (tab titles come from the operation name); kept for listings/logs. */
  name: string;
  query: string;
  /** JSON text for the variables editor. */
  variables?: string;
  description?: string;
}

export interface ExplorerOptions {
  /** Path of the GraphQL API, e.g. '/graphql'. The explorer page is served at the same path. */
  endpoint: string;
  /** Page title, also shown in the page's header line (above GraphiQL, not in its tab bar). */
  title: string;
  /** Opened as tabs (GraphiQL `defaultTabs`); the first one is also the initial query. */
  examples: ExplorerExample[];
  /** Optional notice shown above the explorer, e.g. "Synthetic demo data". Plain text. */
  /** A notice above the explorer; a function is read on every page load (e.g. "demo data" until live data arrives). */
  banner?: string | (() => string | undefined);
}

/** Media types Apollo Server negotiates between; the page is served only when text/html wins. */
const NEGOTIATED_TYPES = [
  'application/json',
  'application/graphql-response+json',
  'multipart/mixed',
  'text/html',
];

// GraphiQL's CSS embeds its fonts and a few icons as data: URLs.
export const EXPLORER_CSP = pageCsp(['img-src', 'font-src']);

function buildAssetTable(): Map<string, Asset> {
  const files: Record<string, string> = {
    'react.production.min.js': packageFile('react', 'umd/react.production.min.js'),
    'react-dom.production.min.js': packageFile('react-dom', 'umd/react-dom.production.min.js'),
    'graphiql.min.js': packageFile('graphiql', 'graphiql.min.js'),
    'graphiql.min.js.map': packageFile('graphiql', 'graphiql.min.js.map'),
    'graphiql.min.css': packageFile('graphiql', 'graphiql.min.css'),
    'graphiql.min.css.map': packageFile('graphiql', 'graphiql.min.css.map'),
  };
  const table = new Map<string, Asset>();
  for (const [name, file] of Object.entries(files)) {
    if (!existsSync(file)) {
      if (name.endsWith('.map')) continue; // source maps are a nicety
      throw new Error(`explorer: asset ${name} not found at ${file}`);
    }
    // Source maps are only fetched by devtools (via the bundles' sourceMappingURL), never versioned.
    const body = readFileSync(file);
    const contentType = name.endsWith('.js') ? 'text/javascript; charset=utf-8' : name.endsWith('.css') ? 'text/css; charset=utf-8' : 'application/json';
    table.set(name, { body, contentType, version: name.endsWith('.map') ? '' : contentVersion(body) });
  }
  // Our own browser code: client.ts, compiled by tsc next to this file (CommonJS), wrapped for the browser.
  const js = Buffer.from(browserScript(path.join(__dirname, 'client.js')), 'utf8');
  table.set('explorer.js', { body: js, contentType: 'text/javascript; charset=utf-8', version: contentVersion(js) });
  // Kept in a .ts module so that it ends up in dist/ without a copy step.
  const css = Buffer.from(EXPLORER_CSS, 'utf8');
  table.set('explorer.css', { body: css, contentType: 'text/css; charset=utf-8', version: contentVersion(css) });
  return table;
}

function normaliseEndpoint(endpoint: string): string {
  if (!endpoint.startsWith('/')) throw new Error(`explorer: endpoint must be a path starting with '/', got ${endpoint}`);
  const trimmed = endpoint.replace(/\/+$/, '');
  if (trimmed === '') throw new Error("explorer: endpoint must not be '/'");
  if (/[:*?+!()[\]{}]/.test(trimmed)) throw new Error(`explorer: endpoint must be a plain path, got ${endpoint}`);
  return trimmed;
}

function renderExplorerPage(
  options: ExplorerOptions,
  assetUrl: (name: string) => string,
): string {
  const endpoint = normaliseEndpoint(options.endpoint);
  const config = {
    endpoint,
    title: options.title,
    examples: options.examples.map((e) => ({
      name: e.name,
      query: e.query,
      ...(e.variables !== undefined ? { variables: e.variables } : {}),
    })),
  };
  const bannerText = typeof options.banner === 'function' ? options.banner() : options.banner;
  const banner = bannerText ? `<p class="explorer-banner" role="note">${escapeHtml(bannerText)}</p>` : '';
  const header = `<header class="explorer-header"><h1 class="explorer-title">${escapeHtml(options.title)}</h1>${banner}</header>\n`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(options.title)}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${assetUrl('graphiql.min.css')}">
<link rel="stylesheet" href="${assetUrl('explorer.css')}">
<script type="application/json" id="explorer-config">${jsonForScript(config)}</script>
<script defer src="${assetUrl('react.production.min.js')}"></script>
<script defer src="${assetUrl('react-dom.production.min.js')}"></script>
<script defer src="${assetUrl('graphiql.min.js')}"></script>
<script defer src="${assetUrl('explorer.js')}"></script>
</head>
<body class="explorer">
${header}<main id="graphiql" class="explorer-root"><p class="explorer-loading">Loading the GraphQL explorer…</p><noscript>The GraphQL explorer needs JavaScript. The API itself is at ${escapeHtml(endpoint)} (POST application/json).</noscript></main>
</body>
</html>
`;
}

/** True when the request is a browser navigation to the API URL (and not a GraphQL GET request). */
function wantsExplorerPage(req: Request): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  const query = req.query as Record<string, unknown> | undefined;
  if (query && (query.query !== undefined || query.extensions !== undefined)) return false;
  if (!req.headers.accept) return false;
  return req.accepts(NEGOTIATED_TYPES) === 'text/html';
}

export function explorerRouter(options: ExplorerOptions): Router {
  const endpoint = normaliseEndpoint(options.endpoint);
  const assetBase = `${endpoint}/explorer`;
  const assets = buildAssetTable();
  const { url: assetUrl, handler: serveAsset } = assetRoutes('explorer', assetBase, assets);
  // Rendered per request only when the banner can change; otherwise once.
  const fixed = typeof options.banner === 'function' ? null : renderExplorerPage({ ...options, endpoint }, assetUrl);
  const html = () => fixed ?? renderExplorerPage({ ...options, endpoint }, assetUrl);
  const router = express.Router();

  router.get(endpoint, (req: Request, res: Response, next: NextFunction) => {
    // Whatever we answer, it depends on Accept: caches must keep HTML and JSON apart.
    res.vary('Accept');
    if (!wantsExplorerPage(req)) return next();
    sendPage(res, EXPLORER_CSP, html());
  });

  router.get(`${assetBase}/:file`, serveAsset);

  return router;
}

/**
 * Reads `*.graphql` files from `dir` (sorted by file name). name = file name without extension; a leading
 * `# ` comment line becomes the description (and stays in the query, so it is visible in the editor).
 * An optional sibling `<name>.variables.json` supplies the variables editor's content.
 */
export function loadExampleOperations(dir: string): ExplorerExample[] {
  const files = readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isFile() && d.name.endsWith('.graphql'))
    .map((d) => d.name)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return files.map((file) => {
    const name = file.slice(0, -'.graphql'.length);
    const query = readFileSync(path.join(dir, file), 'utf8').replace(/^\uFEFF/, '').trimEnd();
    const example: ExplorerExample = { name, query };
    const firstLine = query.split(/\r?\n/, 1)[0];
    const match = /^#\s+(.*\S)\s*$/.exec(firstLine);
    if (match) example.description = match[1];
    const variablesFile = path.join(dir, `${name}.variables.json`);
    if (existsSync(variablesFile)) {
      const text = readFileSync(variablesFile, 'utf8').replace(/^\uFEFF/, '').trim();
      try {
        JSON.parse(text);
      } catch (e) {
        throw new Error(`explorer: ${variablesFile} is not valid JSON: ${(e as Error).message}`);
      }
      example.variables = text;
    }
    return example;
  });
}
