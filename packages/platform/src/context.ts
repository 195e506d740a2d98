import type { Logger } from './logger.ts';
import type { LoaderScope } from './loaders.ts';
import type { Identity } from './trust.ts';

/**
 * What every resolver receives. Each subgraph extends it with its per-request DataLoaders and
 * its domain services: loaders are created per request so no cache leaks between callers.
 */
export interface BaseContext {
  requestId: string;
  user: Identity | null;
  logger: Logger;
  traceparent?: string;
  /**
   * The client's IP address, from the router's signed context (claim `ip`). Absent when a subgraph
   * is called without it (internal routes, tests calling the subgraph directly): never required.
   */
  clientIp?: string;
  /**
   * The partner the router identified (an API key or a client-credentials token; claim `ptn` of
   * the router context). Absent for storefront and customer requests.
   */
  partner?: { id: string };
  /**
   * The router context of this request as received (verified, for this subgraph): what a call to
   * another service's internal route forwards (callInternal). A bearer credential until it expires
   * (60 s): never log it.
   */
  routerToken: string;
  /** how this request's DataLoaders are made (batch-size metrics, the batching switch) */
  loaderScope: LoaderScope;
}
