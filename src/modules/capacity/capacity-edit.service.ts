import { type EntityManager, UniqueConstraintViolationException } from '@mikro-orm/postgresql';
import type { Actor } from '../../auth/actor.js';
import type { Ref } from '../../domain/ref.js';
import { conflict } from '../../errors.js';
import { Offer } from '../offer/offer.entity.js';
import { checkVersion, editorFor, lockForEdit } from '../shared/editing.js';
import type { CreateCapacityPeriodInput, SetCapacityTotalInput } from './capacity-edit.inputs.js';
import { CapacityPeriod } from './capacity-period.entity.js';
import { checkPeriodDates, createPeriodRecord } from './capacity-period.writer.js';
import { setPlaces } from './places.service.js';

export type CreateCapacityPeriod = Omit<CreateCapacityPeriodInput, 'offerId'> & { offer: Ref };
export type SetCapacityTotal = Omit<SetCapacityTotalInput, 'capacityPeriodId'> & { period: Ref };

export async function createCapacityPeriod(
  em: EntityManager,
  actor: Actor,
  input: CreateCapacityPeriod,
): Promise<CapacityPeriod> {
  checkPeriodDates(input.startsOn, input.endsOn);
  return em.transactional(async (em) => {
    const offer = await lockForEdit(em, Offer, 'Offer', input.offer);
    const viewer = editorFor(actor, 'capacity.createPeriod', offer.organisation.id);
    const period = createPeriodRecord(em, viewer, offer, input);
    try {
      await em.flush();
    } catch (error) {
      if (error instanceof UniqueConstraintViolationException) {
        throw conflict(`This offer already has a period starting on ${input.startsOn}.`);
      }
      throw error;
    }
    return period;
  });
}

export async function setCapacityTotal(
  em: EntityManager,
  actor: Actor,
  input: SetCapacityTotal,
): Promise<CapacityPeriod> {
  return em.transactional(async (em) => {
    // The row lock also orders this against concurrent reservations of the same period.
    const period = await lockForEdit(em, CapacityPeriod, 'CapacityPeriod', input.period);
    const offer = await em.findOneOrFail(Offer, { id: period.offer.id });
    const viewer = editorFor(actor, 'capacity.setTotal', offer.organisation.id);
    checkVersion(period, input.version, 'CapacityPeriod');
    const minimum = period.occupied + period.reserved;
    if (input.total < minimum) {
      // The split into occupied and reserved is itself restricted: admins of other organisations get the floor only.
      const mayReadSplit = await actor.canReadFieldOfOwner(
        'CapacityPeriod',
        'occupied',
        offer.organisation.id,
      );
      throw conflict(
        mayReadSplit
          ? `${period.occupied} places are occupied and ${period.reserved} reserved: the total cannot go below ${minimum}.`
          : `Places are taken: the total cannot go below ${minimum}.`,
        mayReadSplit ? { occupied: period.occupied, reserved: period.reserved, minimum } : { minimum },
      );
    }
    await setPlaces(em, viewer, [{ periodId: period.id, total: input.total }], 'total_set');
    return period;
  });
}
