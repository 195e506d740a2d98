import { z } from 'zod';
import { loadServiceConfig, parseEnv, type ServiceConfig } from '@commerce/platform';

export interface CartConfig extends ServiceConfig {
  /** the store currency (ISO 4217): every cart is priced in it */
  currency: string;
}

const cartEnv = z.object({
  CART_CURRENCY: z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as USD').default('USD'),
});

export function loadCartConfig(env: NodeJS.ProcessEnv): CartConfig {
  const base = loadServiceConfig('cart', 4005, env);
  const own = parseEnv(cartEnv, env);
  return { ...base, currency: own.CART_CURRENCY };
}
