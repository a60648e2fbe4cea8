import { randomBytes, randomUUID } from 'node:crypto';
import type { Faker } from '@faker-js/faker';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import {
  CaseEventKind,
  OfferKind,
  OrganisationKind,
  PathwayStage,
  ResidenceStatus,
} from '../src/domain/enums.js';
import { arrayLiteral, BulkTable, InsertPipeline } from './factories/bulk.js';
import { fromDay, REFERENCE_DAY, toDay } from './factories/calendar.js';
import { type PeriodPlan, planPeriods } from './factories/capacity-plan.js';
import { AGE_BANDS, GENDERS, GERMAN_BY_STAGE, nationalityFor, SCHOOL_LEVELS } from './factories/cases.js';
import { CITY, DISTRICT_NAMES, DISTRICTS } from './factories/districts.js';
import { eligibilityFor } from './factories/eligibility.js';
import { type OfferTemplate, offerTitle, templatesFor } from './factories/offer-templates.js';
import { generatePathway } from './factories/pathways.js';
import { chance, int, seededFaker, weighted } from './factories/random.js';

export interface ScaleOptions {
  offers: number;
  cases: number;
  seed?: number;
}

const BATCH = 5_000;
const OFFERS_PER_ORGANISATION = 50;

const ORGANISATION_KINDS = [
  [OrganisationKind.EMPLOYER, 35],
  [OrganisationKind.EDUCATION_PROVIDER, 20],
  [OrganisationKind.WELFARE, 15],
  [OrganisationKind.YOUTH_SERVICES, 10],
  [OrganisationKind.SCHOOL, 6],
  [OrganisationKind.CHAMBER, 4],
  [OrganisationKind.MUNICIPAL, 4],
  [OrganisationKind.JOBCENTER, 3],
  [OrganisationKind.EMPLOYMENT_AGENCY, 3],
] as const;

const CASE_MANAGING_KINDS: readonly OrganisationKind[] = [
  OrganisationKind.YOUTH_SERVICES,
  OrganisationKind.WELFARE,
  OrganisationKind.MUNICIPAL,
];

const STATUSES = [
  [ResidenceStatus.GESTATTUNG, 48],
  [ResidenceStatus.DULDUNG, 24],
  [ResidenceStatus.DULDUNG_UNGEKLAERTE_IDENTITAET, 6],
  [ResidenceStatus.AE_OTHER, 8],
  [ResidenceStatus.AE_CHANCEN, 4],
  [ResidenceStatus.AE_GUT_INTEGRIERT, 2],
  [ResidenceStatus.UNKNOWN, 3],
] as const;

const REFERRAL_KIND: Partial<Record<PathwayStage, OfferKind>> = {
  [PathwayStage.ORIENTATION]: OfferKind.COUNSELLING,
  [PathwayStage.LANGUAGE]: OfferKind.INTEGRATION_COURSE,
  [PathwayStage.PREPARATION]: OfferKind.PREPARATION,
  [PathwayStage.SCHOOL]: OfferKind.PREPARATION,
  [PathwayStage.EQ]: OfferKind.EQ,
  [PathwayStage.AUSBILDUNG]: OfferKind.AUSBILDUNG,
};

function organisationName(faker: Faker, kind: OrganisationKind, district: string): string {
  switch (kind) {
    case OrganisationKind.EMPLOYER:
      return faker.company.name();
    case OrganisationKind.EDUCATION_PROVIDER:
      return faker.helpers.arrayElement([
        `Bildungswerk ${faker.person.lastName()}`,
        `Sprachschule ${district}`,
        `Bildungszentrum ${district}`,
      ]);
    case OrganisationKind.WELFARE:
      return `${faker.helpers.arrayElement(['Migrationsdienst', 'Sozialdienst', 'Beratungszentrum'])} ${district}`;
    case OrganisationKind.YOUTH_SERVICES:
      return `Jugendberufshilfe ${district}`;
    case OrganisationKind.SCHOOL:
      return `Berufskolleg ${district}`;
    case OrganisationKind.CHAMBER:
      return `Kreishandwerkerschaft, Beratungsstelle ${district}`;
    case OrganisationKind.MUNICIPAL:
      return `Stadtteilbüro ${district}`;
    case OrganisationKind.JOBCENTER:
      return `Jobcenter, Geschäftsstelle ${district}`;
    case OrganisationKind.EMPLOYMENT_AGENCY:
      return `Agentur für Arbeit, Außenstelle ${district}`;
  }
}

