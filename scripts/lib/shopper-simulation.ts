import { randomUUID } from 'node:crypto';
import { seededRandom } from '@commerce/platform';

/**
 * Simulated shoppers driving the platform through the router, as a storefront would: they browse
 * the products of the categories they like, search, look at recommendations (and report what they
 * were shown and what they clicked, with the list's slot and strategy), add to carts and order.
 * Their taste is planted (one or two categories each), so the recommendations and the bandit have
 * something to learn, and the analytics board moves. Used by `npm run simulate` and by
 * `npm start` (a little history for an empty platform).
 */
export interface SimulationOptions {
  routerUrl: string;
  shoppers: number;
  /** sessions (visits) per shopper */
  sessions?: number;
  /** product views per session */
  views?: number;
  /** share of shoppers who sign up (the others stay anonymous sessions) */
  signedInShare?: number;
  /** how many shoppers act at once */
  concurrency?: number;
  seed?: number;
  adminEmail?: string;
  adminPassword?: string;
  log?: (line: string) => void;
}

export interface SimulationReport {
  shoppers: number;
  events: number;
  views: number;
  searches: number;
  shown: number;
  clicks: number;
  addToCarts: number;
  orders: number;
  failures: number;
  durationMs: number;
}

interface Product {
  id: string;
  handle: string;
  title: string;
  variantId: string;
  categoryId: string;
}

interface Interaction {
  eventId: string;
  sessionId: string;
  type: 'PRODUCT_VIEWED' | 'SEARCH_PERFORMED' | 'RECOMMENDATION_SHOWN' | 'RECOMMENDATION_CLICKED';
  productId?: string;
  productIds?: string[];
  query?: string;
  slot?: string;
  strategy?: string;
}

interface RecommendationList {
  slot: string;
  strategy: string;
  items: Array<{ product: { id: string }; strategy: string }>;
}


async function call<T>(url: string, query: string, variables: Record<string, unknown> = {}, token?: string): Promise<{ data?: T; errors?: Array<{ message: string }> }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.json()) as { data?: T; errors?: Array<{ message: string }> };
}

const LIST_FIELDS = 'slot strategy recommendationId items { product { id } strategy }';

