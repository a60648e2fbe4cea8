import { createSourceEventStream, type ExecutionArgs, type ExecutionResult, execute, print } from 'graphql';

export interface FanOutOptions<C> {
  /**
   * Subscribers whose contexts have the same class see the same result for the same event and the same
   * operation (document text, operation name, variables): it is computed for one of them and shared.
   */
  classOf(context: C): string;
  /** A fresh context for resolving one event: its own unit of work, loaders and policy state. */
  forEvent(context: C): C;
  /** Adds what the execution recorded in its context (e.g. redactions) to the shared result. */
  finish?(result: ExecutionResult, context: C): ExecutionResult;
}

type EventResults = Map<string, Promise<ExecutionResult>>;

/**
 * graphql's `subscribe` for graphql-ws, with the per-event execution shared: where graphql-js executes
 * the selection set once per subscriber and event (1,000 subscribers: 1,000 executions, each with its own
 * policy checks, loaders and argument validation), this executes it once per event and *execution key* —
 * operation + the subscriber's class — and hands that result to every subscriber with the same key. The
 * source stream (the subscribe resolver with its own checks and filter) stays per subscriber, so who gets
 * which event is unchanged; only identical work is done once. Results are cached per event object (the
 * bus hands the same object to every subscriber) and vanish with it.
 */
export function fanOutSubscribe<C>(
  options: FanOutOptions<C>,
): (args: ExecutionArgs) => Promise<AsyncGenerator<ExecutionResult> | ExecutionResult> {
  const byEvent = new WeakMap<object, EventResults>();
  return async (args) => {
    const source = await createSourceEventStream(args);
    if (!isAsyncIterable(source)) return source as ExecutionResult<never>;
    const subscriber = args.contextValue as C;
    const key = executionKey(args, options.classOf(subscriber));
    const run = async (event: unknown) => {
      const context = options.forEvent(subscriber);
      const result = await execute({ ...args, rootValue: event, contextValue: context });
      return options.finish ? options.finish(result, context) : result;
    };
    return mapEvents(source, (event) => {
      if (typeof event !== 'object' || event === null) return run(event);
      let results = byEvent.get(event);
      if (!results) {
        results = new Map();
        byEvent.set(event, results);
      }
      let result = results.get(key);
      if (!result) {
        result = run(event);
        results.set(key, result);
      }
      return result;
    });
  };
}

/**
 * What makes two executions of one event identical: the document as the client sent it (its text, so
 * error locations match too), the operation, the variables as sent, and the class of the viewer.
 */
function executionKey(args: ExecutionArgs, viewerClass: string): string {
  const text = args.document.loc?.source.body ?? print(args.document);
  return JSON.stringify([viewerClass, args.operationName ?? null, args.variableValues ?? null, text]);
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof Object(value)[Symbol.asyncIterator] === 'function';
}

/** graphql-js's mapAsyncIterator: the source's events mapped to results; closing it closes the source. */
function mapEvents(
  source: AsyncIterable<unknown>,
  map: (event: unknown) => Promise<ExecutionResult>,
): AsyncGenerator<ExecutionResult> {
  const iterator = source[Symbol.asyncIterator]();
  const close = async () => {
    try {
      await iterator.return?.();
    } catch {
      // Keep the original error when closing the source also fails.
    }
  };
  const mapped = async (
    step: IteratorResult<unknown>,
  ): Promise<IteratorResult<ExecutionResult, undefined>> => {
    if (step.done) return { value: undefined, done: true };
    try {
      return { value: await map(step.value), done: false };
    } catch (error) {
      await close();
      throw error;
    }
  };
  const generator: AsyncGenerator<ExecutionResult> = {
    next: async () => mapped(await iterator.next()),
    return: async () =>
      iterator.return ? mapped(await iterator.return()) : { value: undefined, done: true },
    throw: async (error: unknown) => {
      if (iterator.throw) return mapped(await iterator.throw(error));
      await close();
      throw error;
    },
    [Symbol.asyncIterator]() {
      return generator;
    },
    // biome-ignore lint/suspicious/noExplicitAny: TS 5.6+ generators also carry asyncDispose.
  } as any;
  return generator;
}
