import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gql, testInfra, testRouterContext, TEST_ROUTER_PUBLIC_KEY, uniqueDbName, uniqueSuffix, type GraphQLResponse } from '@commerce/testing';
import type { Identity } from '@commerce/platform';
import { startCustomers, type CustomersOverrides, type CustomersService } from '../src/index.ts';
import { MIN_SCRYPT_LOG_N } from '../src/domain/passwords.ts';

export interface TestCustomers {
  svc: CustomersService;
  env: Record<string, string>;
  /** one GraphQL call as the router would forward it, with `user` as the caller's identity (and the client IP the router saw) */
  call<T = Record<string, any>>(query: string, variables?: Record<string, unknown>, user?: Identity | null, opts?: { clientIp?: string }): Promise<GraphQLResponse<T>>;
  /** every response body seen so far, as text */
  responses: string[];
  /** stops the service, drops its database, removes its key directory */
  stop(): Promise<void>;
}

/** log2 of scrypt's N in the tests (the service's default is 17) */
export const TEST_SCRYPT_LOG_N = 12;

/** Env of an in-process customers subgraph on its own database, port 0 and a key file of its own. */
export async function testEnv(extra: Record<string, string> = {}): Promise<{ env: Record<string, string>; keyDir: string }> {
  const infra = testInfra();
  const keyDir = await mkdtemp(path.join(tmpdir(), 'customers-keys-'));
  const env = {
    MONGO_URL: infra.mongoUrl,
    CUSTOMERS_DB_NAME: uniqueDbName('customers'),
    CUSTOMERS_PORT: '0',
    NATS_URL: infra.natsUrl,
    REDIS_URL: infra.redisUrl,
    ROUTER_PUBLIC_KEY: TEST_ROUTER_PUBLIC_KEY,
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    JWT_KEY_FILE: path.join(keyDir, 'jwt-private.pem'),
    // scrypt N = 2^12 instead of the production 2^17: the tests check behaviour, not cost (outside
    // NODE_ENV=test the service accepts no less than 2^14)
    CUSTOMERS_SCRYPT_LOG_N: String(extra.NODE_ENV === undefined || extra.NODE_ENV === 'test' ? TEST_SCRYPT_LOG_N : MIN_SCRYPT_LOG_N),
    // production refuses to start without a way to deliver mail: tests about other things run without
    ...(extra.NODE_ENV === 'production' ? { MAIL_TRANSPORT: 'log', OAUTH_COOKIE_KEYS: 'test-only-oauth-cookie-key-0123456789abcdef', OAUTH_ISSUER: 'https://customers.test.invalid/oauth', JWT_KEYRING_SECRET: 'test-only-key-ring-secret-0123456789abcdef' } : {}),
    ...extra,
  };
  return { env, keyDir };
}

export async function startTestCustomers(extra: Record<string, string> = {}, overrides: CustomersOverrides = {}): Promise<TestCustomers> {
  const { env, keyDir } = await testEnv(extra);
  const svc = await startCustomers(env, overrides);
  const responses: string[] = [];
  return {
    svc,
    env,
    responses,
    async call(query, variables = {}, user = null, opts = {}) {
      const context = await testRouterContext('customers', user, { requestId: `r-${uniqueSuffix()}`, ...(opts.clientIp ? { clientIp: opts.clientIp } : {}) });
      const res = await gql(svc.url, query, variables, { 'x-commerce-context': context });
      responses.push(JSON.stringify({ data: res.data, errors: res.errors }));
      return res as never;
    },
    async stop() {
      await svc.conn.dropDatabase().catch(() => undefined);
      await svc.stop();
      await rm(keyDir, { recursive: true, force: true });
    },
  };
}

export const uniqueEmail = (tag = 'c') => `${tag}-${uniqueSuffix()}@example.com`;

export const SIGN_UP = /* GraphQL */ `
  mutation SignUp($input: SignUpInput!) {
    signUp(input: $input) {
      accessToken
      customer { id email name }
      userErrors { field message code }
    }
  }
`;

export const LOG_IN = /* GraphQL */ `
  mutation LogIn($email: String!, $password: String!) {
    logIn(email: $email, password: $password) {
      accessToken
      customer { id email name }
      userErrors { field message code }
    }
  }
`;

export const ME = /* GraphQL */ `
  query Me {
    me { id email name createdAt }
  }
`;

export interface AuthPayloadShape {
  accessToken: string | null;
  customer: { id: string; email: string; name: string } | null;
  userErrors: Array<{ field: string[] | null; message: string; code: string }>;
}
