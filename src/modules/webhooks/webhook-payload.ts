import { randomUUID } from 'node:crypto';
import { type DocumentNode, execute, type GraphQLSchema, parse, validate } from 'graphql';
import { LRUCache } from 'lru-cache';
import { leastPrivilegedMemberOf } from '../../auth/delivery-viewer.js';
import type { Context, ContextDeps } from '../../context.js';
import { ErrorCode } from '../../errors.js';
import type { OfferChanged, PlacesChanged, StatisticsReleased } from '../../events/emit.js';
import { toGlobalId } from '../../graphql/global-id.js';
import { WEBHOOK_EVENTS, WebhookEvent, webhookEventOf } from './webhook-events.js';

/** What a places webhook tells: the period and its offer, as the organisation's members read them. */
const PLACES = parse(`query WebhookPlaces($id: ID!) {
  node(id: $id) {
    ... on CapacityPeriod {
      id label startsOn endsOn total available availability
      offer { id title kind organisation { id name } }
    }
  }
}`);

/** What an offer webhook tells: the offer's public face and its places band. */
const OFFER = parse(`query WebhookOffer($id: ID!) {
  offer(id: $id) {
    id title kind description active availability requiredGermanLevel
    organisation { id name }
    location { id name city district }
  }
}`);

export interface DeliveryEvent {
  /** domain_event.id */
  eventId: string;
  organisationId: string;
  eventType: string;
  eventPayload: Record<string, unknown>;
  eventAt: Date;
}

/**
 * Webhook bodies, resolved through the hub's own schema — every field through the policy — as the
 * least-privileged member of the endpoint's organisation (never as the editor who registered it), so a
 * partner's system learns what any of its accounts could read, and nothing else. Undefined: the event's
 * object is not visible to the organisation (or gone), and nothing is sent.
 */
export class WebhookPayloads {
  /**
   * One resolution per event and organisation: its endpoints (often several, a hundred in the benchmark)
   * get the same bytes, as they are resolved for the same viewer. Kept briefly; bodies are stored anyway.
   */
  private readonly resolved = new LRUCache<string, Promise<string | undefined>>({ max: 1_000, ttl: 60_000 });

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly deps: ContextDeps,
  ) {
    for (const document of [PLACES, OFFER]) {
      const errors = validate(schema, document);
      if (errors.length) throw new Error(`webhook document does not match the schema: ${errors[0]!.message}`);
    }
  }

  body(event: DeliveryEvent): Promise<string | undefined> {
    const key = `${event.eventId}:${event.organisationId}`;
    let body = this.resolved.get(key);
    if (!body) {
      body = this.resolve(event);
      this.resolved.set(key, body);
      // A failure is not kept: the next attempt resolves again.
      body.catch(() => this.resolved.delete(key));
    }
    return body;
  }

  private async resolve(event: DeliveryEvent): Promise<string | undefined> {
    const name = webhookEventOf(event.eventType);
    if (!name) return undefined;
    const data = await this.data(name, event);
    if (!data) return undefined;
    return JSON.stringify({
      type: WEBHOOK_EVENTS[name].payloadType,
      timestamp: event.eventAt.toISOString(),
      data,
    });
  }

  private async data(name: WebhookEvent, event: DeliveryEvent): Promise<Record<string, unknown> | undefined> {
    switch (name) {
      case WebhookEvent.PLACES_CHANGED: {
        const payload = event.eventPayload as unknown as PlacesChanged;
        const period = await this.run(event.organisationId, PLACES, 'node', {
          id: toGlobalId('CapacityPeriod', payload.capacityPeriodId),
        });
        if (!period) return undefined;
        // The earlier count is as confidential as the current one: only where that was readable.
        const previous =
          typeof period.available === 'number' ? { previousAvailable: payload.previousAvailable } : {};
        return { reason: payload.reason, ...previous, capacityPeriod: period };
      }
      case WebhookEvent.OFFER_CHANGED: {
        const payload = event.eventPayload as unknown as OfferChanged;
        const offer = await this.run(event.organisationId, OFFER, 'offer', {
          id: toGlobalId('Offer', payload.offerId),
        });
        return offer ? { change: payload.change, offer } : undefined;
      }
      case WebhookEvent.STATISTICS_UPDATED: {
        // Which release, not its figures: those are asked for by audience (caseStatistics).
        const { year, asOf, final } = event.eventPayload as unknown as StatisticsReleased;
        return { year, asOf, final };
      }
    }
  }

  private async run(
    organisationId: string,
    document: DocumentNode,
    root: string,
    variables: Record<string, unknown>,
  ): Promise<Record<string, unknown> | undefined> {
    const viewer = leastPrivilegedMemberOf(organisationId);
    const em = this.deps.orm.em.fork();
    const context: Context = {
      requestId: randomUUID(),
      em,
      ...this.deps.scope(em, viewer),
      viewer,
      clientAddress: 'webhook',
      deps: this.deps,
    };
    const result = await execute({
      schema: this.schema,
      document,
      contextValue: context,
      variableValues: variables,
    });
    if (result.errors?.length) {
      // Unknown and hidden answer alike: not this organisation's to be told of.
      if (result.errors.every((e) => e.extensions?.code === ErrorCode.NOT_FOUND)) return undefined;
      throw new Error(`webhook payload could not be resolved: ${result.errors[0]!.message}`);
    }
    return (result.data?.[root] as Record<string, unknown> | null) ?? undefined;
  }
}
