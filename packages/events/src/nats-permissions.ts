import type { EventContract } from './contract.ts';
import { anyEventOn } from './contract.ts';
import { durableName } from './consumer.ts';
import { inboxPrefixOf, streamNameFor } from './bus.ts';
import {
  ActivityForgotten,
  CartLineAdded,
  CategoryCreated,
  CustomerRegistered,
  EventDeadLettered,
  InteractionsRecorded,
  OrderCancelled,
  OrderConfirmed,
  OrderPlaced,
  OrderRefunded,
  PaymentAuthorized,
  PaymentCaptured,
  PaymentDeclined,
  PaymentRefunded,
  PaymentRefundRejected,
  PaymentRequested,
  PaymentRequestedV1,
  PaymentVoided,
  ProductCreated,
  ProductFlagged,
  ProductStatusChanged,
  RefundRequested,
  ReviewAdded,
  SatisfactionRated,
  StockCommitted,
  StockLevelChanged,
  StockReleased,
  StockReservationFailed,
  StockReserved,
  TicketOpened,
  TicketResolved,
  TicketSlaBreached,
  VariantPriceChanged,
  WebhookDeliveryRequested,
  WebhookEndpointDisabled,
} from './contracts/index.ts';

/**
 * Who publishes what and who consumes what on the event bus — the one table the NATS users and
 * their permissions are generated from (`npm run nats:config` → deploy/nats/users.conf and
 * deploy/k8s/infra/nats-users.values.yaml; security review finding 2: anyone who reached NATS
 * could forge events).
 *
 * - `publishes`: the events the service commits (its outbox relay publishes them). Every service
 *   with durable consumers also publishes `platform.event-dead-lettered.v1` (consumer.ts parks and
 *   announces); that is added by `natsPermissions`, not listed here.
 * - `durables`: its durable consumers, as started with `startConsumer({ name, contract })`; the
 *   durable is `durableName(name, contract, <database>)`, `<database>` being `commerce_<service>`
 *   unless `<SERVICE>_DB_NAME` says otherwise. `startConsumer` refuses a durable a service's bus
 *   (`connectEventBus({ service })`) does not declare here, so the table cannot silently fall
 *   behind the code in any environment.
 * - `follows`: subjects it reads with ordered (ephemeral) consumers: in-memory read models
 *   (`startReadModel`, `tailEvents`), cart's followers, recommendations' model feed.
 * - `erases`: may erase messages from the stream (analytics: `forgetMyActivity`).
 *
 * A service missing here gets no NATS user (`npm run deploy:check` says so for every subgraph).
 */
export interface ServiceEvents {
  publishes: EventContract[];
  durables: Array<{ name: string; contract: EventContract }>;
  follows: string[];
  erases?: boolean;
}

const CATALOG_EVENTS = 'commerce.catalog.>';

const durables = (name: string, ...contracts: EventContract[]) => contracts.map((contract) => ({ name, contract }));

