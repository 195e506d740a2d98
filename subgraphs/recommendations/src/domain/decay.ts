/**
 * Forward exponential decay (Cormode, Shkapenyuk, Srivastava, Xu: "Forward decay: a practical
 * time decay model for streaming systems", ICDE 2009).
 *
 * A fact of weight w at time t is stored as w · 2^((t − t0) / H) against a reference time t0 shared
 * by every value of the same half-life H. Its decayed value at `now` is stored / 2^((now − t0) / H),
 * the same factor for every value: sums stay plain sums (an update is one addition, in any order of
 * arrival), and values compare (rank) without decaying anything. This is the "value + timestamp,
 * decayed on read" idea with one timestamp for all values instead of one each.
 *
 * The stored numbers grow by 2 every half-life; `needsRebase` says when to move t0 forward (every
 * stored value of that half-life is then multiplied by `rebaseFactor`, a rare O(state) pass).
 */
export const LN2 = Math.LN2;

/** Exponent bound: 2^480 · (the largest sums we keep) stays far below Number.MAX_VALUE (≈ 2^1024). */
const MAX_EXPONENT = 480;
/** Facts older than this many half-lives before t0 count as zero. */
const MIN_EXPONENT = -1000;

export function decayFactor(ageMs: number, halfLifeMs: number): number {
  return Math.pow(2, -Math.max(0, ageMs) / halfLifeMs);
}

export function growth(t: number, t0: number, halfLifeMs: number): number {
  const e = (t - t0) / halfLifeMs;
  return e < MIN_EXPONENT ? 0 : Math.pow(2, e);
}

export function needsRebase(t: number, t0: number, halfLifeMs: number): boolean {
  return (t - t0) / halfLifeMs > MAX_EXPONENT;
}

/** Multiplier that moves values stored against t0 to a new reference newT0 (> t0). */
export function rebaseFactor(t0: number, newT0: number, halfLifeMs: number): number {
  return growth(t0, newT0, halfLifeMs);
}
