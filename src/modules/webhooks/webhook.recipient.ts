import type { FanOutRecipient } from '../../events/fan-out.js';
import { WEBHOOK_EVENTS, type WebhookEvent } from './webhook-events.js';

/** A PostgreSQL array literal of values made in code (event names, bigint ids): no quoting needed. */
const arrayLiteral = (values: readonly string[]) => `{${values.join(',')}}`;

const NAMES = Object.keys(WEBHOOK_EVENTS) as WebhookEvent[];

/**
 * The webhooks' share of the event fan-out: one delivery row per event and endpoint that asked for the
 * event (not paused), written in the claiming transaction by one statement; the unique (event, endpoint)
 * key makes a second claim of the same event a no-op. Whether the organisation may see the event's
 * object is decided when the body is resolved (WebhookPayloads), through the policy.
 */
export function webhookRecipient(wake: () => void): FanOutRecipient {
  return {
    name: 'webhooks',
    types: NAMES.map((name) => WEBHOOK_EVENTS[name].domainType),
    async record(em, events) {
      await em.getConnection().execute(
        `insert into webhook_delivery (endpoint_id, organisation_id, event_id, event_type, event_payload, event_at)
         select e.id, e.organisation_id, ev.id, ev.type, ev.payload, ev.occurred_at
           from domain_event ev
           join (select unnest(?::text[]) as domain_type, unnest(?::text[]) as name) m on m.domain_type = ev.type
           join webhook_endpoint e on m.name = any(e.events) and not e.paused
          where ev.id = any(?::bigint[])
         on conflict (event_id, endpoint_id) do nothing`,
        [
          arrayLiteral(NAMES.map((name) => WEBHOOK_EVENTS[name].domainType)),
          arrayLiteral(NAMES),
          arrayLiteral(events.map((event) => event.id)),
        ],
        'run',
        em.getTransactionContext(),
      );
    },
    recorded: wake,
  };
}
