import { Args, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context.js';
import { paginate } from '../../graphql/relay.js';
import type { Organisation } from '../organisation/organisation.entity.js';
import { OrganisationType } from '../organisation/organisation.types.js';
import { AuditEntryConnection, AuditTrailArgs } from './audit.types.js';
import { AuditEntry } from './audit-entry.entity.js';

@Resolver(() => OrganisationType)
export class AuditTrailResolver {
  @FieldResolver(() => AuditEntryConnection, {
    nullable: true,
    description: 'Changes to this organisation’s data, newest first (its own accounts and the coordinator).',
  })
  auditTrail(
    @Root() organisation: Organisation,
    @Args(() => AuditTrailArgs) args: AuditTrailArgs,
    @Ctx() ctx: Context,
  ) {
    return paginate(ctx.em, AuditEntry, { organisationId: organisation.id }, args, {
      occurredAt: 'desc',
      id: 'desc',
    });
  }
}
