import type { ServerResponse } from 'node:http';
import type { Connection } from 'mongoose';
import { Counter } from 'prom-client';
import { z } from 'zod';
import type { EventBus, OutboxRelay } from '@commerce/events';
import {
  ConfigError,
  createLogger,
  isMain,
  loadServiceConfig,
  parseEnv,
  runMain,
  loadSubgraphTypeDefs, startPeriodic, startServiceRuntime,
  startSubgraphServer,
  type Logger,
  type Periodic,
  type Redis,
  type RunningService,
  type ServiceConfig,
} from '@commerce/platform';
import type { Context } from './context.ts';
import { createAccountService, type AccountService, type SeedOutcome } from './domain/index.ts';
import { createLoginThrottle, DEFAULT_THROTTLE_LIMITS, type ThrottleLimits } from './domain/login-throttle.ts';
import { createPasswordHasher, DEFAULT_SCRYPT_LOG_N, MAX_SCRYPT_LOG_N, MIN_SCRYPT_LOG_N } from './domain/passwords.ts';
import { resolveSigningKey } from './domain/signing-key.ts';
import { createTokenIssuer, MAX_ACCESS_TOKEN_TTL_SECONDS, parseTtl, type TokenIssuer } from './domain/tokens.ts';
import { createLoaders } from './loaders.ts';
import { customerModel } from './model/customer.model.ts';
import { partnerModel } from './model/partner.model.ts';
import { createPartnerService, type PartnerService } from './domain/partners/index.ts';
import { permissions } from './permissions.ts';
import { resolvers } from './resolvers/index.ts';

export const SERVICE_NAME = 'customers';
export const DEFAULT_PORT = 4002;
export const JWKS_PATH = '/.well-known/jwks.json';

const typeDefs = loadSubgraphTypeDefs(import.meta.url);

/** The customers subgraph's own keys, on top of the shared service config. */
const customersEnv = z.object({
  JWT_PRIVATE_KEY: z.string().min(1).optional(),
  JWT_KEY_ID: z.string().regex(/^[\w.-]{1,128}$/, 'letters, digits, _ . - only').optional(),
  JWT_KEY_FILE: z.string().min(1).optional(),
  ACCESS_TOKEN_TTL: z
    .string()
    .default('1h')
    .refine((v) => parseTtl(v) !== undefined, 'a lifetime such as 15m, 1h, 3600 or 2d')
    .refine((v) => (parseTtl(v) ?? 0) <= MAX_ACCESS_TOKEN_TTL_SECONDS, `at most 24h (${MAX_ACCESS_TOKEN_TTL_SECONDS} seconds): access tokens cannot be revoked, so they must expire`),
  SEED_ADMIN_EMAIL: z.string().optional(),
  SEED_ADMIN_PASSWORD: z.string().optional(),
  // log-in throttle (domain/login-throttle.ts): failed attempts per window, then growing blocks
  CUSTOMERS_LOGIN_MAX_FAILURES_PER_ACCOUNT: z.coerce.number().int().min(1).default(DEFAULT_THROTTLE_LIMITS.maxFailuresPerAccount),
  CUSTOMERS_LOGIN_MAX_FAILURES_PER_IP: z.coerce.number().int().min(1).default(DEFAULT_THROTTLE_LIMITS.maxFailuresPerIp),
  CUSTOMERS_LOGIN_WINDOW_SECONDS: z.coerce.number().int().min(1).default(DEFAULT_THROTTLE_LIMITS.windowSeconds),
  CUSTOMERS_LOGIN_BLOCK_SECONDS: z.coerce.number().int().min(1).default(DEFAULT_THROTTLE_LIMITS.blockSeconds),
  CUSTOMERS_LOGIN_MAX_BLOCK_SECONDS: z.coerce.number().int().min(1).default(DEFAULT_THROTTLE_LIMITS.maxBlockSeconds),
  // scrypt cost: N = 2^CUSTOMERS_SCRYPT_LOG_N (r=8, p=1); at least 2^14 outside NODE_ENV=test
  CUSTOMERS_SCRYPT_LOG_N: z.coerce.number().int().min(1).max(MAX_SCRYPT_LOG_N).default(DEFAULT_SCRYPT_LOG_N),
  CUSTOMERS_KDF_CONCURRENCY: z.coerce.number().int().min(1).max(16).default(2),
  // how often every partner is projected to Redis again (a commit whose projection failed converges)
  PARTNERS_RECONCILE_EVERY_MS: z.coerce.number().int().min(100).default(15_000),
});

