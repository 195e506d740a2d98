import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { allow, GraphQLError, parseRouterPublicKey, startSubgraphServer, type BaseContext, type SubgraphServer } from '@commerce/platform';
import { TEST_ROUTER_PUBLIC_KEY, TEST_ROUTER_SIGNING_KEY, testInfra, testLogger } from '@commerce/testing';
import { startRouter, type RouterOverrides, type RunningRouter } from '../src/index.ts';

/** A tiny subgraph: echoes what the router told it, plus a few fields that fail in known ways. */
export const ECHO_SDL = /* GraphQL */ `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable"])

  "What the subgraph saw of the request"
  type Viewer {
    id: ID
    roles: [String!]!
    requestId: String!
    traceparent: String
  }

  "A node to nest arbitrarily deep (an entity, so the subgraph has _entities)"
  type Node @key(fields: "id") {
    id: ID!
    child: Node
  }

  type Query {
    hello: String!
    whoami: Viewer!
    node: Node
    "throws an error that must never reach a production client verbatim"
    boom: String
    "throws FORBIDDEN, a public error"
    secret: String
    "answers after ?ms milliseconds"
    slow(ms: Int!): String!
  }

  type Mutation {
    touch: String!
  }
`;

const resolvers = {
  Query: {
    hello: () => 'world',
    whoami: (_: unknown, __: unknown, ctx: BaseContext) => ({
      id: ctx.user?.id ?? null,
      roles: ctx.user?.roles ?? [],
      requestId: ctx.requestId,
      traceparent: ctx.traceparent ?? null,
    }),
    node: () => ({ id: 'n1' }),
    boom: () => {
      throw new Error('E11000 duplicate key error collection: commerce_echo.things index: _id_ (mongodb://10.0.0.7:27017)');
    },
    secret: () => {
      throw new GraphQLError('Not allowed', { extensions: { code: 'FORBIDDEN' } });
    },
    slow: async (_: unknown, { ms }: { ms: number }) => {
      await new Promise((r) => setTimeout(r, ms));
      return 'done';
    },
  },
  Node: { child: (n: { id: string }) => ({ id: `${n.id}.c` }) },
  Mutation: { touch: () => 'touched' },
};

export interface EchoSubgraph {
  server: SubgraphServer;
  /** headers of every request the subgraph received, in order */
  seen: IncomingHttpHeaders[];
  /** TCP connections the subgraph accepted */
  connections(): number;
  /** headers of the request the router sent for this client request id */
  seenFor(requestId: string): IncomingHttpHeaders | undefined;
}

export async function startEchoSubgraph(): Promise<EchoSubgraph> {
  const server = await startSubgraphServer({
    name: 'echo',
    typeDefs: ECHO_SDL,
    resolvers,
    permissions: { Query: { '*': allow }, Mutation: { '*': allow }, Viewer: allow, Node: allow },
    host: '127.0.0.1',
    port: 0,
    nodeEnv: 'test',
    routerKey: parseRouterPublicKey(TEST_ROUTER_PUBLIC_KEY),
    logger: testLogger,
    context: (base) => base,
    readiness: {},
  });
  const seen: IncomingHttpHeaders[] = [];
  let connections = 0;
  server.http.prependListener('request', (req) => {
    if (req.url?.startsWith('/graphql')) seen.push({ ...req.headers });
  });
  server.http.on('connection', () => connections++);
  return { server, seen, connections: () => connections, seenFor: (id) => seen.findLast((h) => h['x-request-id'] === id) };
}

/** Composes the echo subgraph into a supergraph file whose URL is a placeholder (ECHO_URL overrides it). */
export async function writeSupergraph(dir: string): Promise<string> {
  const result = composeServices([{ name: 'echo', typeDefs: parse(ECHO_SDL), url: 'http://127.0.0.1:9/graphql' }]);
  if (result.errors) throw new Error(`composition failed: ${result.errors.map((e) => e.message).join('; ')}`);
  const file = path.join(dir, 'supergraph.graphql');
  await writeFile(file, result.supergraphSdl);
  return file;
}

export interface Issuer {
  jwksUrl: string;
  kid: string;
  privateKey: CryptoKey;
  /** a customer access token as the customers subgraph would issue it */
  token(opts?: { sub?: string; roles?: string[]; issuer?: string; audience?: string; expiresIn?: string | number; key?: CryptoKey; kid?: string }): Promise<string>;
  requests(): number;
  close(): Promise<void>;
}

/** A JWKS endpoint serving one RS256 key generated for the test. */
export async function startIssuer(): Promise<Issuer> {
  const { publicKey, privateKey } = await generateKeyPair('RS256');
  const kid = `k-${randomUUID().slice(0, 8)}`;
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  let requests = 0;
  const server: Server = createServer((_req, res) => {
    requests++;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
  return {
    jwksUrl,
    kid,
    privateKey,
    token: async (o = {}) =>
      new SignJWT({ roles: o.roles ?? ['CUSTOMER'] })
        .setProtectedHeader({ alg: 'RS256', kid: o.kid ?? kid })
        .setSubject(o.sub ?? 'cust_test')
        .setIssuer(o.issuer ?? 'commerce-customers')
        .setAudience(o.audience ?? 'commerce')
        .setIssuedAt()
        .setExpirationTime(o.expiresIn ?? '5m')
        .sign(o.key ?? privateKey),
    requests: () => requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export interface Stack {
  router: RunningRouter;
  /** the router's env: start more instances over the same subgraph with it */
  env: NodeJS.ProcessEnv;
  echo: EchoSubgraph;
  issuer: Issuer;
  stop(): Promise<void>;
}

/** Echo subgraph + JWKS issuer + a router in front of them, all on free ports. */
export async function startStack(opts: { nodeEnv?: 'development' | 'test' | 'production'; env?: Record<string, string>; overrides?: RouterOverrides } = {}): Promise<Stack> {
  const dir = await mkdtemp(path.join(tmpdir(), 'router-test-'));
  const [echo, issuer, supergraphPath] = await Promise.all([startEchoSubgraph(), startIssuer(), writeSupergraph(dir)]);
  const env: NodeJS.ProcessEnv = {
    NODE_ENV: opts.nodeEnv ?? 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    ROUTER_PORT: '0',
    ROUTER_SIGNING_KEY: TEST_ROUTER_SIGNING_KEY,
    SUPERGRAPH_PATH: supergraphPath,
    CUSTOMERS_JWKS_URL: issuer.jwksUrl,
    ECHO_URL: echo.server.url,
    REDIS_URL: testInfra().redisUrl,
    ...opts.env,
  };
  const router = await startRouter(env, opts.overrides);
  return {
    router,
    env,
    echo,
    issuer,
    async stop() {
      await router.stop();
      await Promise.all([echo.server.stop(), issuer.close(), rm(dir, { recursive: true, force: true })]);
    },
  };
}

/** POST /graphql with JSON; returns status, parsed body and headers. */
export async function post(url: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  const text = await res.text();
  let json: { data?: Record<string, any> | null; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> } = {};
  try {
    json = JSON.parse(text);
  } catch {
    json = { errors: [{ message: `non-JSON response: ${text.slice(0, 200)}` }] };
  }
  return { status: res.status, headers: res.headers, text, ...json };
}

export const uniqueRequestId = () => `req-${randomUUID()}`;
