import { afterAll, describe, expect, it } from 'vitest';
import { post, startStack, type Stack } from './support.ts';

describe('graceful shutdown', () => {
  let stack: Stack | undefined;
  afterAll(async () => {
    await stack?.stop();
  });

  it('stops accepting, finishes in-flight requests, then stops', async () => {
    stack = await startStack();
    const { router } = stack;
    await post(router.url, { query: '{ hello }' }); // leaves an idle keep-alive connection behind
    const inFlight = post(router.url, { query: '{ slow(ms: 300) }' });
    await new Promise((r) => setTimeout(r, 100));
    const stopped = router.stop();
    const res = await inFlight;
    expect(res.status).toBe(200);
    expect(res.data).toEqual({ slow: 'done' });
    expect(res.headers.get('connection')).toBe('close');
    await stopped;
    await expect(fetch(router.url, { method: 'POST', body: '{}' })).rejects.toThrow();
  });
});
