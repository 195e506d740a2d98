/**
 * Offline checks of the deployment configuration (`npm run deploy:check`, run by CI):
 *
 *  - docker-compose.yml against the Compose Specification JSON schema (deploy/schemas/compose-spec.json)
 *    and the rules a schema cannot express: depends_on targets exist (no cycles, healthchecks where
 *    `service_healthy` is awaited), every subgraph runs with its own MongoDB, named volumes are
 *    declared, published host ports are unique, the router knows every subgraph's address, the
 *    variables a service cannot start without in production are set (secrets `${VAR:?…}`), and the
 *    services that must agree on a value (customers' and the router's OAUTH_ISSUER) do;
 *  - every Kubernetes manifest under deploy/k8s against the Kubernetes JSON schemas shipped by
 *    `kubernetes-models` (offline), each kustomization.yaml lists every manifest of its folder,
 *    every Deployment has probes, resources and a non-root security context, a Service, a
 *    PodDisruptionBudget, an HPA where the platform needs one, and the NetworkPolicies let only the
 *    router reach the subgraphs (plus the metrics scraper) and an ingress controller reach the router,
 *    each on the service's own port (package.json `commerce.port`: a new subgraph outside a policy's
 *    port range fails here); the one exception is a subgraph's public paths (PUBLIC_SUBGRAPH_PATHS:
 *    customers' OAuth provider at /oauth, payments' Stripe webhooks at exactly /webhooks/stripe),
 *    which the Ingress routes and the ingress controller reaches; the production variables (secrets
 *    from a Secret) and the shared values as in compose; payments runs a real provider (never the
 *    test provider, whose PAYMENTS_ALLOW_TEST_PROVIDER is for the compose staging channel), its
 *    credentials from a Secret (PAYMENT_PROVIDER_SECRETS);
 *  - deploy/Dockerfile: multi-stage, non-root, a HEALTHCHECK, and EXPOSE covers every service's port;
 *  - Prometheus scrapes every service, Grafana's provisioning matches the dashboard, and every metric
 *    a dashboard panel queries is defined by the code (or listed as announced, see PENDING_METRICS).
 *
 * Nothing here needs Docker, a cluster or the network. Each check returns a list of problems
 * (`<file>: <what is wrong>`), so tests can call them on broken inputs.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { Ajv, type ErrorObject } from 'ajv';
import { parseAllDocuments } from 'yaml';
import { listSubgraphs, ROOT } from './lib/subgraphs.ts';

// ── shared ──────────────────────────────────────────────────────────────────────────────────────

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Obj = Record<string, any>;

export interface ServiceSpec {
  name: string;
  port: number;
}

/** What the deployment must cover: the router and every subgraph (from subgraphs/, the single list). */
export interface PlatformSpec {
  router: ServiceSpec;
  subgraphs: ServiceSpec[];
}

export function platformSpec(root = ROOT): PlatformSpec {
  return { router: { name: 'router', port: 4000 }, subgraphs: listSubgraphs(root).map((s) => ({ name: s.name, port: s.port })) };
}

/** `catalog` → `CATALOG` (the services' env prefix). */
const envPrefix = (name: string) => name.toUpperCase().replace(/[^A-Z0-9]/g, '_');

/**
 * Subgraphs with paths of their own that the outside reaches besides the router (the only public
 * GraphQL door): the customers service's OAuth 2.0 / OpenID Connect provider at /oauth (log-in
 * pages, authorize, token, JWKS), for browsers and partners; the payments service's Stripe webhook
 * endpoint, `POST /webhooks/stripe` (signature-verified), for Stripe. Such a subgraph may publish
 * its own port in compose, the ingress controller may reach it on its port, and an Ingress routes
 * exactly these paths to it (none of /graphql, /metrics, /health).
 */
export const PUBLIC_SUBGRAPH_PATHS: Record<string, string[]> = { customers: ['/oauth'], payments: ['/webhooks/stripe'] };

/** Who calls a subgraph's public paths (for the messages). */
const PUBLIC_PATH_CLIENTS: Record<string, string> = { customers: 'browsers and partners', payments: "Stripe's webhooks" };

/**
 * Public paths an Ingress must route with pathType Exact (the others may be Prefix or Exact): a
 * webhook endpoint is one path, nothing under it is public.
 */
export const EXACT_PUBLIC_PATHS: Record<string, string[]> = { payments: ['/webhooks/stripe'] };

/**
 * The payment providers deploy/k8s may run (security review finding 1) and the secrets each needs
 * from a Secret. The test provider (PAYMENTS_PROVIDER=test, the code's default) confirms payments
 * without taking money: production refuses it unless PAYMENTS_ALLOW_TEST_PROVIDER=true, which is
 * for the compose staging channel only and never set in deploy/k8s.
 */
export const PAYMENT_PROVIDER_SECRETS: Record<string, string[]> = { stripe: ['STRIPE_API_KEY', 'STRIPE_WEBHOOK_SECRET'] };

/**
 * Variables a service refuses to start without in production (NODE_ENV=production), beyond what
 * every service needs (checked above). A `secret` comes from the environment with no default in
 * compose (`${VAR:?…}`) and from a Secret in Kubernetes (secretKeyRef), never a literal.
 */
export const REQUIRED_PRODUCTION_ENV: Record<string, Array<{ name: string; secret?: boolean }>> = {
  customers: [{ name: 'OAUTH_ISSUER' }, { name: 'OAUTH_COOKIE_KEYS', secret: true }, { name: 'JWT_KEYRING_SECRET', secret: true }],
};

/**
 * Variables several services must set to the same value: the router accepts the OAuth provider's
 * access tokens only when their `iss` is its OAUTH_ISSUER, which customers announces (both strip a
 * trailing slash). The router's default (http://127.0.0.1:4002/oauth) fits only `npm start`.
 */
export const SHARED_ENV: Array<{ name: string; services: string[] }> = [{ name: 'OAUTH_ISSUER', services: ['customers', 'router'] }];

const sameValue = (a: string, b: string) => a.replace(/\/$/, '') === b.replace(/\/$/, '');

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Parses a (multi-document) YAML text; YAML errors become problems. Merge keys (`<<`) are resolved. */
export function parseYaml(text: string, file: string): { docs: unknown[]; problems: string[] } {
  const problems: string[] = [];
  const docs: unknown[] = [];
  for (const doc of parseAllDocuments(text, { merge: true, prettyErrors: true })) {
    for (const e of doc.errors) problems.push(`${file}: YAML: ${e.message.split('\n')[0]}`);
    if (doc.errors.length) continue;
    const value = doc.toJS({ maxAliasCount: -1 });
    if (value !== null && value !== undefined) docs.push(value);
  }
  return { docs, problems };
}

function ajvErrors(errors: ErrorObject[] | null | undefined, file: string, limit = 20): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const e of errors ?? []) {
    // oneOf/anyOf alternatives repeat the same complaint: keep the first per path + message
    const line = `${file}: ${e.instancePath || '/'} ${e.message}${e.params && 'additionalProperty' in e.params ? ` (${e.params.additionalProperty})` : ''}`;
    if (seen.has(line)) continue;
    seen.add(line);
    out.push(line);
    if (out.length >= limit) break;
  }
  return out;
}

// ── docker compose ──────────────────────────────────────────────────────────────────────────────

export const COMPOSE_SCHEMA_PATH = join(ROOT, 'deploy', 'schemas', 'compose-spec.json');

let composeValidator: ((doc: unknown) => string[]) | undefined;

/** Validates a parsed compose file against the Compose Specification schema (shipped in the repo). */
export function validateComposeSchema(doc: unknown, file = 'docker-compose.yml'): string[] {
  if (!composeValidator) {
    const schema = JSON.parse(readFileSync(COMPOSE_SCHEMA_PATH, 'utf8')) as Obj;
    // the file declares draft-07 under a URL spelling ajv does not register; the dialect is the same
    delete schema.$schema;
    const ajv = new Ajv({ allErrors: true, strict: false });
    const validate = ajv.compile(schema);
    composeValidator = (d) => (validate(d) ? [] : ajvErrors(validate.errors, file));
  }
  return composeValidator(doc).map((p) => p.replace(/^[^:]+:/, `${file}:`));
}

function dependsOnOf(svc: Obj): Map<string, Obj> {
  const out = new Map<string, Obj>();
  const d = svc.depends_on;
  if (Array.isArray(d)) for (const n of d) out.set(String(n), { condition: 'service_started' });
  else if (isObj(d)) for (const [n, v] of Object.entries(d)) out.set(n, isObj(v) ? v : {});
  return out;
}

function environmentOf(svc: Obj): Record<string, string> {
  const env: Record<string, string> = {};
  const e = svc.environment;
  if (Array.isArray(e)) {
    for (const item of e) {
      const [k, ...rest] = String(item).split('=');
      env[k!] = rest.join('=');
    }
  } else if (isObj(e)) {
    for (const [k, v] of Object.entries(e)) env[k] = v === null ? '' : String(v);
  }
  return env;
}

/** Host ports a service publishes, as `port/protocol` keys (ranges expanded). */
function publishedPorts(svc: Obj): string[] {
  const out: string[] = [];
  for (const p of Array.isArray(svc.ports) ? svc.ports : []) {
    let published: string | undefined;
    let protocol = 'tcp';
    if (isObj(p)) {
      published = p.published === undefined ? undefined : String(p.published);
      protocol = p.protocol ?? 'tcp';
    } else {
      // [ip:]host:container[/proto] — an IPv6 host ip is bracketed
      const [spec, proto] = String(p).split('/');
      if (proto) protocol = proto;
      const parts = spec!.replace(/^\[[^\]]*\]:/, '').split(':');
      if (parts.length >= 2) published = parts[parts.length - 2];
    }
    if (!published) continue;
    const [from, to] = published.split('-').map(Number);
    for (let port = from!; port <= (to ?? from!); port++) out.push(`${port}/${protocol}`);
  }
  return out;
}

