import type { EntityManager, RequiredEntityData } from '@mikro-orm/postgresql';
import { type AccountViewer, requireAccount } from '../../auth/viewer.js';
import type { Context } from '../../context.js';
import { today } from '../../domain/calendar.js';
import { CaseEventKind, PathwayStage, ReservationStatus } from '../../domain/enums.js';
import { conflict, fieldError, notFound } from '../../errors.js';
import { emitEvent, STATISTICS_CHANGED } from '../../events/emit.js';
import { fromGlobalIdOf } from '../../graphql/global-id.js';
import { recordAudit, snapshot } from '../audit/audit.service.js';
import { Organisation } from '../organisation/organisation.entity.js';
import { lockForEdit } from '../shared/editing.js';
import { Case } from './case.entity.js';
import type { CloseCaseInput, CreateCaseInput, HandOverCaseInput, UpdateCaseInput } from './case.inputs.js';
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

/** A case of the viewer's organisation, row-locked, at the version they edited; others' look missing. */
async function ownCase(ctx: Context, em: EntityManager, globalId: string, version?: number): Promise<Case> {
  const viewer = requireAccount(ctx.viewer);
  const found = await lockForEdit(em, Case, 'Case', globalId);
  if (found.managingOrganisation.id !== viewer.organisationId) throw notFound('Case', globalId);
  if (version !== undefined && found.version !== version) {
    throw conflict(
      `This case was changed by someone else (version ${found.version}). Reload and try again.`,
      {
        currentVersion: found.version,
        yourVersion: version,
      },
    );
  }
  return found;
}

/** When a change happened: not in the future, not before intake or the last event, back-dated within limits. */
async function eventDate(
  ctx: Context,
  em: EntityManager,
  theCase: Case,
  requested: string | undefined,
): Promise<string> {
  const day = requested ?? today();
  if (day > today()) throw fieldError('occurredOn', 'lies in the future');
  const earliest = addDays(today(), -ctx.deps.places.backdateMaxDays);
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

export async function createCase(ctx: Context, input: CreateCaseInput): Promise<Case> {
  const viewer = requireAccount(ctx.viewer);
  if (input.intakeDate > today()) throw fieldError('intakeDate', 'lies in the future');
  if (input.intakeDate < EARLIEST_INTAKE) throw fieldError('intakeDate', `lies before ${EARLIEST_INTAKE}`);
  return ctx.em.transactional(async (em) => {
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

export async function updateCase(ctx: Context, input: UpdateCaseInput): Promise<Case> {
  const viewer = requireAccount(ctx.viewer);
  return ctx.em.transactional(async (em) => {
    const theCase = await ownCase(ctx, em, input.id, input.version);
    if (theCase.closedOn) throw conflict('This case is closed.');
    const before = snapshot(theCase, AUDITED);
    const changesStage = input.stage != null && input.stage !== theCase.stage;
    const changesStatus = input.residenceStatus != null && input.residenceStatus !== theCase.residenceStatus;
    if (changesStage || changesStatus) {
      const occurredOn = await eventDate(ctx, em, theCase, input.occurredOn);
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

export async function closeCase(ctx: Context, input: CloseCaseInput): Promise<Case> {
  const viewer = requireAccount(ctx.viewer);
  return ctx.em.transactional(async (em) => {
    const theCase = await ownCase(ctx, em, input.id, input.version);
    if (theCase.closedOn) throw conflict('This case is already closed.');
    const before = snapshot(theCase, AUDITED);
    const occurredOn = await eventDate(ctx, em, theCase, input.occurredOn);
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

export async function handOverCase(ctx: Context, input: HandOverCaseInput): Promise<Case> {
  const viewer = requireAccount(ctx.viewer);
  const toOrganisationId = fromGlobalIdOf('Organisation', input.toOrganisationId, 'toOrganisationId');
  if (toOrganisationId === viewer.organisationId)
    throw fieldError('toOrganisationId', 'is your own organisation');
  return ctx.em.transactional(async (em) => {
    const theCase = await ownCase(ctx, em, input.id);
    if (theCase.closedOn) throw conflict('This case is closed.');
    const receiver = await em.findOne(Organisation, { id: toOrganisationId });
    if (!receiver?.active)
      throw fieldError('toOrganisationId', 'is not an active organisation of the alliance');
    theCase.handoverTo = receiver;
    theCase.handoverRequestedAt = new Date();
    audit(em, viewer, theCase, 'case.handover_requested', undefined, { handoverTo: receiver.id });
    return theCase;
  });
}

/** The receiving organisation's case manager accepts: the case, its history and its places move over. */
export async function acceptCaseHandover(ctx: Context, globalId: string): Promise<Case> {
  const viewer = requireAccount(ctx.viewer);
  return ctx.em.transactional(async (em) => {
    const theCase = await lockForEdit(em, Case, 'Case', globalId);
    // Only a case handed over to the viewer's organisation is visible here at all.
    if (theCase.handoverTo?.id !== viewer.organisationId) throw notFound('Case', globalId);
    const from = theCase.managingOrganisation.id;
    theCase.managingOrganisation = em.getReference(Organisation, viewer.organisationId);
    theCase.handoverTo = undefined;
    theCase.handoverRequestedAt = undefined;
    em.create(CaseEvent, {
      case: theCase,
      kind: CaseEventKind.HANDOVER,
      occurredOn: today(),
      organisation: em.getReference(Organisation, viewer.organisationId),
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
      { managingOrganisation: viewer.organisationId, openReservations: open },
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
