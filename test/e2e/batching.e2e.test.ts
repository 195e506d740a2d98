import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { watchAllCommands, type SeenCommand } from '@commerce/platform';
import { eventually } from '@commerce/testing';
import { send, startPlatform, type Platform } from './platform.ts';
import { Shop } from './shop.ts';

/**
 * The storefront listing of 50 products, with price, stock, rating and reviews, needs no database
 * query at all: catalog, inventory and reviews answer from their event-fed read models (counted
 * with the MongoDB driver's command monitoring on every service's connection). A cart is one
 * DataLoader batch per request.
 */
let platform: Platform;
let shop: Shop;
const seen: SeenCommand[] = [];
let unwatch: () => void;

beforeAll(async () => {
  unwatch = watchAllCommands((c) => seen.push(c));
  platform = await startPlatform({ seedProducts: 60 });
  shop = new Shop(platform);
}, 120_000);
afterAll(async () => {
  unwatch?.();
  await platform?.stop();
});

describe('ProductListing(first: 50)', () => {
  it('costs no database query in catalog, inventory or reviews (read models)', async () => {
    // give some products stock so every resolver has something to do
    const page = await send<any>(platform, 'ProductListing', { first: 5, sort: 'NEWEST' });
    for (const e of page.data!.products.edges) await shop.setStock(e.node.variants[0].id, 3);
    await eventually(async () => (await send<any>(platform, 'ProductListing', { first: 5, sort: 'NEWEST' })).data!.products.edges[0].node.variants[0].availability.inStock === true);

    const entity = (c: SeenCommand) => c.command === 'find' && !['outbox', 'order_events', 'processed_events', 'dead_letters', 'open_reservations', 'rating_pending', 'orders', '_pruning'].includes(c.collection);
    seen.length = 0;
    const r = await send<any>(platform, 'ProductListing', { first: 50, sort: 'PRICE_ASC' });
    const during = seen.filter(entity);
    expect(r.errors).toBeUndefined();
    expect(r.data!.products.edges).toHaveLength(50);
    const variants = r.data!.products.edges.reduce((n: number, e: any) => n + e.node.variants.length, 0);
    expect(variants).toBeGreaterThanOrEqual(50);

    const per = (db: string) => during.filter((c) => c.db === db).map((c) => c.collection).sort();
    expect(per(platform.dbNames.catalog)).toEqual([]); // products, prices: the catalog read model
    expect(per(platform.dbNames.inventory)).toEqual([]); // availability: inventory's read model
    expect(per(platform.dbNames.reviews)).toEqual([]); // ratings and first reviews: the ratings read model
  });

  it('reads a cart with one carts query per request, never one per line or variant', async () => {
    const buyer = await shop.customer();
    const item = await shop.product({ stock: 50 });
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push(await shop.cartWith(buyer.token, item.variantId, 1));
    seen.length = 0;
    const results = await Promise.all(ids.map((id) => send<any>(platform, 'Cart', { id }, buyer.token)));
    for (const r of results) expect(r.data!.cart.lines).toHaveLength(1);
    // three separate requests: one carts query each, never one per line or per variant
    expect(seen.filter((c) => c.db === platform.dbNames.cart && c.command === 'find' && c.collection === 'carts')).toHaveLength(3);
    expect(seen.filter((c) => c.db === platform.dbNames.catalog && c.command === 'find' && c.collection === 'products')).toHaveLength(0);
  });
});