/** Period plans are costly date arithmetic: a few seeded variants per template and year serve all offers. */
const PLAN_VARIANTS = 8;
function planVariant(
  cache: Map<string, PeriodPlan[][]>,
  faker: Faker,
  template: OfferTemplate,
  year: number | undefined,
): PeriodPlan[] {
  const key = `${template.key}/${year ?? ''}`;
  let variants = cache.get(key);
  if (!variants) {
    variants = Array.from({ length: PLAN_VARIANTS }, () => planPeriods(faker, template, year));
    cache.set(key, variants);
  }
  return faker.helpers.arrayElement(variants);
}

interface ScaleOrganisation {
  id: string;
  kind: OrganisationKind;
  locations: string[];
}

/**
 * Benchmark data on top of whatever exists: `offers` offers (1 eligibility rule, ~3 capacity periods
 * each) at offers/50 organisations, and `cases` cases with ~4 events each. Content is seeded-random
 * from `seed` with the demo's German templates; ids and organisation names carry a fresh run id, so
 * running twice never collides. Rows go in with a few large `insert … select from unnest(…)`
 * statements in one transaction.
 */
export async function seedScale(orm: MikroORM, opts: ScaleOptions): Promise<Record<string, number>> {
  const faker = seededFaker(opts.seed ?? 1, 'scale');
  const run = randomBytes(3).toString('hex');
  const counts = await orm.em.fork().transactional(async (em) => {
    const organisations = await insertOrganisations(
      em,
      faker,
      run,
      Math.max(1, Math.ceil(opts.offers / OFFERS_PER_ORGANISATION)),
    );
    const offerCounts = await insertOffers(em, faker, organisations, opts.offers);
    const caseCounts = await insertCases(em, faker, organisations, offerCounts.byKind, opts.cases);
    return {
      organisations: organisations.length,
      locations: organisations.reduce((n, o) => n + o.locations.length, 0),
      offers: offerCounts.offers,
      eligibilityRules: offerCounts.rules,
      capacityPeriods: offerCounts.periods,
      cases: caseCounts.cases,
      caseEvents: caseCounts.events,
    };
  });
  // Fresh statistics so benchmark plans reflect the new volume.
  await orm.em
    .fork()
    .execute(
      'analyze organisation, location, offer, eligibility_rule, capacity_period, case_record, case_event',
    );
  return counts;
}

async function insertOrganisations(
  em: EntityManager,
  faker: Faker,
  run: string,
  n: number,
): Promise<ScaleOrganisation[]> {
  const organisations = new BulkTable('organisation', [
    { name: 'id', type: 'uuid' },
    { name: 'name', type: 'text' },
    { name: 'kind', type: 'text' },
    { name: 'description', type: 'text' },
    { name: 'website', type: 'text' },
  ]);
  const locations = new BulkTable('location', [
    { name: 'id', type: 'uuid' },
    { name: 'organisation_id', type: 'uuid' },
    { name: 'name', type: 'text' },
    { name: 'street', type: 'text' },
    { name: 'postal_code', type: 'text' },
    { name: 'city', type: 'text' },
    { name: 'district', type: 'text' },
    { name: 'wheelchair_accessible', type: 'boolean' },
  ]);
  const pipeline = new InsertPipeline(em);
  const result: ScaleOrganisation[] = [];
  for (let i = 0; i < n; i++) {
    // The first organisations manage cases, whatever the weights draw.
    const kind = CASE_MANAGING_KINDS[i] ?? weighted(faker, ORGANISATION_KINDS);
    const home = faker.helpers.arrayElement(DISTRICT_NAMES);
    const id = randomUUID();
    const name = `${organisationName(faker, kind, home)} (Lauf ${run}-${i + 1})`;
    organisations.add([
      id,
      name,
      kind,
      'Generierte Organisation für Last- und Leistungstests.',
      `https://scale-${run}-${i + 1}.example`,
    ]);
    const own: string[] = [];
    const nLocations = chance(faker, 0.3) ? 2 : 1;
    for (let l = 0; l < nLocations; l++) {
      const district = l === 0 ? home : faker.helpers.arrayElement(DISTRICT_NAMES);
      const d = DISTRICTS[district];
      const locationId = randomUUID();
      locations.add([
        locationId,
        id,
        l === 0 ? 'Hauptsitz' : `Standort ${district}`,
        `${faker.helpers.arrayElement(d.streets)} ${int(faker, 1, 180)}`,
        d.postalCode,
        CITY,
        district,
        chance(faker, 0.6),
      ]);
      own.push(locationId);
    }
    result.push({ id, kind, locations: own });
    if (organisations.pending >= BATCH) await pipeline.push(organisations, locations);
  }
  await pipeline.push(organisations, locations);
  await pipeline.drain();
  return result;
}

