import type { ResolvedTable } from './resolve';
import { indicatorLookupKey } from './resolve';
import { WHOLE_MUNICIPALITY } from '../core/service-areas';
import { decodeJsonStat2 } from './pxweb/jsonstat-decode';
import type { JsonStat2Dataset, VariableSelection } from './pxweb/types';
import type { FactBuffer } from './load/fact-buffer';

export class UnexpectedResponseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnexpectedResponseError';
  }
}

/**
 * The normalize stage: one decoded json-stat2 response into the table's FactBuffer. Positions are mapped to
 * interned ids once per response, so the per-cell loop does array lookups only. A response holding a code that
 * was not asked for is refused (it would mean SSB changed the table or answered another query), never guessed at.
 * Returns the number of cells received.
 */
export function appendResponse(resolved: ResolvedTable, request: VariableSelection[], response: JsonStat2Dataset, buffer: FactBuffer): number {
  const cube = decodeJsonStat2(response);
  const tableId = resolved.table.id;
  const requested = new Map(request.map((s) => [s.variableCode.toLowerCase(), new Set(s.valueCodes)]));
  const roleOf = new Map(resolved.variables.map((v) => [v.variableCode.toLowerCase(), v.role]));

  for (const d of cube.dims) {
    const asked = requested.get(d.code.toLowerCase());
    if (!asked) throw new UnexpectedResponseError(`table ${tableId}: the response has variable ${d.code}, which was not requested`);
    for (const code of d.codes) {
      if (!asked.has(code)) {
        throw new UnexpectedResponseError(`table ${tableId}: the response has ${d.code} code "${code}", which was not requested ` +
          '(SSB may have changed the table; check the catalogue against /metadata)');
      }
    }
  }
  for (const s of request) {
    if (!cube.dims.some((d) => d.code.toLowerCase() === s.variableCode.toLowerCase())) {
      throw new UnexpectedResponseError(`table ${tableId}: the response lacks the requested variable ${s.variableCode}`);
    }
  }

  const dimIndex = (role: string) => cube.dims.findIndex((d) => roleOf.get(d.code.toLowerCase()) === role);
  const regionDim = dimIndex('region');
  const timeDim = dimIndex('time');
  const contentDim = dimIndex('content');
  const conceptDim = dimIndex('concept');
  const areaDim = dimIndex('serviceArea');

  const aliases = resolved.table.regionAliases ?? {};
  const regionIds = cube.dims[regionDim].codes.map((c) => buffer.regionCodes.id(aliases[c] ?? c));
  const years = cube.dims[timeDim].codes.map(Number);
  const allAreas = buffer.serviceAreaCodes.id(WHOLE_MUNICIPALITY);
  const areaIds = areaDim >= 0 ? cube.dims[areaDim].codes.map((c) => buffer.serviceAreaCodes.id(c)) : [allAreas];
  // indicator index by (content position, concept position); -1 = a combination the catalogue does not load
  const contents = cube.dims[contentDim].codes;
  const concepts = conceptDim >= 0 ? cube.dims[conceptDim].codes : [null];
  const indicatorIndex = new Int32Array(contents.length * concepts.length).fill(-1);
  contents.forEach((content, ci) => concepts.forEach((concept, ki) => {
    const ind = resolved.indicatorByCodes.get(indicatorLookupKey(content, concept));
    if (ind) indicatorIndex[ci * concepts.length + ki] = resolved.indicators.indexOf(ind);
  }));
  const statusIds = new Map<string, number>();
  const statusId = (s: string | null) => {
    if (s === null) return 0;
    let id = statusIds.get(s);
    if (id === undefined) statusIds.set(s, (id = buffer.statusSymbols.id(s)));
    return id;
  };

  cube.forEachCell((pos, value, status) => {
    const ind = indicatorIndex[pos[contentDim] * concepts.length + (conceptDim >= 0 ? pos[conceptDim] : 0)];
    if (ind < 0) return;
    buffer.push(ind, years[pos[timeDim]], regionIds[pos[regionDim]], areaDim >= 0 ? areaIds[pos[areaDim]] : allAreas, value, statusId(status));
  });
  return cube.cellCount;
}
