import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { Db } from 'mongodb';
import {
  declaresDurable,
  natsAuthorizationConf,
  natsConnectionOptions,
  natsPermissions,
  NATS_PASSWORD_PATTERN,
  NATS_USERS,
  SERVICE_EVENTS,
  serviceDurables,
  startConsumer,
  type EventBus,
} from '@commerce/events';
import { CustomerRegistered, EventDeadLettered, PaymentAuthorized, PaymentRequested } from '@commerce/events/contracts';
import { ConfigError, loadServiceConfig } from '@commerce/platform';
import { checkComposeNats, checkGeneratedFiles, checkKubernetesNats, checkNatsConfig, checkTable, GENERATED, HELM_VALUES, renderUsersConf, USERS_CONF } from '../../scripts/nats-config.ts';
import { listSubgraphs, ROOT } from '../../scripts/lib/subgraphs.ts';

/** NATS users and permissions per service (security review finding 2): the table, what is generated from it, the wiring. */

const subgraphs = listSubgraphs().map((s) => s.name);
const compose = parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as Record<string, any>;
const temp: string[] = [];
afterAll(() => temp.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('the permissions derived from SERVICE_EVENTS', () => {
  it('let a service publish its own events only (and dead-letter notices when it consumes)', () => {
    const orders = natsPermissions('orders').publish.allow;
    expect(orders).toContain(PaymentRequested.subject);
    expect(orders).not.toContain(PaymentAuthorized.subject);
    expect(orders.filter((s) => s.startsWith('commerce.'))).toEqual([...SERVICE_EVENTS.orders.publishes.map((c) => c.subject), EventDeadLettered.subject]);
    expect(natsPermissions('payments').publish.allow).toContain(PaymentAuthorized.subject);
    // customers consumes nothing: it parks nothing, so it announces nothing
    expect(natsPermissions('customers').publish.allow.filter((s) => s.startsWith('commerce.'))).toEqual([CustomerRegistered.subject]);
    // no wildcard on event subjects, for anyone
    for (const s of subgraphs) expect(natsPermissions(s as keyof typeof SERVICE_EVENTS).publish.allow.filter((x) => x.startsWith('commerce.') && /[*>]/.test(x))).toEqual([]);
  });

  it('create consumers only with the filters a service consumes: its durables by name, its followed subjects', () => {
    const p = natsPermissions('payments', { dbNames: { payments: 'commerce_payments' } }).publish.allow;
    const creates = p.filter((s) => s.startsWith('$JS.API.CONSUMER.CREATE.'));
    expect(creates).toContain('$JS.API.CONSUMER.CREATE.COMMERCE.commerce_payments_payments-authorizations--orders-payment-requested-v2.commerce.orders.payment-requested.v2');
    expect(creates.every((s) => !s.includes('.*.'))).toBe(true); // payments follows nothing: no ordered consumers
    expect(p).not.toContain('$JS.API.CONSUMER.MSG.NEXT.COMMERCE.*');
    const catalog = natsPermissions('catalog');
    expect(catalog.publish.allow).toContain('$JS.API.CONSUMER.CREATE.COMMERCE.*.commerce.catalog.>');
    expect(catalog.publish.allow).toContain('$JS.API.CONSUMER.MSG.NEXT.COMMERCE.*');
    // …and every other service's durable is denied to it by name, its own never
    for (const { durable } of serviceDurables('payments')) expect(catalog.publish.deny).toContain(`$JS.API.CONSUMER.MSG.NEXT.COMMERCE.${durable}`);
    for (const { durable } of serviceDurables('catalog')) expect(catalog.publish.deny.some((d) => d.includes(durable))).toBe(false);
  });

  it('deny stream administration to every service; only analytics erases messages', () => {
    for (const s of subgraphs) {
      const p = natsPermissions(s as keyof typeof SERVICE_EVENTS);
      expect(p.publish.deny).toEqual(expect.arrayContaining(['$JS.API.STREAM.UPDATE.>', '$JS.API.STREAM.DELETE.>', '$JS.API.STREAM.PURGE.>']));
      expect(p.publish.allow.includes('$JS.API.STREAM.MSG.DELETE.COMMERCE')).toBe(s === 'analytics');
      expect(p.subscribe.allow).toEqual([`_INBOX.${s}.>`]);
    }
  });

  it('follow a namespace: its stream and prefixed subjects', () => {
    const p = natsPermissions('orders', { namespace: 'ci' }).publish.allow;
    expect(p).toContain('ci.commerce.orders.order-placed.v1');
    expect(p).toContain('$JS.API.STREAM.CREATE.COMMERCE_CI');
    expect(p.some((s) => s.startsWith('commerce.'))).toBe(false);
  });

  it('startConsumer refuses a durable its service does not declare (before any I/O)', async () => {
    expect(declaresDurable('payments', 'payments-authorizations', PaymentRequested)).toBe(true);
    expect(declaresDurable('payments', 'payments-authorizations', CustomerRegistered)).toBe(false);
    // nothing of the bus or the database is touched before the check: these stand for a real bus and database
    const bus = { service: 'payments' } as EventBus;
    const db = { databaseName: 'commerce_payments' } as Db;
    await expect(startConsumer({ bus, db, logger: {} as never, name: 'payments-peek', contract: CustomerRegistered, handle: async () => undefined })).rejects.toThrow(
      /payments-peek of commerce\.customers\.customer-registered\.v1 is not declared for payments/,
    );
  });
});

describe('the generated files and the wiring (npm run nats:config:check, part of deploy:check)', () => {
  it('are current and complete for the committed repository', () => {
    expect(checkNatsConfig()).toEqual([]);
    expect(readFileSync(join(ROOT, USERS_CONF), 'utf8')).toContain(natsAuthorizationConf());
    // every user of the Helm values reads its password from the Secret nats-users
    const values = parse(readFileSync(join(ROOT, HELM_VALUES), 'utf8').replace(/^#.*$/gm, ''));
    expect(values.config.merge.authorization.users.map((u: { user: string }) => u.user)).toEqual([...NATS_USERS]);
    expect(Object.keys(values.container.env)).toHaveLength(NATS_USERS.length);
  });

  it('notice a stale or missing generated file', () => {
    const root = mkdtempSync(join(tmpdir(), 'nats-config-'));
    temp.push(root);
    mkdirSync(join(root, 'deploy', 'nats'), { recursive: true });
    writeFileSync(join(root, USERS_CONF), renderUsersConf().replace('"commerce.orders.order-placed.v1"', '"commerce.>"'));
    expect(checkGeneratedFiles(root)).toEqual([
      `${USERS_CONF}: stale — run \`npm run nats:config\` and commit the result`,
      `${HELM_VALUES}: stale — run \`npm run nats:config\` and commit the result`,
    ]);
    expect(GENERATED.map((g) => g.file)).toEqual([USERS_CONF, HELM_VALUES]);
  });

  it('notice compose without users: nats without its config, a service without its user or a password with a default', () => {
    const c = structuredClone(compose);
    c.services.nats.command = ['-js', '-sd', '/data'];
    delete c.services.orders.environment.NATS_USER;
    c.services.payments.environment.NATS_PASSWORD = '${NATS_PAYMENTS_PASSWORD:-changeme}';
    delete c.services.nats.environment.NATS_ADMIN_PASSWORD;
    expect(checkComposeNats(c, subgraphs)).toEqual([
      'docker-compose.yml: service "nats" must run with -c <the config that includes users.conf> (no user-less NATS)',
      'docker-compose.yml: service "nats" must get NATS_ADMIN_PASSWORD: ${NATS_ADMIN_PASSWORD:?…} (the password of NATS user admin, from the environment, no default)',
      'docker-compose.yml: service "orders" must set NATS_USER: orders (its own NATS user)',
      'docker-compose.yml: service "payments" must set NATS_PASSWORD: ${NATS_PAYMENTS_PASSWORD:?…}',
    ]);
  });

  it('notice a Deployment without its NATS user and a Secret without a user’s key', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nats-k8s-'));
    temp.push(dir);
    cpSync(join(ROOT, 'deploy', 'k8s'), dir, { recursive: true });
    const orders = join(dir, 'services', 'orders.yaml');
    writeFileSync(orders, readFileSync(orders, 'utf8').replace(/key: orders\n/, 'key: payments\n'));
    const secrets = join(dir, 'secrets.yaml');
    writeFileSync(secrets, readFileSync(secrets, 'utf8').replace(/^ {2}recommendations: REPLACE_ME\n/m, ''));
    expect(checkKubernetesNats(dir, subgraphs)).toEqual([
      'deploy/k8s/services/orders.yaml: env NATS_PASSWORD must come from Secret nats-users, key orders',
      `deploy/k8s/secrets.yaml: Secret nats-users must have exactly the keys ${[...NATS_USERS].sort().join(', ')} (found ${[...NATS_USERS].filter((u) => u !== 'recommendations').sort().join(', ')})`,
    ]);
  });

  it('notice an event a subgraph creates but may not publish', () => {
    const root = mkdtempSync(join(tmpdir(), 'nats-table-'));
    temp.push(root);
    cpSync(join(ROOT, 'subgraphs', 'customers', 'src'), join(root, 'subgraphs', 'customers', 'src'), { recursive: true });
    writeFileSync(join(root, 'subgraphs', 'customers', 'src', 'forge.ts'), 'export const x = () => PaymentAuthorized.create({} as never, { aggregateId: "x" });\n');
    expect(checkTable(root, ['customers'])).toEqual([
      ...subgraphs.filter((s) => s !== 'customers').map((s) => `packages/events/src/nats-permissions.ts: SERVICE_EVENTS has ${s}, which is no subgraph`),
      'packages/events/src/nats-permissions.ts: customers creates commerce.payments.payment-authorized.v1 (subgraphs/customers/src) but may not publish it: add it to its publishes',
    ]);
  });
});

describe('connecting as a service', () => {
  it('takes credentials from NATS_USER / NATS_PASSWORD, else from the URL, and gives the user its own inbox prefix', () => {
    expect(natsConnectionOptions('nats://127.0.0.1:4222')).toEqual({ servers: ['nats://127.0.0.1:4222'] });
    expect(natsConnectionOptions('nats://admin:n0pe%40x@a:4222,nats://b:4222')).toEqual({ servers: ['nats://a:4222', 'nats://b:4222'], user: 'admin', pass: 'n0pe@x', inboxPrefix: '_INBOX.admin' });
    expect(natsConnectionOptions('nats://admin:x@a:4222', { user: 'orders', pass: 'secret' })).toEqual({ servers: ['nats://a:4222'], user: 'orders', pass: 'secret', inboxPrefix: '_INBOX.orders' });
  });

  it('refuses a NATS password nats-server would not read as a string, and a user without a password', () => {
    const env = { MONGO_URL: 'mongodb://127.0.0.1:27017', NATS_USER: 'orders' };
    expect(loadServiceConfig('orders', 4003, { ...env, NATS_PASSWORD: `n${'0'.repeat(47)}` }, []).nats).toEqual({ user: 'orders', password: `n${'0'.repeat(47)}` });
    expect(() => loadServiceConfig('orders', 4003, { ...env, NATS_PASSWORD: '1e5abcdef0123456789' }, [])).toThrow(/NATS_PASSWORD: a letter, then at least 15 letters or digits/);
    expect(() => loadServiceConfig('orders', 4003, env, [])).toThrow(ConfigError);
    expect(NATS_PASSWORD_PATTERN.test('REPLACE_ME')).toBe(false); // the Kubernetes placeholder fails at start
  });
});
