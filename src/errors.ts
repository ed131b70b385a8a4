import { GraphQLError } from 'graphql';
import { closestMatches } from '../core/text/closest';

/** Client-facing input errors: what was wrong, what is allowed, and the closest matches when a name is misspelt. */
export class BadInputError extends GraphQLError {
  constructor(message: string, extensions: Record<string, unknown> = {}) {
    super(message, { extensions: { code: 'BAD_USER_INPUT', ...extensions } });
  }

  /** "unknown metric "resultgrad"; did you mean resultatgrad? Allowed: …" */
  static unknown(what: string, value: string, allowed: Iterable<string>, argument?: string): BadInputError {
    const list = [...allowed];
    const suggestions = closestMatches(value, list);
    const shown = list.length > 30 ? `${list.slice(0, 30).join(', ')}, … (${list.length} in all)` : list.join(', ');
    return new BadInputError(
      `unknown ${what} "${value}"${suggestions.length ? `; did you mean ${suggestions.map((s) => `"${s}"`).join(' or ')}?` : ''} Allowed: ${shown}.`,
      { argument, value, suggestions },
    );
  }
}

export class UnauthenticatedError extends GraphQLError {
  constructor(message: string) {
    super(message, { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
  }
}

/**
 * Thrown at the next check by work of a request that has already answered (a sibling field failed and took the
 * whole answer with it) or whose client went away: graphql-js does not cancel the other fields' promises, and
 * their work would otherwise run on, after the answer and after the request's read snapshot was released.
 */
export class RequestEndedError extends GraphQLError {
  constructor(why: string) {
    super(`the request ended (${why}); its remaining work was stopped`, { extensions: { code: 'REQUEST_ENDED' } });
  }
}
