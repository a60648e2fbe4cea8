import type { FilterQuery } from '@mikro-orm/postgresql';
import { Arg, Args, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { requireAccount } from '../../auth/viewer.js';
import type { Context } from '../../context.js';
import type { ReadRow } from '../../db/read-rows.js';
import { notFound } from '../../errors.js';
import { fromGlobalIdOf, refOf, toGlobalId } from '../../graphql/global-id.js';
import { paginate } from '../../graphql/relay.js';
import { OrganisationType } from '../organisation/organisation.types.js';
import { Case } from './case.entity.js';
import {
  CaseIdInput,
  CloseCaseInput,
  CreateCaseInput,
  HandOverCaseInput,
  UpdateCaseInput,
} from './case.inputs.js';
import { acceptCaseHandover, closeCase, createCase, handOverCase, updateCase } from './case.service.js';
import { CaseConnection, CaseEventType, CaseHandoverType, CasesArgs, CaseType } from './case.types.js';

@Resolver(() => CaseType)
export class CaseResolver {
  @Query(() => CaseConnection, {
    description: 'The cases your organisation manages, newest intake first (CASE_MANAGER only).',
  })
  cases(@Args(() => CasesArgs) args: CasesArgs, @Ctx() ctx: Context) {
    // Scoped in the query itself, so that totalCount never counts another organisation's cases.
    const viewer = requireAccount(ctx.viewer);
    const where: FilterQuery<Case> = { managingOrganisation: viewer.organisationId };
    if (args.filter?.stages?.length) where.stage = { $in: args.filter.stages };
    if (args.filter?.residenceStatuses?.length)
      where.residenceStatus = { $in: args.filter.residenceStatuses };
    if (args.filter?.open === true) where.closedOn = null;
    if (args.filter?.open === false) where.closedOn = { $ne: null };
    return paginate(ctx.em, Case, where, args, { intakeDate: 'desc', id: 'asc' });
  }

  @Query(() => CaseType, {
    nullable: true,
    description: 'One of your organisation’s cases; NOT_FOUND otherwise.',
  })
  async case(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    const found = await ctx.loaders.case.load(fromGlobalIdOf('Case', id));
    if (!found) throw notFound('Case', id);
    return found;
  }

  @Query(() => [CaseHandoverType], { description: 'Cases other organisations hand over to yours.' })
  async incomingCaseHandovers(@Ctx() ctx: Context) {
    const viewer = requireAccount(ctx.viewer);
    const pending = await ctx.em.find(
      Case,
      { handoverTo: viewer.organisationId },
      { orderBy: { handoverRequestedAt: 'asc' } },
    );
    return pending.map((c) => ({ caseId: toGlobalId('Case', c.id), requestedAt: c.handoverRequestedAt }));
  }

  @Mutation(() => CaseType, {
    description: 'A new pseudonymous case of your organisation (its INTAKE event included).',
  })
  createCase(@Arg('input', () => CreateCaseInput) input: CreateCaseInput, @Ctx() ctx: Context) {
    return createCase(ctx.em, ctx.access, input);
  }

  @Mutation(() => CaseType, { description: 'Change a case; stage and status changes become dated events.' })
  updateCase(@Arg('input', () => UpdateCaseInput) input: UpdateCaseInput, @Ctx() ctx: Context) {
    const { id, ...changes } = input;
    return updateCase(ctx.em, ctx.access, { ...changes, case: refOf('Case', id) }, ctx.deps.places);
  }

  @Mutation(() => CaseType, { description: 'Close a case (optionally in a final stage).' })
  closeCase(@Arg('input', () => CloseCaseInput) input: CloseCaseInput, @Ctx() ctx: Context) {
    const { id, ...closing } = input;
    return closeCase(ctx.em, ctx.access, { ...closing, case: refOf('Case', id) }, ctx.deps.places);
  }

  @Mutation(() => CaseType, {
    description: 'Offer a case to another organisation; it moves when their case manager accepts.',
  })
  handOverCase(@Arg('input', () => HandOverCaseInput) input: HandOverCaseInput, @Ctx() ctx: Context) {
    return handOverCase(ctx.em, ctx.access, {
      toOrganisationId: fromGlobalIdOf('Organisation', input.toOrganisationId, 'toOrganisationId'),
      case: refOf('Case', input.id),
    });
  }

  @Mutation(() => CaseType, {
    description: 'Take over a case handed to your organisation, with its history.',
  })
  acceptCaseHandover(@Arg('input', () => CaseIdInput) input: CaseIdInput, @Ctx() ctx: Context) {
    return acceptCaseHandover(ctx.em, ctx.access, { case: refOf('Case', input.id) });
  }

  @FieldResolver(() => ID)
  id(@Root() c: ReadRow<Case>) {
    return toGlobalId('Case', c.id);
  }

  @FieldResolver(() => Int, { description: 'Send it back with updateCase/closeCase.' })
  version(@Root() c: ReadRow<Case>) {
    return c.version;
  }

  @FieldResolver(() => OrganisationType)
  managingOrganisation(@Root() c: ReadRow<Case>, @Ctx() ctx: Context) {
    return ctx.loaders.organisation.load(c.managingOrganisation.id);
  }

  @FieldResolver(() => OrganisationType, {
    nullable: true,
    description: 'A handover waiting for acceptance.',
  })
  handoverTo(@Root() c: ReadRow<Case>, @Ctx() ctx: Context) {
    return c.handoverTo ? ctx.loaders.organisation.load(c.handoverTo.id) : null;
  }

  @FieldResolver(() => [CaseEventType], { description: 'The dated history, oldest first.' })
  events(@Root() c: ReadRow<Case>, @Ctx() ctx: Context) {
    return ctx.loaders.eventsByCase.load(c.id);
  }
}
