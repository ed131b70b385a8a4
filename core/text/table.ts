/**
 * A plain-text table for terminal output: a header, a rule, the rows; columns padded to their widest cell. Columns
 * listed in `alignRight` (numbers) are right-aligned. Trailing spaces are trimmed.
 */
export function formatTable(header: string[], rows: string[][], alignRight: ReadonlySet<number> = new Set()): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (alignRight.has(i) ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
}