export interface CustomersConfig extends ServiceConfig {
  jwt: { privateKeyPem?: string | undefined; keyId?: string | undefined; keyFile?: string | undefined; ttlSeconds: number };
  seedAdmin: { email?: string | undefined; password?: string | undefined };
  login: ThrottleLimits;
  /** scrypt: log2 N, and how many KDFs may run at once (each takes 128·N·r bytes) */
  scrypt: { logN: number; maxConcurrent: number };
  /** how often the partner projection in Redis is reconciled with the database */
  partnersReconcileEveryMs: number;
}

export function loadCustomersConfig(env: NodeJS.ProcessEnv = process.env): CustomersConfig {
  const base = loadServiceConfig(SERVICE_NAME, DEFAULT_PORT, env);
  const own = parseEnv(customersEnv, env);
  if (own.CUSTOMERS_SCRYPT_LOG_N < MIN_SCRYPT_LOG_N && base.nodeEnv !== 'test') {
    throw new ConfigError(`invalid configuration:\n  CUSTOMERS_SCRYPT_LOG_N: at least ${MIN_SCRYPT_LOG_N} (N = 2^${MIN_SCRYPT_LOG_N}) outside NODE_ENV=test; the default is ${DEFAULT_SCRYPT_LOG_N}`);
  }
  if (own.CUSTOMERS_LOGIN_MAX_BLOCK_SECONDS < own.CUSTOMERS_LOGIN_BLOCK_SECONDS) {
    throw new ConfigError('invalid configuration:\n  CUSTOMERS_LOGIN_MAX_BLOCK_SECONDS: must not be below CUSTOMERS_LOGIN_BLOCK_SECONDS');
  }
  return {
    ...base,
    jwt: { privateKeyPem: own.JWT_PRIVATE_KEY, keyId: own.JWT_KEY_ID, keyFile: own.JWT_KEY_FILE, ttlSeconds: parseTtl(own.ACCESS_TOKEN_TTL)! },
    seedAdmin: { email: own.SEED_ADMIN_EMAIL, password: own.SEED_ADMIN_PASSWORD },
    login: {
      maxFailuresPerAccount: own.CUSTOMERS_LOGIN_MAX_FAILURES_PER_ACCOUNT,
      maxFailuresPerIp: own.CUSTOMERS_LOGIN_MAX_FAILURES_PER_IP,
      windowSeconds: own.CUSTOMERS_LOGIN_WINDOW_SECONDS,
      blockSeconds: own.CUSTOMERS_LOGIN_BLOCK_SECONDS,
      maxBlockSeconds: own.CUSTOMERS_LOGIN_MAX_BLOCK_SECONDS,
    },
    scrypt: { logN: own.CUSTOMERS_SCRYPT_LOG_N, maxConcurrent: own.CUSTOMERS_KDF_CONCURRENCY },
    partnersReconcileEveryMs: own.PARTNERS_RECONCILE_EVERY_MS,
  };
}

export interface CustomersOverrides {
  /** replaces the JSON stdout logger (tests capture log lines with it) */
  logger?: Logger;
  /** emit driver command events (tests count queries per request with CommandCounter) */
  monitorCommands?: boolean;
  /** the Redis client the partner projection writes with (tests take it down to fail writes); default: the service's */
  partnerRedis?: Redis;
}

export interface CustomersService extends RunningService {
  config: CustomersConfig;
  /** public key set of the access tokens (also served at GET /.well-known/jwks.json) */
  jwksUrl: string;
  conn: Connection;
  bus: EventBus;
  relay: OutboxRelay;
  tokens: TokenIssuer;
  accounts: AccountService;
  partners: PartnerService;
  /** the periodic reconcile of the partner projection (runNow: reconcile at once) */
  partnerReconcile: Periodic<number>;
  /** what the dev seed did at start */
  seed: SeedOutcome;
}

