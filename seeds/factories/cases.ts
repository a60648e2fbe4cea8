import type { Faker } from '@faker-js/faker';
import type { EntityManager } from '@mikro-orm/postgresql';
import {
  AgeBand,
  CaseEventKind,
  Gender,
  GermanLevel,
  OfferKind,
  OrganisationKind,
  PathwayStage,
  ResidenceStatus,
  SchoolLevel,
} from '../../src/domain/enums.js';
import { Case } from '../../src/modules/case/case.entity.js';
import { CaseEvent } from '../../src/modules/case/case-event.entity.js';
import { fromDay, REFERENCE_DAY, toDay } from './calendar.js';
import { type CapacitySeed, type SeededPeriod, upcomingPeriod } from './capacity.js';
import type { OfferSeed, SeededOffer } from './offers.js';
import type { OrganisationSeed, SeededOrganisation } from './organisations.js';
import { generatePathway, type PathwayStep } from './pathways.js';
import { chance, int, weighted } from './random.js';
import { stamp } from './stamps.js';

/** docs/domain.md: 207 young people in the target group, 75 of them geduldet. */
export const DEMO_CASES = 207;
export const DEMO_GEDULDET = 75;

const S = ResidenceStatus;
const P = PathwayStage;

export interface Placement {
  offer: SeededOffer;
  referralDay: number;
  /** Day the case started in the offer (stage change) or would have. */
  startDay: number;
  /** A referral beside the main pathway (assessment, AsA flex), which may or may not have been taken up. */
  side: boolean;
}

export interface SeededCase {
  entity: Case;
  org: SeededOrganisation;
  steps: PathwayStep[];
  closedDay?: number;
  placements: Placement[];
  openReferral?: { offer: SeededOffer; day: number; period: SeededPeriod };
}

export interface CaseSeed {
  cases: SeededCase[];
  events: CaseEvent[];
}

interface StatusChange {
  day: number;
  from: ResidenceStatus;
  to: ResidenceStatus;
}

// ---------------------------------------------------------------- attributes

export const AGE_BANDS = [
  [AgeBand.AGE_18_20, 36],
  [AgeBand.AGE_21_24, 44],
  [AgeBand.AGE_25_27, 20],
] as const;

export const GENDERS = [
  [Gender.M, 76],
  [Gender.F, 19],
  [Gender.D, 1],
  [Gender.UNKNOWN, 4],
] as const;

/** Exact gender counts of the demo cases, so the rare values D and UNKNOWN are present. */
const DEMO_GENDERS: readonly (readonly [Gender, number])[] = [
  [Gender.F, 40],
  [Gender.D, 3],
  [Gender.UNKNOWN, 7],
];

function genderQuota(faker: Faker, n: number): Gender[] {
  const list = DEMO_GENDERS.flatMap(([g, count]) => Array.from({ length: count }, () => g));
  while (list.length < n) list.push(Gender.M);
  return faker.helpers.shuffle(list);
}

/** Top countries of origin of the period (ISO alpha-2) plus OTHER; Ukrainians mostly hold a § 24 title (AE_OTHER). */
export const NATIONALITIES = [
  ['SY', 20],
  ['AF', 22],
  ['IQ', 10],
  ['TR', 9],
  ['GN', 8],
  ['ER', 6],
  ['SO', 5],
  ['NG', 5],
  ['IR', 6],
  ['OTHER', 9],
] as const;

export const SCHOOL_LEVELS = [
  [SchoolLevel.NONE, 10],
  [SchoolLevel.PRIMARY, 20],
  [SchoolLevel.LOWER_SECONDARY, 35],
  [SchoolLevel.UPPER_SECONDARY, 20],
  [SchoolLevel.HIGHER_EDUCATION, 5],
  [SchoolLevel.UNKNOWN, 10],
] as const;

