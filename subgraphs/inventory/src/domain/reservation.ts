import { isId } from '@commerce/platform';
import { DEFAULT_LOCATION } from './stock-level.ts';

/**
 * The reservation aggregate (`res_<orderId>`): what inventory did for one order, and the pure
 * state machine that decides what it does next. One document per order is also the idempotency
 * record of the saga: a second order-placed for the order finds it and reserves nothing more.
 *
 * Stable states:   HELD (stock held until expiresAt) · COMMITTED (sold) · RELEASED (given back:
 *                  ORDER_CANCELLED or EXPIRED) · FAILED (could not reserve; nothing held) ·
 *                  CANCELLED (the order was cancelled before it was ever reserved: a tombstone,
 *                  so a late order-placed reserves nothing).
 * Transitions:     RESERVING · RELEASING · COMMITTING · RESTOCKING. A transition is claimed by
 *                  committing the aggregate (version n+1) with a lease; only the lease holder
 *                  changes stock for it, line by line, then commits the next state together with
 *                  the saga event. A holder that died is taken over once its lease has run out.
 *
 *   (none) ─placed─► RESERVING ─ok─► HELD ─confirmed─► COMMITTING ─► COMMITTED ─cancelled─► RESTOCKING ─┐
 *                        │             ├─cancelled / expired─► RELEASING ─► RELEASED ◄───────────────────┘
 *                        └─short─► RELEASING (compensation) ─► FAILED
 *   RELEASED(EXPIRED) ─confirmed─► RESERVING(intent COMMIT) ─ok─► COMMITTING ─► COMMITTED
 *                                                         └─short─► RELEASING ─► RELEASED (parked, see README)
 */
export type ReservationStatus = 'RESERVING' | 'HELD' | 'FAILED' | 'RELEASING' | 'RELEASED' | 'COMMITTING' | 'COMMITTED' | 'RESTOCKING' | 'CANCELLED';

export const TRANSITIONAL: ReadonlySet<ReservationStatus> = new Set(['RESERVING', 'RELEASING', 'COMMITTING', 'RESTOCKING']);
/** States nothing moves out of by itself (COMMITTED can still be restocked by a cancellation). */
export const SETTLED: ReadonlySet<ReservationStatus> = new Set(['FAILED', 'RELEASED', 'COMMITTED', 'CANCELLED']);

export interface ReservationLine {
  variantId: string;
  locationId: string;
  quantity: number;
}

export interface ShortLine {
  variantId: string;
  requested: number;
  available: number;
}

export interface Lease {
  owner: string;
  until: Date;
}

export interface ReservationRecord {
  _id: string;
  orderId: string;
  /** one line per variant (an order's lines of the same variant are merged) */
  lines: ReservationLine[];
  status: ReservationStatus;
  /** what a RESERVING transition leads to: HELD (order placed) or straight to a sale (late confirmation) */
  intent: 'HOLD' | 'COMMIT';
  releaseReason: 'ORDER_CANCELLED' | 'EXPIRED' | null;
  /** why the last reserve attempt failed; set while compensating and after */
  failure: { reason: 'OUT_OF_STOCK' | 'UNKNOWN_VARIANT'; lines: ShortLine[] } | null;
  expiresAt: Date | null;
  lease: Lease | null;
  /** the saga's correlation id (from order-placed), carried by every event inventory publishes for it */
  correlationId: string;
  createdAt: Date;
  updatedAt: Date;
  version: number;
}

export const reservationIdFor = (orderId: string): string => `res_${orderId}`;

/** Which saga event a committed step publishes. */
export type Emission = 'reserved' | 'failed' | 'released' | 'committed' | null;

export type Trigger =
  | { kind: 'placed'; lines: Array<{ variantId: string; quantity: number }>; correlationId: string }
  | { kind: 'confirmed' }
  | { kind: 'cancelled'; correlationId: string }
  | { kind: 'expire' }
  | { kind: 'resume' };