/** The container ports a service publishes (`target`), as written (`4002`, `4000-4001`). */
function publishedTargets(svc: Obj): string[] {
  return (Array.isArray(svc.ports) ? svc.ports : []).map((p: unknown) =>
    isObj(p) ? String(p.target) : String(String(p).split('/')[0]!.replace(/^\[[^\]]*\]:/, '').split(':').pop()),
  );
}

/** A compose value with the environment empty: `${V:-d}` / `${V-d}` → d, `${V}` → '', `${V:?…}` stays (required). */
function composeDefault(value: string): string {
  return value.replace(/(?<!\$)\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?-)([^}]*))?\}/g, (_m, _name, op, def) => (op ? def : ''));
}

/** Named volumes a service mounts (bind mounts — paths — are not named volumes). */
function namedVolumes(svc: Obj): string[] {
  const out: string[] = [];
  for (const v of Array.isArray(svc.volumes) ? svc.volumes : []) {
    if (isObj(v)) {
      if ((v.type ?? 'volume') === 'volume' && v.source) out.push(String(v.source));
      continue;
    }
    const source = String(v).split(':')[0]!;
    if (String(v).includes(':') && !/^[./~$]/.test(source) && !source.startsWith('/')) out.push(source);
  }
  return out;
}

function hostOf(url: string): string | undefined {
  try {
    return new URL(url).hostname || undefined;
  } catch {
    return undefined;
  }
}

/**
 * Variables a compose file cannot run without: every `${NAME:?message}` / `${NAME?message}` in any
 * value (compose interpolation; `$${…}` is an escaped literal and does not count).
 */
export function requiredComposeVariables(doc: unknown): Set<string> {
  const out = new Set<string>();
  const walk = (v: unknown): void => {
    if (typeof v === 'string') {
      for (const m of v.matchAll(/(?<!\$)\$\{([A-Za-z_][A-Za-z0-9_]*):?\?/g)) out.add(m[1]!);
    } else if (Array.isArray(v)) v.forEach(walk);
    else if (isObj(v)) Object.values(v).forEach(walk);
  };
  walk(doc);
  return out;
}

/** `${NAME:?…}` (or `${NAME?…}`): the value is required from the environment, with no default. */
const isRequiredVar = (value: string | undefined, name: string) => value !== undefined && new RegExp(`^\\$\\{${name}:?\\?[^}]*\\}$`).test(value);

/**
 * Secrets of the compose file (security review finding 8, fail-open defaults): Redis requires a
 * password that every REDIS_URL carries, Grafana's admin password comes from the environment with
 * no default. The router context's keys (finding 5): ROUTER_SIGNING_KEY (private) from the
 * environment and on the router only, ROUTER_PUBLIC_KEY from the environment; the shared
 * ROUTER_SECRET of before is nowhere.
 */
function checkComposeSecrets(services: Record<string, Obj>, p: (msg: string) => void): void {
  const redis = services.redis;
  if (redis) {
    const command = Array.isArray(redis.command) ? redis.command.map(String) : String(redis.command ?? '').split(/\s+/);
    const at = command.indexOf('--requirepass');
    if (at < 0 || !isRequiredVar(command[at + 1], 'REDIS_PASSWORD')) p('service "redis" must run with --requirepass ${REDIS_PASSWORD:?…} (no password-less Redis)');
  }
  for (const [name, svc] of Object.entries(services)) {
    const env = environmentOf(svc);
    if (env.REDIS_URL !== undefined && !/^rediss?:\/\/:\$\{REDIS_PASSWORD(:?\?[^}]*)?\}@/.test(env.REDIS_URL)) {
      p(`service "${name}": REDIS_URL must carry the password (redis://:\${REDIS_PASSWORD}@redis:6379), found ${env.REDIS_URL}`);
    }
    if (env.ROUTER_SECRET !== undefined) p(`service "${name}": sets ROUTER_SECRET, which nothing reads any more (the router signs with ROUTER_SIGNING_KEY, subgraphs verify with ROUTER_PUBLIC_KEY)`);
    if (env.ROUTER_SIGNING_KEY !== undefined) {
      if (name !== 'router') p(`service "${name}": only the router may hold ROUTER_SIGNING_KEY (a subgraph gets ROUTER_PUBLIC_KEY and nothing that signs)`);
      else if (!isRequiredVar(env.ROUTER_SIGNING_KEY, 'ROUTER_SIGNING_KEY')) p(`service "${name}": ROUTER_SIGNING_KEY must be \${ROUTER_SIGNING_KEY:?…} (from the environment, no default)`);
    }
    if (env.ROUTER_PUBLIC_KEY !== undefined && !isRequiredVar(env.ROUTER_PUBLIC_KEY, 'ROUTER_PUBLIC_KEY')) p(`service "${name}": ROUTER_PUBLIC_KEY must be \${ROUTER_PUBLIC_KEY:?…} (from the environment, the public key of the router's ROUTER_SIGNING_KEY)`);
  }
  const grafana = services.grafana;
  if (grafana && !isRequiredVar(environmentOf(grafana).GF_SECURITY_ADMIN_PASSWORD, 'GRAFANA_ADMIN_PASSWORD')) {
    p('service "grafana": GF_SECURITY_ADMIN_PASSWORD must be ${GRAFANA_ADMIN_PASSWORD:?…} (no default admin password)');
  }
}

/**
 * The rules of the compose topology that the schema cannot express. `platform` names the services
 * that must be there (router + every subgraph).
 */
export function checkComposeSemantics(doc: unknown, platform: PlatformSpec, file = 'docker-compose.yml'): string[] {
  const problems: string[] = [];
  const p = (msg: string) => problems.push(`${file}: ${msg}`);
  if (!isObj(doc) || !isObj(doc.services)) return [`${file}: no services`];
  const services = doc.services as Record<string, Obj>;
  const declaredVolumes = new Set(Object.keys(isObj(doc.volumes) ? doc.volumes : {}));
  checkComposeSecrets(services, p);

  // depends_on: targets exist, healthchecks where awaited, profiles, no cycles
  for (const [name, svc] of Object.entries(services)) {
    for (const [target, opts] of dependsOnOf(svc)) {
      const t = services[target];
      if (!t) {
        p(`service "${name}" depends_on unknown service "${target}"`);
        continue;
      }
      if (target === name) p(`service "${name}" depends on itself`);
      if (opts.condition === 'service_healthy' && (!isObj(t.healthcheck) || t.healthcheck.disable === true)) {
        p(`service "${name}" waits for "${target}" to be healthy, but "${target}" has no healthcheck`);
      }
      if (!svc.profiles && Array.isArray(t.profiles) && t.profiles.length) {
        p(`service "${name}" (no profile) depends on "${target}", which only starts with profile ${t.profiles.join('/')}`);
      }
    }
  }
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (n: string, path: string[]): void => {
    if (state.get(n) === 'done' || !services[n]) return;
    if (state.get(n) === 'visiting') {
      p(`depends_on cycle: ${[...path.slice(path.indexOf(n)), n].join(' → ')}`);
      return;
    }
    state.set(n, 'visiting');
    for (const t of dependsOnOf(services[n]!).keys()) visit(t, [...path, n]);
    state.set(n, 'done');
  };
  for (const n of Object.keys(services)) visit(n, []);

  // volumes: every named volume is declared, every declared one is used
  const used = new Set<string>();
  for (const [name, svc] of Object.entries(services)) {
    for (const v of namedVolumes(svc)) {
      used.add(v);
      if (!declaredVolumes.has(v)) p(`service "${name}" mounts volume "${v}", which is not declared under volumes:`);
    }
  }
  for (const v of declaredVolumes) if (!used.has(v)) p(`volume "${v}" is declared but no service mounts it`);

  // published host ports are unique
  const ports = new Map<string, string>();
  for (const [name, svc] of Object.entries(services)) {
    for (const port of publishedPorts(svc)) {
      const other = ports.get(port);
      if (other) p(`host port ${port} is published by both "${other}" and "${name}"`);
      else ports.set(port, name);
    }
  }

  // every service of the platform is there, healthchecked, with its own MongoDB
  const mongoOwners = new Map<string, string>();
  for (const sg of platform.subgraphs) {
    const svc = services[sg.name];
    if (!svc) {
      p(`subgraph "${sg.name}" has no service`);
      continue;
    }
    if (!isObj(svc.healthcheck)) p(`service "${sg.name}" has no healthcheck`);
    const env = environmentOf(svc);
    const prefix = envPrefix(sg.name);
    for (const key of ['ROUTER_PUBLIC_KEY', 'NATS_URL', 'REDIS_URL']) if (!env[key]) p(`service "${sg.name}" does not set ${key}`);
    if (env.SERVICE !== sg.name) p(`service "${sg.name}" must set SERVICE=${sg.name} (the image starts what SERVICE names)`);
    const mongoUrl = env[`${prefix}_MONGO_URL`];
    if (!mongoUrl) {
      p(`subgraph "${sg.name}" has no ${prefix}_MONGO_URL: every subgraph needs its own MongoDB`);
      continue;
    }
    const host = hostOf(mongoUrl);
    const mongo = host ? services[host] : undefined;
    if (!host || !mongo) {
      p(`subgraph "${sg.name}": ${prefix}_MONGO_URL points at "${host ?? mongoUrl}", which is not a service of this file`);
      continue;
    }
    if (!/(^|\/)mongo(:|$)/.test(String(mongo.image ?? ''))) p(`subgraph "${sg.name}": its database service "${host}" does not run a mongo image`);
    const owner = mongoOwners.get(host);
    if (owner) p(`subgraphs "${owner}" and "${sg.name}" share the MongoDB service "${host}": each needs its own`);
    else mongoOwners.set(host, sg.name);
    if (!dependsOnOf(svc).has(host)) p(`subgraph "${sg.name}" does not depend_on its MongoDB "${host}"`);
    if (!namedVolumes(mongo).length) p(`MongoDB service "${host}" keeps its data in no named volume`);
  }

  // what a service refuses to start without in production (every service here runs NODE_ENV=production)
  const platformNames = new Set([platform.router.name, ...platform.subgraphs.map((s) => s.name)]);
  for (const [name, vars] of Object.entries(REQUIRED_PRODUCTION_ENV)) {
    const svc = services[name];
    if (!svc || !platformNames.has(name)) continue;
    const env = environmentOf(svc);
    for (const v of vars) {
      const value = env[v.name];
      if (value === undefined || !composeDefault(value).trim()) p(`service "${name}" does not set ${v.name} (${value === undefined ? 'absent' : 'empty unless the environment sets it'}): it refuses to start in production without it`);
      else if (v.secret && !isRequiredVar(value, v.name)) p(`service "${name}": ${v.name} must be \${${v.name}:?…} (a secret: from the environment, no default)`);
    }
  }
  for (const shared of SHARED_ENV) {
    const present = shared.services.filter((n) => services[n] && platformNames.has(n));
    if (present.length < 2) continue;
    const values = present.map((n) => [n, environmentOf(services[n]!)[shared.name]] as const);
    for (const [n, v] of values) if (v === undefined) p(`service "${n}" does not set ${shared.name}: it must equal that of ${present.filter((o) => o !== n).join(', ')}`);
    const set = values.filter((e): e is readonly [string, string] => e[1] !== undefined);
    if (set.some(([, v]) => !sameValue(v, set[0]![1]))) {
      p(`services ${set.map(([n, v]) => `"${n}" (${v})`).join(' and ')} disagree on ${shared.name}: it must be the same string in each (the router accepts OAuth tokens only from customers' issuer)`);
    }
  }

  const router = services[platform.router.name];
  if (!router) p('the router has no service');
  else {
    const env = environmentOf(router);
    if (!isObj(router.healthcheck)) p('service "router" has no healthcheck');
    if (!env.ROUTER_SIGNING_KEY) p('service "router" does not set ROUTER_SIGNING_KEY');
    if (!publishedPorts(router).length) p('the router publishes no port: it is the public entry');
    for (const sg of platform.subgraphs) {
      const key = `${envPrefix(sg.name)}_URL`;
      const want = `http://${sg.name}:${sg.port}/graphql`;
      if (env[key] !== want) p(`service "router" must set ${key}=${want} (found ${env[key] ?? 'nothing'})`);
    }
  }
  for (const sg of platform.subgraphs) {
    const svc = services[sg.name];
    if (!svc || !publishedPorts(svc).length) continue;
    const paths = PUBLIC_SUBGRAPH_PATHS[sg.name];
    if (!paths) p(`subgraph "${sg.name}" publishes a host port: only the router is public`);
    else for (const t of publishedTargets(svc)) if (t !== String(sg.port)) p(`subgraph "${sg.name}" publishes container port ${t}: only its own port ${sg.port} may be (for ${paths.join(', ')})`);
  }
  return problems;
}

