import 'reflect-metadata';
import { GraphQLDateTime } from 'graphql-scalars';
import { registerEnumType, type MiddlewareFn } from 'type-graphql';
import type { AggregationMode, MetricUnit } from '../../../core/metrics';
import type { LoadStatus } from '../../../db/entities/load.entity';
import type { RunStatus } from '../../../db/entities/etl-run.entity';
import type { ServiceAreaKind } from '../../../db/entities/service-area.entity';

/**
 * The API's fixed vocabularies as GraphQL enums and its timestamps as DateTime, so a client's generated types hold
 * unions and dates instead of strings. The database keeps the lower-case words and ISO strings; they are converted
 * here, at the GraphQL boundary (an enum's value is the stored word, its name the GraphQL spelling).
 */

/**
 * RFC 3339 date-time (graphql-scalars), always answered in UTC with milliseconds, e.g. "2025-06-15T06:00:00.000Z".
 * The database holds ISO strings; the scalar parses and re-prints them.
 */
export const DateTime = GraphQLDateTime;

/** Fails the build when an enum and the union it mirrors drift apart (a new unit in the catalogue, say). */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Assert<T extends true> = T;

export enum SubjectKindEnum {
  MUNICIPALITY = 'municipality',
  REGION = 'region',
  PEER_GROUP = 'peerGroup',
}
registerEnumType(SubjectKindEnum, {
  name: 'SubjectKind',
  description: 'What a metric was computed for: a municipality across its codes, one SSB region code as published, or a peer group\'s average.',
});
export type SubjectKind = `${SubjectKindEnum}`;

export enum MetricUnitEnum {
  PERCENT = 'percent',
  PERCENTAGE_POINTS = 'percentage_points',
  NOK = 'nok',
  NOK_PER_INHABITANT = 'nok_per_inhabitant',
  NOK_1000 = 'nok_1000',
  PERSONS = 'persons',
  PER_1000_INHABITANTS = 'per_1000_inhabitants',
  INDEX = 'index',
}
registerEnumType(MetricUnitEnum, {
  name: 'MetricUnit',
  description: 'Unit of a metric\'s values.',
  valuesConfig: {
    PERCENT: { description: 'Per cent, e.g. 2.3 = 2.3 % (of brutto driftsinntekter for the key ratios).' },
    PERCENTAGE_POINTS: { description: 'Difference of two percentages.' },
    NOK: { description: 'Norwegian kroner.' },
    NOK_PER_INHABITANT: { description: 'Kroner per inhabitant (population at 31 December of the accounting year).' },
    NOK_1000: { description: 'Thousands of kroner, as SSB publishes accounts.' },
    PERSONS: { description: 'Head count.' },
    PER_1000_INHABITANTS: { description: 'A count (pupils, recipients, full-time equivalents) per 1000 inhabitants at 31 December.' },
    INDEX: { description: 'An index (100 = the reference).' },
  },
});
export type MetricUnitValue = `${MetricUnitEnum}`;
export type MetricUnitsMatch = Assert<Same<MetricUnitValue, MetricUnit>>;

export enum AggregationEnum {
  WEIGHTED_RATIO = 'weightedRatio',
  PER_INHABITANT_RATIO = 'perInhabitantRatio',
  SUM = 'sum',
  UNWEIGHTED_MEAN = 'unweightedMean',
  NONE = 'none',
}
registerEnumType(AggregationEnum, {
  name: 'Aggregation',
  description: 'How a metric is averaged over a group by default.',
  valuesConfig: {
    WEIGHTED_RATIO: { description: 'Σ numerator / Σ denominator over the members (the KOSTRA convention).' },
    PER_INHABITANT_RATIO: { description: 'Σ amount / Σ inhabitants over the members.' },
    SUM: { description: 'The members\' values added up.' },
    UNWEIGHTED_MEAN: { description: 'Mean of the members\' values.' },
    NONE: { description: 'Not meaningful for a group.' },
  },
});
export type AggregationValue = `${AggregationEnum}`;
export type AggregationsMatch = Assert<Same<AggregationValue, AggregationMode>>;

export enum ServiceAreaKindEnum {
  TOTAL = 'total',
  GROUP = 'group',
  FUNCTION = 'function',
}
registerEnumType(ServiceAreaKindEnum, {
  name: 'ServiceAreaKind',
  description: 'TOTAL: the whole municipality (code ALL). GROUP: an SSB function group (FGK…). FUNCTION: one KOSTRA function.',
});
export type ServiceAreaKindsMatch = Assert<Same<`${ServiceAreaKindEnum}`, ServiceAreaKind>>;

export enum LoadStatusEnum {
  RUNNING = 'running',
  SUCCEEDED = 'succeeded',
  SKIPPED = 'skipped',
  FAILED = 'failed',
  INTERRUPTED = 'interrupted',
}
registerEnumType(LoadStatusEnum, {
  name: 'LoadStatus',
  description: 'Outcome of one load.',
  valuesConfig: {
    RUNNING: { description: 'Still going.' },
    SUCCEEDED: { description: 'Loaded and committed.' },
    SKIPPED: { description: 'SSB\'s `updated` had not changed since the last load: nothing requested.' },
    FAILED: { description: 'Rolled back; `error` says why. The previous facts are intact.' },
    INTERRUPTED: { description: 'The process stopped during the load (marked on the next start); rolled back.' },
  },
});
export type LoadStatusesMatch = Assert<Same<`${LoadStatusEnum}`, LoadStatus>>;

export enum DataSourceEnum {
  LIVE = 'live',
  DEMO = 'demo',
  CURATED = 'curated',
  DERIVED = 'derived',
  USER = 'user',
  UNKNOWN = 'unknown',
}
registerEnumType(DataSourceEnum, {
  name: 'DataSource',
  description: 'Where loaded data came from.',
  valuesConfig: {
    LIVE: { description: 'SSB\'s statistics API.' },
    DEMO: { description: 'The bundled synthetic demo data, not SSB figures.' },
    CURATED: { description: 'The curated input files (need index, deflator).' },
    DERIVED: { description: 'What a run derived: where each indicator was found, Klass code changes, the reconciliation with SSB.' },
    USER: { description: 'What an operator saved: peer groups.' },
    UNKNOWN: { description: 'No load record names the source.' },
  },
});

export enum RunStatusEnum {
  RUNNING = 'running',
  SUCCEEDED = 'succeeded',
  PARTIAL = 'partial',
  FAILED = 'failed',
  INTERRUPTED = 'interrupted',
}
registerEnumType(RunStatusEnum, {
  name: 'RunStatus',
  description: 'Outcome of one ETL run.',
  valuesConfig: {
    RUNNING: { description: 'Still going.' },
    SUCCEEDED: { description: 'Every indicator was found and every table that holds one loaded or was unchanged.' },
    PARTIAL: { description: 'Something loaded, but an indicator was found nowhere or a table failed: see problems.' },
    FAILED: { description: 'Nothing loaded: the run stopped (see error).' },
    INTERRUPTED: { description: 'The process stopped during the run (marked on the next start).' },
  },
});
export type RunStatusesMatch = Assert<Same<`${RunStatusEnum}`, RunStatus>>;

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/i;

/**
 * For `Load.ssbUpdated`: a load of the curated inputs keeps its files' content hash in that column (the change
 * detection of curated files), which is no time; the API answers null for it rather than failing the field.
 */
export const timestampOrNull: MiddlewareFn = async (_action, next) => {
  const value: unknown = await next();
  return typeof value === 'string' && !RFC3339.test(value) ? null : value;
};
