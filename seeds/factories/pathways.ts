import type { Faker } from '@faker-js/faker';
import { PathwayStage } from '../../src/domain/enums.js';
import { nextMonthDay } from './calendar.js';
import { int, weighted } from './random.js';

/**
 * A case's way through the pathway stages, as a small Markov chain with stage durations. Shared by
 * the demo data and the scale generator. Roughly a fifth of the demo cases reach Ausbildung or work.
 */

export interface PathwayStep {
  stage: PathwayStage;
  day: number;
}

const P = PathwayStage;

interface Transition {
  /** Days spent in the stage before the next step. */
  stay: readonly [number, number];
  /** Next stage by weight; null = stays (terminal for this case). */
  next: readonly (readonly [PathwayStage | null, number])[];
}

const TRANSITIONS: Record<PathwayStage, Transition> = {
  [P.INTAKE]: {
    stay: [14, 60],
    next: [
      [P.ORIENTATION, 80],
      [P.LANGUAGE, 16],
      [P.ENDED_OTHER, 4],
    ],
  },
  [P.ORIENTATION]: {
    stay: [45, 150],
    next: [
      [P.LANGUAGE, 62],
      [P.PREPARATION, 10],
      [P.SCHOOL, 8],
      [P.EQ, 3],
      [P.WORK, 4],
      [P.ENDED_OTHER, 5],
      [null, 8],
    ],
  },
  [P.LANGUAGE]: {
    stay: [180, 360],
    next: [
      [P.PREPARATION, 24],
      [P.EQ, 16],
      [P.AUSBILDUNG, 14],
      [P.WORK, 10],
      [P.SCHOOL, 6],
      [P.ENDED_OTHER, 9],
      [null, 21],
    ],
  },
  [P.PREPARATION]: {
    stay: [200, 330],
    next: [
      [P.AUSBILDUNG, 30],
      [P.EQ, 22],
      [P.WORK, 10],
      [P.LANGUAGE, 6],
      [P.ENDED_OTHER, 12],
      [null, 20],
    ],
  },
  [P.SCHOOL]: {
    stay: [300, 380],
    next: [
      [P.AUSBILDUNG, 35],
      [P.PREPARATION, 15],
      [P.WORK, 10],
      [P.ENDED_OTHER, 15],
      [null, 25],
    ],
  },
  [P.EQ]: {
    stay: [180, 330],
    next: [
      [P.AUSBILDUNG, 55],
      [P.WORK, 15],
      [P.ENDED_OTHER, 12],
      [null, 18],
    ],
  },
  [P.AUSBILDUNG]: {
    stay: [240, 700],
    next: [
      [null, 86],
      [P.WORK, 7],
      [P.ENDED_OTHER, 7],
    ],
  },
  [P.WORK]: {
    stay: [120, 600],
    next: [
      [null, 93],
      [P.ENDED_OTHER, 7],
    ],
  },
  [P.ENDED_OTHER]: { stay: [0, 0], next: [[null, 1]] },
};

/** Steps from intake up to `untilDay` (inclusive); the last step is the current stage. */
export function generatePathway(faker: Faker, intakeDay: number, untilDay: number): PathwayStep[] {
  const steps: PathwayStep[] = [{ stage: P.INTAKE, day: intakeDay }];
  let current: PathwayStage = P.INTAKE;
  let day = intakeDay;
  for (;;) {
    const transition: Transition = TRANSITIONS[current];
    const next: PathwayStage | null = weighted(faker, transition.next);
    if (next === null) break;
    let nextDay = day + int(faker, transition.stay[0], transition.stay[1]);
    // Ausbildung and school years start in late summer.
    if (next === P.AUSBILDUNG)
      nextDay = nextMonthDay(
        nextDay,
        weighted(faker, [
          [8, 7],
          [9, 2],
          [10, 1],
        ] as const),
        1,
      );
    if (next === P.SCHOOL) nextDay = nextMonthDay(nextDay, 8, 15);
    if (nextDay > untilDay) break;
    steps.push({ stage: next, day: nextDay });
    current = next;
    day = nextDay;
  }
  return steps;
}