// ── kubernetes ──────────────────────────────────────────────────────────────────────────────────

export interface Manifest {
  file: string;
  obj: Obj;
}

/** Kinds without a schema in kubernetes-models (custom resources of the operators), checked by hand. */
const CUSTOM_RESOURCES: Record<string, (m: Manifest) => string[]> = {
  'mongodbcommunity.mongodb.com/v1/MongoDBCommunity': checkMongoDBCommunity,
};

const modelCache = new Map<string, Promise<any>>();

/** The kubernetes-models class for an apiVersion + kind, or undefined when it has none. */
async function modelFor(apiVersion: string, kind: string): Promise<any> {
  if (!/^([a-z0-9.-]+\/)?v[0-9a-z]+$/.test(apiVersion) || !/^[A-Z][A-Za-z0-9]*$/.test(kind)) return undefined;
  const key = `${apiVersion}/${kind}`;
  if (!modelCache.has(key)) {
    modelCache.set(
      key,
      import(/* @vite-ignore */ `kubernetes-models/${apiVersion}/${kind}`).then(
        (m) => m[kind],
        () => undefined,
      ),
    );
  }
  return modelCache.get(key);
}

/** One object against its Kubernetes schema (kubernetes-models' validators, generated from the OpenAPI spec). */
export async function validateK8sSchema(m: Manifest): Promise<string[]> {
  const { obj, file } = m;
  const where = `${file}: ${obj?.kind ?? '?'}/${obj?.metadata?.name ?? '?'}`;
  if (!isObj(obj) || typeof obj.apiVersion !== 'string' || typeof obj.kind !== 'string') return [`${file}: a document without apiVersion and kind`];
  const problems: string[] = [];
  if (!isObj(obj.metadata) || typeof obj.metadata.name !== 'string' || !obj.metadata.name) problems.push(`${where}: metadata.name is required`);
  else if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(obj.metadata.name)) problems.push(`${where}: metadata.name is not a DNS-1123 name`);
  const custom = CUSTOM_RESOURCES[`${obj.apiVersion}/${obj.kind}`];
  if (custom) return [...problems, ...custom(m)];
  const Model = await modelFor(obj.apiVersion, obj.kind);
  if (!Model) return [...problems, `${where}: unknown apiVersion/kind ${obj.apiVersion} ${obj.kind} (no schema to check it against)`];
  try {
    new Model(obj).validate();
  } catch (err) {
    const e = err as { errors?: ErrorObject[]; message: string };
    problems.push(...(e.errors?.length ? ajvErrors(e.errors, where) : [`${where}: ${e.message}`]));
  }
  return problems;
}

function checkMongoDBCommunity({ obj, file }: Manifest): string[] {
  const where = `${file}: MongoDBCommunity/${obj.metadata?.name ?? '?'}`;
  const problems: string[] = [];
  const spec = obj.spec;
  if (!isObj(spec)) return [`${where}: no spec`];
  if (spec.type !== 'ReplicaSet') problems.push(`${where}: spec.type must be ReplicaSet`);
  if (!Number.isInteger(spec.members) || spec.members < 3) problems.push(`${where}: spec.members must be at least 3 (a replica set that survives a lost member)`);
  if (typeof spec.version !== 'string' || !/^\d+\.\d+\.\d+$/.test(spec.version)) problems.push(`${where}: spec.version must be a quoted MongoDB version such as "7.0.14"`);
  if (!Array.isArray(spec.security?.authentication?.modes) || !spec.security.authentication.modes.includes('SCRAM')) problems.push(`${where}: spec.security.authentication.modes must include SCRAM`);
  if (!Array.isArray(spec.users) || spec.users.length === 0) problems.push(`${where}: spec.users must declare the service's user`);
  for (const u of Array.isArray(spec.users) ? spec.users : []) {
    for (const k of ['name', 'db', 'scramCredentialsSecretName', 'connectionStringSecretName']) if (typeof u?.[k] !== 'string') problems.push(`${where}: users[].${k} is required`);
    if (typeof u?.passwordSecretRef?.name !== 'string') problems.push(`${where}: users[].passwordSecretRef.name is required`);
    if (!Array.isArray(u?.roles) || !u.roles.length) problems.push(`${where}: users[].roles is required`);
  }
  return problems;
}

/** The YAML files of a kustomization folder that it must list (recursively; not nested kustomizations' files, not Helm values). */
function manifestFilesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string, top: boolean) => {
    if (!top && existsSync(join(d, 'kustomization.yaml'))) return;
    for (const entry of readdirSync(d).sort()) {
      const path = join(d, entry);
      if (statSync(path).isDirectory()) walk(path, false);
      else if (/\.ya?ml$/.test(entry) && entry !== 'kustomization.yaml' && !/\.values\.ya?ml$/.test(entry)) out.push(relative(dir, path));
    }
  };
  walk(dir, true);
  return out;
}

/** A kustomization.yaml lists exactly the manifests of its folder, and each listed file exists. */
export function checkKustomization(dir: string, label = dir): string[] {
  const file = join(dir, 'kustomization.yaml');
  if (!existsSync(file)) return [`${label}: no kustomization.yaml`];
  const { docs, problems } = parseYaml(readFileSync(file, 'utf8'), `${label}/kustomization.yaml`);
  const k = docs[0];
  if (!isObj(k) || k.kind !== 'Kustomization') return [...problems, `${label}/kustomization.yaml: not a Kustomization`];
  const listed = (Array.isArray(k.resources) ? k.resources : []).map(String);
  for (const r of listed) if (!existsSync(join(dir, r))) problems.push(`${label}/kustomization.yaml: lists ${r}, which does not exist`);
  for (const f of manifestFilesUnder(dir)) if (!listed.includes(f)) problems.push(`${label}/kustomization.yaml: does not list ${f}`);
  const dupes = listed.filter((r, i) => listed.indexOf(r) !== i);
  for (const d of new Set(dupes)) problems.push(`${label}/kustomization.yaml: lists ${d} twice`);
  return problems;
}

const matches = (selector: Obj | undefined, labels: Obj | undefined): boolean => {
  if (!isObj(selector)) return false;
  const ml = isObj(selector.matchLabels) ? selector.matchLabels : {};
  if (Array.isArray(selector.matchExpressions) && selector.matchExpressions.length) return false; // not used here: treat as no match
  return Object.entries(ml).every(([k, v]) => labels?.[k] === v);
};

