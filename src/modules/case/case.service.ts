import type { EntityManager, RequiredEntityData } from '@mikro-orm/postgresql';
import { type Actor, ownOrganisation } from '../../auth/actor.js';
import type { AccountViewer } from '../../auth/viewer.js';
import type { PlacesConfig } from '../../config.js';
import { today } from '../../domain/calendar.js';
import { CaseEventKind, PathwayStage, ReservationStatus } from '../../domain/enums.js';
import type { Ref } from '../../domain/ref.js';
import { conflict, fieldError, notFound } from '../../errors.js';
import { emitEvent, STATISTICS_CHANGED } from '../../events/emit.js';
import { recordAudit, snapshot } from '../audit/audit.service.js';
import { Organisation } from '../organisation/organisation.entity.js';
import { lockForEdit } from '../shared/editing.js';
import { Case } from './case.entity.js';
import type { CloseCaseInput, CreateCaseInput, UpdateCaseInput } from './case.inputs.js';
import { CaseEvent } from './case-event.entity.js';

const AUDITED = [
  'ageBand',
  'gender',
  'nationalityGroup',
  'residenceStatus',
  'schoolLevel',
  'germanLevel',
  'stage',
  'closedOn',
] as const;
const EARLIEST_INTAKE = '2015-01-01';

const addDays = (iso: string, days: number) => {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
};

export type UpdateCase = Omit<UpdateCaseInput, 'id'> & { case: Ref };
export type CloseCase = Omit<CloseCaseInput, 'id'> & { case: Ref };
/** `toOrganisationId`: a UUID (a wrong one is a field error, not a NOT_FOUND). */
export type HandOverCase = { case: Ref; toOrganisationId: string };

/**
 * A case the viewer may do `action` to, row-locked, at the version they edited. Whether they may do it to
 * their own organisation's cases at all is asked first; a case they may not act on answers exactly like
 * an unknown id, so a stranger learns nothing of it.
 */
async function ownCase(
  em: EntityManager,
  actor: Actor,
  action: 'case.update' | 'case.close' | 'case.handOver',
  ref: Ref,
  version?: number,
): Promise<{ theCase: Case; viewer: AccountViewer }> {
  const viewer = actor.assert(action, { organisation: ownOrganisation(actor) });
  const found = await lockForEdit(em, Case, 'Case', ref);
  if (!actor.may(action, { organisation: found.managingOrganisation.id })) throw notFound('Case', ref.sent);
  if (version !== undefined && found.version !== version) {
    throw conflict(
      `This case was changed by someone else (version ${found.version}). Reload and try again.`,
      {
        currentVersion: found.version,
        yourVersion: version,
      },
    );
  }
  return { theCase: found, viewer };
}

/** When a change happened: not in the future, not before intake or the last event, back-dated within limits. */
async function eventDate(
  settings: PlacesConfig,
  em: EntityManager,
  theCase: Case,
  requested: string | undefined,
): Promise<string> {
  const day = requested ?? today();
  if (day > today()) throw fieldError('occurredOn', 'lies in the future');
  const earliest = addDays(today(), -settings.backdateMaxDays);
  if (day < earliest) throw fieldError('occurredOn', `may be back-dated to ${earliest} at the earliest`);
  if (day < theCase.intakeDate) throw fieldError('occurredOn', 'lies before the intake');
  const [last] = await em.find(
    CaseEvent,
    { case: theCase },
    { orderBy: { occurredOn: 'desc', seq: 'desc' }, limit: 1 },
  );
  if (last && day < last.occurredOn)
    throw fieldError('occurredOn', `lies before the last recorded event (${last.occurredOn})`);
  return day;
}

export async function createCase(em: EntityManager, actor: Actor, input: CreateCaseInput): Promise<Case> {
  const viewer = actor.assert('case.create', { organisation: ownOrganisation(actor) });
  if (input.intakeDate > today()) throw fieldError('intakeDate', 'lies in the future');
  if (input.intakeDate < EARLIEST_INTAKE) throw fieldError('intakeDate', `lies before ${EARLIEST_INTAKE}`);
  return em.transactional(async (em) => {
    const stage = input.stage ?? PathwayStage.INTAKE;
    const theCase = em.create(Case, {
      managingOrganisation: em.getReference(Organisation, viewer.organisationId),
      intakeDate: input.intakeDate,
      ageBand: input.ageBand,
      gender: input.gender,
      nationalityGroup: input.nationalityGroup,
      residenceStatus: input.residenceStatus,
      schoolLevel: input.schoolLevel,
      germanLevel: input.germanLevel,
      stage,
    } as never);
    em.create(CaseEvent, {
      case: theCase,
      kind: CaseEventKind.INTAKE,
      occurredOn: input.intakeDate,
      toStage: stage,
      toStatus: input.residenceStatus,
    });
    audit(em, viewer, theCase, 'case.created', undefined, snapshot(theCase, AUDITED));
    return theCase;
  });
}

