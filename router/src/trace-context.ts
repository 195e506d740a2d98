import { randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { requestIdFrom } from '@commerce/platform';

/** W3C trace context of one request as seen by the router. */
export interface TraceContext {
  /** 32 hex: the trace this request belongs to (the caller's, or a new one) */
  traceId: string;
  /** 16 hex: the router's own span; the parent of every subgraph fetch */
  spanId: string;
  /** the caller's span, when it sent a valid `traceparent` */
  parentSpanId?: string;
  /** 2 hex trace flags (bit 0: sampled) */
  flags: string;
}

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;

/**
 * Accepts a valid W3C `traceparent` (version 00, or a later version read as 00), else starts a
 * new trace. Malformed headers are ignored, never an error.
 */
export function traceFrom(header: string | string[] | undefined): TraceContext {
  const value = (Array.isArray(header) ? header[0] : header)?.trim().toLowerCase();
  const m = value ? TRACEPARENT.exec(value) : null;
  const spanId = randomBytes(8).toString('hex');
  if (m) {
    const [, version, traceId, parentSpanId, flags, rest] = m as unknown as [string, string, string, string, string, string | undefined];
    const valid = version !== 'ff' && !(version === '00' && rest !== undefined) && !/^0+$/.test(traceId) && !/^0+$/.test(parentSpanId);
    if (valid) return { traceId, spanId, parentSpanId, flags };
  }
  return { traceId: randomBytes(16).toString('hex'), spanId, flags: '00' };
}

/** The `traceparent` the router sends downstream: same trace, the router's span as parent. */
export function traceparentOf(trace: TraceContext): string {
  return `00-${trace.traceId}-${trace.spanId}-${trace.flags}`;
}

/** Request id and trace of an incoming request (`x-request-id` reused when safe to log). */
export function requestIdentity(headers: IncomingHttpHeaders): { requestId: string; trace: TraceContext } {
  return { requestId: requestIdFrom(headers['x-request-id']), trace: traceFrom(headers.traceparent) };
}
