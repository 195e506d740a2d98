import { randomBytes } from 'node:crypto';
import { logError, type DeliveryRecord } from './delivery.ts';
import type { DeliveryWork, WebhooksDeps } from './deps.ts';
import { nextAttemptAt, shouldDisable } from './retry.ts';
import { signatureHeaders } from './secret.ts';
import { autoDisable, signingSecrets, type SubscriptionRecord } from './subscription.ts';

/** What the queue does with a work item after a step: done (ack), or again after a delay (nak). */
export type StepOutcome = { done: true } | { done: false; retryInMs: number };
const DONE: StepOutcome = { done: true };

/**
 * One step of a delivery, run by a queue worker for one work item: check it is still wanted,
 * POST it once (signed per Standard Webhooks, with the timeout), record the attempt, and decide:
 * SUCCEEDED on a 2xx; otherwise retry after the backoff while the retry window lasts, else FAILED.
 * Every failed attempt extends the endpoint's failure streak, which may disable the endpoint.
 * `attempt` is the work item's delivery count (1 for its first try).
 */
export async function deliverStep(deps: WebhooksDeps, work: DeliveryWork, attempt: number): Promise<StepOutcome> {
  const d = await deps.deliveries.get(work.deliveryId);
  // pruned, replayed since (a newer generation has its own work item), or finished already
  if (!d || d.generation !== work.generation || d.status !== 'PENDING') return DONE;
  const now = deps.now();
  // a work item redelivered early (a broker restart forgets nak delays): wait for its time
  if (d.nextAttemptAt && d.nextAttemptAt.getTime() - now.getTime() > 250) return { done: false, retryInMs: d.nextAttemptAt.getTime() - now.getTime() };
  const sub = await deps.subscriptions.get(d.subscriptionId);
  if (!sub || sub.status !== 'ACTIVE') {
    await finish(deps, d, 'SKIPPED', { lastError: sub?.status === 'DISABLED' ? 'the subscription was disabled' : 'the subscription was deleted', nextAttemptAt: null });
    return DONE;
  }
  const windowStartedAt = d.windowStartedAt ?? now;
  const result = await deps.sender.send({ url: sub.url, headers: signatureHeaders(signingSecrets(sub, now), d._id, now, d.body), body: d.body, timeoutMs: deps.deliveryTimeoutMs });
  const succeeded = result.status !== undefined && result.status >= 200 && result.status < 300;
  const error = succeeded ? null : logError(result.error ?? `HTTP ${result.status}`);
  deps.metrics.attempt(succeeded ? 'succeeded' : 'failed', result.latencyMs / 1000);
  await deps.deliveries.addAttempt({
    _id: `${d._id}:${now.getTime().toString(36)}${randomBytes(3).toString('hex')}`,
    deliveryId: d._id,
    generation: d.generation,
    at: now,
    succeeded,
    responseStatus: result.status ?? null,
    latencyMs: result.latencyMs,
    error,
    day: d.day,
  });
  const attemptFields = { lastResponseStatus: result.status ?? null, lastLatencyMs: result.latencyMs, lastError: error, lastAttemptAt: now, windowStartedAt };
  if (succeeded) {
    await deps.health.reset(sub._id);
    await finish(deps, d, 'SUCCEEDED', { ...attemptFields, deliveredAt: deps.now(), nextAttemptAt: null }, true);
    return DONE;
  }
  if (await failedAttempt(deps, sub, now)) {
    await finish(deps, d, 'FAILED', { ...attemptFields, nextAttemptAt: null }, true);
    return DONE;
  }
  const next = nextAttemptAt(deps.retry, attempt, windowStartedAt, now);
  if (!next) {
    await finish(deps, d, 'FAILED', { ...attemptFields, nextAttemptAt: null }, true);
    return DONE;
  }
  await deps.deliveries.update(d._id, { ...attemptFields, nextAttemptAt: next, updatedAt: deps.now() }, true);
  return { done: false, retryInMs: next.getTime() - now.getTime() };
}

async function finish(deps: WebhooksDeps, d: DeliveryRecord, status: 'SUCCEEDED' | 'FAILED' | 'SKIPPED', set: Partial<DeliveryRecord>, attempted = false): Promise<void> {
  await deps.deliveries.update(d._id, { ...set, status, updatedAt: deps.now() }, attempted);
  deps.metrics.delivery(status === 'SUCCEEDED' ? 'succeeded' : status === 'FAILED' ? 'failed' : 'skipped');
}

/** Extends the endpoint's failure streak; true when that disabled it. */
async function failedAttempt(deps: WebhooksDeps, sub: SubscriptionRecord, now: Date): Promise<boolean> {
  const streak = await deps.health.failed(sub._id, now);
  if (!shouldDisable(deps.disable, streak, now)) return false;
  const seconds = (now.getTime() - streak.since.getTime()) / 1000;
  const span = seconds < 120 ? `${Math.round(seconds)} s` : seconds < 7200 ? `${Math.round(seconds / 60)} min` : `${(seconds / 3600).toFixed(1)} h`;
  const reason = `${streak.failures} consecutive failed attempts over ${span} (since ${streak.since.toISOString()})`;
  return autoDisable(deps, sub._id, streak, reason);
}

