import { toApiMoney } from '@commerce/platform';

/**
 * The public event types partners subscribe to: dot names, each with a versioned payload
 * (`data.schemaVersion`; a breaking change is a new schema version announced in the README, never
 * an edit). Each comes from one platform event (see events/webhook-consumers.ts).
 */
export const PUBLIC_EVENT_TYPES = {
  'order.confirmed': 'An order was confirmed (stock reserved, payment authorized). From orders.order-confirmed.v1.',
  'order.cancelled': 'An order was cancelled (out of stock, payment declined, by the customer, timed out). From orders.order-cancelled.v1.',
  'product.price_changed': "A variant's price changed. From catalog.variant-price-changed.v1.",
  'product.status_changed': 'A product was archived or made active again. From catalog.product-status-changed.v1.',
  'inventory.low_stock': "A variant's available stock (all locations) fell below the low-stock threshold. From inventory.stock-level-changed.v1.",
} as const;
export type PublicEventType = keyof typeof PUBLIC_EVENT_TYPES;

/** The payload schema version of every public event type today. */
export const SCHEMA_VERSION = 1;

export function isPublicEventType(t: string): t is PublicEventType {
  return Object.prototype.hasOwnProperty.call(PUBLIC_EVENT_TYPES, t);
}

/** One platform event as a partner sees it: its public type, when it happened, and its data. */
export interface PublicEvent {
  type: PublicEventType;
  /** the platform event's id: with the subscription id, what makes the delivery id */
  eventId: string;
  occurredAt: Date;
  data: Record<string, unknown>;
}

/** Minor units → the API's decimal Money. */
type MinorMoney = { amount: number; currencyCode: string };
const money = (m: MinorMoney) => toApiMoney(m);

interface Line {
  productId: string;
  variantId: string;
  sku: string;
  title: string;
  quantity: number;
  unitPrice: MinorMoney;
}
const lines = (ls: Line[]) => ls.map((l) => ({ productId: l.productId, variantId: l.variantId, sku: l.sku, title: l.title, quantity: l.quantity, unitPrice: money(l.unitPrice) }));

export function orderConfirmedData(d: { orderId: string; customerId: string; lines: Line[]; total: MinorMoney; confirmedAt: string }): Record<string, unknown> {
  return { schemaVersion: SCHEMA_VERSION, orderId: d.orderId, customerId: d.customerId, total: money(d.total), lines: lines(d.lines), confirmedAt: d.confirmedAt };
}

export function orderCancelledData(d: { orderId: string; customerId: string; reason: string; lines: Line[]; wasConfirmed: boolean; cancelledAt: string }): Record<string, unknown> {
  return { schemaVersion: SCHEMA_VERSION, orderId: d.orderId, customerId: d.customerId, reason: d.reason, wasConfirmed: d.wasConfirmed, lines: lines(d.lines), cancelledAt: d.cancelledAt };
}

export function priceChangedData(d: { productId: string; variantId: string; sku: string; price: MinorMoney; previousPrice: MinorMoney }): Record<string, unknown> {
  return { schemaVersion: SCHEMA_VERSION, productId: d.productId, variantId: d.variantId, sku: d.sku, price: money(d.price), previousPrice: money(d.previousPrice) };
}

export function statusChangedData(d: { productId: string; status: string; changedAt: string }): Record<string, unknown> {
  return { schemaVersion: SCHEMA_VERSION, productId: d.productId, status: d.status, changedAt: d.changedAt };
}

export function lowStockData(d: { variantId: string; locationId: string; available: number }, threshold: number): Record<string, unknown> {
  return { schemaVersion: SCHEMA_VERSION, variantId: d.variantId, available: d.available, threshold, locationId: d.locationId };
}

/** The exact body a delivery sends (and signs): `{ type, timestamp, data }`, the same bytes on every attempt. */
export function deliveryBody(event: PublicEvent): string {
  return JSON.stringify({ type: event.type, timestamp: event.occurredAt.toISOString(), data: event.data });
}