function jwksRoute(tokens: TokenIssuer) {
  const body = JSON.stringify(tokens.jwks());
  return (_req: unknown, res: ServerResponse) => {
    res.writeHead(200, { 'content-type': 'application/jwk-set+json', 'cache-control': 'public, max-age=300', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  };
}

/**
 * Composition root: config → signing key → mongo → event bus + outbox relay → dev seed → server.
 * Whatever was started is stopped again if a later step fails.
 */
export async function startCustomers(env: NodeJS.ProcessEnv = process.env, overrides: CustomersOverrides = {}): Promise<CustomersService> {
  const config = loadCustomersConfig(env);
  const logger = overrides.logger ?? createLogger(SERVICE_NAME, config.logLevel);
  // the signing key first: a production start without one fails before anything connects
  const signingKey = await resolveSigningKey({ nodeEnv: config.nodeEnv, ...config.jwt }, logger);
  const tokens = createTokenIssuer(signingKey, config.jwt.ttlSeconds);
  const rt = await startServiceRuntime(config, { models: (conn) => ({ customers: customerModel(conn), partners: partnerModel(conn) }), logger, monitorCommands: overrides.monitorCommands ?? false });
  try {
    const { customers } = rt.models;
    const kdfRuns = new Counter({ name: 'customers_password_kdf_total', help: 'scrypt runs, by purpose (hash, verify, rehash, burn for an unknown email, pad for a weaker hash)', labelNames: ['purpose'], registers: [rt.metrics.registry] });
    const throttled = new Counter({ name: 'customers_login_throttled_total', help: 'Log-in attempts refused with TOO_MANY_ATTEMPTS, by the limit that refused them (account, ip)', labelNames: ['scope'], registers: [rt.metrics.registry] });
    const passwords = createPasswordHasher({ ...config.scrypt, onKdf: (purpose) => kdfRuns.inc({ purpose }) });
    // one prefix per database: every instance of this service shares the counters, test databases do not
    const throttle = createLoginThrottle({ redis: rt.redis, keyPrefix: `customers:login:${config.dbName}`, limits: config.login, logger, onRefused: (scope) => throttled.inc({ scope }) });
    const accounts = createAccountService({ customers, committer: rt.committer, tokens, passwords, throttle, logger });
    const partners = createPartnerService({ partners: rt.models.partners, committer: rt.committer, redis: overrides.partnerRedis ?? rt.redis, logger });
    const seed = await accounts.seedAdmin({ nodeEnv: config.nodeEnv, ...config.seedAdmin });
    // the router reads partners from Redis: make the projection whole again (Redis may be new),
    // then keep reconciling it, so a commit whose projection failed still reaches every router
    const projected = await partners.projectAll();
    if (projected) logger.info({ partners: projected }, 'partner keys and safelists projected to Redis');
    const partnerReconcile = startPeriodic({ everyMs: config.partnersReconcileEveryMs, run: () => partners.projectAll(), logger, what: 'partner projection reconcile' });
    rt.onStop(() => partnerReconcile.stop());
    const server = await startSubgraphServer<Context>({
      ...rt.server,
      typeDefs,
      resolvers,
      permissions,
      context: (base) => ({
        ...base,
        loaders: createLoaders(customers, base.loaderScope),
        services: { accounts, partners },
        provenCustomerIds: new Set(base.user ? [base.user.id] : []),
      }),
      routes: { [JWKS_PATH]: jwksRoute(tokens) },
    });
    rt.onStop(() => server.stop());
    return {
      name: SERVICE_NAME,
      url: server.url,
      port: server.port,
      jwksUrl: new URL(JWKS_PATH, server.url).href,
      config,
      conn: rt.conn,
      bus: rt.bus,
      relay: rt.relay,
      tokens,
      accounts,
      partners,
      partnerReconcile,
      seed,
      stop: rt.stop,
    };
  } catch (err) {
    await rt.stop();
    throw err;
  }
}

export { seedAdmin, DEFAULT_SEED_ADMIN_EMAIL, DEFAULT_SEED_ADMIN_PASSWORD } from './domain/seed-admin.ts';
export { MAX_ACCESS_TOKEN_TTL_SECONDS, TOKEN_AUDIENCE, TOKEN_ISSUER } from './domain/tokens.ts';

if (isMain(import.meta.url)) runMain(() => startCustomers());
