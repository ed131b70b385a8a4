/**
 * The population of one region code a per-inhabitant figure divides by: 31 December of the accounting year, which
 * table 07459 counts as 1 January of the next year under the code valid then. For a code that ended on 31 December
 * (renumbered or split the next day) that is the population of the codes its territory became; where territories
 * joined that day (a merger) it is not published. Used by the API and by reconciliation alike.
 */
import { endOfYearTerritory, type KlassCodeChange } from '../municipalities/code-history';
import type { BaseValue } from './inputs';

export function endOfYearPopulation(
  code: string,
  year: number,
  /** 1 January (year + 1) population of a code, null when it has none. */
  populationNextYear: (code: string) => number | null,
  changes: readonly KlassCodeChange[],
  /** Whether a code was in use in a year. */
  valid: (code: string, year: number) => boolean,
): BaseValue {
  const territory = endOfYearTerritory(code, year, changes, valid);
  if (!territory.ok) return { value: null, reason: territory.reason };
  const parts = territory.codes.map(populationNextYear);
  if (parts.some((v) => v === null)) return { value: null, reason: `no population on 1 January ${year + 1} for ${territory.codes.filter((_, i) => parts[i] === null).join(', ')} (the territory of ${code} on 31.12.${year})` };
  return { value: parts.reduce<number>((s, v) => s + (v ?? 0), 0) };
}
