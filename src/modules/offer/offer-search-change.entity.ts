import { Entity, Opt, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * The change counter of the offer search (see search/cache.ts): statement triggers on offer, location,
 * organisation and eligibility_rule add one row per writing transaction (keyed by its id, so concurrent
 * writers never wait for each other), and `sum(weight)` read in the same snapshot as a search says which
 * committed state of those tables the search saw. Old rows are folded into one row of the same total.
 * Written by the database only; no code creates these rows.
 */
@Entity()
export class OfferSearchChange {
  /** txid_current() of the writing transaction (64-bit, never reused), or of the folding one. */
  @PrimaryKey({ type: 'bigint', autoincrement: false })
  txid!: string;

  @Property({ type: 'bigint', default: 1 })
  weight!: string & Opt;
}
