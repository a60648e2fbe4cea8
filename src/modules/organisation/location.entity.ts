import { Entity, Index, ManyToOne, Opt, Property, Rel } from '@mikro-orm/core';
import { BaseEntity } from '../../db/base.entity.js';
import { Organisation } from './organisation.entity.js';

@Entity()
@Index({ properties: ['district'] })
@Index({ properties: ['organisation'] })
export class Location extends BaseEntity {
  @ManyToOne(() => Organisation, { deleteRule: 'cascade' })
  organisation!: Rel<Organisation>;

  @Property({ length: 200 })
  name!: string;

  @Property({ length: 200 })
  street!: string;

  @Property({ length: 10 })
  postalCode!: string;

  @Property({ length: 100 })
  city!: string;

  /** Stadtteil: dashboards filter by it. */
  @Property({ length: 100 })
  district!: string;

  @Property({ default: false })
  wheelchairAccessible: boolean & Opt = false;

  @Property({ type: 'text', nullable: true })
  accessibilityNote?: string;

  /** Archived locations keep their history (offers point at them) but take no new offers. */
  @Property({ default: true })
  active: boolean & Opt = true;

  @Property({ version: true, type: 'integer' })
  version!: number & Opt;
}