/**
 * Deployments of the observability tier beside the platform's services (deploy/k8s/infra), with
 * the health paths their images serve: Jaeger all-in-one (OTLP receiver, query UI; health on its
 * admin port). They follow the same resource and non-root rules.
 */
export const OBSERVABILITY_DEPLOYMENTS: Record<string, { ready: string; live: string }> = { jaeger: { ready: '/', live: '/' } };

/** The rules every Deployment of the platform follows (probes, resources, non-root). */
export function checkDeploymentPolicy({ obj, file }: Manifest): string[] {
  const paths = OBSERVABILITY_DEPLOYMENTS[obj.metadata?.name ?? ''] ?? { ready: '/health/ready', live: '/health/live' };
  const where = `${file}: Deployment/${obj.metadata?.name ?? '?'}`;
  const problems: string[] = [];
  const pod = obj.spec?.template?.spec;
  if (!isObj(pod)) return [`${where}: no pod template`];
  if (!matches(obj.spec?.selector, obj.spec?.template?.metadata?.labels)) problems.push(`${where}: spec.selector does not match the pod template's labels`);
  const podSc = isObj(pod.securityContext) ? pod.securityContext : {};
  const containers: Obj[] = Array.isArray(pod.containers) ? pod.containers : [];
  if (!containers.length) problems.push(`${where}: no containers`);
  for (const c of containers) {
    const cw = `${where} container ${c.name ?? '?'}`;
    const probe = (kind: string, path: string) => {
      const pr = c[kind];
      if (!isObj(pr)) problems.push(`${cw}: no ${kind} (expected httpGet ${path})`);
      else if (pr.httpGet?.path !== path) problems.push(`${cw}: ${kind} must be httpGet ${path} (found ${pr.httpGet?.path ?? Object.keys(pr).join(',')})`);
    };
    probe('readinessProbe', paths.ready);
    probe('livenessProbe', paths.live);
    for (const side of ['requests', 'limits']) {
      for (const r of ['cpu', 'memory']) if (c.resources?.[side]?.[r] === undefined) problems.push(`${cw}: resources.${side}.${r} is not set`);
    }
    const sc = isObj(c.securityContext) ? c.securityContext : {};
    const runAsNonRoot = sc.runAsNonRoot ?? podSc.runAsNonRoot;
    const runAsUser = sc.runAsUser ?? podSc.runAsUser;
    if (runAsNonRoot !== true) problems.push(`${cw}: securityContext.runAsNonRoot must be true`);
    if (runAsUser === 0) problems.push(`${cw}: runs as root (runAsUser 0)`);
    if (sc.allowPrivilegeEscalation !== false) problems.push(`${cw}: securityContext.allowPrivilegeEscalation must be false`);
    if (sc.privileged === true) problems.push(`${cw}: must not be privileged`);
    if (!c.image) problems.push(`${cw}: no image`);
  }
  return problems;
}

/** Where a container's variable comes from, and its value when a manifest holds it. */
type EnvSource = { from: 'value' | 'configMap' | 'secret' | 'other'; value?: string | undefined };

function envOfContainer(c: Obj): Map<string, Obj> {
  return new Map((Array.isArray(c.env) ? c.env : []).map((e: Obj) => [String(e.name), e]));
}

const podLabels = (d: Obj): Obj => d.spec?.template?.metadata?.labels ?? {};

/** Which sources a NetworkPolicy ingress `from` peer admits, as readable names (for the rules below). */
function peerName(peer: Obj): string {
  if (peer.ipBlock) return `ipBlock ${peer.ipBlock.cidr}`;
  const parts: string[] = [];
  if (peer.namespaceSelector) parts.push(`namespaces ${JSON.stringify(peer.namespaceSelector.matchLabels ?? {})}`);
  if (peer.podSelector) parts.push(`pods ${JSON.stringify(peer.podSelector.matchLabels ?? {})}`);
  return parts.join(' + ') || 'anything';
}

export const METRICS_SCRAPER_LABEL = 'commerce-graph/metrics-scraper';
/** Who may reach a subgraph besides the router and the metrics scraper. */
const EXTRA_SUBGRAPH_CLIENTS: Record<string, string[]> = { cart: ['orders'] };
/** Subgraphs that run with an HPA (the rest run a fixed number of replicas). */
export const AUTOSCALED = ['router', 'catalog', 'cart', 'orders', 'inventory'];

/**
 * The platform-level rules over all manifests of the base and the infra folder: coverage of every
 * service, Services/PDBs/HPAs per Deployment, config and secret references, network isolation.
 */
