import { describe, expect, it } from 'vitest';
import {
  bucketCount,
  bucketsOverlapping,
  checkSeriesWindow,
  checkWindow,
  daysOverlapping,
  epochHour,
  epochMinute,
  HOUR_MS,
  MINUTE_MS,
  trendingHours,
  uniqueSources,
} from '../src/domain/buckets.ts';
import { countsFromHash, countsToHash, emptyUniques, funnelRates, seriesValue, trendingScore } from '../src/domain/counts.ts';
import { cartLineFacts, clientFactKey, interactionFacts, orderCancelledFacts, orderConfirmedFacts } from '../src/domain/facts.ts';
import { groupBySession, validateInteractions, type InteractionInput } from '../src/domain/validation.ts';

const NOW = new Date('2026-12-06T12:30:00.000Z');
const view = (over: Partial<InteractionInput> = {}): InteractionInput => ({ eventId: 'e1', sessionId: 's1', type: 'PRODUCT_VIEWED', productId: 'prod_1', ...over });

describe('trackEvents validation', () => {
  it('accepts valid events and normalises them (occurredAt defaults to now, foreign fields dropped)', () => {
    const r = validateInteractions([view({ query: 'ignored' }), { eventId: 'e2', sessionId: 's1', type: 'SEARCH_PERFORMED', query: '  shoes ' }], NOW);
    expect(r.errors).toEqual([]);
    expect(r.valid[0]).toEqual({ eventId: 'e1', sessionId: 's1', type: 'PRODUCT_VIEWED', productId: 'prod_1', productIds: [], query: null, slot: null, strategy: null, occurredAt: NOW.toISOString() });
    expect(r.valid[1]!.query).toBe('shoes');
  });

  it('reports each invalid event on its own path and keeps the valid ones', () => {
    const r = validateInteractions(
      [
        view(),
        view({ eventId: 'e2', productId: null }),
        { eventId: 'e3', sessionId: 's1', type: 'SEARCH_PERFORMED', query: 'x'.repeat(201) },
        { eventId: 'e4', sessionId: 's1', type: 'RECOMMENDATION_SHOWN', productIds: ['prod_1'], slot: 'home page!' },
        view({ eventId: 'e5', occurredAt: new Date(NOW.getTime() - 25 * HOUR_MS).toISOString() }),
        view({ eventId: 'e6', occurredAt: new Date(NOW.getTime() + 10 * MINUTE_MS).toISOString() }),
        view({ eventId: 'bad id with spaces', sessionId: 'x'.repeat(101) }),
        { eventId: 'e8', sessionId: 's1', type: 'RECOMMENDATION_CLICKED', productId: 'prod_2' },
        { eventId: 'e9', sessionId: 's1', type: 'RECOMMENDATION_SHOWN', productIds: [], slot: 'home' },
      ],
      NOW,
    );
    expect(r.valid.map((v) => v.eventId)).toEqual(['e1']);
    expect(r.errors.map((e) => [e.field, e.code])).toEqual([
      [['events', '1', 'productId'], 'PRODUCT_REQUIRED'],
      [['events', '2', 'query'], 'QUERY_TOO_LONG'],
      [['events', '3', 'slot'], 'INVALID_SLOT'],
      [['events', '4', 'occurredAt'], 'OCCURRED_AT_TOO_OLD'],
      [['events', '5', 'occurredAt'], 'OCCURRED_AT_IN_FUTURE'],
      [['events', '6', 'eventId'], 'INVALID_EVENT_ID'],
      [['events', '6', 'sessionId'], 'INVALID_SESSION_ID'],
      [['events', '7', 'slot'], 'SLOT_REQUIRED'],
      [['events', '8', 'productIds'], 'PRODUCTS_REQUIRED'],
    ]);
  });

  it('accepts the edges of the time window', () => {
    const r = validateInteractions(
      [view({ occurredAt: new Date(NOW.getTime() - 24 * HOUR_MS + 1000).toISOString() }), view({ eventId: 'e2', occurredAt: new Date(NOW.getTime() + 5 * MINUTE_MS).toISOString() })],
      NOW,
    );
    expect(r.errors).toEqual([]);
  });

  it('rejects more than 100 events as a whole', () => {
    const r = validateInteractions(
      Array.from({ length: 101 }, (_, i) => view({ eventId: `e${i}` })),
      NOW,
    );
    expect(r.valid).toEqual([]);
    expect(r.errors).toEqual([{ code: 'TOO_MANY_EVENTS', field: ['events'], message: expect.any(String) }]);
    expect(validateInteractions(Array.from({ length: 100 }, (_, i) => view({ eventId: `e${i}` })), NOW).valid).toHaveLength(100);
  });

  it('groups by session in order of first appearance', () => {
    const { valid } = validateInteractions([view({ sessionId: 'b' }), view({ eventId: 'e2', sessionId: 'a' }), view({ eventId: 'e3', sessionId: 'b' })], NOW);
    expect([...groupBySession(valid)].map(([s, items]) => [s, items.map((i) => i.eventId)])).toEqual([
      ['b', ['e1', 'e3']],
      ['a', ['e2']],
    ]);
  });
});

