import 'reflect-metadata';
import './graphql/enums.js';
import type { GraphQLSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { NodeResolver } from './graphql/node.resolver.js';
import { CapacityPeriodResolver } from './modules/capacity/capacity.resolver.js';
import { OfferResolver } from './modules/offer/offer.resolver.js';
import { LocationResolver, OrganisationResolver } from './modules/organisation/organisation.resolver.js';

export const resolvers = [
  NodeResolver,
  OrganisationResolver,
  LocationResolver,
  OfferResolver,
  CapacityPeriodResolver,
] as const;

let cached: Promise<GraphQLSchema> | undefined;

/** The hub's executable schema, built once per process from the resolver classes. */
export function buildHubSchema(): Promise<GraphQLSchema> {
  cached ??= buildSchema({
    resolvers,
    // Inputs are checked explicitly where they are used, with BAD_USER_INPUT errors.
    validate: false,
    emitSchemaFile: false,
  });
  return cached;
}
