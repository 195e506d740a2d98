import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { eventually } from '@commerce/testing';
import type { Identity, Role } from '@commerce/platform';
import { DEFAULT_SEED_ADMIN_EMAIL, DEFAULT_SEED_ADMIN_PASSWORD, TOKEN_AUDIENCE, TOKEN_ISSUER } from '../src/index.ts';
import { LOG_IN, SIGN_UP, startTestCustomers, uniqueEmail, type AuthPayloadShape, type TestCustomers } from './helpers.ts';

let t: TestCustomers;
let jwks: ReturnType<typeof createRemoteJWKSet>;
let admin: Identity;

beforeAll(async () => {
  t = await startTestCustomers();
  jwks = createRemoteJWKSet(new URL(t.svc.jwksUrl));
  const seeded = await t.svc.conn.collection('customers').findOne({ email: DEFAULT_SEED_ADMIN_EMAIL });
  admin = { id: seeded!._id as unknown as string, roles: ['CUSTOMER', 'ADMIN'] };
});

afterAll(async () => {
  await t?.stop();
});

const GRANT = /* GraphQL */ `
  mutation Grant($customerId: ID!, $role: Role!) {
    grantRole(customerId: $customerId, role: $role) {
      customer { id roles }
      userErrors { field message code }
    }
  }
`;
const REVOKE = /* GraphQL */ `
  mutation Revoke($customerId: ID!, $role: Role!) {
    revokeRole(customerId: $customerId, role: $role) {
      customer { id roles }
      userErrors { field message code }
    }
  }
`;

interface RoleChangeShape {
  customer: { id: string; roles: Role[] } | null;
  userErrors: Array<{ field: string[] | null; message: string; code: string }>;
}

async function newCustomer(tag = 'r') {
  const email = uniqueEmail(tag);
  const password = `pw-${email}`;
  const res = await t.call<{ signUp: AuthPayloadShape }>(SIGN_UP, { input: { email, password, name: `Name ${tag}` } });
  expect(res.data!.signUp.userErrors).toEqual([]);
  return { email, password, id: res.data!.signUp.customer!.id, identity: { id: res.data!.signUp.customer!.id, roles: ['CUSTOMER'] } as Identity };
}

async function grant(customerId: string, role: Role, by: Identity | null = admin) {
  return t.call<{ grantRole: RoleChangeShape }>(GRANT, { customerId, role }, by);
}
async function revoke(customerId: string, role: Role, by: Identity | null = admin) {
  return t.call<{ revokeRole: RoleChangeShape }>(REVOKE, { customerId, role }, by);
}

async function tokenRoles(email: string, password: string): Promise<unknown> {
  const res = await t.call<{ logIn: AuthPayloadShape }>(LOG_IN, { email, password });
  expect(res.data!.logIn.userErrors).toEqual([]);
  const { payload } = await jwtVerify(res.data!.logIn.accessToken!, jwks, { issuer: TOKEN_ISSUER, audience: TOKEN_AUDIENCE, algorithms: ['RS256'] });
  return payload.roles;
}

const customerDoc = (id: string) => t.svc.conn.collection('customers').findOne({ _id: id as never });
const outboxVersions = async (id: string) =>
  (await t.svc.conn.collection('outbox').find({ collection: 'customers', aggregateId: id }).toArray()).map((e) => e.version as number).sort((a, b) => a - b);

