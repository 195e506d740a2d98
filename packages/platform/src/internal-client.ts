import { context, propagation } from '@opentelemetry/api';
import { CONTEXT_HEADER } from './trust.ts';

export class InternalCallError extends Error {
  override name = 'InternalCallError';
  constructor(message: string, readonly status?: number) {
    super(message);
  }
}

/**
 * Calls another service's internal route (see `internalRoutes`) on behalf of the request being
 * served: it forwards the router context that request came with (`routerToken`, from the
 * resolver's context), so the callee applies the same ownership rules as for the router, to the
 * identity the router verified. Services hold no key to sign a context of their own; the callee
 * accepts the token only if the calling subgraph is one of the route's `callers` (its `aud`) and
 * the token has not expired. Fails fast (timeout) so a saga step can retry instead of hanging.
 */
export async function callInternal<T>(baseUrl: string, path: string, routerToken: string, opts: { timeoutMs?: number } = {}): Promise<{ status: number; body: T }> {
  const url = new URL(path, baseUrl).href;
  let res: Response;
  try {
    const headers: Record<string, string> = { [CONTEXT_HEADER]: routerToken };
    // the W3C trace context of the active span (global fetch is not instrumented by the http instrumentation)
    propagation.inject(context.active(), headers);
    res = await fetch(url, { headers, signal: AbortSignal.timeout(opts.timeoutMs ?? 3000) });
  } catch (err) {
    throw new InternalCallError(`${url} unreachable: ${(err as Error).message}`);
  }
  const text = await res.text();
  try {
    return { status: res.status, body: JSON.parse(text) as T };
  } catch {
    throw new InternalCallError(`${url} answered ${res.status} with non-JSON`, res.status);
  }
}