async function insertOffers(em: EntityManager, faker: Faker, organisations: ScaleOrganisation[], n: number) {
  const offers = new BulkTable('offer', [
    { name: 'id', type: 'uuid' },
    { name: 'organisation_id', type: 'uuid' },
    { name: 'location_id', type: 'uuid' },
    { name: 'kind', type: 'text' },
    { name: 'title', type: 'text' },
    { name: 'description', type: 'text' },
    { name: 'languages', type: 'text', array: true },
    { name: 'required_german_level', type: 'text' },
    { name: 'schedule', type: 'text' },
    { name: 'cost_cents', type: 'int' },
    { name: 'internal_notes', type: 'text' },
    { name: 'cost_per_place_cents', type: 'int' },
  ]);
  const rules = new BulkTable('eligibility_rule', [
    { name: 'id', type: 'uuid' },
    { name: 'offer_id', type: 'uuid' },
    { name: 'version', type: 'int' },
    { name: 'residence_statuses', type: 'text', array: true },
    { name: 'min_age', type: 'int' },
    { name: 'max_age', type: 'int' },
    { name: 'min_german_level', type: 'text' },
    { name: 'legal_basis_note', type: 'text' },
    { name: 'valid_from', type: 'date' },
  ]);
  const periods = new BulkTable('capacity_period', [
    { name: 'id', type: 'uuid' },
    { name: 'offer_id', type: 'uuid' },
    { name: 'label', type: 'text' },
    { name: 'starts_on', type: 'date' },
    { name: 'ends_on', type: 'date' },
    { name: 'total', type: 'int' },
    { name: 'occupied', type: 'int' },
  ]);
  const pipeline = new InsertPipeline(em);
  const planCache = new Map<string, PeriodPlan[][]>();
  const byKind = new Map<OfferKind, string[]>();
  const templates = new Map(organisations.map((o) => [o.kind, templatesFor(o.kind)]));
  let periodCount = 0;
  for (let i = 0; i < n; i++) {
    const org = organisations[i % organisations.length]!;
    const template = faker.helpers.arrayElement(templates.get(org.kind)!);
    const location = faker.helpers.arrayElement(org.locations);
    const year = int(faker, 2026, 2027);
    const id = randomUUID();
    const title = template.title.includes('{year}') ? offerTitle(template, year) : template.title;
    offers.add([
      id,
      org.id,
      location,
      template.kind,
      chance(faker, 0.3) ? `${title} – ${faker.helpers.arrayElement(DISTRICT_NAMES)}` : title,
      template.description,
      arrayLiteral(template.languages),
      template.level,
      template.schedule,
      chance(faker, 0.05) ? int(faker, 1, 30) * 1000 : 0,
      chance(faker, 0.1) ? 'Plätze mit dem Teilhabemanagement abstimmen.' : null,
      chance(faker, 0.2) ? int(faker, 50, 1200) * 1000 : null,
    ]);
    const ofKind = byKind.get(template.kind);
    if (ofKind) ofKind.push(id);
    else byKind.set(template.kind, [id]);
    const rule = eligibilityFor(template);
    rules.add([
      randomUUID(),
      id,
      1,
      arrayLiteral(rule.residenceStatuses),
      rule.minAge,
      rule.maxAge,
      rule.minGermanLevel,
      rule.legalBasisNote,
      '2024-01-01',
    ]);
    const plans = planVariant(
      planCache,
      faker,
      template,
      template.title.includes('{year}') ? year : undefined,
    );
    const from = int(faker, 0, Math.max(0, plans.length - 3));
    for (const plan of plans.slice(from, from + 3)) {
      const past = toDay(plan.endsOn) < REFERENCE_DAY;
      const occupied = Math.min(
        plan.total,
        Math.round(plan.total * faker.number.float({ min: past ? 0.6 : 0, max: 1 })),
      );
      periods.add([randomUUID(), id, plan.label, plan.startsOn, plan.endsOn, plan.total, occupied]);
      periodCount++;
    }
    if (offers.pending >= BATCH) await pipeline.push(offers, rules, periods);
  }
  await pipeline.push(offers, rules, periods);
  await pipeline.drain();
  return { offers: offers.inserted, rules: rules.inserted, periods: periodCount, byKind };
}