const L = GermanLevel;
export const GERMAN_BY_STAGE: Record<PathwayStage, readonly (readonly [GermanLevel, number])[]> = {
  [P.INTAKE]: [
    [L.A0, 50],
    [L.A1, 35],
    [L.A2, 15],
  ],
  [P.ORIENTATION]: [
    [L.A0, 30],
    [L.A1, 40],
    [L.A2, 30],
  ],
  [P.LANGUAGE]: [
    [L.A1, 35],
    [L.A2, 45],
    [L.B1, 20],
  ],
  [P.PREPARATION]: [
    [L.A2, 55],
    [L.B1, 45],
  ],
  [P.SCHOOL]: [
    [L.A1, 30],
    [L.A2, 50],
    [L.B1, 20],
  ],
  [P.EQ]: [
    [L.A2, 40],
    [L.B1, 50],
    [L.B2, 10],
  ],
  [P.AUSBILDUNG]: [
    [L.B1, 65],
    [L.B2, 35],
  ],
  [P.WORK]: [
    [L.A2, 40],
    [L.B1, 45],
    [L.B2, 15],
  ],
  [P.ENDED_OTHER]: [
    [L.A0, 20],
    [L.A1, 35],
    [L.A2, 35],
    [L.B1, 10],
  ],
};

export function nationalityFor(faker: Faker, status: ResidenceStatus): string {
  if (status === S.AE_OTHER && chance(faker, 0.45)) return 'UA';
  return weighted(faker, NATIONALITIES);
}

// ---------------------------------------------------------------- residence status

/** Final residence statuses: exactly DEMO_GEDULDET Duldung forms, consistent with each case's stage. */
function assignStatuses(
  faker: Faker,
  finals: { stage: PathwayStage; intakeDay: number }[],
): ResidenceStatus[] {
  const status: (ResidenceStatus | undefined)[] = finals.map(() => undefined);
  const order = faker.helpers.shuffle(finals.map((_, i) => i));
  const take = (n: number, to: ResidenceStatus, fits: (i: number) => boolean) => {
    let left = n;
    for (const i of order) {
      if (left <= 0) break;
      if (status[i] === undefined && fits(i)) {
        status[i] = to;
        left--;
      }
    }
  };
  const stageIs =
    (...stages: PathwayStage[]) =>
    (i: number) =>
      stages.includes(finals[i]!.stage);
  const inTraining = finals.filter((f) => f.stage === P.AUSBILDUNG).length;
  const inWork = finals.filter((f) => f.stage === P.WORK).length;

  take(Math.ceil(inTraining * 0.4), S.DULDUNG_AUSBILDUNG, stageIs(P.AUSBILDUNG));
  take(Math.round(inWork * 0.3), S.DULDUNG_BESCHAEFTIGUNG, stageIs(P.WORK));
  const geduldet = () => status.filter((s) => s?.startsWith('DULDUNG')).length;
  const rest = DEMO_GEDULDET - geduldet();
  take(
    Math.round(rest * 0.22),
    S.DULDUNG_UNGEKLAERTE_IDENTITAET,
    (i) => !stageIs(P.EQ, P.AUSBILDUNG, P.WORK)(i),
  );
  take(DEMO_GEDULDET - geduldet(), S.DULDUNG, () => true);
  take(Math.max(1, Math.round(inTraining * 0.1)), S.AE_AUSBILDUNG, stageIs(P.AUSBILDUNG));
  take(5, S.AE_CHANCEN, (i) => finals[i]!.intakeDay <= toDay('2025-06-30'));
  take(3, S.AE_GUT_INTEGRIERT, (i) => finals[i]!.intakeDay <= toDay('2025-01-31'));
  take(12, S.AE_OTHER, () => true);
  take(6, S.UNKNOWN, stageIs(P.INTAKE, P.ORIENTATION, P.ENDED_OTHER));
  return status.map((s) => s ?? S.GESTATTUNG);
}

/** A day in [from, to], or undefined when the window is empty. */
const dayIn = (faker: Faker, from: number, to: number): number | undefined =>
  from <= to ? int(faker, from, to) : undefined;

