import { describe, expect, it } from 'vitest';
import { AvailabilityView } from '../src/domain/availability.ts';

const level = (variantId: string, locationId: string, onHand: number, reserved: number, version: number) => ({ variantId, locationId, onHand, reserved, version });

describe('AvailabilityView', () => {
  it('sums what can be sold over a variant’s locations; a variant never stocked has nothing', () => {
    const view = new AvailabilityView();
    view.apply(level('var_a', 'loc_1', 5, 2, 1));
    view.apply(level('var_a', 'loc_2', 4, 0, 1));
    view.apply(level('var_b', 'loc_1', 1, 1, 3));
    expect(view.of('var_a')).toEqual({ inStock: true, quantityAvailable: 7 });
    expect(view.of('var_b')).toEqual({ inStock: false, quantityAvailable: 0 });
    expect(view.of('var_never')).toEqual({ inStock: false, quantityAvailable: 0 });
    expect(view.size).toBe(2);
  });

  it('keeps the highest version of each level whatever order versions arrive in (replays, own commits before their events)', () => {
    const versions = [level('var_a', 'loc_1', 10, 0, 1), level('var_a', 'loc_1', 10, 3, 2), level('var_a', 'loc_1', 10, 4, 3), level('var_a', 'loc_1', 6, 0, 4)];
    for (const order of [[0, 1, 2, 3], [3, 2, 1, 0], [1, 3, 0, 2], [3, 3, 0, 1, 2, 3]]) {
      const view = new AvailabilityView();
      for (const i of order) view.apply(versions[i]!);
      expect(view.of('var_a').quantityAvailable).toBe(6);
      expect(view.apply(versions[3]!)).toBe(false); // a repeat changes nothing
      expect(view.apply(versions[1]!)).toBe(false); // nor does an older version
    }
  });
});
