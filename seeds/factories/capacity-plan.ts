import type { Faker } from '@faker-js/faker';
import { OfferKind } from '../../src/domain/enums.js';
import { addDays, addMonths, monthLabel, PERIODS_FROM, PERIODS_TO, toDay } from './calendar.js';
import type { OfferTemplate } from './offer-templates.js';
import { int } from './random.js';

/** One planned capacity period of an offer (before places are filled). */
export interface PeriodPlan {
  label: string;
  startsOn: string;
  endsOn: string;
  total: number;
}

interface CourseShape {
  /** Run length in months. */
  months: number;
  /** Months between two course starts. */
  every: number;
  total: readonly [number, number];
}

/** Course runs per template (integration and job language courses, short preparation courses). */
const COURSES: Record<string, CourseShape> = {
  INT_ALPHA: { months: 10, every: 4, total: [14, 16] },
  INT_GENERAL: { months: 7, every: 3, total: [20, 25] },
  INT_EVENING: { months: 11, every: 6, total: [18, 22] },
  INT_YOUTH: { months: 9, every: 4, total: [16, 20] },
  INT_INTENSIVE: { months: 4, every: 4, total: [18, 20] },
  INT_SECOND_SCRIPT: { months: 9, every: 5, total: [16, 20] },
  INT_WOMEN: { months: 11, every: 6, total: [14, 18] },
  BSK_B1_BASE: { months: 5, every: 3, total: [18, 25] },
  BSK_B2_BASE: { months: 6, every: 3, total: [18, 25] },
  BSK_B2_CARE: { months: 6, every: 4, total: [16, 22] },
  BSK_TECH: { months: 5, every: 4, total: [14, 20] },
  BSK_RETAIL: { months: 5, every: 6, total: [14, 18] },
  BSK_C1: { months: 6, every: 6, total: [14, 20] },
  BSK_AZUBI: { months: 10, every: 12, total: [12, 18] },
  PREP_PERJUF: { months: 6, every: 6, total: [12, 15] },
  PREP_WOMEN: { months: 6, every: 6, total: [10, 14] },
  PREP_ACTIVATION: { months: 3, every: 3, total: [12, 15] },
  ASA_PRE: { months: 6, every: 6, total: [10, 15] },
};

/** Yearly runs (school year, BvB, AsA flex, workshop year): start month and total. */
const YEARLY: Record<string, { month: number; months: number; total: readonly [number, number] }> = {
  PREP_BVB: { month: 9, months: 10, total: [20, 24] },
  PREP_IFK: { month: 8, months: 12, total: [18, 22] },
  PREP_AV: { month: 8, months: 12, total: [16, 22] },
  PREP_WORKSHOP: { month: 9, months: 12, total: [10, 14] },
  PREP_PRODUCTION_SCHOOL: { month: 9, months: 12, total: [14, 18] },
  ASA_ACCOMPANYING: { month: 8, months: 12, total: [10, 20] },
};

/** Ausbildung: start month and places per year. */
const TRAINING: Record<string, { month: number; total: readonly [number, number] }> = {
  AUS_CHEMICAL_OPERATOR: { month: 9, total: [8, 12] },
  AUS_LAB: { month: 9, total: [4, 6] },
  AUS_MECHANIC: { month: 9, total: [4, 6] },
  AUS_CARE: { month: 10, total: [3, 5] },
  AUS_CHILDCARE: { month: 8, total: [24, 28] },
  AUS_SOCIAL_ASSISTANT: { month: 8, total: [24, 28] },
};

const MONTHLY_TOTAL: Partial<Record<OfferKind, readonly [number, number]>> = {
  [OfferKind.COUNSELLING]: [4, 12], // ×5 appointments per month
  [OfferKind.ASSESSMENT]: [6, 15],
};

/** The first Monday on or after an ISO date (courses start on Mondays). */
export function firstMonday(iso: string): string {
  const weekday = new Date(`${iso}T00:00:00Z`).getUTCDay(); // 0 = Sunday
  return addDays(iso, (8 - weekday) % 7);
}

/**
 * The capacity periods of an offer that overlap the two demo years (PERIODS_FROM … PERIODS_TO):
 * course runs of a few months, Ausbildung years, counselling and assessment months.
 */
export function planPeriods(faker: Faker, template: OfferTemplate, year?: number): PeriodPlan[] {
  const from = toDay(PERIODS_FROM);
  const to = toDay(PERIODS_TO);
  const overlaps = (p: PeriodPlan) => toDay(p.endsOn) >= from && toDay(p.startsOn) <= to;

  const course = COURSES[template.key];
  if (course) {
    const plans: PeriodPlan[] = [];
    for (let start = addMonths('2025-06-01', int(faker, 0, course.every - 1)); start <= PERIODS_TO; ) {
      const startsOn = firstMonday(start);
      const offset = toDay(startsOn) - toDay(start);
      plans.push({
        label: `Kurs ab ${monthLabel(startsOn)}`,
        startsOn,
        endsOn: addDays(addMonths(start, course.months), offset - 1),
        total: int(faker, ...course.total),
      });
      start = addMonths(start, course.every);
    }
    return plans.filter(overlaps);
  }

  const yearly = YEARLY[template.key];
  if (yearly) {
    return [2025, 2026, 2027]
      .map((y) => {
        const startsOn = `${y}-${String(yearly.month).padStart(2, '0')}-01`;
        return {
          label: `Durchgang ${y}/${String((y + 1) % 100).padStart(2, '0')}`,
          startsOn,
          endsOn: addDays(addMonths(startsOn, yearly.months), -1),
          total: int(faker, ...yearly.total),
        };
      })
      .filter(overlaps);
  }

  if (template.kind === OfferKind.AUSBILDUNG) {
    const shape = TRAINING[template.key] ?? { month: 8, total: [1, 3] as const };
    const years = year ? [year] : [2025, 2026, 2027];
    return years
      .map((y) => {
        const startsOn = `${y}-${String(shape.month).padStart(2, '0')}-01`;
        return {
          label: `Ausbildungsjahr ${y}/${String((y + 1) % 100).padStart(2, '0')}`,
          startsOn,
          endsOn: addDays(addMonths(startsOn, 12), -1),
          total: int(faker, ...shape.total),
        };
      })
      .filter(overlaps);
  }

  if (template.kind === OfferKind.EQ) {
    const years = year ? [year] : [2025, 2026, 2027];
    const total: readonly [number, number] = template.key === 'EQ_CHEMISTRY' ? [6, 10] : [1, 3];
    return years
      .map((y) => {
        const startsOn = `${y}-${String(int(faker, 8, 10)).padStart(2, '0')}-01`;
        return {
          label: `EQ-Start ${monthLabel(startsOn)}`,
          startsOn,
          endsOn: addDays(addMonths(startsOn, int(faker, 6, 12)), -1),
          total: int(faker, ...total),
        };
      })
      .filter(overlaps);
  }

  const monthly = MONTHLY_TOTAL[template.kind];
  if (monthly) {
    const perMonth =
      template.kind === OfferKind.COUNSELLING ? int(faker, ...monthly) * 5 : int(faker, ...monthly);
    const plans: PeriodPlan[] = [];
    for (let start = PERIODS_FROM; start <= PERIODS_TO; start = addMonths(start, 1)) {
      plans.push({
        label: monthLabel(start),
        startsOn: start,
        endsOn: addDays(addMonths(start, 1), -1),
        total: Math.max(1, perMonth + int(faker, -2, 2)),
      });
    }
    return plans;
  }

  throw new Error(`no capacity plan for template ${template.key}`);
}
