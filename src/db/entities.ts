import { DomainEvent } from '../events/domain-event.entity.js';
import { Account } from '../modules/account/account.entity.js';
import { AuditEntry } from '../modules/audit/audit-entry.entity.js';
import { CapacityPeriod } from '../modules/capacity/capacity-period.entity.js';
import { Reservation } from '../modules/capacity/reservation.entity.js';
import { WaitingListEntry } from '../modules/capacity/waiting-list-entry.entity.js';
import { Case } from '../modules/case/case.entity.js';
import { CaseEvent } from '../modules/case/case-event.entity.js';
import { FundingProgramme } from '../modules/funding/funding-programme.entity.js';
import { EligibilityRule } from '../modules/offer/eligibility-rule.entity.js';
import { Offer } from '../modules/offer/offer.entity.js';
import { OfferSearchChange } from '../modules/offer/offer-search-change.entity.js';
import { ContactPerson } from '../modules/organisation/contact-person.entity.js';
import { Location } from '../modules/organisation/location.entity.js';
import { Organisation } from '../modules/organisation/organisation.entity.js';
import { SharingGrant } from '../modules/sharing/sharing-grant.entity.js';
import { CaseStateSpan } from '../modules/statistics/case-state-span.entity.js';
import {
  StatisticsRelease,
  StatisticsSnapshotRow,
} from '../modules/statistics/statistics-snapshot.entity.js';
import { BaseEntity } from './base.entity.js';

/** Every entity, listed explicitly (no folder globbing: it breaks under vitest and bundlers). */
export const entities = [
  BaseEntity,
  Organisation,
  Location,
  ContactPerson,
  Account,
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
  CaseStateSpan,
];
