import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyInternalContext } from '@commerce/platform';
import { TEST_ROUTER_PUBLIC_KEY } from '@commerce/testing';
import { post, startStack, uniqueRequestId, type Stack } from './support.ts';

/** The client address reaches the subgraphs as the signed claim `ip` (customers throttles log-ins per IP with it). */
describe('router: the client IP in the internal context', () => {
  let direct: Stack;
  let behindProxy: Stack;
  beforeAll(async () => {
    [direct, behindProxy] = await Promise.all([startStack(), startStack({ env: { ROUTER_TRUSTED_PROXIES: 'loopback' } })]);
  });
  afterAll(async () => {
    await Promise.all([direct?.stop(), behindProxy?.stop()]);
  });

  async function clientIpSeenBy(stack: Stack, headers: Record<string, string> = {}) {
    const requestId = uniqueRequestId();
    const res = await post(stack.router.url, { query: '{ hello }' }, { 'x-request-id': requestId, ...headers });
    expect(res.status).toBe(200);
    const seen = stack.echo.seenFor(requestId);
    const ctx = await verifyInternalContext(TEST_ROUTER_PUBLIC_KEY, seen?.['x-commerce-context'] as string, { audience: 'echo' });
    return ctx.clientIp;
  }

  it('is the socket address, and X-Forwarded-For from an untrusted peer is ignored', async () => {
    expect(await clientIpSeenBy(direct)).toMatch(/^(::ffff:)?127\.0\.0\.1$/);
    expect(await clientIpSeenBy(direct, { 'x-forwarded-for': '198.51.100.7' })).toMatch(/^(::ffff:)?127\.0\.0\.1$/);
  });

  it('comes from X-Forwarded-For when the peer is a trusted proxy (ROUTER_TRUSTED_PROXIES)', async () => {
    expect(await clientIpSeenBy(behindProxy, { 'x-forwarded-for': '198.51.100.7' })).toBe('198.51.100.7');
    // the right-most untrusted hop: a client cannot pick its address by prepending one
    expect(await clientIpSeenBy(behindProxy, { 'x-forwarded-for': '10.9.9.9, 198.51.100.8' })).toBe('198.51.100.8');
  });
});
