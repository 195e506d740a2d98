import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInternalContext, startTelemetry, verifyInternalContext, type Telemetry } from '@commerce/platform';
import { TEST_ROUTER_PUBLIC_KEY, TEST_ROUTER_SIGNING_KEY } from '@commerce/testing';
import { post, startStack, uniqueRequestId, type Stack } from './support.ts';

describe('router: pass-through, identity and propagation', () => {
  let stack: Stack;
  let telemetry: Telemetry;
  beforeAll(async () => {
    // OpenTelemetry as a service process without an exporter has it: ids propagate, nothing is exported
    telemetry = startTelemetry({ serviceName: 'router-test', env: { NODE_ENV: 'test' } });
    stack = await startStack();
  });
  afterAll(async () => {
    await stack?.stop();
    await telemetry?.shutdown();
  });

  it('binds port 0 and exposes the bound URL', () => {
    expect(stack.router.port).toBeGreaterThan(0);
    expect(stack.router.url).toBe(`http://127.0.0.1:${stack.router.port}/graphql`);
    expect(stack.router.subgraphs).toEqual([{ name: 'echo', url: stack.echo.server.url }]);
  });

  it('passes a query through to the subgraph (URL from ECHO_URL, not the supergraph)', async () => {
    const res = await post(stack.router.url, { query: '{ hello }' });
    expect(res.status).toBe(200);
    expect(res.data).toEqual({ hello: 'world' });
  });

  it('forwards the verified identity to the subgraph', async () => {
    const token = await stack.issuer.token({ sub: 'cust_alice', roles: ['CUSTOMER', 'ADMIN', 'ROOT'] });
    const res = await post(stack.router.url, { query: '{ whoami { id roles } }' }, { authorization: `Bearer ${token}` });
    expect(res.status).toBe(200);
    expect(res.data).toEqual({ whoami: { id: 'cust_alice', roles: ['CUSTOMER', 'ADMIN'] } });
  });

  it('serves anonymous requests as anonymous', async () => {
    const res = await post(stack.router.url, { query: '{ whoami { id roles } }' });
    expect(res.status).toBe(200);
    expect(res.data).toEqual({ whoami: { id: null, roles: [] } });
  });

  it('signs the context for the one subgraph it goes to (aud = its name), asymmetrically, for 60 s (finding 5)', async () => {
    const requestId = uniqueRequestId();
    await post(stack.router.url, { query: '{ hello }' }, { 'x-request-id': requestId });
    const token = stack.echo.seenFor(requestId)?.['x-commerce-context'] as string;
    const [header, claims] = token.split('.').slice(0, 2).map((p) => JSON.parse(Buffer.from(p, 'base64url').toString()));
    expect(header).toEqual({ alg: 'EdDSA', typ: 'commerce-context+jwt' });
    expect(claims).toMatchObject({ aud: 'echo', iss: 'commerce-router' });
    expect(claims.exp - claims.iat).toBe(60);
    // it names the caller, not the request: the request id travels as x-request-id, and the token
    // serves the same anonymous caller's next request too (signed once per 30 s, not per request)
    expect(claims.rid).toBeUndefined();
    expect(stack.echo.seenFor(requestId)?.['x-request-id']).toBe(requestId);
    const next = uniqueRequestId();
    await post(stack.router.url, { query: '{ hello }' }, { 'x-request-id': next });
    expect(stack.echo.seenFor(next)?.['x-commerce-context']).toBe(token);
    expect(await verifyInternalContext(TEST_ROUTER_PUBLIC_KEY, token, { audience: 'echo' })).toMatchObject({ user: null });
    await expect(verifyInternalContext(TEST_ROUTER_PUBLIC_KEY, token, { audience: 'payments' })).rejects.toThrow(/invalid router context/);
  });

  it('never forwards a client-sent x-commerce-context: the subgraph sees the router-signed one', async () => {
    const forged = await signInternalContext(TEST_ROUTER_SIGNING_KEY, { user: { id: 'cust_mallory', roles: ['ADMIN'] }, requestId: 'forged' }, { audience: 'echo' });
    const requestId = uniqueRequestId();
    const res = await post(stack.router.url, { query: '{ whoami { id roles requestId } }' }, { 'x-commerce-context': forged, 'x-request-id': requestId });
    expect(res.data).toEqual({ whoami: { id: null, roles: [], requestId } });
    const seen = stack.echo.seenFor(requestId);
    expect(seen?.['x-commerce-context']).toBeTruthy();
    expect(seen?.['x-commerce-context']).not.toBe(forged);
  });

  it('forwards no client header: tracing flags, cookies and credentials stay at the edge', async () => {
    const requestId = uniqueRequestId();
    const token = await stack.issuer.token();
    await post(
      stack.router.url,
      { query: '{ hello }' },
      { 'x-request-id': requestId, 'apollo-federation-include-trace': 'ftv1', cookie: 'session=abc', authorization: `Bearer ${token}`, 'x-forwarded-for': '10.1.1.1' },
    );
    const seen = stack.echo.seenFor(requestId)!;
    expect(seen).toBeDefined();
    expect(seen['apollo-federation-include-trace']).toBeUndefined();
    expect(seen.cookie).toBeUndefined();
    expect(seen.authorization).toBeUndefined();
    expect(seen['x-forwarded-for']).toBeUndefined();
    const sent = Object.keys(seen).filter((h) => !['host', 'connection', 'content-length', 'content-type', 'accept', 'accept-encoding', 'user-agent'].includes(h));
    expect(sent.sort()).toEqual(['traceparent', 'x-commerce-context', 'x-request-id']);
  });

  it('propagates request id and W3C trace: same trace, the router span as parent', async () => {
    const requestId = uniqueRequestId();
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const res = await post(stack.router.url, { query: '{ whoami { requestId traceparent } }' }, { 'x-request-id': requestId, traceparent: `00-${traceId}-00f067aa0ba902b7-01` });
    expect(res.headers.get('x-request-id')).toBe(requestId);
    expect(res.headers.get('x-trace-id')).toBe(traceId);
    const tp = res.data!.whoami.traceparent as string;
    expect(tp).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
    expect(tp).not.toContain('00f067aa0ba902b7');
    // the header names the router's span (the subgraph's server span, `tp`, is its child)
    const sent = stack.echo.seenFor(requestId)?.traceparent as string;
    expect(sent).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
    expect(sent).not.toBe(tp);
    expect(sent).not.toContain('00f067aa0ba902b7');
  });

  it('starts a trace when the client sent none (or a malformed one)', async () => {
    const res = await post(stack.router.url, { query: '{ whoami { traceparent } }' }, { traceparent: 'garbage' });
    expect(res.data!.whoami.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-00$/);
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('reuses keep-alive connections to the subgraph', async () => {
    const before = stack.echo.connections();
    for (let i = 0; i < 20; i++) await post(stack.router.url, { query: '{ hello }' });
    expect(stack.echo.connections() - before).toBeLessThanOrEqual(1);
    await Promise.all(Array.from({ length: 8 }, () => post(stack.router.url, { query: '{ hello }' })));
    await Promise.all(Array.from({ length: 8 }, () => post(stack.router.url, { query: '{ hello }' })));
    expect(stack.echo.connections() - before).toBeLessThanOrEqual(8);
  });

  it('/health is 200 once the supergraph is loaded; /health/ready checks the subgraphs', async () => {
    const live = await fetch(`${stack.router.origin}/health`);
    expect(live.status).toBe(200);
    expect(await live.json()).toMatchObject({ status: 'ok', subgraphs: ['echo'] });
    const ready = await fetch(`${stack.router.origin}/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ok', subgraphs: { echo: 'ok' } });
  });

  it('/metrics exposes the operation histogram, errors by code and subgraph fetch latency', async () => {
    await post(stack.router.url, { query: 'query MetricsProbe { hello }' });
    await post(stack.router.url, { query: '{ nope }' });
    const res = await fetch(`${stack.router.origin}/metrics`);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toMatch(/graphql_operation_duration_seconds_count\{[^}]*operation="MetricsProbe"[^}]*\} 1/);
    expect(text).toMatch(/graphql_errors_total\{[^}]*code="GRAPHQL_VALIDATION_FAILED"[^}]*\} [1-9]/);
    expect(text).toMatch(/router_subgraph_fetch_duration_seconds_count\{[^}]*subgraph="echo"[^}]*outcome="ok"[^}]*\} [1-9]/);
    expect(text).toMatch(/http_request_duration_seconds_count\{[^}]*route="graphql"/);
    expect(text).toContain('router_subgraph_sockets');
  });

  it('answers 404 elsewhere', async () => {
    expect((await fetch(`${stack.router.origin}/nope`)).status).toBe(404);
  });
});
