import { fail, newId, ok, userError, type Result, type UserError } from '@commerce/platform';
import type { EventEnvelope } from '@commerce/events';
import { WebhookEndpointDisabled } from '@commerce/events/contracts';
import { isPublicEventType, PUBLIC_EVENT_TYPES, type PublicEventType } from './event-types.ts';
import { newSigningSecret } from './secret.ts';
import { checkTarget, parseTarget } from './target.ts';
import type { WebhooksDeps } from './deps.ts';

export const SUBSCRIPTIONS_COLLECTION = 'webhook_subscriptions';
export type SubscriptionStatus = 'ACTIVE' | 'DISABLED' | 'DELETED';

/**
 * A partner's webhook endpoint. `secret` signs every delivery, so it is stored as it is (a hash
 * could not sign); it is shown once (creation, rotation), never read by a GraphQL field, and its
 * field name keeps it out of logs (the platform logger redacts `*secret`). During a rotation's
 * overlap `previousSecret` signs too.
 */
export interface SubscriptionRecord {
  _id: string; // whsub_…
  version: number;
  partnerId: string;
  url: string;
  description: string | null;
  eventTypes: PublicEventType[];
  status: SubscriptionStatus;
  secret: string;
  previousSecret: string | null;
  previousSecretUntil: Date | null;
  secretRotatedAt: Date | null;
  disabledReason: string | null;
  disabledAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  [key: string]: unknown;
}

/** Whose subscriptions a caller manages: a partner its own, an admin any (naming the partner). */
export interface Caller {
  partnerId: string | null;
  admin: boolean;
}

export function canManage(caller: Caller, s: Pick<SubscriptionRecord, 'partnerId' | 'status'> | null): boolean {
  if (!s || s.status === 'DELETED') return false;
  return caller.admin || caller.partnerId === s.partnerId;
}

/** The secrets that sign now: the current one, and the previous one during a rotation's overlap. */
export function signingSecrets(s: Pick<SubscriptionRecord, 'secret' | 'previousSecret' | 'previousSecretUntil'>, now: Date): string[] {
  return s.previousSecret && s.previousSecretUntil && s.previousSecretUntil > now ? [s.secret, s.previousSecret] : [s.secret];
}

/** The scheme and host of a target: what a notice or a log line may show (a path may hold a token). */
export function targetOrigin(url: string): string {
  const p = parseTarget(url);
  return p.ok ? `${p.url.protocol}//${p.url.host}` : '(invalid)';
}

const MAX_DESCRIPTION = 200;

function eventTypesOf(types: readonly string[], field: string[]): Result<PublicEventType[]> {
  if (types.length === 0) return fail(userError('NO_EVENT_TYPES', 'name at least one event type', field));
  const unknown = types.filter((t) => !isPublicEventType(t));
  if (unknown.length > 0) return fail(userError('UNKNOWN_EVENT_TYPE', `unknown event type${unknown.length > 1 ? 's' : ''} ${unknown.slice(0, 5).map((t) => JSON.stringify(t.slice(0, 60))).join(', ')} (see webhookEventTypes)`, field));
  return ok([...new Set(types)].sort() as PublicEventType[]);
}

function descriptionOf(d: string | null | undefined, field: string[]): Result<string | null> {
  if (d === undefined || d === null) return ok(null);
  const t = d.trim();
  if (t.length > MAX_DESCRIPTION) return fail(userError('INVALID_DESCRIPTION', `at most ${MAX_DESCRIPTION} characters`, field));
  return ok(t || null);
}

export interface CreateInput {
  url: string;
  eventTypes: readonly string[];
  description?: string | null;
}

