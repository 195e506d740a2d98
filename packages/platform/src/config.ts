import { isIP } from 'node:net';
import { z } from 'zod';
import { NATS_PASSWORD_PATTERN } from '@commerce/events';

/**
 * Config is parsed once at start (zod) and passed down; nothing else reads process.env.
 * Each service extends `baseServiceConfig` with its own keys.
 */
export const nodeEnvSchema = z.enum(['development', 'test', 'production']).default('development');

export const baseServiceEnv = z.object({
  NODE_ENV: nodeEnvSchema,
  LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
  HOST: z.string().default('127.0.0.1'),
  MONGO_URL: z.string().optional(),
  NATS_URL: z.string().default('nats://127.0.0.1:4222'),
  // the service's own NATS user (security review finding 2): publish its events, consume what it consumes
  NATS_USER: z.string().regex(/^[a-z][a-z0-9-]*$/, 'lower-case letters, digits and -').optional(),
  NATS_PASSWORD: z.string().regex(NATS_PASSWORD_PATTERN, 'a letter, then at least 15 letters or digits (nats-server reads it as a config value): echo "n$(openssl rand -hex 24)"').optional(),
  REDIS_URL: z.string().default('redis://127.0.0.1:6379'),
  // the router's public key (PEM or JWK): verifies the router context; never a private key (router-keys.ts)
  ROUTER_PUBLIC_KEY: z.string().min(1).optional(),
  CUSTOMERS_JWKS_URL: z.string().url().optional(),
  EVENTS_NEW_CONSUMERS_FROM: z.enum(['all', 'new']).default('all'),
  EVENTS_DURABLE_TTL_MS: z.coerce.number().int().positive().optional(),
  DATALOADER_BATCHING: z.enum(['true', 'false']).default('true'),
  EVENTS_STREAM_REPLICAS: z.coerce.number().int().min(1).max(5).default(1),
  EVENTS_NAMESPACE: z.string().regex(/^[a-z][a-z0-9]{0,15}$/, 'lower-case letters and digits').optional(),
});

export interface ServiceConfig {
  service: string;
  nodeEnv: 'development' | 'test' | 'production';
  logLevel: string;
  host: string;
  port: number;
  mongoUrl: string;
  dbName: string;
  natsUrl: string;
  /** NATS_USER / NATS_PASSWORD: the service's NATS user (else credentials in NATS_URL, or none) */
  nats: { user?: string; password?: string };
  redisUrl: string;
  /**
   * ROUTER_PUBLIC_KEY as given (PEM or JWK), resolved at start by resolveRouterPublicKey (outside
   * production: the development pair's public key when unset). Subgraphs hold no private key.
   */
  routerPublicKey?: string;
  /** DataLoader batching (off only to measure what it saves) */
  dataloaderBatching: boolean;
  /** how this service's durable consumers are created (see @commerce/events connectEventBus) */
  events: { newConsumersFrom: 'all' | 'new'; durableTtlMs?: number; namespace?: string; streamReplicas: number };
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** `localhost`, 127.0.0.0/8 and ::1 (also `[::1]` and `::ffff:127.x.x.x`): reachable from this host only. */
export function isLoopbackHost(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '');
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  const v4 = h.startsWith('::ffff:') ? h.slice('::ffff:'.length) : h;
  if (isIP(v4) === 4) return v4.split('.')[0] === '127';
  if (isIP(h) === 6) return /^(0{0,4}:){2,7}0{0,3}1$/.test(h) || h === '::1';
  return false;
}

/**
 * Whether this start must be treated as production, whatever NODE_ENV says: NODE_ENV=production, a
 * HOST that is not a loopback address (the process is reachable from other hosts; unset means
 * 127.0.0.1), or `--production` on the command line. The router and every service's config check it
 * (see assertDeploymentMode), so development defaults (Sandbox, introspection, CORS `*`, the seeded
 * admin, a generated JWT key) never reach a reachable process.
 */
