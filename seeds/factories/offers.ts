import type { Faker } from '@faker-js/faker';
import type { EntityManager } from '@mikro-orm/postgresql';
import { OfferKind } from '../../src/domain/enums.js';
import type { FundingProgramme } from '../../src/modules/funding/funding-programme.entity.js';
import { EligibilityRule } from '../../src/modules/offer/eligibility-rule.entity.js';
import { Offer } from '../../src/modules/offer/offer.entity.js';
import { addDays } from './calendar.js';
import { type EligibilityValues, eligibilityFor, revisedEligibility } from './eligibility.js';
import { type OfferTemplate, offerTemplate, offerTitle } from './offer-templates.js';
import type { FundingCode, OfferSpec } from './organisation-catalogue.js';
import type { OrganisationSeed, SeededOrganisation } from './organisations.js';
import { chance } from './random.js';
import { stamp } from './stamps.js';

export interface SeededOffer {
  entity: Offer;
  template: OfferTemplate;
  org: SeededOrganisation;
  /** Start year of an Ausbildung/EQ offer with a year in its title. */
  year?: number;
  /** The rule in force on the reference date. */
  currentRule: EligibilityValues;
}

export interface OfferSeed {
  offers: SeededOffer[];
  rules: EligibilityRule[];
}

const RULE_V2_FROM = { integration: '2026-01-01', other: '2026-07-01' } as const;

/** Spec → title: the template title, the start year for dated offers, and a suffix for parallel runs. */
function titleOf(template: OfferTemplate, spec: OfferSpec, year: number | undefined): string {
  const base = year === undefined ? template.title.replace(' {year}', '') : offerTitle(template, year);
  return spec.suffix ? `${base} – ${spec.suffix}` : base;
}

export function seedOffers(
  em: EntityManager,
  faker: Faker,
  orgs: OrganisationSeed,
  funding: Map<FundingCode, FundingProgramme>,
): OfferSeed {
  const offers: SeededOffer[] = [];
  const rules: EligibilityRule[] = [];
  let seq = 0;
  for (const org of orgs.organisations) {
    for (const spec of org.spec.offers) {
      const template = offerTemplate(spec.template);
      for (const year of spec.years ?? [undefined]) {
        const location = org.locations[spec.location ?? 0];
        if (!location) throw new Error(`${org.spec.slug}: no location ${spec.location}`);
        const programme = spec.funding ? funding.get(spec.funding) : undefined;
        const entity = em.create(Offer, {
          id: faker.string.uuid(),
          organisation: org.entity,
          location,
          kind: template.kind,
          title: titleOf(template, spec, year),
          description: template.description,
          languages: [...template.languages],
          requiredGermanLevel: template.level,
          schedule: template.schedule,
          costCents: spec.costCents ?? 0,
          internalNotes: spec.internalNotes,
          fundingProgramme: programme,
          costPerPlaceCents: spec.costPerPlaceCents,
          autoOfferFromWaitingList: template.kind !== OfferKind.AUSBILDUNG,
          active: spec.active ?? org.spec.active ?? true,
          ...stamp('2025-10-01', seq),
        });
        const v1 = eligibilityFor(template);
        const historic = spec.funding === 'DIAA';
        const revise = !historic && (template.kind === OfferKind.INTEGRATION_COURSE || chance(faker, 0.15));
        const v2From =
          template.kind === OfferKind.INTEGRATION_COURSE ? RULE_V2_FROM.integration : RULE_V2_FROM.other;
        const v1From = historic ? '2018-10-01' : '2024-01-01';
        const v1To = historic ? '2023-12-31' : revise ? addDays(v2From, -1) : undefined;
        rules.push(
          em.create(EligibilityRule, {
            id: faker.string.uuid(),
            offer: entity,
            version: 1,
            ...v1,
            minGermanLevel: v1.minGermanLevel ?? undefined,
            legalBasisNote: v1.legalBasisNote ?? undefined,
            validFrom: v1From,
            validTo: v1To,
            ...stamp('2025-10-01', seq),
          }),
        );
        let currentRule = v1;
        if (revise) {
          const v2 = revisedEligibility(template.kind, v1);
          rules.push(
            em.create(EligibilityRule, {
              id: faker.string.uuid(),
              offer: entity,
              version: 2,
              ...v2,
              minGermanLevel: v2.minGermanLevel ?? undefined,
              legalBasisNote: v2.legalBasisNote ?? undefined,
              validFrom: v2From,
              ...stamp(addDays(v2From, -14), seq),
            }),
          );
          currentRule = v2;
        }
        offers.push({ entity, template, org, year, currentRule });
        seq++;
      }
    }
  }
  return { offers, rules };
}
