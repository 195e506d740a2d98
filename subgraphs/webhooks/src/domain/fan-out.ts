import { dayOf, deliveryId, subDayOf, type DeliveryRecord } from './delivery.ts';
import { deliveryBody, type PublicEvent } from './event-types.ts';
import type { WebhooksDeps } from './deps.ts';

/**
 * One public event → one delivery per subscription that wants its type: an insert into the
 * delivery log (its stable id makes a second copy of the event a no-op), then a work item on the
 * delivery queue. A disabled subscription gets its delivery logged as SKIPPED (a replay after
 * enabling can send it) and nothing queued. Safe to run again for the same event: the consumer
 * runs it again when it failed or died half-way, and a delivery logged but never queued (or
 * queued and lost) is queued again while it has had no attempt.
 */
export async function fanOut(deps: WebhooksDeps, event: PublicEvent): Promise<number> {
  const ids = await deps.routes.subscriptionsFor(event.type);
  const subs = await Promise.all(ids.map((id) => deps.subscriptions.get(id)));
  const body = deliveryBody(event);
  let created = 0;
  for (const sub of subs) {
    if (!sub || sub.status === 'DELETED' || !sub.eventTypes.includes(event.type)) continue;
    const now = deps.now();
    const day = dayOf(event.occurredAt);
    const record: DeliveryRecord = {
      _id: deliveryId(sub._id, event.eventId),
      subscriptionId: sub._id,
      partnerId: sub.partnerId,
      eventType: event.type,
      eventId: event.eventId,
      occurredAt: event.occurredAt,
      day,
      subDay: subDayOf(sub._id, day),
      body,
      status: sub.status === 'ACTIVE' ? 'PENDING' : 'SKIPPED',
      generation: 0,
      attempts: 0,
      lastResponseStatus: null,
      lastLatencyMs: null,
      lastError: sub.status === 'ACTIVE' ? null : 'the subscription was disabled',
      lastAttemptAt: null,
      nextAttemptAt: sub.status === 'ACTIVE' ? now : null,
      windowStartedAt: null,
      deliveredAt: null,
      createdAt: now,
      updatedAt: now,
    };
    let queue = record.status === 'PENDING';
    if (await deps.deliveries.insert(record)) {
      created++;
      if (!queue) deps.metrics.delivery('skipped');
    } else {
      const existing = await deps.deliveries.get(record._id);
      queue = !!existing && existing.status === 'PENDING' && existing.attempts === 0;
      if (existing) record.generation = existing.generation;
    }
    if (queue) await deps.queue.enqueue({ deliveryId: record._id, subscriptionId: sub._id, generation: record.generation });
  }
  return created;
}
