/**
 * Start-up ordering for `npm start`: wait until a dependency really answers, with a deadline and
 * a clear message, instead of sleeping. Used before the sample partner is set up (the router's
 * /health only says the router listens; the partner setup needs the router *and* customers, and
 * on a first start — keys generated, catalog seeded — they may not all answer yet).
 */

/** A failure to reach a server at all (refused, reset, DNS, timeout) rather than an answer. */
export function isTransientNetworkError(err: unknown): boolean {
  const e = err as { name?: string; message?: string; cause?: { code?: string } } | undefined;
  if (!e) return false;
  if (e.name === 'TimeoutError' || e.name === 'AbortError') return true;
  return e.name === 'TypeError' && e.message === 'fetch failed';
}

/** The message of an error with the network cause `fetch` hides (`fetch failed` → `fetch failed (ECONNREFUSED …)`). */
export function describeError(err: unknown): string {
  const e = err as { message?: string; cause?: { code?: string; message?: string } };
  const cause = e?.cause ? ` (${e.cause.code ?? e.cause.message ?? String(e.cause)})` : '';
  return `${e?.message ?? String(err)}${cause}`;
}

export interface RetryOptions {
  /** what is being waited for, for the message */
  what: string;
  timeoutMs: number;
  intervalMs?: number;
  /** retried errors (default: transient network errors); anything else is thrown at once */
  retryOn?: (err: unknown) => boolean;
}

/** Runs `fn` until it succeeds, retrying only transient failures until the deadline. */
export async function retryUntil<T>(fn: () => Promise<T>, opts: RetryOptions): Promise<T> {
  const deadline = Date.now() + opts.timeoutMs;
  const retryOn = opts.retryOn ?? isTransientNetworkError;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (!retryOn(err)) throw err;
      if (Date.now() + (opts.intervalMs ?? 250) > deadline) {
        throw new Error(`${opts.what} did not answer within ${Math.round(opts.timeoutMs / 1000)} s (${attempt} attempts; last: ${describeError(err)})`, { cause: err });
      }
    }
    await new Promise((r) => setTimeout(r, opts.intervalMs ?? 250));
  }
}

/**
 * Waits until the router at `routerUrl` (…/graphql) serves GraphQL and reports every subgraph
 * reachable (`/health/ready`): only then can a request through it reach customers.
 */
export async function waitForRouterReady(routerUrl: string, timeoutMs: number): Promise<void> {
  const ready = new URL('/health/ready', routerUrl).href;
  await retryUntil(
    async () => {
      const health = await fetch(ready, { signal: AbortSignal.timeout(2000) });
      const report = await health.text();
      if (!health.ok) throw Object.assign(new Error(`${ready} answered ${health.status}: ${report}`), { name: 'NotReady' });
      const res = await fetch(routerUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}', signal: AbortSignal.timeout(5000) });
      const body = (await res.json()) as { data?: { __typename?: string } };
      if (body.data?.__typename !== 'Query') throw Object.assign(new Error(`${routerUrl} answered ${res.status} without data`), { name: 'NotReady' });
    },
    { what: `the router (${routerUrl})`, timeoutMs, intervalMs: 250, retryOn: (err) => isTransientNetworkError(err) || (err as Error).name === 'NotReady' },
  );
}
