import { CONTEXT_HEADER, signInternalContext, type Identity } from './trust.ts';

export class InternalCallError extends Error {
  override name = 'InternalCallError';
  constructor(message: string, readonly status?: number) {
    super(message);
  }
}

/**
 * Calls another service's internal route (see `internalRoutes`) with a signed context carrying
 * the caller's identity, so the callee applies the same ownership rules as for the router.
 * Fails fast (timeout) so a saga step can retry instead of hanging.
 */
export async function callInternal<T>(baseUrl: string, path: string, secret: string, opts: { user: Identity | null; requestId: string; timeoutMs?: number }): Promise<{ status: number; body: T }> {
  const token = await signInternalContext(secret, { user: opts.user, requestId: opts.requestId });
  const url = new URL(path, baseUrl).href;
  let res: Response;
  try {
    res = await fetch(url, { headers: { [CONTEXT_HEADER]: token }, signal: AbortSignal.timeout(opts.timeoutMs ?? 3000) });
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
