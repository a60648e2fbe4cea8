import {
  type ExecutionResult,
  GraphQLInt,
  GraphQLObjectType,
  GraphQLSchema,
  GraphQLString,
  parse,
} from 'graphql';
import { describe, expect, it } from 'vitest';
import type { EventBus, HubEvent } from '../src/events/event-bus.js';
import { eventStream } from '../src/events/event-stream.js';
import { fanOutSubscribe } from '../src/graphql/subscription-fan-out.js';

/** A subscriber's context in this test: its class, and a fresh id per event execution. */
interface TestContext {
  viewerClass: string;
  bus: EventBus;
  execution?: number;
}

function fakeBus() {
  const listeners = new Set<(e: HubEvent) => void>();
  const bus = {
    subscribe(listener: (e: HubEvent) => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  } as unknown as EventBus;
  let id = 0;
  // One object per event, handed to every listener (as the real bus does).
  const emit = () => {
    const event: HubEvent = { id: ++id, type: 'tick', occurredAt: new Date(), payload: { n: id } };
    for (const l of [...listeners]) l(event);
  };
  return { bus, emit, listeners };
}

let executions = 0;
const Tick = new GraphQLObjectType<HubEvent, TestContext>({
  name: 'Tick',
  fields: {
    n: { type: GraphQLInt, resolve: (event) => event.payload.n as number },
    // Differs by class: what the shared result must never carry across classes.
    secret: {
      type: GraphQLString,
      resolve: (_event, _args, ctx) => (ctx.viewerClass === 'owner' ? 'owner-only' : null),
    },
    execution: { type: GraphQLInt, resolve: (_event, _args, ctx) => ctx.execution ?? null },
  },
});
const schema = new GraphQLSchema({
  query: new GraphQLObjectType({ name: 'Query', fields: { ok: { type: GraphQLInt } } }),
  subscription: new GraphQLObjectType<unknown, TestContext>({
    name: 'Subscription',
    fields: {
      tick: {
        type: Tick,
        args: { every: { type: GraphQLInt } },
        subscribe: (_root, args: { every?: number }, ctx) =>
          eventStream(ctx.bus, (e) => e.id % (args.every ?? 1) === 0),
        resolve: (event: unknown) => {
          executions++;
          return event;
        },
      },
    },
  }),
});

let nextExecution = 0;
const subscribe = fanOutSubscribe<TestContext>({
  classOf: (ctx) => ctx.viewerClass,
  forEvent: (ctx) => ({ ...ctx, execution: ++nextExecution }),
  finish: (result, ctx) => ({ ...result, extensions: { class: ctx.viewerClass } }),
});

const QUERY = 'subscription($every: Int) { tick(every: $every) { n secret execution } }';

async function subscriber(bus: EventBus, viewerClass: string, variables: Record<string, unknown> = {}) {
  const result = await subscribe({
    schema,
    document: parse(QUERY),
    contextValue: { viewerClass, bus },
    variableValues: variables,
  });
  if (!(Symbol.asyncIterator in result)) throw new Error(JSON.stringify(result));
  return result;
}

describe('subscription fan-out', () => {
  it('executes an event once per class and operation, and gives each subscriber its class’s result', async () => {
    const { bus, emit } = fakeBus();
    const owners = await Promise.all([1, 2, 3].map(() => subscriber(bus, 'owner')));
    const partners = await Promise.all([1, 2].map(() => subscriber(bus, 'partner')));
    const all = [...owners, ...partners];
    const nexts = all.map((s) => s.next()); // starts the streams
    executions = 0;
    emit();
    const results = (await Promise.all(nexts)).map((step) => step.value as ExecutionResult);
    expect(executions).toBe(2);
    for (const r of results.slice(0, 3)) {
      expect(r).toEqual({
        data: { tick: { n: 1, secret: 'owner-only', execution: expect.any(Number) } },
        extensions: { class: 'owner' },
      });
    }
    for (const r of results.slice(3)) {
      expect(r).toEqual({
        data: { tick: { n: 1, secret: null, execution: expect.any(Number) } },
        extensions: { class: 'partner' },
      });
    }
    // One execution per class, each in a context of its own.
    const ownerRun = results[0]!.data!.tick as { execution: number };
    const partnerRun = results[3]!.data!.tick as { execution: number };
    expect(
      new Set(results.slice(0, 3).map((r) => (r.data!.tick as { execution: number }).execution)),
    ).toEqual(new Set([ownerRun.execution]));
    expect(partnerRun.execution).not.toBe(ownerRun.execution);

    // The next event is executed afresh, not served from the last one.
    const second = all.map((s) => s.next());
    emit();
    const again = (await Promise.all(second)).map((step) => step.value as ExecutionResult);
    expect(executions).toBe(4);
    expect(again.map((r) => (r.data!.tick as { n: number }).n)).toEqual([2, 2, 2, 2, 2]);
    for (const s of all) await s.return(undefined);
  });

  it('shares nothing between different variables, and keeps each subscriber’s own filter', async () => {
    const { bus, emit, listeners } = fakeBus();
    const everyEvent = await subscriber(bus, 'owner', { every: 1 });
    const everySecond = await subscriber(bus, 'owner', { every: 2 });
    const a = everyEvent.next();
    const b = everySecond.next();
    executions = 0;
    emit(); // 1: only the first
    emit(); // 2: both
    expect(((await a).value as ExecutionResult).data).toMatchObject({ tick: { n: 1 } });
    expect(((await b).value as ExecutionResult).data).toMatchObject({ tick: { n: 2 } });
    expect(((await everyEvent.next()).value as ExecutionResult).data).toMatchObject({ tick: { n: 2 } });
    // Event 1 once, event 2 once per distinct variables.
    expect(executions).toBe(3);
    await everyEvent.return(undefined);
    await everySecond.return(undefined);
    expect(listeners.size).toBe(0);
  });

  it('answers errors of the subscribe step as graphql-js does, without a stream', async () => {
    const { bus } = fakeBus();
    const result = await subscribe({
      schema,
      document: parse('subscription { tick(every: "x") { n } }'),
      contextValue: { viewerClass: 'owner', bus },
    });
    expect(Symbol.asyncIterator in result).toBe(false);
    expect((result as ExecutionResult).errors?.length).toBeGreaterThan(0);
  });
});
