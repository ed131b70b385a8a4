import 'reflect-metadata';
import path from 'node:path';
import { buildSchema } from 'type-graphql';
import type { GraphQLSchema } from 'graphql';
import { DimensionResolver } from '../graphql/resolvers/dimension.resolver';
import { FactResolver } from '../graphql/resolvers/fact.resolver';
import { MetricResolver, MetricSeriesResolver } from '../graphql/resolvers/metric.resolver';
import { StatusResolver } from '../graphql/resolvers/status.resolver';
import { PeerGroupResolver } from '../graphql/resolvers/peer-group.resolver';
import { EfficiencyResolver } from '../graphql/resolvers/efficiency.resolver';
import { projectRoot } from '../../core/paths';

export const SCHEMA_FILE = () => path.join(projectRoot(), 'schema', 'schema.graphql');

let schema: Promise<GraphQLSchema> | undefined;

/** The executable schema, built once from the resolvers (type-graphql). */
export function buildAppSchema(): Promise<GraphQLSchema> {
  schema ??= buildSchema({
    resolvers: [DimensionResolver, FactResolver, MetricResolver, MetricSeriesResolver, StatusResolver, PeerGroupResolver, EfficiencyResolver],
    validate: false,
  });
  return schema;
}
