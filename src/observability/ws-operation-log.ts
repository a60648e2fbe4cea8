import { randomUUID } from 'node:crypto';
import type { WebSocket } from 'ws';
import { ErrorCode } from '../errors.js';
import type { Logger } from '../logger.js';
import type { HubMetrics } from './metrics.js';

/**
 * One log line and one duration sample per WebSocket operation, when it ends (a subscription: when it
 * is completed or its socket closes), like the HTTP request log.
 */
export class WsOperationLog {
  private readonly running = new WeakMap<
    WebSocket,
    Map<
      string,
      {
        requestId: string;
        started: number;
        name: string | null;
        type?: string;
        organisationId?: string;
        codes: Set<string>;
      }
    >
  >();

  constructor(
    private readonly logger: Logger,
    private readonly metrics: HubMetrics | undefined,
  ) {}

  start(
    socket: WebSocket,
    id: string,
    name: string | null,
    viewer: { kind: string; organisationId?: string } | undefined,
  ) {
    const operations = this.running.get(socket) ?? new Map();
    this.running.set(socket, operations);
    operations.set(id, {
      requestId: randomUUID(),
      started: performance.now(),
      name,
      organisationId: viewer?.kind === 'account' ? viewer.organisationId : undefined,
      codes: new Set(),
    });
  }

  requestIdOf(socket: WebSocket, id: string): string | undefined {
    return this.running.get(socket)?.get(id)?.requestId;
  }

  resolved(socket: WebSocket, id: string, name: string | null, type: string | undefined) {
    const operation = this.running.get(socket)?.get(id);
    if (operation) Object.assign(operation, { name, type });
  }

  codes(
    socket: WebSocket,
    id: string,
    errors: readonly { extensions?: Record<string, unknown> }[] | undefined,
  ) {
    const operation = this.running.get(socket)?.get(id);
    for (const error of errors ?? []) {
      operation?.codes.add(String(error.extensions?.code ?? ErrorCode.INTERNAL_SERVER_ERROR));
    }
  }

  end(socket: WebSocket, id: string) {
    const operations = this.running.get(socket);
    const operation = operations?.get(id);
    if (!operation) return;
    operations!.delete(id);
    const seconds = (performance.now() - operation.started) / 1000;
    const codes = [...operation.codes];
    this.metrics?.recordOperation('ws', operation.name, operation.type, seconds, codes);
    this.logger.info(
      {
        requestId: operation.requestId,
        transport: 'ws',
        operationName: operation.name,
        operationType: operation.type,
        organisationId: operation.organisationId,
        durationMs: Math.round(seconds * 10_000) / 10,
        errorCodes: codes.length > 0 ? codes : undefined,
      },
      'ws operation',
    );
  }
}