export const SERVICE_EVENTS = {
  catalog: {
    publishes: [ProductCreated, VariantPriceChanged, CategoryCreated, ProductStatusChanged],
    durables: durables('catalog-stock', StockLevelChanged),
    follows: [CATALOG_EVENTS, StockLevelChanged.subject],
  },
  customers: {
    publishes: [CustomerRegistered],
    durables: [],
    follows: [],
  },
  orders: {
    publishes: [OrderPlaced, PaymentRequested, OrderConfirmed, OrderCancelled, OrderRefunded],
    durables: [
      ...durables('orders-saga', StockReserved, StockReservationFailed, PaymentAuthorized, PaymentDeclined),
      ...durables('orders-refunds', PaymentRefunded),
      ...durables('orders-views', anyEventOn('commerce.orders.>')),
    ],
    follows: [],
  },
  inventory: {
    publishes: [StockLevelChanged, StockReserved, StockReservationFailed, StockReleased, StockCommitted],
    durables: durables('inventory-reservations', OrderPlaced, OrderConfirmed, OrderCancelled),
    follows: [StockLevelChanged.subject],
  },
  cart: {
    publishes: [CartLineAdded],
    durables: [...durables('cart-catalog', anyEventOn(CATALOG_EVENTS)), ...durables('cart-stock', StockLevelChanged), ...durables('cart-checkout', OrderPlaced)],
    follows: [CATALOG_EVENTS, StockLevelChanged.subject],
  },
  payments: {
    publishes: [PaymentAuthorized, PaymentDeclined, PaymentVoided, PaymentCaptured, PaymentRefunded, PaymentRefundRejected],
    durables: [
      // v1: answers what an orders instance of the previous release published (finding 7)
      ...durables('payments-authorizations', PaymentRequested, PaymentRequestedV1),
      ...durables('payments-cancellations', OrderCancelled),
      ...durables('payments-captures', OrderConfirmed),
      ...durables('payments-refunds', RefundRequested),
    ],
    follows: [],
  },
  reviews: {
    publishes: [ReviewAdded],
    durables: durables('reviews-eligibility', OrderConfirmed, OrderCancelled),
    follows: [ReviewAdded.subject],
  },
  support: {
    publishes: [TicketOpened, TicketResolved, SatisfactionRated, TicketSlaBreached, ProductFlagged, RefundRequested],
    durables: [
      ...durables(
        'support-orders',
        OrderPlaced,
        OrderConfirmed,
        OrderCancelled,
        PaymentAuthorized,
        PaymentDeclined,
        PaymentCaptured,
        PaymentRefunded,
        PaymentRefundRejected,
        StockReservationFailed,
        EventDeadLettered,
      ),
      ...durables('support-figures', TicketResolved, SatisfactionRated, TicketOpened),
    ],
    follows: [],
  },
  analytics: {
    publishes: [InteractionsRecorded, ActivityForgotten],
    durables: durables('analytics-counts', InteractionsRecorded, CartLineAdded, OrderConfirmed, OrderCancelled, ReviewAdded),
    follows: [],
    erases: true,
  },
  recommendations: {
    publishes: [],
    durables: [],
    // the whole stream, in order (model-feed.ts): nats-server 2.9 has no multi-subject filters
    follows: ['commerce.>'],
  },
  webhooks: {
    publishes: [WebhookDeliveryRequested, WebhookEndpointDisabled],
    durables: [
      // partner-facing events: one delivery per matching subscription (subgraphs/webhooks/src/events)
      ...durables('webhooks-events', OrderConfirmed, OrderCancelled, VariantPriceChanged, ProductStatusChanged),
      // low stock needs the level before: one writer, in stream order
      ...durables('webhooks-stock', StockLevelChanged),
      // its own delivery queue (nak with the retry delay until delivered or expired)
      ...durables('webhooks-deliveries', WebhookDeliveryRequested),
    ],
    follows: [],
  },
} satisfies Record<string, ServiceEvents>;

export type EventService = keyof typeof SERVICE_EVENTS;

export function isEventService(name: string): name is EventService {
  return Object.prototype.hasOwnProperty.call(SERVICE_EVENTS, name);
}

/** The NATS user with every permission: operators (stream changes, purges), tests and benches. */
export const NATS_ADMIN_USER = 'admin';

/** Every NATS user of a deployment: the admin and one per service, in this order. */
export const NATS_USERS: readonly string[] = [NATS_ADMIN_USER, ...Object.keys(SERVICE_EVENTS)];

/** The environment variable holding a user's password (nats-server config and compose): `NATS_<USER>_PASSWORD`. */
export function natsPasswordVariable(user: string): string {
  return `NATS_${user.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_PASSWORD`;
}

/**
 * What a NATS password must look like: a letter, then at least 15 letters or digits. nats-server
 * parses a `$VARIABLE` of its config as a config value, so a password such as `1e5ab…` (a number,
 * then garbage) or `1234` would not be a string; a leading letter and no punctuation always is.
 * Generate one with `echo "n$(openssl rand -hex 24)"`.
 */
