import { type EntityManager, LockMode, type MikroORM } from '@mikro-orm/postgresql';
import type { Actor } from '../../auth/actor.js';
import { type AccountViewer, requireAccount } from '../../auth/viewer.js';
import type { PlacesConfig } from '../../config.js';
import { today } from '../../domain/calendar.js';
import { ReservationStatus, WaitingListStatus } from '../../domain/enums.js';
import type { Ref } from '../../domain/ref.js';
import { conflict, ErrorCode, fieldError, HubError, notFound } from '../../errors.js';
import { emitEvent, PLACES_CHANGED, type PlacesChanged } from '../../events/emit.js';
import { Account } from '../account/account.entity.js';
import { recordAudit } from '../audit/audit.service.js';
import { Case } from '../case/case.entity.js';
import { availablePlaces } from './available-places.js';
import { CapacityPeriod } from './capacity-period.entity.js';
import { Reservation } from './reservation.entity.js';
import { WaitingListEntry } from './waiting-list-entry.entity.js';

/**
 * Places change only here, each change in one transaction: reservations, the waiting list, editors
 * setting a total and the import setting total and occupied. The counters move by conditional UPDATEs
 * (`… where total - occupied - reserved >= 1`), so concurrent callers can never overbook, and the CHECK
 * constraint `occupied + reserved <= total` backs that up. Every change writes its audit entry and a
 * "places changed" domain event in the same transaction.
 */

interface PeriodState {
  id: string;
  offer_id: string;
  organisation_id: string;
  total: number;
  occupied: number;
  reserved: number;
  ends_on: string;
  offer_active: boolean;
  auto_offer: boolean;
}

const noPlacesLeft = () =>
  new HubError(ErrorCode.NO_PLACES_LEFT, 'No place is free in this period. You can join the waiting list.', {
    canJoinWaitingList: true,
  });

/** Moves the counters of one period; null when `requireFree` places are not free (nothing changed). */
async function movePlaces(
  em: EntityManager,
  periodId: string,
  delta: { occupied?: number; reserved?: number },
  requireFree = 0,
): Promise<PeriodState | null> {
  const rows = await em.execute<PeriodState[]>(
    `update capacity_period cp
        set occupied = cp.occupied + ?, reserved = cp.reserved + ?, version = cp.version + 1, updated_at = now()
       from offer o
      where cp.id = ? and o.id = cp.offer_id and cp.total - cp.occupied - cp.reserved >= ?
      returning cp.id, cp.offer_id, o.organisation_id, cp.total, cp.occupied, cp.reserved,
                to_char(cp.ends_on, 'YYYY-MM-DD') as ends_on, o.active as offer_active,
                o.auto_offer_from_waiting_list as auto_offer`,
    [delta.occupied ?? 0, delta.reserved ?? 0, periodId, requireFree],
  );
  return rows[0] ?? null;
}

async function periodState(em: EntityManager, periodId: string): Promise<PeriodState | null> {
  const rows = await em.execute<PeriodState[]>(
    `select cp.id, cp.offer_id, o.organisation_id, cp.total, cp.occupied, cp.reserved,
            to_char(cp.ends_on, 'YYYY-MM-DD') as ends_on, o.active as offer_active,
            o.auto_offer_from_waiting_list as auto_offer
       from capacity_period cp join offer o on o.id = cp.offer_id where cp.id = ?`,
    [periodId],
  );
  return rows[0] ?? null;
}

/** The "places changed" domain event of one period, added to the caller's transaction. */
function placesChanged(
  em: EntityManager,
  state: Pick<PeriodState, 'id' | 'offer_id' | 'organisation_id' | 'total' | 'occupied' | 'reserved'>,
  previousAvailable: number,
  reason: string,
) {
  const event: PlacesChanged = {
    capacityPeriodId: state.id,
    offerId: state.offer_id,
    organisationId: state.organisation_id,
    total: state.total,
    occupied: state.occupied,
    reserved: state.reserved,
    available: availablePlaces(state),
    previousAvailable,
    reason,
  };
  emitEvent(em, PLACES_CHANGED, event);
}

const available = (s: PeriodState) => availablePlaces(s);

/** New numbers for a period's places; a counter left out stays as it is. */
export interface PlacesSetting {
  periodId: string;
  total?: number;
  occupied?: number;
}

/**
 * Sets total and occupied places of periods, all in one guarded UPDATE: editors setting a total
 * (`total_set`) and the import setting both from a partner's file (`imported`). Callers hold the
 * periods' row locks and have already compared the new numbers with what they read, to say what is
 * wrong in their own words; should `occupied + reserved` still exceed `total` for any period, nothing
 * changes (CONFLICT). Loaded periods are brought up to date in the identity map.
 *
 * Audit, whoever sets: `capacity_period.<reason>` with before/after of { total, occupied, available }
 * (the changed ones); `details` adds the caller's facts beside them.
 */
