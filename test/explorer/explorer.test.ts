import { mkdtempSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import express from 'express';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import type { Browser } from 'playwright-core';
import { EXPLORER_CSP, explorerRouter, loadExampleOperations, type ExplorerExample } from '../../src/explorer/explorer';
import { DEMO_NOTICE } from '../../src/graphql/resolvers/status.resolver';
import { EXPLORER_TITLE } from '../../src/server';
import { projectRoot } from '../../core/paths';
import {
  CHROMIUM_MISSING,
  chromiumAvailable,
  editorValue,
  launchChromium,
  openExplorer,
  queryEditorValue,
  runActiveTab,
  setEditorValue,
  tabTitles,
  type ExplorerSession,
} from './browser';

const typeDefs = `#graphql
  type Query {
    hello(name: String): String
    "The Authorization header the request carried (to check the headers editor)."
    authorization: String
  }
`;

interface Ctx {
  authorization?: string;
}

const resolvers = {
  Query: {
    hello: (_: unknown, args: { name?: string | null }) => `Hello ${args.name ?? 'world'}`,
    authorization: (_: unknown, __: unknown, ctx: Ctx) => ctx.authorization ?? null,
  },
};

const EXAMPLES: ExplorerExample[] = [
  { name: 'hello', query: '{ hello(name: "Bærum") }' },
  { name: 'greeting', query: 'query Greeting($name: String) {\n  hello(name: $name)\n}', variables: '{ "name": "Tromsø" }' },
  { name: 'whoami', query: 'query WhoAmI {\n  authorization\n}' },
];
const BANNER = 'Synthetic demo data – not official SSB statistics';

interface Running {
  base: string;
  close(): Promise<void>;
}

/** The mounting order the server uses: explorer router first, then express.json() + Apollo on the endpoint. */
async function startApp(page: { title: string; examples: ExplorerExample[]; banner: string } = { title: 'KOSTRA test explorer', examples: EXAMPLES, banner: BANNER }): Promise<Running> {
  const apollo = new ApolloServer<Ctx>({
    typeDefs,
    resolvers,
    plugins: [ApolloServerPluginLandingPageDisabled()],
  });
  await apollo.start();
  const app = express();
  app.use(explorerRouter({ endpoint: '/graphql', ...page }));
  app.use(
    '/graphql',
    express.json(),
    expressMiddleware(apollo, {
      context: async ({ req }) => ({ authorization: req.headers.authorization }),
    }),
  );
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await apollo.stop();
    },
  };
}

const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8';

function assetUrls(html: string): string[] {
  const urls: string[] = [];
  for (const m of html.matchAll(/<(?:script|link)\b[^>]*\b(?:src|href)="([^"]+)"/g)) urls.push(m[1]);
  return urls;
}