export const NATS_PASSWORD_PATTERN = /^[A-Za-z][A-Za-z0-9]{15,}$/;

export interface NatsPermissions {
  publish: { allow: string[]; deny: string[] };
  subscribe: { allow: string[]; deny: string[] };
}

export interface PermissionScope {
  /** events namespace (tests and benches: `<ns>.commerce.>` in `COMMERCE_<NS>`); none in a deployment */
  namespace?: string;
  /** database of a service when not `commerce_<service>` (its durables are named after it) */
  dbNames?: Partial<Record<EventService, string>>;
}

/** The durable consumer names of a service, as its `startConsumer` calls name them. */
export function serviceDurables(service: EventService, scope: PermissionScope = {}): Array<{ durable: string; subject: string }> {
  const db = scope.dbNames?.[service] ?? `commerce_${service}`;
  const ns = (s: string) => (scope.namespace ? `${scope.namespace}.${s}` : s);
  return (SERVICE_EVENTS[service] as ServiceEvents).durables.map((d) => ({ durable: durableName(d.name, d.contract, db), subject: ns(d.contract.subject) }));
}

/** Whether `startConsumer({ name, contract })` on a service's bus is in the table. */
export function declaresDurable(service: EventService, name: string, contract: Pick<EventContract, 'type'>): boolean {
  return (SERVICE_EVENTS[service] as ServiceEvents).durables.some((d) => d.name === name && d.contract.type === contract.type);
}

/**
 * The NATS permissions of a service's user, derived from SERVICE_EVENTS. What they allow, on
 * nats-server 2.9.10 and later (the JetStream API subjects the @nats-io/jetstream client uses):
 *
 * - publish its own event subjects only (plus dead-letter notices when it has durables) — a
 *   JetStream publish is a publish to the subject, so another service's event is refused;
 * - `$JS.API.INFO`, `STREAM.INFO` of the stream, and `STREAM.CREATE` of it (ensureStream creates it
 *   when missing); never `STREAM.UPDATE`, `DELETE`, `PURGE` (denied explicitly), nor
 *   `STREAM.MSG.DELETE` except for a service that `erases`;
 * - consumers only on what it consumes: `$JS.API.CONSUMER.CREATE.<stream>.<name>.<filter>` — the
 *   server (2.9.0+) refuses a create whose config filter differs from the one in the subject — for
 *   its own durables by exact name and filter, for its ordered consumers (random names) with any
 *   name but only its followed filters; the filterless and legacy create subjects
 *   (`CONSUMER.CREATE.<stream>`, `…CREATE.<stream>.<name>`, `CONSUMER.DURABLE.CREATE.…`) are not
 *   allowed, so no consumer can be made on subjects it does not consume;
 * - pulling (`CONSUMER.MSG.NEXT`), info and acks (`$JS.ACK.<stream>.<durable>.>`) on its own
 *   durables; a service with ordered consumers may read any consumer's info, and pull from and
 *   delete consumers of any name (theirs are random) except every other service's durable,
 *   denied by name;
 * - subscribe to its own inbox only (`_INBOX.<user>.>`), where pulled messages and API replies arrive.
 */
