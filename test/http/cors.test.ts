import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import type { Browser } from 'playwright-core';
import { loadConfig, parseCorsOrigins } from '../../core/config';
import { projectRoot } from '../../core/paths';
import { ALLOWED_REQUEST_HEADERS, EXPOSED_RESPONSE_HEADERS } from '../../src/http/cors';
import { CHROMIUM_MISSING, chromiumAvailable, launchChromium } from '../explorer/browser';
import { ADMIN_TOKEN, startHarness, type Harness } from '../graphql/harness';
import { baseOf, extraServer, type ExtraServer } from './helpers';

const preflight = (url: string, origin: string, method = 'POST', headers = 'content-type') =>
  fetch(url, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': method, 'access-control-request-headers': headers } });

describe('CORS for the public read API', function () {
  this.timeout(60_000);
  let h: Harness;
  before(async () => { h = await startHarness(); });
  after(async () => { await h?.close(); });

  describe('CORS_ORIGINS', () => {
    const env = (value?: string) => loadConfig(value === undefined ? {} : { CORS_ORIGINS: value }, { dotenv: false }).corsOrigins;

    it('defaults to * (public data), takes none and a list of exact origins', () => {
      expect(env()).to.equal('*');
      expect(env('*')).to.equal('*');
      expect(env('none')).to.deep.equal([]);
      expect(env(' https://kommune.example , http://localhost:3000,https://kommune.example ')).to.deep.equal(['https://kommune.example', 'http://localhost:3000']);
    });

    it('refuses entries a browser would never send as Origin, saying how to write them', () => {
      expect(parseCorsOrigins('https://kommune.example/')).to.deep.equal({ problem: 'has "https://kommune.example/", which a browser never sends as Origin; write it as https://kommune.example (scheme, host and port only)' });
      expect(parseCorsOrigins('https://Kommune.example')).to.have.property('problem').that.contains('write it as https://kommune.example');
      expect(parseCorsOrigins('https://kommune.example:443')).to.have.property('problem').that.contains('write it as https://kommune.example');
      expect(parseCorsOrigins('kommune.example')).to.have.property('problem').that.contains('is not an origin; write scheme://host[:port]');
      expect(parseCorsOrigins('ftp://kommune.example')).to.have.property('problem').that.contains('not an http(s) origin');
      expect(parseCorsOrigins('*,https://a.example')).to.have.property('problem').that.contains('use * alone');
      expect(parseCorsOrigins(Array.from({ length: 51 }, (_, i) => `https://k${i}.example`).join(','))).to.have.property('problem').that.contains('at most 50');
      expect(parseCorsOrigins(`https://${'k'.repeat(300)}.example`)).to.have.property('problem').that.contains('at most 200');
      expect(() => env('https://kommune.example/')).to.throw(/CORS_ORIGINS "https:\/\/kommune.example\/" has/);
    });
  });

  describe('with the default (*)', () => {
    it('answers a preflight with the methods and headers a front-end needs, never credentials or Authorization', async () => {
      const res = await preflight(h.url, 'http://localhost:3000', 'GET', 'apollo-require-preflight,if-none-match');
      expect(res.status).to.equal(204);
      expect(res.headers.get('access-control-allow-origin')).to.equal('*');
      expect(res.headers.get('access-control-allow-methods')).to.equal('GET, POST');
      expect(res.headers.get('access-control-allow-headers')!.split(', ')).to.deep.equal([...ALLOWED_REQUEST_HEADERS]);
      expect(res.headers.get('access-control-allow-headers')).not.to.match(/authorization/i);
      expect(res.headers.get('access-control-allow-credentials')).to.equal(null);
      expect(Number(res.headers.get('access-control-max-age'))).to.be.greaterThan(0);
      expect(res.headers.get('allow')).to.equal('GET, POST, OPTIONS');
    });

    it('lets a cross-origin POST be read and exposes ETag and the warehouse version header', async () => {
      const post = await fetch(h.url, { method: 'POST', headers: { origin: 'http://localhost:3000', 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ years }' }) });
      expect(post.status).to.equal(200);
      expect(post.headers.get('access-control-allow-origin')).to.equal('*');
      expect(post.headers.get('access-control-expose-headers')!.split(', ')).to.deep.equal([...EXPOSED_RESPONSE_HEADERS]);
      expect(post.headers.get('access-control-allow-credentials')).to.equal(null);
      // One answer for every origin: nothing for a cache to keep apart.
      expect(post.headers.get('vary') ?? '').not.to.match(/origin/i);
    });

    it('a plain OPTIONS (no preflight) says which methods the endpoint takes', async () => {
      const res = await fetch(h.url, { method: 'OPTIONS' });
      expect(res.status).to.equal(204);
      expect(res.headers.get('allow')).to.equal('GET, POST, OPTIONS');
      expect(res.headers.get('access-control-allow-origin')).to.equal(null);
    });

    it('CSV tables are readable cross-origin too', async () => {
      const res = await preflight(`${baseOf(h)}/csv/peer-comparison`, 'http://localhost:3000', 'GET', 'if-none-match');
      expect(res.status).to.equal(204);
      expect(res.headers.get('access-control-allow-methods')).to.equal('GET, HEAD');
    });
  });

  describe('with a list of origins', () => {
    let listed: ExtraServer;
    let none: ExtraServer;
    before(async () => {
      listed = await extraServer(h, { corsOrigins: ['https://kommune.example', 'http://localhost:3000'] });
      none = await extraServer(h, { corsOrigins: [] });
    });
    after(async () => { await listed?.close(); await none?.close(); });

    it('echoes an allowed origin with Vary: Origin, and leaves others without CORS headers (still Vary: Origin)', async () => {
      const ok = await fetch(`${listed.base}/graphql`, { method: 'POST', headers: { origin: 'http://localhost:3000', 'content-type': 'application/json' }, body: '{"query":"{ years }"}' });
      expect(ok.headers.get('access-control-allow-origin')).to.equal('http://localhost:3000');
      expect(ok.headers.get('vary')).to.match(/\bOrigin\b/);
      const other = await fetch(`${listed.base}/graphql`, { method: 'POST', headers: { origin: 'https://evil.example', 'content-type': 'application/json' }, body: '{"query":"{ years }"}' });
      // Served (a server cannot tell a browser from curl), but a browser will not show it to the page.
      expect(other.status).to.equal(200);
      expect(other.headers.get('access-control-allow-origin')).to.equal(null);
      expect(other.headers.get('vary')).to.match(/\bOrigin\b/);
    });

    it('refuses the preflight of an origin not in the list, and every preflight with CORS_ORIGINS=none', async () => {
      const res = await preflight(`${listed.base}/graphql`, 'https://evil.example');
      expect(res.status).to.equal(403);
      expect(res.headers.get('access-control-allow-origin')).to.equal(null);
      expect(await res.text()).to.equal("cross-origin requests from https://evil.example are not allowed by this server's CORS_ORIGINS");
      const off = await preflight(`${none.base}/graphql`, 'http://localhost:3000');
      expect(off.status).to.equal(403);
      expect(await off.text()).to.contain('CORS_ORIGINS=none');
      const post = await fetch(`${none.base}/graphql`, { method: 'POST', headers: { origin: 'http://localhost:3000', 'content-type': 'application/json' }, body: '{"query":"{ years }"}' });
      expect(post.headers.get('access-control-allow-origin')).to.equal(null);
    });

    it('treats an oversized Origin as not allowed', async () => {
      const res = await preflight(`${listed.base}/graphql`, `https://${'k'.repeat(400)}.example`);
      expect(res.status).to.equal(403);
    });
  });

  it('npm start reads CORS_ORIGINS', async function () {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kostra-cors-'));
    const child = spawn(process.execPath, [path.join(projectRoot(), 'dist', 'src', 'main.js')], {
      env: {
        PATH: process.env.PATH, HOME: process.env.HOME, PORT: '0', HOST: '127.0.0.1', LOG_FORMAT: 'json', LOG_LEVEL: 'info', ETL_SCHEDULE: 'off',
        KOSTRA_SOURCE: 'demo', DATABASE_PATH: path.join(dir, 'w.sqlite'), CORS_ORIGINS: 'https://kommune.example',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      // The server listens (and logs its port) before the first load is done; a preflight needs no data.
      const port = await new Promise<number>((resolve, reject) => {
        let buffer = '';
        child.stdout.on('data', (chunk: Buffer) => {
          buffer += chunk.toString();
          const m = /"port":(\d+)/.exec(buffer);
          if (m) resolve(Number(m[1]));
        });
        void exited.then((code) => reject(new Error(`the server exited (${code}) before listening`)));
      });
      const ok = await preflight(`http://127.0.0.1:${port}/graphql`, 'https://kommune.example');
      expect(ok.status).to.equal(204);
      expect(ok.headers.get('access-control-allow-origin')).to.equal('https://kommune.example');
      expect((await preflight(`http://127.0.0.1:${port}/graphql`, 'http://localhost:3000')).status).to.equal(403);
    } finally {
      child.kill('SIGTERM');
      await exited;
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  describe('from a page on another origin, in a real browser (Debian chromium)', function () {
    this.timeout(60_000);
    let browser: Browser | undefined;
    let pageServer: http.Server;
    let pageOrigin: string;
    let listedServer: ExtraServer;
    let unlistedServer: ExtraServer;

    // The page's own script does what a front-end on another origin does, and writes what it could read into #results.
    const PAGE = `<!doctype html><meta charset="utf-8"><title>front-end</title><pre id="results"></pre><script>
(async () => {
  const api = new URLSearchParams(location.search).get('api');
  const out = {};
  const attempt = async (name, run) => { try { out[name] = await run(); } catch (e) { out[name] = { failed: String(e.name) }; } };
  await attempt('post', async () => {
    const r = await fetch(api + '/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ years }' }) });
    return { status: r.status, years: (await r.json()).data.years.length };
  });
  await attempt('get', async () => {
    const r = await fetch(api + '/graphql?query=' + encodeURIComponent('{ years }'), { headers: { 'apollo-require-preflight': 'true' } });
    return { status: r.status, etag: r.headers.get('etag'), version: r.headers.get('x-warehouse-version'), cacheControl: r.headers.get('cache-control') };
  });
  await attempt('csv', async () => {
    const r = await fetch(api + '/csv/peer-comparison?metric=resultatgrad&peerGroup=asss-u-oslo&year=2024');
    return { status: r.status, firstLine: (await r.text()).split('\\r\\n')[0], disposition: r.headers.get('content-disposition') };
  });
  await attempt('admin', async () => {
    const r = await fetch(api + '/graphql', { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer ${ADMIN_TOKEN}' }, body: JSON.stringify({ query: 'mutation { refreshWarehouse { started } }' }) });
    return { status: r.status };
  });
  document.getElementById('results').textContent = JSON.stringify(out);
})();
</script>`;

    before(async function () {
      if (!chromiumAvailable()) {
        console.log(`      skipped: ${CHROMIUM_MISSING}`);
        this.skip();
      }
      pageServer = http.createServer((_req, res) => { res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }); res.end(PAGE); });
      await new Promise<void>((resolve) => pageServer.listen(0, '127.0.0.1', resolve));
      pageOrigin = `http://127.0.0.1:${(pageServer.address() as AddressInfo).port}`;
      listedServer = await extraServer(h, { corsOrigins: [pageOrigin] });
      unlistedServer = await extraServer(h, { corsOrigins: ['https://kommune.example'] });
      browser = await launchChromium();
    });
    after(async () => {
      await browser?.close();
      await listedServer?.close();
      await unlistedServer?.close();
      if (pageServer) {
        pageServer.closeAllConnections();
        await new Promise<void>((resolve) => pageServer.close(() => resolve()));
      }
    });

    async function runPage(api: string): Promise<Record<string, any>> {
      const context = await browser!.newContext();
      try {
        const page = await context.newPage();
        await page.goto(`${pageOrigin}/?api=${encodeURIComponent(api)}`);
        expect(new URL(page.url()).origin).not.to.equal(new URL(api).origin);
        await page.waitForFunction(() => (globalThis as any).document.getElementById('results').textContent !== '', undefined, { timeout: 20_000 });
        return JSON.parse(await page.locator('#results').innerText());
      } finally {
        await context.close();
      }
    }

    it('reads queries (POST, cacheable GET with its ETag) and CSV, but cannot send the admin token', async () => {
      const years = (await h.gql('{ years }')).body.data!.years.length;
      const version = String((await h.gql('{ years }')).body.extensions!.warehouse.version);
      for (const api of [baseOf(h), listedServer.base]) {
        const r = await runPage(api);
        expect(r.post, api).to.deep.equal({ status: 200, years });
        expect(r.get.status, api).to.equal(200);
        expect(r.get.etag, api).to.match(new RegExp(`^W/"v${version}-`));
        expect(r.get.version, api).to.equal(version);
        expect(r.get.cacheControl, api).to.match(/public/);
        expect(r.csv.status, api).to.equal(200);
        expect(r.csv.firstLine, api).to.match(/^rank,municipality_key,municipality,value/);
        expect(r.csv.disposition, api).to.match(/^attachment; filename="kostra-peer-comparison-v\d+\.csv"$/);
        // The preflight does not allow Authorization: the browser never sends the request.
        expect(r.admin, api).to.deep.equal({ failed: 'TypeError' });
      }
    });

    it('a page whose origin is not in CORS_ORIGINS can read nothing', async () => {
      const r = await runPage(unlistedServer.base);
      expect(r).to.deep.equal({ post: { failed: 'TypeError' }, get: { failed: 'TypeError' }, csv: { failed: 'TypeError' }, admin: { failed: 'TypeError' } });
    });
  });
});
