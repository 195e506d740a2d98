import { describe, expect, it } from 'vitest';
import { deadLetterNotice, deadLetterNoticeMsgId, noticeError, type DeadLetter } from '../src/index.ts';
import { EventDeadLettered } from '../src/contracts/index.ts';

const letter = (payload: unknown, over: Partial<DeadLetter> = {}): DeadLetter => ({
  _id: 'svc_c--orders-order-placed-v1:e1',
  consumer: 'svc_c--orders-order-placed-v1',
  subject: 'commerce.orders.order-placed.v1',
  eventId: 'e1',
  payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
  error: 'boom',
  attempts: 5,
  parkedAt: new Date('2026-12-06T10:00:00.000Z'),
  status: 'parked',
  ...over,
});

describe('deadLetterNotice', () => {
  it('takes orderId from data.orderId, else an ord_ aggregateId, else null', () => {
    const orderOf = (payload: unknown) => deadLetterNotice(letter(payload), 'commerce.orders.order-placed.v1')!.data.orderId;
    expect(orderOf({ aggregateId: 'ord_agg', data: { orderId: 'ord_data' } })).toBe('ord_data');
    expect(orderOf({ aggregateId: 'ord_agg', data: { orderId: 42 } })).toBe('ord_agg');
    expect(orderOf({ aggregateId: 'ord_agg', data: 'x' })).toBe('ord_agg');
    expect(orderOf({ aggregateId: 'pay_1', data: {} })).toBeNull();
    expect(orderOf({ aggregateId: 7 })).toBeNull();
    expect(orderOf('not json')).toBeNull();
    expect(orderOf([1, 2])).toBeNull();
  });

  it('is a valid EventDeadLettered', () => {
    const notice = deadLetterNotice(letter({ id: 'e1', aggregateId: 'ord_1', correlationId: 'req-1', traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01', data: {} }), 'commerce.orders.order-placed.v1')!;
    expect(EventDeadLettered.parse(JSON.parse(JSON.stringify(notice)))).toEqual(notice);
    expect(notice).toMatchObject({ aggregateId: 'svc_c--orders-order-placed-v1:e1', causationId: 'e1', correlationId: 'req-1', occurredAt: '2026-12-06T10:00:00.000Z' });
    expect(notice.traceparent).toBe('00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01');
    // a traceparent that is not one never reaches a header
    expect(deadLetterNotice(letter({ traceparent: 'x\r\nEvil: 1' }), 't')!.traceparent).toBeUndefined();
  });

  it('is null for a parked notice, by subject or by payload type', () => {
    expect(deadLetterNotice(letter({ type: 'commerce.orders.order-placed.v1' }), EventDeadLettered.type)).toBeNull();
    expect(deadLetterNotice(letter({ type: EventDeadLettered.type }), 'commerce.platform.other.v1')).toBeNull();
  });
});

describe('noticeError', () => {
  it('keeps a short message as one line', () => {
    expect(noticeError('contract violation:\n  [ "n" ]')).toBe('contract violation: [ "n" ]');
  });
  it('masks credentials in URLs', () => {
    expect(noticeError('connect to nats://user:pw@10.0.0.1:4222 and postgres://a:b@db/x failed')).toBe('connect to nats://***@10.0.0.1:4222 and postgres://***@db/x failed');
  });
  it('caps at 500 characters without splitting a surrogate pair', () => {
    expect(noticeError('x'.repeat(2000))).toHaveLength(500);
    expect(noticeError('x'.repeat(500))).toHaveLength(500);
    const emoji = noticeError(`${'x'.repeat(498)}😀😀😀`);
    expect(emoji.length).toBeLessThanOrEqual(500);
    expect(emoji.endsWith('x…')).toBe(true);
  });
});

describe('deadLetterNoticeMsgId', () => {
  it('is dl:<durable>:<event id>, with an event id that cannot break a header hashed', () => {
    expect(deadLetterNoticeMsgId('svc_c--x', '4b0e7f52-2f6f-4b8e-9d43-1c1f0c5e8a10')).toBe('dl:svc_c--x:4b0e7f52-2f6f-4b8e-9d43-1c1f0c5e8a10');
    expect(deadLetterNoticeMsgId('svc_c--x', 'seq-12')).toBe('dl:svc_c--x:seq-12');
    const odd = deadLetterNoticeMsgId('svc_c--x', 'a\r\nNats-Msg-Id: b');
    expect(odd).toMatch(/^dl:svc_c--x:h-[0-9a-f]{32}$/);
    expect(deadLetterNoticeMsgId('svc_c--x', 'a\r\nNats-Msg-Id: b')).toBe(odd);
  });
});
