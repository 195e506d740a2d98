import type { IncomingMessage } from 'node:http';
import type { Identity, Logger } from '@commerce/platform';
import type { Span } from '@opentelemetry/api';

/** The per-request GraphQL context: what the gateway's data sources send to subgraphs. */
export interface RouterContext {
  requestId: string;
  /** the router's OpenTelemetry SERVER span of this request: the parent of every subgraph fetch */
  span: Span;
  /** the verified caller, or null for anonymous requests */
  user: Identity | null;
  /** bound to requestId; lines logged in the request's span also carry trace_id / span_id (the logger's mixin) */
  logger: Logger;
  /** the partner of a valid `x-api-key`, or of a client-credentials token */
  partner?: { id: string };
  /** the OAuth client of a client-credentials token, and the scopes it grants (useScopes) */
  oauthClient?: { id: string; scopes: Set<string> };
  /** the client address: the socket's, or from X-Forwarded-For when the socket is a trusted proxy */
  clientIp?: string;
  /** the resolved operation name, once known */
  operationName?: string | null;
}

export type RouteName = 'graphql' | 'landing' | 'health' | 'metrics' | 'not_found';

/** One HTTP request while the router handles it; plugins read and extend it. */
export interface RouterRequest {
  req: IncomingMessage;
  url: URL;
  method: string;
  route: RouteName;
  startedAt: bigint;
  context: RouterContext;
  /** the raw body once read (POST /graphql) */
  body?: string;
  /** headers every response to this request carries (request id, CORS …) */
  responseHeaders: Record<string, string>;
}

/** GraphQL-over-HTTP parameters, from the POST body or the GET query string. */
export interface GraphQLParams {
  query?: string;
  operationName?: string;
  extensions?: Record<string, unknown>;
}