export async function setPlaces(
  em: EntityManager,
  viewer: AccountViewer,
  settings: readonly PlacesSetting[],
  reason: 'total_set' | 'imported',
  details?: Record<string, unknown>,
): Promise<void> {
  if (settings.length === 0) return;
  const list = (values: (string | number | undefined)[]) => `{${values.map((v) => v ?? 'NULL').join(',')}}`;
  // `before` is read with the statement's snapshot: the counters as they were.
  const rows = await em.execute<
    (PeriodState & { version: number; before_total: number; before_occupied: number })[]
  >(
    `update capacity_period cp
        set total = coalesce(v.total, cp.total), occupied = coalesce(v.occupied, cp.occupied),
            version = cp.version + 1, updated_at = now()
       from unnest(?::uuid[], ?::int[], ?::int[]) as v(id, total, occupied), capacity_period before, offer o
      where cp.id = v.id and before.id = cp.id and o.id = cp.offer_id
        and coalesce(v.occupied, cp.occupied) + cp.reserved <= coalesce(v.total, cp.total)
      returning cp.id, cp.offer_id, o.organisation_id, cp.total, cp.occupied, cp.reserved, cp.version,
                before.total as before_total, before.occupied as before_occupied`,
    [
      list(settings.map((s) => s.periodId)),
      list(settings.map((s) => s.total)),
      list(settings.map((s) => s.occupied)),
    ],
  );
  if (rows.length < settings.length)
    throw conflict('The places of this period changed meanwhile. Reload and try again.');
  // Audit entries and events in the callers' order (a file's rows), not the statement's.
  const order = new Map(settings.map((s, i) => [s.periodId, i]));
  rows.sort((a, b) => order.get(a.id)! - order.get(b.id)!);
  const uow = em.getUnitOfWork();
  for (const row of rows) {
    if (uow.getById(CapacityPeriod.name, row.id))
      em.merge(
        CapacityPeriod,
        { id: row.id, total: row.total, occupied: row.occupied, version: row.version },
        { refresh: true },
      );
    const before = { total: row.before_total, occupied: row.before_occupied, reserved: row.reserved };
    recordAudit(em, viewer, {
      action: `capacity_period.${reason}`,
      entityType: 'CapacityPeriod',
      entityId: row.id,
      organisationId: row.organisation_id,
      before: { total: before.total, occupied: before.occupied, available: availablePlaces(before) },
      after: { total: row.total, occupied: row.occupied, available: availablePlaces(row) },
      details,
    });
    placesChanged(em, row, availablePlaces(before), reason);
  }
}

/**
 * An open case the viewer may book places for. Whether they may book for their own organisation's
 * cases at all is asked before the case is looked up, and a case they may not book for answers exactly
 * like an unknown id: a different answer would tell a stranger that the id exists.
 */
async function bookableCase(
  em: EntityManager,
  actor: Actor,
  action: 'place.reserve' | 'place.joinWaitingList',
  ref: Ref,
): Promise<Case> {
  const viewer = requireAccount(actor.viewer);
  actor.assert(action, { caseOrganisation: viewer.organisationId });
  const found = await em.findOne(Case, { id: ref.id });
  if (!found || !actor.may(action, { caseOrganisation: found.managingOrganisation.id }))
    throw notFound('Case', ref.sent);
  if (found.closedOn) throw conflict('This case is closed.');
  return found;
}

async function bookablePeriod(em: EntityManager, ref: Ref): Promise<PeriodState> {
  const state = await periodState(em, ref.id);
  if (!state) throw notFound('CapacityPeriod', ref.sent);
  if (!state.offer_active) throw fieldError('capacityPeriodId', 'the offer is archived');
  if (state.ends_on < today()) throw fieldError('capacityPeriodId', `the period ended on ${state.ends_on}`);
  return state;
}

export interface ReservePlace {
  period: Ref;
  case: Ref;
  holdUntil?: Date;
}

