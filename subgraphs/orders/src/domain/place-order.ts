import { OrderPlaced } from '@commerce/events/contracts';
import { callInternal, fail, InternalCallError, ok, userError, type Identity, type Result, type UserError } from '@commerce/platform';
import type { OrderState, ShippingAddress } from './order.ts';
import { applyChange, sumLines, type OrderChange, type OrderLine } from './order.ts';
import { orderIdFor } from './order-id.ts';
import type { CommandMeta, OrdersDeps } from './deps.ts';

export interface PlaceOrderInput {
  cartId: string;
  paymentToken: string;
  idempotencyKey: string;
  shippingAddress: ShippingAddress;
}

/** What the cart service's internal route answers (docs/checkout-saga.md). */
interface CartForCheckout {
  id: string;
  customerId: string | null;
  checkedOut: boolean;
  lines: OrderLine[];
}

export class DependencyUnavailableError extends Error {
  override name = 'DependencyUnavailableError';
}

const regionNames = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });
/** ISO 3166-1 alpha-2, assigned codes only (CLDR knows them; user-assigned AA, QM-QZ, XA-XZ, ZZ are not countries). */
function isCountryCode(code: string): boolean {
  if (!/^[A-Z]{2}$/.test(code) || /^(AA|Q[M-Z]|X[A-Z]|ZZ)$/.test(code)) return false;
  try {
    return regionNames.of(code) !== undefined;
  } catch {
    return false;
  }
}

export function validatePlaceOrder(input: PlaceOrderInput): UserError[] {
  const errors: UserError[] = [];
  const text = (v: string | null | undefined, max: number, field: string, required = true) => {
    const t = (v ?? '').trim();
    if ((required && !t) || t.length > max) errors.push(userError('INVALID_ADDRESS', `${field} must be ${required ? '1' : '0'}-${max} characters`, ['input', 'shippingAddress', field]));
  };
  if (!/^[\w.:-]{1,100}$/.test(input.idempotencyKey)) errors.push(userError('INVALID_IDEMPOTENCY_KEY', 'idempotencyKey must be 1-100 letters, digits, . _ : -', ['input', 'idempotencyKey']));
  if (!/^[\w-]{1,200}$/.test(input.paymentToken)) errors.push(userError('INVALID_PAYMENT_TOKEN', 'paymentToken is not a payment token', ['input', 'paymentToken']));
  if (!/^cart_[0-9a-z]{25}$/.test(input.cartId)) errors.push(userError('CART_NOT_FOUND', 'Cart not found', ['input', 'cartId']));
  const a = input.shippingAddress;
  text(a.name, 100, 'name');
  text(a.line1, 200, 'line1');
  text(a.line2, 200, 'line2', false);
  text(a.city, 100, 'city');
  text(a.postalCode, 20, 'postalCode');
  if (!isCountryCode(a.country)) errors.push(userError('INVALID_COUNTRY', 'country must be an ISO 3166-1 alpha-2 code such as US', ['input', 'shippingAddress', 'country']));
  return errors;
}

async function loadCart(deps: OrdersDeps, cartId: string, user: Identity, meta: CommandMeta): Promise<Result<CartForCheckout>> {
  let res;
  try {
    // on behalf of this request: the router's context for it, forwarded (cart accepts it from orders only)
    if (!meta.routerToken) throw new InternalCallError('no router context to forward to the cart service');
    res = await callInternal<CartForCheckout>(deps.cartUrl, `/internal/cart?id=${encodeURIComponent(cartId)}`, meta.routerToken);
  } catch (err) {
    if (err instanceof InternalCallError) throw new DependencyUnavailableError(`cart service: ${err.message}`);
    throw err;
  }
  if (res.status === 404 || res.status === 403) return fail(userError('CART_NOT_FOUND', 'Cart not found', ['input', 'cartId']));
  if (res.status !== 200) throw new DependencyUnavailableError(`cart service answered ${res.status}`);
  return ok(res.body);
}

