import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Context, type Span, type TextMapGetter, type TextMapSetter } from '@opentelemetry/api';
import type { MsgHdrs } from '@nats-io/nats-core';

/**
 * OpenTelemetry context across NATS (API only; a no-op until the process registers a tracer
 * provider, see `startTelemetry` in @commerce/platform):
 *
 * - an event's envelope `traceparent` is written by the W3C propagator when the event is made
 *   (`makeEnvelope`): the context of the request or event handler that commits it. The outbox
 *   relay publishes later, outside that request, so the stored value is what links the publish;
 * - `publish` is a PRODUCER span, child of that stored context, and injects its own context into
 *   the message headers (`traceparent`, `tracestate`);
 * - a consumer extracts the headers (else the envelope's `traceparent`) and handles each message
 *   in a CONSUMER span, child of the publish span; what the handler commits carries that span on.
 */
export const eventsTracer = trace.getTracer('@commerce/events');

const TRACEPARENT = /^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;

const headerSetter: TextMapSetter<MsgHdrs> = { set: (h, key, value) => h.set(key, value) };
const headerGetter: TextMapGetter<MsgHdrs> = {
  keys: (h) => h.keys(),
  get: (h, key) => (h.has(key) ? h.get(key) : undefined),
};
const recordGetter: TextMapGetter<Record<string, string>> = { keys: (c) => Object.keys(c), get: (c, k) => c[k] };

/** The W3C `traceparent` of the active context, written into an envelope (none without a valid span). */
export function currentTraceparent(): string | undefined {
  const ctx = context.active();
  const sc = trace.getSpanContext(ctx);
  if (!sc || !trace.isSpanContextValid(sc)) return undefined;
  const carrier: Record<string, string> = {};
  propagation.inject(ctx, carrier);
  return carrier.traceparent;
}

/** The context a stored `traceparent` names (ROOT when none or malformed). */
export function contextOfTraceparent(traceparent: string | undefined): Context {
  if (!traceparent || !TRACEPARENT.test(traceparent)) return ROOT_CONTEXT;
  return propagation.extract(ROOT_CONTEXT, { traceparent }, recordGetter);
}

const messagingAttributes = (subject: string, eventId: string, eventType: string) => ({
  'messaging.system': 'nats',
  'messaging.destination.name': subject,
  'messaging.message.id': eventId,
  'commerce.event.type': eventType,
});

/**
 * Runs a publish in a PRODUCER span (parent: the envelope's `traceparent`, else the active
 * context) and fills `headers` with the span's context.
 */
export async function tracedPublish<T>(subject: string, event: { id: string; type: string; traceparent?: string | undefined }, headers: MsgHdrs, publish: () => Promise<T>): Promise<T> {
  const parent = event.traceparent ? contextOfTraceparent(event.traceparent) : context.active();
  const span = eventsTracer.startSpan(`publish ${event.type}`, { kind: SpanKind.PRODUCER, attributes: { ...messagingAttributes(subject, event.id, event.type), 'messaging.operation.type': 'send' } }, parent);
  const ctx = trace.setSpan(parent, span);
  propagation.inject(ctx, headers, headerSetter);
  try {
    const out = await context.with(ctx, publish);
    span.end();
    return out;
  } catch (err) {
    endWithError(span, err);
    throw err;
  }
}

/**
 * Handles one consumed message in a CONSUMER span whose parent is the publish span (from the
 * message headers; an envelope `traceparent` when the message has none, e.g. a replayed letter).
 */
export async function tracedConsume<T>(
  msg: { subject: string; headers?: MsgHdrs | undefined } | null,
  event: { id: string; type: string; traceparent?: string | undefined },
  attrs: { consumer: string; durable: string; service?: string | undefined },
  handle: () => Promise<T>,
): Promise<T> {
  let parent = msg?.headers ? propagation.extract(ROOT_CONTEXT, msg.headers, headerGetter) : ROOT_CONTEXT;
  if (!trace.getSpanContext(parent)) parent = contextOfTraceparent(event.traceparent);
  const span = eventsTracer.startSpan(
    `process ${event.type}`,
    {
      kind: SpanKind.CONSUMER,
      attributes: {
        ...messagingAttributes(msg?.subject ?? event.type, event.id, event.type),
        'messaging.operation.type': 'process',
        'messaging.consumer.group.name': attrs.durable,
        'commerce.consumer': attrs.consumer,
        ...(attrs.service ? { 'commerce.service': attrs.service } : {}),
      },
    },
    parent,
  );
  try {
    const out = await context.with(trace.setSpan(parent, span), handle);
    span.end();
    return out;
  } catch (err) {
    endWithError(span, err);
    throw err;
  }
}

function endWithError(span: Span, err: unknown): void {
  span.recordException(err as Error);
  span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error)?.message ?? String(err) });
  span.end();
}
