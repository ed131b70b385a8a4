/**
 * Preloaded with `node -r` by project.test.ts: at exit, writes the files the program loaded (require.cache) to stderr
 * as one JSON line, so a test can tell what `--help` pulled in without timing anything.
 */
import fs from 'node:fs';

process.on('exit', () => {
  fs.writeSync(2, `\nLOADED ${JSON.stringify(Object.keys(require.cache))}\n`);
});