describe('grantRole', () => {
  it('lets an admin grant SUPPORT_AGENT as a version commit; the next log-in carries it in the token', async () => {
    const c = await newCustomer('agent');
    const before = await t.call<{ logIn: AuthPayloadShape }>(LOG_IN, { email: c.email, password: c.password });
    const oldToken = before.data!.logIn.accessToken!;

    const res = await grant(c.id, 'SUPPORT_AGENT');
    expect(res.errors).toBeUndefined();
    expect(res.data!.grantRole).toEqual({ customer: { id: c.id, roles: ['CUSTOMER', 'SUPPORT_AGENT'] }, userErrors: [] });
    expect(await customerDoc(c.id)).toMatchObject({ roles: ['CUSTOMER', 'SUPPORT_AGENT'], version: 2 });
    expect(await outboxVersions(c.id)).toEqual([1, 2]);
    // the password hash survives the commit: the agent can still log in, and the new token carries the role
    expect(await tokenRoles(c.email, c.password)).toEqual(['CUSTOMER', 'SUPPORT_AGENT']);
    // a token issued before the grant keeps the roles it was issued with
    const { payload: old } = await jwtVerify(oldToken, jwks, { issuer: TOKEN_ISSUER, audience: TOKEN_AUDIENCE });
    expect(old.roles).toEqual(['CUSTOMER']);
    // the role reaches the subgraphs through the router's context
    const me = await t.call<{ me: { roles: Role[] } }>('{ me { roles } }', {}, { id: c.id, roles: ['CUSTOMER', 'SUPPORT_AGENT'] });
    expect(me.errors).toBeUndefined();
    expect(me.data!.me.roles).toEqual(['CUSTOMER', 'SUPPORT_AGENT']);
  });

  it('changes nothing when the customer has the role already', async () => {
    const c = await newCustomer('twice');
    expect((await grant(c.id, 'SUPPORT_AGENT')).data!.grantRole.userErrors).toEqual([]);
    const again = await grant(c.id, 'SUPPORT_AGENT');
    expect(again.data!.grantRole).toEqual({ customer: { id: c.id, roles: ['CUSTOMER', 'SUPPORT_AGENT'] }, userErrors: [] });
    const customer = await grant(c.id, 'CUSTOMER');
    expect(customer.data!.grantRole.customer!.roles).toEqual(['CUSTOMER', 'SUPPORT_AGENT']);
    expect(await outboxVersions(c.id)).toEqual([1, 2]);
  });

  it('answers FORBIDDEN to a customer and to a support agent, UNAUTHENTICATED to anonymous, and changes nothing', async () => {
    const c = await newCustomer('victim');
    const other = await newCustomer('other');
    for (const [by, code] of [
      [other.identity, 'FORBIDDEN'],
      [{ id: other.id, roles: ['CUSTOMER', 'SUPPORT_AGENT'] }, 'FORBIDDEN'],
      [c.identity, 'FORBIDDEN'], // not even for oneself
      [null, 'UNAUTHENTICATED'],
    ] as Array<[Identity | null, string]>) {
      const g = await grant(c.id, 'ADMIN', by);
      expect(g.errors?.map((e) => e.extensions?.code)).toEqual([code]);
      expect(g.data?.grantRole ?? null).toBeNull();
      const r = await revoke(c.id, 'CUSTOMER', by);
      expect(r.errors?.map((e) => e.extensions?.code)).toEqual([code]);
    }
    expect(await customerDoc(c.id)).toMatchObject({ roles: ['CUSTOMER'], version: 1 });
  });

  it('answers CUSTOMER_NOT_FOUND for an unknown or malformed id', async () => {
    for (const id of ['cust_000000000aaaaaaaaaaaaaaaa', 'not-an-id']) {
      const res = await grant(id, 'SUPPORT_AGENT');
      expect(res.errors).toBeUndefined();
      expect(res.data!.grantRole).toEqual({ customer: null, userErrors: [{ field: ['customerId'], message: expect.any(String), code: 'CUSTOMER_NOT_FOUND' }] });
      expect((await revoke(id, 'SUPPORT_AGENT')).data!.revokeRole.userErrors.map((e) => e.code)).toEqual(['CUSTOMER_NOT_FOUND']);
    }
  });

  it('rejects a role the schema does not know', async () => {
    const c = await newCustomer('enum');
    const res = await t.call(GRANT, { customerId: c.id, role: 'ROOT' }, admin);
    expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(await customerDoc(c.id)).toMatchObject({ roles: ['CUSTOMER'], version: 1 });
  });

  it('loses no change when admins grant and revoke concurrently (version claims, also on FerretDB)', async () => {
    const c = await newCustomer('race');
    expect((await grant(c.id, 'SUPPORT_AGENT')).data!.grantRole.userErrors).toEqual([]);
    const results = await Promise.all([
      ...Array.from({ length: 3 }, () => grant(c.id, 'ADMIN').then((r) => r.data?.grantRole)),
      ...Array.from({ length: 3 }, () => revoke(c.id, 'SUPPORT_AGENT').then((r) => r.data?.revokeRole)),
    ]);
    for (const r of results) expect(r?.userErrors).toEqual([]);
    // one commit per change, neither overwrote the other
    expect(await outboxVersions(c.id)).toEqual([1, 2, 3, 4]);
    const [newest] = await t.svc.conn.collection('outbox').find({ collection: 'customers', aggregateId: c.id, version: 4 }).toArray();
    expect(newest!.state.roles).toEqual(['CUSTOMER', 'ADMIN']);
    // racing writers' document writes may land out of order on FerretDB; the relay repairs them
    await eventually(async () => (await customerDoc(c.id))?.version === 4);
    expect(await tokenRoles(c.email, c.password)).toEqual(['CUSTOMER', 'ADMIN']);
  });
});

