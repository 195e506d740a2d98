import type { RouterPlugin } from '../plugin.ts';

export interface CorsOptions {
  /** allowed origins; `*` allows any; empty: no CORS headers at all (same-origin only) */
  origins: string[];
}

const ALLOW_HEADERS = 'authorization, content-type, apollo-require-preflight, x-apollo-operation-name, x-request-id, traceparent';

/**
 * CORS for browser storefronts on `/graphql`. Tokens travel in the Authorization header, never in
 * cookies, so credentials are not allowed. Preflights are answered here.
 */
export function useCors({ origins }: CorsOptions): RouterPlugin {
  const any = origins.includes('*');
  const allowed = new Set(origins);
  return {
    name: 'cors',
    onRequest(r) {
      if (r.route !== 'graphql' || origins.length === 0) return;
      const origin = r.req.headers.origin;
      if (!origin || (!any && !allowed.has(origin))) return;
      r.responseHeaders['access-control-allow-origin'] = any ? '*' : origin;
      r.responseHeaders['access-control-expose-headers'] = 'x-request-id, x-trace-id';
      if (!any) r.responseHeaders.vary = 'Origin';
      if (r.method === 'OPTIONS') {
        return {
          status: 204,
          body: '',
          headers: { 'access-control-allow-methods': 'GET, POST, OPTIONS', 'access-control-allow-headers': ALLOW_HEADERS, 'access-control-max-age': '600' },
        };
      }
    },
  };
}
