import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  allow,
  CONTEXT_HEADER,
  createLogger,
  DEFAULT_MAX_OPERATION_NAMES,
  MAX_OPERATION_NAME_LENGTH,
  generateRouterKeyPair,
  OTHER_OPERATION_LABEL,
  operationLabels,
  parseRouterPublicKey,
  signInternalContext,
  startSubgraphServer,
  type SubgraphServer,
} from '../src/index.ts';

describe('operationLabels', () => {
  it('labels the first names by name and every later or over-long one as __other__', () => {
    const label = operationLabels(2);
    expect(label(undefined)).toBe('anonymous');
    expect(label(null)).toBe('anonymous');
    expect(label('A'.repeat(MAX_OPERATION_NAME_LENGTH + 1))).toBe(OTHER_OPERATION_LABEL);
    expect(label('First')).toBe('First');
    expect(label('Second')).toBe('Second');
    expect(label('Third')).toBe(OTHER_OPERATION_LABEL);
    expect(label('First')).toBe('First');
  });
});

describe('a subgraph under many client-chosen operation names', () => {
  const keys = generateRouterKeyPair();
  let server: SubgraphServer;

  beforeAll(async () => {
    server = await startSubgraphServer({
      name: 'labels',
      typeDefs: 'type Query { hello: String }',
      resolvers: { Query: { hello: () => 'hi' } },
      permissions: { Query: { hello: allow } },
      host: '127.0.0.1',
      port: 0,
      nodeEnv: 'test',
      routerKey: parseRouterPublicKey(keys.publicKey),
      logger: createLogger('labels', 'silent'),
      context: (base) => base,
      readiness: {},
    });
  });
  afterAll(async () => {
    await server?.stop();
  });

  async function call(operationName: string): Promise<void> {
    const token = await signInternalContext(keys.signingKey, { user: null, requestId: `r-${operationName}` }, { audience: 'labels' });
    const res = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [CONTEXT_HEADER]: token },
      body: JSON.stringify({ query: `query ${operationName} { hello }`, operationName }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ data: { hello: 'hi' } });
  }

  it('exposes at most the cap of distinct operation labels on /metrics for 2,000 distinct names', async () => {
    const names = Array.from({ length: 2_000 }, (_, i) => `Op${i}`);
    for (let i = 0; i < names.length; i += 20) await Promise.all(names.slice(i, i + 20).map(call));

    const text = await (await fetch(new URL('/metrics', server.url))).text();
    const operations = new Set(
      text
        .split('\n')
        .filter((l) => l.startsWith('graphql_operation_duration_seconds_count{'))
        .map((l) => /operation="([^"]*)"/.exec(l)![1]),
    );
    // the first DEFAULT_MAX_OPERATION_NAMES names by name, every other one under __other__
    expect(operations.size).toBeLessThanOrEqual(DEFAULT_MAX_OPERATION_NAMES + 1);
    expect(operations.has(OTHER_OPERATION_LABEL)).toBe(true);
    expect(operations.has('Op0')).toBe(true);
    expect(operations.has(`Op${names.length - 1}`)).toBe(false);
    const other = text.split('\n').find((l) => l.startsWith('graphql_operation_duration_seconds_count{') && l.includes(`operation="${OTHER_OPERATION_LABEL}"`))!;
    expect(Number(other.split(' ').at(-1))).toBe(names.length - DEFAULT_MAX_OPERATION_NAMES);
  });
});
