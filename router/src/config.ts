import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { assertDeploymentMode, ConfigError, nodeEnvSchema, parseEnv } from '@commerce/platform';

/** `<repo>/schema/supergraph.graphql`, resolved from this file so it works from any cwd. */
export const DEFAULT_SUPERGRAPH_PATH = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../schema/supergraph.graphql');

const port = z.coerce.number().int().min(0).max(65535);
const positiveInt = z.coerce.number().int().positive();
/** `<maximum>:<restore rate per second>` of a token bucket, e.g. `1000:50` */
const bucket = z
  .string()
  .regex(/^\d+:\d+(\.\d+)?$/, 'a bucket as <maximum>:<restore rate per second>, e.g. 1000:50')
  .transform((v) => {
    const [maximum, restoreRate] = v.split(':').map(Number) as [number, number];
    return { maximum, restoreRate };
  })
  .refine((b) => b.maximum > 0 && b.restoreRate > 0, 'maximum and restore rate must be positive');

const routerEnv = z.object({
  NODE_ENV: nodeEnvSchema,
  LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
  HOST: z.string().min(1).default('127.0.0.1'),
  ROUTER_PORT: port.default(4000),
  // the private key that signs the router context (PEM or JWK; @commerce/platform router-keys.ts)
  ROUTER_SIGNING_KEY: z.string().min(1).optional(),
  SUPERGRAPH_PATH: z.string().min(1).default(DEFAULT_SUPERGRAPH_PATH),
  CUSTOMERS_JWKS_URL: z.url().default('http://127.0.0.1:4002/.well-known/jwks.json'),
  JWT_ISSUER: z.string().min(1).default('commerce-customers'),
  JWT_AUDIENCE: z.string().min(1).default('commerce'),
  // the customers' OAuth 2.0 provider: its access tokens are accepted beside the GraphQL log-in's
  OAUTH_ISSUER: z.url().default('http://127.0.0.1:4002/oauth'),
  ROUTER_MAX_BODY_BYTES: positiveInt.default(102_400),
  ROUTER_MAX_DEPTH: positiveInt.default(15),
  ROUTER_MAX_ALIASES: z.coerce.number().int().min(0).default(30),
  ROUTER_MAX_TOKENS: positiveInt.default(5_000),
  ROUTER_SUBGRAPH_MAX_SOCKETS: positiveInt.default(64),
  ROUTER_SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).default(10_000),
  CORS_ORIGINS: z.string().optional(),
  REDIS_URL: z.string().default('redis://127.0.0.1:6379'),
  APQ_TTL_SECONDS: z.coerce.number().int().min(0).default(86_400),
  ROUTER_MAX_DIRECTIVES: z.coerce.number().int().min(0).default(50),
  ROUTER_MAX_OPERATIONS: positiveInt.default(10),
  ROUTER_MAX_COST: positiveInt.default(3_000),
  ROUTER_DEFAULT_LIST_SIZE: positiveInt.default(5),
  ROUTER_MUTATION_COST: z.coerce.number().int().min(0).default(10),
  ROUTER_TRUSTED_PROXIES: z.string().default(''),
  RESPONSE_CACHE_ENABLED: z.enum(['true', 'false']).default('true'),
  RATE_LIMIT_ENABLED: z.enum(['true', 'false']).default('true'),
  RATE_LIMIT_ANONYMOUS: bucket.prefault('5000:250'),
  RATE_LIMIT_CUSTOMER: bucket.prefault('10000:500'),
  RATE_LIMIT_PARTNER: bucket.prefault('20000:1000'),
  RATE_LIMIT_ADMIN: bucket.prefault('50000:2500'),
});

export type NodeEnv = 'development' | 'test' | 'production';

export interface RouterConfig {
  nodeEnv: NodeEnv;
  logLevel: string;
  host: string;
  port: number;
  /**
   * ROUTER_SIGNING_KEY as given (PEM or JWK), resolved at start by resolveRouterSigningKey
   * (outside production: the development pair when unset; in production required)
   */
  signingKey?: string;
  supergraphPath: string;
  jwt: { jwksUrl: string; issuer: string; audience: string; oauthIssuer: string };
  limits: { maxBodyBytes: number; maxDepth: number; maxAliases: number; maxTokens: number; maxDirectives: number; maxOperations: number };
  /** whole-response cache of public data in Redis */
  responseCache: boolean;
  /** cost-based rate limiting (see plugins/use-rate-limit.ts) */
  rateLimit: {
    enabled: boolean;
    maxCost: number;
    defaultListSize: number;
    mutationCost: number;
    trustedProxies: string[];
    limits: Record<'anonymous' | 'customer' | 'partner' | 'admin', { maximum: number; restoreRate: number }>;
  };
  subgraphMaxSockets: number;
  shutdownGraceMs: number;
  /** allowed browser origins; `['*']` allows any, `[]` sends no CORS headers */
  corsOrigins: string[];
  /** Redis: automatic persisted queries shared by every router instance */
  redisUrl: string;
  /** how long a registered persisted query is kept (0 = no expiry) */
  apqTtlSeconds: number;
  /** `<NAME>_URL` overrides of the subgraph URLs in the supergraph, keyed by NAME (e.g. CATALOG) */
  subgraphUrls: Record<string, string>;
}

