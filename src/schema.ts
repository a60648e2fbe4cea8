import { ARGUMENT_VALIDATION } from './graphql/argument-validation.js';
import { CasePlacesResolver } from './modules/capacity/case-places.resolver.js';
import { OfferPlacesResolver } from './modules/capacity/offer-places.resolver.js';
import {
  OfferConnectionSearchResolver,
  OfferEdgeSearchResolver,
  OffersResolver,
  OrganisationOffersResolver,
} from './modules/search/offers.resolver.js';
import { OrganisationSharingResolver } from './modules/sharing/organisation-sharing.resolver.js';
import 'reflect-metadata';
import './graphql/enums.js';
import type { GraphQLSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { enforcePolicy } from './auth/enforce-policy.js';
import { toSubgraphSchema } from './graphql/federation.js';
import { NodeResolver } from './graphql/node.resolver.js';
import { AccountResolver, MeResolver } from './modules/account/account.resolver.js';
import { AuditEntryResolver, AuditTrailResolver } from './modules/audit/audit.resolver.js';
import { CapacityPeriodResolver, ReservationResolver } from './modules/capacity/capacity.resolver.js';
import { CapacityEditResolver } from './modules/capacity/capacity-edit.resolver.js';
import { PlacesResolver, WaitingListEntryResolver } from './modules/capacity/places.resolver.js';
import { CaseResolver } from './modules/case/case.resolver.js';
import { SignInInvitationResolver } from './modules/identity/invitation.resolver.js';
import { LiveResolver } from './modules/live/live.resolver.js';
import { LocationEditResolver } from './modules/location/location-edit.resolver.js';
import { OfferResolver } from './modules/offer/offer.resolver.js';
import { OfferEditResolver } from './modules/offer/offer-edit.resolver.js';
import { OrganisationArchivedOffersResolver } from './modules/offer/organisation-offers-archive.resolver.js';
import { LocationResolver, OrganisationResolver } from './modules/organisation/organisation.resolver.js';
import { SavedSearchResolver } from './modules/saved-search/saved-search.resolver.js';
import { SharingGrantResolver } from './modules/sharing/sharing.resolver.js';
import { StatisticsResolver } from './modules/statistics/statistics.resolver.js';
import { WebhookDeliveryResolver, WebhookEndpointResolver } from './modules/webhooks/webhook.resolver.js';

export const resolvers = [
  NodeResolver,
  OrganisationResolver,
  LocationResolver,
  OfferResolver,
  OffersResolver,
  OrganisationOffersResolver,
  OrganisationArchivedOffersResolver,
  OfferEdgeSearchResolver,
  OfferConnectionSearchResolver,
  OfferPlacesResolver,
  CapacityPeriodResolver,
  ReservationResolver,
  CaseResolver,
  CasePlacesResolver,
  MeResolver,
  AccountResolver,
  SignInInvitationResolver,
  SharingGrantResolver,
  OrganisationSharingResolver,
  OfferEditResolver,
  LocationEditResolver,
  CapacityEditResolver,
  AuditTrailResolver,
  AuditEntryResolver,
  PlacesResolver,
  WaitingListEntryResolver,
  LiveResolver,
  StatisticsResolver,
  WebhookEndpointResolver,
  WebhookDeliveryResolver,
  SavedSearchResolver,
] as const;

let cached: Promise<GraphQLSchema> | undefined;

/**
 * The hub's executable schema, built once per process from the resolver classes: an Apollo Federation 2
 * subgraph (`_service`, `_entities`; see graphql/federation.ts), which works alone just as well.
 */
export function buildHubSchema(): Promise<GraphQLSchema> {
  // The policy wraps the final schema's resolvers, so it also covers the fields federation adds.
  cached ??= buildTypeGraphqlSchema().then(toSubgraphSchema).then(enforcePolicy);
  return cached;
}

function buildTypeGraphqlSchema(): Promise<GraphQLSchema> {
  return buildSchema({
    resolvers,
    // class-validator decorators on inputs; failures become BAD_USER_INPUT naming the field (errors.plugin.ts).
    validate: ARGUMENT_VALIDATION,
    // Every subscription brings its own `subscribe` (the outbox event bus, per server); type-graphql's
    // topic-based pub/sub is never used, so asking it for anything is a programming error.
    pubSub: {
      publish: () => {
        throw new Error('use emitEvent() inside the writing transaction instead');
      },
      subscribe: () => {
        throw new Error('subscriptions subscribe through the event bus');
      },
    },
    emitSchemaFile: false,
  });
}
