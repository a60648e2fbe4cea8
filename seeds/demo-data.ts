import type { EntityManager } from '@mikro-orm/postgresql';
import { seedAccounts } from './factories/accounts.js';
import { seedCapacity } from './factories/capacity.js';
import { seedCases } from './factories/cases.js';
import { seedFundingProgrammes } from './factories/funding.js';
import { seedOffers } from './factories/offers.js';
import { seedOrganisations } from './factories/organisations.js';
import { seedPlaces } from './factories/places.js';
import { DEMO_SEED, seededFaker } from './factories/random.js';
import { seedSharing } from './factories/sharing.js';

/**
 * Builds the whole demo data set with `em.create` (nothing is flushed here): invented but realistic
 * partners, offers, places and pseudonymous cases of a Leverkusen-like city, identical on every run
 * (fixed faker seeds per feature, dates relative to REFERENCE_DATE). Returns the counts per entity.
 */
export function buildDemoData(
  em: EntityManager,
  options: { passwordHash?: string; seed?: number } = {},
): Record<string, number> {
  const seed = options.seed ?? DEMO_SEED;
  const f = (feature: string) => seededFaker(seed, feature);
  const orgs = seedOrganisations(em, f('organisations'));
  const accounts = seedAccounts(em, f('accounts'), orgs, options.passwordHash);
  const funding = seedFundingProgrammes(em, f('funding'));
  const offers = seedOffers(em, f('offers'), orgs, funding);
  const capacity = seedCapacity(em, f('capacity'), offers);
  const cases = seedCases(em, f('cases'), orgs, offers, capacity);
  const places = seedPlaces(em, f('places'), capacity, cases, accounts.caseManagers);
  const sharing = seedSharing(em, f('sharing'), orgs, accounts);
  return {
    organisations: orgs.organisations.length,
    locations: orgs.organisations.reduce((n, o) => n + o.locations.length, 0),
    contactPersons: orgs.contactPersons.length,
    accounts: accounts.accounts.length,
    fundingProgrammes: funding.size,
    offers: offers.offers.length,
    eligibilityRules: offers.rules.length,
    capacityPeriods: capacity.periods.length,
    reservations: places.reservations.length,
    waitingListEntries: places.waitingListEntries.length,
    cases: cases.cases.length,
    caseEvents: cases.events.length,
    sharingGrants: sharing.grants.length,
    auditEntries: sharing.auditEntries.length,
  };
}
