import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isIP } from 'node:net';
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
import { createCodeRequestLimiter, DEFAULT_CODE_REQUEST_LIMITS, type CodeRequestLimits } from './domain/code-requests.ts';
import { createMailDispatcher, type MailDispatcher } from './domain/mail.ts';
import { createOneTimeCodes } from './domain/one-time-codes.ts';
import { createMailSender, devMailboxRoute, MAIL_TRANSPORT_CHOICES, resolveMailSettings, type DevMailbox, type MailSettings } from './mail/index.ts';
import { createLoaders } from './loaders.ts';
import { loadOAuthConfig, type OAuthConfig } from './oauth/config.ts';
import { retiredKeyLifetimeSeconds } from './domain/key-ring.ts';
import { createKeyRingManager, type KeyRingManager } from './domain/key-ring-manager.ts';
import { createKeyRingStore } from './model/key-ring.store.ts';
import { createSealer } from './model/sealed.ts';
import { createOAuthService, createOAuthStore, OAUTH_MOUNT, type OAuthService } from './oauth/index.ts';
import { customerModel } from './model/customer.model.ts';
import { partnerModel } from './model/partner.model.ts';
import { createPartnerService, type PartnerService } from './domain/partners/index.ts';
import { permissions } from './permissions.ts';
import { resolvers } from './resolvers/index.ts';

export const SERVICE_NAME = 'customers';
export const DEFAULT_PORT = 4002;
export const JWKS_PATH = '/.well-known/jwks.json';
/** the development mailbox (GET ?to=<email>); not served in production */
export const DEV_MAILBOX_PATH = '/dev/mailbox';

const typeDefs = loadSubgraphTypeDefs(import.meta.url);

function emptyAsUnset(v: unknown): unknown {
  return v === '' ? undefined : v;
}

/** The customers subgraph's own keys, on top of the shared service config. */
const customersEnv = z.object({
  JWT_PRIVATE_KEY: z.string().min(1).optional(),
  JWT_KEY_ID: z.string().regex(/^[\w.-]{1,128}$/, 'letters, digits, _ . - only').optional(),
  JWT_KEY_FILE: z.string().min(1).optional(),
  // encrypts the key ring's private keys at rest; required in production (at least 32 characters)
  JWT_KEYRING_SECRET: z.string().min(32, 'at least 32 characters').optional(),
  // how often each instance re-reads the key ring (a rotation reaches every instance within this)
  JWT_KEYRING_REFRESH_MS: z.coerce.number().int().min(100).default(30_000),
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
  // mail (mail/config.ts): auto = SMTP with SMTP_URL, else the dev mailbox outside production, else refused
  MAIL_TRANSPORT: z.preprocess(emptyAsUnset, z.enum(MAIL_TRANSPORT_CHOICES).default('auto')),
  SMTP_URL: z.preprocess(emptyAsUnset, z.string().regex(/^smtps?:\/\/\S+$/, 'an smtp:// or smtps:// URL').optional()),
  MAIL_FROM: z.preprocess(emptyAsUnset, z.string().min(3).max(320).optional()),
  DEV_MAILBOX_MAX_MESSAGES: z.coerce.number().int().min(1).max(1000).default(50),
  DEV_MAILBOX_TTL_SECONDS: z.coerce.number().int().min(1).default(86_400),
  // single-use codes (domain/one-time-codes.ts): lifetimes, wrong tries per code, mails per account/IP
  PASSWORD_RESET_TTL: z.string().default('15m').refine((v) => (parseTtl(v) ?? Infinity) <= 86_400, 'a lifetime such as 15m, 900 or 1h; at most 24h'),
  EMAIL_VERIFICATION_TTL: z.string().default('24h').refine((v) => (parseTtl(v) ?? Infinity) <= 7 * 86_400, 'a lifetime such as 24h or 2d; at most 7d'),
  ACCOUNT_CODE_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(5),
  ACCOUNT_CODE_MAX_REQUESTS_PER_ACCOUNT: z.coerce.number().int().min(1).default(DEFAULT_CODE_REQUEST_LIMITS.maxPerAccount),
  ACCOUNT_CODE_MAX_REQUESTS_PER_IP: z.coerce.number().int().min(1).default(DEFAULT_CODE_REQUEST_LIMITS.maxPerIp),
  ACCOUNT_CODE_REQUEST_WINDOW_SECONDS: z.coerce.number().int().min(1).default(DEFAULT_CODE_REQUEST_LIMITS.windowSeconds),
  ACCOUNT_CODE_SECRET: z.preprocess(emptyAsUnset, z.string().min(32, 'at least 32 characters').optional()),
});

