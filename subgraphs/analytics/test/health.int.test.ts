import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callSubgraph, gql, serviceEnv } from '@commerce/testing';
import type { RunningService } from '@commerce/platform';
import { startAnalytics } from '../src/index.ts';

let svc: RunningService;
beforeAll(async () => {
  svc = await startAnalytics(serviceEnv('analytics'));
});
afterAll(async () => {
  await svc?.stop();
});

describe('analytics subgraph', () => {
  it('is ready, and answers only the router', async () => {
    const ready = await fetch(svc.url.replace('/graphql', '/health/ready'));
    expect(ready.status).toBe(200);
    expect((await gql(svc.url, '{ _service { sdl } }')).status).toBe(401);
    const viaRouter = await callSubgraph(svc.url, '{ _service { sdl } }');
    expect(viaRouter.data?._service.sdl).toContain('type Query');
  });
});
