import { describe, expect, it } from 'vitest';
import { requestIdentity, traceFrom, traceparentOf } from '../src/trace-context.ts';

describe('trace context', () => {
  it('continues a valid traceparent with a new router span', () => {
    const t = traceFrom('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01');
    expect(t).toMatchObject({ traceId: '4bf92f3577b34da6a3ce929d0e0e4736', parentSpanId: '00f067aa0ba902b7', flags: '01' });
    expect(t.spanId).toMatch(/^[0-9a-f]{16}$/);
    expect(traceparentOf(t)).toBe(`00-4bf92f3577b34da6a3ce929d0e0e4736-${t.spanId}-01`);
  });

  it.each([
    ['missing', undefined],
    ['garbage', 'hello'],
    ['all-zero trace id', '00-00000000000000000000000000000000-00f067aa0ba902b7-01'],
    ['all-zero parent', '00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01'],
    ['version ff', 'ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'],
    ['extra fields on version 00', '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra'],
  ])('starts a new trace for a %s header', (_label, header) => {
    const t = traceFrom(header);
    expect(t.parentSpanId).toBeUndefined();
    expect(t.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(t.traceId).not.toBe('4bf92f3577b34da6a3ce929d0e0e4736');
  });

  it('accepts a later version, read as version 00', () => {
    expect(traceFrom('01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-more').traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
  });

  it('reuses a safe x-request-id and replaces an unsafe one', () => {
    expect(requestIdentity({ 'x-request-id': 'abc-123' }).requestId).toBe('abc-123');
    expect(requestIdentity({ 'x-request-id': 'bad id\nwith newline' }).requestId).toMatch(/^[0-9a-f-]{36}$/);
  });
});