describe('revokeRole', () => {
  it('revokes SUPPORT_AGENT; the next token no longer carries it', async () => {
    const c = await newCustomer('revoked');
    await grant(c.id, 'SUPPORT_AGENT');
    expect(await tokenRoles(c.email, c.password)).toEqual(['CUSTOMER', 'SUPPORT_AGENT']);
    const res = await revoke(c.id, 'SUPPORT_AGENT');
    expect(res.errors).toBeUndefined();
    expect(res.data!.revokeRole).toEqual({ customer: { id: c.id, roles: ['CUSTOMER'] }, userErrors: [] });
    expect(await customerDoc(c.id)).toMatchObject({ roles: ['CUSTOMER'], version: 3 });
    expect(await tokenRoles(c.email, c.password)).toEqual(['CUSTOMER']);
    // revoking what the customer lacks changes nothing
    expect((await revoke(c.id, 'SUPPORT_AGENT')).data!.revokeRole.userErrors).toEqual([]);
    expect(await outboxVersions(c.id)).toEqual([1, 2, 3]);
  });

  it('never revokes CUSTOMER', async () => {
    const c = await newCustomer('keep');
    const res = await revoke(c.id, 'CUSTOMER');
    expect(res.data!.revokeRole).toEqual({ customer: null, userErrors: [{ field: ['role'], message: expect.any(String), code: 'CUSTOMER_ROLE_REQUIRED' }] });
    expect(await customerDoc(c.id)).toMatchObject({ roles: ['CUSTOMER'], version: 1 });
  });

  it('does not let an admin revoke their own ADMIN, but another admin may', async () => {
    const c = await newCustomer('second-admin');
    await grant(c.id, 'ADMIN');
    const self = await revoke(c.id, 'ADMIN', { id: c.id, roles: ['CUSTOMER', 'ADMIN'] });
    expect(self.data!.revokeRole).toEqual({ customer: null, userErrors: [{ field: ['role'], message: expect.any(String), code: 'CANNOT_REVOKE_OWN_ADMIN' }] });
    expect((await customerDoc(c.id))!.roles).toEqual(['CUSTOMER', 'ADMIN']);
    // the seeded admin cannot demote itself either
    expect((await revoke(admin.id, 'ADMIN')).data!.revokeRole.userErrors.map((e) => e.code)).toEqual(['CANNOT_REVOKE_OWN_ADMIN']);
    expect(await tokenRoles(DEFAULT_SEED_ADMIN_EMAIL, DEFAULT_SEED_ADMIN_PASSWORD)).toEqual(['CUSTOMER', 'ADMIN']);

    const other = await revoke(c.id, 'ADMIN', admin);
    expect(other.data!.revokeRole).toEqual({ customer: { id: c.id, roles: ['CUSTOMER'] }, userErrors: [] });
  });
});

describe('Customer.roles', () => {
  it('is readable by the customer themself and admins only', async () => {
    const a = await newCustomer('own');
    const b = await newCustomer('nosy');
    const q = 'query ($reps: [_Any!]!) { _entities(representations: $reps) { ... on Customer { id roles } } }';
    const reps = [{ __typename: 'Customer', id: a.id }];
    const own = await t.call(q, { reps }, a.identity);
    expect(own.errors).toBeUndefined();
    expect(own.data).toEqual({ _entities: [{ id: a.id, roles: ['CUSTOMER'] }] });
    const byAdmin = await t.call(q, { reps }, admin);
    expect(byAdmin.data).toEqual({ _entities: [{ id: a.id, roles: ['CUSTOMER'] }] });
    const foreign = await t.call(q, { reps }, b.identity);
    expect(foreign.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    const agent = await t.call(q, { reps }, { id: b.id, roles: ['CUSTOMER', 'SUPPORT_AGENT'] });
    expect(agent.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    const anonymous = await t.call(q, { reps });
    expect(anonymous.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    // and the one who just signed up or logged in sees their own
    const login = await t.call<{ logIn: { customer: { roles: Role[] } } }>('mutation ($e: String!, $p: String!) { logIn(email: $e, password: $p) { customer { roles } } }', { e: a.email, p: a.password });
    expect(login.data!.logIn.customer.roles).toEqual(['CUSTOMER']);
  });
});
