import type { GraphQLFormattedError } from 'graphql';
import type { RouterPlugin } from '../plugin.ts';

/**
 * Codes a client may see with their message. Everything else — no code, INTERNAL_SERVER_ERROR,
 * DOWNSTREAM_SERVICE_ERROR, a subgraph answering non-2xx, an unreachable subgraph — is ours.
 */
export const PUBLIC_ERROR_CODES: ReadonlySet<string> = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'RATE_LIMITED',
  'THROTTLED',
  'MAX_COST_EXCEEDED',
  'QUERY_NOT_IN_SAFELIST',
  'PERSISTED_QUERY_NOT_IN_LIST',
  'SERVICE_UNAVAILABLE',
]);

/** Extension keys never sent in production: stack traces, subgraph HTTP responses, topology. */
const PRIVATE_EXTENSIONS = ['stacktrace', 'exception', 'response', 'serviceName'];

const SUGGESTION = / ?Did you mean(.+?)\?$/s;

interface MaybeCoded {
  extensions?: { code?: unknown; response?: unknown };
}

/** True when an error is a fault of the system rather than of the request. */
export function isInternalError(error: MaybeCoded | undefined): boolean {
  const code = error?.extensions?.code;
  // A subgraph's non-2xx answer (even a 401 from its router gate) is a router/subgraph fault.
  if (error?.extensions?.response !== undefined) return true;
  return typeof code !== 'string' || !PUBLIC_ERROR_CODES.has(code);
}

export interface ErrorMaskingOptions {
  /** mask internal errors and strip schema suggestions (production) */
  production: boolean;
}

/**
 * In production: internal errors become "Internal server error" / INTERNAL_SERVER_ERROR (the
 * original is logged with the request's ids), public ones keep their message minus any "Did you
 * mean …?" suggestion and minus private extensions. In development everything passes through and
 * internal errors are still logged.
 */
export function useErrorMasking({ production }: ErrorMaskingOptions): RouterPlugin {
  return {
    name: 'error-masking',

    formatError(formatted: GraphQLFormattedError): GraphQLFormattedError {
      if (!production) return formatted;
      if (isInternalError(formatted)) return { message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } };
      const extensions = { ...formatted.extensions };
      for (const key of PRIVATE_EXTENSIONS) delete extensions[key];
      return { ...formatted, message: formatted.message.replace(SUGGESTION, ''), extensions };
    },

    apollo: {
      async requestDidStart() {
        return {
          async didEncounterErrors(rc) {
            for (const err of rc.errors) {
              if (isInternalError(err as MaybeCoded)) {
                const original = (err as { originalError?: unknown }).originalError ?? err;
                rc.contextValue.logger.error({ err: original, path: err.path, code: err.extensions?.code }, 'internal error');
              }
            }
          },
        };
      },
    },
  };
}
