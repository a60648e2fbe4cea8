import { JSONObjectResolver } from 'graphql-scalars';
import { Args, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { AUDIT_DETAIL_FIELDS } from '../../auth/policy.js';
import type { Context } from '../../context.js';
import type { ReadRow } from '../../db/read-rows.js';
import { fromGlobalId } from '../../graphql/global-id.js';
import { AccountType } from '../account/account.types.js';
import type { Organisation } from '../organisation/organisation.entity.js';
import { OrganisationType } from '../organisation/organisation.types.js';
import { AuditEntryConnection, AuditEntryType, AuditTrailArgs } from './audit.types.js';
import type { AuditEntry } from './audit-entry.entity.js';
import { auditTrailPage } from './audit-trail-page.js';

@Resolver(() => OrganisationType)
export class AuditTrailResolver {
  @FieldResolver(() => AuditEntryConnection, {
    nullable: true,
    description: 'Changes to this organisation’s data, newest first (its own accounts and the coordinator).',
  })
  auditTrail(
    @Root() organisation: ReadRow<Organisation>,
    @Args(() => AuditTrailArgs) args: AuditTrailArgs,
    @Ctx() ctx: Context,
  ) {
    const { object, ...page } = args;
    const where = object
      ? { organisationId: organisation.id, entityId: fromGlobalId(object).id }
      : { organisationId: organisation.id };
    return auditTrailPage(ctx.em, where, page);
  }
}

@Resolver(() => AuditEntryType)
export class AuditEntryResolver {
  // The account's own fields follow the Account rule: an organisation's accounts see their colleagues'
  // names, not those of other organisations' staff (the coordinator's, say).
  @FieldResolver(() => AccountType, { nullable: true, description: 'The account that made the change.' })
  async actor(@Root() entry: ReadRow<AuditEntry>, @Ctx() ctx: Context) {
    return entry.actorAccountId ? ctx.loaders.account.load(entry.actorAccountId) : null;
  }

  @FieldResolver(() => JSONObjectResolver, {
    nullable: true,
    description: '{ before, after, … } of the changed fields.',
  })
  async details(@Root() entry: ReadRow<AuditEntry>, @Ctx() ctx: Context) {
    // Before/after values of restricted fields follow the field's own rule today (AUDIT_DETAIL_FIELDS),
    // so the trail never reveals, say, an internal note to the coordinator.
    const guarded = AUDIT_DETAIL_FIELDS[entry.entityType];
    if (!entry.details || !guarded || !entry.organisationId) return entry.details ?? null;
    const owner = entry.organisationId;
    const filterSide = async (side: unknown) => {
      if (!side || typeof side !== 'object') return side;
      const out: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(side)) {
        const field = guarded[key];
        if (!field || (await ctx.access.canReadFieldOfOwner(entry.entityType, field, owner)))
          out[key] = value;
        else out[key] = '[restricted]';
      }
      return out;
    };
    const { before, after, ...rest } = entry.details as Record<string, unknown>;
    return {
      ...rest,
      ...(before ? { before: await filterSide(before) } : {}),
      ...(after ? { after: await filterSide(after) } : {}),
    };
  }
}
