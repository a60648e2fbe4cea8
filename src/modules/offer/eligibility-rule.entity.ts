import { Check, Entity, Enum, ManyToOne, Property, Rel, Unique } from '@mikro-orm/core';
import { BaseEntity } from '../../db/base.entity.js';
import { sql } from '../../db/sql.js';
import { GermanLevel, ResidenceStatus, sqlTextArray } from '../../domain/enums.js';
import { Offer } from './offer.entity.js';
import type { PerOfferChoice } from './per-offer-choice.js';

/**
 * Who an offer admits. Versioned: federal rules change (e.g. integration-course access for
 * Gestattete), so a new version with its own validity replaces the old one instead of overwriting it.
 */
@Entity()
@Unique({ properties: ['offer', 'version'] })
@Check({
  name: 'eligibility_rule_age_check',
  expression:
    '((min_age >= 14) AND (min_age <= 99)) AND ((max_age >= 14) AND (max_age <= 99)) AND (min_age <= max_age)',
})
@Check({ name: 'eligibility_rule_validity_check', expression: 'valid_to is null or valid_to >= valid_from' })
@Check({ name: 'eligibility_rule_version_positive_check', expression: 'version >= 1' })
@Check({
  name: 'eligibility_rule_statuses_check',
  expression: `cardinality(residence_statuses) > 0 and residence_statuses <@ ${sqlTextArray(Object.values(ResidenceStatus))}`,
})
export class EligibilityRule extends BaseEntity {
  @ManyToOne(() => Offer, { deleteRule: 'cascade' })
  offer!: Rel<Offer>;

  @Property()
  version!: number;

  @Property({ type: 'text[]' })
  residenceStatuses!: ResidenceStatus[];

  @Property()
  minAge!: number;

  @Property()
  maxAge!: number;

  @Enum({ items: () => GermanLevel, nullable: true })
  minGermanLevel?: GermanLevel;

  /** e.g. "§ 44 AufenthG"; shown to partners as the legal basis. */
  @Property({ type: 'text', nullable: true })
  legalBasisNote?: string;

  @Property({ type: 'date' })
  validFrom!: string;

  @Property({ type: 'date', nullable: true })
  validTo?: string;
}

/** The rule in force on a day (per-offer-choice.ts): the first in force by version descending, then id. */
export const RULE_IN_FORCE: PerOfferChoice<EligibilityRule> = {
  entity: EligibilityRule,
  table: 'eligibility_rule',
  alias: 'er',
  where: (offer, day) =>
    sql`er.offer_id = ${offer} and er.valid_from <= ${day} and (er.valid_to is null or er.valid_to >= ${day})`,
  orderBy: () => sql`er.version desc, er.id asc`,
};
