import { type EntityManager, LockMode } from '@mikro-orm/postgresql';
import type { Actor } from '../../auth/actor.js';
import { today } from '../../domain/calendar.js';
import type { Ref } from '../../domain/ref.js';
import { fieldError } from '../../errors.js';
import { FundingProgramme } from '../funding/funding-programme.entity.js';
import { Location } from '../organisation/location.entity.js';
import { assertOrganisation, checkVersion, creatorFor, editorFor, lockForEdit } from '../shared/editing.js';
import { EligibilityRule } from './eligibility-rule.entity.js';
import { addRuleVersion } from './eligibility-rule.writer.js';
import { Offer } from './offer.entity.js';
import {
  archiveOfferRecord,
  assertOfferEditable,
  createOfferRecord,
  offerTexts,
  updateOfferRecord,
} from './offer.writer.js';
import type { CreateOfferInput, SetEligibilityRuleInput, UpdateOfferInput } from './offer-edit.inputs.js';

/** `locationId`: a UUID (a wrong one is a field error, not a NOT_FOUND). */
export type CreateOffer = Omit<CreateOfferInput, 'organisationId'> & { organisation?: Ref };
export type UpdateOffer = Omit<UpdateOfferInput, 'id'> & { offer: Ref };
export type SetEligibilityRule = Omit<SetEligibilityRuleInput, 'offerId'> & { offer: Ref };

export async function createOffer(em: EntityManager, actor: Actor, input: CreateOffer): Promise<Offer> {
  const { viewer, organisationId } = creatorFor(actor, input.organisation, 'offer.create', 'offers');
  for (const required of ['title', 'description', 'kind', 'locationId'] as const) {
    if (input[required] === undefined || input[required] === null) throw fieldError(required, 'is required');
  }
  return em.transactional(async (em) => {
    await assertOrganisation(em, organisationId, input.organisation);
    const location = await locationOf(em, input.locationId!, organisationId);
    const { title, description } = offerTexts(input);
    const offer = createOfferRecord(em, viewer, organisationId, {
      location,
      kind: input.kind!,
      title: title!,
      description: description!,
      languages: input.languages ?? ['de'],
      requiredGermanLevel: input.requiredGermanLevel,
      schedule: input.schedule,
      costCents: input.costCents ?? 0,
      internalNotes: input.internalNote,
      fundingProgramme: input.fundingProgrammeCode
        ? await fundingOf(em, input.fundingProgrammeCode)
        : undefined,
      costPerPlaceCents: input.costPerPlaceCents,
      autoOfferFromWaitingList: input.autoOfferFromWaitingList ?? true,
    });
    if (input.eligibility) addRuleVersion(em, viewer, offer, [], input.eligibility);
    return offer;
  });
}

export async function updateOffer(em: EntityManager, actor: Actor, input: UpdateOffer): Promise<Offer> {
  return em.transactional(async (em) => {
    const offer = await lockForEdit(em, Offer, 'Offer', input.offer);
    const viewer = editorFor(actor, 'offer.update', offer.organisation.id);
    checkVersion(offer, input.version, 'Offer');
    assertOfferEditable(offer);
    // Looked up in the order the form lists them, so the first wrong field is the one named.
    const texts = offerTexts(input);
    const location =
      input.locationId != null ? await locationOf(em, input.locationId, offer.organisation.id) : undefined;
    const fundingProgramme =
      input.fundingProgrammeCode === undefined
        ? undefined
        : input.fundingProgrammeCode
          ? await fundingOf(em, input.fundingProgrammeCode)
          : null;
    updateOfferRecord(em, viewer, offer, {
      ...texts,
      kind: input.kind ?? undefined,
      location,
      languages: input.languages ?? undefined,
      requiredGermanLevel: input.requiredGermanLevel ?? undefined,
      schedule: input.schedule,
      costCents: input.costCents ?? undefined,
      internalNotes: input.internalNote,
      fundingProgramme,
      costPerPlaceCents: input.costPerPlaceCents,
      autoOfferFromWaitingList: input.autoOfferFromWaitingList ?? undefined,
    });
    return offer;
  });
}

export async function archiveOffer(
  em: EntityManager,
  actor: Actor,
  input: { offer: Ref; version: number },
): Promise<Offer> {
  return em.transactional(async (em) => {
    const offer = await lockForEdit(em, Offer, 'Offer', input.offer);
    const viewer = editorFor(actor, 'offer.archive', offer.organisation.id);
    checkVersion(offer, input.version, 'Offer');
    archiveOfferRecord(em, viewer, offer);
    return offer;
  });
}

/** A new version of the eligibility rule (eligibility-rule.writer.ts), from today or later. */
export async function setEligibilityRule(
  em: EntityManager,
  actor: Actor,
  input: SetEligibilityRule,
): Promise<EligibilityRule> {
  return em.transactional(async (em) => {
    // Locking the offer serialises rule changes of one offer (version numbers stay unique and gap-free).
    const offer = await lockForEdit(em, Offer, 'Offer', input.offer);
    const viewer = editorFor(actor, 'offer.setEligibilityRule', offer.organisation.id);
    const validFrom = input.validFrom ?? today();
    // History is not rewritten: a new version starts today or later.
    if (validFrom < today())
      throw fieldError('validFrom', 'lies in the past; a new version starts today or later');
    const rules = await em.find(EligibilityRule, { offer }, { orderBy: { version: 'desc' } });
    return addRuleVersion(em, viewer, offer, rules, { ...input, validFrom });
  });
}

async function locationOf(em: EntityManager, locationId: string, organisationId: string): Promise<Location> {
  // Share-locked: a concurrent archiveLocation waits for this offer (and then sees it), or wins first.
  const location = await em.findOne(Location, { id: locationId }, { lockMode: LockMode.PESSIMISTIC_READ });
  if (!location || location.organisation.id !== organisationId) {
    throw fieldError('locationId', 'must be a location of the offer’s organisation');
  }
  if (!location.active) throw fieldError('locationId', 'this location is archived');
  return location;
}

async function fundingOf(em: EntityManager, code: string): Promise<FundingProgramme> {
  const programme = await em.findOne(FundingProgramme, { code });
  if (!programme) throw fieldError('fundingProgrammeCode', `no funding programme has the code "${code}"`);
  return programme;
}