describe('explorer', function () {
  let app: Running;

  before(async function () {
    app = await startApp();
  });

  after(async function () {
    await app?.close();
  });

  describe('loadExampleOperations', function () {
    let dir: string;
    before(function () {
      dir = mkdtempSync(path.join(os.tmpdir(), 'explorer-examples-'));
      writeFileSync(path.join(dir, 'b-population.graphql'), 'query Population {\n  hello\n}\n\n');
      writeFileSync(path.join(dir, 'a-municipality.graphql'), '# Look up one municipality\nquery M($name: String) { hello(name: $name) }\n');
      writeFileSync(path.join(dir, 'a-municipality.variables.json'), '{ "name": "Bærum" }\n');
      writeFileSync(path.join(dir, 'c-admin.graphql'), '#no space, not a description\n{ hello }');
      writeFileSync(path.join(dir, 'README.md'), 'not an example');
      mkdirSync(path.join(dir, 'nested.graphql'));
    });
    after(function () {
      rmSync(dir, { recursive: true, force: true });
    });

    it('reads *.graphql files sorted by file name, with description and optional variables', function () {
      const examples = loadExampleOperations(dir);
      expect(examples.map((e) => e.name)).to.deep.equal(['a-municipality', 'b-population', 'c-admin']);
      expect(examples[0]).to.deep.equal({
        name: 'a-municipality',
        query: '# Look up one municipality\nquery M($name: String) { hello(name: $name) }',
        description: 'Look up one municipality',
        variables: '{ "name": "Bærum" }',
      });
      expect(examples[1]).to.deep.equal({ name: 'b-population', query: 'query Population {\n  hello\n}' });
      expect(examples[2].description).to.equal(undefined);
    });

    it('rejects invalid variables files and missing folders', function () {
      writeFileSync(path.join(dir, 'b-population.variables.json'), '{ nope');
      try {
        expect(() => loadExampleOperations(dir)).to.throw(/b-population\.variables\.json is not valid JSON/);
      } finally {
        rmSync(path.join(dir, 'b-population.variables.json'));
      }
      expect(() => loadExampleOperations(path.join(dir, 'missing'))).to.throw(/ENOENT/);
    });
  });

  describe('over HTTP', function () {
    it('serves the explorer page to a browser GET, with a strict CSP and only local assets', async function () {
      const res = await fetch(`${app.base}/graphql`, { headers: { accept: BROWSER_ACCEPT } });
      expect(res.status).to.equal(200);
      expect(res.headers.get('content-type')).to.match(/^text\/html/);
      expect(res.headers.get('content-security-policy')).to.equal(EXPLORER_CSP);
      expect(EXPLORER_CSP).to.include("script-src 'self'").and.include("default-src 'none'");
      expect(EXPLORER_CSP).not.to.match(/unsafe-inline|unsafe-eval|https?:/);
      expect(res.headers.get('vary')).to.match(/Accept/i);
      const html = await res.text();
      expect(html).to.include('<title>KOSTRA test explorer</title>');
      expect(html).to.include('Synthetic demo data – not official SSB statistics');
      expect(html).not.to.match(/<(?:script|link)\b[^>]*\b(?:src|href)="https?:/i);
      expect(html).not.to.match(/https?:\/\//); // not even in the embedded config
      // The only inline <script> is the non-executable JSON config block.
      const inline = [...html.matchAll(/<script\b(?![^>]*\bsrc=)([^>]*)>/g)].map((m) => m[1]);
      expect(inline).to.deep.equal([' type="application/json" id="explorer-config"']);
      const urls = assetUrls(html);
      expect(urls.length).to.be.greaterThan(5);
      for (const u of urls) expect(u).to.match(/^(\/graphql\/explorer\/|data:)/);
    });

    it('serves every asset the page references with the right content type and long cache headers', async function () {
      const html = await (await fetch(`${app.base}/graphql`, { headers: { accept: BROWSER_ACCEPT } })).text();
      const urls = assetUrls(html).filter((u) => u.startsWith('/'));
      const seen: Record<string, string> = {};
      for (const u of urls) {
        const res = await fetch(app.base + u);
        expect(res.status, u).to.equal(200);
        expect(res.headers.get('cache-control'), u).to.equal('public, max-age=31536000, immutable');
        expect(res.headers.get('x-content-type-options'), u).to.equal('nosniff');
        const body = await res.arrayBuffer();
        expect(body.byteLength, u).to.be.greaterThan(100);
        seen[u.replace(/\?.*$/, '').replace('/graphql/explorer/', '')] = res.headers.get('content-type') ?? '';
      }
      expect(Object.keys(seen).sort()).to.deep.equal([
        'explorer.css',
        'explorer.js',
        'graphiql.min.css',
        'graphiql.min.js',
        'react-dom.production.min.js',
        'react.production.min.js',
      ]);
      for (const [name, type] of Object.entries(seen)) {
        expect(type, name).to.match(name.endsWith('.css') ? /^text\/css/ : /^(text|application)\/javascript/);
      }
      // The bytes come from the installed graphiql package, not from a copy in the repo.
      const graphiqlJs = urls.find((u) => u.includes('graphiql.min.js'))!;
      const res = await fetch(app.base + graphiqlJs);
      const size = (await res.arrayBuffer()).byteLength;
      expect(size).to.equal(statSync(path.join(path.dirname(require.resolve('graphiql/package.json')), 'graphiql.min.js')).size);
    });

    it('does not cache an asset forever without the current version, and 404s unknown assets', async function () {
      const res = await fetch(`${app.base}/graphql/explorer/graphiql.min.css`);
      expect(res.status).to.equal(200);
      expect(res.headers.get('cache-control')).to.equal('no-cache');
      for (const bad of ['nope.js', '..%2Fpackage.json', '%2E%2E%2F%2E%2E%2Fpackage.json', 'package.json']) {
        const r = await fetch(`${app.base}/graphql/explorer/${bad}`);
        expect(r.status, bad).to.equal(404);
      }
    });

    it('lets a POST GraphQL request through to Apollo', async function () {
      const res = await fetch(`${app.base}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: BROWSER_ACCEPT },
        body: JSON.stringify({ query: '{ hello(name: "Bærum") }' }),
      });
      expect(res.status).to.equal(200);
      expect(res.headers.get('content-security-policy')).to.equal(null);
      expect(await res.json()).to.deep.equal({ data: { hello: 'Hello Bærum' } });
    });

    it('lets GET ?query= through to Apollo (JSON, and even when the client prefers HTML)', async function () {
      for (const accept of ['application/json', BROWSER_ACCEPT]) {
        const res = await fetch(`${app.base}/graphql?query=${encodeURIComponent('{hello}')}`, {
          headers: { accept, 'apollo-require-preflight': 'true' },
        });
        expect(res.status, accept).to.equal(200);
        expect(res.headers.get('content-type'), accept).to.match(/json/);
        expect(res.headers.get('content-security-policy'), accept).to.equal(null);
        expect(await res.json()).to.deep.equal({ data: { hello: 'Hello world' } });
      }
    });

    it('lets non-browser GETs without a query through to Apollo', async function () {
      for (const headers of [{ accept: '*/*' }, { accept: 'application/json' }, {} as Record<string, string>]) {
        const res = await fetch(`${app.base}/graphql`, { headers });
        expect(res.headers.get('content-security-policy'), JSON.stringify(headers)).to.equal(null);
        expect(await res.text()).not.to.include('explorer-config');
      }
    });
  });

  describe('in a real browser (Debian chromium)', function () {
    this.timeout(20_000);
    let browser: Browser | undefined;
    let session: ExplorerSession;
    let shotDir: string;

    before(async function () {
      if (!chromiumAvailable()) {
        console.log(`      skipped: ${CHROMIUM_MISSING}`);
        this.skip();
      }
      shotDir = mkdtempSync(path.join(os.tmpdir(), 'explorer-shot-'));
      browser = await launchChromium();
      session = await openExplorer(browser, `${app.base}/graphql`);
    });

    after(async function () {
      await browser?.close();
      if (shotDir) rmSync(shotDir, { recursive: true, force: true });
    });

    it('renders GraphiQL with the banner, the examples as tabs and the first example in the editor', async function () {
      const { page } = session;
      expect(await page.locator('.explorer-banner').innerText()).to.equal(BANNER);
      expect(await page.locator('h1.explorer-title').innerText()).to.equal('KOSTRA test explorer');
      expect(await tabTitles(page)).to.deep.equal(['<untitled>', 'Greeting', 'WhoAmI']);
      expect(await queryEditorValue(page)).to.equal('{ hello(name: "Bærum") }');
      // Headers editor is enabled (the admin mutation needs Authorization: Bearer …).
      expect(await page.locator('.graphiql-editor-tools button', { hasText: 'Headers' }).count()).to.equal(1);
    });

    it('runs the example and shows the result in the response pane', async function () {
      const { page } = session;
      const response = await runActiveTab(page);
      expect(JSON.parse(response)).to.deep.equal({ data: { hello: 'Hello Bærum' } });
      expect(await page.locator('.graphiql-response').innerText()).to.include('Hello Bærum');
      const file = path.join(shotDir, 'explorer.png');
      await page.screenshot({ path: file });
      expect(statSync(file).size).to.be.greaterThan(10_000);
    });

    it('runs an example with variables from another tab', async function () {
      const { page } = session;
      await page.locator('.graphiql-tab-button', { hasText: 'Greeting' }).click();
      expect(await queryEditorValue(page)).to.include('query Greeting');
      expect(JSON.parse(await editorValue(page, '.graphiql-editor-tool .CodeMirror'))).to.deep.equal({ name: 'Tromsø' });
      expect(JSON.parse(await runActiveTab(page))).to.deep.equal({ data: { hello: 'Hello Tromsø' } });
    });

    it('sends what the headers editor holds', async function () {
      const { page } = session;
      await page.locator('.graphiql-tab-button', { hasText: 'WhoAmI' }).click();
      await page.locator('.graphiql-editor-tools button', { hasText: 'Headers' }).click();
      // Variables and headers editors share the tools area; the visible one is the headers editor now.
      await setEditorValue(page, '.graphiql-editor-tool .graphiql-editor:not(.hidden) .CodeMirror', '{ "Authorization": "Bearer test-token" }');
      expect(JSON.parse(await runActiveTab(page))).to.deep.equal({ data: { authorization: 'Bearer test-token' } });
    });

    it('opens the operation and variables of a #query=&variables= link, also over tabs stored from an earlier visit', async function () {
      this.timeout(40_000); // two page loads
      const link = (query: string, variables: string) =>
        `${app.base}/graphql#query=${encodeURIComponent(query)}&variables=${encodeURIComponent(variables)}`;
      const linked = await openExplorer(browser!, link('query Linked($name: String) {\n  hello(name: $name)\n}', '{ "name": "Asker" }'));
      try {
        const { page } = linked;
        expect(await tabTitles(page)).to.deep.equal(['Linked', '<untitled>', 'Greeting', 'WhoAmI']);
        expect(await queryEditorValue(page)).to.equal('query Linked($name: String) {\n  hello(name: $name)\n}');
        expect(JSON.parse(await editorValue(page, '.graphiql-editor-tool .CodeMirror'))).to.deep.equal({ name: 'Asker' });
        expect(JSON.parse(await runActiveTab(page))).to.deep.equal({ data: { hello: 'Hello Asker' } });
        // GraphiQL now holds these tabs in localStorage (written after a debounce: wait for it on a busy machine):
        // a second link adds its own tab and opens it.
        await page.waitForFunction(() => {
          const storage = (globalThis as unknown as { localStorage: { getItem(key: string): string | null } }).localStorage;
          return (storage.getItem('graphiql:tabState') ?? '').includes('query Linked');
        });
        await page.goto(link('query Again($name: String) { hello(name: $name) }', '{ "name": "Bodø" }'));
        await page.reload();
        await page.waitForSelector('.graphiql-query-editor .CodeMirror');
        expect(await tabTitles(page)).to.deep.equal(['Linked', '<untitled>', 'Greeting', 'WhoAmI', 'Again']);
        expect(await queryEditorValue(page)).to.equal('query Again($name: String) { hello(name: $name) }');
        expect(JSON.parse(await runActiveTab(page))).to.deep.equal({ data: { hello: 'Hello Bodø' } });
        expect(linked.errors).to.deep.equal([]);
      } finally {
        await linked.context.close();
      }
    });

    it('at 1280×720 with the product\'s title, banner and 9 examples: every tab whole and in view, the title on one line above them', async function () {
      const product = await startApp({ title: EXPLORER_TITLE, banner: DEMO_NOTICE, examples: loadExampleOperations(path.join(projectRoot(), 'schema', 'examples')) });
      const viewport = { width: 1280, height: 720 };
      const shown = await openExplorer(browser!, `${product.base}/graphql`, viewport);
      try {
        const { page } = shown;
        const layout = await page.evaluate(() => {
          const doc = (globalThis as any).document;
          const box = (e: any) => { const r = e.getBoundingClientRect(); return { left: r.left, right: r.right, top: r.top, bottom: r.bottom }; };
          const title = doc.querySelector('h1.explorer-title');
          const range = doc.createRange();
          range.selectNodeContents(title);
          return {
            tabs: [...doc.querySelectorAll('.graphiql-tab-button')].map((b: any) => ({ text: b.innerText, box: box(b), cut: b.scrollWidth > b.clientWidth })),
            title: { box: box(title), lines: new Set([...range.getClientRects()].map((r: any) => Math.round(r.top))).size },
            tabBar: box(doc.querySelector('.graphiql-tabs')),
          };
        });
        expect(layout.tabs.map((t: any) => t.text)).to.deep.equal(['StatusIndex2024', 'RatioSeries2020to2024', 'ServiceAreaTable', 'ResultatgradStatements', 'TaxGrowth', 'WarehouseStatus', 'BaerumFacts', 'MunicipalityCodes', 'Efficiency']);
        for (const tab of layout.tabs) {
          expect(tab.box.left, tab.text).to.be.at.least(0);
          expect(tab.box.right, tab.text).to.be.at.most(Math.min(viewport.width, layout.tabBar.right));
          expect(tab.box.bottom, tab.text).to.be.at.most(viewport.height);
          expect(tab.cut, `${tab.text} is cut short`).to.equal(false);
        }
        expect(layout.title.lines).to.equal(1);
        expect(layout.title.box.bottom).to.be.at.most(layout.tabBar.top);
        expect(await page.locator('.graphiql-logo').isVisible()).to.equal(false);
        expect(shown.errors).to.deep.equal([]);
      } finally {
        await shown.context.close();
        await product.close();
      }
    });

    it('made no request outside 127.0.0.1 and hit no CSP violation or script error', function () {
      const origin = new URL(app.base).origin;
      expect(session.requests.length).to.be.greaterThan(5);
      const foreign = session.requests.filter((u) => !u.startsWith(`${origin}/`) && !u.startsWith('data:'));
      expect(foreign, 'requests that left 127.0.0.1').to.deep.equal([]);
      expect(session.errors, 'console errors / failed requests').to.deep.equal([]);
    });
  });
});
