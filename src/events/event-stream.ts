import type { EventBus, HubEvent } from './event-bus.js';

/** Events a slow subscriber may have queued; beyond that the oldest are dropped (memory stays bounded). */
export const SUBSCRIPTION_BUFFER = 100;

/**
 * The bus's events for one subscription, as the async iterator graphql-ws consumes: only those `accept`
 * keeps, in order, buffered up to SUBSCRIPTION_BUFFER (the oldest dropped first); listening starts with
 * the first `next()` and ends with `return()`. A check that fails ends the stream with its error.
 *
 * A plain queue rather than a general-purpose repeater: with 1,000 subscribers every event passes through
 * 1,000 of these, so a synchronous verdict is applied synchronously and an event costs no promise unless
 * a check is still pending (then decisions wait for it, so a slow check cannot reorder deliveries).
 */
export function eventStream(
  bus: Pick<EventBus, 'subscribe'>,
  accept: (event: HubEvent) => boolean | Promise<boolean>,
): AsyncIterableIterator<HubEvent> {
  const queue: HubEvent[] = [];
  let waiting:
    | { resolve: (step: IteratorResult<HubEvent>) => void; reject: (e: unknown) => void }
    | undefined;
  let unsubscribe: (() => void) | undefined;
  let started = false;
  let finished = false;
  let failure: { error: unknown } | undefined;
  /** The newest decision still pending; later events wait for it. */
  let pending: Promise<void> | undefined;

  const deliver = (event: HubEvent) => {
    if (finished) return;
    if (waiting) {
      const consumer = waiting;
      waiting = undefined;
      consumer.resolve({ value: event, done: false });
      return;
    }
    queue.push(event);
    if (queue.length > SUBSCRIPTION_BUFFER) queue.shift();
  };
  const fail = (error: unknown) => {
    if (finished) return;
    stop();
    if (waiting) {
      const consumer = waiting;
      waiting = undefined;
      consumer.reject(error);
    } else {
      // For the next `next()`, after what is queued: reported once, then the stream is done.
      failure = { error };
    }
  };
  const stop = () => {
    finished = true;
    pending = undefined;
    unsubscribe?.();
    unsubscribe = undefined;
  };
  const listener = (event: HubEvent) => {
    if (finished) return;
    let verdict: boolean | Promise<boolean>;
    try {
      verdict = accept(event);
    } catch (error) {
      fail(error);
      return;
    }
    if (pending === undefined && typeof verdict === 'boolean') {
      if (verdict) deliver(event);
      return;
    }
    // Handled below, perhaps only after earlier decisions: not an unhandled rejection meanwhile.
    if (typeof verdict !== 'boolean') verdict.catch(() => undefined);
    const decided: Promise<void> = (pending ?? Promise.resolve())
      .then(() => verdict)
      .then((ok) => {
        if (pending === decided) pending = undefined;
        if (ok) deliver(event);
      }, fail);
    pending = decided;
  };

  const iterator: AsyncIterableIterator<HubEvent> = {
    next() {
      if (!started) {
        started = true;
        unsubscribe = bus.subscribe(listener);
      }
      const event = queue.shift();
      if (event) return Promise.resolve({ value: event, done: false });
      if (failure) {
        const { error } = failure;
        failure = undefined;
        return Promise.reject(error);
      }
      if (finished) return Promise.resolve({ value: undefined, done: true });
      return new Promise((resolve, reject) => {
        waiting = { resolve, reject };
      });
    },
    return() {
      stop();
      queue.length = 0;
      waiting?.resolve({ value: undefined, done: true });
      waiting = undefined;
      return Promise.resolve({ value: undefined, done: true });
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}
