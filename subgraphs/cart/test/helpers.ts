import { MongoClient } from 'mongodb';
import { Registry } from 'prom-client';
import { connectEventBus, type EventBus } from '@commerce/events';
import { OrderPlaced, ProductCreated, StockLevelChanged, VariantPriceChanged } from '@commerce/events/contracts';
import { newId } from '@commerce/platform';
import { callSubgraph, eventually, serviceEnv, testInfra, uniqueSuffix, TEST_EVENTS } from '@commerce/testing';
import { startCart, type CartOverrides, type CartService } from '../src/index.ts';

/** GraphQL documents of the storefront contract, with `variant { id }` (catalog resolves the rest). */
export const CART_FIELDS = /* GraphQL */ `
  fragment CartFields on Cart {
    id
    lines { id quantity variant { id } unitPrice { amount currencyCode } lineTotal { amount currencyCode } }
    subtotal { amount currencyCode }
    totalQuantity
    checkedOut
  }`;
export const CREATE_CART = 'mutation CreateCart { createCart { id } }';
export const CART = `query Cart($id: ID!) { cart(id: $id) { ...CartFields } } ${CART_FIELDS}`;
export const ADD = `mutation AddToCart($cartId: ID!, $variantId: ID!, $quantity: Int!) {
  addToCart(cartId: $cartId, variantId: $variantId, quantity: $quantity) { cart { ...CartFields } userErrors { field message code } } } ${CART_FIELDS}`;
export const UPDATE = `mutation UpdateCartLine($cartId: ID!, $lineId: ID!, $quantity: Int!) {
  updateCartLine(cartId: $cartId, lineId: $lineId, quantity: $quantity) { cart { ...CartFields } userErrors { field message code } } } ${CART_FIELDS}`;
export const REMOVE = `mutation RemoveCartLine($cartId: ID!, $lineId: ID!) {
  removeCartLine(cartId: $cartId, lineId: $lineId) { cart { ...CartFields } userErrors { field message code } } } ${CART_FIELDS}`;

export type User = { id: string; roles: Array<'CUSTOMER' | 'ADMIN'> } | null;

/** A cart service on a fresh database with its own durables, plus a bus to publish test events. */
export class CartHarness {
  svc!: CartService;
  env!: NodeJS.ProcessEnv;
  bus!: EventBus;
  private readonly extra: CartService[] = [];

  async start(overrides: CartOverrides = {}): Promise<void> {
    this.env = serviceEnv('cart');
    this.svc = await startCart(this.env, overrides);
    this.bus = await connectEventBus({ natsUrl: testInfra().natsUrl, name: 'cart-test', registry: new Registry(), consumerDefaults: TEST_EVENTS });
  }

  /** Another instance on the same database (same durables). */
  async startAnother(): Promise<CartService> {
    const svc = await startCart(this.env);
    this.extra.push(svc);
    return svc;
  }

  async stop(): Promise<void> {
    for (const s of this.extra) await s.stop();
    const durables = this.svc?.durables ?? [];
    await this.svc?.stop();
    if (this.bus) {
      for (const d of durables) await this.bus.jsm.consumers.delete(this.bus.stream, d).catch(() => undefined);
      await this.bus.close();
    }
    if (this.env) {
      const client = new MongoClient(testInfra().mongoUrl);
      await client.db(this.env.CART_DB_NAME).dropDatabase().catch(() => undefined);
      await client.close();
    }
  }

  call<T = any>(query: string, variables: Record<string, unknown> = {}, user: User = null) {
    return callSubgraph<T>(this.svc.url, query, variables, user);
  }

  /** Publishes a product-created for a new product with `variants` variants at `amount` minor units. */
  async publishProduct(opts: { amount?: number; variants?: number; title?: string; currencyCode?: string } = {}) {
    const s = uniqueSuffix();
    const productId = newId('prod');
    const variants = Array.from({ length: opts.variants ?? 1 }, (_, i) => ({
      id: newId('var'),
      sku: `CART-${s}-${i}`,
      title: `Variant ${i}`,
      options: [],
      price: { amount: opts.amount ?? 1000, currencyCode: opts.currencyCode ?? 'USD' },
    }));
    const data = {
      id: productId, handle: `cart-test-${s}`, title: opts.title ?? `Cart Test ${s}`, description: '', categoryIds: [],
      status: 'ACTIVE' as const, createdAt: new Date().toISOString(), version: 1, variants,
    };
    await this.bus.publish(ProductCreated.create(data, { aggregateId: productId }));
    return { productId, title: data.title, variants };
  }

  async publishPrice(v: { productId: string; id: string; sku: string }, amount: number, version: number) {
    await this.bus.publish(VariantPriceChanged.create(
      { productId: v.productId, variantId: v.id, sku: v.sku, price: { amount, currencyCode: 'USD' }, previousPrice: { amount: 1, currencyCode: 'USD' }, version },
      { aggregateId: v.productId },
    ));
  }

  async publishStock(variantId: string, onHand: number, version: number, opts: { locationId?: string; reserved?: number } = {}) {
    const reserved = opts.reserved ?? 0;
    await this.bus.publish(StockLevelChanged.create(
      { variantId, locationId: opts.locationId ?? 'loc_default', onHand, reserved, available: Math.max(0, onHand - reserved), version },
      { aggregateId: variantId },
    ));
  }

  async publishOrderPlaced(cartId: string, customerId: string, orderId = newId('ord')) {
    const line = { productId: 'prod_x', variantId: 'var_x', sku: 'X', title: 'X', quantity: 1, unitPrice: { amount: 100, currencyCode: 'USD' } };
    await this.bus.publish(OrderPlaced.create(
      { orderId, customerId, cartId, lines: [line], total: { amount: 100, currencyCode: 'USD' }, placedAt: new Date().toISOString() },
      { aggregateId: orderId },
    ));
    return orderId;
  }

  /** A product with one variant the cart knows, priced `amount`, with `stock` available. */
  async variant(opts: { amount?: number; stock?: number } = {}) {
    const p = await this.publishProduct({ amount: opts.amount ?? 1000 });
    const v = { ...p.variants[0]!, productId: p.productId, title: p.title };
    if (opts.stock !== undefined) await this.publishStock(v.id, opts.stock, 1);
    const stock = opts.stock ?? 0;
    await eventually(async () => this.svc.deps.readModel.variant(v.id) && this.svc.deps.readModel.available(v.id) === stock);
    return v;
  }

  async newCart(user: User = null): Promise<string> {
    const r = await this.call(CREATE_CART, {}, user);
    if (r.errors) throw new Error(JSON.stringify(r.errors));
    return r.data!.createCart.id;
  }

  async storedCart(id: string): Promise<any> {
    return this.svc.deps.carts.findOne({ _id: id });
  }
}