export function checkPlatformManifests(manifests: Manifest[], platform: PlatformSpec): string[] {
  const problems: string[] = [];
  const of = (kind: string) => manifests.filter((m) => m.obj.kind === kind);
  const deployments = of('Deployment');
  const services = of('Service');
  const pdbs = of('PodDisruptionBudget');
  const hpas = of('HorizontalPodAutoscaler');
  const policies = of('NetworkPolicy');
  const configMaps = new Map(of('ConfigMap').map((m) => [m.obj.metadata?.name, m]));
  const secrets = new Map(of('Secret').map((m) => [m.obj.metadata?.name, m]));
  // secrets the MongoDB operator creates: <user>.connectionStringSecretName
  const operatorSecrets = new Map<string, Manifest>();
  for (const m of of('MongoDBCommunity')) for (const u of m.obj.spec?.users ?? []) if (u.connectionStringSecretName) operatorSecrets.set(u.connectionStringSecretName, m);

  // names unique per kind
  const seen = new Map<string, string>();
  for (const m of manifests) {
    const key = `${m.obj.kind}/${m.obj.metadata?.name}`;
    if (seen.has(key)) problems.push(`${m.file}: ${key} is also defined in ${seen.get(key)}`);
    else seen.set(key, m.file);
  }

  // committed Secrets hold placeholders only
  for (const m of secrets.values()) {
    for (const [k, v] of Object.entries({ ...(m.obj.stringData ?? {}), ...(m.obj.data ?? {}) })) {
      if (!String(v).includes('REPLACE_ME')) problems.push(`${m.file}: Secret/${m.obj.metadata.name} key ${k} holds a value, not a REPLACE_ME placeholder: never commit secrets`);
    }
  }

  const all = [platform.router, ...platform.subgraphs];
  const mongoSecretOwners = new Map<string, string>();
  const sharedValues = new Map<string, { where: string; src: EnvSource | undefined }>();
  for (const svc of all) {
    const d = deployments.find((m) => m.obj.metadata?.name === svc.name);
    if (!d) {
      problems.push(`deploy/k8s: no Deployment for ${svc.name}`);
      continue;
    }
    const where = `${d.file}: Deployment/${svc.name}`;
    const labels = podLabels(d.obj);
    const c: Obj | undefined = d.obj.spec?.template?.spec?.containers?.[0];
    const env = c ? envOfContainer(c) : new Map<string, Obj>();
    if (env.get('SERVICE')?.value !== svc.name) problems.push(`${where}: env SERVICE must be ${svc.name} (the image starts what SERVICE names)`);
    if (!c?.ports?.some((p: Obj) => p.containerPort === svc.port)) problems.push(`${where}: must expose containerPort ${svc.port}`);
    if (labels['app.kubernetes.io/part-of'] !== 'commerce-graph') problems.push(`${where}: pod label app.kubernetes.io/part-of=commerce-graph is missing (the NetworkPolicies select on it)`);
    const component = svc.name === 'router' ? 'router' : 'subgraph';
    if (labels['app.kubernetes.io/component'] !== component) problems.push(`${where}: pod label app.kubernetes.io/component must be ${component}`);

    // a Service in front, a PDB, replicas or an HPA
    const service = services.find((s) => matches({ matchLabels: s.obj.spec?.selector }, labels));
    if (!service) problems.push(`${where}: no Service selects its pods`);
    else if (service.obj.metadata?.name !== svc.name) problems.push(`${where}: its Service must be named ${svc.name} (the other services address it by that name)`);
    else if (!service.obj.spec?.ports?.some((p: Obj) => p.port === svc.port)) problems.push(`${service.file}: Service/${svc.name} must serve port ${svc.port}`);
    if (!pdbs.some((p) => matches(p.obj.spec?.selector, labels))) problems.push(`${where}: no PodDisruptionBudget selects its pods`);
    const hpa = hpas.find((h) => h.obj.spec?.scaleTargetRef?.kind === 'Deployment' && h.obj.spec?.scaleTargetRef?.name === svc.name);
    if (AUTOSCALED.includes(svc.name) && !hpa) problems.push(`${where}: needs a HorizontalPodAutoscaler (autoscaling/v2)`);
    if (hpa && d.obj.spec?.replicas !== undefined) problems.push(`${where}: sets spec.replicas while an HPA owns them (every apply would reset the scale)`);
    const minReplicas = hpa ? (hpa.obj.spec?.minReplicas ?? 1) : (d.obj.spec?.replicas ?? 1);
    if (minReplicas < 2) problems.push(`${where}: runs fewer than 2 replicas, so its PodDisruptionBudget blocks every node drain`);

    // config: every referenced ConfigMap / Secret exists
    for (const ef of c?.envFrom ?? []) {
      if (ef.configMapRef && !configMaps.has(ef.configMapRef.name)) problems.push(`${where}: envFrom ConfigMap ${ef.configMapRef.name} is not defined`);
      if (ef.secretRef && !secrets.has(ef.secretRef.name)) problems.push(`${where}: envFrom Secret ${ef.secretRef.name} is not defined`);
    }
    for (const e of env.values()) {
      const ref = e.valueFrom?.secretKeyRef;
      if (ref) {
        const s = secrets.get(ref.name);
        if (s) {
          if (!(ref.key in { ...(s.obj.stringData ?? {}), ...(s.obj.data ?? {}) })) problems.push(`${where}: env ${e.name} reads key ${ref.key} that Secret/${ref.name} does not have`);
        } else if (!operatorSecrets.has(ref.name)) problems.push(`${where}: env ${e.name} reads Secret ${ref.name}, which neither the manifests nor the MongoDB operator (connectionStringSecretName) create`);
      }
      const cref = e.valueFrom?.configMapKeyRef;
      if (cref && !configMaps.has(cref.name)) problems.push(`${where}: env ${e.name} reads ConfigMap ${cref.name}, which is not defined`);
      else if (cref && !cref.optional && configMaps.get(cref.name)!.obj.data?.[cref.key] === undefined) problems.push(`${where}: env ${e.name} reads key ${cref.key} that ConfigMap/${cref.name} does not have`);
    }
    const fromConfig = (key: string) =>
      (c?.envFrom ?? []).some((ef: Obj) => ef.configMapRef && configMaps.get(ef.configMapRef.name)?.obj.data?.[key] !== undefined);
    const has = (key: string) => env.has(key) || fromConfig(key);
    for (const key of ['REDIS_URL', 'NODE_ENV', 'HOST']) if (!has(key)) problems.push(`${where}: ${key} is not set`);
    // the router context's keys (security review finding 5): the router signs, subgraphs only verify
    if (svc.name === 'router') {
      if (!has('ROUTER_SIGNING_KEY')) problems.push(`${where}: ROUTER_SIGNING_KEY is not set`);
    } else {
      if (!has('ROUTER_PUBLIC_KEY')) problems.push(`${where}: ROUTER_PUBLIC_KEY is not set`);
      if (has('ROUTER_SIGNING_KEY')) problems.push(`${where}: holds ROUTER_SIGNING_KEY; only the router may (a subgraph gets ROUTER_PUBLIC_KEY and nothing that signs)`);
    }
    if (has('ROUTER_SECRET')) problems.push(`${where}: sets ROUTER_SECRET, which nothing reads any more (ROUTER_SIGNING_KEY / ROUTER_PUBLIC_KEY)`);

    // where a variable comes from, and its value when a manifest holds it (env wins over envFrom,
    // the last envFrom source over earlier ones)
    const source = (key: string): EnvSource | undefined => {
      const e = env.get(key);
      if (e) {
        if (e.value !== undefined) return { from: 'value', value: String(e.value) };
        const cref = e.valueFrom?.configMapKeyRef;
        if (cref) return { from: 'configMap', value: configMaps.get(cref.name)?.obj.data?.[cref.key] };
        return { from: e.valueFrom?.secretKeyRef ? 'secret' : 'other' };
      }
      let found: EnvSource | undefined;
      for (const ef of c?.envFrom ?? []) {
        const cm = ef.configMapRef && configMaps.get(ef.configMapRef.name)?.obj.data?.[key];
        if (cm !== undefined && cm !== null && cm !== false) found = { from: 'configMap', value: String(cm) };
        const sec = ef.secretRef && secrets.get(ef.secretRef.name)?.obj;
        if (sec && key in { ...(sec.stringData ?? {}), ...(sec.data ?? {}) }) found = { from: 'secret' };
      }
      return found;
    };
    for (const v of REQUIRED_PRODUCTION_ENV[svc.name] ?? []) {
      const src = source(v.name);
      if (!src || src.value === '') problems.push(`${where}: ${v.name} is not set: the service refuses to start in production without it`);
      else if (v.secret && src.from !== 'secret') problems.push(`${where}: ${v.name} is a secret: it must come from a Secret (secretKeyRef), not ${src.from === 'value' ? 'a literal value' : 'a ConfigMap'}`);
    }
    if (svc.name === 'payments') problems.push(...checkPaymentsProvider(where, source));
    for (const shared of SHARED_ENV) if (shared.services.includes(svc.name)) sharedValues.set(`${shared.name}/${svc.name}`, { where, src: source(shared.name) });

    if (svc.name === 'router') {
      for (const sg of platform.subgraphs) {
        const key = `${envPrefix(sg.name)}_URL`;
        const want = `http://${sg.name}:${sg.port}/graphql`;
        const value = (c?.envFrom ?? []).map((ef: Obj) => configMaps.get(ef.configMapRef?.name)?.obj.data?.[key]).find((v: unknown) => v !== undefined) ?? env.get(key)?.value;
        if (value !== want) problems.push(`${where}: ${key} must be ${want} (found ${value ?? 'nothing'})`);
      }
    } else {
      if (!has('NATS_URL')) problems.push(`${where}: NATS_URL is not set`);
      const key = `${envPrefix(svc.name)}_MONGO_URL`;
      const ref = env.get(key)?.valueFrom?.secretKeyRef;
      if (!ref) problems.push(`${where}: ${key} must come from the MongoDB operator's connection Secret (secretKeyRef)`);
      else {
        const owner = mongoSecretOwners.get(ref.name);
        if (owner) problems.push(`${where}: shares its MongoDB (Secret ${ref.name}) with ${owner}: every subgraph needs its own`);
        mongoSecretOwners.set(ref.name, svc.name);
        const mdb = operatorSecrets.get(ref.name);
        const user = mdb?.obj.spec?.users?.find((u: Obj) => u.connectionStringSecretName === ref.name);
        if (user && !user.roles?.some((r: Obj) => r.db === `commerce_${svc.name}`)) problems.push(`${mdb!.file}: the ${svc.name} user of MongoDBCommunity/${mdb!.obj.metadata.name} has no role on commerce_${svc.name}`);
        if (user?.roles?.some((r: Obj) => /AnyDatabase$|^root$|^clusterAdmin$/.test(r.name))) problems.push(`${mdb!.file}: the ${svc.name} user of MongoDBCommunity/${mdb!.obj.metadata.name} may touch other databases: only its own`);
      }
    }
  }
  for (const d of deployments) {
    if (!all.some((s) => s.name === d.obj.metadata?.name) && !(d.obj.metadata?.name in OBSERVABILITY_DEPLOYMENTS)) problems.push(`${d.file}: Deployment/${d.obj.metadata?.name} is no service of the platform (subgraphs/ or router)`);
  }
  for (const h of hpas) {
    const t = h.obj.spec?.scaleTargetRef;
    if (!deployments.some((d) => d.obj.metadata?.name === t?.name && t?.kind === 'Deployment')) problems.push(`${h.file}: HorizontalPodAutoscaler/${h.obj.metadata?.name} targets ${t?.kind}/${t?.name}, which does not exist`);
  }

  // the services that must agree on a value do (customers' OAUTH_ISSUER is the one the router accepts)
  for (const shared of SHARED_ENV) {
    const present = shared.services.filter((n) => sharedValues.has(`${shared.name}/${n}`));
    if (present.length < 2) continue;
    const got = present.map((n) => ({ name: n, ...sharedValues.get(`${shared.name}/${n}`)! }));
    for (const g of got) {
      if (!g.src) problems.push(`${g.where}: ${shared.name} is not set: it must equal that of ${present.filter((o) => o !== g.name).join(', ')}`);
      else if (g.src.value === undefined) problems.push(`${g.where}: ${shared.name} must come from a ConfigMap or a value (found ${g.src.from}), so that it can be compared with ${present.filter((o) => o !== g.name).join(', ')}`);
    }
    const known = got.filter((g) => g.src?.value !== undefined);
    if (known.some((g) => !sameValue(g.src!.value!, known[0]!.src!.value!))) {
      problems.push(`deploy/k8s: ${known.map((g) => `${g.name} (${g.src!.value})`).join(' and ')} disagree on ${shared.name}: it must be the same string in each (the router accepts OAuth tokens only from customers' issuer)`);
    }
  }

  problems.push(...checkNetworkPolicies(policies, deployments, platform));
  problems.push(...checkIngresses(of('Ingress'), platform, sharedValues.get('OAUTH_ISSUER/customers')?.src?.value));
  return problems;
}

/**
 * The payments Deployment of deploy/k8s runs a real provider (security review finding 1): never
 * PAYMENTS_ALLOW_TEST_PROVIDER (other than "false"), a PAYMENTS_PROVIDER of PAYMENT_PROVIDER_SECRETS
 * whose value the manifests hold, and that provider's secrets from a Secret (secretKeyRef or an
 * envFrom secretRef), never a literal or a ConfigMap.
 */
function checkPaymentsProvider(where: string, source: (key: string) => EnvSource | undefined): string[] {
  const problems: string[] = [];
  const allow = source('PAYMENTS_ALLOW_TEST_PROVIDER');
  if (allow && allow.value !== 'false') {
    problems.push(
      `${where}: sets PAYMENTS_ALLOW_TEST_PROVIDER${allow.value === undefined ? ` (from a ${allow.from === 'secret' ? 'Secret' : 'reference'})` : `=${allow.value}`}: ` +
        'the test provider confirms payments without taking money (security review finding 1); deploy/k8s runs a real provider, the test provider is for the compose staging channel only',
    );
  }
  const provider = source('PAYMENTS_PROVIDER');
  const name = provider ? provider.value : 'test';
  if (name === undefined) {
    problems.push(`${where}: PAYMENTS_PROVIDER must be a value or come from a ConfigMap (found ${provider!.from}), so that the provider can be checked`);
    return problems;
  }
  const secrets = PAYMENT_PROVIDER_SECRETS[name];
  if (!secrets) {
    problems.push(
      `${where}: PAYMENTS_PROVIDER is ${name}${provider ? '' : ' (the default)'}: deploy/k8s must run a real provider (${Object.keys(PAYMENT_PROVIDER_SECRETS).join(', ')}); ` +
        'the test provider moves no money and production refuses it without PAYMENTS_ALLOW_TEST_PROVIDER',
    );
    return problems;
  }
  for (const key of secrets) {
    const src = source(key);
    if (!src || src.value === '') problems.push(`${where}: ${key} is not set: payments refuses to start with PAYMENTS_PROVIDER=${name} without it`);
    else if (src.from !== 'secret') problems.push(`${where}: ${key} is a secret: it must come from a Secret (secretKeyRef), not ${src.from === 'value' ? 'a literal value' : src.from === 'configMap' ? 'a ConfigMap' : 'another source'}`);
  }
  const base = source('STRIPE_API_BASE');
  if (name === 'stripe' && base?.value !== undefined && !base.value.startsWith('https:')) problems.push(`${where}: STRIPE_API_BASE ${base.value} is not https: payments refuses it in production (leave it unset for api.stripe.com)`);
  return problems;
}

