/**
 * How the browser pages (the explorer, the report page) serve their assets offline: installed packages' files and
 * our own browser code, each with a content hash for cache busting, and safe HTML and JSON for the page shell.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Request, Response } from 'express';

export interface Asset {
  body: Buffer;
  contentType: string;
  /** Short content hash, used as ?v= cache buster; '' for files only devtools fetch (source maps). */
  version: string;
}

export function contentVersion(content: Buffer): string {
  return createHash('sha256').update(content).digest('hex').slice(0, 12);
}

/**
 * A file of an installed package, wherever npm placed it (hoisted or nested). Found from the package's main
 * entry upwards, because packages with an `exports` map (Chart.js) do not export their package.json.
 */
export function packageFile(pkg: string, relative: string): string {
  let dir = path.dirname(require.resolve(pkg));
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === pkg) {
      return path.join(dir, relative);
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no package.json of ${pkg} above ${require.resolve(pkg)}`);
    dir = parent;
  }
}

/** tsc's CommonJS output of a browser module, made runnable as a classic script (no bundler). */
export function browserScript(compiled: string): string {
  if (!existsSync(compiled)) {
    throw new Error(`${compiled} not found (run tsc: the pages are served from the compiled output)`);
  }
  const code = readFileSync(compiled, 'utf8').replace(/^\/\/# sourceMappingURL=.*$/m, '');
  return `(function (exports) {${code}\n})({});\n`;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** JSON that is safe inside a <script type="application/json"> data block. */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/**
 * The pages' Content-Security-Policy: everything from our own origin only, no inline script or style, no framing.
 * `dataUrls` names the directives that must also accept data: URLs (GraphiQL's CSS embeds fonts and icons; both
 * pages use the empty data: favicon, which keeps browsers from asking for /favicon.ico).
 */
export function pageCsp(dataUrls: readonly ('img-src' | 'font-src')[]): string {
  const own = (directive: string) => `${directive} 'self'${dataUrls.includes(directive as 'img-src') ? ' data:' : ''}`;
  return [
    "default-src 'none'",
    own('script-src'),
    own('style-src'),
    own('img-src'),
    ...(dataUrls.includes('font-src') ? [own('font-src')] : []),
    own('connect-src'),
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** Sends a page shell under its CSP. The page names the current asset versions, so it must be revalidated. */
export function sendPage(res: Response, csp: string, html: string): void {
  res.set({
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Security-Policy': csp,
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cache-Control': 'no-cache',
  });
  res.send(html);
}

const IMMUTABLE = 'public, max-age=31536000, immutable';

/**
 * The asset URLs of one page (`<base>/<name>?v=<hash>`) and the handler for `<base>/:file`. Only a URL carrying
 * the current content hash may be cached forever; anything else is revalidated.
 */
export function assetRoutes(page: string, base: string, assets: ReadonlyMap<string, Asset>): {
  url: (name: string) => string;
  handler: (req: Request, res: Response) => void;
} {
  return {
    url: (name) => {
      const asset = assets.get(name);
      if (!asset) throw new Error(`${page}: unknown asset ${name}`);
      return `${base}/${name}?v=${asset.version}`;
    },
    handler: (req, res) => {
      const asset = assets.get(String(req.params.file));
      if (!asset) {
        res.status(404).type('text/plain').send('Not found');
        return;
      }
      const current = asset.version !== '' && req.query.v === asset.version;
      res.set({ 'Content-Type': asset.contentType, 'Cache-Control': current ? IMMUTABLE : 'no-cache', 'X-Content-Type-Options': 'nosniff' });
      res.send(asset.body);
    },
  };
}
