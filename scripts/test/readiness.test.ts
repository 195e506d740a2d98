import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { logInAdmin } from '../lib/partners-client.ts';
import { isTransientNetworkError, retryUntil, waitForRouterReady } from '../lib/readiness.ts';

/** A free port nothing listens on (yet). */
async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** A stand-in router: /health/ready (not ready for the first `notReadyFor` calls) and /graphql. */
function fakeRouter(opts: { notReadyFor?: number } = {}): Server {
  let readyCalls = 0;
  return createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      if (req.url === '/health/ready') {
        readyCalls++;
        const ok = readyCalls > (opts.notReadyFor ?? 0);
        res.writeHead(ok ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify({ status: ok ? 'ok' : 'unavailable' }));
        return;
      }
      const { query } = JSON.parse(body || '{}') as { query?: string };
      const data = query?.includes('logIn') ? { logIn: { accessToken: 'admin-token', userErrors: [] } } : { __typename: 'Query' };
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data }));
    });
  });
}

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise<void>((r) => s.close(() => r()))));
});

describe('start-up readiness (npm start: the sample partner)', () => {
  it('a log-in against a router that is not listening yet fails with "fetch failed" (the race)', async () => {
    const port = await freePort();
    const err = await logInAdmin(`http://127.0.0.1:${port}/graphql`, 'a@example.com', 'pw').catch((e: unknown) => e);
    expect((err as Error).message).toBe('fetch failed');
    expect(isTransientNetworkError(err)).toBe(true);
  });

  it('waits for a router that starts late and reports ready late, then the log-in succeeds', async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/graphql`;
    const server = fakeRouter({ notReadyFor: 3 });
    servers.push(server);
    setTimeout(() => server.listen(port, '127.0.0.1'), 700);
    const started = Date.now();
    await waitForRouterReady(url, 10_000);
    expect(Date.now() - started).toBeGreaterThanOrEqual(600);
    expect(await retryUntil(() => logInAdmin(url, 'a@example.com', 'pw'), { what: 'log-in', timeoutMs: 5000 })).toEqual({ routerUrl: url, token: 'admin-token' });
  });

  it('gives up after its deadline with a clear message naming what and why', async () => {
    const port = await freePort();
    const started = Date.now();
    const err = (await waitForRouterReady(`http://127.0.0.1:${port}/graphql`, 1500).catch((e: unknown) => e)) as Error;
    expect(Date.now() - started).toBeLessThan(5000);
    expect(err.message).toMatch(new RegExp(`^the router \\(http://127\\.0\\.0\\.1:${port}/graphql\\) did not answer within 2 s \\(\\d+ attempts; last: fetch failed \\(ECONNREFUSED\\)\\)$`));
  });

  it('does not retry an answer that is an error (bad credentials are not a race)', async () => {
    let calls = 0;
    const err = await retryUntil(
      async () => {
        calls++;
        throw new Error('INVALID_CREDENTIALS: wrong password');
      },
      { what: 'log-in', timeoutMs: 5000 },
    ).catch((e: unknown) => e);
    expect((err as Error).message).toBe('INVALID_CREDENTIALS: wrong password');
    expect(calls).toBe(1);
  });
});
