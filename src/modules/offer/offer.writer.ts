import type { EntityManager } from '@mikro-orm/postgresql';
import type { AccountViewer } from '../../auth/viewer.js';
import type { GermanLevel, OfferKind } from '../../domain/enums.js';
import { conflict, fieldError } from '../../errors.js';
import { emitEvent, OFFER_CHANGED, type OfferChanged } from '../../events/emit.js';
import { changedFields, recordAudit, snapshot } from '../audit/audit.service.js';
import type { FundingProgramme } from '../funding/funding-programme.entity.js';
import type { Location } from '../organisation/location.entity.js';
import { Organisation } from '../organisation/organisation.entity.js';
import { Offer } from './offer.entity.js';

/**
 * Every write of an offer, for the API and the import alike, so each audit action has one shape:
 *   offer.created   after: OFFER_AUDITED
 *   offer.updated   before, after: OFFER_AUDITED
 *   offer.archived  before, after: { active }
 * (recordAudit keeps only the keys whose values changed.) Callers lock, authorise and look up the
 * location and funding programme; `details` adds the caller's own facts (the import's source and key).
 */
export const OFFER_AUDITED = [
  'title',
  'description',
  'kind',
  'location',
  'languages',
  'requiredGermanLevel',
  'schedule',
  'costCents',
  'internalNotes',
  'fundingProgramme',
  'costPerPlaceCents',
  'autoOfferFromWaitingList',
  'active',
] as const;

export interface OfferFields {
  title: string;
  description: string;
  kind: OfferKind;
  location: Location;
  languages: string[];
  requiredGermanLevel: GermanLevel;
  schedule: string | null;
  costCents: number;
  internalNotes: string | null;
  fundingProgramme: FundingProgramme | null;
  costPerPlaceCents: number | null;
  autoOfferFromWaitingList: boolean;
}

/** A new offer: what it must have, and what it may (left out: the defaults of Offer). */
export type NewOffer = Pick<OfferFields, 'title' | 'description' | 'kind' | 'location'> &
  Partial<OfferFields> & { externalKey?: string };

/** A change: a field left out stays as it is; null empties a field that may be empty. */
export type OfferChanges = Partial<OfferFields>;

/** Texts of at least this many non-blank characters (spaces alone do not make a title). */
const MIN_LENGTH = { title: 3, description: 1 } as const;

/** Title and description trimmed, each checked when given. */
export function offerTexts<T extends { title?: string | null; description?: string | null }>(
  fields: T,
): { title?: string; description?: string } {
  const texts: { title?: string; description?: string } = {};
  for (const field of ['title', 'description'] as const) {
    const value = fields[field];
    if (value == null) continue;
    const trimmed = value.trim();
    if (trimmed.length < MIN_LENGTH[field])
      throw fieldError(field, `must have at least ${MIN_LENGTH[field]} non-blank character(s)`);
    texts[field] = trimmed;
  }
  return texts;
}

export function assertOfferEditable(offer: Offer): void {
  if (!offer.active) throw conflict('This offer is archived.');
}

/** A new offer of `organisationId`, in the caller's transaction. */
export function createOfferRecord(
  em: EntityManager,
  viewer: AccountViewer,
  organisationId: string,
  fields: NewOffer,
  details?: Record<string, unknown>,
): Offer {
  const offer = em.create(Offer, {
    ...fields,
    ...offerTexts(fields),
    organisation: em.getReference(Organisation, organisationId),
  } as never);
  recordAudit(em, viewer, {
    action: 'offer.created',
    entityType: 'Offer',
    entityId: offer.id,
    organisationId,
    after: snapshot(offer, OFFER_AUDITED),
    details,
  });
  offerChanged(em, offer.id, organisationId, 'created');
  return offer;
}

/** Changes an active offer, in the caller's transaction. */
export function updateOfferRecord(
  em: EntityManager,
  viewer: AccountViewer,
  offer: Offer,
  changes: OfferChanges,
  details?: Record<string, unknown>,
): void {
  assertOfferEditable(offer);
  const { title, description } = offerTexts(changes);
  const before = snapshot(offer, OFFER_AUDITED);
  if (title !== undefined) offer.title = title;
  if (description !== undefined) offer.description = description;
  if (changes.kind !== undefined) offer.kind = changes.kind;
  if (changes.location !== undefined) offer.location = changes.location;
  if (changes.languages !== undefined) offer.languages = changes.languages;
  if (changes.requiredGermanLevel !== undefined) offer.requiredGermanLevel = changes.requiredGermanLevel;
  if (changes.schedule !== undefined) offer.schedule = changes.schedule ?? undefined;
  if (changes.costCents !== undefined) offer.costCents = changes.costCents;
  if (changes.internalNotes !== undefined) offer.internalNotes = changes.internalNotes ?? undefined;
  if (changes.fundingProgramme !== undefined) offer.fundingProgramme = changes.fundingProgramme ?? undefined;
  if (changes.costPerPlaceCents !== undefined)
    offer.costPerPlaceCents = changes.costPerPlaceCents ?? undefined;
  if (changes.autoOfferFromWaitingList !== undefined)
    offer.autoOfferFromWaitingList = changes.autoOfferFromWaitingList;
  const after = snapshot(offer, OFFER_AUDITED);
  recordAudit(em, viewer, {
    action: 'offer.updated',
    entityType: 'Offer',
    entityId: offer.id,
    organisationId: offer.organisation.id,
    before,
    after,
    details,
  });
  // A re-import that changes nothing tells nobody anything.
  if (Object.keys(changedFields(before, after).after).length > 0) {
    offerChanged(em, offer.id, offer.organisation.id, 'updated');
  }
}

/** Takes an offer out of lists, in the caller's transaction; its history stays. */
export function archiveOfferRecord(em: EntityManager, viewer: AccountViewer, offer: Offer): void {
  if (!offer.active) throw conflict('This offer is already archived.');
  offer.active = false;
  recordAudit(em, viewer, {
    action: 'offer.archived',
    entityType: 'Offer',
    entityId: offer.id,
    organisationId: offer.organisation.id,
    before: { active: true },
    after: { active: false },
  });
  offerChanged(em, offer.id, offer.organisation.id, 'archived');
}

/** In the writing transaction: the event exists exactly when the change committed (webhooks read it). */
function offerChanged(
  em: EntityManager,
  offerId: string,
  organisationId: string,
  change: OfferChanged['change'],
) {
  const event: OfferChanged = { offerId, organisationId, change };
  emitEvent(em, OFFER_CHANGED, event);
}
