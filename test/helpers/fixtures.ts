import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * Reads a recorded response from test/fixtures (the source tree, not dist/: tsc does not copy JSON that is
 * not imported). Tests run from dist/test/..., so walk up to the repository root.
 */
export function readFixture<T = unknown>(relativePath: string): T {
  const root = resolve(__dirname, '..', '..', '..');
  return JSON.parse(readFileSync(resolve(root, 'test', 'fixtures', relativePath), 'utf8')) as T;
}
