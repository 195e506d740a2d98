import { describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import { applyMiddleware } from 'graphql-middleware';
import { SignJWT } from 'jose';
import { buildPermissions, generateRouterKeyPair, isAdmin, isAgent, isRole, isSupportAgent, parseRouterSigningKey, ROLES, signInternalContext, verifyInternalContext, type Identity, type Role } from '../src/index.ts';

// graphql-shield and @apollo/subgraph load graphql's CommonJS build; the schema here must come from the same one
const { buildSchema, graphql } = createRequire(import.meta.url)('graphql') as typeof import('graphql');

const as = (...roles: Role[]): Identity => ({ id: 'cust_x', roles });

describe('isAgent', () => {
  it('is true for SUPPORT_AGENT and ADMIN, false for a customer and for no one', () => {
    expect(isAgent(as('CUSTOMER', 'SUPPORT_AGENT'))).toBe(true);
    expect(isAgent(as('SUPPORT_AGENT'))).toBe(true);
    expect(isAgent(as('CUSTOMER', 'ADMIN'))).toBe(true);
    expect(isAgent(as('CUSTOMER'))).toBe(false);
    expect(isAgent(as())).toBe(false);
    expect(isAgent(null)).toBe(false);
  });
});

describe('isSupportAgent (graphql-shield rule)', () => {
  // the permissions exactly as a subgraph builds them (deny by default; federation's _service open)
  const base = buildSchema('type Query { ticket: String, backOffice: String, _service: _Service } type _Service { sdl: String }');
  const schema = applyMiddleware(base, buildPermissions({ Query: { ticket: isSupportAgent, backOffice: isAdmin } }, base));
  const run = async (user: Identity | null, field = 'ticket') => {
    const res = await graphql({ schema, source: `{ ${field} }`, rootValue: { ticket: 'open', backOffice: 'open' }, contextValue: { user } });
    return { data: res.data?.[field] ?? null, codes: res.errors?.map((e) => e.extensions?.code) ?? [], messages: res.errors?.map((e) => e.message) ?? [] };
  };

  it('lets agents and admins through', async () => {
    expect(await run(as('CUSTOMER', 'SUPPORT_AGENT'))).toEqual({ data: 'open', codes: [], messages: [] });
    expect(await run(as('CUSTOMER', 'ADMIN'))).toEqual({ data: 'open', codes: [], messages: [] });
  });

  it('answers FORBIDDEN to a customer and UNAUTHENTICATED to no one', async () => {
    expect(await run(as('CUSTOMER'))).toEqual({ data: null, codes: ['FORBIDDEN'], messages: ['This operation needs the SUPPORT_AGENT role'] });
    expect((await run(null)).codes).toEqual(['UNAUTHENTICATED']);
  });

  it('gives an agent no admin powers', async () => {
    expect((await run(as('CUSTOMER', 'SUPPORT_AGENT'), 'backOffice')).codes).toEqual(['FORBIDDEN']);
  });
});

describe('verifyInternalContext roles', () => {
  const { signingKey, publicKey } = generateRouterKeyPair();
  const aud = { audience: 'catalog' };

  it('keeps SUPPORT_AGENT from the router context', async () => {
    const token = await signInternalContext(signingKey, { user: as('CUSTOMER', 'SUPPORT_AGENT'), requestId: 'r1' }, aud);
    expect((await verifyInternalContext(publicKey, token, aud)).user).toEqual({ id: 'cust_x', roles: ['CUSTOMER', 'SUPPORT_AGENT'] });
  });

  it('drops roles it does not know, and non-strings', async () => {
    const token = await signInternalContext(signingKey, { user: { id: 'cust_x', roles: ['CUSTOMER', 'ROOT', 'support_agent', 42, null, 'SUPPORT_AGENT', 'ADMIN'] as unknown as Role[] }, requestId: 'r2' }, aud);
    expect((await verifyInternalContext(publicKey, token, aud)).user?.roles).toEqual(['CUSTOMER', 'SUPPORT_AGENT', 'ADMIN']);
  });

  it('reads a roles claim that is not a list as no roles', async () => {
    const token = await new SignJWT({ rid: 'r3', roles: 'ADMIN' })
      .setProtectedHeader({ alg: 'EdDSA', typ: 'commerce-context+jwt' })
      .setIssuer('commerce-router')
      .setAudience('catalog')
      .setSubject('cust_x')
      .setIssuedAt()
      .setExpirationTime('1m')
      .sign(parseRouterSigningKey(signingKey).privateKey);
    expect((await verifyInternalContext(publicKey, token, aud)).user).toEqual({ id: 'cust_x', roles: [] });
  });
});

describe('ROLES', () => {
  it('lists the three roles, and isRole accepts exactly those', () => {
    expect(ROLES).toEqual(['CUSTOMER', 'ADMIN', 'SUPPORT_AGENT']);
    for (const r of ROLES) expect(isRole(r)).toBe(true);
    for (const r of ['ROOT', 'admin', '', 1, null, undefined, {}]) expect(isRole(r)).toBe(false);
  });
});
