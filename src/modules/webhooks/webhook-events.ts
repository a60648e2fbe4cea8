import { OFFER_CHANGED, PLACES_CHANGED, STATISTICS_RELEASED } from '../../events/emit.js';

/** What an endpoint can be told of (GraphQL enum WebhookEvent). */
export enum WebhookEvent {
  PLACES_CHANGED = 'PLACES_CHANGED',
  OFFER_CHANGED = 'OFFER_CHANGED',
  STATISTICS_UPDATED = 'STATISTICS_UPDATED',
}

/** The outbox event type behind each webhook event, and the `type` its payload carries. */
export const WEBHOOK_EVENTS: Record<WebhookEvent, { domainType: string; payloadType: string }> = {
  [WebhookEvent.PLACES_CHANGED]: { domainType: PLACES_CHANGED, payloadType: 'places.changed' },
  [WebhookEvent.OFFER_CHANGED]: { domainType: OFFER_CHANGED, payloadType: 'offer.changed' },
  [WebhookEvent.STATISTICS_UPDATED]: { domainType: STATISTICS_RELEASED, payloadType: 'statistics.updated' },
};

export const webhookEventOf = (domainType: string): WebhookEvent | undefined =>
  (Object.keys(WEBHOOK_EVENTS) as WebhookEvent[]).find((e) => WEBHOOK_EVENTS[e].domainType === domainType);
