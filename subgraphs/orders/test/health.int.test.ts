import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, CUSTOMER, callSubgraph, gql, serviceEnv } from '@commerce/testing';
import type { RunningService } from '@commerce/platform';
import { startOrders } from '../src/index.ts';

let svc: RunningService;
beforeAll(async () => {
  svc = await startOrders(serviceEnv('orders'));
});
afterAll(async () => {
  await svc?.stop();
});

const ORDERS = `query ($reps: [_Any!]!) { _entities(representations: $reps) { ... on Customer { id orders(first: 10) { edges { node { id status } } pageInfo { hasNextPage } } } } }`;

describe('orders subgraph', () => {
  it('is ready, and answers only the router', async () => {
    const ready = await fetch(svc.url.replace('/graphql', '/health/ready'));
    expect(ready.status).toBe(200);
    expect((await gql(svc.url, '{ _service { sdl } }')).status).toBe(401);
    const viaRouter = await callSubgraph(svc.url, '{ _service { sdl } }');
    expect(viaRouter.data?._service.sdl).toContain('type Customer');
  });

  it("lets a customer read their own orders, and admins anyone's, but no one else", async () => {
    const reps = [{ __typename: 'Customer', id: CUSTOMER.id }];
    const own = await callSubgraph(svc.url, ORDERS, { reps }, CUSTOMER);
    expect(own.errors).toBeUndefined();
    expect(own.data?._entities[0].orders).toEqual({ edges: [], pageInfo: { hasNextPage: false } });
    expect((await callSubgraph(svc.url, ORDERS, { reps }, ADMIN)).errors).toBeUndefined();
    const other = await callSubgraph(svc.url, ORDERS, { reps }, { id: 'cust_someoneelse', roles: ['CUSTOMER'] });
    expect(other.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const anon = await callSubgraph(svc.url, ORDERS, { reps });
    expect(anon.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});
