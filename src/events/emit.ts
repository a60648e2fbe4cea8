import type { EntityManager } from '@mikro-orm/postgresql';
import { DomainEvent } from './domain-event.entity.js';

export const PLACES_CHANGED = 'places.changed';
export const STATISTICS_CHANGED = 'statistics.changed';
/** An offer was created, changed or archived (the offer write path, offer.writer.ts). */
export const OFFER_CHANGED = 'offer.changed';
/** A statistics release was cut: figures changed for everyone at once (once per release, not per case). */
export const STATISTICS_RELEASED = 'statistics.released';

export interface OfferChanged {
  offerId: string;
  organisationId: string;
  change: 'created' | 'updated' | 'archived';
}

export interface StatisticsReleased {
  releaseId: number;
  year: number;
  asOf: string;
  final: boolean;
}
/**
 * What authenticate checks changed (Migration20261212100000's triggers write these, never the code):
 * one account, or every account of one organisation.
 */
export const ACCOUNT_ACCESS_CHANGED = 'account.access_changed';

export type AccountAccessChanged = { accountId: string } | { organisationId: string };

export interface PlacesChanged {
  capacityPeriodId: string;
  offerId: string;
  organisationId: string;
  total: number;
  occupied: number;
  reserved: number;
  available: number;
  /** available before the change: subscribers care about rises (a place became free). */
  previousAvailable: number;
  reason: string;
}

/** Adds an event to the caller's transaction (flushed with it; never sent for a rolled-back change). */
export function emitEvent(em: EntityManager, type: string, payload: object): void {
  em.create(DomainEvent, { type, payload: { ...payload } });
}
