import { Entity, Index, Opt, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * Append-only record of who changed what (grants, places, cases, accounts). Actor ids are kept as
 * plain values, not foreign keys, so the trail outlives deleted accounts.
 */
@Entity()
@Index({ properties: ['entityType', 'entityId'] })
@Index({ properties: ['occurredAt'] })
@Index({ properties: ['organisationId', 'occurredAt'] })
export class AuditEntry {
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  occurredAt: Date & Opt = new Date();

  @Property({ type: 'uuid', nullable: true })
  actorAccountId?: string;

  @Property({ type: 'uuid', nullable: true })
  actorOrganisationId?: string;

  /** The organisation the changed object belongs to: whose audit trail this entry is part of. */
  @Property({ type: 'uuid', nullable: true })
  organisationId?: string;

  @Property({ length: 100 })
  action!: string;

  @Property({ length: 100 })
  entityType!: string;

  @Property({ type: 'uuid' })
  entityId!: string;

  @Property({ type: 'jsonb', nullable: true })
  details?: Record<string, unknown>;
}