export function natsPermissions(service: EventService, scope: PermissionScope = {}): NatsPermissions {
  const spec = SERVICE_EVENTS[service] as ServiceEvents;
  const stream = streamNameFor(scope.namespace);
  const ns = (s: string) => (scope.namespace ? `${scope.namespace}.${s}` : s);
  const own = serviceDurables(service, scope);
  const api = '$JS.API';
  const allow = new Set<string>();
  const deny = new Set<string>([
    `${api}.STREAM.UPDATE.>`,
    `${api}.STREAM.DELETE.>`,
    `${api}.STREAM.PURGE.>`,
    `${api}.CONSUMER.DURABLE.CREATE.>`,
  ]);
  for (const c of spec.publishes) allow.add(ns(c.subject));
  if (own.length > 0) allow.add(ns(EventDeadLettered.subject));
  allow.add(`${api}.INFO`);
  allow.add(`${api}.STREAM.INFO.${stream}`);
  allow.add(`${api}.STREAM.CREATE.${stream}`);
  if (spec.erases) allow.add(`${api}.STREAM.MSG.DELETE.${stream}`);
  for (const { durable, subject } of own) {
    allow.add(`${api}.CONSUMER.CREATE.${stream}.${durable}.${subject}`);
    allow.add(`${api}.CONSUMER.INFO.${stream}.${durable}`);
    allow.add(`${api}.CONSUMER.MSG.NEXT.${stream}.${durable}`);
    allow.add(`$JS.ACK.${stream}.${durable}.>`);
  }
  if (spec.follows.length > 0) {
    for (const subject of spec.follows) allow.add(`${api}.CONSUMER.CREATE.${stream}.*.${ns(subject)}`);
    // an ordered consumer's name is `<random>_<n>`: pulling, its info and deleting it when the
    // library recreates it (after a lost heartbeat or a reconnect) cannot be narrowed by name…
    allow.add(`${api}.CONSUMER.INFO.${stream}.*`);
    allow.add(`${api}.CONSUMER.MSG.NEXT.${stream}.*`);
    allow.add(`${api}.CONSUMER.DELETE.${stream}.*`);
    // …so every other service's durable is denied by name: no stealing its messages, no
    // creating it first with another configuration
    const mine = new Set(own.map((d) => d.durable));
    for (const other of Object.keys(SERVICE_EVENTS) as EventService[]) {
      if (other === service) continue;
      for (const { durable } of serviceDurables(other, scope)) {
        if (mine.has(durable)) continue;
        deny.add(`${api}.CONSUMER.CREATE.${stream}.${durable}.>`);
        deny.add(`${api}.CONSUMER.MSG.NEXT.${stream}.${durable}`);
        deny.add(`${api}.CONSUMER.DELETE.${stream}.${durable}`);
      }
    }
  }
  return {
    publish: { allow: [...allow], deny: [...deny] },
    subscribe: { allow: [`${inboxPrefixOf(service)}.>`], deny: [] },
  };
}

function confList(items: string[], indent: string): string {
  if (items.length === 0) return '[]';
  return `[\n${items.map((i) => `${indent}  ${JSON.stringify(i)}`).join('\n')}\n${indent}]`;
}

function confPermissions(p: NatsPermissions, indent: string): string {
  const side = (name: string, s: { allow: string[]; deny: string[] }) =>
    [`${indent}  ${name}: {`, `${indent}    allow: ${confList(s.allow, `${indent}    `)}`, ...(s.deny.length ? [`${indent}    deny: ${confList(s.deny, `${indent}    `)}`] : []), `${indent}  }`].join('\n');
  return [`${indent}permissions: {`, side('publish', p.publish), side('subscribe', p.subscribe), `${indent}}`].join('\n');
}

/**
 * nats-server's `authorization` block: the admin (every permission) and one user per service with
 * `natsPermissions`; each password is the variable `$NATS_<USER>_PASSWORD`, which nats-server reads
 * from its environment. deploy/nats/users.conf is this for a deployment (`npm run nats:config`).
 */
export function natsAuthorizationConf(scope: PermissionScope = {}): string {
  const users = [
    `    # operators, tests and benches: every permission\n    { user: ${JSON.stringify(NATS_ADMIN_USER)}, password: $${natsPasswordVariable(NATS_ADMIN_USER)} }`,
    ...(Object.keys(SERVICE_EVENTS) as EventService[]).map((s) =>
      [`    {`, `      user: ${JSON.stringify(s)}`, `      password: $${natsPasswordVariable(s)}`, confPermissions(natsPermissions(s, scope), '      '), `    }`].join('\n'),
    ),
  ];
  return `authorization {\n  users = [\n${users.join('\n')}\n  ]\n}\n`;
}
