import { z } from 'zod';
import { loadServiceConfig, parseEnv, type ServiceConfig } from '@commerce/platform';

export interface CatalogConfig extends ServiceConfig {
  /** every price is in this currency (ISO 4217); listing price filters use it too */
  storeCurrency: string;
  /** demo products to seed into an empty catalog at start (0 = none) */
  seedProducts: number;
}

const catalogEnv = z.object({
  CATALOG_CURRENCY: z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as USD').default('USD'),
  CATALOG_SEED_PRODUCTS: z.coerce.number().int().min(0).max(200_000).default(0),
});

export function loadCatalogConfig(env: NodeJS.ProcessEnv): CatalogConfig {
  const base = loadServiceConfig('catalog', 4001, env);
  const own = parseEnv(catalogEnv, env);
  return { ...base, storeCurrency: own.CATALOG_CURRENCY, seedProducts: own.CATALOG_SEED_PRODUCTS };
}
