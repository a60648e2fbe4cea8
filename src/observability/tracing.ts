import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApolloServerPlugin } from '@apollo/server';
import { context, type Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, SimpleSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';

/**
 * OpenTelemetry traces: one span per HTTP request, one per GraphQL operation, one per PostgreSQL
 * statement. This module is imported only when tracing is configured (main.ts), and before anything that
 * loads `pg` or serves HTTP: the instrumentations patch those modules as they are first required, so a
 * hub without OTEL_EXPORTER_OTLP_ENDPOINT loads no OpenTelemetry code at all.
 */

/** Span attribute with the request id of the request's log line (and X-Request-Id). */
export const REQUEST_ID_ATTRIBUTE = 'hub.request_id';

export interface TracingOptions {
  serviceName: string;
  /** Tests pass an in-memory exporter; otherwise OTLP over HTTP (protobuf), configured by OTEL_* variables. */
  exporter?: SpanExporter;
}

export interface Tracing {
  /** The Apollo plugin that opens the GraphQL operation span. */
  apolloPlugin: ApolloServerPlugin<{ requestId?: string }>;
  /** Sends what is still buffered and stops. */
  shutdown(): Promise<void>;
}

// Probes and scrapes would be most of the traces and say nothing about what users do.
const UNTRACED_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

export function startTracing(options: TracingOptions): Tracing {
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: options.serviceName }),
    spanProcessors: [
      options.exporter
        ? new SimpleSpanProcessor(options.exporter)
        : // The exporter reads OTEL_EXPORTER_OTLP_ENDPOINT (and _HEADERS, _TIMEOUT) itself.
          new BatchSpanProcessor(new OTLPTraceExporter()),
    ],
  });
  // Also installs the AsyncLocalStorage context manager and W3C trace-context propagation.
  provider.register();
  const unregister = registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (request) => UNTRACED_PATHS.has((request.url ?? '').split('?')[0]!),
        // The hub's own outgoing HTTP is the JWKS fetch and the exporter itself; tracing the export would
        // produce a span per export.
        ignoreOutgoingRequestHook: () => true,
        // The request id is chosen by the request logger after the span starts; it is on the response.
        applyCustomAttributesOnSpan: (span, _request, response) => {
          const id = (response as ServerResponse).getHeader?.('x-request-id');
          if (typeof id === 'string') span.setAttribute(REQUEST_ID_ATTRIBUTE, id);
        },
        startIncomingSpanHook: (request: IncomingMessage) => ({
          'http.route': (request.url ?? '').split('?')[0]!,
        }),
      }),
      // Statement text only (no values); one span per statement, none for the pool's connects.
      new PgInstrumentation({ enhancedDatabaseReporting: false, ignoreConnectSpans: true }),
    ],
  });
  const tracer = provider.getTracer('buendnis-hub');

  return {
    apolloPlugin: {
      async requestDidStart(request) {
        let span: Span | undefined;
        return {
          async didResolveOperation({ operation, operationName }) {
            const type = operation?.operation ?? 'query';
            span = tracer.startSpan(
              operationName ? `${type} ${operationName}` : type,
              {
                kind: SpanKind.INTERNAL,
                attributes: {
                  'graphql.operation.type': type,
                  ...(operationName ? { 'graphql.operation.name': operationName } : {}),
                  ...(request.contextValue.requestId
                    ? { [REQUEST_ID_ATTRIBUTE]: request.contextValue.requestId }
                    : {}),
                },
              },
              context.active(),
            );
          },
          async willSendResponse({ errors }) {
            if (!span) return;
            if (errors?.length) {
              span.setStatus({ code: SpanStatusCode.ERROR, message: errors[0]?.message });
            }
            span.end();
          },
        };
      },
    },
    async shutdown() {
      unregister();
      await provider.shutdown();
      trace.disable();
    },
  };
}
