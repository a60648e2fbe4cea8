import { Check, Entity, Enum, Index, ManyToOne, Opt, Property, Rel, Unique } from '@mikro-orm/core';
import { BaseEntity } from '../../db/base.entity.js';
import { GermanLevel, OfferKind } from '../../domain/enums.js';
import { FundingProgramme } from '../funding/funding-programme.entity.js';
import { Location } from '../organisation/location.entity.js';
import { Organisation } from '../organisation/organisation.entity.js';

@Entity()
@Index({ properties: ['organisation'] })
@Index({ properties: ['kind'] })
// Keyset pages ordered by title (the default ordering) read an index instead of sorting every offer.
@Index({
  name: 'offer_active_title_id_index',
  expression: 'create index "offer_active_title_id_index" on "offer" ("title", "id") where "active"',
})
@Index({
  name: 'offer_search_vector_index',
  expression: 'create index "offer_search_vector_index" on "offer" using gin ("search_vector")',
})
@Check({
  name: 'offer_cost_check',
  expression: 'cost_cents >= 0 and (cost_per_place_cents is null or cost_per_place_cents >= 0)',
})
@Unique({ name: 'offer_organisation_external_key_unique', properties: ['organisation', 'externalKey'] })
export class Offer extends BaseEntity {
  @ManyToOne(() => Organisation, { deleteRule: 'cascade' })
  organisation!: Rel<Organisation>;

  @ManyToOne(() => Location, { deleteRule: 'restrict' })
  location!: Rel<Location>;

  @Enum({ items: () => OfferKind })
  kind!: OfferKind;

  /** The partner's own key of the offer (spreadsheet import): a re-import updates, never duplicates. */
  @Property({ length: 100, nullable: true })
  externalKey?: string;

  @Property({ length: 300 })
  title!: string;

  @Property({ type: 'text' })
  description!: string;

  /** ISO 639-1 codes of the languages of instruction or counselling. */
  @Property({ type: 'text[]', defaultRaw: "'{de}'::text[]" })
  languages: string[] & Opt = ['de'];

  @Enum({ items: () => GermanLevel, default: GermanLevel.A0 })
  requiredGermanLevel: GermanLevel & Opt = GermanLevel.A0;

  /** Human-readable schedule ("Mo–Fr 8:30–12:45"); dates live in capacity periods. */
  @Property({ type: 'text', nullable: true })
  schedule?: string;

  /** Cost to the participant in cents; almost always 0. */
  @Property({ default: 0 })
  costCents: number & Opt = 0;

  /** Restricted (own organisation; coordinator sees funding). */
  @Property({ type: 'text', nullable: true })
  internalNotes?: string;

  @ManyToOne(() => FundingProgramme, { nullable: true, deleteRule: 'set null' })
  fundingProgramme?: Rel<FundingProgramme>;

  /** Restricted funding figure: what one place costs the funder, in cents. */
  @Property({ nullable: true })
  costPerPlaceCents?: number;

  /** When a place frees and cases wait, offer it to the first automatically. */
  @Property({ default: true })
  autoOfferFromWaitingList: boolean & Opt = true;

  @Property({ default: true })
  active: boolean & Opt = true;

  /** Optimistic lock: an update names the version it saw; a stale one is a CONFLICT. */
  @Property({ version: true, type: 'integer' })
  version!: number & Opt;

  /**
   * The German search document, kept by triggers from this offer, its organisation and its location
   * (Migration20261210100000): written by PostgreSQL, never by the ORM.
   */
  @Property({ type: 'tsvector', lazy: true, hidden: true, nullable: true })
  searchVector?: string;
}
