import type { Logger } from '@commerce/platform';
import type { EventEnvelope } from '@commerce/events';
import type { AttemptRecord, DeliveryRecord } from './delivery.ts';
import type { DisablePolicy, FailureStreak, RetryPolicy } from './retry.ts';
import type { SubscriptionRecord } from './subscription.ts';
import type { TargetPolicy } from './target.ts';

/**
 * The ports the domain works through (model/ implements the stores with the MongoDB driver;
 * events/ the queue and the HTTP sender; Redis the failure streaks). Domain code names no
 * collection. Every store call is an insert or an equality lookup/update.
 */
export interface SubscriptionStore {
  get(id: string): Promise<SubscriptionRecord | null>;
  /** a partner's subscriptions (deleted ones included), by equality on partnerId */
  byPartner(partnerId: string): Promise<SubscriptionRecord[]>;
  /** version 1 of a new subscription (with its events); false when the id is taken */
  create(record: SubscriptionRecord): Promise<boolean>;
  /**
   * Read-decide-commit on one subscription (version-claimed: concurrent writers never lose a
   * change). `decide` returns the next state with its events, or null to leave it.
   */
  change(id: string, decide: (current: SubscriptionRecord | null) => { next: SubscriptionRecord; events: EventEnvelope[] } | null): Promise<SubscriptionRecord | null>;
}

/** Which subscriptions may want an event type: a superset (the subscription itself decides). */
export interface RouteStore {
  add(eventType: string, subscriptionId: string): Promise<void>;
  remove(eventType: string, subscriptionId: string): Promise<void>;
  subscriptionsFor(eventType: string): Promise<string[]>;
}

export interface DeliveryStore {
  /** false when a delivery with this id exists already */
  insert(record: DeliveryRecord): Promise<boolean>;
  get(id: string): Promise<DeliveryRecord | null>;
  /** the deliveries of a subscription for events of one UTC day (equality on `subDay`) */
  byDay(subscriptionId: string, day: string): Promise<DeliveryRecord[]>;
  update(id: string, set: Partial<DeliveryRecord>, incAttempts?: boolean): Promise<void>;
  addAttempt(attempt: AttemptRecord): Promise<void>;
  attemptsOf(deliveryId: string): Promise<AttemptRecord[]>;
  /** deletes deliveries and attempts of one UTC day (retention) */
  pruneDay(day: string): Promise<number>;
}

export interface StockLevelRecord {
  _id: string; // variant id
  available: number;
  lastEventId: string;
  /** whether lastEventId crossed below the threshold (a redelivery decides the same) */
  crossed: boolean;
  updatedAt: Date;
}
export interface StockLevelStore {
  get(variantId: string): Promise<StockLevelRecord | null>;
  put(record: StockLevelRecord): Promise<void>;
}

/** The failure streak of each endpoint (Redis: shared by every instance, atomic increments). */
export interface HealthStore {
  failed(subscriptionId: string, at: Date): Promise<FailureStreak>;
  reset(subscriptionId: string): Promise<void>;
}

export interface DeliveryWork {
  deliveryId: string;
  subscriptionId: string;
  generation: number;
}
/** The durable delivery queue (JetStream): one work item per delivery and generation. */
export interface DeliveryQueue {
  enqueue(work: DeliveryWork): Promise<void>;
}

export interface SendRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
}
export interface SendResult {
  /** the HTTP status, when a response came */
  status?: number;
  latencyMs: number;
  /** why no (2xx) response came: timeout, connection refused, unsafe target … (never a secret) */
  error?: string;
}
/** POSTs one attempt; enforces the SSRF rule on the connection itself. */
export interface Sender {
  send(req: SendRequest): Promise<SendResult>;
}

export interface WebhooksMetrics {
  attempt(outcome: 'succeeded' | 'failed', seconds: number): void;
  delivery(outcome: 'succeeded' | 'failed' | 'skipped'): void;
  disabled(): void;
}

export interface WebhooksDeps {
  subscriptions: SubscriptionStore;
  routes: RouteStore;
  deliveries: DeliveryStore;
  stockLevels: StockLevelStore;
  health: HealthStore;
  queue: DeliveryQueue;
  sender: Sender;
  target: TargetPolicy;
  retry: RetryPolicy;
  disable: DisablePolicy;
  deliveryTimeoutMs: number;
  lowStockThreshold: number;
  retentionDays: number;
  maxSubscriptionsPerPartner: number;
  /** how long a rotated-out secret still signs (both signatures are sent) */
  secretOverlapMs: number;
  metrics: WebhooksMetrics;
  logger: Logger;
  now(): Date;
}
