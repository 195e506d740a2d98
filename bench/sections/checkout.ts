import { randomBytes } from 'node:crypto';
import { OrderCancelled, OrderConfirmed } from '@commerce/events/contracts';
import { tailEvents, type EventBus } from '@commerce/events';
import { CONTEXT_HEADER, createLogger, signInternalContext } from '@commerce/platform';
import { contractOperation } from '../../scripts/lib/contract.ts';
import type { Cluster, Proc } from '../lib/cluster.ts';
import { expectData, percentile } from '../lib/load.ts';

export interface CheckoutSample {
  buyers: number;
  orders: number;
  p50: number;
  p99: number;
  ordersPerSecond: number;
  failed: number;
  /** not CONFIRMED or CANCELLED within SETTLE_TIMEOUT_MS */
  timedOut: number;
}

const SETTLE_TIMEOUT_MS = 120_000;

const gql = async (url: string, op: string, variables: Record<string, unknown>, headers: Record<string, string> = {}) => {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query: contractOperation(op), variables }) });
  return (await res.json()) as { data?: any; errors?: Array<{ message: string }> };
};

/**
 * placeOrder → CONFIRMED, end to end: from sending placeOrder to the router until the
 * order-confirmed event is on the bus (the saga: reserve stock, authorize payment, confirm),
 * with `buyers` customers ordering at once, each `ordersPerBuyer` orders one after another.
 */
export async function sampleCheckout(cluster: Cluster, router: Proc, bus: EventBus, variantId: string, opts: { buyers: number; ordersPerBuyer: number }): Promise<CheckoutSample> {
  const outcomes = new Map<string, { at: number; confirmed: boolean }>();
  const waiters = new Map<string, (o: { at: number; confirmed: boolean }) => void>();
  const settle = (orderId: string, confirmed: boolean) => {
    const o = { at: performance.now(), confirmed };
    outcomes.set(orderId, o);
    waiters.get(orderId)?.(o);
  };
  const logger = createLogger('bench', 'warn');
  const tails = await Promise.all([
    tailEvents({ bus, subject: OrderConfirmed.subject, logger, handle: (e) => settle((e.data as { orderId: string }).orderId, true) }),
    tailEvents({ bus, subject: OrderCancelled.subject, logger, handle: (e) => settle((e.data as { orderId: string }).orderId, false) }),
  ]);
  try {
    const buyers = await Promise.all(
      Array.from({ length: opts.buyers }, async () => {
        const r = await gql(router.url, 'SignUp', { input: { email: `bench-${randomBytes(6).toString('hex')}@example.com`, password: 'bench password 123', name: 'Bench Buyer' } });
        if (!r.data?.signUp?.accessToken) throw new Error(`signUp failed: ${JSON.stringify(r).slice(0, 300)}`);
        return r.data.signUp.accessToken as string;
      }),
    );
    const latencies: number[] = [];
    let failed = 0;
    let timedOut = 0;
    const started = performance.now();
    let lastSettled = started;
    await Promise.all(
      buyers.map(async (token) => {
        const auth = { authorization: `Bearer ${token}` };
        for (let i = 0; i < opts.ordersPerBuyer; i++) {
          const cartId = (await gql(router.url, 'CreateCart', {}, auth)).data.createCart.id as string;
          for (let attempt = 0; ; attempt++) {
            const added = await gql(router.url, 'AddToCart', { cartId, variantId, quantity: 1 }, auth);
            if (added.data?.addToCart?.userErrors?.length === 0) break;
            if (attempt > 100) throw new Error(`addToCart keeps failing: ${JSON.stringify(added).slice(0, 300)}`);
            await new Promise((r) => setTimeout(r, 50));
          }
          const t0 = performance.now();
          const placed = await gql(
            router.url,
            'PlaceOrder',
            { input: { cartId, paymentToken: 'tok_visa', idempotencyKey: randomBytes(8).toString('hex'), shippingAddress: { name: 'Bench', line1: '1 Main St', city: 'Springfield', postalCode: '12345', country: 'US' } } },
            auth,
          );
          const orderId = placed.data?.placeOrder?.order?.id as string | undefined;
          if (!orderId) throw new Error(`placeOrder failed: ${JSON.stringify(placed).slice(0, 300)}`);
          const outcome =
            outcomes.get(orderId) ??
            (await new Promise<{ at: number; confirmed: boolean } | null>((resolve) => {
              waiters.set(orderId, resolve);
              setTimeout(() => resolve(null), SETTLE_TIMEOUT_MS).unref();
            }));
          if (!outcome) {
            timedOut++;
            continue;
          }
          if (outcome.confirmed) latencies.push(outcome.at - t0);
          else failed++;
          lastSettled = Math.max(lastSettled, outcome.at);
        }
      }),
    );
    const orders = latencies.length + failed + timedOut;
    return { buyers: opts.buyers, orders, p50: percentile(latencies, 50), p99: percentile(latencies, 99), ordersPerSecond: (latencies.length * 1000) / (lastSettled - started), failed, timedOut };
  } finally {
    await Promise.all(tails.map((t) => t.stop()));
  }
}

/** Gives the variant plenty of stock, as an admin, straight at the inventory subgraph. */
export async function stockUp(cluster: Cluster, variantId: string, quantity: number): Promise<void> {
  const token = await signInternalContext(cluster.routerSigningKey, { user: { id: 'cust_bench_admin', roles: ['CUSTOMER', 'ADMIN'] }, requestId: `bench-${randomBytes(4).toString('hex')}` }, { audience: 'inventory' });
  const data = await expectData(cluster.subgraphUrls.inventory!, { query: contractOperation('SetStock'), variables: { variantId, quantity } }, { [CONTEXT_HEADER]: token });
  if (data.setStock.userErrors.length) throw new Error(`setStock: ${JSON.stringify(data.setStock.userErrors)}`);
}
