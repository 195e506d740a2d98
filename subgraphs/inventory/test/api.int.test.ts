import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, CUSTOMER, callSubgraph, eventually, gql } from '@commerce/testing';
import { CommandCounter, newId } from '@commerce/platform';
import { applyTrigger } from '../src/domain/run-reservation.ts';
import { SET_STOCK, setStockVia, startTestInventory, type TestInventory } from './support/harness.ts';

let t: TestInventory;
beforeAll(async () => {
  t = await startTestInventory({}, { monitorCommands: true });
});
afterAll(async () => {
  await t?.stop();
});

const ENTITIES = /* GraphQL */ `
  query Entities($representations: [_Any!]!) {
    _entities(representations: $representations) { ... on ProductVariant { id availability { inStock quantityAvailable } } }
  }`;
const STOCK_LEVELS = /* GraphQL */ `
  query StockLevels($variantId: ID!) { stockLevels(variantId: $variantId) { variantId locationId onHand reserved available version updatedAt } }`;

describe('inventory subgraph', () => {
  it('is ready, and answers only the router', async () => {
    const ready = await fetch(t.svc.url.replace('/graphql', '/health/ready'));
    expect(ready.status).toBe(200);
    expect((await gql(t.svc.url, '{ _service { sdl } }')).status).toBe(401);
    const viaRouter = await callSubgraph(t.svc.url, '{ _service { sdl } }');
    expect(viaRouter.data?._service.sdl).toContain('availability: Availability!');
  });
});

describe('setStock', () => {
  it('needs an admin: UNAUTHENTICATED without a user, FORBIDDEN for a customer, and changes nothing', async () => {
    const variantId = newId('var');
    const anon = await callSubgraph(t.svc.url, SET_STOCK, { variantId, quantity: 5 }, null);
    expect(anon.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(anon.data?.setStock ?? null).toBeNull();
    const customer = await callSubgraph(t.svc.url, SET_STOCK, { variantId, quantity: 5 }, CUSTOMER);
    expect(customer.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const levels = await callSubgraph(t.svc.url, STOCK_LEVELS, { variantId }, CUSTOMER);
    expect(levels.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const after = await callSubgraph(t.svc.url, STOCK_LEVELS, { variantId }, ADMIN);
    expect(after.data!.stockLevels).toEqual([]);
  });

  it('validates: malformed variant → VARIANT_NOT_FOUND, quantity outside 0..1,000,000 → INVALID_QUANTITY', async () => {
    const bad = await callSubgraph(t.svc.url, SET_STOCK, { variantId: 'prod_nope', quantity: 1 }, ADMIN);
    expect(bad.data!.setStock).toEqual({ availability: null, userErrors: [{ field: ['variantId'], message: 'Variant not found', code: 'VARIANT_NOT_FOUND' }] });
    for (const quantity of [-1, 1_000_001]) {
      const r = await callSubgraph(t.svc.url, SET_STOCK, { variantId: newId('var'), quantity }, ADMIN);
      expect(r.data!.setStock.availability).toBeNull();
      expect(r.data!.setStock.userErrors).toMatchObject([{ field: ['quantity'], code: 'INVALID_QUANTITY' }]);
    }
    const edge = await callSubgraph(t.svc.url, SET_STOCK, { variantId: newId('var'), quantity: 1_000_000 }, ADMIN);
    expect(edge.data!.setStock).toEqual({ availability: { inStock: true, quantityAvailable: 1_000_000 }, userErrors: [] });
  });

  it('creates the stock level of a never-stocked variant, and never sets on hand below what is reserved', async () => {
    const variantId = newId('var');
    const first = await callSubgraph(t.svc.url, SET_STOCK, { variantId, quantity: 5 }, ADMIN);
    expect(first.data!.setStock).toEqual({ availability: { inStock: true, quantityAvailable: 5 }, userErrors: [] });
    await applyTrigger(t.svc.deps, t.newOrderId(), { kind: 'placed', lines: [{ variantId, quantity: 3 }], correlationId: 'test' }, {});
    const below = await callSubgraph(t.svc.url, SET_STOCK, { variantId, quantity: 2 }, ADMIN);
    expect(below.data!.setStock.availability).toBeNull();
    expect(below.data!.setStock.userErrors).toMatchObject([{ field: ['quantity'], code: 'BELOW_RESERVED' }]);
    const atReserved = await callSubgraph(t.svc.url, SET_STOCK, { variantId, quantity: 3 }, ADMIN);
    expect(atReserved.data!.setStock).toEqual({ availability: { inStock: false, quantityAvailable: 0 }, userErrors: [] });
    const levels = await callSubgraph(t.svc.url, STOCK_LEVELS, { variantId }, ADMIN);
    expect(levels.data!.stockLevels).toMatchObject([{ variantId, locationId: 'loc_default', onHand: 3, reserved: 3, available: 0, version: 3 }]);
  });
});

describe('ProductVariant.availability', () => {
  it('resolves a batch of N variant references from memory, with no query, seeing every setStock at once', async () => {
    const stocked = [newId('var'), newId('var'), newId('var')];
    for (const [i, v] of stocked.entries()) await setStockVia(t.svc, v, i * 2); // 0, 2, 4
    const never = [newId('var'), newId('var')];
    const ids = [...stocked, ...never, 'var_malformed'];
    const counter = new CommandCounter(t.svc.conn);
    try {
      const r = await callSubgraph(t.svc.url, ENTITIES, { representations: ids.map((id) => ({ __typename: 'ProductVariant', id })) });
      expect(r.errors).toBeUndefined();
      expect(r.data!._entities).toEqual([
        { id: stocked[0], availability: { inStock: false, quantityAvailable: 0 } },
        { id: stocked[1], availability: { inStock: true, quantityAvailable: 2 } },
        { id: stocked[2], availability: { inStock: true, quantityAvailable: 4 } },
        { id: never[0], availability: { inStock: false, quantityAvailable: 0 } },
        { id: never[1], availability: { inStock: false, quantityAvailable: 0 } },
        { id: 'var_malformed', availability: { inStock: false, quantityAvailable: 0 } },
      ]);
      expect(counter.get('find', 'stock_levels')).toBe(0); // the availability read model answers
    } finally {
      counter.stop();
    }
  });
});

describe('the availability read model across instances', () => {
  it('learns another instance’s commits from events, and a starting instance loads what was committed before', async () => {
    const replica = await t.replica(); // same database and durables: another pod of the deployment
    const variantId = newId('var');
    await setStockVia(replica, variantId, 7); // committed on the replica
    expect(replica.availability.of(variantId)).toEqual({ inStock: true, quantityAvailable: 7 }); // its own commit, at once
    await eventually(async () => t.svc.availability.of(variantId).quantityAvailable === 7); // the first instance: through the event
    await setStockVia(t.svc, variantId, 2);
    await eventually(async () => replica.availability.of(variantId).quantityAvailable === 2);
    const late = await t.replica(); // starts after both commits: loads them from stock_levels
    expect(late.availability.of(variantId)).toEqual({ inStock: true, quantityAvailable: 2 });
  });
});