/** Env vars ending in `_URL` that name infrastructure, not a subgraph. */
const NOT_SUBGRAPH_URLS = new Set(['CUSTOMERS_JWKS_URL', 'MONGO_URL', 'NATS_URL', 'REDIS_URL', 'DATABASE_URL']);

/** The env var that overrides a subgraph's URL: `catalog` → `CATALOG_URL`. */
export function subgraphUrlVar(subgraphName: string): string {
  return `${subgraphName.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_URL`;
}

/** Parses the router's env once at start; nothing else in the router reads process.env. */
export function loadRouterConfig(env: NodeJS.ProcessEnv = process.env, argv: readonly string[] = process.argv): RouterConfig {
  const e = parseEnv(routerEnv, env);
  // HOST not loopback or --production without NODE_ENV=production
  assertDeploymentMode(env, argv);
  const subgraphUrls: Record<string, string> = {};
  const bad: string[] = [];
  for (const [key, value] of Object.entries(env)) {
    if (!value || !/^[A-Z][A-Z0-9_]*_URL$/.test(key) || NOT_SUBGRAPH_URLS.has(key) || key.endsWith('_MONGO_URL')) continue;
    if (!URL.canParse(value) || !/^https?:$/.test(new URL(value).protocol)) {
      bad.push(`  ${key}: not an http(s) URL: ${value}`);
      continue;
    }
    subgraphUrls[key.slice(0, -'_URL'.length)] = value;
  }
  if (bad.length) throw new ConfigError(`invalid configuration:\n${bad.join('\n')}`);
  const corsOrigins =
    e.CORS_ORIGINS === undefined
      ? e.NODE_ENV === 'production'
        ? []
        : ['*']
      : e.CORS_ORIGINS.split(',').map((o) => o.trim()).filter(Boolean);
  return {
    nodeEnv: e.NODE_ENV,
    logLevel: e.LOG_LEVEL,
    host: e.HOST,
    port: e.ROUTER_PORT,
    ...(e.ROUTER_SIGNING_KEY ? { signingKey: e.ROUTER_SIGNING_KEY } : {}),
    supergraphPath: path.resolve(e.SUPERGRAPH_PATH),
    jwt: { jwksUrl: e.CUSTOMERS_JWKS_URL, issuer: e.JWT_ISSUER, audience: e.JWT_AUDIENCE, oauthIssuer: e.OAUTH_ISSUER.replace(/\/$/, '') },
    limits: { maxBodyBytes: e.ROUTER_MAX_BODY_BYTES, maxDepth: e.ROUTER_MAX_DEPTH, maxAliases: e.ROUTER_MAX_ALIASES, maxTokens: e.ROUTER_MAX_TOKENS, maxDirectives: e.ROUTER_MAX_DIRECTIVES, maxOperations: e.ROUTER_MAX_OPERATIONS },
    responseCache: e.RESPONSE_CACHE_ENABLED === 'true',
    rateLimit: {
      enabled: e.RATE_LIMIT_ENABLED === 'true',
      maxCost: e.ROUTER_MAX_COST,
      defaultListSize: e.ROUTER_DEFAULT_LIST_SIZE,
      mutationCost: e.ROUTER_MUTATION_COST,
      trustedProxies: e.ROUTER_TRUSTED_PROXIES.split(',').map((p) => p.trim()).filter(Boolean),
      limits: { anonymous: e.RATE_LIMIT_ANONYMOUS, customer: e.RATE_LIMIT_CUSTOMER, partner: e.RATE_LIMIT_PARTNER, admin: e.RATE_LIMIT_ADMIN },
    },
    subgraphMaxSockets: e.ROUTER_SUBGRAPH_MAX_SOCKETS,
    shutdownGraceMs: e.ROUTER_SHUTDOWN_GRACE_MS,
    corsOrigins,
    redisUrl: e.REDIS_URL,
    apqTtlSeconds: e.APQ_TTL_SECONDS,
    subgraphUrls,
  };
}