export async function reservePlace(
  em: EntityManager,
  actor: Actor,
  input: ReservePlace,
  settings: PlacesConfig,
): Promise<Reservation> {
  const viewer = requireAccount(actor.viewer);
  const holdUntil = checkHold(input.holdUntil, settings);
  return em.transactional(async (em) => {
    const theCase = await bookableCase(em, actor, 'place.reserve', input.case);
    const period = await bookablePeriod(em, input.period);
    const existing = await em.count(Reservation, {
      capacityPeriod: period.id,
      case: theCase.id,
      status: { $in: [ReservationStatus.HELD, ReservationStatus.CONFIRMED] },
    });
    if (existing > 0) throw conflict('This case already holds a place in this period.');
    const after = await movePlaces(em, period.id, { reserved: 1 }, 1);
    if (!after) throw noPlacesLeft();
    const reservation = em.create(Reservation, {
      capacityPeriod: em.getReference(CapacityPeriod, period.id),
      case: theCase,
      reservedBy: em.getReference(Account, viewer.accountId),
      status: ReservationStatus.HELD,
      holdUntil,
    });
    // A waiting-list entry of this case for this period is fulfilled by the reservation.
    await em.nativeUpdate(
      WaitingListEntry,
      { capacityPeriod: period.id, case: theCase.id, status: WaitingListStatus.WAITING },
      { status: WaitingListStatus.OFFERED },
    );
    recordAudit(em, viewer, {
      action: 'reservation.held',
      entityType: 'Reservation',
      entityId: reservation.id,
      organisationId: after.organisation_id,
      after: { capacityPeriodId: period.id, holdUntil: holdUntil.toISOString() },
    });
    placesChanged(em, after, available(after) + 1, 'reserved');
    return reservation;
  });
}

function checkHold(requested: Date | undefined, config: PlacesConfig): Date {
  const now = Date.now();
  if (!requested) return new Date(now + config.holdDays * 86_400_000);
  if (Number.isNaN(requested.getTime())) throw fieldError('holdUntil', 'is not a valid date-time');
  if (requested.getTime() <= now) throw fieldError('holdUntil', 'lies in the past');
  if (requested.getTime() > now + config.maxHoldDays * 86_400_000) {
    throw fieldError('holdUntil', `may lie at most ${config.maxHoldDays} days ahead`);
  }
  return requested;
}