export async function updateCase(
  em: EntityManager,
  actor: Actor,
  input: UpdateCase,
  settings: PlacesConfig,
): Promise<Case> {
  return em.transactional(async (em) => {
    const { theCase, viewer } = await ownCase(em, actor, 'case.update', input.case, input.version);
    if (theCase.closedOn) throw conflict('This case is closed.');
    const before = snapshot(theCase, AUDITED);
    const changesStage = input.stage != null && input.stage !== theCase.stage;
    const changesStatus = input.residenceStatus != null && input.residenceStatus !== theCase.residenceStatus;
    if (changesStage || changesStatus) {
      const occurredOn = await eventDate(settings, em, theCase, input.occurredOn);
      if (changesStage) {
        await addEvent(em, {
          case: theCase,
          kind: CaseEventKind.STAGE_CHANGE,
          occurredOn,
          fromStage: theCase.stage,
          toStage: input.stage!,
        });
        theCase.stage = input.stage!;
      }
      if (changesStatus) {
        await addEvent(em, {
          case: theCase,
          kind: CaseEventKind.STATUS_CHANGE,
          occurredOn,
          fromStatus: theCase.residenceStatus,
          toStatus: input.residenceStatus!,
        });
        theCase.residenceStatus = input.residenceStatus!;
      }
    }
    for (const key of ['ageBand', 'gender', 'nationalityGroup', 'schoolLevel', 'germanLevel'] as const) {
      if (input[key] != null) (theCase as unknown as Record<string, unknown>)[key] = input[key];
    }
    // Version bumps even when only counted attributes changed, so concurrent forms notice each other.
    theCase.updatedAt = new Date();
    audit(em, viewer, theCase, 'case.updated', before, snapshot(theCase, AUDITED));
    return theCase;
  });
}

export async function closeCase(
  em: EntityManager,
  actor: Actor,
  input: CloseCase,
  settings: PlacesConfig,
): Promise<Case> {
  return em.transactional(async (em) => {
    const { theCase, viewer } = await ownCase(em, actor, 'case.close', input.case, input.version);
    if (theCase.closedOn) throw conflict('This case is already closed.');
    const before = snapshot(theCase, AUDITED);
    const occurredOn = await eventDate(settings, em, theCase, input.occurredOn);
    if (input.finalStage && input.finalStage !== theCase.stage) {
      await addEvent(em, {
        case: theCase,
        kind: CaseEventKind.STAGE_CHANGE,
        occurredOn,
        fromStage: theCase.stage,
        toStage: input.finalStage,
      });
      theCase.stage = input.finalStage;
    }
    await addEvent(em, { case: theCase, kind: CaseEventKind.CLOSED, occurredOn });
    theCase.closedOn = occurredOn;
    audit(em, viewer, theCase, 'case.closed', before, snapshot(theCase, AUDITED));
    return theCase;
  });
}

export async function handOverCase(em: EntityManager, actor: Actor, input: HandOverCase): Promise<Case> {
  const own = ownOrganisation(actor);
  actor.assert('case.handOver', { organisation: own });
  if (input.toOrganisationId === own) throw fieldError('toOrganisationId', 'is your own organisation');
  return em.transactional(async (em) => {
    const { theCase, viewer } = await ownCase(em, actor, 'case.handOver', input.case);
    if (theCase.closedOn) throw conflict('This case is closed.');
    const receiver = await em.findOne(Organisation, { id: input.toOrganisationId });
    if (!receiver?.active)
      throw fieldError('toOrganisationId', 'is not an active organisation of the alliance');
    theCase.handoverTo = receiver;
    theCase.handoverRequestedAt = new Date();
    audit(em, viewer, theCase, 'case.handover_requested', undefined, { handoverTo: receiver.id });
    return theCase;
  });
}

/** The receiving organisation's case manager accepts: the case, its history and its places move over. */
export async function acceptCaseHandover(
  em: EntityManager,
  actor: Actor,
  input: { case: Ref },
): Promise<Case> {
  const viewer = actor.assert('case.acceptHandover', { organisation: ownOrganisation(actor) });
  return em.transactional(async (em) => {
    const theCase = await lockForEdit(em, Case, 'Case', input.case);
    // Only a case handed over to an organisation the viewer accepts for is visible here at all.
    const receiver = theCase.handoverTo?.id;
    if (!receiver || !actor.may('case.acceptHandover', { organisation: receiver }))
      throw notFound('Case', input.case.sent);
    const from = theCase.managingOrganisation.id;
    theCase.managingOrganisation = em.getReference(Organisation, receiver);
    theCase.handoverTo = undefined;
    theCase.handoverRequestedAt = undefined;
    em.create(CaseEvent, {
      case: theCase,
      kind: CaseEventKind.HANDOVER,
      occurredOn: today(),
      organisation: em.getReference(Organisation, receiver),
    });
    const open = await em.count('Reservation', {
      case: theCase.id,
      status: { $in: [ReservationStatus.HELD, ReservationStatus.CONFIRMED] },
    });
    audit(
      em,
      viewer,
      theCase,
      'case.handed_over',
      { managingOrganisation: from },
      { managingOrganisation: receiver, openReservations: open },
    );
    return theCase;
  });
}

/** Inserts an event at once: its sequence number then orders events of the same day as they happened. */
async function addEvent(em: EntityManager, data: RequiredEntityData<CaseEvent>): Promise<void> {
  em.create(CaseEvent, data);
  await em.flush();
}

function audit(
  em: EntityManager,
  viewer: AccountViewer,
  theCase: Case,
  action: string,
  before: Record<string, unknown> | undefined,
  after: Record<string, unknown>,
) {
  // Meeting screens refresh their figures (the statistics API decides what anyone may see of them).
  emitEvent(em, STATISTICS_CHANGED, { statistics: ['cases'] });
  recordAudit(em, viewer, {
    action,
    entityType: 'Case',
    entityId: theCase.id,
    // Case changes stay out of the partner-facing audit trail; the case's own events are its history.
    organisationId: null,
    before,
    after,
  });
}
