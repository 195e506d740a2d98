import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRemoteJWKSet } from 'jose';
import type { Identity } from '@commerce/platform';
import type { RouterContext } from '../src/context.ts';
import { verifyAccessToken } from '../src/plugins/use-auth.ts';
import { clientOf } from '../src/plugins/use-rate-limit.ts';
import { post, startStack, type Stack } from './support.ts';

describe('the SUPPORT_AGENT role at the router', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('keeps SUPPORT_AGENT from the access token and drops unknown roles', async () => {
    const token = await stack.issuer.token({ sub: 'cust_agent', roles: ['CUSTOMER', 'SUPPORT_AGENT', 'ROOT', 'support_agent'] });
    const identity = await verifyAccessToken(token, createRemoteJWKSet(new URL(stack.issuer.jwksUrl)), { issuer: 'commerce-customers', audience: 'commerce' });
    expect(identity).toEqual({ id: 'cust_agent', roles: ['CUSTOMER', 'SUPPORT_AGENT'] });
  });

  it('passes SUPPORT_AGENT on to the subgraphs in x-commerce-context', async () => {
    const token = await stack.issuer.token({ sub: 'cust_agent', roles: ['CUSTOMER', 'SUPPORT_AGENT', 'ROOT'] });
    const res = await post(stack.router.url, { query: '{ whoami { id roles } }' }, { authorization: `Bearer ${token}` });
    expect(res.status).toBe(200);
    expect(res.data).toEqual({ whoami: { id: 'cust_agent', roles: ['CUSTOMER', 'SUPPORT_AGENT'] } });
  });

  it('rate-limits an agent like a customer, in a bucket of their own; an admin agent as an admin', () => {
    const ctx = (user: Identity) => ({ user }) as RouterContext;
    expect(clientOf(ctx({ id: 'cust_agent', roles: ['CUSTOMER', 'SUPPORT_AGENT'] }))).toEqual({ clientClass: 'customer', key: 'user:cust_agent' });
    expect(clientOf(ctx({ id: 'cust_boss', roles: ['CUSTOMER', 'ADMIN', 'SUPPORT_AGENT'] }))).toEqual({ clientClass: 'admin', key: 'user:cust_boss' });
  });
});
