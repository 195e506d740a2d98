import { isDuplicateKeyError } from '@commerce/platform';
import type { ReviewsDeps } from './deps.ts';

/**
 * Who may review what, learned from the orders saga. One record per (order, product) — never one
 * per (customer, product) — so a cancellation revokes exactly what that order granted: the
 * customer stays eligible while any other CONFIRMED order of theirs contains the product.
 *
 * Race-free on FerretDB without update filters: a record is created CONFIRMED only by an insert
 * (a redelivered or late `order-confirmed` hits the unique `_id` and changes nothing), and the
 * only change ever made to it is CONFIRMED → CANCELLED (terminal), by the cancellation consumer.
 * A cancellation that arrives before the confirmation creates the record CANCELLED, so the late
 * confirmation cannot grant anything.
 */
export interface PurchaseRecord {
  /** `${orderId}:${productId}` */
  _id: string;
  orderId: string;
  customerId: string;
  productId: string;
  status: 'CONFIRMED' | 'CANCELLED';
  confirmedAt: Date | null;
  cancelledAt: Date | null;
}

/** A review inserted but not yet counted in its product's rating (see rating.ts). */
export interface PendingRating {
  /** the review id */
  _id: string;
  productId: string;
  at: Date;
}

interface OrderFacts {
  orderId: string;
  customerId: string;
  lines: Array<{ productId: string }>;
}

const productsOf = (lines: Array<{ productId: string }>) => [...new Set(lines.map((l) => l.productId))];
const purchaseId = (orderId: string, productId: string) => `${orderId}:${productId}`;

/** `order-confirmed`: the customer may now review every product of the order. Idempotent. */
export async function recordConfirmedOrder(deps: ReviewsDeps, order: OrderFacts & { confirmedAt: string }): Promise<void> {
  for (const productId of productsOf(order.lines)) {
    try {
      await deps.collections.purchases.insertOne({
        _id: purchaseId(order.orderId, productId),
        orderId: order.orderId,
        customerId: order.customerId,
        productId,
        status: 'CONFIRMED',
        confirmedAt: new Date(order.confirmedAt),
        cancelledAt: null,
      });
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err; // already recorded, or cancelled first: nothing to grant
    }
  }
}

/** `order-cancelled`: what this order granted is revoked (other confirmed orders still count). Idempotent. */
export async function recordCancelledOrder(deps: ReviewsDeps, order: OrderFacts & { cancelledAt: string }): Promise<void> {
  for (const productId of productsOf(order.lines)) {
    const _id = purchaseId(order.orderId, productId);
    for (let attempt = 1; ; attempt++) {
      try {
        await deps.collections.purchases.updateOne(
          { _id },
          {
            $set: { status: 'CANCELLED', cancelledAt: new Date(order.cancelledAt) },
            $setOnInsert: { orderId: order.orderId, customerId: order.customerId, productId, confirmedAt: null },
          },
          { upsert: true },
        );
        break;
      } catch (err) {
        // the confirmation's insert won the race for the _id: the next try updates that record
        if (!isDuplicateKeyError(err) || attempt >= 3) throw err;
      }
    }
  }
}

/** True when a CONFIRMED order of the customer contains the product. */
export async function isEligible(deps: ReviewsDeps, customerId: string, productId: string): Promise<boolean> {
  const found = await deps.collections.purchases.findOne({ customerId, productId, status: 'CONFIRMED' }, { projection: { _id: 1 } });
  return found !== null;
}
