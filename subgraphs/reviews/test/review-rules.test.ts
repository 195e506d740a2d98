import { describe, expect, it } from 'vitest';
import { APPLIED_MEMORY, countReview, ratingOf, RECENT_REVIEWS, type ReviewRecord } from '../src/domain/review.ts';
import { validateReviewInput } from '../src/domain/validation.ts';

const PRODUCT = 'prod_000000001aaaaaaaaaaaaaaaa';
let seq = 0;
function review(rating: number, productId = PRODUCT): ReviewRecord {
  seq += 1;
  return { _id: `rev_${String(seq).padStart(9, '0')}0000000000000000`, productId, customerId: `cust_${seq}`, rating, title: 't', body: null, createdAt: new Date() };
}

describe('validateReviewInput', () => {
  const good = { productId: PRODUCT, rating: 4, title: 'Nice', body: 'Works' };
  const codes = (input: Record<string, unknown>) => {
    const r = validateReviewInput({ ...good, ...input } as never);
    return r.ok ? [] : r.errors.map((e) => e.code);
  };

  it('accepts a good review, trimming title and body (empty body → null)', () => {
    expect(validateReviewInput({ ...good, title: '  Nice  ', body: '   ' })).toEqual({ ok: true, value: { productId: PRODUCT, rating: 4, title: 'Nice', body: null } });
    expect(codes({ title: 'x'.repeat(200), body: 'y'.repeat(5000), rating: 1 })).toEqual([]);
    expect(codes({ rating: 5, body: null })).toEqual([]);
  });

  it('names every problem with its code', () => {
    expect(codes({ productId: 'nope' })).toEqual(['PRODUCT_NOT_FOUND']);
    expect(codes({ productId: 'var_000000001aaaaaaaaaaaaaaaa' })).toEqual(['PRODUCT_NOT_FOUND']);
    expect(codes({ rating: 0 })).toEqual(['INVALID_RATING']);
    expect(codes({ rating: 6 })).toEqual(['INVALID_RATING']);
    expect(codes({ rating: 2.5 })).toEqual(['INVALID_RATING']);
    expect(codes({ title: '   ' })).toEqual(['INVALID_TITLE']);
    expect(codes({ title: 'x'.repeat(201) })).toEqual(['INVALID_TITLE']);
    expect(codes({ body: 'x'.repeat(5001) })).toEqual(['INVALID_BODY']);
    expect(codes({ productId: 'x', rating: 9, title: '', body: 'x'.repeat(5001) })).toEqual(['PRODUCT_NOT_FOUND', 'INVALID_RATING', 'INVALID_TITLE', 'INVALID_BODY']);
  });
});

describe('rating aggregate', () => {
  it('is 0 and 0 without reviews; the average is rounded to 2 decimals', () => {
    expect(ratingOf(null)).toEqual({ average: 0, count: 0 });
    expect(ratingOf({ count: 0, sum: 0 })).toEqual({ average: 0, count: 0 });
    expect(ratingOf({ count: 3, sum: 13 })).toEqual({ average: 4.33, count: 3 });
    expect(ratingOf({ count: 3, sum: 14 })).toEqual({ average: 4.67, count: 3 });
  });

  it('counts each review once, one version per review, and keeps the newest RECENT_REVIEWS newest first', () => {
    let agg = null;
    const all: ReviewRecord[] = [];
    for (let i = 0; i < 15; i++) {
      const r = review((i % 5) + 1);
      all.push(r);
      agg = countReview(agg, r)!;
      expect(countReview(agg, r)).toBeNull(); // idempotent
    }
    expect(agg).toMatchObject({ _id: PRODUCT, count: 15, sum: 45, version: 15 });
    expect(agg!.recent.map((r) => r._id)).toEqual(all.slice(-RECENT_REVIEWS).reverse().map((r) => r._id));
  });

  it('keeps a late (older) review out of the recent page, but counts it', () => {
    const old = review(1);
    let agg = null;
    for (let i = 0; i < RECENT_REVIEWS; i++) agg = countReview(agg, review(5));
    agg = countReview(agg, old)!;
    expect(agg.count).toBe(RECENT_REVIEWS + 1);
    expect(agg.recent.map((r) => r._id)).not.toContain(old._id);
  });

  it('remembers the last APPLIED_MEMORY ids only', () => {
    let agg = null;
    for (let i = 0; i < APPLIED_MEMORY + 5; i++) agg = countReview(agg, review(3));
    expect(agg!.applied).toHaveLength(APPLIED_MEMORY);
  });
});
