import { describe, expect, it } from 'vitest';
import { SignJWT } from 'jose';
import { signInternalContext, verifyInternalContext } from '../src/index.ts';

const SECRET = 'test-router-secret-0123456789';

describe('internal context: the client IP claim', () => {
  it('carries the client IP as `ip` when given, and nothing when not', async () => {
    const withIp = await verifyInternalContext(SECRET, await signInternalContext(SECRET, { user: null, requestId: 'r1', clientIp: '203.0.113.5' }));
    expect(withIp).toEqual({ user: null, requestId: 'r1', clientIp: '203.0.113.5' });
    const v6 = await verifyInternalContext(SECRET, await signInternalContext(SECRET, { user: { id: 'cust_a', roles: ['CUSTOMER'] }, requestId: 'r2', clientIp: '2001:db8::1' }));
    expect(v6.clientIp).toBe('2001:db8::1');
    const without = await verifyInternalContext(SECRET, await signInternalContext(SECRET, { user: null, requestId: 'r3' }));
    expect(without).toEqual({ user: null, requestId: 'r3' });
    expect(without).not.toHaveProperty('clientIp');
  });

  it('drops an `ip` claim that is not an address', async () => {
    const token = await new SignJWT({ rid: 'r4', ip: 'not-an-ip' })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('commerce-router')
      .setAudience('commerce-subgraphs')
      .setIssuedAt()
      .setExpirationTime('60s')
      .sign(new TextEncoder().encode(SECRET));
    expect(await verifyInternalContext(SECRET, token)).toEqual({ user: null, requestId: 'r4' });
  });
});
