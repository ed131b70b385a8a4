/**
 * Every problem found in a declared catalogue (the source catalogue, the service areas, the metric catalogue), each
 * prefixed with where it is, reported together so one run shows everything to fix (Cube's declared-then-validated
 * data model).
 */
export class CatalogueError extends Error {
  constructor(readonly file: string, readonly problems: readonly string[]) {
    super(`${file} is invalid (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${problems.map((p) => `  - ${p}`).join('\n')}\n` +
      `Fix ${file} and start again.`);
    this.name = 'CatalogueError';
  }
}
