import { type EntityManager, UniqueConstraintViolationException } from '@mikro-orm/postgresql';
import type { Actor } from '../../auth/actor.js';
import type { Ref } from '../../domain/ref.js';
import { conflict, fieldError } from '../../errors.js';
import { recordAudit } from '../audit/audit.service.js';
import { Offer } from '../offer/offer.entity.js';
import { checkVersion, editorFor, lockForEdit } from '../shared/editing.js';
import type { CreateCapacityPeriodInput, SetCapacityTotalInput } from './capacity-edit.inputs.js';
import { CapacityPeriod } from './capacity-period.entity.js';
import { availablePlaces, emitPlacesChanged } from './places.js';

export type CreateCapacityPeriod = Omit<CreateCapacityPeriodInput, 'offerId'> & { offer: Ref };
export type SetCapacityTotal = Omit<SetCapacityTotalInput, 'capacityPeriodId'> & { period: Ref };

export async function createCapacityPeriod(
  em: EntityManager,
  actor: Actor,
  input: CreateCapacityPeriod,
): Promise<CapacityPeriod> {
  if (input.endsOn < input.startsOn) throw fieldError('endsOn', 'must not lie before startsOn');
  return em.transactional(async (em) => {
    const offer = await lockForEdit(em, Offer, 'Offer', input.offer);
    const viewer = editorFor(actor, 'capacity.createPeriod', offer.organisation.id);
    if (!offer.active) throw conflict('This offer is archived.');
    const period = em.create(CapacityPeriod, {
      offer,
      label: input.label,
      startsOn: input.startsOn,
      endsOn: input.endsOn,
      total: input.total,
    } as never);
    recordAudit(em, viewer, {
      action: 'capacity_period.created',
      entityType: 'CapacityPeriod',
      entityId: period.id,
      organisationId: offer.organisation.id,
      after: { offerId: offer.id, startsOn: input.startsOn, endsOn: input.endsOn, total: input.total },
    });
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
    const before = { total: period.total, available: availablePlaces(period) };
    period.total = input.total;
    emitPlacesChanged(
      em,
      {
        capacityPeriodId: period.id,
        offerId: offer.id,
        organisationId: offer.organisation.id,
        total: period.total,
        occupied: period.occupied,
        reserved: period.reserved,
      },
      before.available,
      'total_set',
    );
    recordAudit(em, viewer, {
      action: 'capacity_period.total_set',
      entityType: 'CapacityPeriod',
      entityId: period.id,
      organisationId: offer.organisation.id,
      before,
      after: { total: period.total, available: availablePlaces(period) },
    });
    return period;
  });
}