export async function simulateShoppers(opts: SimulationOptions): Promise<SimulationReport> {
  const started = Date.now();
  const rand = seededRandom(opts.seed ?? 42);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const chance = (p: number) => rand() < p;
  const log = opts.log ?? (() => undefined);
  const url = opts.routerUrl;
  const report: SimulationReport = { shoppers: opts.shoppers, events: 0, views: 0, searches: 0, shown: 0, clicks: 0, addToCarts: 0, orders: 0, failures: 0, durationMs: 0 };

  const login = await call<{ logIn: { accessToken: string | null } }>(url, 'mutation ($e: String!, $p: String!) { logIn(email: $e, password: $p) { accessToken } }', {
    e: opts.adminEmail ?? 'admin@example.com',
    p: opts.adminPassword ?? 'admin-password',
  });
  const admin = login.data?.logIn.accessToken;
  if (!admin) throw new Error(`admin log-in failed: ${JSON.stringify(login.errors ?? login.data)}`);

  // the catalog the shoppers know: up to 40 products of each of 8 categories, all stocked
  const cats = await call<{ categories: Array<{ id: string; name: string }> }>(url, '{ categories { id name } }');
  const categories = (cats.data?.categories ?? []).slice(0, 8);
  const byCategory = new Map<string, Product[]>();
  for (const c of categories) {
    const r = await call<{ products: { edges: Array<{ node: { id: string; handle: string; title: string; variants: Array<{ id: string }> } }> } }>(
      url,
      'query ($c: ID) { products(first: 40, filter: { categoryId: $c }) { edges { node { id handle title variants { id } } } } }',
      { c: c.id },
    );
    const products = (r.data?.products.edges ?? []).map((e) => ({ id: e.node.id, handle: e.node.handle, title: e.node.title, variantId: e.node.variants[0]!.id, categoryId: c.id }));
    if (products.length) byCategory.set(c.id, products);
  }
  const all = [...byCategory.values()].flat();
  if (all.length === 0) throw new Error('the catalog has no products to shop for');
  const byId = new Map(all.map((p) => [p.id, p]));
  log(`stocking ${all.length} products of ${byCategory.size} categories…`);
  await pool(all, 8, async (p) => {
    await call(url, 'mutation ($v: ID!, $q: Int!) { setStock(variantId: $v, quantity: $q) { userErrors { code } } }', { v: p.variantId, q: 100_000 }, admin);
  });

  const shopperIds = Array.from({ length: opts.shoppers }, (_, i) => i);
  await pool(shopperIds, opts.concurrency ?? 8, async (n) => {
    try {
      await shop(n);
    } catch (err) {
      report.failures++;
      log(`shopper ${n}: ${(err as Error).message}`);
    }
  });
  report.durationMs = Date.now() - started;
  return report;

  async function shop(n: number): Promise<void> {
    const tastes = [pick([...byCategory.keys()])];
    if (chance(0.4)) tastes.push(pick([...byCategory.keys()]));
    const liked = (p: Product) => tastes.includes(p.categoryId);
    let token: string | undefined;
    if (chance(opts.signedInShare ?? 0.6)) {
      const s = await call<{ signUp: { accessToken: string | null } }>(url, 'mutation ($i: SignUpInput!) { signUp(input: $i) { accessToken } }', {
        i: { email: `sim-${Date.now().toString(36)}-${n}-${randomUUID().slice(0, 8)}@example.com`, password: 'simulated shopper password', name: `Shopper ${n}` },
      });
      token = s.data?.signUp.accessToken ?? undefined;
    }
    for (let visit = 0; visit < (opts.sessions ?? 2); visit++) {
      const sessionId = `sim-${randomUUID()}`;
      const buffer: Interaction[] = [];
      const track = async (e: Omit<Interaction, 'eventId' | 'sessionId'>, flush = false) => {
        buffer.push({ eventId: randomUUID(), sessionId, ...e });
        if (buffer.length >= 20 || flush) {
          const batch = buffer.splice(0, buffer.length);
          const r = await call<{ trackEvents: { accepted: number; userErrors: unknown[] } }>(url, 'mutation ($e: [InteractionInput!]!) { trackEvents(events: $e) { accepted userErrors { code message field } } }', { e: batch }, token);
          if (r.errors?.length) throw new Error(`trackEvents: ${r.errors[0]!.message}`);
          report.events += r.data?.trackEvents.accepted ?? 0;
        }
      };
      /** shows a list, reports it, and clicks what the shopper likes */
      const consider = async (list: RecommendationList | undefined): Promise<Product | undefined> => {
        if (!list || list.items.length === 0) return undefined;
        report.shown++;
        await track({ type: 'RECOMMENDATION_SHOWN', productIds: list.items.map((i) => i.product.id), slot: list.slot, strategy: list.strategy });
        const tempting = list.items.map((i) => byId.get(i.product.id)).find((p) => p && liked(p));
        if (!tempting || !chance(0.6)) return undefined;
        report.clicks++;
        await track({ type: 'RECOMMENDATION_CLICKED', productId: tempting.id, slot: list.slot, strategy: list.strategy });
        return tempting;
      };

      const home = await call<{ recommendedForSession: RecommendationList }>(url, `query ($s: String!) { recommendedForSession(sessionId: $s, first: 8) { ${LIST_FIELDS} } }`, { s: sessionId });
      let next = await consider(home.data?.recommendedForSession);
      let cartId: string | undefined;
      for (let v = 0; v < (opts.views ?? 6); v++) {
        const product = next ?? (chance(0.85) ? pick(byCategory.get(pick(tastes))!) : pick(all));
        next = undefined;
        report.views++;
        await track({ type: 'PRODUCT_VIEWED', productId: product.id });
        if (chance(0.15)) {
          const word = product.title.split(/\s+/)[0]!.toLowerCase();
          report.searches++;
          await track({ type: 'SEARCH_PERFORMED', query: word });
        }
        const page = await call<{ product: { recommendations: RecommendationList } | null }>(url, `query ($h: String!) { product(handle: $h) { id recommendations(first: 6) { ${LIST_FIELDS} } } }`, { h: product.handle }, token);
        next = await consider(page.data?.product?.recommendations);
        if (liked(product) && chance(0.3)) {
          if (!cartId) {
            const c = await call<{ createCart: { id: string } }>(url, 'mutation { createCart { id } }', {}, token);
            cartId = c.data?.createCart.id;
          }
          if (cartId) {
            const added = await call<{ addToCart: { userErrors: unknown[] } }>(url, 'mutation ($c: ID!, $v: ID!) { addToCart(cartId: $c, variantId: $v, quantity: 1) { userErrors { code } } }', { c: cartId, v: product.variantId }, token);
            if (added.data?.addToCart.userErrors.length === 0) report.addToCarts++;
          }
        }
      }
      await track({ type: 'SEARCH_PERFORMED', query: 'gift' }, true);
      if (token && cartId && chance(0.7)) {
        const placed = await call<{ placeOrder: { order: { id: string } | null; userErrors: unknown[] } }>(
          url,
          'mutation ($i: PlaceOrderInput!) { placeOrder(input: $i) { order { id } userErrors { code } } }',
          { i: { cartId, paymentToken: 'tok_visa', idempotencyKey: randomUUID(), shippingAddress: { name: `Shopper ${n}`, line1: '1 Main St', city: 'Springfield', postalCode: '12345', country: 'US' } } },
          token,
        );
        if (placed.data?.placeOrder.order) report.orders++;
      }
    }
  }
}

async function pool<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}
