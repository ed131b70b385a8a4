/**
 * The metric engine's public API: the declared catalogue of derived metrics and the pure functions that
 * compute them. No I/O, no GraphQL, no database: resolvers fetch base facts and call these.
 */
export * from './values';
export * from './metric-catalogue';
export * from './inputs';
export * from './engine';
export * from './aggregate';
export * from './rank';
export * from './series';
export * from './corrections';
export * from './population';
export * from './efficiency';
