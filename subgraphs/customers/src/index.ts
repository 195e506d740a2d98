import { readFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import type { Db } from 'mongodb';
import type { Connection } from 'mongoose';
import { z } from 'zod';
import { connectEventBus, createCommitter, ensureOutboxIndexes, startOutboxRelay, type EventBus, type OutboxRelay } from '@commerce/events';
import {
  connectMongo,
  createLogger,
  createMetrics,
  createRedis,
  ensureIndexes,
  isMain,
  loadServiceConfig,
  parseEnv,
  pingMongo,
  runMain,
  startSubgraphServer,
  type Logger,
  type RunningService,
  type ServiceConfig,
} from '@commerce/platform';
import type { Context } from './context.ts';
import { createAccountService, type AccountService, type SeedOutcome } from './domain/index.ts';
import { resolveSigningKey } from './domain/signing-key.ts';
import { createTokenIssuer, parseTtl, type TokenIssuer } from './domain/tokens.ts';
import { createLoaders } from './loaders.ts';
import { customerModel } from './model/customer.model.ts';
import { permissions } from './permissions.ts';
import { resolvers } from './resolvers/index.ts';

export const SERVICE_NAME = 'customers';
export const DEFAULT_PORT = 4002;
export const JWKS_PATH = '/.well-known/jwks.json';

const typeDefs = readFileSync(new URL('./schema.graphql', import.meta.url), 'utf8');

/** The customers subgraph's own keys, on top of the shared service config. */
const customersEnv = z.object({
  JWT_PRIVATE_KEY: z.string().min(1).optional(),
  JWT_KEY_ID: z.string().regex(/^[\w.-]{1,128}$/, 'letters, digits, _ . - only').optional(),
  JWT_KEY_FILE: z.string().min(1).optional(),
  ACCESS_TOKEN_TTL: z
    .string()
    .default('1h')
    .refine((v) => parseTtl(v) !== undefined, 'a lifetime such as 15m, 1h, 3600 or 2d'),
  SEED_ADMIN_EMAIL: z.string().optional(),
  SEED_ADMIN_PASSWORD: z.string().optional(),
});

export interface CustomersConfig extends ServiceConfig {
  jwt: { privateKeyPem?: string | undefined; keyId?: string | undefined; keyFile?: string | undefined; ttlSeconds: number };
  seedAdmin: { email?: string | undefined; password?: string | undefined };
}

export function loadCustomersConfig(env: NodeJS.ProcessEnv = process.env): CustomersConfig {
  const base = loadServiceConfig(SERVICE_NAME, DEFAULT_PORT, env);
  const own = parseEnv(customersEnv, env);
  return {
    ...base,
    jwt: { privateKeyPem: own.JWT_PRIVATE_KEY, keyId: own.JWT_KEY_ID, keyFile: own.JWT_KEY_FILE, ttlSeconds: parseTtl(own.ACCESS_TOKEN_TTL)! },
    seedAdmin: { email: own.SEED_ADMIN_EMAIL, password: own.SEED_ADMIN_PASSWORD },
  };
}

export interface CustomersOverrides {
  /** replaces the JSON stdout logger (tests capture log lines with it) */
  logger?: Logger;
  /** emit driver command events (tests count queries per request with CommandCounter) */
  monitorCommands?: boolean;
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
  const undo: Array<() => Promise<unknown>> = [];
  const unwind = async () => {
    for (const step of undo.reverse()) await step().catch((err) => logger.warn({ err }, 'error while stopping'));
  };
  try {
    const signingKey = await resolveSigningKey({ nodeEnv: config.nodeEnv, ...config.jwt }, logger);
    const tokens = createTokenIssuer(signingKey, config.jwt.ttlSeconds);

    const conn = await connectMongo({ url: config.mongoUrl, dbName: config.dbName, logger, monitorCommands: overrides.monitorCommands ?? false });
    undo.push(() => conn.close());
    const customers = customerModel(conn);
    await ensureIndexes(conn);
    // mongoose bundles its own copy of the driver; the Db it hands out is the same API
    const db = conn.db as unknown as Db | undefined;
    if (!db) throw new Error('mongo connection has no database');
    await ensureOutboxIndexes(db);

    // one registry for the HTTP/GraphQL metrics and the event metrics
    const metrics = createMetrics(SERVICE_NAME);
    const bus = await connectEventBus({ natsUrl: config.natsUrl, name: SERVICE_NAME, registry: metrics.registry, consumerDefaults: config.events });
    undo.push(() => bus.close());
    const relay = startOutboxRelay({ db, bus, logger });
    undo.push(() => relay.stop());
    await relay.sweep(); // publish what a previous run stored but did not get out
    const redis = createRedis(config.redisUrl);
    undo.push(async () => redis.disconnect());

    const accounts = createAccountService({ customers, committer: createCommitter(db, relay), tokens, logger });
    const seed = await accounts.seedAdmin({ nodeEnv: config.nodeEnv, ...config.seedAdmin });

    const server = await startSubgraphServer<Context>({
      name: SERVICE_NAME,
      typeDefs,
      resolvers,
      permissions,
      host: config.host,
      port: config.port,
      nodeEnv: config.nodeEnv,
      routerSecret: config.routerSecret,
      logger,
      metrics,
      context: (base) => ({
        ...base,
        loaders: createLoaders(customers),
        services: { accounts },
        provenCustomerIds: new Set(base.user ? [base.user.id] : []),
      }),
      readiness: { mongo: () => pingMongo(conn), nats: () => bus.ping(), redis: () => redis.ping() },
      routes: { [JWKS_PATH]: jwksRoute(tokens) },
    });
    undo.push(() => server.stop());

    return {
      name: SERVICE_NAME,
      url: server.url,
      port: server.port,
      jwksUrl: new URL(JWKS_PATH, server.url).href,
      config,
      conn,
      bus,
      relay,
      tokens,
      accounts,
      seed,
      stop: unwind,
    };
  } catch (err) {
    await unwind();
    throw err;
  }
}

export { seedAdmin, DEFAULT_SEED_ADMIN_EMAIL, DEFAULT_SEED_ADMIN_PASSWORD } from './domain/seed-admin.ts';
export { TOKEN_AUDIENCE, TOKEN_ISSUER } from './domain/tokens.ts';

if (isMain(import.meta.url)) runMain(() => startCustomers());