/**
 * Places an order from a cart and starts the checkout saga (OrderPlaced). Returns at once with
 * the order PENDING. The same idempotency key from the same customer returns the same order
 * (also under concurrent retries: the order id is derived from the key and version 1 is a
 * unique insert), so nothing is reserved or charged twice.
 */
export async function placeOrder(deps: OrdersDeps, user: Identity, input: PlaceOrderInput, meta: CommandMeta): Promise<Result<OrderState>> {
  const orderId = orderIdFor(user.id, input.idempotencyKey);
  const existing = await findOrder(deps, orderId);
  if (existing) return ok(existing);

  const errors = validatePlaceOrder(input);
  if (errors.length) return fail(...errors);
  const cart = await loadCart(deps, input.cartId, user, meta);
  if (!cart.ok) return cart;
  if (cart.value.customerId !== user.id) return fail(userError('CART_NOT_FOUND', 'Cart not found', ['input', 'cartId']));
  if (cart.value.checkedOut) return fail(userError('CART_CHECKED_OUT', 'This cart was already checked out', ['input', 'cartId']));
  if (cart.value.lines.length === 0) return fail(userError('CART_EMPTY', 'The cart is empty', ['input', 'cartId']));

  const lines = cart.value.lines.map((l) => ({ productId: l.productId, variantId: l.variantId, sku: l.sku, title: l.title, quantity: l.quantity, unitPrice: l.unitPrice }));
  const total = sumLines(lines);
  // the token waits for payments in the payment-token store; the order keeps only its reference
  let paymentTokenRef: string;
  try {
    paymentTokenRef = await deps.paymentTokens.keep(orderId, input.paymentToken);
  } catch (err) {
    throw new DependencyUnavailableError(`payment-token store: ${(err as Error).message}`);
  }
  const at = new Date().toISOString();
  const change: OrderChange = {
    type: 'OrderPlaced',
    at,
    data: { customerId: user.id, cartId: input.cartId, idempotencyKey: input.idempotencyKey, lines, total, shippingAddress: { ...input.shippingAddress, line2: input.shippingAddress.line2 ?? null }, paymentTokenRef },
  };
  const state = applyChange(null, change, orderId);
  const event = OrderPlaced.create(
    { orderId, customerId: user.id, cartId: input.cartId, lines, total, placedAt: at },
    { aggregateId: orderId, correlationId: meta.requestId, ...(meta.traceparent ? { traceparent: meta.traceparent } : {}) },
  );
  // (a commit that throws may still complete through the relay's sweep: its token stays until its TTL)
  const result = await deps.committer.commit('orders', state, [event], change as unknown as Record<string, unknown>);
  if (result.ok) return ok(state);
  // a concurrent retry with the same key won: answer with its order (and its token reference)
  await forgetQuietly(deps, orderId, paymentTokenRef);
  const winner = await findOrder(deps, orderId);
  if (winner) return ok(winner);
  throw new Error(`order ${orderId}: commit lost but no winner found`);
}

/** Deletes a token this request kept but no order refers to (else it expires with its TTL). */
async function forgetQuietly(deps: OrdersDeps, orderId: string, ref: string): Promise<void> {
  await deps.paymentTokens.forget(orderId, ref).catch((err: unknown) => deps.logger.warn({ err }, 'placeOrder: an unused payment token could not be deleted; it expires'));
}

/** The current state of an order: its document, or its first committed entry when the document write is still in flight. */
export async function findOrder(deps: OrdersDeps, orderId: string): Promise<OrderState | null> {
  const doc = await deps.models.Order.collection.findOne({ _id: orderId } as never);
  if (doc) return doc as unknown as OrderState;
  const entry = await deps.db.collection('order_events').findOne({ _id: `orders:${orderId}:1` } as never);
  return entry ? ((entry as unknown as { state: OrderState }).state) : null;
}
