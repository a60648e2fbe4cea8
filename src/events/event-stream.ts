import { Repeater, SlidingBuffer } from '@repeaterjs/repeater';
import type { EventBus, HubEvent } from './event-bus.js';

/** Events a slow subscriber may have queued; beyond that the oldest are dropped (memory stays bounded). */
export const SUBSCRIPTION_BUFFER = 100;

/**
 * The bus's events for one subscription, as the async iterator graphql-ws consumes: only those `accept`
 * keeps, in order, buffered up to SUBSCRIPTION_BUFFER; unsubscribed when the client stops.
 */
export function eventStream(
  bus: Pick<EventBus, 'subscribe'>,
  accept: (event: HubEvent) => boolean | Promise<boolean>,
): AsyncIterableIterator<HubEvent> {
  return new Repeater<HubEvent>(async (push, stop) => {
    // Decisions are made in event order, so a slow check cannot reorder deliveries.
    let chain: Promise<void> = Promise.resolve();
    const unsubscribe = bus.subscribe((event) => {
      chain = chain.then(async () => {
        if (await accept(event)) await push(event);
      });
    });
    await stop;
    unsubscribe();
  }, new SlidingBuffer(SUBSCRIPTION_BUFFER));
}
