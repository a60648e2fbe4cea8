import { type EntityManager, LockMode } from '@mikro-orm/postgresql';
import type { Actor } from '../../auth/actor.js';
import { dayBefore, today } from '../../domain/calendar.js';
import type { Ref } from '../../domain/ref.js';
import { conflict, fieldError } from '../../errors.js';
import { recordAudit, snapshot } from '../audit/audit.service.js';
import { FundingProgramme } from '../funding/funding-programme.entity.js';
import { Location } from '../organisation/location.entity.js';
import { Organisation } from '../organisation/organisation.entity.js';
import { assertOrganisation, checkVersion, creatorFor, editorFor, lockForEdit } from '../shared/editing.js';
import { EligibilityRule } from './eligibility-rule.entity.js';
import { Offer } from './offer.entity.js';
import type {
  CreateOfferInput,
  EligibilityRuleInput,
  SetEligibilityRuleInput,
  UpdateOfferInput,
} from './offer-edit.inputs.js';

const AUDITED = [
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
    const offer = em.create(Offer, {
      organisation: em.getReference(Organisation, organisationId),
      location: await locationOf(em, input.locationId!, organisationId),
      kind: input.kind!,
      title: required(input.title!, 'title', 3),
      description: required(input.description!, 'description', 1),
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
    } as never);
    if (input.eligibility) addRuleVersion(em, offer, 1, input.eligibility);
    recordAudit(em, viewer, {
      action: 'offer.created',
      entityType: 'Offer',
      entityId: offer.id,
      organisationId,
      after: snapshot(offer, AUDITED),
    });
    return offer;
  });
}

export async function updateOffer(em: EntityManager, actor: Actor, input: UpdateOffer): Promise<Offer> {
  return em.transactional(async (em) => {
    const offer = await lockForEdit(em, Offer, 'Offer', input.offer);
    const viewer = editorFor(actor, 'offer.update', offer.organisation.id);
    checkVersion(offer, input.version, 'Offer');
    if (!offer.active) throw conflict('This offer is archived.');
    const before = snapshot(offer, AUDITED);
    if (input.title != null) offer.title = required(input.title, 'title', 3);
    if (input.description != null) offer.description = required(input.description, 'description', 1);
    if (input.kind != null) offer.kind = input.kind;
    if (input.locationId != null)
      offer.location = await locationOf(em, input.locationId, offer.organisation.id);
    if (input.languages != null) offer.languages = input.languages;
    if (input.requiredGermanLevel != null) offer.requiredGermanLevel = input.requiredGermanLevel;
    if (input.schedule !== undefined) offer.schedule = input.schedule ?? undefined;
    if (input.costCents != null) offer.costCents = input.costCents;
    if (input.internalNote !== undefined) offer.internalNotes = input.internalNote ?? undefined;
    if (input.fundingProgrammeCode !== undefined) {
      offer.fundingProgramme = input.fundingProgrammeCode
        ? await fundingOf(em, input.fundingProgrammeCode)
        : undefined;
    }
    if (input.costPerPlaceCents !== undefined) offer.costPerPlaceCents = input.costPerPlaceCents ?? undefined;
    if (input.autoOfferFromWaitingList != null)
      offer.autoOfferFromWaitingList = input.autoOfferFromWaitingList;
    recordAudit(em, viewer, {
      action: 'offer.updated',
      entityType: 'Offer',
      entityId: offer.id,
      organisationId: offer.organisation.id,
      before,
      after: snapshot(offer, AUDITED),
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
    return offer;
  });
}

/**
 * A new version of the eligibility rule. The version in force when it starts ends the day before;
 * versions never overlap, and old ones stay as history.
 */
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
    for (const rule of rules) {
      if (rule.validTo && rule.validTo < validFrom) continue;
      if (rule.validFrom >= validFrom) {
        throw conflict(
          `Version ${rule.version} is already in force from ${rule.validFrom}; a new version must start after that.`,
          { version: rule.version, validFrom: rule.validFrom },
        );
      }
      rule.validTo = dayBefore(validFrom);
    }
    const created = addRuleVersion(em, offer, (rules[0]?.version ?? 0) + 1, { ...input, validFrom });
    recordAudit(em, viewer, {
      action: 'offer.eligibility_rule_set',
      entityType: 'Offer',
      entityId: offer.id,
      organisationId: offer.organisation.id,
      after: snapshot(created, [
        'version',
        'residenceStatuses',
        'minAge',
        'maxAge',
        'minGermanLevel',
        'legalBasisNote',
        'validFrom',
        'validTo',
      ]),
    });
    return created;
  });
}

function addRuleVersion(
  em: EntityManager,
  offer: Offer,
  version: number,
  input: EligibilityRuleInput,
): EligibilityRule {
  const validFrom = input.validFrom ?? today();
  if (input.minAge > input.maxAge) throw fieldError('maxAge', 'must not be below minAge');
  if (input.validTo && input.validTo < validFrom)
    throw fieldError('validTo', 'must not lie before validFrom');
  return em.create(EligibilityRule, {
    offer,
    version,
    residenceStatuses: [...new Set(input.residenceStatuses)],
    minAge: input.minAge,
    maxAge: input.maxAge,
    minGermanLevel: input.minGermanLevel,
    legalBasisNote: input.legalBasisNote,
    validFrom,
    validTo: input.validTo,
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

/** Trimmed text of at least `min` characters (spaces alone do not make a title). */
function required(value: string, field: string, min: number): string {
  const trimmed = value.trim();
  if (trimmed.length < min) throw fieldError(field, `must have at least ${min} non-blank character(s)`);
  return trimmed;
}
