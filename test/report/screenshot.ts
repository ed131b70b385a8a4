/**
 * Screenshot of the report page, for the README:
 *
 *   node dist/test/report/screenshot.js http://127.0.0.1:4000/report schema/report.png [--width 1280] [--height 720] [--viewport-only]
 *
 * Opens the page in Debian's chromium (/usr/bin/chromium, or $CHROMIUM_PATH), waits until every section is drawn
 * and saves a PNG of the whole page (or only the viewport). Nothing is downloaded.
 */
import path from 'node:path';
import { launchChromium } from '../explorer/browser';
import { openReport } from './browser';

function usage(): never {
  console.error('usage: node dist/test/report/screenshot.js <report URL> <output.png> [--width N] [--height N] [--viewport-only]');
  process.exit(2);
}

async function main(argv: string[]): Promise<void> {
  const positional: string[] = [];
  const size = { width: 1280, height: 720 };
  let fullPage = true;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--width' || arg === '--height') {
      const n = Number(argv[++i]);
      if (!Number.isInteger(n) || n < 200) usage();
      size[arg === '--width' ? 'width' : 'height'] = n;
    } else if (arg === '--viewport-only') {
      fullPage = false;
    } else if (arg === '-h' || arg === '--help') {
      usage();
    } else {
      positional.push(arg);
    }
  }
  if (positional.length !== 2) usage();
  const [url, out] = positional;
  const browser = await launchChromium();
  try {
    const { page, errors } = await openReport(browser, url, size);
    const file = path.resolve(out);
    await page.screenshot({ path: file, fullPage });
    console.log(`saved ${file} (${await page.evaluate(() => (globalThis as any).document.body.dataset.selection)})`);
    if (errors.length) console.warn(`page reported:\n  ${errors.join('\n  ')}`);
  } finally {
    await browser.close();
  }
}

main(process.argv.slice(2)).catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
