/**
 * Opens the report page in Debian's chromium (through the explorer test's launcher) and waits until it shows
 * a selection completely. Shared by report.test.ts and the screenshot.ts script.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';

export interface ReportSession {
  context: BrowserContext;
  page: Page;
  /** Every URL the page (or any other page of the context) requested. */
  requests: string[];
  /** console errors (CSP violations included), page errors and failed requests. */
  errors: string[];
}

/** Waits until the page has drawn every section for a selection (`key|peerGroup|year`) starting with `prefix`. */
export async function waitForReport(page: Page, prefix = '', timeoutMs = 20_000): Promise<string> {
  await page.waitForFunction(
    (p) => {
      const body = (globalThis as any).document.body;
      return body.dataset.state === 'failed' || (body.dataset.state === 'ready' && String(body.dataset.selection ?? '').startsWith(p));
    },
    prefix,
    { timeout: timeoutMs },
  );
  const state = await page.evaluate(() => (globalThis as any).document.body.dataset.state as string);
  if (state === 'failed') throw new Error(`the report failed to start: ${await page.locator('.section-error').first().innerText()}`);
  return page.evaluate(() => String((globalThis as any).document.body.dataset.selection));
}

export async function openReport(browser: Browser, url: string, viewport = { width: 1280, height: 720 }): Promise<ReportSession> {
  const context = await browser.newContext({ viewport, locale: 'nb-NO' });
  const requests: string[] = [];
  const errors: string[] = [];
  context.on('request', (r) => requests.push(r.url()));
  context.on('requestfailed', (r) => errors.push(`request failed: ${r.url()} ${r.failure()?.errorText ?? ''}`));
  context.on('page', (p) => {
    p.on('console', (m) => { if (m.type() === 'error') errors.push(`console (${p.url().slice(0, 60)}): ${m.text()}`); });
    p.on('pageerror', (e) => errors.push(`pageerror (${p.url().slice(0, 60)}): ${e.message}`));
  });
  const page = await context.newPage();
  const response = await page.goto(url, { waitUntil: 'load' });
  if (!response || response.status() !== 200) throw new Error(`report page answered ${response?.status()} at ${url}`);
  await waitForReport(page);
  return { context, page, requests, errors };
}
