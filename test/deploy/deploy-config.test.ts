import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  checkComposeSemantics,
  checkDashboard,
  checkDeploymentPolicy,
  checkDockerfile,
  checkIngresses,
  exposedPorts,
  checkKubernetes,
  checkKustomization,
  checkPlatformManifests,
  loadManifests,
  metricsDefinedInCode,
  metricsInExpr,
  parseYaml,
  platformSpec,
  requiredComposeVariables,
  ruleAdmitsPort,
  runDeployChecks,
  validateComposeSchema,
  validateK8sSchema,
  type Manifest,
  type PlatformSpec,
} from '../../scripts/check-deploy.ts';
import { ROOT } from '../../scripts/lib/subgraphs.ts';

/** Offline checks of docker-compose.yml, deploy/k8s, Prometheus and Grafana (scripts/check-deploy.ts). */

const platform = platformSpec();
const compose = parseYaml(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8'), 'docker-compose.yml').docs[0] as Record<string, any>;
const clone = <T>(v: T): T => structuredClone(v);

function k8sManifests(): Manifest[] {
  return [...loadManifests(join(ROOT, 'deploy/k8s'), 'deploy/k8s').manifests, ...loadManifests(join(ROOT, 'deploy/k8s/infra'), 'deploy/k8s/infra').manifests];
}
const find = (ms: Manifest[], kind: string, name: string) => ms.find((m) => m.obj.kind === kind && m.obj.metadata?.name === name)!;

describe('the committed deployment configuration', () => {
  it('passes every check', async () => {
    const report = await runDeployChecks();
    for (const s of report.sections) expect(s.problems, s.name).toEqual([]);
    expect(report.ok).toBe(true);
  });

  it('covers the router and every subgraph', () => {
    expect(platform.subgraphs.map((s) => s.name)).toEqual(expect.arrayContaining(['catalog', 'customers', 'orders', 'inventory', 'cart', 'payments', 'reviews', 'support', 'analytics', 'recommendations']));
    for (const s of [platform.router, ...platform.subgraphs]) expect(compose.services[s.name], s.name).toBeDefined();
  });
});

describe('docker-compose.yml', () => {
  it('rejects what the Compose Specification forbids', () => {
    const broken = clone(compose);
    broken.servicez = {};
    broken.services.catalog.restart_policy = 'always';
    broken.services.redis.ports = 6379;
    const problems = validateComposeSchema(broken);
    expect(problems.join('\n')).toMatch(/servicez/);
    expect(problems.join('\n')).toMatch(/restart_policy/);
    expect(problems.join('\n')).toMatch(/\/services\/redis\/ports/);
  });

  it('rejects a depends_on on an unknown service', () => {
    const broken = clone(compose);
    broken.services.orders.depends_on.ghost = { condition: 'service_started' };
    expect(checkComposeSemantics(broken, platform)).toContain('docker-compose.yml: service "orders" depends_on unknown service "ghost"');
  });

  it('rejects waiting for a healthy service that has no healthcheck, and cycles', () => {
    const broken = clone(compose);
    delete broken.services.redis.healthcheck;
    broken.services.cart.depends_on.orders = { condition: 'service_started' };
    const problems = checkComposeSemantics(broken, platform).join('\n');
    expect(problems).toMatch(/waits for "redis" to be healthy, but "redis" has no healthcheck/);
    expect(problems).toMatch(/depends_on cycle: (orders → cart → orders|cart → orders → cart)/);
  });

  it('rejects two subgraphs sharing one MongoDB, and a subgraph without one', () => {
    const broken = clone(compose);
    broken.services.reviews.environment.REVIEWS_MONGO_URL = 'mongodb://mongo-orders:27017/?replicaSet=rs0';
    delete broken.services.cart.environment.CART_MONGO_URL;
    const problems = checkComposeSemantics(broken, platform).join('\n');
    expect(problems).toMatch(/subgraphs "orders" and "reviews" share the MongoDB service "mongo-orders"/);
    expect(problems).toMatch(/subgraph "cart" has no CART_MONGO_URL/);
  });

  it('rejects undeclared volumes, clashing host ports and a public subgraph', () => {
    const broken = clone(compose);
    broken.services['mongo-cart'].volumes = ['mongo-kart:/data/db'];
    broken.services.grafana.ports = ['127.0.0.1:4000:3000'];
    broken.services.catalog.ports = ['4001:4001'];
    const problems = checkComposeSemantics(broken, platform).join('\n');
    expect(problems).toMatch(/mounts volume "mongo-kart", which is not declared/);
    expect(problems).toMatch(/volume "mongo-cart" is declared but no service mounts it/);
    expect(problems).toMatch(/host port 4000\/tcp is published by both "router" and "grafana"/);
    expect(problems).toMatch(/subgraph "catalog" publishes a host port/);
  });

  it('requires REDIS_PASSWORD, GRAFANA_ADMIN_PASSWORD and the router context keys from the environment (security review findings 8, 5)', () => {
    const required = requiredComposeVariables(compose);
    expect([...required]).toEqual(expect.arrayContaining(['REDIS_PASSWORD', 'GRAFANA_ADMIN_PASSWORD', 'ROUTER_SIGNING_KEY', 'ROUTER_PUBLIC_KEY']));
    expect(required.has('ROUTER_SECRET')).toBe(false);
    expect(compose.services.redis.command).toEqual(expect.arrayContaining(['--requirepass']));
    expect(compose.services.grafana.environment.GF_SECURITY_ADMIN_PASSWORD).toMatch(/^\$\{GRAFANA_ADMIN_PASSWORD:\?/);
    for (const [name, svc] of Object.entries<any>(compose.services)) {
      if (svc.environment?.REDIS_URL !== undefined) expect(svc.environment.REDIS_URL, name).toMatch(/^redis:\/\/:\$\{REDIS_PASSWORD(:\?[^}]*)?\}@redis:6379$/);
    }
    expect(requiredComposeVariables({ a: '$${NOT_REQUIRED:?x}', b: '${DEFAULTED:-x}', c: ['${NEEDED?x}'] })).toEqual(new Set(['NEEDED']));
  });

  it('rejects a password-less Redis, a REDIS_URL without the password, a default Grafana password and a literal router key', () => {
    const broken = clone(compose);
    broken.services.redis.command = ['redis-server', '--save', '', '--appendonly', 'no'];
    broken.services.cart.environment.REDIS_URL = 'redis://redis:6379';
    broken.services.grafana.environment.GF_SECURITY_ADMIN_PASSWORD = '${GRAFANA_ADMIN_PASSWORD:-admin}';
    broken.services.router.environment.ROUTER_SIGNING_KEY = '-----BEGIN PRIVATE KEY-----…';
    broken.services.cart.environment.ROUTER_PUBLIC_KEY = '${ROUTER_PUBLIC_KEY:-}';
    const problems = checkComposeSemantics(broken, platform).join('\n');
    expect(problems).toMatch(/service "redis" must run with --requirepass/);
    expect(problems).toMatch(/service "cart": REDIS_URL must carry the password/);
    expect(problems).toMatch(/service "grafana": GF_SECURITY_ADMIN_PASSWORD must be \$\{GRAFANA_ADMIN_PASSWORD:\?/);
    expect(problems).toMatch(/service "router": ROUTER_SIGNING_KEY must be \$\{ROUTER_SIGNING_KEY:\?/);
    expect(problems).toMatch(/service "cart": ROUTER_PUBLIC_KEY must be \$\{ROUTER_PUBLIC_KEY:\?/);
  });

  it('gives the signing key to the router only, the public key to every subgraph, and the old shared secret to nobody (finding 5)', () => {
    for (const sg of platform.subgraphs) {
      const env = compose.services[sg.name].environment;
      expect(env.ROUTER_PUBLIC_KEY, sg.name).toMatch(/^\$\{ROUTER_PUBLIC_KEY:\?/);
      expect(env.ROUTER_SIGNING_KEY, sg.name).toBeUndefined();
      expect(env.ROUTER_SECRET, sg.name).toBeUndefined();
    }
    expect(compose.services.router.environment.ROUTER_SIGNING_KEY).toMatch(/^\$\{ROUTER_SIGNING_KEY:\?/);
    const broken = clone(compose);
    broken.services.payments.environment.ROUTER_SIGNING_KEY = '${ROUTER_SIGNING_KEY:?x}';
    broken.services.orders.environment.ROUTER_SECRET = '${ROUTER_SECRET:?x}';
    delete broken.services.catalog.environment.ROUTER_PUBLIC_KEY;
    delete broken.services.router.environment.ROUTER_SIGNING_KEY;
    const problems = checkComposeSemantics(broken, platform).join('\n');
    expect(problems).toMatch(/service "payments": only the router may hold ROUTER_SIGNING_KEY/);
    expect(problems).toMatch(/service "orders": sets ROUTER_SECRET, which nothing reads any more/);
    expect(problems).toMatch(/service "catalog" does not set ROUTER_PUBLIC_KEY/);
    expect(problems).toMatch(/service "router" does not set ROUTER_SIGNING_KEY/);
  });

  it('rejects a router that does not know a subgraph address', () => {
    const broken = clone(compose);
    delete broken.services.router.environment.PAYMENTS_URL;
    expect(checkComposeSemantics(broken, platform).join('\n')).toMatch(/router" must set PAYMENTS_URL=http:\/\/payments:4006\/graphql/);
  });

  it('gives customers its production variables, the OAuth secrets from the environment, and the router the same OAUTH_ISSUER', () => {
    const required = requiredComposeVariables(compose);
    expect([...required]).toEqual(expect.arrayContaining(['OAUTH_COOKIE_KEYS', 'JWT_KEYRING_SECRET']));
    const customers = compose.services.customers.environment;
    expect(customers.OAUTH_ISSUER).toBe(compose.services.router.environment.OAUTH_ISSUER);
    expect(customers.OAUTH_ISSUER).toMatch(/^\$\{OAUTH_ISSUER:-http:\/\/localhost:4002\/oauth\}$/);

    const broken = clone(compose);
    delete broken.services.customers.environment.JWT_KEYRING_SECRET;
    broken.services.customers.environment.OAUTH_COOKIE_KEYS = '${OAUTH_COOKIE_KEYS:-development-only-cookie-key-0123456789}';
    broken.services.router.environment.OAUTH_ISSUER = 'http://127.0.0.1:4002/oauth';
    let problems = checkComposeSemantics(broken, platform).join('\n');
    expect(problems).toMatch(/service "customers" does not set JWT_KEYRING_SECRET \(absent\): it refuses to start in production without it/);
    expect(problems).toMatch(/service "customers": OAUTH_COOKIE_KEYS must be \$\{OAUTH_COOKIE_KEYS:\?…\} \(a secret/);
    expect(problems).toMatch(/services "customers" \(\$\{OAUTH_ISSUER:-http:\/\/localhost:4002\/oauth\}\) and "router" \(http:\/\/127\.0\.0\.1:4002\/oauth\) disagree on OAUTH_ISSUER/);

    const unset = clone(compose);
    unset.services.customers.environment.OAUTH_ISSUER = '${OAUTH_ISSUER:-}';
    delete unset.services.router.environment.OAUTH_ISSUER;
    problems = checkComposeSemantics(unset, platform).join('\n');
    expect(problems).toMatch(/service "customers" does not set OAUTH_ISSUER \(empty unless the environment sets it\)/);
    expect(problems).toMatch(/service "router" does not set OAUTH_ISSUER: it must equal that of customers/);
  });

  it('lets customers publish its own port only (the OAuth provider), and no other subgraph any', () => {
    expect(compose.services.customers.ports).toEqual(['127.0.0.1:4002:4002']);
    const broken = clone(compose);
    broken.services.customers.ports = ['127.0.0.1:4002:4002', { target: 9229, published: '9229' }];
    broken.services.orders.ports = ['127.0.0.1:4003:4003'];
    const problems = checkComposeSemantics(broken, platform);
    expect(problems).toContain('docker-compose.yml: subgraph "customers" publishes container port 9229: only its own port 4002 may be (for /oauth)');
    expect(problems).toContain('docker-compose.yml: subgraph "orders" publishes a host port: only the router is public');
    expect(problems.join('\n')).not.toMatch(/container port 4002/);
  });
});

describe('Kubernetes manifests', () => {
  it('validates objects against the Kubernetes schemas', async () => {
    const d = clone(find(k8sManifests(), 'Deployment', 'catalog'));
    d.obj.spec.template.spec.containers[0].ports[0].containerPort = 'http';
    d.obj.spec.replicas = 'two';
    const problems = (await validateK8sSchema(d)).join('\n');
    expect(problems).toMatch(/containerPort must be integer/);
    expect(problems).toMatch(/replicas must be integer/);
    expect(await validateK8sSchema({ file: 'x.yaml', obj: { apiVersion: 'apps/v1', kind: 'Deploymnet', metadata: { name: 'x' } } })).toEqual([
      'x.yaml: Deploymnet/x: unknown apiVersion/kind apps/v1 Deploymnet (no schema to check it against)',
    ]);
    const mdb = clone(find(k8sManifests(), 'MongoDBCommunity', 'mongo-orders'));
    mdb.obj.spec.members = 1;
    expect((await validateK8sSchema(mdb)).join('\n')).toMatch(/members must be at least 3/);
  });

  it('rejects a Deployment without probes, resources or a non-root context', () => {
    const d = clone(find(k8sManifests(), 'Deployment', 'orders'));
    const c = d.obj.spec.template.spec.containers[0];
    delete c.readinessProbe;
    c.livenessProbe.httpGet.path = '/health';
    delete c.resources.limits.memory;
    delete d.obj.spec.template.spec.securityContext.runAsNonRoot;
    delete c.securityContext.runAsNonRoot;
    const problems = checkDeploymentPolicy(d).join('\n');
    expect(problems).toMatch(/no readinessProbe \(expected httpGet \/health\/ready\)/);
    expect(problems).toMatch(/livenessProbe must be httpGet \/health\/live \(found \/health\)/);
    expect(problems).toMatch(/resources\.limits\.memory is not set/);
    expect(problems).toMatch(/runAsNonRoot must be true/);
    expect(checkDeploymentPolicy(find(k8sManifests(), 'Deployment', 'orders'))).toEqual([]);
  });

  it('rejects a NetworkPolicy that opens the subgraphs beyond the router', () => {
    const ms = k8sManifests().map(clone);
    const policy = find(ms, 'NetworkPolicy', 'subgraphs-from-router');
    policy.obj.spec.ingress[0].from.push({ namespaceSelector: {} });
    const open = find(ms, 'NetworkPolicy', 'cart-from-orders');
    open.obj.spec.ingress.push({ ports: [{ port: 4005 }] });
    const problems = checkPlatformManifests(ms, platform).join('\n');
    expect(problems).toMatch(/subgraphs-from-router: lets namespaces \{\} reach subgraph catalog; only the router/);
    expect(problems).toMatch(/cart-from-orders: an ingress rule without "from" lets anyone reach cart/);
  });

  it('rejects a subgraph port outside the NetworkPolicies\' port ranges', () => {
    const ms = k8sManifests().map(clone);
    expect(checkPlatformManifests(ms, platform)).toEqual([]);
    // the ranges as they were before analytics (4009) and recommendations (4010)
    find(ms, 'NetworkPolicy', 'subgraphs-from-router').obj.spec.ingress[0].ports[0].endPort = 4008;
    find(ms, 'NetworkPolicy', 'metrics-from-scraper').obj.spec.ingress[0].ports[0].endPort = 4008;
    const outside = platform.subgraphs.filter((s) => s.port > 4008);
    expect(outside.map((s) => s.name)).toEqual(expect.arrayContaining(['analytics', 'recommendations']));
    expect(checkPlatformManifests(ms, platform)).toEqual(
      outside.flatMap((s) => [
        `deploy/k8s: no NetworkPolicy lets the router pods reach subgraph ${s.name} on its port ${s.port} (the rules allow 4001–4008): widen the port range`,
        `deploy/k8s: no NetworkPolicy lets the metrics scraper reach subgraph ${s.name} on its port ${s.port} (the rules allow 4000–4008): widen the port range`,
      ]),
    );
  });

  it('checks the next subgraph\'s port against the NetworkPolicies even before it has a Deployment', () => {
    const ms = k8sManifests();
    const last = Math.max(...platform.subgraphs.map((s) => s.port));
    const end = find(ms, 'NetworkPolicy', 'subgraphs-from-router').obj.spec.ingress[0].ports[0].endPort;
    const next: PlatformSpec = { ...platform, subgraphs: [...platform.subgraphs, { name: 'loyalty', port: last + 1 }] };
    const problems = checkPlatformManifests(ms, next);
    expect(problems).toContain('deploy/k8s: no Deployment for loyalty');
    expect(problems).toContain(`deploy/k8s: no NetworkPolicy lets the router pods reach subgraph loyalty on its port ${last + 1} (the rules allow 4001–${end}): widen the port range`);
    expect(problems).toContain(`deploy/k8s: no NetworkPolicy lets the metrics scraper reach subgraph loyalty on its port ${last + 1} (the rules allow 4000–${end}): widen the port range`);
  });

  it('reads NetworkPolicy port entries: ranges, single and named ports, protocols, no ports', () => {
    const named = new Map([['http', 4009]]);
    expect(ruleAdmitsPort({ ports: [{ protocol: 'TCP', port: 4001, endPort: 4010 }] }, 4010)).toBe(true);
    expect(ruleAdmitsPort({ ports: [{ protocol: 'TCP', port: 4001, endPort: 4010 }] }, 4011)).toBe(false);
    expect(ruleAdmitsPort({ ports: [{ port: 4005 }] }, 4005)).toBe(true);
    expect(ruleAdmitsPort({ ports: [{ port: 4005 }] }, 4006)).toBe(false);
    expect(ruleAdmitsPort({ ports: [{ protocol: 'UDP', port: 4005 }] }, 4005)).toBe(false);
    expect(ruleAdmitsPort({ ports: [{ port: 'http' }] }, 4009, named)).toBe(true);
    expect(ruleAdmitsPort({ ports: [{ port: 'http' }] }, 4010, named)).toBe(false);
    expect(ruleAdmitsPort({ ports: [{ protocol: 'TCP' }] }, 4010)).toBe(true);
    expect(ruleAdmitsPort({ from: [] }, 4010)).toBe(true);
  });

  it('rejects a missing HPA, PDB or Deployment, a shared database and a committed secret', () => {
    const ms = k8sManifests()
      .map(clone)
      .filter((m) => !(m.obj.kind === 'HorizontalPodAutoscaler' && m.obj.metadata.name === 'inventory'))
      .filter((m) => !(m.obj.kind === 'PodDisruptionBudget' && m.obj.metadata.name === 'payments'))
      .filter((m) => !(m.obj.kind === 'Deployment' && m.obj.metadata.name === 'reviews'));
    const cart = find(ms, 'Deployment', 'cart').obj.spec.template.spec.containers[0];
    cart.env.find((e: any) => e.name === 'CART_MONGO_URL').valueFrom.secretKeyRef.name = 'mongo-orders-connection';
    find(ms, 'Secret', 'commerce-secrets').obj.stringData.ROUTER_SIGNING_KEY = '-----BEGIN PRIVATE KEY-----a-real-looking-key';
    const problems = checkPlatformManifests(ms, platform).join('\n');
    expect(problems).toMatch(/Deployment\/inventory: needs a HorizontalPodAutoscaler/);
    expect(problems).toMatch(/Deployment\/payments: no PodDisruptionBudget selects its pods/);
    expect(problems).toMatch(/no Deployment for reviews/);
    expect(problems).toMatch(/Deployment\/cart: shares its MongoDB \(Secret mongo-orders-connection\) with orders/);
    expect(problems).toMatch(/key ROUTER_SIGNING_KEY holds a value, not a REPLACE_ME placeholder/);
  });

  it('gives ROUTER_SIGNING_KEY to the router\'s Deployment only and ROUTER_PUBLIC_KEY to every subgraph\'s (finding 5)', () => {
    const ms = k8sManifests().map(clone);
    expect(checkPlatformManifests(ms, platform).join('\n')).not.toMatch(/ROUTER_(SIGNING|PUBLIC)_KEY|ROUTER_SECRET/);
    const envOf = (name: string) => find(ms, 'Deployment', name).obj.spec.template.spec.containers[0].env as Array<{ name: string; valueFrom?: any }>;
    const payments = envOf('payments');
    payments.push({ name: 'ROUTER_SIGNING_KEY', valueFrom: { secretKeyRef: { name: 'commerce-secrets', key: 'ROUTER_SIGNING_KEY' } } });
    const catalog = envOf('catalog');
    catalog.splice(catalog.findIndex((e) => e.name === 'ROUTER_PUBLIC_KEY'), 1);
    const router = envOf('router');
    router.splice(router.findIndex((e) => e.name === 'ROUTER_SIGNING_KEY'), 1);
    const problems = checkPlatformManifests(ms, platform).join('\n');
    expect(problems).toMatch(/Deployment\/payments: holds ROUTER_SIGNING_KEY; only the router may/);
    expect(problems).toMatch(/Deployment\/catalog: ROUTER_PUBLIC_KEY is not set/);
    expect(problems).toMatch(/Deployment\/router: ROUTER_SIGNING_KEY is not set/);
  });

  it('gives customers OAUTH_COOKIE_KEYS and JWT_KEYRING_SECRET from a Secret, and the router its OAUTH_ISSUER', () => {
    const ms = k8sManifests().map(clone);
    expect(checkPlatformManifests(ms, platform).join('\n')).not.toMatch(/OAUTH_|JWT_KEYRING/);
    const envOf = (name: string) => find(ms, 'Deployment', name).obj.spec.template.spec.containers[0].env as Array<{ name: string; value?: string; valueFrom?: any }>;
    const customers = envOf('customers');
    customers.splice(customers.findIndex((e) => e.name === 'OAUTH_COOKIE_KEYS'), 1);
    customers[customers.findIndex((e) => e.name === 'JWT_KEYRING_SECRET')] = { name: 'JWT_KEYRING_SECRET', value: 'a-literal-key-ring-secret-0123456789abcdef' };
    const router = envOf('router');
    router[router.findIndex((e) => e.name === 'OAUTH_ISSUER')] = { name: 'OAUTH_ISSUER', value: 'https://api.commerce.example/oauth/v2' };
    let problems = checkPlatformManifests(ms, platform).join('\n');
    expect(problems).toMatch(/Deployment\/customers: OAUTH_COOKIE_KEYS is not set: the service refuses to start in production without it/);
    expect(problems).toMatch(/Deployment\/customers: JWT_KEYRING_SECRET is a secret: it must come from a Secret \(secretKeyRef\), not a literal value/);
    expect(problems).toMatch(/customers \(https:\/\/api\.commerce\.example\/oauth\) and router \(https:\/\/api\.commerce\.example\/oauth\/v2\) disagree on OAUTH_ISSUER/);

    router.splice(router.findIndex((e) => e.name === 'OAUTH_ISSUER'), 1);
    customers[customers.findIndex((e) => e.name === 'OAUTH_ISSUER')]!.valueFrom.configMapKeyRef.key = 'OAUTH_ISSUR';
    problems = checkPlatformManifests(ms, platform).join('\n');
    expect(problems).toMatch(/Deployment\/router: OAUTH_ISSUER is not set: it must equal that of customers/);
    expect(problems).toMatch(/Deployment\/customers: env OAUTH_ISSUER reads key OAUTH_ISSUR that ConfigMap\/oauth-config does not have/);
  });

  it('routes /oauth, and nothing else, to customers; the ingress controller reaches it', () => {
    const ms = k8sManifests().map(clone);
    const ingresses = () => ms.filter((m) => m.obj.kind === 'Ingress');
    expect(checkIngresses(ingresses(), platform, 'https://api.commerce.example/oauth')).toEqual([]);
    expect(checkIngresses(ingresses(), platform, 'https://login.commerce.example/oauth')).toEqual([
      "deploy/k8s: customers' OAUTH_ISSUER https://login.commerce.example/oauth is not served by an Ingress (no rule for host login.commerce.example routes /oauth to customers): clients could not reach the issuer",
    ]);
    const paths = find(ms, 'Ingress', 'router').obj.spec.rules[0].http.paths as any[];
    const oauth = paths.find((p) => p.backend.service.name === 'customers');
    paths.push({ ...clone(oauth), path: '/metrics' }, { ...clone(oauth), path: '/oauth', backend: { service: { name: 'catalog', port: { name: 'http' } } } });
    let problems = checkIngresses(ingresses(), platform).join('\n');
    expect(problems).toMatch(/Ingress\/router: routes \/metrics to subgraph customers: only the router is public, and customers for \/oauth/);
    expect(problems).toMatch(/Ingress\/router: routes \/oauth to subgraph catalog: only the router is public \(/);
    paths.splice(0, paths.length, paths[0]);
    problems = checkPlatformManifests(ms, platform).join('\n');
    expect(problems).toMatch(/no Ingress routes \/oauth to customers: browsers and partners cannot reach it/);
    expect(problems).toMatch(/OAUTH_ISSUER https:\/\/api\.commerce\.example\/oauth is not served by an Ingress/);

    const policies = k8sManifests().map(clone);
    const open = find(policies, 'NetworkPolicy', 'customers-from-ingress-controller');
    open.obj.spec.ingress[0].from.push({ ipBlock: { cidr: '0.0.0.0/0' } });
    expect(checkPlatformManifests(policies, platform).join('\n')).toMatch(/customers-from-ingress-controller: lets ipBlock 0\.0\.0\.0\/0 reach subgraph customers; only the router, the ingress controller/);
    const without = k8sManifests().filter((m) => !(m.obj.kind === 'NetworkPolicy' && m.obj.metadata.name === 'customers-from-ingress-controller'));
    expect(checkPlatformManifests(without, platform)).toEqual(['deploy/k8s: no NetworkPolicy lets an ingress controller reach subgraph customers (its public paths /oauth)']);
  });

  it('routes exactly /webhooks/stripe (Exact), and nothing else, to payments; the ingress controller reaches it (finding 1)', () => {
    const ms = k8sManifests().map(clone);
    const ingresses = () => ms.filter((m) => m.obj.kind === 'Ingress');
    const paths = find(ms, 'Ingress', 'router').obj.spec.rules[0].http.paths as any[];
    const webhook = paths.find((p) => p.backend.service.name === 'payments');
    expect(webhook).toEqual({ path: '/webhooks/stripe', pathType: 'Exact', backend: { service: { name: 'payments', port: { name: 'http' } } } });
    expect(checkIngresses(ingresses(), platform)).toEqual([]);

    webhook.pathType = 'Prefix';
    paths.push({ ...clone(webhook), path: '/webhooks', pathType: 'Prefix' }, { ...clone(webhook), path: '/graphql', pathType: 'Exact' });
    let problems = checkIngresses(ingresses(), platform);
    expect(problems).toContain('deploy/k8s/ingress.yaml: Ingress/router: /webhooks/stripe to payments must be pathType Exact (found Prefix): nothing under it is public');
    expect(problems.join('\n')).toMatch(/Ingress\/router: routes \/webhooks to subgraph payments: only the router is public, and payments for \/webhooks\/stripe/);
    expect(problems.join('\n')).toMatch(/Ingress\/router: routes \/graphql to subgraph payments: only the router is public/);

    paths.splice(paths.indexOf(webhook), 1);
    problems = checkPlatformManifests(ms, platform);
    expect(problems).toContain("deploy/k8s: no Ingress routes /webhooks/stripe to payments: Stripe's webhooks cannot reach it");

    const policies = k8sManifests().map(clone);
    find(policies, 'NetworkPolicy', 'payments-from-ingress-controller').obj.spec.ingress[0].from.push({ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'catalog' } } });
    expect(checkPlatformManifests(policies, platform).join('\n')).toMatch(/payments-from-ingress-controller: lets pods \{"app\.kubernetes\.io\/name":"catalog"\} reach subgraph payments; only the router, the ingress controller \(its namespace by label, for \/webhooks\/stripe\)/);
    const without = k8sManifests().filter((m) => !(m.obj.kind === 'NetworkPolicy' && m.obj.metadata.name === 'payments-from-ingress-controller'));
    expect(checkPlatformManifests(without, platform)).toEqual(['deploy/k8s: no NetworkPolicy lets an ingress controller reach subgraph payments (its public paths /webhooks/stripe)']);
  });

  it('deploys payments with Stripe, its key and webhook secret from commerce-secrets, and never the test provider (finding 1)', () => {
    const ms = k8sManifests().map(clone);
    expect(checkPlatformManifests(ms, platform).join('\n')).not.toMatch(/PAYMENTS_|STRIPE_/);
    const env = find(ms, 'Deployment', 'payments').obj.spec.template.spec.containers[0].env as Array<{ name: string; value?: string; valueFrom?: any }>;
    const at = (name: string) => env.findIndex((e) => e.name === name);
    expect(env[at('PAYMENTS_PROVIDER')]).toEqual({ name: 'PAYMENTS_PROVIDER', value: 'stripe' });
    for (const key of ['STRIPE_API_KEY', 'STRIPE_WEBHOOK_SECRET']) {
      expect(env[at(key)]!.valueFrom).toEqual({ secretKeyRef: { name: 'commerce-secrets', key } });
      expect(find(ms, 'Secret', 'commerce-secrets').obj.stringData[key]).toBe('REPLACE_ME');
    }
    const where = 'deploy/k8s/services/payments.yaml: Deployment/payments';

    // the staging switch, on the Deployment or through the shared ConfigMap
    env.push({ name: 'PAYMENTS_ALLOW_TEST_PROVIDER', value: 'true' });
    expect(checkPlatformManifests(ms, platform).join('\n')).toMatch(/Deployment\/payments: sets PAYMENTS_ALLOW_TEST_PROVIDER=true: the test provider confirms payments without taking money/);
    env.pop();
    const viaConfig = k8sManifests().map(clone);
    find(viaConfig, 'ConfigMap', 'subgraph-config').obj.data.PAYMENTS_ALLOW_TEST_PROVIDER = 'true';
    expect(checkPlatformManifests(viaConfig, platform).join('\n')).toMatch(/Deployment\/payments: sets PAYMENTS_ALLOW_TEST_PROVIDER=true/);

    // the test provider, named or by default
    env[at('PAYMENTS_PROVIDER')]!.value = 'test';
    expect(checkPlatformManifests(ms, platform)).toContain(
      `${where}: PAYMENTS_PROVIDER is test: deploy/k8s must run a real provider (stripe); the test provider moves no money and production refuses it without PAYMENTS_ALLOW_TEST_PROVIDER`,
    );
    env.splice(at('PAYMENTS_PROVIDER'), 1);
    expect(checkPlatformManifests(ms, platform).join('\n')).toMatch(/Deployment\/payments: PAYMENTS_PROVIDER is test \(the default\): deploy\/k8s must run a real provider/);

    // Stripe's secrets: from a Secret, never a literal or a ConfigMap, and never missing
    env.push({ name: 'PAYMENTS_PROVIDER', value: 'stripe' });
    env[at('STRIPE_API_KEY')] = { name: 'STRIPE_API_KEY', value: 'rk_live_literal' };
    env[at('STRIPE_WEBHOOK_SECRET')] = { name: 'STRIPE_WEBHOOK_SECRET', valueFrom: { configMapKeyRef: { name: 'subgraph-config', key: 'STRIPE_WEBHOOK_SECRET', optional: true } } };
    let problems = checkPlatformManifests(ms, platform);
    expect(problems).toContain(`${where}: STRIPE_API_KEY is a secret: it must come from a Secret (secretKeyRef), not a literal value`);
    expect(problems).toContain(`${where}: STRIPE_WEBHOOK_SECRET is a secret: it must come from a Secret (secretKeyRef), not a ConfigMap`);
    env.splice(at('STRIPE_WEBHOOK_SECRET'), 1);
    env.push({ name: 'STRIPE_API_BASE', value: 'http://stripe-stub:12111' });
    problems = checkPlatformManifests(ms, platform);
    expect(problems).toContain(`${where}: STRIPE_WEBHOOK_SECRET is not set: payments refuses to start with PAYMENTS_PROVIDER=stripe without it`);
    expect(problems.join('\n')).toMatch(/STRIPE_API_BASE http:\/\/stripe-stub:12111 is not https/);
  });

  describe('kustomizations', () => {
    let dir: string;
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'k8s-'));
      cpSync(join(ROOT, 'deploy/k8s'), dir, { recursive: true });
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('must list every manifest of their folder, and only existing ones', async () => {
      expect(checkKustomization(dir)).toEqual([]);
      writeFileSync(join(dir, 'services', 'extra.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\n');
      const k = readFileSync(join(dir, 'kustomization.yaml'), 'utf8');
      writeFileSync(join(dir, 'kustomization.yaml'), k.replace('  - ingress.yaml\n', '  - ingres.yaml\n'));
      const problems = checkKustomization(dir, 'k8s');
      expect(problems).toContain('k8s/kustomization.yaml: does not list services/extra.yaml');
      expect(problems).toContain('k8s/kustomization.yaml: lists ingres.yaml, which does not exist');
      expect(problems).toContain('k8s/kustomization.yaml: does not list ingress.yaml');
      // and the whole-tree check reports them too, with the missing router Ingress
      expect((await checkKubernetes(dir, platform, 'k8s')).join('\n')).toMatch(/no Ingress routes to the router Service/);
    });
  });
});

describe('dashboards and the image', () => {
  it('reads metric names out of PromQL', () => {
    expect(metricsInExpr('histogram_quantile(0.95, sum by (le, service) (rate(http_request_duration_seconds_bucket{service=~"$service"}[$__rate_interval])))')).toEqual([
      'http_request_duration_seconds_bucket',
    ]);
    expect(metricsInExpr('sum(rate(a_total{x="y"}[5m])) / clamp_min(sum(rate(b_total[5m])), 1e-9)')).toEqual(['a_total', 'b_total']);
  });

  it('rejects a panel that queries a metric no code defines', () => {
    const dashboard = JSON.parse(readFileSync(join(ROOT, 'deploy/grafana/dashboards/commerce.json'), 'utf8'));
    const defined = metricsDefinedInCode();
    expect(defined.has('graphql_errors_total')).toBe(true);
    expect(checkDashboard(dashboard, defined, 'prometheus').problems).toEqual([]);
    const panel = dashboard.panels.find((p: any) => p.title === 'GraphQL errors / s by code');
    panel.targets[0].expr = 'sum by (code) (rate(graphql_error_total[5m]))';
    panel.datasource.uid = 'other';
    const problems = checkDashboard(dashboard, defined, 'prometheus', 'commerce.json').problems.join('\n');
    expect(problems).toMatch(/queries graphql_error_total, which no code defines/);
    expect(problems).toMatch(/datasource uid must be "prometheus"/);
  });

  it('rejects an image that does not expose every service\'s port', () => {
    const dockerfile = readFileSync(join(ROOT, 'deploy/Dockerfile'), 'utf8');
    const exposed = exposedPorts(dockerfile);
    for (const s of [platform.router, ...platform.subgraphs]) expect(exposed.ports.has(s.port), `${s.name}:${s.port}`).toBe(true);
    expect(exposed.unreadable).toEqual([]);
    // the range as it was before analytics (4009) and recommendations (4010)
    const narrow = dockerfile.replace(/^EXPOSE .*$/m, 'EXPOSE 4000-4008');
    const outside = platform.subgraphs.filter((s) => s.port > 4008);
    expect(outside.map((s) => s.name)).toEqual(expect.arrayContaining(['analytics', 'recommendations']));
    expect(checkDockerfile(narrow, 'deploy/Dockerfile', platform)).toEqual(
      outside.map((s) => `deploy/Dockerfile: the final stage does not EXPOSE ${s.name}'s port ${s.port}: widen the EXPOSE range`),
    );
    // single ports, several per line and /tcp are read; a variable is reported rather than guessed
    const ports = platform.subgraphs.map((s) => s.port).join(' ');
    expect(checkDockerfile(dockerfile.replace(/^EXPOSE .*$/m, `EXPOSE 4000/tcp ${ports}`), 'deploy/Dockerfile', platform)).toEqual([]);
    expect(checkDockerfile(dockerfile.replace(/^EXPOSE .*$/m, 'EXPOSE 4000-${LAST_PORT}'), 'deploy/Dockerfile', platform)).toContain(
      'deploy/Dockerfile: EXPOSE 4000-${LAST_PORT} is not a port or a port range this check can read',
    );
    // the next subgraph past the range
    const last = Math.max(...platform.subgraphs.map((s) => s.port));
    const next: PlatformSpec = { ...platform, subgraphs: [...platform.subgraphs, { name: 'loyalty', port: last + 1 }] };
    expect(checkDockerfile(dockerfile, 'deploy/Dockerfile', next)).toEqual([`deploy/Dockerfile: the final stage does not EXPOSE loyalty's port ${last + 1}: widen the EXPOSE range`]);
  });

  it('rejects an image that runs as root or has no healthcheck', () => {
    const dockerfile = readFileSync(join(ROOT, 'deploy/Dockerfile'), 'utf8');
    expect(checkDockerfile(dockerfile)).toEqual([]);
    const broken = dockerfile.replace(/^USER .*$/m, '').replace(/^HEALTHCHECK .*$/m, '');
    expect(checkDockerfile(broken)).toEqual([
      'deploy/Dockerfile: the final stage sets no USER (it would run as root)',
      'deploy/Dockerfile: no HEALTHCHECK',
    ]);
    expect(checkDockerfile(dockerfile.replace(/^USER .*$/m, 'USER node'))).toEqual([
      "deploy/Dockerfile: USER node is not numeric: Kubernetes' runAsNonRoot cannot verify a user name",
    ]);
  });
});
