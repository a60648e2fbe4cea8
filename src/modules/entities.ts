import { BaseEntity } from '../db/base.entity.js';
import { DomainEvent } from '../events/domain-event.entity.js';
import { Account } from './account/account.entity.js';
import { AuditEntry } from './audit/audit-entry.entity.js';
import { CapacityPeriod } from './capacity/capacity-period.entity.js';
import { Reservation } from './capacity/reservation.entity.js';
import { WaitingListEntry } from './capacity/waiting-list-entry.entity.js';
import { Case } from './case/case.entity.js';
import { CaseEvent } from './case/case-event.entity.js';
import { FundingProgramme } from './funding/funding-programme.entity.js';
import { HubSession } from './identity/hub-session.entity.js';
import { IdentityLink } from './identity/identity-link.entity.js';
import { SignInInvitation } from './identity/sign-in-invitation.entity.js';
import { EligibilityRule } from './offer/eligibility-rule.entity.js';
import { Offer } from './offer/offer.entity.js';
import { OfferSearchChange } from './offer/offer-search-change.entity.js';
import { ContactPerson } from './organisation/contact-person.entity.js';
import { Location } from './organisation/location.entity.js';
import { Organisation } from './organisation/organisation.entity.js';
import { SavedSearch } from './saved-search/saved-search.entity.js';
import { SavedSearchHit } from './saved-search/saved-search-hit.entity.js';
import { SharingGrant } from './sharing/sharing-grant.entity.js';
import { CaseStateSpan } from './statistics/case-state-span.entity.js';
import {
  StatisticsProtection,
  StatisticsRelease,
  StatisticsSnapshotRow,
} from './statistics/statistics-snapshot.entity.js';
import { WebhookDelivery } from './webhooks/webhook-delivery.entity.js';
import { WebhookEndpoint } from './webhooks/webhook-endpoint.entity.js';

/**
 * Every entity, listed explicitly (no folder globbing: it breaks under vitest and bundlers). Listed here,
 * beside the features that own them, and handed to the database layer by whoever opens a connection
 * (createOrmConfig's `entities`): db/ knows how to connect, not what the features store.
 */
export const entities = [
  BaseEntity,
  Organisation,
  Location,
  ContactPerson,
  Account,
  IdentityLink,
  SignInInvitation,
  HubSession,
  FundingProgramme,
  Offer,
  EligibilityRule,
  OfferSearchChange,
  CapacityPeriod,
  Reservation,
  WaitingListEntry,
  Case,
  CaseEvent,
  SharingGrant,
  AuditEntry,
  DomainEvent,
  StatisticsSnapshotRow,
  StatisticsRelease,
  StatisticsProtection,
  CaseStateSpan,
  WebhookEndpoint,
  WebhookDelivery,
  SavedSearch,
  SavedSearchHit,
];
