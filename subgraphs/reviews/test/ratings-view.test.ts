import { describe, expect, it } from 'vitest';
import { RatingsView } from '../src/domain/ratings-view.ts';

const summary = (version: number, sum: number) => ({ _id: 'prod_a', count: version, sum, version, recent: [] });

describe('RatingsView', () => {
  it('keeps the newest version of each product, whatever order versions arrive in; null before a first review', () => {
    for (const order of [[1, 2, 3], [3, 1, 2], [2, 3, 3, 1]]) {
      const view = new RatingsView();
      expect(view.get('prod_a')).toBeNull();
      for (const v of order) view.apply(summary(v, v * 4));
      expect(view.get('prod_a')).toMatchObject({ version: 3, count: 3, sum: 12 });
    }
    const view = new RatingsView();
    expect(view.apply(summary(2, 8))).toBe(true);
    expect(view.apply(summary(2, 8))).toBe(false);
    expect(view.apply(summary(1, 4))).toBe(false);
    expect(view.size).toBe(1);
  });
});
