import { distance } from 'fastest-levenshtein';
import { normaliseText } from './closest';

/**
 * Whether SSB's label for a code says what the catalogue expects, so that a code reused for another concept (or a
 * wrong code from a third-party list) is caught even though it exists. Tolerant of what varies between SSB tables
 * and years: case, punctuation, a leading code ("AGD13 Brutto driftsinntekter"), a trailing note in brackets, and
 * spelling slips (SSB writes "driftresultat" in one table) — up to one edit per ten characters.
 */
export function labelMatches(expected: string, actual: string, code?: string): boolean {
  const a = comparable(expected, code);
  const b = comparable(actual, code);
  if (a === '' || b === '') return false;
  if (a === b) return true;
  return distance(a, b) <= Math.max(1, Math.floor(Math.min(a.length, b.length) / 10));
}

function comparable(label: string, code: string | undefined): string {
  let s = normaliseText(label);
  if (code) {
    const c = code.toLowerCase();
    if (s.startsWith(`${c} `) || s.startsWith(`${c}:`) || s.startsWith(`${c}.`)) s = s.slice(c.length + 1);
  }
  return s
    .replace(/\s*\([^)]*\)\s*$/, '')
    .replace(/[^\p{L}\p{N}%]+/gu, ' ')
    .trim();
}