/** Initial status and dated changes leading to `final`. */
function statusHistory(
  faker: Faker,
  final: ResidenceStatus,
  intake: number,
  until: number,
  steps: PathwayStep[],
): { initial: ResidenceStatus; changes: StatusChange[] } {
  const stageDay = (stage: PathwayStage) => steps.find((s) => s.stage === stage)?.day;
  const single = (initial: ResidenceStatus, day: number | undefined) =>
    day === undefined
      ? { initial: final, changes: [] }
      : { initial, changes: [{ day, from: initial, to: final }] };
  switch (final) {
    case S.DULDUNG:
      return chance(faker, 0.45)
        ? single(S.GESTATTUNG, dayIn(faker, intake + 60, until - 5))
        : single(final, undefined);
    case S.DULDUNG_UNGEKLAERTE_IDENTITAET:
      return chance(faker, 0.3)
        ? single(S.DULDUNG, dayIn(faker, intake + 30, until - 5))
        : single(final, undefined);
    case S.DULDUNG_AUSBILDUNG:
    case S.AE_AUSBILDUNG: {
      const start = stageDay(P.AUSBILDUNG)!;
      const day = Math.min(
        until,
        start + (final === S.AE_AUSBILDUNG ? int(faker, 30, 120) : int(faker, 0, 45)),
      );
      const prior = final === S.AE_AUSBILDUNG && chance(faker, 0.6) ? S.GESTATTUNG : S.DULDUNG;
      const rejected =
        prior === S.DULDUNG && chance(faker, 0.35) ? dayIn(faker, intake + 30, start - 30) : undefined;
      const changes: StatusChange[] = [{ day, from: prior, to: final }];
      if (rejected !== undefined) changes.unshift({ day: rejected, from: S.GESTATTUNG, to: S.DULDUNG });
      return { initial: rejected !== undefined ? S.GESTATTUNG : prior, changes };
    }
    case S.DULDUNG_BESCHAEFTIGUNG: {
      const work = stageDay(P.WORK)!;
      return single(S.DULDUNG, Math.min(until, work + int(faker, 60, 150)));
    }
    case S.AE_CHANCEN:
      return single(S.DULDUNG, dayIn(faker, Math.max(intake + 90, toDay('2023-01-01')), until - 5));
    case S.AE_GUT_INTEGRIERT:
      return single(S.DULDUNG, dayIn(faker, intake + 180, until - 5));
    case S.AE_OTHER:
      return chance(faker, 0.5)
        ? single(S.GESTATTUNG, dayIn(faker, intake + 90, until - 5))
        : single(final, undefined);
    default:
      return { initial: final, changes: [] };
  }
}

// ---------------------------------------------------------------- referrals

/** Offer kinds a case is referred to when it enters a stage. */
const KINDS_FOR_STAGE: Partial<Record<PathwayStage, readonly (readonly [OfferKind, number])[]>> = {
  [P.ORIENTATION]: [[OfferKind.COUNSELLING, 1]],
  [P.LANGUAGE]: [
    [OfferKind.INTEGRATION_COURSE, 6],
    [OfferKind.JOB_LANGUAGE_COURSE, 4],
  ],
  [P.PREPARATION]: [[OfferKind.PREPARATION, 1]],
  [P.SCHOOL]: [[OfferKind.PREPARATION, 1]],
  [P.EQ]: [[OfferKind.EQ, 1]],
  [P.AUSBILDUNG]: [[OfferKind.AUSBILDUNG, 1]],
};

/** What a case in a stage is referred to next (open referrals on the reference date). */
const NEXT_KINDS: Partial<Record<PathwayStage, readonly (readonly [OfferKind, number])[]>> = {
  [P.INTAKE]: [
    [OfferKind.INTEGRATION_COURSE, 3],
    [OfferKind.ASSESSMENT, 1],
  ],
  [P.ORIENTATION]: [
    [OfferKind.INTEGRATION_COURSE, 3],
    [OfferKind.JOB_LANGUAGE_COURSE, 1],
    [OfferKind.ASSESSMENT, 1],
  ],
  [P.LANGUAGE]: [
    [OfferKind.JOB_LANGUAGE_COURSE, 3],
    [OfferKind.PREPARATION, 2],
    [OfferKind.EQ, 2],
  ],
  [P.PREPARATION]: [
    [OfferKind.EQ, 2],
    [OfferKind.AUSBILDUNG, 2],
  ],
  [P.SCHOOL]: [
    [OfferKind.AUSBILDUNG, 2],
    [OfferKind.EQ, 1],
  ],
  [P.EQ]: [[OfferKind.AUSBILDUNG, 1]],
};

/** Counselling that opens the orientation stage (not debt or housing advice). */
const ORIENTATION_COUNSELLING = new Set([
  'COUNSEL_TEILHABE',
  'COUNSEL_JMD',
  'COUNSEL_KIM',
  'COUNSEL_CAREER',
  'COUNSEL_TRAINING',
  'COUNSEL_U25',
  'COUNSEL_RESIDENCE',
  'COUNSEL_YOUTH_WORK',
]);

