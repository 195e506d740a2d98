import { z } from 'zod';
import { loadServiceConfig, parseEnv, type ServiceConfig } from '@commerce/platform';

export interface OrdersConfig extends ServiceConfig {
  /** the cart subgraph's base URL (internal route /internal/cart) */
  cartUrl: string;
  /** a PENDING order older than this is cancelled with TIMEOUT */
  sagaTimeoutMs: number;
  /** how often the timeout sweep runs */
  sweepMs: number;
  /**
   * How long a checkout's payment token is kept in the payment-token store (Redis) for payments
   * to use: the saga timeout plus 10 minutes (payments' retries of a failing provider call) unless
   * set. A token still unused by then belongs to an order that timed out.
   */
  paymentTokenTtlMs: number;
}

const ordersEnv = z.object({
  CART_INTERNAL_URL: z.string().url().default('http://127.0.0.1:4005'),
  ORDER_SAGA_TIMEOUT_MS: z.coerce.number().int().min(100).default(60_000),
  ORDER_SWEEP_MS: z.coerce.number().int().min(50).default(5_000),
  ORDER_PAYMENT_TOKEN_TTL_MS: z.coerce.number().int().min(1000).optional(),
});

export function loadOrdersConfig(env: NodeJS.ProcessEnv): OrdersConfig {
  const base = loadServiceConfig('orders', 4003, env);
  const own = parseEnv(ordersEnv, env);
  return {
    ...base,
    cartUrl: own.CART_INTERNAL_URL,
    sagaTimeoutMs: own.ORDER_SAGA_TIMEOUT_MS,
    sweepMs: own.ORDER_SWEEP_MS,
    paymentTokenTtlMs: own.ORDER_PAYMENT_TOKEN_TTL_MS ?? own.ORDER_SAGA_TIMEOUT_MS + 10 * 60_000,
  };
}
