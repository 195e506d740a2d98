import { context, propagation, SpanStatusCode, trace, type Context, type Span, type TextMapGetter } from '@opentelemetry/api';

/**
 * Trace-context helpers over the OpenTelemetry API only (no SDK): cheap no-ops until a tracer
 * provider is registered (`startTelemetry`).
 */
export const platformTracer = trace.getTracer('@commerce/platform');

/** The W3C `traceparent` of a context's span (default: the active one), or undefined when there is none. */
export function traceparentOf(ctx: Context = context.active()): string | undefined {
  const span = trace.getSpanContext(ctx);
  if (!span || !trace.isSpanContextValid(span)) return undefined;
  const carrier: Record<string, string> = {};
  propagation.inject(ctx, carrier);
  return carrier.traceparent;
}

const headerGetter: TextMapGetter<Record<string, string | string[] | undefined>> = {
  keys: (carrier) => Object.keys(carrier),
  get: (carrier, key) => carrier[key],
};

/** The context carried by incoming HTTP headers (`traceparent`, `tracestate`, `baggage`). */
export function contextFromHeaders(headers: Record<string, string | string[] | undefined>, base: Context = context.active()): Context {
  return propagation.extract(base, headers, headerGetter);
}

/** The trace and span id of the active span, for log lines (empty when there is none). */
export function activeTraceFields(): { trace_id?: string; span_id?: string } {
  const span = trace.getActiveSpan();
  if (!span) return {};
  const sc = span.spanContext();
  if (!trace.isSpanContextValid(sc)) return {};
  return { trace_id: sc.traceId, span_id: sc.spanId };
}

/** Ends a span with an error status when `err` is given. */
export function endSpan(span: Span, err?: unknown): void {
  if (err !== undefined) {
    span.recordException(err as Error);
    span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error)?.message ?? String(err) });
  }
  span.end();
}