function offerFits(
  offer: SeededOffer,
  kind: OfferKind,
  stage: PathwayStage,
  status: ResidenceStatus,
  day: number,
) {
  if (!offer.entity.active || offer.entity.kind !== kind) return false;
  if (!offer.currentRule.residenceStatuses.includes(status)) return false;
  if (
    stage === P.ORIENTATION &&
    kind === OfferKind.COUNSELLING &&
    !ORIENTATION_COUNSELLING.has(offer.template.key)
  )
    return false;
  const atSchool = offer.org.spec.kind === OrganisationKind.SCHOOL;
  if (kind === OfferKind.PREPARATION && (stage === P.SCHOOL) !== atSchool) return false;
  if (offer.year !== undefined && offer.year !== Number(fromDay(day).slice(0, 4))) return false;
  return true;
}

// ---------------------------------------------------------------- cases

const EVENT_ORDER: Record<CaseEventKind, number> = {
  [CaseEventKind.INTAKE]: 0,
  [CaseEventKind.HANDOVER]: 1,
  [CaseEventKind.STATUS_CHANGE]: 2,
  [CaseEventKind.REFERRAL]: 3,
  [CaseEventKind.STAGE_CHANGE]: 4,
  [CaseEventKind.CLOSED]: 5,
};

interface EventDraft {
  kind: CaseEventKind;
  day: number;
  fromStage?: PathwayStage;
  toStage?: PathwayStage;
  fromStatus?: ResidenceStatus;
  toStatus?: ResidenceStatus;
  offer?: SeededOffer;
  organisation?: SeededOrganisation;
}