async function insertCases(
  em: EntityManager,
  faker: Faker,
  organisations: ScaleOrganisation[],
  offersByKind: Map<OfferKind, string[]>,
  n: number,
) {
  const cases = new BulkTable('case_record', [
    { name: 'id', type: 'uuid' },
    { name: 'managing_organisation_id', type: 'uuid' },
    { name: 'intake_date', type: 'date' },
    { name: 'age_band', type: 'text' },
    { name: 'gender', type: 'text' },
    { name: 'nationality_group', type: 'text' },
    { name: 'residence_status', type: 'text' },
    { name: 'school_level', type: 'text' },
    { name: 'german_level', type: 'text' },
    { name: 'stage', type: 'text' },
    { name: 'closed_on', type: 'date' },
  ]);
  const events = new BulkTable('case_event', [
    { name: 'id', type: 'uuid' },
    { name: 'case_id', type: 'uuid' },
    { name: 'kind', type: 'text' },
    { name: 'occurred_on', type: 'date' },
    { name: 'from_stage', type: 'text' },
    { name: 'to_stage', type: 'text' },
    { name: 'to_status', type: 'text' },
    { name: 'offer_id', type: 'uuid' },
    { name: 'created_at', type: 'timestamptz' },
  ]);
  const pipeline = new InsertPipeline(em);
  const managing = organisations.filter((o) => CASE_MANAGING_KINDS.includes(o.kind));
  const firstIntake = toDay('2024-01-08');
  let eventCount = 0;
  for (let i = 0; i < n; i++) {
    const id = randomUUID();
    const intake = int(faker, firstIntake, REFERENCE_DAY - 10);
    const steps = generatePathway(faker, intake, REFERENCE_DAY);
    const stage = steps.at(-1)!.stage;
    let status: ResidenceStatus = weighted(faker, STATUSES);
    if (
      status === ResidenceStatus.DULDUNG_UNGEKLAERTE_IDENTITAET &&
      [PathwayStage.EQ, PathwayStage.AUSBILDUNG, PathwayStage.WORK].includes(stage)
    )
      status = ResidenceStatus.DULDUNG;
    if (status === ResidenceStatus.DULDUNG && stage === PathwayStage.AUSBILDUNG && chance(faker, 0.5))
      status = ResidenceStatus.DULDUNG_AUSBILDUNG;
    if (status === ResidenceStatus.DULDUNG && stage === PathwayStage.WORK && chance(faker, 0.4))
      status = ResidenceStatus.DULDUNG_BESCHAEFTIGUNG;
    const closed = stage === PathwayStage.ENDED_OTHER ? steps.at(-1)!.day : undefined;
    cases.add([
      id,
      faker.helpers.arrayElement(managing).id,
      fromDay(intake),
      weighted(faker, AGE_BANDS),
      weighted(faker, GENDERS),
      nationalityFor(faker, status),
      status,
      weighted(faker, SCHOOL_LEVELS),
      weighted(faker, GERMAN_BY_STAGE[stage]),
      stage,
      closed === undefined ? null : fromDay(closed),
    ]);
    let seq = 0;
    const event = (
      kind: CaseEventKind,
      day: number,
      from: PathwayStage | null,
      to: PathwayStage | null,
      offer: string | null,
    ) => {
      events.add([
        randomUUID(),
        id,
        kind,
        fromDay(day),
        from,
        to,
        kind === CaseEventKind.INTAKE ? status : null,
        offer,
        new Date(day * 86_400_000 + 8 * 3_600_000 + seq++ * 1000).toISOString(),
      ]);
      eventCount++;
    };
    event(CaseEventKind.INTAKE, intake, null, PathwayStage.INTAKE, null);
    steps.forEach((step, k) => {
      if (k === 0) return;
      const previous = steps[k - 1]!;
      const kind = REFERRAL_KIND[step.stage];
      const candidates = kind ? offersByKind.get(kind) : undefined;
      if (candidates && candidates.length > 0)
        event(
          CaseEventKind.REFERRAL,
          Math.max(previous.day, step.day - int(faker, 7, 35)),
          null,
          null,
          faker.helpers.arrayElement(candidates),
        );
      event(CaseEventKind.STAGE_CHANGE, step.day, previous.stage, step.stage, null);
    });
    if (closed !== undefined) event(CaseEventKind.CLOSED, closed, null, null, null);
    if (cases.pending >= BATCH) await pipeline.push(cases, events);
  }
  await pipeline.push(cases, events);
  await pipeline.drain();
  return { cases: cases.inserted, events: eventCount };
}
