/**
 * Baseline 1 for the benchmark: a plain `@apollo/gateway` behind `@apollo/server`'s standalone
 * server, with default settings. The only additions are what the subgraphs require before they
 * answer anything: each fetch goes to the URL the bench gives for that subgraph and carries the
 * router-signed `x-commerce-context` (anonymous: `user: null`, one fresh token per client request
 * and subgraph, `aud` = the subgraph, as our router does). No plugins, no cache, no limits, no custom fetcher: Apollo's defaults.
 */
import { randomUUID } from 'node:crypto';
import { ApolloGateway, RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { CONTEXT_HEADER, signInternalContext } from '@commerce/platform';

export interface BaselineGatewayOptions {
  /** the composed supergraph (schema/supergraph.graphql) */
  supergraphSdl: string;
  /** where each subgraph really listens, by its composed name (`catalog` → `http://127.0.0.1:…/graphql`) */
  subgraphUrls: Record<string, string>;
  /** the router context's private key (ROUTER_SIGNING_KEY) whose public key the subgraphs were started with */
  routerSigningKey: string;
  /** 0 (default) = a free port */
  port?: number;
}

export interface RunningBaselineGateway {
  /** the GraphQL endpoint */
  url: string;
  stop(): Promise<void>;
}

/** One signed token per client request and subgraph: keyed by the request's context object, then the subgraph. */
type TokenCache = WeakMap<object, Map<string, Promise<string>>>;

function signedContext(key: string, subgraph: string, tokens: TokenCache, context: unknown): Promise<string> {
  const sign = () => signInternalContext(key, { user: null, requestId: randomUUID() }, { audience: subgraph });
  if (typeof context !== 'object' || context === null) return sign();
  let perSubgraph = tokens.get(context);
  if (!perSubgraph) tokens.set(context, (perSubgraph = new Map()));
  let token = perSubgraph.get(subgraph);
  if (!token) {
    token = sign();
    perSubgraph.set(subgraph, token);
  }
  return token;
}

class SignedDataSource extends RemoteGraphQLDataSource {
  constructor(
    url: string,
    private readonly subgraph: string,
    private readonly key: string,
    private readonly tokens: TokenCache,
  ) {
    super({ url });
  }

  override async willSendRequest({ request, context }: GraphQLDataSourceProcessOptions): Promise<void> {
    request.http!.headers.set(CONTEXT_HEADER, await signedContext(this.key, this.subgraph, this.tokens, context));
  }
}

export async function startPlainApolloGateway(opts: BaselineGatewayOptions): Promise<RunningBaselineGateway> {
  const tokens: TokenCache = new WeakMap();
  const gateway = new ApolloGateway({
    supergraphSdl: opts.supergraphSdl,
    buildService({ name }) {
      const url = opts.subgraphUrls[name];
      if (!url) throw new Error(`no URL given for subgraph "${name}" (have: ${Object.keys(opts.subgraphUrls).join(', ') || 'none'})`);
      return new SignedDataSource(url, name, opts.routerSigningKey, tokens);
    },
  });
  // Apollo Server's defaults throughout (csrfPrevention on, introspection and landing page as
  // NODE_ENV decides, no usage reporting without APOLLO_KEY).
  const server = new ApolloServer({ gateway });
  const { url } = await startStandaloneServer(server, { listen: { host: '127.0.0.1', port: opts.port ?? 0 } });
  return {
    url,
    // stops the HTTP server (draining it) and the gateway
    stop: () => server.stop(),
  };
}
