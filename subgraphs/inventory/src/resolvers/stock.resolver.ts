import { badUserInput, isId } from '@commerce/platform';
import type { MutationResolvers, QueryResolvers, StockLevel, StockReservation } from '../__generated__/resolvers-types.ts';
import type { Context } from '../context.ts';
import { reservationIdFor, type ReservationRecord } from '../domain/reservation.ts';
import { setStock } from '../domain/set-stock.ts';
import { availableOf, type StockLevelRecord } from '../domain/stock-level.ts';

const toStockLevel = (l: Omit<StockLevelRecord, 'holds'>): StockLevel => ({
  variantId: l.variantId,
  locationId: l.locationId,
  onHand: l.onHand,
  reserved: l.reserved,
  available: availableOf(l),
  version: l.version,
  updatedAt: new Date(l.updatedAt).toISOString(),
});

const toReservation = (r: ReservationRecord): StockReservation => ({
  id: r._id,
  orderId: r.orderId,
  status: r.status,
  lines: r.lines.map((l) => ({ variantId: l.variantId, quantity: l.quantity })),
  expiresAt: r.expiresAt ? new Date(r.expiresAt).toISOString() : null,
  releaseReason: r.releaseReason ?? null,
  failureReason: r.failure?.reason ?? null,
});

const MAX_ID_LENGTH = 200;

export const stockQueries: QueryResolvers = {
  async stockLevels(_p, { variantId }, ctx) {
    if (!isId('var', variantId)) throw badUserInput('Malformed variant id', 'variantId');
    const levels = await ctx.deps.store.levelsOfVariants([variantId]);
    return levels.sort((a, b) => a.locationId.localeCompare(b.locationId)).map(toStockLevel);
  },
  async stockReservation(_p, { orderId }, ctx) {
    if (orderId.length === 0 || orderId.length > MAX_ID_LENGTH) throw badUserInput('Malformed order id', 'orderId');
    const r = await ctx.deps.store.reservation(reservationIdFor(orderId));
    return r ? toReservation(r) : null;
  },
};

const causeOf = (ctx: Context) => ({ correlationId: ctx.requestId, ...(ctx.traceparent ? { traceparent: ctx.traceparent } : {}) });

/** Admin mutations: thin — the domain validates and decides; userErrors carry expected failures. */
export const stockMutations: MutationResolvers = {
  async setStock(_p, { variantId, quantity }, ctx) {
    const r = await setStock(ctx.deps, variantId, quantity, causeOf(ctx));
    if (!r.ok) return { availability: null, userErrors: r.errors };
    return { availability: await ctx.loaders.availability.clear(variantId).load(variantId), userErrors: [] };
  },
};
