import type { EntityManager } from '@mikro-orm/postgresql';
import { DomainEvent } from './domain-event.entity.js';

export const PLACES_CHANGED = 'places.changed';
export const STATISTICS_CHANGED = 'statistics.changed';
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