/**
 * The Ingresses: the router is reachable, and a subgraph only for its public paths
 * (PUBLIC_SUBGRAPH_PATHS, Prefix or Exact — Exact for EXACT_PUBLIC_PATHS —, on the service's own
 * port), every one of which some Ingress routes; customers' OAUTH_ISSUER is a URL an Ingress rule
 * serves to customers.
 */
export function checkIngresses(ingresses: Manifest[], platform: PlatformSpec, oauthIssuer?: string): string[] {
  const problems: string[] = [];
  const subgraphs = new Map(platform.subgraphs.map((s) => [s.name, s]));
  let toRouter = false;
  const routed: Array<{ service: string; host?: string; path: string; pathType: string }> = [];
  for (const i of ingresses) {
    const where = `${i.file}: Ingress/${i.obj.metadata?.name}`;
    const def = i.obj.spec?.defaultBackend?.service?.name;
    if (def && subgraphs.has(def)) problems.push(`${where}: defaultBackend is subgraph ${def}: every path would reach it`);
    for (const r of i.obj.spec?.rules ?? []) {
      for (const p of r.http?.paths ?? []) {
        const name = p.backend?.service?.name;
        if (name === platform.router.name) toRouter = true;
        const sg = subgraphs.get(name);
        if (!sg) continue;
        const allowed = PUBLIC_SUBGRAPH_PATHS[name] ?? [];
        const path = String(p.path ?? '/');
        if (!allowed.includes(path)) {
          problems.push(`${where}: routes ${path} to subgraph ${name}: only the router is public${allowed.length ? `, and ${name} for ${allowed.join(', ')}` : ''} (/metrics and /health stay inside the cluster)`);
          continue;
        }
        if (EXACT_PUBLIC_PATHS[name]?.includes(path)) {
          if (p.pathType !== 'Exact') problems.push(`${where}: ${path} to ${name} must be pathType Exact (found ${p.pathType}): nothing under it is public`);
        } else if (p.pathType !== 'Prefix' && p.pathType !== 'Exact') problems.push(`${where}: ${path} to ${name} must be pathType Prefix or Exact (${p.pathType} may match by regular expression)`);
        const port = p.backend?.service?.port;
        if (port?.name !== 'http' && port?.number !== sg.port) problems.push(`${where}: ${path} to ${name} must use the Service's port http (${sg.port})`);
        routed.push({ service: name, host: r.host, path, pathType: p.pathType });
      }
    }
  }
  if (!toRouter) problems.push('deploy/k8s: no Ingress routes to the router Service');
  for (const [name, paths] of Object.entries(PUBLIC_SUBGRAPH_PATHS)) {
    if (!subgraphs.has(name)) continue;
    for (const path of paths) if (!routed.some((r) => r.service === name && r.path === path)) problems.push(`deploy/k8s: no Ingress routes ${path} to ${name}: ${PUBLIC_PATH_CLIENTS[name] ?? 'the outside'} cannot reach it`);
  }
  if (oauthIssuer !== undefined && subgraphs.has('customers')) {
    let url: URL | undefined;
    try {
      url = new URL(oauthIssuer);
    } catch {
      problems.push(`deploy/k8s: customers' OAUTH_ISSUER ${oauthIssuer} is not a URL`);
    }
    const pathname = url?.pathname.replace(/\/$/, '') ?? '';
    const served = routed.some(
      (r) => r.service === 'customers' && (!r.host || r.host === url?.hostname) && (pathname === r.path || (r.pathType === 'Prefix' && pathname.startsWith(`${r.path.replace(/\/$/, '')}/`))),
    );
    if (url && !served) problems.push(`deploy/k8s: customers' OAUTH_ISSUER ${oauthIssuer} is not served by an Ingress (no rule for host ${url.hostname} routes ${pathname || '/'} to customers): clients could not reach the issuer`);
  }
  return problems;
}

/** A NetworkPolicy port entry as text: `4001–4010`, `4005`, `http`, `every port`. */
function portEntryText(p: Obj): string {
  if (p.port === undefined) return 'every port';
  return typeof p.port === 'number' && typeof p.endPort === 'number' && p.endPort !== p.port ? `${p.port}–${p.endPort}` : String(p.port);
}

/**
 * Whether an ingress rule's `ports` admit a pod's TCP port: no `ports` admits every port, an entry
 * without `port` every port of its protocol, a numeric `port` that port up to `endPort`, a named
 * port the container port of that name (`namedPorts`).
 */
export function ruleAdmitsPort(rule: Obj, port: number, namedPorts: ReadonlyMap<string, number> = new Map()): boolean {
  if (!Array.isArray(rule.ports) || !rule.ports.length) return true;
  return rule.ports.some((p: Obj) => {
    if (!isObj(p) || (p.protocol ?? 'TCP') !== 'TCP') return false;
    if (p.port === undefined) return true;
    const from = typeof p.port === 'number' ? p.port : namedPorts.get(String(p.port));
    if (from === undefined) return false;
    const to = typeof p.port === 'number' && typeof p.endPort === 'number' ? p.endPort : from;
    return port >= from && port <= to;
  });
}

/**
 * Only the router (and the metrics scraper) reach the subgraphs; an ingress controller reaches the
 * router, and the subgraphs with public paths (PUBLIC_SUBGRAPH_PATHS) from a namespace it names.
 */
function checkNetworkPolicies(policies: Manifest[], deployments: Manifest[], platform: PlatformSpec): string[] {
  const problems: string[] = [];
  const byName = new Map(deployments.map((d) => [d.obj.metadata?.name as string, d]));
  const labelsOf = (name: string) => (byName.get(name) ? podLabels(byName.get(name)!.obj) : undefined);
  const selecting = (labels: Obj) => policies.filter((p) => matches(p.obj.spec?.podSelector, labels) || (isObj(p.obj.spec?.podSelector) && !Object.keys(p.obj.spec.podSelector).length));
  const ingressPolicies = (labels: Obj) => selecting(labels).filter((p) => (p.obj.spec?.policyTypes ?? ['Ingress']).includes('Ingress'));

  for (const svc of [platform.router, ...platform.subgraphs]) {
    const isSubgraph = svc.name !== platform.router.name;
    const deployment = byName.get(svc.name);
    // a service without a Deployment (reported elsewhere) is checked with the labels its Deployment must carry
    const labels = labelsOf(svc.name) ?? {
      'app.kubernetes.io/name': svc.name,
      'app.kubernetes.io/component': isSubgraph ? 'subgraph' : 'router',
      'app.kubernetes.io/part-of': 'commerce-graph',
    };
    const namedPorts = new Map<string, number>();
    for (const c of deployment?.obj.spec?.template?.spec?.containers ?? []) {
      for (const cp of c.ports ?? []) if (cp.name && typeof cp.containerPort === 'number') namedPorts.set(String(cp.name), cp.containerPort);
    }
    const applied = ingressPolicies(labels);
    if (!applied.length) {
      problems.push(`deploy/k8s: no NetworkPolicy isolates ${svc.name}: every pod would accept any connection`);
      continue;
    }
    const allowed = new Set([platform.router.name, ...(EXTRA_SUBGRAPH_CLIENTS[svc.name] ?? [])]);
    // a subgraph with public paths: the ingress controller, from a namespace named by label (not
    // every namespace, not an address block)
    const publicPaths = isSubgraph ? PUBLIC_SUBGRAPH_PATHS[svc.name] : undefined;
    const isControllerPeer = (peer: Obj) => Boolean(publicPaths && Object.keys(peer.namespaceSelector?.matchLabels ?? {}).length && !peer.ipBlock);
    let fromIngressController = false;
    // which clients reach the service's own port, and the port ranges their rules allow (for the message)
    const clients = isSubgraph ? [...allowed, ...(publicPaths ? ['an ingress controller'] : [])] : ['an ingress controller'];
    const reaches = new Map<string, boolean>([...clients, 'the metrics scraper'].map((c) => [c, false]));
    const ranges = new Map<string, Set<string>>([...reaches.keys()].map((c) => [c, new Set<string>()]));
    const saw = (client: string, rule: Obj) => {
      if (!reaches.has(client)) return;
      if (ruleAdmitsPort(rule, svc.port, namedPorts)) reaches.set(client, true);
      for (const p of Array.isArray(rule.ports) && rule.ports.length ? rule.ports : [{}]) ranges.get(client)!.add(portEntryText(p));
    };
    for (const p of applied) {
      for (const rule of p.obj.spec?.ingress ?? []) {
        const where = `${p.file}: NetworkPolicy/${p.obj.metadata?.name}`;
        if (!Array.isArray(rule.from) || !rule.from.length) {
          problems.push(`${where}: an ingress rule without "from" lets anyone reach ${svc.name}`);
          continue;
        }
        for (const peer of rule.from as Obj[]) {
          const podSel = peer.podSelector?.matchLabels ?? {};
          const scraper = podSel[METRICS_SCRAPER_LABEL] === 'true';
          if (scraper) {
            saw('the metrics scraper', rule);
            continue;
          }
          if (isSubgraph && isControllerPeer(peer)) {
            fromIngressController = true;
            saw('an ingress controller', rule);
          } else if (isSubgraph) {
            const name = podSel['app.kubernetes.io/name'];
            if (peer.namespaceSelector || peer.ipBlock || !name || !allowed.has(name)) {
              problems.push(
                `${where}: lets ${peerName(peer)} reach subgraph ${svc.name}; only the router${allowed.size > 1 ? ` (and ${[...allowed].slice(1).join(', ')})` : ''}` +
                  `${publicPaths ? ', the ingress controller (its namespace by label, for ' + publicPaths.join(', ') + ')' : ''} and the metrics scraper may`,
              );
            } else saw(name, rule);
          } else if (peer.namespaceSelector && !peer.podSelector) {
            fromIngressController = true;
            saw('an ingress controller', rule);
          } else if (peer.namespaceSelector || peer.ipBlock) {
            fromIngressController = true;
            saw('an ingress controller', rule);
          }
        }
      }
    }
    if (!isSubgraph && !fromIngressController) {
      problems.push(`deploy/k8s: no NetworkPolicy lets an ingress controller reach the router`);
      reaches.delete('an ingress controller');
    }
    if (publicPaths && !fromIngressController) {
      problems.push(`deploy/k8s: no NetworkPolicy lets an ingress controller reach subgraph ${svc.name} (its public paths ${publicPaths.join(', ')})`);
      reaches.delete('an ingress controller');
    }
    // every service's own port (commerce.port of its package.json) is inside the allowed ranges:
    // a new subgraph past the end of a range would be unreachable in the cluster although every
    // other check passes
    for (const [client, ok] of reaches) {
      if (ok) continue;
      const seen = [...ranges.get(client)!];
      problems.push(
        `deploy/k8s: no NetworkPolicy lets ${/^(the|an) /.test(client) ? client : `the ${client} pods`} reach ${isSubgraph ? 'subgraph ' : ''}${svc.name} on its port ${svc.port}` +
          ` (${seen.length ? `the rules allow ${seen.join(', ')}` : 'no rule admits it at all'}): widen the port range`,
      );
    }
  }
  return problems;
}