export function seedCases(
  em: EntityManager,
  faker: Faker,
  orgs: OrganisationSeed,
  offers: OfferSeed,
  capacity: CapacitySeed,
): CaseSeed {
  const managing = orgs.organisations.filter((o) => (o.spec.caseShare ?? 0) > 0);
  const managingWeights = managing.map((o) => [o, o.spec.caseShare!] as const);
  const firstIntake = toDay('2024-01-08');

  const drafts = Array.from({ length: DEMO_CASES }, () => {
    const intakeDay = int(faker, firstIntake, REFERENCE_DAY - 10);
    const steps = generatePathway(faker, intakeDay, REFERENCE_DAY);
    return { intakeDay, steps, stage: steps.at(-1)!.stage };
  });
  const finalStatuses = assignStatuses(faker, drafts);
  const genders = genderQuota(faker, drafts.length);

  const cases: SeededCase[] = [];
  const events: CaseEvent[] = [];
  let handovers = 0;

  drafts.forEach(({ intakeDay, steps, stage }, index) => {
    const finalStatus = finalStatuses[index]!;
    let org = weighted(faker, managingWeights);
    const last = steps.at(-1)!;

    // Closing: ENDED_OTHER always; some long-running WORK cases close successfully.
    let closedDay: number | undefined;
    if (stage === P.ENDED_OTHER) closedDay = last.day;
    else if (stage === P.WORK && last.day < REFERENCE_DAY - 200 && chance(faker, 0.35))
      closedDay = Math.min(REFERENCE_DAY - 1, last.day + int(faker, 90, 180));
    const until = closedDay ?? REFERENCE_DAY;

    const { initial, changes } = statusHistory(faker, finalStatus, intakeDay, until, steps);
    const statusAt = (day: number) => changes.filter((c) => c.day <= day).at(-1)?.to ?? initial;

    const timeline: EventDraft[] = [
      { kind: CaseEventKind.INTAKE, day: intakeDay, toStage: P.INTAKE, toStatus: initial },
    ];
    for (const c of changes)
      timeline.push({ kind: CaseEventKind.STATUS_CHANGE, day: c.day, fromStatus: c.from, toStatus: c.to });
    steps.slice(1).forEach((step, k) => {
      timeline.push({
        kind: CaseEventKind.STAGE_CHANGE,
        day: step.day,
        fromStage: steps[k]!.stage,
        toStage: step.stage,
      });
    });

    // Referrals that led into a stage, and side referrals (assessment, AsA flex).
    const placements: Placement[] = [];
    const refer = (
      kinds: readonly (readonly [OfferKind, number])[],
      into: PathwayStage,
      day: number,
      startDay: number,
      side: boolean,
    ) => {
      const kind = weighted(faker, kinds);
      const candidates = offers.offers.filter((o) => offerFits(o, kind, into, statusAt(day), startDay));
      if (candidates.length === 0) return;
      placements.push({ offer: faker.helpers.arrayElement(candidates), referralDay: day, startDay, side });
    };
    steps.forEach((step, k) => {
      if (k === 0) return;
      const kinds = KINDS_FOR_STAGE[step.stage];
      if (kinds)
        refer(kinds, step.stage, Math.max(steps[k - 1]!.day, step.day - int(faker, 7, 35)), step.day, false);
      const stageEnd = Math.min(until, (steps[k + 1]?.day ?? until) - 1);
      if (step.stage === P.ORIENTATION && chance(faker, 0.5)) {
        const day = dayIn(faker, step.day, stageEnd);
        if (day !== undefined) refer([[OfferKind.ASSESSMENT, 1]], step.stage, day, day + 7, true);
      }
      if (step.stage === P.AUSBILDUNG && chance(faker, 0.35)) {
        const day = step.day + int(faker, 20, 120);
        if (day <= stageEnd) refer([[OfferKind.ASSISTED_TRAINING, 1]], step.stage, day, day + 7, true);
      }
    });
    for (const p of placements)
      timeline.push({ kind: CaseEventKind.REFERRAL, day: p.referralDay, offer: p.offer });

    // An open referral on the reference date: the case waits for a place or holds one.
    let openReferral: SeededCase['openReferral'];
    const nextKinds = NEXT_KINDS[stage];
    if (closedDay === undefined && nextKinds && chance(faker, 0.4)) {
      const day = Math.max(last.day, REFERENCE_DAY - int(faker, 1, 21));
      const kind = weighted(faker, nextKinds);
      const candidates = offers.offers.filter(
        (o) =>
          o.entity.active &&
          o.entity.kind === kind &&
          o.currentRule.residenceStatuses.includes(finalStatus) &&
          upcomingPeriod(capacity, o, day) !== undefined,
      );
      if (candidates.length > 0) {
        const offer = faker.helpers.arrayElement(candidates);
        openReferral = { offer, day, period: upcomingPeriod(capacity, offer, day)! };
        timeline.push({ kind: CaseEventKind.REFERRAL, day, offer });
      }
    }

    // A few cases change hands between case-management organisations.
    if (handovers < 6 && chance(faker, 0.06)) {
      const day = dayIn(faker, intakeDay + 45, until - 30);
      const to = faker.helpers.arrayElement(managing.filter((o) => o !== org));
      if (day !== undefined) {
        timeline.push({ kind: CaseEventKind.HANDOVER, day, organisation: to });
        org = to;
        handovers++;
      }
    }
    if (closedDay !== undefined) timeline.push({ kind: CaseEventKind.CLOSED, day: closedDay });

    timeline.sort((a, b) => a.day - b.day || EVENT_ORDER[a.kind] - EVENT_ORDER[b.kind]);
    const lastDay = timeline.at(-1)!.day;
    const entity = em.create(Case, {
      id: faker.string.uuid(),
      managingOrganisation: org.entity,
      intakeDate: fromDay(intakeDay),
      ageBand: weighted(faker, AGE_BANDS),
      gender: genders[index]!,
      nationalityGroup: nationalityFor(faker, finalStatus),
      residenceStatus: finalStatus,
      schoolLevel: weighted(faker, SCHOOL_LEVELS),
      germanLevel: weighted(faker, GERMAN_BY_STAGE[stage]),
      stage,
      closedOn: closedDay === undefined ? undefined : fromDay(closedDay),
      createdAt: stamp(intakeDay, index).createdAt,
      updatedAt: stamp(lastDay, index).updatedAt,
    });
    timeline.forEach((d, seq) => {
      events.push(
        em.create(CaseEvent, {
          id: faker.string.uuid(),
          case: entity,
          kind: d.kind,
          occurredOn: fromDay(d.day),
          fromStage: d.fromStage,
          toStage: d.toStage,
          fromStatus: d.fromStatus,
          toStatus: d.toStatus,
          offer: d.offer?.entity,
          organisation: d.organisation?.entity,
          ...stamp(d.day, index * 30 + seq),
        }),
      );
    });
    cases.push({ entity, org, steps, closedDay, placements, openReferral });
  });
  return { cases, events };
}