export type Plan =
  /** commit `next`; when `tookOver`, a dead holder's transition is being finished first */
  | { kind: 'claim'; next: ReservationRecord; emit: Emission; tookOver: boolean }
  | { kind: 'noop'; reason: string; unexpected: boolean }
  /** another worker holds a live lease on a transition of this order: retry later */
  | { kind: 'busy' }
  /** the event came before what it depends on (e.g. confirmed before placed was handled): retry later */
  | { kind: 'notYet'; reason: string };

export interface PlanContext {
  orderId: string;
  now: Date;
  owner: string;
  leaseMs: number;
}

/** Merges an order's lines per variant; ids that are not variant ids make the order unreservable. */
export function mergeLines(lines: Array<{ variantId: string; quantity: number }>): { lines: ReservationLine[]; unknown: ShortLine[] } {
  const byVariant = new Map<string, number>();
  const unknown: ShortLine[] = [];
  for (const l of lines) {
    if (!isId('var', l.variantId)) unknown.push({ variantId: l.variantId, requested: l.quantity, available: 0 });
    else byVariant.set(l.variantId, (byVariant.get(l.variantId) ?? 0) + l.quantity);
  }
  return { lines: [...byVariant].map(([variantId, quantity]) => ({ variantId, locationId: DEFAULT_LOCATION, quantity })), unknown };
}

const leaseFor = (ctx: PlanContext): Lease => ({ owner: ctx.owner, until: new Date(ctx.now.getTime() + ctx.leaseMs) });

function bump(cur: ReservationRecord, patch: Partial<ReservationRecord>, now: Date): ReservationRecord {
  return { ...cur, ...patch, updatedAt: now, version: cur.version + 1 };
}

const claim = (next: ReservationRecord, emit: Emission = null, tookOver = false): Plan => ({ kind: 'claim', next, emit, tookOver });
const noop = (reason: string, unexpected = false): Plan => ({ kind: 'noop', reason, unexpected });

/** Decides what a trigger does to the current reservation (pure; re-run on a lost version race). */
export function planFor(cur: ReservationRecord | null, trigger: Trigger, ctx: PlanContext): Plan {
  const { now } = ctx;
  if (cur && TRANSITIONAL.has(cur.status)) {
    if (cur.lease && cur.lease.until.getTime() > now.getTime()) return trigger.kind === 'resume' ? noop('transition in progress') : { kind: 'busy' };
    // the holder died (or gave the lease up after an error): finish its transition first
    return claim(bump(cur, { lease: leaseFor(ctx) }, now), null, trigger.kind !== 'resume');
  }
  switch (trigger.kind) {
    case 'resume':
      return noop('nothing to resume');
    case 'placed': {
      if (cur) return noop(`order already handled (${cur.status})`);
      const { lines, unknown } = mergeLines(trigger.lines);
      const base: ReservationRecord = {
        _id: reservationIdFor(ctx.orderId),
        orderId: ctx.orderId,
        lines,
        status: 'RESERVING',
        intent: 'HOLD',
        releaseReason: null,
        failure: null,
        expiresAt: null,
        lease: leaseFor(ctx),
        correlationId: trigger.correlationId,
        createdAt: now,
        updatedAt: now,
        version: 1,
      };
      if (unknown.length || lines.length === 0) {
        return claim({ ...base, status: 'FAILED', lease: null, failure: { reason: 'UNKNOWN_VARIANT', lines: unknown } }, 'failed');
      }
      return claim(base);
    }
    case 'confirmed': {
      if (!cur) return { kind: 'notYet', reason: 'confirmed before the order was reserved' };
      switch (cur.status) {
        case 'HELD':
          return claim(bump(cur, { status: 'COMMITTING', lease: leaseFor(ctx) }, now));
        case 'COMMITTED':
          return noop('already committed');
        case 'RELEASED':
          if (cur.releaseReason === 'EXPIRED') {
            // confirmed after the reservation expired: try to reserve again, then sell
            return claim(bump(cur, { status: 'RESERVING', intent: 'COMMIT', failure: null, lease: leaseFor(ctx) }, now));
          }
          return noop(`confirmed, but the reservation was released (${cur.releaseReason})`, true);
        default:
          return noop(`confirmed, but the reservation is ${cur.status}`, true);
      }
    }
    case 'cancelled': {
      if (!cur) {
        // never reserved: a tombstone (no event, no stock) so a late order-placed reserves nothing
        return claim({
          _id: reservationIdFor(ctx.orderId),
          orderId: ctx.orderId,
          lines: [],
          status: 'CANCELLED',
          intent: 'HOLD',
          releaseReason: 'ORDER_CANCELLED',
          failure: null,
          expiresAt: null,
          lease: null,
          correlationId: trigger.correlationId,
          createdAt: now,
          updatedAt: now,
          version: 1,
        });
      }
      switch (cur.status) {
        case 'HELD':
          return claim(bump(cur, { status: 'RELEASING', releaseReason: 'ORDER_CANCELLED', expiresAt: null, lease: leaseFor(ctx) }, now));
        case 'COMMITTED':
          return claim(bump(cur, { status: 'RESTOCKING', lease: leaseFor(ctx) }, now));
        default:
          return noop(`nothing to give back (${cur.status})`);
      }
    }
    case 'expire': {
      if (cur?.status !== 'HELD' || !cur.expiresAt || cur.expiresAt.getTime() > now.getTime()) return noop('not an expired hold');
      return claim(bump(cur, { status: 'RELEASING', releaseReason: 'EXPIRED', expiresAt: null, lease: leaseFor(ctx) }, now));
    }
  }
}