/**
 * Reads the manifests a kustomization folder applies: the resources its kustomization.yaml lists
 * (what `kubectl apply -k` sends), or every manifest file of the folder when it has none.
 */
export function loadManifests(dir: string, label: string): { manifests: Manifest[]; problems: string[] } {
  const manifests: Manifest[] = [];
  const problems: string[] = [];
  let files = manifestFilesUnder(dir);
  const kFile = join(dir, 'kustomization.yaml');
  if (existsSync(kFile)) {
    const k = parseYaml(readFileSync(kFile, 'utf8'), kFile).docs[0];
    if (isObj(k) && Array.isArray(k.resources)) files = k.resources.map(String).filter((r: string) => /\.ya?ml$/.test(r) && existsSync(join(dir, r)));
  }
  for (const f of files) {
    const file = `${label}/${f}`;
    const parsed = parseYaml(readFileSync(join(dir, f), 'utf8'), file);
    problems.push(...parsed.problems);
    for (const obj of parsed.docs) {
      if (!isObj(obj)) problems.push(`${file}: a document that is not a mapping`);
      else manifests.push({ file, obj });
    }
  }
  return { manifests, problems };
}

/** Everything under deploy/k8s: kustomizations, schemas, per-Deployment rules, platform rules. */
export async function checkKubernetes(k8sDir: string, platform: PlatformSpec, label = 'deploy/k8s'): Promise<string[]> {
  const problems: string[] = [];
  const kustomizations: string[] = [];
  const findK = (d: string) => {
    if (existsSync(join(d, 'kustomization.yaml'))) kustomizations.push(d);
    for (const e of readdirSync(d)) if (statSync(join(d, e)).isDirectory()) findK(join(d, e));
  };
  findK(k8sDir);
  if (!kustomizations.includes(k8sDir)) problems.push(`${label}: no kustomization.yaml`);
  const manifests: Manifest[] = [];
  for (const d of kustomizations) {
    const l = join(label, relative(k8sDir, d)).replace(/\/$/, '');
    problems.push(...checkKustomization(d, l));
    const loaded = loadManifests(d, l);
    problems.push(...loaded.problems);
    manifests.push(...loaded.manifests);
  }
  // Helm values files must at least be YAML
  const walk = (d: string) => {
    for (const e of readdirSync(d)) {
      const p = join(d, e);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.values\.ya?ml$/.test(e)) problems.push(...parseYaml(readFileSync(p, 'utf8'), join(label, relative(k8sDir, p))).problems);
    }
  };
  walk(k8sDir);
  for (const m of manifests) {
    problems.push(...(await validateK8sSchema(m)));
    if (m.obj.kind === 'Deployment') problems.push(...checkDeploymentPolicy(m));
  }
  problems.push(...checkPlatformManifests(manifests, platform));
  return problems;
}

// ── observability ───────────────────────────────────────────────────────────────────────────────

/** Metrics the dashboards query that are announced but not in the code yet (being added in router/ and packages/). */
export const PENDING_METRICS = ['dataloader_batch_size', 'saga_outcomes_total', 'router_rate_limited_total', 'router_response_cache_total', 'router_query_cost'];

/** prom-client's collectDefaultMetrics() names that dashboards may use. */
const DEFAULT_METRIC = /^(process_|nodejs_)/;

const PROMQL_WORDS = new Set(
  (
    'sum min max avg group stddev stdvar count count_values bottomk topk quantile by without on ignoring group_left group_right bool and or unless offset ' +
    'rate irate increase delta idelta deriv histogram_quantile clamp clamp_min clamp_max abs ceil floor round exp ln log2 log10 sqrt ' +
    'label_replace label_join vector scalar time timestamp sort sort_desc absent absent_over_time changes resets predict_linear ' +
    'avg_over_time min_over_time max_over_time sum_over_time count_over_time quantile_over_time last_over_time present_over_time inf nan'
  ).split(' '),
);

/** Metric names a PromQL expression reads (labels, functions, ranges and Grafana variables removed). */
export function metricsInExpr(expr: string): string[] {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, '')
    .replace(/\[[^\]]*\]/g, '')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, '')
    .replace(/\$\w+/g, '')
    .replace(/(?<![a-zA-Z0-9_:])\d+(\.\d+)?([eE][+-]?\d+)?/g, '0');
  const names = stripped.match(/[a-zA-Z_:][a-zA-Z0-9_:]*/g) ?? [];
  return [...new Set(names.filter((n) => !PROMQL_WORDS.has(n) && !/^\d/.test(n)))];
}

