/**
 * Drives the offline GraphQL explorer in Debian's chromium through playwright-core (no downloaded browser).
 * Shared by explorer.test.ts and the screenshot.ts script.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const CHROMIUM_MISSING =
  'chromium not installed: apt-get install chromium to run the explorer browser test';

export function chromiumAvailable(): boolean {
  return existsSync(CHROMIUM_PATH);
}

/** Plain launch: playwright gives the browser a fresh temporary user-data-dir and removes it on close. */
export async function launchChromium(): Promise<Browser> {
  if (!chromiumAvailable()) throw new Error(CHROMIUM_MISSING);
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true, timeout: 15_000 });
}

export interface ExplorerSession {
  context: BrowserContext;
  page: Page;
  /** Every URL the page (or any worker of the context) requested. */
  requests: string[];
  /** console errors, page errors and failed requests. */
  errors: string[];
}

const QUERY_EDITOR = '.graphiql-query-editor .CodeMirror';
const RESPONSE_EDITOR = '.graphiql-response .CodeMirror';

/** Opens the explorer page and waits until GraphiQL has rendered its query editor. */
export async function openExplorer(
  browser: Browser,
  url: string,
  viewport = { width: 1400, height: 860 },
): Promise<ExplorerSession> {
  const context = await browser.newContext({ viewport, locale: 'nb-NO' });
  const requests: string[] = [];
  const errors: string[] = [];
  context.on('request', (r) => requests.push(r.url()));
  context.on('requestfailed', (r) => errors.push(`request failed: ${r.url()} ${r.failure()?.errorText ?? ''}`));
  const page = await context.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  const response = await page.goto(url, { waitUntil: 'load' });
  if (!response || response.status() !== 200) {
    throw new Error(`explorer page answered ${response?.status()} at ${url}`);
  }
  await page.waitForSelector(QUERY_EDITOR, { timeout: 10_000 });
  return { context, page, requests, errors };
}

/** Value of the CodeMirror 5 editor inside `selector` (read through the editor API, not the rendered lines). */
export async function editorValue(page: Page, selector: string): Promise<string> {
  return page.evaluate((sel) => {
    const el = (globalThis as any).document.querySelector(sel);
    return el && el.CodeMirror ? String(el.CodeMirror.getValue()) : '';
  }, selector);
}

export async function setEditorValue(page: Page, selector: string, value: string): Promise<void> {
  await page.evaluate(
    ([sel, v]) => {
      const el = (globalThis as any).document.querySelector(sel);
      if (!el || !el.CodeMirror) throw new Error(`no CodeMirror at ${sel}`);
      el.CodeMirror.setValue(v);
    },
    [selector, value] as const,
  );
}

export const queryEditorValue = (page: Page): Promise<string> => editorValue(page, QUERY_EDITOR);

/** Clicks GraphiQL's execute button and waits for a (new) non-empty response; returns the response text. */
export async function runActiveTab(page: Page, timeoutMs = 10_000): Promise<string> {
  const before = await editorValue(page, RESPONSE_EDITOR);
  await page.click('.graphiql-execute-button');
  await page.waitForFunction(
    ([sel, previous]) => {
      const doc = (globalThis as any).document;
      const el = doc.querySelector(sel);
      const value = el && el.CodeMirror ? String(el.CodeMirror.getValue()) : '';
      return value.trim() !== '' && value !== previous && !doc.querySelector('.graphiql-response .graphiql-spinner');
    },
    [RESPONSE_EDITOR, before] as const,
    { timeout: timeoutMs },
  );
  return editorValue(page, RESPONSE_EDITOR);
}

/** Titles of GraphiQL's tabs, in order. */
export async function tabTitles(page: Page): Promise<string[]> {
  return page.locator('.graphiql-tab .graphiql-tab-button').allInnerTexts();
}
