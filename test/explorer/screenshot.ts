/**
 * Screenshot of the offline GraphQL explorer, for the README:
 *
 *   node dist/test/explorer/screenshot.js http://127.0.0.1:4000/graphql explorer.png [--width 1400] [--height 860]
 *
 * Opens the page in Debian's chromium (/usr/bin/chromium, or $CHROMIUM_PATH), runs the first example (the tab
 * GraphiQL opens with), waits for the response and saves a PNG. Nothing is downloaded.
 */
import path from 'node:path';
import { launchChromium, openExplorer, runActiveTab } from './browser';

function usage(): never {
  console.error('usage: node dist/test/explorer/screenshot.js <explorer URL> <output.png> [--width N] [--height N]');
  process.exit(2);
}

async function main(argv: string[]): Promise<void> {
  const positional: string[] = [];
  const size = { width: 1400, height: 860 };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--width' || arg === '--height') {
      const n = Number(argv[++i]);
      if (!Number.isInteger(n) || n < 200) usage();
      size[arg === '--width' ? 'width' : 'height'] = n;
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
    const { page, errors } = await openExplorer(browser, url, size);
    const response = await runActiveTab(page, 30_000);
    const file = path.resolve(out);
    await page.screenshot({ path: file });
    console.log(`saved ${file}`);
    console.log(`response: ${response.replace(/\s+/g, ' ').slice(0, 200)}`);
    if (errors.length) console.warn(`page reported:\n  ${errors.join('\n  ')}`);
  } finally {
    await browser.close();
  }
}

main(process.argv.slice(2)).catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