describe('buckets and windows', () => {
  it('numbers minutes and hours from the epoch (UTC)', () => {
    expect(epochMinute(NOW)).toBe(NOW.getTime() / MINUTE_MS);
    expect(epochHour(NOW)).toBe(Math.floor(NOW.getTime() / HOUR_MS));
  });

  it('covers every bucket overlapping [from, to)', () => {
    const from = Date.parse('2026-12-06T10:00:30Z');
    const to = Date.parse('2026-12-06T10:03:00Z');
    expect(bucketsOverlapping('MINUTE', from, to).map((m) => new Date(m * MINUTE_MS).toISOString())).toEqual(['2026-12-06T10:00:00.000Z', '2026-12-06T10:01:00.000Z', '2026-12-06T10:02:00.000Z']);
    expect(bucketCount('HOUR', from, to)).toBe(1);
    expect(bucketCount('MINUTE', Date.parse('2026-12-06T00:00:00Z'), Date.parse('2026-12-07T00:00:00Z'))).toBe(1440);
  });

  it('allows at most 1440 points and a window forwards in time', () => {
    const day = Date.parse('2026-12-06T00:00:00Z');
    expect(checkSeriesWindow('MINUTE', day, day + 1440 * MINUTE_MS).ok).toBe(true);
    expect(checkSeriesWindow('MINUTE', day, day + 1440 * MINUTE_MS + 1).ok).toBe(false);
    expect(checkSeriesWindow('HOUR', day, day + 60 * 24 * HOUR_MS).ok).toBe(true);
    expect(checkSeriesWindow('HOUR', day, day).ok).toBe(false);
    expect(checkWindow(day, day + 93 * 24 * HOUR_MS).ok).toBe(false);
  });

  it('reads whole hours by their hour sketch and the edges by minute (or by hour, once minutes are gone)', () => {
    const from = Date.parse('2026-12-06T10:58:00Z');
    const to = Date.parse('2026-12-06T13:01:00Z');
    const s = uniqueSources(from, to, 0);
    expect(s.hours.map((h) => new Date(h * HOUR_MS).toISOString())).toEqual(['2026-12-06T11:00:00.000Z', '2026-12-06T12:00:00.000Z']);
    expect(s.minutes.map((m) => new Date(m * MINUTE_MS).toISOString().slice(11, 16))).toEqual(['10:58', '10:59', '13:00']);
    const coarse = uniqueSources(from, to, epochMinute(Date.parse('2026-12-06T12:00:00Z')));
    expect(coarse.minutes.map((m) => new Date(m * MINUTE_MS).toISOString().slice(11, 16))).toEqual(['13:00']);
    expect(coarse.hours).toHaveLength(3);
  });

  it('compares the last 60 minutes with the 24 hours before them', () => {
    const t = trendingHours(NOW.getTime());
    expect(t.current).toBe(epochHour(NOW));
    expect(t.previousWeight).toBe(0.5);
    expect(t.baseline).toHaveLength(24);
    expect(t.baseline[23]).toBe(t.current - 2);
  });

  it('lists the UTC days of a window', () => {
    expect(daysOverlapping(Date.parse('2026-12-05T23:00:00Z'), Date.parse('2026-12-07T00:00:00Z'))).toHaveLength(2);
  });
});

