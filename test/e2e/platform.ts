import { generateKeyPairSync } from 'node:crypto';
import { deleteRedisKeys, gql, serviceEnv, TEST_ROUTER_SIGNING_KEY, uniqueSuffix, type GraphQLResponse } from '@commerce/testing';
import { startCatalog, type CatalogService } from '@commerce/catalog';
import { startCustomers, type CustomersService } from '@commerce/customers';
import { startOrders, type OrdersService } from '@commerce/orders';
import { startInventory } from '@commerce/inventory';
import { startCart } from '@commerce/cart';
import { startPayments } from '@commerce/payments';
import { startReviews } from '@commerce/reviews';
import { startSupport } from '@commerce/support';
import { startAnalytics } from '@commerce/analytics';
import { startRecommendations } from '@commerce/recommendations';
import { startWebhooks } from '@commerce/webhooks';
import { startRouter, type RunningRouter } from '@commerce/router';
import type { RunningService } from '@commerce/platform';
import { contractOperation } from '../../scripts/lib/contract.ts';

export { contractOperation };

export const SERVICES = ['catalog', 'customers', 'orders', 'inventory', 'cart', 'payments', 'reviews', 'support', 'analytics', 'recommendations', 'webhooks'] as const;
export type ServiceName = (typeof SERVICES)[number];

/** The whole platform in this test process: every subgraph on a free port, the router in front. */
export interface Platform {
  /** the database each service was given (unique per test run) */
  dbNames: Record<ServiceName, string>;
  env: Record<ServiceName, NodeJS.ProcessEnv>;
  /** the router's env: start more routers over the same subgraphs with it */
  routerEnv: NodeJS.ProcessEnv;
  router: RunningRouter;
  catalog: CatalogService;
  customers: CustomersService;
  orders: OrdersService;
  services: Record<ServiceName, RunningService>;
  /** stops one service (a fault) */
  stopService(name: ServiceName): Promise<void>;
  /** starts a stopped service again on its old port and database */
  restartService(name: ServiceName): Promise<void>;
  stop(): Promise<void>;
}

export interface PlatformOptions {
  seedProducts?: number;
  /** extra env for every service (e.g. a NATS_URL of a private broker) */
  env?: Record<string, string>;
  /** extra env per service */
  serviceEnv?: Partial<Record<ServiceName, Record<string, string>>>;
  /** extra env for the router */
  routerEnv?: Record<string, string>;
  /**
   * NODE_ENV=production for the router and every subgraph, with what production requires: a JWT
   * signing key of its own for customers (no development key file), the test router context pair
   * (not the development one) and PAYMENTS_ALLOW_TEST_PROVIDER=true (a staging channel).
   */
  production?: boolean;
}

const starters: Record<ServiceName, (env: NodeJS.ProcessEnv) => Promise<RunningService>> = {
  catalog: startCatalog,
  customers: startCustomers,
  orders: startOrders,
  inventory: startInventory,
  cart: startCart,
  payments: startPayments,
  reviews: startReviews,
  support: startSupport,
  analytics: startAnalytics,
  recommendations: startRecommendations,
  webhooks: startWebhooks,
};

export async function startPlatform(opts: PlatformOptions = {}): Promise<Platform> {
  const env = {} as Record<ServiceName, NodeJS.ProcessEnv>;
  const production: Partial<Record<ServiceName, Record<string, string>>> = opts.production
    ? {
        // scrypt at the smallest cost production accepts (2^14; tests otherwise run 2^12)
        // production refuses to start without SMTP_URL unless told to run without mail
        customers: { CUSTOMERS_SCRYPT_LOG_N: '14', MAIL_TRANSPORT: 'log', OAUTH_COOKIE_KEYS: 'e2e-production-oauth-cookie-key-0123456789', OAUTH_ISSUER: 'https://customers.e2e.invalid/oauth', JWT_KEYRING_SECRET: 'e2e-production-key-ring-secret-0123456789', JWT_PRIVATE_KEY: generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() },
        payments: { PAYMENTS_ALLOW_TEST_PROVIDER: 'true' },
      }
    : {};
  for (const name of SERVICES) {
    env[name] = { ...serviceEnv(name), ...(opts.production ? { NODE_ENV: 'production', ...production[name] } : {}), ...opts.env, ...opts.serviceEnv?.[name] };
  }
  env.catalog.CATALOG_SEED_PRODUCTS = String(opts.seedProducts ?? 0);
  // analytics counts in Redis: under a prefix of this run's own, never a development platform's `an:`
  env.analytics.ANALYTICS_REDIS_PREFIX ??= `t:an:${uniqueSuffix()}:`;
  // webhooks' failure streaks likewise
  env.webhooks.WEBHOOKS_REDIS_PREFIX ??= `t:wh:${uniqueSuffix()}:`;
  // cart first: orders reads carts through cart's internal route
  const services = {} as Record<ServiceName, RunningService>;
  services.cart = await starters.cart(env.cart);
  env.cart.CART_PORT = String(services.cart.port);
  env.orders.CART_INTERNAL_URL = services.cart.url.replace(/\/graphql$/, '');
  await Promise.all(
    SERVICES.filter((s) => s !== 'cart').map(async (name) => {
      services[name] = await starters[name](env[name]);
      env[name][`${name.toUpperCase()}_PORT`] = String(services[name].port); // a restart keeps the port
    }),
  );
  const customers = services.customers as CustomersService;
  const routerEnv: NodeJS.ProcessEnv = {
    NODE_ENV: opts.production ? 'production' : 'development',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    ROUTER_PORT: '0',
    ROUTER_SIGNING_KEY: TEST_ROUTER_SIGNING_KEY,
    CUSTOMERS_JWKS_URL: customers.jwksUrl,
    OAUTH_ISSUER: customers.oauth.issuer!,
    ...Object.fromEntries(SERVICES.map((s) => [`${s.toUpperCase()}_URL`, services[s].url])),
    // Suites about other things read fresh data in tight loops from one address: no response
    // cache (stock is cached for 5 s) and no practical rate limit, unless a suite asks for them.
    RESPONSE_CACHE_ENABLED: 'false',
    RATE_LIMIT_ANONYMOUS: '1000000:1000000',
    RATE_LIMIT_CUSTOMER: '1000000:1000000',
    ...opts.routerEnv,
  };
  const router = await startRouter(routerEnv);
  const stopped = new Set<ServiceName>();
  return {
    dbNames: Object.fromEntries(SERVICES.map((s) => [s, env[s][`${s.toUpperCase()}_DB_NAME`]!])) as Record<ServiceName, string>,
    env,
    routerEnv,
    router,
    catalog: services.catalog as CatalogService,
    customers,
    orders: services.orders as OrdersService,
    services,
    async stopService(name) {
      stopped.add(name);
      await services[name].stop();
    },
    async restartService(name) {
      services[name] = await starters[name](env[name]);
      stopped.delete(name);
    },
    async stop() {
      await router.stop();
      await Promise.all(SERVICES.filter((s) => !stopped.has(s)).map((s) => services[s].stop()));
      await deleteRedisKeys(env.analytics.ANALYTICS_REDIS_PREFIX!);
      await deleteRedisKeys(env.webhooks.WEBHOOKS_REDIS_PREFIX!);
    },
  };
}

/** Sends one contract operation through the router, with a customer's token when given. */
export function send<T = Record<string, any>>(platform: Pick<Platform, 'router'>, operation: string, variables: Record<string, unknown> = {}, token?: string): Promise<GraphQLResponse<T>> {
  return gql<T>(platform.router.url, contractOperation(operation), variables, token ? { authorization: `Bearer ${token}` } : {});
}
