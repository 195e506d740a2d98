import { decodeCursor, encodeCursor, type PageInfo } from '@commerce/platform';
import type { DeliveryRecord } from '../domain/delivery.ts';
import { isLogCursor, type LogCursor } from '../domain/delivery-log.ts';
import type { SubscriptionRecord } from '../domain/subscription.ts';

/** The API shape of a subscription: never its secrets. */
export function toApiSubscription(s: SubscriptionRecord) {
  return {
    id: s._id,
    partnerId: s.partnerId,
    url: s.url,
    description: s.description,
    eventTypes: s.eventTypes,
    status: s.status === 'ACTIVE' ? ('ACTIVE' as const) : ('DISABLED' as const),
    disabledReason: s.disabledReason,
    disabledAt: s.disabledAt,
    secretRotatedAt: s.secretRotatedAt,
    createdAt: s.createdAt,
    updatedAt: s.updatedAt,
  };
}

export function toApiDelivery(d: DeliveryRecord) {
  return {
    id: d._id,
    subscriptionId: d.subscriptionId,
    eventType: d.eventType,
    eventId: d.eventId,
    status: d.status,
    attempts: d.attempts,
    lastResponseStatus: d.lastResponseStatus,
    latencyMs: d.lastLatencyMs,
    lastError: d.lastError,
    nextAttemptAt: d.status === 'PENDING' ? d.nextAttemptAt : null,
    occurredAt: d.occurredAt,
    deliveredAt: d.deliveredAt,
    createdAt: d.createdAt,
    updatedAt: d.updatedAt,
  };
}

export const deliveryCursor = (d: DeliveryRecord): string => encodeCursor({ t: d.occurredAt.getTime(), id: d._id } satisfies LogCursor);
export const readDeliveryCursor = (after: string | null | undefined): LogCursor | undefined | 'invalid' => (after ? (decodeCursor(after, isLogCursor) ?? 'invalid') : undefined);

interface SubCursor {
  c: number;
  id: string;
}
const isSubCursor = (v: unknown): v is SubCursor => !!v && typeof (v as SubCursor).c === 'number' && typeof (v as SubCursor).id === 'string';
export const subscriptionCursor = (s: SubscriptionRecord): string => encodeCursor({ c: s.createdAt.getTime(), id: s._id } satisfies SubCursor);
export const readSubscriptionCursor = (after: string | null | undefined): SubCursor | undefined | 'invalid' => (after ? (decodeCursor(after, isSubCursor) ?? 'invalid') : undefined);

export function pageInfo<T>(nodes: T[], cursor: (t: T) => string, hasNextPage: boolean, hasPreviousPage: boolean): PageInfo {
  return { hasNextPage, hasPreviousPage, startCursor: nodes[0] ? cursor(nodes[0]) : null, endCursor: nodes.length ? cursor(nodes[nodes.length - 1]!) : null };
}
export type ApiDelivery = ReturnType<typeof toApiDelivery>;
