import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, print, visit, type DefinitionNode, type DocumentNode } from 'graphql';
import { gql, serviceEnv, TEST_ROUTER_SECRET, type GraphQLResponse } from '@commerce/testing';
import { startCatalog, type CatalogService } from '@commerce/catalog';
import { startCustomers, type CustomersService } from '@commerce/customers';
import { startOrders } from '@commerce/orders';
import { startRouter, type RunningRouter } from '@commerce/router';
import type { RunningService } from '@commerce/platform';

/** The whole platform in this test process: every subgraph on a free port, the router in front. */
export interface Platform {
  /** the database each service was given (unique per test run) */
  dbNames: Record<'catalog' | 'customers' | 'orders', string>;
  router: RunningRouter;
  catalog: CatalogService;
  customers: CustomersService;
  orders: RunningService;
  stop(): Promise<void>;
}

export async function startPlatform(opts: { seedProducts?: number } = {}): Promise<Platform> {
  const envs = {
    catalog: serviceEnv('catalog', { CATALOG_SEED_PRODUCTS: String(opts.seedProducts ?? 0) }),
    customers: serviceEnv('customers'),
    orders: serviceEnv('orders'),
  };
  const [catalog, customers, orders] = await Promise.all([startCatalog(envs.catalog), startCustomers(envs.customers), startOrders(envs.orders)]);
  const router = await startRouter({
    NODE_ENV: 'development',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    ROUTER_PORT: '0',
    ROUTER_SECRET: TEST_ROUTER_SECRET,
    CUSTOMERS_JWKS_URL: customers.jwksUrl,
    CATALOG_URL: catalog.url,
    CUSTOMERS_URL: customers.url,
    ORDERS_URL: orders.url,
  });
  return {
    dbNames: { catalog: envs.catalog.CATALOG_DB_NAME!, customers: envs.customers.CUSTOMERS_DB_NAME!, orders: envs.orders.ORDERS_DB_NAME! },
    router,
    catalog,
    customers,
    orders,
    async stop() {
      await router.stop();
      await Promise.all([catalog.stop(), customers.stop(), orders.stop()]);
    },
  };
}

/**
 * The client contract, operation by operation, exactly as clients send it. test/contract holds a
 * copy of ../shared/contract (a test checks they are identical whenever ../shared is present).
 */
const CONTRACT_DIR = join(import.meta.dirname, '..', 'contract');
const documents: DocumentNode[] = ['storefront.graphql', 'admin.graphql'].map((f) => parse(readFileSync(join(CONTRACT_DIR, f), 'utf8')));

export function contractOperation(name: string): string {
  for (const doc of documents) {
    const op = doc.definitions.find((d) => d.kind === 'OperationDefinition' && d.name?.value === name);
    if (!op) continue;
    const fragments = new Map(doc.definitions.flatMap((d) => (d.kind === 'FragmentDefinition' ? [[d.name.value, d] as const] : [])));
    const used = new Set<DefinitionNode>();
    const collect = (node: DefinitionNode) =>
      visit(node, {
        FragmentSpread(s) {
          const f = fragments.get(s.name.value);
          if (f && !used.has(f)) {
            used.add(f);
            collect(f);
          }
        },
      });
    collect(op);
    return [op, ...used].map((d) => print(d)).join('\n\n');
  }
  throw new Error(`no operation ${name} in the contract`);
}

/** Sends one contract operation through the router, with a customer's token when given. */
export function send<T = Record<string, any>>(platform: Platform, operation: string, variables: Record<string, unknown> = {}, token?: string): Promise<GraphQLResponse<T>> {
  return gql<T>(platform.router.url, contractOperation(operation), variables, token ? { authorization: `Bearer ${token}` } : {});
}
