/**
 * Deterministic pseudo-random numbers for the synthetic demo dataset. Never Math.random: the same seed gives
 * the same dataset on every machine, so tests and demos can assert exact numbers.
 */

/** FNV-1a 32-bit hash of a string, used to derive stable per-entity seeds. */
export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** mulberry32: small, fast, good enough for plausible noise. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A generator keyed by a string: `rng('3201/AG12')` always yields the same sequence. */
export function rng(key: string): () => number {
  return mulberry32(hash32(`kostra-demo:${key}`));
}

/** One deterministic uniform number in [lo, hi) for a key. */
export function uniform(key: string, lo: number, hi: number): number {
  return lo + (hi - lo) * rng(key)();
}

/** One deterministic, roughly normal number (sum of uniforms) with mean 0 and the given spread. */
export function noise(key: string, sd: number): number {
  const r = rng(key);
  let s = 0;
  for (let i = 0; i < 6; i++) s += r();
  return (s - 3) * Math.SQRT2 * sd;
}
