import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callSubgraph, gql } from '@commerce/testing';
import { startAnalytics, type AnalyticsService } from '../src/index.ts';
import { analyticsEnv, cleanUp } from './helpers.ts';

const env = analyticsEnv();
let svc: AnalyticsService;
beforeAll(async () => {
  svc = await startAnalytics(env);
});
afterAll(async () => {
  await svc?.stop();
  await cleanUp(env);
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
