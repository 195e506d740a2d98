import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { currentTraceparent } from './tracing.ts';

/**
 * Every event travels in this envelope. `type` is also the NATS subject
 * (`commerce.<domain>.<event-name>.v<N>`); a breaking change is a new version, never an edit.
 */
export interface EventEnvelope<T = unknown> {
  id: string;
  type: string;
  occurredAt: string;
  aggregateId: string;
  correlationId: string;
  causationId: string | null;
  /**
   * W3C traceparent of the request (or event handler) that committed the event, written by the
   * OpenTelemetry propagator from the active span; the publish span is its child
   */
  traceparent?: string;
  data: T;
}

export const envelopeSchema = z.object({
  id: z.string().uuid(),
  type: z.string().regex(/^commerce\.[a-z-]+\.[a-z-]+\.v\d+$/),
  occurredAt: z.string().datetime(),
  aggregateId: z.string().min(1),
  correlationId: z.string().min(1),
  causationId: z.string().nullable(),
  traceparent: z.string().optional(),
  data: z.unknown(),
});

export interface EventMeta {
  aggregateId: string;
  /** the request or event this one belongs to; defaults to the event's own id */
  correlationId?: string;
  /** the event that caused this one, if any */
  causationId?: string | null;
  traceparent?: string;
  occurredAt?: Date;
}

/**
 * A new event. Its `traceparent` is the active OpenTelemetry span's context (the request or
 * event handler committing it), else `meta.traceparent`.
 */
export function makeEnvelope<T>(type: string, data: T, meta: EventMeta): EventEnvelope<T> {
  const id = randomUUID();
  const traceparent = currentTraceparent() ?? meta.traceparent;
  return {
    id,
    type,
    occurredAt: (meta.occurredAt ?? new Date()).toISOString(),
    aggregateId: meta.aggregateId,
    correlationId: meta.correlationId ?? id,
    causationId: meta.causationId ?? null,
    ...(traceparent ? { traceparent } : {}),
    data,
  };
}
