import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { expect } from 'vitest';
import { toGlobalId } from '../../src/graphql/global-id.js';
import type { PartnerFixture } from './fixtures.js';
import type { TestHub } from './hub.js';

/**
 * Places of a partner fixture's offer to move in tests of what follows a change of places (events,
 * notifications): a fresh period, a reservation by the case manager, its release. Periods start on a
 * random day far back (from `firstDaysBack`), so files and calls never meet the same period.
 */
export function placesOf(
  scope: () => { hub: TestHub; db: pg.Client; fixture: PartnerFixture; caseManager: string },
  firstDaysBack: number,
) {
  return {
    /** A fresh period of the fixture's offer with `total` places, nothing taken. */
    async period(total: number): Promise<string> {
      const { db, fixture } = scope();
      const id = randomUUID();
      await db.query(
        `insert into capacity_period (id, offer_id, starts_on, ends_on, total) values ($1, $2, current_date - $3::int, current_date + 60, $4)`,
        [id, fixture.ids.offer, firstDaysBack + Math.floor(Math.random() * 100000), total],
      );
      return toGlobalId('CapacityPeriod', id);
    },

    async reserve(periodGid: string): Promise<string> {
      const { db, fixture, hub, caseManager } = scope();
      const caseId = randomUUID();
      await db.query(
        `insert into case_record (id, managing_organisation_id, intake_date, age_band, gender, nationality_group, residence_status, school_level, german_level, stage)
         values ($1, $2, current_date - 30, 'AGE_18_20', 'M', 'AF', 'GESTATTUNG', 'PRIMARY', 'A2', 'LANGUAGE')`,
        [caseId, fixture.ids.ownerOrg],
      );
      const res = await hub.gql<any>(
        'mutation($i: ReservePlaceInput!) { reservePlace(input: $i) { id } }',
        { i: { capacityPeriodId: periodGid, caseId: toGlobalId('Case', caseId) } },
        { token: caseManager },
      );
      expect(res.errors).toBeUndefined();
      return res.data.reservePlace.id;
    },

    async release(reservationId: string) {
      const { hub, caseManager } = scope();
      const res = await hub.gql<any>(
        'mutation($id: ID!) { releasePlace(input: { reservationId: $id }) { status } }',
        { id: reservationId },
        { token: caseManager },
      );
      expect(res.data.releasePlace.status).toBe('RELEASED');
    },
  };
}
