import type { EntityManager } from '@mikro-orm/postgresql';
import type { AccountViewer } from '../../auth/viewer.js';
import { dayBefore, today } from '../../domain/calendar.js';
import type { GermanLevel, ResidenceStatus } from '../../domain/enums.js';
import { conflict, fieldError } from '../../errors.js';
import { recordAudit, snapshot } from '../audit/audit.service.js';
import { EligibilityRule } from './eligibility-rule.entity.js';
import type { Offer } from './offer.entity.js';

/**
 * Every new version of an offer's eligibility rule, for the API and the import alike. Versions never
 * overlap and old ones stay as history: the version in force when the new one starts ends the day
 * before. One audit shape, whoever writes:
 *   offer.eligibility_rule_set  after: RULE_AUDITED of the new version
 */
export const RULE_AUDITED = [
  'version',
  'residenceStatuses',
  'minAge',
  'maxAge',
  'minGermanLevel',
  'legalBasisNote',
  'validFrom',
  'validTo',
] as const;

export interface RuleVersion {
  residenceStatuses: ResidenceStatus[];
  minAge: number;
  maxAge: number;
  minGermanLevel?: GermanLevel;
  legalBasisNote?: string;
  /** Default today. */
  validFrom?: string;
  validTo?: string;
}

/** The version that keeps a new one from starting on `validFrom`: one that starts on that day or later. */
export function blockingVersion(
  rules: readonly EligibilityRule[],
  validFrom: string,
): EligibilityRule | undefined {
  return rules.find((rule) => !(rule.validTo && rule.validTo < validFrom) && rule.validFrom >= validFrom);
}

/**
 * Adds the next version of `offer`'s rule, in the caller's transaction. `rules` are the offer's versions
 * newest first, read while the caller holds the offer's row lock (numbers stay unique and gap-free).
 */
export function addRuleVersion(
  em: EntityManager,
  viewer: AccountViewer,
  offer: Offer,
  rules: readonly EligibilityRule[],
  input: RuleVersion,
  details?: Record<string, unknown>,
): EligibilityRule {
  const validFrom = input.validFrom ?? today();
  const blocking = blockingVersion(rules, validFrom);
  if (blocking)
    throw conflict(
      `Version ${blocking.version} is already in force from ${blocking.validFrom}; a new version must start after that.`,
      { version: blocking.version, validFrom: blocking.validFrom },
    );
  if (input.minAge > input.maxAge) throw fieldError('maxAge', 'must not be below minAge');
  if (input.validTo && input.validTo < validFrom)
    throw fieldError('validTo', 'must not lie before validFrom');
  for (const rule of rules)
    if (!rule.validTo || rule.validTo >= validFrom) rule.validTo = dayBefore(validFrom);
  const created = em.create(EligibilityRule, {
    offer,
    version: (rules[0]?.version ?? 0) + 1,
    residenceStatuses: [...new Set(input.residenceStatuses)],
    minAge: input.minAge,
    maxAge: input.maxAge,
    minGermanLevel: input.minGermanLevel,
    legalBasisNote: input.legalBasisNote,
    validFrom,
    validTo: input.validTo,
  });
  recordAudit(em, viewer, {
    action: 'offer.eligibility_rule_set',
    entityType: 'Offer',
    entityId: offer.id,
    organisationId: offer.organisation.id,
    after: snapshot(created, RULE_AUDITED),
    details,
  });
  return created;
}