export function isProductionLike(env: NodeJS.ProcessEnv = process.env, argv: readonly string[] = process.argv): boolean {
  if (env.NODE_ENV === 'production') return true;
  if (argv.includes('--production')) return true;
  const host = env.HOST === undefined || env.HOST === '' ? '127.0.0.1' : env.HOST;
  return !isLoopbackHost(host);
}

/**
 * Refuses a production-like start (isProductionLike) without NODE_ENV=production. Called by
 * loadServiceConfig and the router's loadRouterConfig after the env has parsed. (The router
 * context's keys are checked where they are resolved: router-keys.ts refuses a missing key and
 * the development pair in production.)
 */
export function assertDeploymentMode(env: NodeJS.ProcessEnv = process.env, argv: readonly string[] = process.argv): void {
  if (isProductionLike(env, argv) && env.NODE_ENV !== 'production') {
    const why = argv.includes('--production') ? 'started with --production' : `HOST=${env.HOST} is not a loopback address`;
    throw new ConfigError(
      `invalid configuration:\n  NODE_ENV: set NODE_ENV=production (${why}, found NODE_ENV=${env.NODE_ENV ?? 'unset'}): a process reachable from other hosts never runs with development defaults`,
    );
  }
}

/** Formats zod issues as `VAR: message` lines so a bad env var is named, not buried. */
export function parseEnv<T extends z.ZodType>(schema: T, env: NodeJS.ProcessEnv): z.infer<T> {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(env)'}: ${i.message}`);
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  return parsed.data;
}

/**
 * The common part of every subgraph's config. `<SERVICE>_MONGO_URL` and `<SERVICE>_PORT` override
 * the shared defaults, so each domain can be pointed at its own MongoDB.
 */
export function loadServiceConfig(service: string, defaultPort: number, env: NodeJS.ProcessEnv = process.env, argv: readonly string[] = process.argv): ServiceConfig {
  const base = parseEnv(baseServiceEnv, env);
  assertDeploymentMode(env, argv);
  const prefix = service.toUpperCase().replace(/[^A-Z0-9]/g, '_');
  const mongoUrl = env[`${prefix}_MONGO_URL`] ?? base.MONGO_URL;
  if (!mongoUrl) {
    throw new ConfigError(`invalid configuration:\n  ${prefix}_MONGO_URL or MONGO_URL: required (npm start provides it)`);
  }
  if (!base.NATS_USER !== !base.NATS_PASSWORD) {
    throw new ConfigError(`invalid configuration:\n  ${base.NATS_USER ? 'NATS_PASSWORD' : 'NATS_USER'}: required with ${base.NATS_USER ? 'NATS_USER' : 'NATS_PASSWORD'} (the service's NATS user)`);
  }
  const portRaw = env[`${prefix}_PORT`];
  const port = portRaw === undefined ? defaultPort : Number(portRaw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError(`invalid configuration:\n  ${prefix}_PORT: not a port number: ${portRaw}`);
  }
  return {
    service,
    nodeEnv: base.NODE_ENV,
    logLevel: base.LOG_LEVEL,
    host: base.HOST,
    port,
    mongoUrl,
    dbName: env[`${prefix}_DB_NAME`] ?? `commerce_${service}`,
    natsUrl: base.NATS_URL,
    nats: { ...(base.NATS_USER ? { user: base.NATS_USER } : {}), ...(base.NATS_PASSWORD ? { password: base.NATS_PASSWORD } : {}) },
    redisUrl: base.REDIS_URL,
    ...(base.ROUTER_PUBLIC_KEY ? { routerPublicKey: base.ROUTER_PUBLIC_KEY } : {}),
    dataloaderBatching: base.DATALOADER_BATCHING === 'true',
    events: {
      streamReplicas: base.EVENTS_STREAM_REPLICAS,
      newConsumersFrom: base.EVENTS_NEW_CONSUMERS_FROM,
      ...(base.EVENTS_DURABLE_TTL_MS ? { durableTtlMs: base.EVENTS_DURABLE_TTL_MS } : {}),
      ...(base.EVENTS_NAMESPACE ? { namespace: base.EVENTS_NAMESPACE } : {}),
    },
  };
}
