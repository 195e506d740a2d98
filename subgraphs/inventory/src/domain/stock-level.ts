/**
 * The stock level aggregate: the stock of one variant at one location, and the pure rules that
 * change it. Nothing here touches a database; `stock-ops.ts` runs these inside
 * `committer.update`, so every change is decided on the newest committed version and two
 * writers can never both commit on the same version (no oversell, on FerretDB too).
 *
 * Reserved stock is held per reservation (`holds`): `reserved` is always the sum of the holds.
 * That makes each per-line step of the saga idempotent and crash-safe: "does this level hold
 * stock for reservation X?" tells whether the step already happened.
 */
export const DEFAULT_LOCATION = 'loc_default';
/** the largest on-hand quantity setStock accepts */
export const MAX_ON_HAND = 1_000_000;

export interface Hold {
  reservationId: string;
  quantity: number;
}

export interface StockLevelRecord {
  /** `<variantId>@<locationId>` */
  _id: string;
  variantId: string;
  locationId: string;
  onHand: number;
  /** Σ holds.quantity; never above onHand */
  reserved: number;
  holds: Hold[];
  updatedAt: Date;
  version: number;
}

export const stockLevelId = (variantId: string, locationId: string = DEFAULT_LOCATION): string => `${variantId}@${locationId}`;

/** What can be sold now at this level. */
export const availableOf = (level: Pick<StockLevelRecord, 'onHand' | 'reserved'> | null | undefined): number =>
  level ? Math.max(0, level.onHand - level.reserved) : 0;

export type StockChange =
  | { kind: 'changed'; next: StockLevelRecord }
  | { kind: 'unchanged'; level: StockLevelRecord | null }
  | { kind: 'rejected'; code: 'BELOW_RESERVED' | 'INSUFFICIENT_STOCK'; level: StockLevelRecord | null; available: number };

/** The invariant every committed version satisfies; a violation is a bug, never committed. */
export function invariantViolation(l: StockLevelRecord): string | null {
  const held = l.holds.reduce((s, h) => s + h.quantity, 0);
  if (!Number.isInteger(l.onHand) || l.onHand < 0) return `onHand ${l.onHand} is negative`;
  if (!Number.isInteger(l.reserved) || l.reserved < 0) return `reserved ${l.reserved} is negative`;
  if (l.reserved > l.onHand) return `reserved ${l.reserved} exceeds onHand ${l.onHand}`;
  if (held !== l.reserved) return `holds sum to ${held}, reserved is ${l.reserved}`;
  if (new Set(l.holds.map((h) => h.reservationId)).size !== l.holds.length) return 'a reservation holds twice';
  if (l.holds.some((h) => !Number.isInteger(h.quantity) || h.quantity <= 0)) return 'a hold is not a positive integer';
  return null;
}

function changed(cur: StockLevelRecord | null, variantId: string, locationId: string, patch: Pick<StockLevelRecord, 'onHand' | 'reserved' | 'holds'>, now: Date): StockChange {
  const next: StockLevelRecord = {
    _id: stockLevelId(variantId, locationId),
    variantId,
    locationId,
    ...patch,
    updatedAt: now,
    version: (cur?.version ?? 0) + 1,
  };
  const broken = invariantViolation(next);
  if (broken) throw new Error(`stock level ${next._id}: refusing to commit a broken state: ${broken}`);
  return { kind: 'changed', next };
}

const holdOf = (cur: StockLevelRecord | null, reservationId: string) => cur?.holds.find((h) => h.reservationId === reservationId);

/** Sets the on-hand quantity (admin); never below what is reserved (reserved stock is never taken away). */
export function setOnHand(cur: StockLevelRecord | null, variantId: string, locationId: string, quantity: number, now: Date): StockChange {
  const reserved = cur?.reserved ?? 0;
  if (quantity < reserved) return { kind: 'rejected', code: 'BELOW_RESERVED', level: cur, available: availableOf(cur) };
  if (cur && cur.onHand === quantity) return { kind: 'unchanged', level: cur };
  return changed(cur, variantId, locationId, { onHand: quantity, reserved, holds: cur?.holds ?? [] }, now);
}

/** Holds `quantity` for a reservation, if that much is available; a second hold for it is a no-op. */
export function hold(cur: StockLevelRecord | null, variantId: string, locationId: string, reservationId: string, quantity: number, now: Date): StockChange {
  if (holdOf(cur, reservationId)) return { kind: 'unchanged', level: cur };
  const available = availableOf(cur);
  if (!cur || available < quantity) return { kind: 'rejected', code: 'INSUFFICIENT_STOCK', level: cur, available };
  return changed(cur, variantId, locationId, { onHand: cur.onHand, reserved: cur.reserved + quantity, holds: [...cur.holds, { reservationId, quantity }] }, now);
}

/** Gives a reservation's hold back; without a hold it is a no-op. */
export function release(cur: StockLevelRecord | null, reservationId: string, now: Date): StockChange {
  const h = holdOf(cur, reservationId);
  if (!cur || !h) return { kind: 'unchanged', level: cur };
  return changed(cur, cur.variantId, cur.locationId, { onHand: cur.onHand, reserved: cur.reserved - h.quantity, holds: cur.holds.filter((x) => x !== h) }, now);
}

/** Turns a reservation's hold into a sale: on hand and reserved both go down; without a hold it is a no-op. */
export function commitSale(cur: StockLevelRecord | null, reservationId: string, now: Date): StockChange {
  const h = holdOf(cur, reservationId);
  if (!cur || !h) return { kind: 'unchanged', level: cur };
  return changed(cur, cur.variantId, cur.locationId, { onHand: cur.onHand - h.quantity, reserved: cur.reserved - h.quantity, holds: cur.holds.filter((x) => x !== h) }, now);
}

/**
 * Undoes a committed sale: the units come back on hand *held* for the reservation (a marker that
 * the restock happened), and the release step that follows makes them available. With the hold
 * already there it is a no-op, so a replayed restock never adds the units twice.
 */
export function restock(cur: StockLevelRecord | null, variantId: string, locationId: string, reservationId: string, quantity: number, now: Date): StockChange {
  if (holdOf(cur, reservationId)) return { kind: 'unchanged', level: cur };
  return changed(
    cur,
    variantId,
    locationId,
    { onHand: (cur?.onHand ?? 0) + quantity, reserved: (cur?.reserved ?? 0) + quantity, holds: [...(cur?.holds ?? []), { reservationId, quantity }] },
    now,
  );
}
