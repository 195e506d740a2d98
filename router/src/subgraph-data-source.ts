import { randomUUID } from 'node:crypto';
import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { CONTEXT_HEADER, signInternalContext, type RouterSigningKey } from '@commerce/platform';
import type { RouterContext } from './context.ts';
import type { RouterPlugin, SubgraphFetchOutcome } from './plugin.ts';
import type { Fetcher } from './subgraph-fetcher.ts';
import { traceparentOf } from './trace-context.ts';

export interface SubgraphDataSourceOptions {
  name: string;
  url: string;
  /** the router's private key (ROUTER_SIGNING_KEY): only the router signs contexts */
  signingKey: RouterSigningKey;
  fetcher: Fetcher;
  plugins: RouterPlugin[];
}

/** The only headers a subgraph fetch carries besides these three: what the gateway sets itself. */
const KEEP_HEADERS = new Set(['content-type']);

/**
 * One subgraph as the gateway sees it. Every fetch carries exactly: the router-signed internal
 * context (`x-commerce-context`: verified identity, request id, traceparent, client IP; for this
 * subgraph only, `aud` = its name, expiring after 60 s), `x-request-id` and `traceparent`. Nothing
 * the client sent is forwarded — not its headers, not its tracing flags.
 */
export class SubgraphDataSource extends RemoteGraphQLDataSource<RouterContext> {
  private readonly subgraphName: string;
  private readonly signingKey: RouterSigningKey;
  private readonly fetchHooks: NonNullable<RouterPlugin['onSubgraphFetch']>[];

  constructor(opts: SubgraphDataSourceOptions) {
    super({ url: opts.url, fetcher: opts.fetcher });
    this.subgraphName = opts.name;
    this.signingKey = opts.signingKey;
    this.fetchHooks = opts.plugins.flatMap((p) => (p.onSubgraphFetch ? [p.onSubgraphFetch.bind(p)] : []));
  }

  override async willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<RouterContext>): Promise<void> {
    const headers = request.http!.headers;
    for (const [name] of Array.from(headers)) {
      if (!KEEP_HEADERS.has(name.toLowerCase())) headers.delete(name);
    }
    // Requests outside a client operation (health checks) have no router context.
    const ctx = context as Partial<RouterContext> | undefined;
    if (ctx?.requestId && ctx.trace) {
      const traceparent = traceparentOf(ctx.trace);
      // one token per request and subgraph: a query plan's fetches to one subgraph share it
      ctx.internalTokens ??= new Map();
      let token = ctx.internalTokens.get(this.subgraphName);
      if (!token) {
        token = signInternalContext(
          this.signingKey,
          {
            user: ctx.user ?? null,
            requestId: ctx.requestId,
            traceparent,
            // the client address (use-rate-limit's proxy-addr, ROUTER_TRUSTED_PROXIES): customers throttles log-ins per IP with it
            ...(ctx.clientIp ? { clientIp: ctx.clientIp } : {}),
          },
          { audience: this.subgraphName },
        );
        ctx.internalTokens.set(this.subgraphName, token);
      }
      headers.set(CONTEXT_HEADER, await token);
      headers.set('x-request-id', ctx.requestId);
      headers.set('traceparent', traceparent);
    } else {
      const requestId = randomUUID();
      headers.set(CONTEXT_HEADER, await signInternalContext(this.signingKey, { user: null, requestId }, { audience: this.subgraphName }));
      headers.set('x-request-id', requestId);
    }
  }

  override async process(options: GraphQLDataSourceProcessOptions<RouterContext>): ReturnType<RemoteGraphQLDataSource<RouterContext>['process']> {
    if (this.fetchHooks.length === 0) return super.process(options);
    const context = options.context as RouterContext | undefined;
    const ends = this.fetchHooks.map((hook) => hook({ subgraph: this.subgraphName, context })).filter((e) => e !== undefined);
    const finish = (outcome: SubgraphFetchOutcome) => {
      for (const end of ends) end(outcome);
    };
    try {
      const response = await super.process(options);
      finish({ errorCount: response.errors?.length ?? 0 });
      return response;
    } catch (error) {
      finish({ error });
      throw error;
    }
  }
}
