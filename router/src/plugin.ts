import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLFormattedError, ValidationRule } from 'graphql';
import type { GraphQLParams, RouterContext, RouterRequest } from './context.ts';

/** A response a plugin sends instead of letting the request go on (401, 413, 400 …). */
export interface EarlyResponse {
  status: number;
  body: string;
  headers?: Record<string, string>;
  /** `extensions.code` of the errors in the body, for metrics and logs */
  errorCodes?: string[];
}

export interface ResponseInfo {
  status: number;
  /** set when a plugin answered early; Apollo's own errors are seen by `apollo` hooks */
  early?: EarlyResponse;
}

export interface SubgraphFetchInfo {
  subgraph: string;
  context: RouterContext | undefined;
}
export interface SubgraphFetchOutcome {
  error?: unknown;
  /** the subgraph answered, with this many GraphQL errors */
  errorCount?: number;
}

/**
 * A router feature (`useAuth()`, `useRequestLimits()` …). Every hook is optional; hooks run in
 * the order the plugins are listed.
 */
export interface RouterPlugin {
  name: string;
  /** every HTTP request, before its body is read; return a response to answer early */
  onRequest?(request: RouterRequest): EarlyResponse | void | Promise<EarlyResponse | void>;
  /** a GraphQL request whose parameters are known, before Apollo parses or validates them */
  onParams?(request: RouterRequest, params: GraphQLParams): EarlyResponse | void | Promise<EarlyResponse | void>;
  /** every HTTP response, after it was sent */
  onResponse?(request: RouterRequest, info: ResponseInfo): void;
  /** each subgraph fetch; the returned function is called when it ends */
  onSubgraphFetch?(info: SubgraphFetchInfo): ((outcome: SubgraphFetchOutcome) => void) | void;
  /** hooks into Apollo Server's request pipeline */
  apollo?: ApolloServerPlugin<RouterContext> | ApolloServerPlugin<RouterContext>[];
  /** extra GraphQL validation rules */
  validationRules?: ValidationRule[];
  /** rewrites an error before it reaches the client (applied in plugin order) */
  formatError?(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError;
}

/** A GraphQL-shaped error response (`{ errors: [...] }`). */
export function graphqlErrorResponse(status: number, code: string, message: string, headers: Record<string, string> = {}): EarlyResponse {
  return {
    status,
    body: JSON.stringify({ errors: [{ message, extensions: { code } }] }),
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
    errorCodes: [code],
  };
}
