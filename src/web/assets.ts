/**
 * How the browser pages (the explorer, the report page) serve their assets offline: installed packages' files and
 * our own browser code, each with a content hash for cache busting, and safe HTML and JSON for the page shell.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

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
