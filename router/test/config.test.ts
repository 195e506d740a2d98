import { describe, expect, it } from 'vitest';
import { ConfigError, generateRouterKeyPair } from '@commerce/platform';
import { DEFAULT_SUPERGRAPH_PATH, loadRouterConfig, subgraphUrlVar } from '../src/config.ts';
import { startRouter } from '../src/index.ts';
import { resolveSubgraphs } from '../src/supergraph.ts';

const KEY = generateRouterKeyPair().signingKey;

describe('loadRouterConfig', () => {
  it('has the documented defaults', () => {
    const c = loadRouterConfig({ ROUTER_SIGNING_KEY: KEY });
    expect(c).toMatchObject({
      nodeEnv: 'development',
      host: '127.0.0.1',
      port: 4000,
      supergraphPath: DEFAULT_SUPERGRAPH_PATH,
      jwt: { jwksUrl: 'http://127.0.0.1:4002/.well-known/jwks.json', issuer: 'commerce-customers', audience: 'commerce' },
      limits: { maxBodyBytes: 102400, maxDepth: 15, maxAliases: 30, maxTokens: 5000, maxDirectives: 50, maxOperations: 10 },
      responseCache: true,
      rateLimit: {
        enabled: true,
        maxCost: 3000,
        defaultListSize: 5,
        mutationCost: 10,
        trustedProxies: [],
        limits: {
          anonymous: { maximum: 5000, restoreRate: 250 },
          customer: { maximum: 10000, restoreRate: 500 },
          partner: { maximum: 20000, restoreRate: 1000 },
          admin: { maximum: 50000, restoreRate: 2500 },
        },
      },
      corsOrigins: ['*'],
      subgraphUrls: {},
    });
    expect(DEFAULT_SUPERGRAPH_PATH).toMatch(/schema\/supergraph\.graphql$/);
  });

  it('reads rate-limit buckets as <maximum>:<restore rate> and trusted proxies as a list', () => {
    const c = loadRouterConfig({ ROUTER_SIGNING_KEY: KEY, RATE_LIMIT_PARTNER: '800:12.5', ROUTER_TRUSTED_PROXIES: 'loopback, 10.0.0.0/8', RATE_LIMIT_ENABLED: 'false' });
    expect(c.rateLimit.limits.partner).toEqual({ maximum: 800, restoreRate: 12.5 });
    expect(c.rateLimit.trustedProxies).toEqual(['loopback', '10.0.0.0/8']);
    expect(c.rateLimit.enabled).toBe(false);
    expect(() => loadRouterConfig({ ROUTER_SIGNING_KEY: KEY, RATE_LIMIT_ANONYMOUS: '1000' })).toThrow(/RATE_LIMIT_ANONYMOUS/);
    expect(() => loadRouterConfig({ ROUTER_SIGNING_KEY: KEY, RATE_LIMIT_ANONYMOUS: '0:5' })).toThrow(/RATE_LIMIT_ANONYMOUS/);
  });

  it('takes ROUTER_SIGNING_KEY as given (resolved at start; unset outside production: the development pair)', () => {
    expect(loadRouterConfig({ ROUTER_SIGNING_KEY: KEY }).signingKey).toBe(KEY);
    expect(loadRouterConfig({})).not.toHaveProperty('signingKey');
  });

  it('refuses a production-like start without NODE_ENV=production (security review finding 8)', () => {
    const argv = ['node', 'router'];
    expect(() => loadRouterConfig({ ROUTER_SIGNING_KEY: KEY, HOST: '0.0.0.0' }, argv)).toThrow(ConfigError);
    expect(() => loadRouterConfig({ ROUTER_SIGNING_KEY: KEY, HOST: '0.0.0.0' }, argv)).toThrow(/set NODE_ENV=production/);
    expect(() => loadRouterConfig({ ROUTER_SIGNING_KEY: KEY, HOST: '::', NODE_ENV: 'development' }, argv)).toThrow(/set NODE_ENV=production/);
    expect(() => loadRouterConfig({ ROUTER_SIGNING_KEY: KEY }, [...argv, '--production'])).toThrow(/set NODE_ENV=production/);
    // development on loopback keeps its defaults (Sandbox, CORS *)
    expect(loadRouterConfig({ ROUTER_SIGNING_KEY: KEY, HOST: '127.0.0.1' }, argv)).toMatchObject({ nodeEnv: 'development', corsOrigins: ['*'] });
    expect(loadRouterConfig({ ROUTER_SIGNING_KEY: KEY, HOST: '0.0.0.0', NODE_ENV: 'production' }, argv)).toMatchObject({ nodeEnv: 'production', corsOrigins: [] });
  });

  it('refuses to start in production without a ROUTER_SIGNING_KEY of its own, or with a public key for one (finding 5)', async () => {
    await expect(startRouter({ NODE_ENV: 'production', ROUTER_SECRET: 'x'.repeat(32) })).rejects.toThrow(/ROUTER_SIGNING_KEY: required in production/);
    await expect(startRouter({ NODE_ENV: 'production', ROUTER_SIGNING_KEY: generateRouterKeyPair().publicKey })).rejects.toThrow(/ROUTER_SIGNING_KEY: not a private key/);
    await expect(startRouter({ NODE_ENV: 'production', ROUTER_SIGNING_KEY: 'x'.repeat(32) })).rejects.toThrow(ConfigError);
  });

  it('rejects a bad port', () => {
    expect(() => loadRouterConfig({ ROUTER_SIGNING_KEY: KEY, ROUTER_PORT: 'abc' })).toThrow(/ROUTER_PORT/);
    expect(loadRouterConfig({ ROUTER_SIGNING_KEY: KEY, ROUTER_PORT: '0' }).port).toBe(0);
  });

  it('sends no CORS headers in production unless CORS_ORIGINS says so', () => {
    expect(loadRouterConfig({ ROUTER_SIGNING_KEY: KEY, NODE_ENV: 'production' }).corsOrigins).toEqual([]);
    expect(loadRouterConfig({ ROUTER_SIGNING_KEY: KEY, NODE_ENV: 'production', CORS_ORIGINS: 'https://shop.example, https://admin.example' }).corsOrigins).toEqual([
      'https://shop.example',
      'https://admin.example',
    ]);
  });

  it('collects <NAME>_URL subgraph overrides, ignoring infrastructure URLs, and validates them', () => {
    const c = loadRouterConfig({ ROUTER_SIGNING_KEY: KEY, CATALOG_URL: 'http://10.0.0.1:4001/graphql', MONGO_URL: 'mongodb://x', CATALOG_MONGO_URL: 'mongodb://y', NATS_URL: 'nats://z' });
    expect(c.subgraphUrls).toEqual({ CATALOG: 'http://10.0.0.1:4001/graphql' });
    expect(() => loadRouterConfig({ ROUTER_SIGNING_KEY: KEY, ORDERS_URL: 'not a url' })).toThrow(/ORDERS_URL/);
  });
});

describe('resolveSubgraphs', () => {
  const sdl = `
    enum join__Graph {
      CATALOG @join__graph(name: "catalog", url: "http://127.0.0.1:4001/graphql")
      CUSTOMERS @join__graph(name: "customers", url: "http://127.0.0.1:4002/graphql")
    }`;
  it('reads join__graph URLs and applies overrides', () => {
    expect(resolveSubgraphs(sdl, { CUSTOMERS: 'http://customers:4002/graphql' })).toEqual([
      { name: 'catalog', url: 'http://127.0.0.1:4001/graphql' },
      { name: 'customers', url: 'http://customers:4002/graphql' },
    ]);
    expect(subgraphUrlVar('customer-support')).toBe('CUSTOMER_SUPPORT_URL');
  });
  it('refuses an SDL that is not a supergraph', () => {
    expect(() => resolveSubgraphs('type Query { a: Int }', {})).toThrow(/join__Graph/);
  });
});