/**
 * How the stock steps of a transition went: every line done, or a line that could not be held.
 * `heldSome` is false when the very first line was short: lines are held in order and a hold is
 * only given back by a later transition, so then no line of the order is held at all.
 */
export type PhaseResult = { ok: true } | { ok: false; short: ShortLine[]; heldSome: boolean };

/** The state a transition leads to once its stock steps are done (pure). */
export function completePhase(cur: ReservationRecord, result: PhaseResult, ctx: PlanContext & { ttlMs: number }): { next: ReservationRecord; emit: Emission } {
  const { now } = ctx;
  switch (cur.status) {
    case 'RESERVING':
      if (!result.ok) {
        const failure = { reason: 'OUT_OF_STOCK' as const, lines: result.short };
        if (result.heldSome) return { next: bump(cur, { status: 'RELEASING', failure, lease: leaseFor(ctx) }, now), emit: null };
        // nothing held: no compensation to run, settle at once (as RELEASING would)
        if (cur.intent === 'COMMIT') return { next: bump(cur, { status: 'RELEASED', failure, lease: null }, now), emit: null };
        return { next: bump(cur, { status: 'FAILED', failure, lease: null }, now), emit: 'failed' };
      }
      if (cur.intent === 'COMMIT') return { next: bump(cur, { status: 'COMMITTING', lease: leaseFor(ctx) }, now), emit: null };
      return { next: bump(cur, { status: 'HELD', expiresAt: new Date(now.getTime() + ctx.ttlMs), lease: null }, now), emit: 'reserved' };
    case 'RELEASING':
      if (cur.failure) {
        // compensation of a failed reserve is done: nothing of the order is held any more
        if (cur.intent === 'COMMIT') return { next: bump(cur, { status: 'RELEASED', lease: null }, now), emit: null };
        return { next: bump(cur, { status: 'FAILED', lease: null }, now), emit: 'failed' };
      }
      return { next: bump(cur, { status: 'RELEASED', lease: null }, now), emit: 'released' };
    case 'COMMITTING':
      return { next: bump(cur, { status: 'COMMITTED', expiresAt: null, lease: null }, now), emit: 'committed' };
    case 'RESTOCKING':
      // the sold units are back on hand, held for this order; releasing them makes them available
      return { next: bump(cur, { status: 'RELEASING', releaseReason: 'ORDER_CANCELLED', lease: leaseFor(ctx) }, now), emit: null };
    default:
      throw new Error(`reservation ${cur._id} is not in a transition (${cur.status})`);
  }
}