/** Locks a reservation for a state change and checks who may make it. */
async function lockReservation(em: EntityManager, actor: Actor, ref: Ref): Promise<Reservation> {
  const reservation = await em.findOne(Reservation, { id: ref.id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
  // Reservations the viewer may not see look exactly like missing ones.
  if (!reservation || !(await actor.canSeeRow('Reservation', reservation)))
    throw notFound('Reservation', ref.sent);
  return reservation;
}

export async function confirmReservation(
  em: EntityManager,
  actor: Actor,
  input: { reservation: Ref },
): Promise<Reservation> {
  const viewer = requireAccount(actor.viewer);
  return em.transactional(async (em) => {
    const reservation = await lockReservation(em, actor, input.reservation);
    const period = (await periodState(em, reservation.capacityPeriod.id))!;
    actor.assert('place.confirm', { provider: period.organisation_id });
    if (reservation.status !== ReservationStatus.HELD) {
      throw conflict(`This reservation is ${reservation.status.toLowerCase()}, not held.`, {
        status: reservation.status,
      });
    }
    if (reservation.holdUntil && reservation.holdUntil.getTime() <= Date.now()) {
      throw conflict('The hold has expired.', { status: ReservationStatus.EXPIRED });
    }
    const after = (await movePlaces(em, period.id, { reserved: -1, occupied: 1 }))!;
    reservation.status = ReservationStatus.CONFIRMED;
    recordAudit(em, viewer, {
      action: 'reservation.confirmed',
      entityType: 'Reservation',
      entityId: reservation.id,
      organisationId: period.organisation_id,
      before: { status: ReservationStatus.HELD },
      after: { status: ReservationStatus.CONFIRMED },
    });
    placesChanged(em, after, available(after), 'confirmed');
    return reservation;
  });
}

export async function releasePlace(
  em: EntityManager,
  actor: Actor,
  input: { reservation: Ref },
  settings: PlacesConfig,
): Promise<Reservation> {
  const viewer = requireAccount(actor.viewer);
  return em.transactional(async (em) => {
    const reservation = await lockReservation(em, actor, input.reservation);
    const period = (await periodState(em, reservation.capacityPeriod.id))!;
    const caseOrg = (await em.findOneOrFail(Case, { id: reservation.case.id })).managingOrganisation.id;
    actor.assert('place.release', { provider: period.organisation_id, caseOrganisation: caseOrg });
    await freeReservation(em, reservation, ReservationStatus.RELEASED, viewer, settings);
    return reservation;
  });
}

/** Frees the place a HELD or CONFIRMED reservation takes, then offers it to the first waiting case. */
async function freeReservation(
  em: EntityManager,
  reservation: Reservation,
  to: ReservationStatus.RELEASED | ReservationStatus.EXPIRED,
  viewer: AccountViewer | null,
  config: PlacesConfig,
): Promise<void> {
  const from = reservation.status;
  if (from !== ReservationStatus.HELD && from !== ReservationStatus.CONFIRMED) {
    throw conflict(`This reservation is already ${from.toLowerCase()}.`, { status: from });
  }
  const after = (await movePlaces(
    em,
    reservation.capacityPeriod.id,
    from === ReservationStatus.HELD ? { reserved: -1 } : { occupied: -1 },
  ))!;
  reservation.status = to;
  recordAudit(em, viewer, {
    action: to === ReservationStatus.EXPIRED ? 'reservation.expired' : 'reservation.released',
    entityType: 'Reservation',
    entityId: reservation.id,
    organisationId: after.organisation_id,
    before: { status: from },
    after: { status: to },
  });
  placesChanged(em, after, available(after) - 1, to === ReservationStatus.EXPIRED ? 'expired' : 'released');
  if (after.auto_offer) await offerToFirstWaiting(em, after, config);
}

/** The freed place goes to the first waiting case as a hold (an offer of a place), in the same transaction. */
async function offerToFirstWaiting(
  em: EntityManager,
  period: PeriodState,
  config: PlacesConfig,
): Promise<void> {
  const [next] = await em.execute<{ id: string; case_id: string }[]>(
    `select id, case_id from waiting_list_entry
      where capacity_period_id = ? and status = ? and case_id is not null
      order by created_at, id limit 1 for update skip locked`,
    [period.id, WaitingListStatus.WAITING],
  );
  if (!next) return;
  const after = await movePlaces(em, period.id, { reserved: 1 }, 1);
  if (!after) return;
  const reservation = em.create(Reservation, {
    capacityPeriod: em.getReference(CapacityPeriod, period.id),
    case: em.getReference(Case, next.case_id),
    status: ReservationStatus.HELD,
    holdUntil: new Date(Date.now() + config.holdDays * 86_400_000),
    fromWaitingList: true,
  });
  await em.nativeUpdate(WaitingListEntry, { id: next.id }, { status: WaitingListStatus.OFFERED });
  recordAudit(em, null, {
    action: 'reservation.offered_from_waiting_list',
    entityType: 'Reservation',
    entityId: reservation.id,
    organisationId: after.organisation_id,
    after: { capacityPeriodId: period.id, waitingListEntryId: next.id },
  });
  placesChanged(em, after, available(after) + 1, 'offered_from_waiting_list');
}

export async function joinWaitingList(
  em: EntityManager,
  actor: Actor,
  input: { period: Ref; case: Ref },
): Promise<WaitingListEntry> {
  const viewer = requireAccount(actor.viewer);
  return em.transactional(async (em) => {
    const theCase = await bookableCase(em, actor, 'place.joinWaitingList', input.case);
    const period = await bookablePeriod(em, input.period);
    // Lock the period row: a place freed at this moment is either seen here or offered to this entry.
    await em.execute('select 1 from capacity_period where id = ? for update', [period.id]);
    const current = (await periodState(em, period.id))!;
    if (available(current) > 0) {
      throw conflict(`${available(current)} place(s) are free: reserve one instead.`, {
        available: available(current),
      });
    }
    const waiting = await em.count(WaitingListEntry, {
      capacityPeriod: period.id,
      case: theCase.id,
      status: WaitingListStatus.WAITING,
    });
    if (waiting > 0) throw conflict('This case is already on the waiting list of this period.');
    const entry = em.create(WaitingListEntry, {
      capacityPeriod: em.getReference(CapacityPeriod, period.id),
      case: theCase,
      status: WaitingListStatus.WAITING,
    });
    recordAudit(em, viewer, {
      action: 'waiting_list.joined',
      entityType: 'WaitingListEntry',
      entityId: entry.id,
      organisationId: period.organisation_id,
      after: { capacityPeriodId: period.id },
    });
    return entry;
  });
}

/** 1-based position among the WAITING entries of its period (first come, first served). */
export async function waitingPosition(em: EntityManager, entry: WaitingListEntry): Promise<number | null> {
  if (entry.status !== WaitingListStatus.WAITING) return null;
  const [row] = await em.execute<{ n: number }[]>(
    `select count(*)::int as n from waiting_list_entry
      where capacity_period_id = ? and status = ? and (created_at, id) <= (?, ?)`,
    [entry.capacityPeriod.id, WaitingListStatus.WAITING, entry.createdAt, entry.id],
  );
  return row?.n ?? null;
}

/**
 * Frees expired holds. Safe with several hub instances: each expired reservation is locked with SKIP
 * LOCKED and re-checked, so exactly one instance frees each place, once. Returns how many expired.
 */
export async function expireHolds(orm: MikroORM, config: PlacesConfig, batch = 100): Promise<number> {
  let total = 0;
  for (;;) {
    const freed = await orm.em.fork().transactional(async (em) => {
      const rows = await em.execute<{ id: string }[]>(
        `select id from reservation where status = ? and hold_until <= now()
          order by hold_until limit ? for update skip locked`,
        [ReservationStatus.HELD, batch],
      );
      for (const { id } of rows) {
        const reservation = await em.findOneOrFail(Reservation, { id });
        await freeReservation(em, reservation, ReservationStatus.EXPIRED, null, config);
      }
      return rows.length;
    });
    total += freed;
    if (freed < batch) return total;
  }
}