export interface CustomersConfig extends ServiceConfig {
  /** the OAuth 2.0 / OpenID Connect provider (oauth/config.ts) */
  oauth: OAuthConfig;
  jwt: { privateKeyPem?: string | undefined; keyId?: string | undefined; keyFile?: string | undefined; ttlSeconds: number; keyRingSecret: string; keyRingRefreshMs: number };
  seedAdmin: { email?: string | undefined; password?: string | undefined };
  login: ThrottleLimits;
  /** scrypt: log2 N, and how many KDFs may run at once (each takes 128·N·r bytes) */
  scrypt: { logN: number; maxConcurrent: number };
  /** how often the partner projection in Redis is reconciled with the database */
  partnersReconcileEveryMs: number;
  /** the mail adapter and its settings (the SMTP URL is a credential: never logged) */
  mail: MailSettings;
  /** password-reset and email-verification codes */
  codes: { resetTtlSeconds: number; verificationTtlSeconds: number; maxAttempts: number; requests: CodeRequestLimits; secret?: string | undefined };
}

/**
 * The address of the browser on the OAuth pages (the log-in throttle's per-IP limit). Behind the
 * ingress (OAUTH_TRUST_PROXY) it is the last X-Forwarded-For entry — the one the ingress itself
 * appended; entries before it are whatever the client sent. Anything but an address: the socket's.
 */
function clientIpOf(req: IncomingMessage, trustProxy: boolean): string | undefined {
  if (trustProxy) {
    const forwarded = String(req.headers['x-forwarded-for'] ?? '').split(',').map((s) => s.trim()).filter(Boolean).at(-1);
    if (forwarded && isIP(forwarded)) return forwarded;
  }
  return req.socket.remoteAddress;
}

/** Development-only: a production start refuses to run without its own JWT_KEYRING_SECRET. */
const DEV_KEYRING_SECRET = 'development-only-key-ring-secret-not-for-production';