/** Creates a subscription; the secret in the result is shown to the caller once. */
export async function createSubscription(deps: WebhooksDeps, partnerId: string, input: CreateInput): Promise<Result<{ subscription: SubscriptionRecord; secret: string }>> {
  const errors: UserError[] = [];
  const bad = await checkTarget(input.url, deps.target);
  if (bad) errors.push(bad);
  const types = eventTypesOf(input.eventTypes, ['input', 'eventTypes']);
  if (!types.ok) errors.push(...types.errors);
  const description = descriptionOf(input.description, ['input', 'description']);
  if (!description.ok) errors.push(...description.errors);
  if (errors.length > 0 || !types.ok || !description.ok) return fail(...errors);
  const existing = (await deps.subscriptions.byPartner(partnerId)).filter((s) => s.status !== 'DELETED');
  if (existing.length >= deps.maxSubscriptionsPerPartner) return fail(userError('TOO_MANY_SUBSCRIPTIONS', `a partner has at most ${deps.maxSubscriptionsPerPartner} webhook subscriptions`));
  const now = deps.now();
  const secret = newSigningSecret();
  const record: SubscriptionRecord = {
    _id: newId('whsub'),
    version: 1,
    partnerId,
    url: input.url,
    description: description.value,
    eventTypes: types.value,
    status: 'ACTIVE',
    secret,
    previousSecret: null,
    previousSecretUntil: null,
    secretRotatedAt: null,
    disabledReason: null,
    disabledAt: null,
    createdAt: now,
    updatedAt: now,
  };
  // routes first: a route without its subscription is ignored; a subscription without routes would miss events
  for (const t of record.eventTypes) await deps.routes.add(t, record._id);
  if (!(await deps.subscriptions.create(record))) return fail(userError('CONFLICT', 'the subscription could not be created; try again'));
  return ok({ subscription: record, secret });
}

type Change = (current: SubscriptionRecord, now: Date) => Result<{ next: Omit<SubscriptionRecord, 'version' | 'updatedAt'>; events?: EventEnvelope[] }>;

/** Applies a change to a subscription the caller manages (NOT_FOUND otherwise), version-claimed. */
async function changeSubscription(deps: WebhooksDeps, caller: Caller, id: string, change: Change): Promise<Result<SubscriptionRecord>> {
  let failure: UserError[] | null = null;
  const notFound = () => [userError('NOT_FOUND', 'no webhook subscription with this id', ['id'])];
  const result = await deps.subscriptions.change(id, (current) => {
    failure = null;
    if (!current || !canManage(caller, current)) {
      failure = notFound();
      return null;
    }
    const now = deps.now();
    const decided = change(current, now);
    if (!decided.ok) {
      failure = decided.errors;
      return null;
    }
    return { next: { ...decided.value.next, version: current.version + 1, updatedAt: now } as SubscriptionRecord, events: decided.value.events ?? [] };
  });
  if (failure) return fail(...(failure as UserError[]));
  if (!result) return fail(userError('CONFLICT', 'the subscription changed concurrently; try again'));
  return ok(result);
}

/** Reads a subscription the caller manages, or null (another partner's reads as missing). */
export async function readSubscription(deps: WebhooksDeps, caller: Caller, id: string): Promise<SubscriptionRecord | null> {
  const s = await deps.subscriptions.get(id);
  return canManage(caller, s) ? s : null;
}

export interface UpdateInput {
  url?: string | null;
  eventTypes?: readonly string[] | null;
  description?: string | null;
  status?: 'ACTIVE' | 'DISABLED' | null;
}

export async function updateSubscription(deps: WebhooksDeps, caller: Caller, id: string, input: UpdateInput): Promise<Result<SubscriptionRecord>> {
  const errors: UserError[] = [];
  if (typeof input.url === 'string') {
    const bad = await checkTarget(input.url, deps.target);
    if (bad) errors.push(bad);
  }
  const types = input.eventTypes ? eventTypesOf(input.eventTypes, ['input', 'eventTypes']) : null;
  if (types && !types.ok) errors.push(...types.errors);
  const description = input.description !== undefined ? descriptionOf(input.description, ['input', 'description']) : null;
  if (description && !description.ok) errors.push(...description.errors);
  if (errors.length > 0) return fail(...errors);
  // only for a subscription the caller manages: a route is written before the commit, and must
  // never be for somebody else's (or no) subscription
  if (!(await readSubscription(deps, caller, id))) return fail(userError('NOT_FOUND', 'no webhook subscription with this id', ['id']));
  // routes for new types first (a superset is harmless), stale ones removed after the commit
  if (types?.ok) for (const t of types.value) await deps.routes.add(t, id);
  const r = await changeSubscription(deps, caller, id, (current, now) => {
    const next = { ...current };
    if (typeof input.url === 'string') next.url = input.url;
    if (types?.ok) next.eventTypes = types.value;
    if (description?.ok) next.description = description.value;
    if (input.status === 'DISABLED' && current.status === 'ACTIVE') Object.assign(next, { status: 'DISABLED', disabledReason: 'disabled by request', disabledAt: now });
    if (input.status === 'ACTIVE' && current.status === 'DISABLED') Object.assign(next, { status: 'ACTIVE', disabledReason: null, disabledAt: null });
    return ok({ next });
  });
  if (r.ok) {
    for (const t of Object.keys(PUBLIC_EVENT_TYPES)) if (!r.value.eventTypes.includes(t as PublicEventType)) await deps.routes.remove(t, id);
    if (input.status === 'ACTIVE') await deps.health.reset(id);
  }
  return r;
}

