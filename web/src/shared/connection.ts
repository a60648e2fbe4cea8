import { useEffect, useRef, useSyncExternalStore } from 'react';

/**
 * Whether the hub is reachable, as every request and live connection of the page has seen it. When one
 * fails for want of a connection, the page knocks at /healthz with growing pauses until the hub answers;
 * then everyone who asked (`useReconnect`) fetches again what may have changed in the meantime.
 */
export type ConnectionState = 'online' | 'offline';

let state: ConnectionState = 'online';
let attempt = 0;
let probeTimer: number | undefined;
const listeners = new Set<() => void>();
const reconnectListeners = new Set<() => void>();
/** Pending waits of retry loops (the live client's): cut short when the hub is back. */
const waiting = new Set<() => void>();

/** 1, 2, 4, 8, then every 15 s, with some jitter so that many open pages do not knock in step. */
export const backoffMs = (tries: number) =>
  Math.min(1_000 * 2 ** Math.min(tries, 4), 15_000) + Math.floor(Math.random() * 400);

export const connectionState = () => state;

function notify() {
  for (const listener of [...listeners]) listener();
}

/** A request or the live connection failed because the hub could not be reached. */
export function reportOffline() {
  if (state === 'offline') return;
  state = 'offline';
  attempt = 0;
  notify();
  scheduleProbe();
}

/** The hub answered (anything: even an error is an answer). */
export function reportOnline() {
  if (state === 'online') return;
  state = 'online';
  window.clearTimeout(probeTimer);
  probeTimer = undefined;
  notify();
  for (const wake of [...waiting]) wake();
  for (const listener of [...reconnectListeners]) listener();
}

async function probe() {
  try {
    const response = await fetch(new URL('/healthz', window.location.href), { cache: 'no-store' });
    if (response.ok) {
      reportOnline();
      return;
    }
  } catch {
    // still away
  }
  if (state === 'offline') {
    attempt++;
    scheduleProbe();
  }
}

function scheduleProbe() {
  window.clearTimeout(probeTimer);
  probeTimer = window.setTimeout(() => void probe(), backoffMs(attempt));
}

// The browser knows when its own network comes back: knock at once instead of waiting out the pause.
if (typeof window !== 'undefined') {
  window.addEventListener('online', () => {
    if (state === 'offline') {
      window.clearTimeout(probeTimer);
      void probe();
    }
  });
}

/** Resolves after `ms`, or as soon as the hub is known to be reachable again. */
export function waitForRetry(ms: number): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      window.clearTimeout(timer);
      waiting.delete(done);
      resolve();
    };
    const timer = window.setTimeout(done, ms);
    waiting.add(done);
  });
}

const subscribe = (listener: () => void) => {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
};

/** 'offline' while the hub cannot be reached (the page retries by itself meanwhile). */
export function useConnection(): ConnectionState {
  return useSyncExternalStore(subscribe, connectionState);
}

/** Calls `refetch` whenever the hub is reachable again after an outage (the newest `refetch`). */
export function useReconnect(refetch: () => void) {
  const latest = useRef(refetch);
  latest.current = refetch;
  useEffect(() => {
    const listener = () => latest.current();
    reconnectListeners.add(listener);
    return () => {
      reconnectListeners.delete(listener);
    };
  }, []);
}

/** For code outside React (the connection notice's "wieder verbunden"). */
export function onReconnect(listener: () => void): () => void {
  reconnectListeners.add(listener);
  return () => {
    reconnectListeners.delete(listener);
  };
}
