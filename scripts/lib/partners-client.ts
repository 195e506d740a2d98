/**
 * The partner workflow over the public API, as an admin: log in, create a partner, publish its
 * manifest, revoke keys. Used by `npm run partners` and by `npm start` (the sample partner).
 */
export interface AdminSession {
  routerUrl: string;
  token: string;
}

interface GraphQLResult<T> {
  data?: T;
  errors?: Array<{ message: string; extensions?: { code?: string } }>;
}
type UserErrors = Array<{ code: string; message: string; field?: string[] | null }>;

async function call<T>(routerUrl: string, query: string, variables: Record<string, unknown>, token?: string): Promise<T> {
  const res = await fetch(routerUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as GraphQLResult<T>;
  if (body.errors?.length) throw new Error(body.errors.map((e) => `${e.extensions?.code ?? 'ERROR'}: ${e.message}`).join('; '));
  return body.data!;
}

function check(userErrors: UserErrors): void {
  if (userErrors.length) throw new Error(userErrors.map((e) => `${e.code}: ${e.message}${e.field ? ` (${e.field.join('.')})` : ''}`).join('\n'));
}

export async function logInAdmin(routerUrl: string, email: string, password: string): Promise<AdminSession> {
  const data = await call<{ logIn: { accessToken: string | null; userErrors: UserErrors } }>(
    routerUrl,
    'mutation AdminLogIn($email: String!, $password: String!) { logIn(email: $email, password: $password) { accessToken userErrors { code message field } } }',
    { email, password },
  );
  check(data.logIn.userErrors);
  return { routerUrl, token: data.logIn.accessToken! };
}

export async function createPartner(s: AdminSession, name: string): Promise<{ id: string; name: string; apiKey: string }> {
  const data = await call<{ createPartner: { partner: { id: string; name: string } | null; apiKey: string | null; userErrors: UserErrors } }>(
    s.routerUrl,
    'mutation CreatePartner($name: String!) { createPartner(name: $name) { partner { id name } apiKey userErrors { code message field } } }',
    { name },
    s.token,
  );
  check(data.createPartner.userErrors);
  return { ...data.createPartner.partner!, apiKey: data.createPartner.apiKey! };
}

export async function findPartner(s: AdminSession, name: string): Promise<{ id: string; name: string } | undefined> {
  let after: string | null = null;
  for (;;) {
    const data: { partners: { nodes: Array<{ id: string; name: string }>; pageInfo: { hasNextPage: boolean; endCursor: string | null } } } = await call(
      s.routerUrl,
      'query Partners($after: String) { partners(first: 100, after: $after) { nodes { id name } pageInfo { hasNextPage endCursor } } }',
      { after },
      s.token,
    );
    const found = data.partners.nodes.find((p) => p.name.toLowerCase() === name.toLowerCase());
    if (found) return found;
    if (!data.partners.pageInfo.hasNextPage) return undefined;
    after = data.partners.pageInfo.endCursor;
  }
}

export async function publishManifest(s: AdminSession, partnerId: string, manifest: string): Promise<number> {
  const data = await call<{ publishPersistedQueries: { operationCount: number; userErrors: UserErrors } }>(
    s.routerUrl,
    'mutation Publish($partnerId: ID!, $manifest: String!) { publishPersistedQueries(partnerId: $partnerId, manifest: $manifest) { operationCount userErrors { code message field } } }',
    { partnerId, manifest },
    s.token,
  );
  check(data.publishPersistedQueries.userErrors);
  return data.publishPersistedQueries.operationCount;
}

export async function createApiKey(s: AdminSession, partnerId: string): Promise<string> {
  const data = await call<{ createApiKey: { apiKey: string | null; userErrors: UserErrors } }>(
    s.routerUrl,
    'mutation CreateApiKey($partnerId: ID!) { createApiKey(partnerId: $partnerId) { apiKey userErrors { code message field } } }',
    { partnerId },
    s.token,
  );
  check(data.createApiKey.userErrors);
  return data.createApiKey.apiKey!;
}

export async function revokeApiKey(s: AdminSession, partnerId: string, keyId?: string): Promise<void> {
  const data = await call<{ revokeApiKey: { userErrors: UserErrors } }>(
    s.routerUrl,
    'mutation RevokeApiKey($partnerId: ID!, $keyId: ID) { revokeApiKey(partnerId: $partnerId, keyId: $keyId) { userErrors { code message field } } }',
    { partnerId, keyId: keyId ?? null },
    s.token,
  );
  check(data.revokeApiKey.userErrors);
}
