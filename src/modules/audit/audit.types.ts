import { DateTimeResolver } from 'graphql-scalars';
import { ArgsType, Field, ID, ObjectType } from 'type-graphql';
import { ConnectionArgs, connectionTypes } from '../../graphql/relay.js';

@ObjectType('AuditEntry', { description: 'Who changed what, when: before/after of the changed fields.' })
export class AuditEntryType {
  @Field(() => String, { description: 'Sequence number of the entry.' })
  id!: string;

  @Field(() => DateTimeResolver)
  occurredAt!: Date;

  @Field(() => String, {
    description: 'e.g. offer.updated, capacity_period.total_set, sharing_grant.created',
  })
  action!: string;

  @Field(() => String)
  entityType!: string;

  @Field(() => String, { description: 'The changed object’s id.' })
  entityId!: string;

  @Field(() => String, { nullable: true, description: 'The account that made the change.' })
  actorAccountId?: string;
}

export const AuditEntryConnection = connectionTypes('AuditEntry', AuditEntryType);

@ArgsType()
export class AuditTrailArgs extends ConnectionArgs {
  @Field(() => ID, {
    nullable: true,
    description: 'Only the changes of this object (global id), e.g. to say who changed it last.',
  })
  object?: string;
}
