import { describe, expect, it } from 'vitest';
import type { EventBus, HubEvent } from '../src/events/event-bus.js';
import { eventStream, SUBSCRIPTION_BUFFER } from '../src/events/event-stream.js';

/** A stand-in for the bus: only the subscribe side matters to a stream. */
function fakeBus() {
  const listeners = new Set<(e: HubEvent) => void>();
  return {
    bus: {
      subscribe(listener: (e: HubEvent) => void) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    } as unknown as EventBus,
    emit: (id: number, type = 'places.changed') => {
      for (const l of listeners) l({ id, type, occurredAt: new Date(), payload: {} });
    },
    listeners,
  };
}

const tick = () => new Promise((r) => setTimeout(r, 10));

describe('subscription streams', () => {
  it('keep only the newest events for a consumer that does not read (memory stays bounded)', async () => {
    const { bus, emit } = fakeBus();
    const stream = eventStream(bus, () => true);
    const first = stream.next(); // starts the stream
    for (let id = 1; id <= 1_000; id++) emit(id);
    await tick();
    const ids = [(await first).value.id];
    for (let i = 0; i < SUBSCRIPTION_BUFFER; i++) ids.push((await stream.next()).value.id);
    expect(ids[0]).toBe(1);
    // The rest is the newest SUBSCRIPTION_BUFFER events, in order.
    expect(ids.slice(1)).toEqual(
      Array.from({ length: SUBSCRIPTION_BUFFER }, (_, i) => 1_000 - SUBSCRIPTION_BUFFER + 1 + i),
    );
    await stream.return?.();
  });

  it('deliver accepted events in order even when the check is slow, and unsubscribe on return', async () => {
    const { bus, emit, listeners } = fakeBus();
    const stream = eventStream(bus, async (e) => {
      await new Promise((r) => setTimeout(r, e.id % 2 ? 20 : 1));
      return e.id !== 3;
    });
    const next = stream.next();
    await tick();
    for (const id of [1, 2, 3, 4]) emit(id);
    const got = [(await next).value.id, (await stream.next()).value.id, (await stream.next()).value.id];
    expect(got).toEqual([1, 2, 4]);
    expect(listeners.size).toBe(1);
    await stream.return?.();
    await tick();
    expect(listeners.size).toBe(0);
  });

  it('deliver synchronous verdicts at once, and wait behind a pending check (order stays)', async () => {
    const { bus, emit } = fakeBus();
    let release!: (ok: boolean) => void;
    const stream = eventStream(bus, (e) =>
      e.id === 2 ? new Promise<boolean>((r) => (release = r)) : e.id !== 4,
    );
    const first = stream.next();
    emit(1);
    expect((await first).value.id).toBe(1);
    emit(2); // pending
    emit(3); // decided at once, but must wait for 2
    emit(4); // refused
    emit(5);
    const next = stream.next();
    let settled = false;
    void next.then(() => (settled = true));
    await tick();
    expect(settled).toBe(false);
    release(true);
    const got = [(await next).value.id, (await stream.next()).value.id, (await stream.next()).value.id];
    expect(got).toEqual([2, 3, 5]);
    await stream.return?.();
  });

  it('end with the error of a check that fails, and stop listening', async () => {
    const { bus, emit, listeners } = fakeBus();
    const stream = eventStream(bus, (e) => {
      if (e.id === 2) return Promise.reject(new Error('check failed'));
      return true;
    });
    const first = stream.next();
    emit(1);
    expect((await first).value.id).toBe(1);
    const second = stream.next();
    emit(2);
    await expect(second).rejects.toThrow('check failed');
    expect(listeners.size).toBe(0);
    expect(await stream.next()).toEqual({ value: undefined, done: true });
  });
});