/** Metric names the code defines (prom-client `name: '…'` in packages/, router/, subgraphs/). */
export function metricsDefinedInCode(root = ROOT): Set<string> {
  const names = new Set<string>();
  const walk = (d: string) => {
    if (!existsSync(d)) return;
    for (const e of readdirSync(d)) {
      if (e === 'node_modules' || e === 'test' || e === '__generated__') continue;
      const p = join(d, e);
      if (statSync(p).isDirectory()) walk(p);
      else if (e.endsWith('.ts')) {
        const text = readFileSync(p, 'utf8');
        if (!/new (Histogram|Counter|Gauge|Summary)\b/.test(text)) continue;
        for (const m of text.matchAll(/name:\s*['"`]([a-z_:][a-z0-9_:]*)['"`]/g)) names.add(m[1]!);
      }
    }
  };
  for (const top of ['packages', 'router', 'subgraphs']) walk(join(root, top));
  return names;
}

export interface DashboardReport {
  problems: string[];
  /** announced metrics a panel uses that the code does not define yet */
  pending: string[];
}

/** A Grafana dashboard: unique panel ids, the provisioned datasource, and metrics that exist. */
export function checkDashboard(dashboard: unknown, defined: Set<string>, datasourceUid: string, file = 'dashboard'): DashboardReport {
  const problems: string[] = [];
  const pending = new Set<string>();
  if (!isObj(dashboard) || !Array.isArray(dashboard.panels)) return { problems: [`${file}: not a dashboard (no panels)`], pending: [] };
  if (!dashboard.uid || !dashboard.title) problems.push(`${file}: uid and title are required`);
  const ids = new Set<number>();
  const panels: Obj[] = dashboard.panels.flatMap((p: Obj) => [p, ...(Array.isArray(p.panels) ? p.panels : [])]);
  for (const panel of panels) {
    const where = `${file}: panel ${panel.id ?? '?'} "${panel.title ?? ''}"`;
    if (typeof panel.id !== 'number') problems.push(`${where}: no numeric id`);
    else if (ids.has(panel.id)) problems.push(`${where}: duplicate id`);
    else ids.add(panel.id);
    if (!isObj(panel.gridPos)) problems.push(`${where}: no gridPos`);
    if (panel.type === 'row') continue;
    if (panel.datasource?.uid !== datasourceUid) problems.push(`${where}: datasource uid must be "${datasourceUid}" (the provisioned Prometheus)`);
    const targets: Obj[] = Array.isArray(panel.targets) ? panel.targets : [];
    if (!targets.length) problems.push(`${where}: no queries`);
    for (const t of targets) {
      if (typeof t.expr !== 'string' || !t.expr.trim()) {
        problems.push(`${where}: a query without expr`);
        continue;
      }
      if (t.datasource && t.datasource.uid !== datasourceUid) problems.push(`${where}: query ${t.refId} uses datasource ${t.datasource.uid}`);
      let depth = 0;
      for (const ch of t.expr.replace(/"(?:[^"\\]|\\.)*"/g, '""')) {
        if ('([{'.includes(ch)) depth++;
        if (')]}'.includes(ch)) depth--;
        if (depth < 0) break;
      }
      if (depth !== 0) problems.push(`${where}: unbalanced brackets in ${t.expr}`);
      for (const metric of metricsInExpr(t.expr)) {
        const base = metric.replace(/_(bucket|count|sum)$/, '');
        if (defined.has(metric) || defined.has(base) || DEFAULT_METRIC.test(metric)) continue;
        if (PENDING_METRICS.includes(base) || PENDING_METRICS.includes(metric)) pending.add(base);
        else problems.push(`${where}: queries ${metric}, which no code defines (a typo, or a metric that was renamed?)`);
      }
    }
  }
  return { problems, pending: [...pending].sort() };
}

/** Prometheus (compose) scrapes every service; Grafana's provisioning points at the dashboards. */
export function checkObservability(root: string, compose: Obj, platform: PlatformSpec): DashboardReport {
  const problems: string[] = [];
  const promFile = 'deploy/prometheus/prometheus.yml';
  const prom = parseYaml(readFileSync(join(root, promFile), 'utf8'), promFile);
  problems.push(...prom.problems);
  const targets = new Map<string, string>();
  for (const job of (prom.docs[0] as Obj | undefined)?.scrape_configs ?? []) {
    for (const sc of job.static_configs ?? []) for (const t of sc.targets ?? []) targets.set(String(t), job.metrics_path ?? '/metrics');
  }
  for (const svc of [platform.router, ...platform.subgraphs]) {
    const t = `${svc.name}:${svc.port}`;
    if (!targets.has(t)) problems.push(`${promFile}: does not scrape ${t}`);
    else if (targets.get(t) !== '/metrics') problems.push(`${promFile}: scrapes ${t} at ${targets.get(t)}, not /metrics`);
  }

  const dsFile = 'deploy/grafana/provisioning/datasources/prometheus.yml';
  const ds = parseYaml(readFileSync(join(root, dsFile), 'utf8'), dsFile);
  problems.push(...ds.problems);
  const source = ((ds.docs[0] as Obj | undefined)?.datasources ?? []).find((d: Obj) => d.type === 'prometheus');
  if (!source) problems.push(`${dsFile}: no prometheus datasource`);
  else if (!String(source.url).includes('prometheus:9090')) problems.push(`${dsFile}: the datasource should point at the compose Prometheus (http://prometheus:9090)`);

  const provFile = 'deploy/grafana/provisioning/dashboards/commerce.yml';
  const prov = parseYaml(readFileSync(join(root, provFile), 'utf8'), provFile);
  problems.push(...prov.problems);
  const path = ((prov.docs[0] as Obj | undefined)?.providers ?? [])[0]?.options?.path;
  const grafana = compose.services?.grafana;
  const mounts: string[] = (grafana?.volumes ?? []).map(String);
  if (!mounts.some((m) => m.startsWith('./deploy/grafana/dashboards:') && m.split(':')[1] === path)) {
    problems.push(`${provFile}: provider path ${path} is not where docker-compose.yml mounts deploy/grafana/dashboards`);
  }
  if (!mounts.some((m) => m.startsWith('./deploy/grafana/provisioning:/etc/grafana/provisioning'))) problems.push('docker-compose.yml: grafana does not mount deploy/grafana/provisioning');

  const defined = metricsDefinedInCode(root);
  const pending = new Set<string>();
  const dashDir = join(root, 'deploy', 'grafana', 'dashboards');
  const dashboards = existsSync(dashDir) ? readdirSync(dashDir).filter((f) => f.endsWith('.json')) : [];
  if (!dashboards.includes('commerce.json')) problems.push('deploy/grafana/dashboards/commerce.json is missing');
  for (const f of dashboards) {
    const file = `deploy/grafana/dashboards/${f}`;
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(join(dashDir, f), 'utf8'));
    } catch (err) {
      problems.push(`${file}: not JSON: ${(err as Error).message}`);
      continue;
    }
    const r = checkDashboard(json, defined, source?.uid ?? 'prometheus', file);
    problems.push(...r.problems);
    for (const p of r.pending) pending.add(p);
  }
  return { problems, pending: [...pending].sort() };
}

// ── Dockerfile ──────────────────────────────────────────────────────────────────────────────────

/**
 * The ports the final stage's EXPOSE instructions declare (`4000-4010`, `4000/tcp`, several per
 * line); a token it cannot read (a build variable) is returned in `unreadable`.
 */
export function exposedPorts(text: string): { ports: Set<number>; unreadable: string[] } {
  const lastFrom = text.lastIndexOf('\nFROM ');
  const final = lastFrom >= 0 ? text.slice(lastFrom) : text;
  const ports = new Set<number>();
  const unreadable: string[] = [];
  for (const line of final.replace(/\\\n/g, ' ').split('\n')) {
    const m = line.match(/^\s*EXPOSE\s+(.*)$/i);
    if (!m) continue;
    for (const token of m[1]!.replace(/#.*$/, '').trim().split(/\s+/).filter(Boolean)) {
      const [range, proto = 'tcp'] = token.split('/');
      const r = range!.match(/^(\d+)(?:-(\d+))?$/);
      if (!r || proto.toLowerCase() !== 'tcp') {
        if (!r) unreadable.push(token);
        continue;
      }
      const from = Number(r[1]);
      const to = r[2] === undefined ? from : Number(r[2]);
      for (let port = from; port <= to && port - from < 65536; port++) ports.add(port);
    }
  }
  return { ports, unreadable };
}

/**
 * The few properties of deploy/Dockerfile the rest relies on, and that it exposes the port of the
 * router and of every subgraph (`platform`, from each package.json's commerce.port).
 */
export function checkDockerfile(text: string, file = 'deploy/Dockerfile', platform: PlatformSpec = platformSpec()): string[] {
  const problems: string[] = [];
  const stages = text.match(/^FROM\s/gim)?.length ?? 0;
  if (stages < 2) problems.push(`${file}: expected a multi-stage build`);
  const lastFrom = text.lastIndexOf('\nFROM ');
  const final = lastFrom >= 0 ? text.slice(lastFrom) : text;
  const user = final.match(/^USER\s+(\S+)/m)?.[1];
  if (!user) problems.push(`${file}: the final stage sets no USER (it would run as root)`);
  else if (/^(root|0)(:|$)/.test(user)) problems.push(`${file}: the final stage runs as root`);
  else if (!/^\d+(:\d+)?$/.test(user)) problems.push(`${file}: USER ${user} is not numeric: Kubernetes' runAsNonRoot cannot verify a user name`);
  if (!/^HEALTHCHECK\s/m.test(final)) problems.push(`${file}: no HEALTHCHECK`);
  if (!/npm ci[^\n]*--omit=dev/.test(text)) problems.push(`${file}: dependencies must be installed with npm ci --omit=dev`);
  const exposed = exposedPorts(text);
  for (const token of exposed.unreadable) problems.push(`${file}: EXPOSE ${token} is not a port or a port range this check can read`);
  for (const svc of [platform.router, ...platform.subgraphs]) {
    if (!exposed.ports.has(svc.port)) problems.push(`${file}: the final stage does not EXPOSE ${svc.name}'s port ${svc.port}: widen the EXPOSE range`);
  }
  return problems;
}

// ── all together ────────────────────────────────────────────────────────────────────────────────

export interface DeployReport {
  sections: Array<{ name: string; problems: string[] }>;
  pendingMetrics: string[];
  ok: boolean;
}

export async function runDeployChecks(root = ROOT): Promise<DeployReport> {
  const platform = platformSpec(root);
  const sections: DeployReport['sections'] = [];

  const composeFile = 'docker-compose.yml';
  const parsed = parseYaml(readFileSync(join(root, composeFile), 'utf8'), composeFile);
  const compose = (parsed.docs[0] ?? {}) as Obj;
  sections.push({ name: 'docker-compose.yml: Compose Specification schema', problems: [...parsed.problems, ...(parsed.docs.length === 1 ? validateComposeSchema(compose) : [`${composeFile}: expected one YAML document`])] });
  sections.push({ name: 'docker-compose.yml: topology rules', problems: checkComposeSemantics(compose, platform) });

  const dockerfile = join(root, 'deploy', 'Dockerfile');
  sections.push({ name: 'deploy/Dockerfile', problems: checkDockerfile(readFileSync(dockerfile, 'utf8'), 'deploy/Dockerfile', platform) });

  sections.push({ name: 'deploy/k8s: schemas, kustomizations, platform rules', problems: await checkKubernetes(join(root, 'deploy', 'k8s'), platform) });

  const obs = checkObservability(root, compose, platform);
  sections.push({ name: 'Prometheus and Grafana', problems: obs.problems });

  return { sections, pendingMetrics: obs.pending, ok: sections.every((s) => s.problems.length === 0) };
}

const isEntry = process.argv[1] !== undefined && resolve(process.argv[1]) === resolve(dirname(new URL(import.meta.url).pathname), basename(new URL(import.meta.url).pathname));

if (isEntry) {
  const report = await runDeployChecks();
  for (const s of report.sections) {
    console.log(`${s.problems.length ? '✗' : '✓'} ${s.name}`);
    for (const p of s.problems) console.log(`    ${p}`);
  }
  if (report.pendingMetrics.length) {
    console.log(`  note: dashboard panels wait for metrics the code does not define yet: ${report.pendingMetrics.join(', ')}`);
  }
  const count = report.sections.reduce((n, s) => n + s.problems.length, 0);
  console.log(report.ok ? 'deploy configuration is valid' : `deploy configuration: ${count} problem(s)`);
  process.exit(report.ok ? 0 : 1);
}
