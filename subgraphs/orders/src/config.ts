import { z } from 'zod';
import { loadServiceConfig, parseEnv, type ServiceConfig } from '@commerce/platform';

export interface OrdersConfig extends ServiceConfig {
  /** the cart subgraph's base URL (internal route /internal/cart) */
  cartUrl: string;
  /** a PENDING order older than this is cancelled with TIMEOUT */
  sagaTimeoutMs: number;
  /** how often the timeout sweep runs */
  sweepMs: number;
}

const ordersEnv = z.object({
  CART_INTERNAL_URL: z.string().url().default('http://127.0.0.1:4005'),
  ORDER_SAGA_TIMEOUT_MS: z.coerce.number().int().min(100).default(60_000),
  ORDER_SWEEP_MS: z.coerce.number().int().min(50).default(5_000),
});

export function loadOrdersConfig(env: NodeJS.ProcessEnv): OrdersConfig {
  const base = loadServiceConfig('orders', 4003, env);
  const own = parseEnv(ordersEnv, env);
  return { ...base, cartUrl: own.CART_INTERNAL_URL, sagaTimeoutMs: own.ORDER_SAGA_TIMEOUT_MS, sweepMs: own.ORDER_SWEEP_MS };
}
