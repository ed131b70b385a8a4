import { distance } from 'fastest-levenshtein';

/** Text as compared for search and suggestions: lower case, NFC (so "ø" typed either way matches), trimmed. */
export const normaliseText = (s: string) => s.toLowerCase().normalize('NFC').trim();
const normalise = normaliseText;

/**
 * The candidates closest to `wanted` by edit distance (case-insensitive), best first — for "did you mean"
 * suggestions in error messages. A candidate containing the wanted text counts as very close.
 */
export function closestMatches(wanted: string, candidates: Iterable<string>, limit = 3): string[] {
  const w = normalise(wanted);
  const scored: { candidate: string; score: number }[] = [];
  for (const candidate of candidates) {
    const c = normalise(candidate);
    const score = c.includes(w) || w.includes(c) ? Math.abs(c.length - w.length) * 0.1 : distance(w, c) / Math.max(w.length, c.length, 1);
    scored.push({ candidate, score });
  }
  return scored
    .filter((s) => s.score <= 0.6)
    .sort((a, b) => a.score - b.score || a.candidate.localeCompare(b.candidate))
    .slice(0, limit)
    .map((s) => s.candidate);
}

/** The `limit` candidates nearest to `wanted` by relative edit distance, however far: for "it has, e.g., …" hints. */
export function nearest(wanted: string, candidates: Iterable<string>, limit = 3): string[] {
  const w = normalise(wanted);
  return [...candidates]
    .map((candidate) => ({ candidate, score: distance(w, normalise(candidate)) / Math.max(w.length, candidate.length, 1) }))
    .sort((a, b) => a.score - b.score || a.candidate.localeCompare(b.candidate))
    .slice(0, limit)
    .map((s) => s.candidate);
}