describe('figures', () => {
  it('scores trending with smoothing', () => {
    expect(trendingScore(0, 0)).toBe(1);
    expect(trendingScore(9, 0)).toBe(10);
    expect(trendingScore(9, 4)).toBe(2);
    expect(trendingScore(2, 9)).toBeLessThan(1);
  });

  it('gives funnel rates, null where nobody reached the stage before', () => {
    expect(funnelRates({ viewed: 10, addedToCart: 4, ordered: 1 })).toEqual({ viewToCart: 0.4, cartToOrder: 0.25, viewToOrder: 0.1 });
    expect(funnelRates({ viewed: 0, addedToCart: 0, ordered: 0 })).toEqual({ viewToCart: null, cartToOrder: null, viewToOrder: null });
  });

  it('reads hashes and computes point values', () => {
    const c = countsFromHash({ views: '10', orders: '2', 'revenue:USD': '2599', 'revenue:JPY': '1200', recImpressions: '4', recClicks: '1', junk: 'x' });
    expect(countsToHash(c)).toEqual({ views: '10', orders: '2', recImpressions: '4', recClicks: '1', 'revenue:USD': '2599', 'revenue:JPY': '1200' });
    expect(seriesValue('REVENUE', c, emptyUniques(), 'USD')).toBeCloseTo(25.99);
    expect(seriesValue('REVENUE', c, emptyUniques(), 'JPY')).toBe(1200);
    expect(seriesValue('RECOMMENDATION_CTR', c, emptyUniques())).toBe(0.25);
    expect(seriesValue('CONVERSION', c, { viewed: 4, addedToCart: 2, ordered: 1 })).toBe(0.25);
    expect(seriesValue('CONVERSION', c, emptyUniques())).toBe(0);
  });
});

describe('facts', () => {
  it('keys client events by session and event id, server events by envelope (and line)', () => {
    expect(clientFactKey('s1', 'e1')).toBe(clientFactKey('s1', 'e1'));
    expect(clientFactKey('s1', 'e1')).not.toBe(clientFactKey('s2', 'e1'));
    expect(clientFactKey('s1', 'e1')).not.toContain('s1');
    const at = '2026-12-06T12:00:00.000Z';
    const facts = orderConfirmedFacts('env-1', { customerId: 'cust_1', total: { amount: 2599, currencyCode: 'USD' }, lines: [{ productId: 'prod_a', quantity: 2 }, { productId: 'prod_b', quantity: 1 }], confirmedAt: at });
    expect(facts.map((f) => f.key)).toEqual(['e:env-1', 'e:env-1:0', 'e:env-1:1']);
    expect(facts[0]!.inc).toEqual([
      ['orders', 1],
      ['revenue:USD', 2599],
    ]);
    expect(facts[1]!.top).toEqual([['p', 'prod_a', 2]]);
    expect(cartLineFacts('env-2', { cartId: 'cart_1', customerId: null, productId: 'prod_a', addedAt: at })[0]!.uniques).toEqual([['c', 'cart:cart_1']]);
    expect(orderCancelledFacts('env-3', { cancelledAt: at })[0]!.inc).toEqual([['cancelled', 1]]);
  });

  it('counts a view for the customer when signed in, else the session', () => {
    const it = { eventId: 'e1', type: 'PRODUCT_VIEWED', productId: 'prod_a', productIds: [], occurredAt: '2026-12-06T12:00:00.000Z' };
    expect(interactionFacts({ sessionId: 's1', customerId: 'cust_1', interactions: [it] })[0]!.uniques).toEqual([['v', 'cust_1']]);
    const anon = interactionFacts({ sessionId: 's1', customerId: null, interactions: [it, { ...it, eventId: 'e2', type: 'RECOMMENDATION_SHOWN', productId: null, productIds: ['prod_a'] }] });
    expect(anon[0]).toMatchObject({ inc: [['views', 1]], uniques: [['v', 'session:s1']], top: [['v', 'prod_a', 1]] });
    expect(anon[1]).toMatchObject({ inc: [['recImpressions', 1]], uniques: [], top: [] });
  });
});
