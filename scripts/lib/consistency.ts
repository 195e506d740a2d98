import type { Db } from 'mongodb';

/**
 * Cross-service consistency of the checkout: for every order, what inventory and payments did
 * must match the order's outcome, the refunds payments made must fit the capture and be the
 * ones the order recorded, and every stock level must balance its holds. The services are
 * eventually consistent, so a check is repeated until it is clean or `settleMs` passes.
 */
export interface ConsistencyReport {
  orders: { total: number; pending: number; confirmed: number; cancelled: number };
  reservations: number;
  payments: number;
  stockLevels: number;
  discrepancies: string[];
}

interface MoneyDoc { amount: number; currencyCode: string }
interface OrderDoc { _id: string; status: 'PENDING' | 'CONFIRMED' | 'CANCELLED'; placedAt: Date; refundedTotal?: MoneyDoc }
interface ReservationDoc { _id: string; orderId: string; status: string }
interface PaymentDoc { _id: string; orderId: string; status: string; amount?: MoneyDoc | null; refunds?: Array<{ amount: MoneyDoc; status: string }> }
interface StockDoc { _id: string; onHand: number; reserved: number; holds?: Array<{ quantity: number }> }

const RESERVATION_OK: Record<'CONFIRMED' | 'CANCELLED', Set<string | undefined>> = {
  CONFIRMED: new Set(['COMMITTED']),
  CANCELLED: new Set([undefined, 'FAILED', 'RELEASED', 'CANCELLED']),
};

/** Minor units charged: the amount once captured. */
function capturedOf(p: PaymentDoc | undefined): number {
  return p && (p.status === 'CAPTURED' || p.status === 'REFUNDED') ? (p.amount?.amount ?? 0) : 0;
}

/** Minor units paid back: the SUCCEEDED refunds (a payment REFUNDED before partial refunds existed has none: in full). */
function refundedOf(p: PaymentDoc | undefined): number {
  if (!p) return 0;
  const succeeded = (p.refunds ?? []).filter((r) => r.status === 'SUCCEEDED');
  if (succeeded.length === 0 && p.status === 'REFUNDED') return p.amount?.amount ?? 0;
  return succeeded.reduce((t, r) => t + r.amount.amount, 0);
}

const PAYMENT_OK: Record<'CONFIRMED' | 'CANCELLED', Set<string | undefined>> = {
  // a confirmed order's charge may be paid back in full by refunds from support tickets
  CONFIRMED: new Set(['AUTHORIZED', 'CAPTURED', 'REFUNDED']),
  CANCELLED: new Set([undefined, 'NOT_REQUESTED', 'DECLINED', 'VOIDED', 'REFUNDED']),
};

export async function checkOnce(dbs: { orders: Db; inventory: Db; payments: Db }, opts: { maxPendingMs?: number } = {}): Promise<ConsistencyReport> {
  const [orders, reservations, payments, levels] = await Promise.all([
    dbs.orders.collection<OrderDoc>('orders').find({}, { projection: { status: 1, placedAt: 1, refundedTotal: 1 } }).toArray(),
    dbs.inventory.collection<ReservationDoc>('reservations').find({}, { projection: { orderId: 1, status: 1 } }).toArray(),
    dbs.payments.collection<PaymentDoc>('payments').find({}, { projection: { orderId: 1, status: 1, amount: 1, refunds: 1 } }).toArray(),
    dbs.inventory.collection<StockDoc>('stock_levels').find({}, { projection: { onHand: 1, reserved: 1, holds: 1 } }).toArray(),
  ]);
  const discrepancies: string[] = [];
  const reservationOf = new Map(reservations.map((r) => [r.orderId, r]));
  const paymentOf = new Map(payments.map((p) => [p.orderId, p]));
  const orderIds = new Set(orders.map((o) => o._id));
  const counts = { total: orders.length, pending: 0, confirmed: 0, cancelled: 0 };
  const maxPending = opts.maxPendingMs ?? 120_000;

  for (const o of orders) {
    if (o.status === 'PENDING') {
      counts.pending += 1;
      if (Date.now() - new Date(o.placedAt).getTime() > maxPending) discrepancies.push(`order ${o._id} is still PENDING after ${Math.round(maxPending / 1000)} s`);
      continue;
    }
    if (o.status === 'CONFIRMED') counts.confirmed += 1;
    else counts.cancelled += 1;
    const r = reservationOf.get(o._id)?.status;
    const p = paymentOf.get(o._id)?.status;
    if (!RESERVATION_OK[o.status].has(r)) discrepancies.push(`order ${o._id} is ${o.status} but its reservation is ${r ?? 'missing'}`);
    if (!PAYMENT_OK[o.status].has(p)) discrepancies.push(`order ${o._id} is ${o.status} but its payment is ${p ?? 'missing'}`);
    const paidBack = refundedOf(paymentOf.get(o._id));
    const recorded = o.refundedTotal?.amount ?? 0;
    if (paidBack !== recorded) discrepancies.push(`order ${o._id} records ${recorded} refunded but its payment refunded ${paidBack} (minor units)`);
  }
  for (const r of reservations) if (!orderIds.has(r.orderId)) discrepancies.push(`reservation ${r._id} belongs to no known order`);
  for (const p of payments) if (!orderIds.has(p.orderId)) discrepancies.push(`payment ${p._id} belongs to no known order`);
  for (const p of payments) {
    const captured = capturedOf(p);
    const refunded = refundedOf(p);
    if (refunded > captured) discrepancies.push(`payment ${p._id} refunded ${refunded} but captured ${captured} (minor units)`);
  }
  for (const l of levels) {
    const held = (l.holds ?? []).reduce((t, h) => t + h.quantity, 0);
    if (l.reserved < 0 || l.onHand < 0) discrepancies.push(`stock ${l._id} is negative (on hand ${l.onHand}, reserved ${l.reserved})`);
    if (l.reserved > l.onHand) discrepancies.push(`stock ${l._id} has more reserved (${l.reserved}) than on hand (${l.onHand})`);
    if (held !== l.reserved) discrepancies.push(`stock ${l._id} reserves ${l.reserved} but its holds add up to ${held}`);
  }
  return { orders: counts, reservations: reservations.length, payments: payments.length, stockLevels: levels.length, discrepancies };
}

/** Checks until clean, or until `settleMs` has passed (the saga may still be moving). */
export async function checkConsistency(dbs: { orders: Db; inventory: Db; payments: Db }, opts: { settleMs?: number; maxPendingMs?: number } = {}): Promise<ConsistencyReport> {
  const deadline = Date.now() + (opts.settleMs ?? 10_000);
  for (;;) {
    const report = await checkOnce(dbs, opts);
    if ((report.discrepancies.length === 0 && report.orders.pending === 0) || Date.now() > deadline) return report;
    await new Promise((r) => setTimeout(r, 250));
  }
}