export function loadCustomersConfig(env: NodeJS.ProcessEnv = process.env): CustomersConfig {
  const base = loadServiceConfig(SERVICE_NAME, DEFAULT_PORT, env);
  const own = parseEnv(customersEnv, env);
  if (base.nodeEnv === 'production' && !own.JWT_KEYRING_SECRET) {
    throw new ConfigError('invalid configuration:\n  JWT_KEYRING_SECRET: required in production (at least 32 characters): it encrypts the signing key ring in the database');
  }
  if (own.CUSTOMERS_SCRYPT_LOG_N < MIN_SCRYPT_LOG_N && base.nodeEnv !== 'test') {
    throw new ConfigError(`invalid configuration:\n  CUSTOMERS_SCRYPT_LOG_N: at least ${MIN_SCRYPT_LOG_N} (N = 2^${MIN_SCRYPT_LOG_N}) outside NODE_ENV=test; the default is ${DEFAULT_SCRYPT_LOG_N}`);
  }
  if (own.CUSTOMERS_LOGIN_MAX_BLOCK_SECONDS < own.CUSTOMERS_LOGIN_BLOCK_SECONDS) {
    throw new ConfigError('invalid configuration:\n  CUSTOMERS_LOGIN_MAX_BLOCK_SECONDS: must not be below CUSTOMERS_LOGIN_BLOCK_SECONDS');
  }
  return {
    ...base,
    oauth: loadOAuthConfig(env, base.nodeEnv),
    jwt: {
      privateKeyPem: own.JWT_PRIVATE_KEY,
      keyId: own.JWT_KEY_ID,
      keyFile: own.JWT_KEY_FILE,
      ttlSeconds: parseTtl(own.ACCESS_TOKEN_TTL)!,
      keyRingSecret: own.JWT_KEYRING_SECRET ?? DEV_KEYRING_SECRET,
      keyRingRefreshMs: own.JWT_KEYRING_REFRESH_MS,
    },
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
    mail: resolveMailSettings(
      { transport: own.MAIL_TRANSPORT, smtpUrl: own.SMTP_URL, from: own.MAIL_FROM, mailbox: { maxMessages: own.DEV_MAILBOX_MAX_MESSAGES, ttlSeconds: own.DEV_MAILBOX_TTL_SECONDS } },
      base.nodeEnv,
    ),
    codes: {
      resetTtlSeconds: parseTtl(own.PASSWORD_RESET_TTL)!,
      verificationTtlSeconds: parseTtl(own.EMAIL_VERIFICATION_TTL)!,
      maxAttempts: own.ACCOUNT_CODE_MAX_ATTEMPTS,
      requests: { maxPerAccount: own.ACCOUNT_CODE_MAX_REQUESTS_PER_ACCOUNT, maxPerIp: own.ACCOUNT_CODE_MAX_REQUESTS_PER_IP, windowSeconds: own.ACCOUNT_CODE_REQUEST_WINDOW_SECONDS },
      secret: own.ACCOUNT_CODE_SECRET,
    },
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
  /** the signing keys (current, next, retired); `keyRingRefresh.runNow()` re-reads them at once */
  keyRing: KeyRingManager;
  keyRingRefresh: Periodic<number>;
  accounts: AccountService;
  partners: PartnerService;
  /** the periodic reconcile of the partner projection (runNow: reconcile at once) */
  partnerReconcile: Periodic<number>;
  /** the OAuth provider at `<url origin>/oauth` (its issuer), sessions, partner clients */
  oauth: OAuthService;
  /** what the dev seed did at start */
  seed: SeedOutcome;
  /** mails sent outside requests (`idle()`: every dispatched mail was tried) */
  mail: MailDispatcher;
  /** the development mailbox, when it is the transport (also served at GET /dev/mailbox) */
  mailbox?: DevMailbox | undefined;
}

function jwksRoute(tokens: TokenIssuer) {
  return (_req: unknown, res: ServerResponse) => {
    // current, next and the retired keys still in their lifetime (the ring changes on rotation)
    const body = JSON.stringify(tokens.jwks());
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
  const rt = await startServiceRuntime(config, { models: (conn) => ({ customers: customerModel(conn), partners: partnerModel(conn) }), logger, monitorCommands: overrides.monitorCommands ?? false });
  try {
    // the ring: created from the configured key on the first start, rotated by `npm run keys:rotate`;
    // a retired key stays published as long as a token it signed can live
    const keyRing = await createKeyRingManager({
      store: createKeyRingStore(rt.conn.db!, config.jwt.keyRingSecret),
      tokenLifetimeSeconds: retiredKeyLifetimeSeconds([config.jwt.ttlSeconds, config.oauth.clientCredentialsTtlSeconds]),
      seed: async () => ({ pem: signingKey.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), kid: signingKey.kid }),
      logger,
    });
    const tokens = createTokenIssuer(keyRing, config.jwt.ttlSeconds);
    const { customers } = rt.models;
    const kdfRuns = new Counter({ name: 'customers_password_kdf_total', help: 'scrypt runs, by purpose (hash, verify, rehash, burn for an unknown email, pad for a weaker hash)', labelNames: ['purpose'], registers: [rt.metrics.registry] });
    const throttled = new Counter({ name: 'customers_login_throttled_total', help: 'Log-in attempts refused with TOO_MANY_ATTEMPTS, by the limit that refused them (account, ip)', labelNames: ['scope'], registers: [rt.metrics.registry] });
    const passwords = createPasswordHasher({ ...config.scrypt, onKdf: (purpose) => kdfRuns.inc({ purpose }) });
    // one prefix per database: every instance of this service shares the counters, test databases do not
    const throttle = createLoginThrottle({ redis: rt.redis, keyPrefix: `customers:login:${config.dbName}`, limits: config.login, logger, onRefused: (scope) => throttled.inc({ scope }) });
    // mail: the adapter of the config, and a dispatcher so no request waits for (or times) a delivery
    const mailSent = new Counter({ name: 'customers_mail_total', help: 'Account mails dispatched, by purpose and outcome (sent, failed)', labelNames: ['purpose', 'outcome'], registers: [rt.metrics.registry] });
    const { sender: mailSender, mailbox } = createMailSender(config.mail, { redis: rt.redis, keyPrefix: `customers:mailbox:${config.dbName}`, logger });
    const mail = createMailDispatcher(mailSender, (purpose, outcome) => mailSent.inc({ purpose, outcome }));
    rt.onStop(async () => {
      await mail.idle();
      await mailSender.close?.();
    });
    if (config.mail.transport === 'log') logger.warn('MAIL_TRANSPORT=log: password-reset and verification codes are not delivered');
    const codes = createOneTimeCodes({
      redis: rt.redis,
      keyPrefix: `customers:codes:${config.dbName}`,
      ttlSeconds: { 'password-reset': config.codes.resetTtlSeconds, 'email-verification': config.codes.verificationTtlSeconds },
      maxAttempts: config.codes.maxAttempts,
      secret: config.codes.secret,
    });
    const codeRequests = createCodeRequestLimiter({ redis: rt.redis, keyPrefix: `customers:code-requests:${config.dbName}`, limits: config.codes.requests });
    const oauthStore = createOAuthStore({
      db: rt.conn.db!,
      redis: rt.redis,
      keyPrefix: `customers:oauth:${config.dbName}:`,
      logger,
      sealer: createSealer(config.jwt.keyRingSecret, 'oauth-client-secret v1'),
      // a refresh token used twice at once: the loser ends the grant (reuse detection)
      onReuse: async (_model, grantId) => {
        if (grantId) await oauth.endSession(grantId);
      },
    });
    await oauthStore.ensureIndexes();
    const oauth: OAuthService = createOAuthService({
      store: oauthStore,
      redis: rt.redis,
      customers,
      logger,
      signingKey: () => keyRing.current(),
      jwks: () => keyRing.active().published.map((k) => ({ ...(k.privateKey.export({ format: 'jwk' }) as Record<string, unknown>), kid: k.kid, alg: 'RS256', use: 'sig' })),
      cookieKeys: config.oauth.cookieKeys,
      storefront: config.oauth.storefront,
      ttl: { accessToken: config.jwt.ttlSeconds, clientCredentials: config.oauth.clientCredentialsTtlSeconds, refreshToken: config.oauth.refreshTokenTtlSeconds },
      proxy: config.oauth.trustProxy,
      production: config.nodeEnv === 'production',
      interactions: {
        checkCredentials: (email, password, clientIp) => {
          const requestId = randomUUID();
          return accounts.checkCredentials(email, password, { requestId, logger: logger.child({ requestId, route: 'oauth-login' }), clientIp });
        },
        clientIp: (req) => clientIpOf(req, config.oauth.trustProxy),
      },
    });
    const oauthSweep = startPeriodic({ everyMs: 15 * 60_000, run: () => oauthStore.sweepExpired(), logger, what: 'expired OAuth records sweep' });
    rt.onStop(() => oauthSweep.stop());
    const accounts = createAccountService({ customers, committer: rt.committer, tokens, passwords, throttle, codes, codeRequests, mail, logger, onCredentialsChanged: (customerId) => oauth.endAllSessions(customerId) });
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
        services: { accounts, partners, oauth },
        provenCustomerIds: new Set(base.user ? [base.user.id] : []),
      }),
      routes: { [JWKS_PATH]: jwksRoute(tokens), ...(mailbox ? { [DEV_MAILBOX_PATH]: devMailboxRoute(mailbox) } : {}) },
      mounts: { [OAUTH_MOUNT]: (req, res) => oauth.handle(req, res) },
    });
    rt.onStop(() => server.stop());
    // the issuer is known once the port is bound (port 0 in tests)
    oauth.start(config.oauth.issuer ?? `${new URL(server.url).origin}${OAUTH_MOUNT}`);
    logger.info({ issuer: oauth.issuer }, 'OAuth 2.0 / OpenID Connect provider ready');
    // a rotation by the command (or a retired key's lifetime ending) reaches this instance here;
    // the provider is rebuilt with the new keystore (its state is in the database, nothing is lost)
    const keyRingRefresh = startPeriodic({
      everyMs: config.jwt.keyRingRefreshMs,
      run: async () => {
        if (await keyRing.refresh()) oauth.start(oauth.issuer!);
        return keyRing.version;
      },
      logger,
      what: 'signing key ring refresh',
    });
    rt.onStop(() => keyRingRefresh.stop());
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
      keyRing,
      keyRingRefresh,
      accounts,
      partners,
      partnerReconcile,
      oauth,
      seed,
      mail,
      mailbox,
      stop: rt.stop,
    };
  } catch (err) {
    await rt.stop();
    throw err;
  }
}

export { seedAdmin, DEFAULT_SEED_ADMIN_EMAIL, DEFAULT_SEED_ADMIN_PASSWORD } from './domain/seed-admin.ts';
export { MAX_ACCESS_TOKEN_TTL_SECONDS, TOKEN_AUDIENCE, TOKEN_ISSUER } from './domain/tokens.ts';
export { rotateSigningKeys, type RotationOutcome } from './rotate-keys.ts';

if (isMain(import.meta.url)) runMain(() => startCustomers());
