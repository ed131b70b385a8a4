import type { PxProblem } from '../../etl/pxweb/types';

/**
 * An error answer of the demo API, shaped like PxWebApi's: an HTTP status and (except for SSB's bare 500 on a
 * repeated value code) a problem document. The HTTP stand-in sends it as `application/problem+json`; the
 * in-process demo source throws it. `transient` follows the same rule as the live client (429 and 5xx retry).
 */
export class PxProblemError extends Error {
  override readonly name = 'PxProblemError';
  readonly status: number;
  readonly title?: string;
  readonly detail?: string;
  /** Undefined when the real API answers with an empty body (500 on a repeated value code). */
  readonly problem?: PxProblem;
  readonly transient: boolean;

  constructor(status: number, title?: string, detail?: string) {
    super(title ? `demo source answered ${status} "${title}"${detail ? ` (${detail})` : ''}` : `demo source answered ${status} with an empty body${detail ? ` (${detail})` : ''}`);
    this.status = status;
    this.title = title;
    this.detail = detail;
    this.problem = title ? { type: 'Parameter error', title, status, ...(detail ? { detail } : {}) } : undefined;
    this.transient = status === 429 || status >= 500;
  }
}

export const TITLES = {
  nonExistentVariable: 'Non-existent variable',
  nonExistentValue: 'Non-existent value',
  nonExistentCodelist: 'Non-existent codelist',
  missingSelection: 'Missing selection for mandantory variable',
  illegalExpression: 'Illegal selection expression',
  tooManyCells: 'Too many cells selected',
  unsupportedFormat: 'Unsupported output format',
  unsupportedLanguage: 'Unsupported language',
  nonExistentTable: 'Non-existent table',
  nonExistentPage: 'Non-existent page',
  illegalParameter: 'Illegal parameter value',
} as const;
