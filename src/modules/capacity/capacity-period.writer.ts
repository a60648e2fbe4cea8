import type { EntityManager } from '@mikro-orm/postgresql';
import type { AccountViewer } from '../../auth/viewer.js';
import { conflict, fieldError } from '../../errors.js';
import { recordAudit } from '../audit/audit.service.js';
import type { Offer } from '../offer/offer.entity.js';
import { CapacityPeriod } from './capacity-period.entity.js';

/**
 * Every write of a capacity period except its places (those change in places.service.ts only), for the
 * API and the import alike, so each audit action has one shape:
 *   capacity_period.created  after: { offerId, startsOn, endsOn, total }
 *   capacity_period.updated  before, after: { endsOn }
 * Callers lock and authorise; `details` adds the caller's own facts (the import's source).
 */

export interface NewPeriod {
  label?: string;
  startsOn: string;
  endsOn: string;
  /** The places it opens with; the reserved and occupied ones start at 0. */
  total: number;
}

export function checkPeriodDates(startsOn: string, endsOn: string): void {
  if (endsOn < startsOn) throw fieldError('endsOn', 'must not lie before startsOn');
}

/** A new period of an active offer, in the caller's transaction (a second one starting the same day fails at flush). */
export function createPeriodRecord(
  em: EntityManager,
  viewer: AccountViewer,
  offer: Offer,
  fields: NewPeriod,
  details?: Record<string, unknown>,
): CapacityPeriod {
  checkPeriodDates(fields.startsOn, fields.endsOn);
  if (!offer.active) throw conflict('This offer is archived.');
  const period = em.create(CapacityPeriod, {
    offer,
    label: fields.label,
    startsOn: fields.startsOn,
    endsOn: fields.endsOn,
    total: fields.total,
  } as never);
  recordAudit(em, viewer, {
    action: 'capacity_period.created',
    entityType: 'CapacityPeriod',
    entityId: period.id,
    organisationId: offer.organisation.id,
    after: { offerId: offer.id, startsOn: fields.startsOn, endsOn: fields.endsOn, total: fields.total },
    details,
  });
  return period;
}

/** Moves the last day of a period. */
export function setPeriodEnd(
  em: EntityManager,
  viewer: AccountViewer,
  period: CapacityPeriod,
  organisationId: string,
  endsOn: string,
  details?: Record<string, unknown>,
): void {
  checkPeriodDates(period.startsOn, endsOn);
  const before = { endsOn: period.endsOn };
  period.endsOn = endsOn;
  recordAudit(em, viewer, {
    action: 'capacity_period.updated',
    entityType: 'CapacityPeriod',
    entityId: period.id,
    organisationId,
    before,
    after: { endsOn },
    details,
  });
}
