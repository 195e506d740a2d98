import { randomUUID } from 'node:crypto';
import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { CONTEXT_HEADER, createContextSigner, type ContextSigner, type RouterSigningKey } from '@commerce/platform';
import type { RouterContext } from './context.ts';
import type { RouterPlugin, SubgraphFetchOutcome } from './plugin.ts';
import type { Fetcher } from './subgraph-fetcher.ts';
import { context as otelContext, propagation } from '@opentelemetry/api';

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
 * context (`x-commerce-context`: verified identity and client IP, for this subgraph only, `aud` =
 * its name, expiring after 60 s, reused for a caller's requests for 30 s), `x-request-id` and
 * `traceparent`. Nothing
 * the client sent is forwarded — not its headers, not its tracing flags.
 */
export class SubgraphDataSource extends RemoteGraphQLDataSource<RouterContext> {
  private readonly subgraphName: string;
  private readonly signer: ContextSigner;
  private readonly fetchHooks: NonNullable<RouterPlugin['onSubgraphFetch']>[];

  constructor(opts: SubgraphDataSourceOptions) {
    super({ url: opts.url, fetcher: opts.fetcher });
    this.subgraphName = opts.name;
    this.signer = createContextSigner(opts.signingKey);
    this.fetchHooks = opts.plugins.flatMap((p) => (p.onSubgraphFetch ? [p.onSubgraphFetch.bind(p)] : []));
  }

  override async willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<RouterContext>): Promise<void> {
    const headers = request.http!.headers;
    for (const [name] of Array.from(headers)) {
      if (!KEEP_HEADERS.has(name.toLowerCase())) headers.delete(name);
    }
    // Requests outside a client operation (health checks) have no router context.
    const ctx = context as Partial<RouterContext> | undefined;
    if (ctx?.requestId) {
      // who the caller is (the user, the partner), for this subgraph: the same token for a caller's requests for 30 s
      // (createContextSigner); the request id and the trace go as their own headers
      headers.set(CONTEXT_HEADER, await this.signer.sign({ user: ctx.user ?? null, ...(ctx.clientIp ? { clientIp: ctx.clientIp } : {}), ...(ctx.partner ? { partner: ctx.partner } : {}) }, this.subgraphName));
      headers.set('x-request-id', ctx.requestId);
      const carrier: Record<string, string> = {};
      propagation.inject(otelContext.active(), carrier); // traceparent (+ tracestate): W3C, via the propagator
      for (const [k, v] of Object.entries(carrier)) headers.set(k, v);
    } else {
      headers.set(CONTEXT_HEADER, await this.signer.sign({ user: null }, this.subgraphName));
      headers.set('x-request-id', randomUUID());
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
