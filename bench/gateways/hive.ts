/**
 * Baseline 2 for the benchmark: Hive Gateway (`@graphql-hive/gateway-runtime`, the programmatic
 * API of `@graphql-hive/gateway`) over the same supergraph, with default settings, served by
 * node:http. The only additions are what the subgraphs require: each subgraph's transport goes to
 * the URL the bench gives (`transportEntries[name].location`), and every upstream request carries
 * the router-signed `x-commerce-context` (anonymous, one fresh token per client request and
 * subgraph, `aud` = the subgraph, as our router does) through the documented `propagateHeaders.fromClientToSubgraphs` option.
 *
 * Nothing is fetched at run time: the supergraph is an SDL string (no CDN, no registry, no
 * polling), no `reporting` is configured (no usage reporting, no telemetry), and the HTTP
 * transport is the installed `@graphql-mesh/transport-http`. bench/gateways/smoke.ts runs it
 * with every non-loopback connection refused and counts any attempt.
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createGatewayRuntime } from '@graphql-hive/gateway-runtime';
import { CONTEXT_HEADER, signInternalContext } from '@commerce/platform';
import type { BaselineGatewayOptions, RunningBaselineGateway } from './apollo-plain.ts';

export type { BaselineGatewayOptions, RunningBaselineGateway } from './apollo-plain.ts';

/** Hive Gateway installs from npm and runs on this Node version (see the header comment). */
export async function hiveGatewayAvailable(): Promise<{ ok: true } | { ok: false; reason: string }> {
  return { ok: true };
}

export async function startHiveGateway(opts: BaselineGatewayOptions): Promise<RunningBaselineGateway> {
  const key = opts.routerSigningKey;
  // one token per client request and subgraph, keyed by the request's context object, then the subgraph
  const tokens = new WeakMap<object, Map<string, Promise<string>>>();
  const tokenFor = (context: object | undefined, subgraph: string): Promise<string> => {
    const sign = () => signInternalContext(key, { user: null, requestId: randomUUID() }, { audience: subgraph });
    if (!context) return sign();
    let perSubgraph = tokens.get(context);
    if (!perSubgraph) tokens.set(context, (perSubgraph = new Map()));
    let token = perSubgraph.get(subgraph);
    if (!token) {
      token = sign();
      perSubgraph.set(subgraph, token);
    }
    return token;
  };

  // every subgraph of the supergraph must have a URL (else Hive would use the composed 127.0.0.1:400X)
  const composed = [...opts.supergraphSdl.matchAll(/@join__graph\(\s*name:\s*"([^"]+)"/g)].map((m) => m[1]!);
  const missing = composed.filter((name) => !opts.subgraphUrls[name]);
  if (composed.length === 0) throw new Error('the supergraph declares no subgraphs (no @join__graph)');
  if (missing.length) throw new Error(`no URL given for subgraph(s) ${missing.join(', ')} (have: ${Object.keys(opts.subgraphUrls).join(', ') || 'none'})`);

  const gateway = createGatewayRuntime({
    supergraph: opts.supergraphSdl,
    transportEntries: Object.fromEntries(Object.entries(opts.subgraphUrls).map(([name, url]) => [name, { location: url }])),
    propagateHeaders: {
      fromClientToSubgraphs: async ({ context, subgraphName }) => ({ [CONTEXT_HEADER]: await tokenFor(context, subgraphName) }),
    },
  });
  // fail at start (not on the first request) when the supergraph does not load
  await gateway.getSchema();

  const http = createServer(gateway);
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(opts.port ?? 0, '127.0.0.1', () => {
      http.off('error', reject);
      resolve();
    });
  });
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${gateway.graphqlEndpoint}`,
    async stop() {
      await new Promise<void>((resolve) => {
        http.close(() => resolve());
        http.closeIdleConnections();
      });
      await gateway.dispose();
    },
  };
}