/** Deletes a subscription (a tombstone: nothing is delivered to it again; its log ages out). */
export async function deleteSubscription(deps: WebhooksDeps, caller: Caller, id: string): Promise<Result<SubscriptionRecord>> {
  const r = await changeSubscription(deps, caller, id, (current) => ok({ next: { ...current, status: 'DELETED' as const, previousSecret: null, previousSecretUntil: null } }));
  if (r.ok) {
    for (const t of r.value.eventTypes) await deps.routes.remove(t, id);
    await deps.health.reset(id);
  }
  return r;
}

/** A new secret, shown once; the old one keeps signing (a second signature) for the overlap. */
export async function rotateSecret(deps: WebhooksDeps, caller: Caller, id: string): Promise<Result<{ subscription: SubscriptionRecord; secret: string }>> {
  const secret = newSigningSecret();
  const r = await changeSubscription(deps, caller, id, (current, now) =>
    ok({ next: { ...current, secret, previousSecret: deps.secretOverlapMs > 0 ? current.secret : null, previousSecretUntil: deps.secretOverlapMs > 0 ? new Date(now.getTime() + deps.secretOverlapMs) : null, secretRotatedAt: now } }),
  );
  return r.ok ? ok({ subscription: r.value, secret }) : r;
}

/** Enables a disabled subscription (after auto-disable): deliveries resume with the next event. */
export async function enableSubscription(deps: WebhooksDeps, caller: Caller, id: string): Promise<Result<SubscriptionRecord>> {
  const r = await changeSubscription(deps, caller, id, (current) => ok({ next: current.status === 'ACTIVE' ? current : { ...current, status: 'ACTIVE' as const, disabledReason: null, disabledAt: null } }));
  if (r.ok) await deps.health.reset(id);
  return r;
}

/**
 * Auto-disable after repeated failure: the subscription is DISABLED with the reason, and
 * `webhook-endpoint-disabled` is committed with that change (the notice). Nothing is delivered
 * until it is enabled again. A subscription not ACTIVE any more is left as it is.
 */
export async function autoDisable(deps: WebhooksDeps, id: string, streak: { failures: number; since: Date }, reason: string): Promise<boolean> {
  let disabled = false;
  const committed = await deps.subscriptions.change(id, (current) => {
    disabled = false;
    if (!current || current.status !== 'ACTIVE') return null;
    const now = deps.now();
    disabled = true;
    const next: SubscriptionRecord = { ...current, status: 'DISABLED', disabledReason: reason, disabledAt: now, version: current.version + 1, updatedAt: now };
    const notice = WebhookEndpointDisabled.create(
      { subscriptionId: id, partnerId: current.partnerId, target: targetOrigin(current.url), reason, consecutiveFailures: streak.failures, failingSince: streak.since.toISOString(), disabledAt: now.toISOString() },
      { aggregateId: id },
    );
    return { next, events: [notice] };
  });
  disabled = disabled && committed?.status === 'DISABLED';
  if (disabled) {
    deps.metrics.disabled();
    deps.logger.warn({ subscriptionId: id, failures: streak.failures, failingSince: streak.since, reason }, 'webhook endpoint disabled after repeated failure');
  }
  return disabled;
}
