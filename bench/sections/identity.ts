import { randomBytes } from 'node:crypto';
import { CONTEXT_HEADER, signInternalContext } from '@commerce/platform';
import { contractOperation } from '../../scripts/lib/contract.ts';
import type { Cluster, Proc } from '../lib/cluster.ts';
import { expectData, load, percentile, type LoadResult } from '../lib/load.ts';
import type { Row } from '../lib/report.ts';

/** The cheapest query through the router that reaches a subgraph (catalog). */
const CHEAP = { query: '{ products(first: 1) { edges { node { id } } } }' };

/**
 * Issue 13's costs, on the running cluster:
 * - authentication at the router: `products(first: 1)` at 8 connections, anonymous and with a
 *   customer's bearer token (JWT verification + the ended-session MGET in Redis), interleaved;
 * - client-credentials tokens per second from the customers' OAuth token endpoint, at 8 concurrent
 *   requests, against the provider's discovery document on the same process and concurrency;
 * - log-out propagation: `logOutEverywhere` answered by the main router → the token refused by a
 *   second router process (no cache: its very next request should be refused).
 */
export async function benchIdentity(cluster: Cluster, router: Proc, secondRouter: Proc, opts: { seconds: number; rounds: number; trials: number }, notes: string[], say: (s: string) => void): Promise<Row[]> {
  const rows: Row[] = [];
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  // a customer (signUp through the router; production scrypt cost)
  const email = `bench-identity-${randomBytes(6).toString('hex')}@example.com`;
  const password = 'a long enough bench password';
  const signUp = (await expectData(router.url, { query: contractOperation('SignUp'), variables: { input: { email, password, name: 'Bench Identity' } } })).signUp;
  if (signUp.userErrors.length || !signUp.accessToken) throw new Error(`signUp: ${JSON.stringify(signUp.userErrors)}`);
  const logIn = async (): Promise<string> => {
    const r = (await expectData(router.url, { query: contractOperation('LogIn'), variables: { email, password } })).logIn;
    if (r.userErrors.length || !r.accessToken) throw new Error(`logIn: ${JSON.stringify(r.userErrors)}`);
    return r.accessToken as string;
  };

  // 1. the cost of authentication: anonymous vs bearer, interleaved so that whatever else the
  // machine still does falls on both alike
  say(`identity: products(first: 1) at 8 connections, anonymous vs bearer token, ${opts.rounds} interleaved rounds of ${opts.seconds} s…`);
  // on the second router, which runs without the response cache: anonymous requests would
  // otherwise be answered from Redis while a customer's always reach the subgraph
  const token = await logIn();
  const authed = await expectData(secondRouter.url, CHEAP, bearer(token));
  if (!authed.products.edges.length) throw new Error('the catalog has no products');
  const runs = { anonymous: [] as LoadResult[], bearer: [] as LoadResult[] };
  const checked = (what: string, r: LoadResult): LoadResult => {
    // a refused token (401) or an error would be measured as a cheap request: none allowed
    if (r.failures) throw new Error(`identity ${what}: ${r.failures} of ${r.requests} requests failed`);
    return r;
  };
  // one uncounted round of each first: the first measured round otherwise pays for the path's
  // first traffic (JIT, connection pools) and is off by several ms
  checked('anonymous warm-up', await load(secondRouter.url, CHEAP, { connections: 8, seconds: 2 }));
  checked('bearer warm-up', await load(secondRouter.url, CHEAP, { connections: 8, seconds: 2, headers: bearer(token) }));
  for (let round = 0; round < opts.rounds; round++) {
    runs.anonymous.push(checked('anonymous', await load(secondRouter.url, CHEAP, { connections: 8, seconds: opts.seconds })));
    runs.bearer.push(checked('bearer', await load(secondRouter.url, CHEAP, { connections: 8, seconds: opts.seconds, headers: bearer(token) })));
  }
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const avg = (rs: LoadResult[]) => ({ p50: mean(rs.map((r) => r.p50)), p99: mean(rs.map((r) => r.p99)), rps: mean(rs.map((r) => r.rps)) });
  const anon = avg(runs.anonymous);
  const auth = avg(runs.bearer);
  const diffs = runs.bearer.map((b, i) => b.p50 - runs.anonymous[i]!.p50);
  say(`identity: p50 anonymous ${runs.anonymous.map((r) => r.p50).join(' / ')} ms, bearer ${runs.bearer.map((r) => r.p50).join(' / ')} ms; req/s anonymous ${runs.anonymous.map((r) => r.rps.toFixed(0)).join(' / ')}, bearer ${runs.bearer.map((r) => r.rps.toFixed(0)).join(' / ')}`);
  const spread = `per-round differences ${diffs.map((d) => d.toFixed(1)).join(', ')} ms`;
  notes.push(`identity: products(first: 1) at 8 connections on a router without the response cache, ${opts.rounds} interleaved rounds of ${opts.seconds} s each after an uncounted warm-up round (anonymous, then the same customer's bearer token); p50 anonymous ${runs.anonymous.map((r) => r.p50).join(' / ')} ms, bearer ${runs.bearer.map((r) => r.p50).join(' / ')} ms (${spread})`);
  rows.push(
    { name: 'products(first: 1) with a bearer token @8', metric: 'p50 ms added', value: auth.p50 - anon.p50, baseline: anon.p50, baselineName: 'anonymous p50 ms', note: `mean of ${opts.rounds} interleaved rounds; ${spread}` },
    { name: 'products(first: 1) with a bearer token @8', metric: 'p99 ms', value: auth.p99, baseline: anon.p99, baselineName: 'anonymous' },
    { name: 'products(first: 1) with a bearer token @8', metric: 'req/s', value: auth.rps, baseline: anon.rps, baselineName: 'anonymous' },
  );

  // 2. client-credentials tokens: a partner's client (created by an admin, straight at the
  // customers subgraph with a router context), tokens with HTTP Basic at 8 concurrent requests
  say(`identity: client-credentials tokens at 8 concurrent requests for ${opts.seconds} s, and the discovery document as the baseline…`);
  const admin = async () => ({ [CONTEXT_HEADER]: await signInternalContext(cluster.routerSigningKey, { user: { id: 'cust_bench_admin', roles: ['CUSTOMER', 'ADMIN'] }, requestId: `bench-${randomBytes(4).toString('hex')}` }, { audience: 'customers' }) });
  const customersUrl = cluster.subgraphUrls.customers!;
  const partner = (await expectData(customersUrl, { query: 'mutation ($n: String!) { createPartner(name: $n) { partner { id } userErrors { message } } }', variables: { n: `Bench OAuth ${randomBytes(4).toString('hex')}` } }, await admin())).createPartner;
  if (!partner.partner) throw new Error(`createPartner: ${JSON.stringify(partner.userErrors)}`);
  const created = (await expectData(customersUrl, { query: contractOperation('CreateOAuthClient'), variables: { partnerId: partner.partner.id, name: 'Bench feed', scopes: ['catalog:read'] } }, await admin())).createOAuthClient;
  if (created.userErrors.length || !created.clientSecret) throw new Error(`createOAuthClient: ${JSON.stringify(created.userErrors)}`);
  const discoveryUrl = `${cluster.oauthIssuer}/.well-known/openid-configuration`;
  const discovery = (await (await fetch(discoveryUrl)).json()) as { token_endpoint: string };
  const basic = `Basic ${Buffer.from(`${encodeURIComponent(created.client.clientId)}:${encodeURIComponent(created.clientSecret)}`).toString('base64')}`;
  const tokenRequest = async (): Promise<void> => {
    const res = await fetch(discovery.token_endpoint, { method: 'POST', headers: { authorization: basic, 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=client_credentials&scope=catalog%3Aread' });
    const body = (await res.json()) as { access_token?: string; error?: string };
    if (res.status !== 200 || !body.access_token) throw new Error(`token endpoint answered ${res.status}: ${JSON.stringify(body).slice(0, 300)}`);
  };
  const discoveryRequest = async (): Promise<void> => {
    const res = await fetch(discoveryUrl);
    const body = (await res.json()) as { token_endpoint?: string };
    if (res.status !== 200 || !body.token_endpoint) throw new Error(`discovery answered ${res.status}`);
  };
  // the token works at the router (it is a real one)
  const ccToken = ((await (await fetch(discovery.token_endpoint, { method: 'POST', headers: { authorization: basic, 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=client_credentials&scope=catalog%3Aread' })).json()) as { access_token: string }).access_token;
  await expectData(router.url, CHEAP, bearer(ccToken));
  const tokens = await fetchLoad(tokenRequest, { concurrency: 8, seconds: opts.seconds });
  const docs = await fetchLoad(discoveryRequest, { concurrency: 8, seconds: opts.seconds });
  rows.push(
    { name: 'client-credentials token (HTTP Basic) @8', metric: 'tokens/s', value: tokens.rps, baseline: docs.rps, baselineName: 'discovery document req/s, same process', note: `${tokens.requests} tokens` },
    { name: 'client-credentials token (HTTP Basic) @8', metric: 'p50 ms', value: tokens.p50, baseline: docs.p50, baselineName: 'discovery document p50 ms' },
    { name: 'client-credentials token (HTTP Basic) @8', metric: 'p99 ms', value: tokens.p99, baseline: docs.p99, baselineName: 'discovery document p99 ms' },
  );

  // 3. log-out propagation: log in, check the token works at the second router, logOutEverywhere
  // at the main one, then ask the second router with the token until it refuses it
  say(`identity: log-out propagation to a second router, ${opts.trials} trials…`);
  const lags: number[] = [];
  const accepted: number[] = [];
  let firstRefused = 0;
  /** one request with `token` at the second router: true when refused as an ended session */
  const refused = async (t: string): Promise<boolean> => {
    const res = await fetch(secondRouter.url, { method: 'POST', headers: { 'content-type': 'application/json', ...bearer(t) }, body: JSON.stringify(CHEAP) });
    const body = (await res.json()) as { data?: unknown; errors?: Array<{ message?: string; extensions?: { code?: string } }> };
    if (res.status === 401 && body.errors?.[0]?.extensions?.code === 'UNAUTHENTICATED' && /session has ended/.test(body.errors[0].message ?? '')) return true;
    if (res.ok && body.data && !body.errors?.length) return false;
    throw new Error(`the second router answered ${res.status}: ${JSON.stringify(body).slice(0, 300)}`);
  };
  for (let trial = 0; trial < opts.trials; trial++) {
    const t = await logIn();
    const t0 = performance.now();
    if (await refused(t)) throw new Error('a fresh token was refused by the second router');
    accepted.push(performance.now() - t0);
    const out = await fetch(router.url, { method: 'POST', headers: { 'content-type': 'application/json', ...bearer(t) }, body: JSON.stringify({ query: contractOperation('LogOutEverywhere') }) });
    const outBody = (await out.json()) as { data?: { logOutEverywhere?: { ok: boolean } }; errors?: unknown };
    const answered = performance.now();
    if (!outBody.data?.logOutEverywhere?.ok) throw new Error(`logOutEverywhere answered ${out.status}: ${JSON.stringify(outBody).slice(0, 300)}`);
    for (let attempt = 1; ; attempt++) {
      if (await refused(t)) {
        lags.push(performance.now() - answered);
        if (attempt === 1) firstRefused++;
        break;
      }
      if (performance.now() - answered > 5_000) throw new Error('an ended session was still accepted by the second router 5 s after logOutEverywhere');
    }
  }
  notes.push(`identity: log-out propagation, ${opts.trials} trials: log in, one accepted request at the second router, logOutEverywhere at the main router, then requests with the token at the second router until refused (401 "session has ended"), timed from the logOutEverywhere response; the first request was refused in ${firstRefused} of ${opts.trials}`);
  notes.push(`identity: client-credentials tokens with fetch, 8 loops for ${opts.seconds} s after a 1 s warm-up, HTTP Basic, scope catalog:read, every answer checked for an access_token; baseline: GET of the provider's discovery document on the same process, the same way`);
  say(`identity: log-out → refused p50 ${percentile(lags, 50).toFixed(1)} ms, p99 ${percentile(lags, 99).toFixed(1)} ms; first request refused in ${firstRefused} of ${opts.trials}`);
  rows.push(
    { name: 'logOutEverywhere → refused by a second router', metric: 'p50 ms', value: percentile(lags, 50), baseline: percentile(accepted, 50), baselineName: 'one accepted request there, p50 ms', note: `${opts.trials} trials` },
    { name: 'logOutEverywhere → refused by a second router', metric: 'p99 ms', value: percentile(lags, 99), baseline: 1000, baselineName: 'the issue\'s 1 s', target: { on: 'value', op: '<=', limit: 1000 } },
    { name: 'logOutEverywhere → refused by a second router', metric: 'first request refused', value: firstRefused, baseline: opts.trials, baselineName: 'trials', target: { on: 'ratio', op: '>=', limit: 1 } },
  );
  return rows;
}

/**
 * `concurrency` loops calling `request` (which throws on a wrong answer) for `seconds`, after a
 * 1 s warm-up that is not counted, as load() does with autocannon. Latencies in ms.
 */
async function fetchLoad(request: () => Promise<void>, opts: { concurrency: number; seconds: number }): Promise<LoadResult> {
  const drive = async (seconds: number) => {
    const latencies: number[] = [];
    const started = performance.now();
    const deadline = started + seconds * 1000;
    await Promise.all(
      Array.from({ length: opts.concurrency }, async () => {
        while (performance.now() < deadline) {
          const t0 = performance.now();
          await request();
          latencies.push(performance.now() - t0);
        }
      }),
    );
    return { latencies, elapsed: performance.now() - started };
  };
  await drive(1);
  const { latencies, elapsed } = await drive(opts.seconds);
  return { rps: latencies.length / (elapsed / 1000), p50: percentile(latencies, 50), p99: percentile(latencies, 99), requests: latencies.length, failures: 0 };
}
