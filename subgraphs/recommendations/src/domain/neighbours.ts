/**
 * The neighbours of one item: co-occurrence weights by neighbour index, in typed arrays (no boxed
 * numbers per entry, a tight loop to read them all) with a map from neighbour to slot for updates.
 * Bounded: past `cap` + slack entries, the weakest are dropped down to `cap` (ties by `tieKey`).
 */
export class NeighbourList {
  keys: Int32Array;
  vals: Float64Array;
  size = 0;
  private readonly slot = new Map<number, number>();

  constructor(initial = 8) {
    this.keys = new Int32Array(initial);
    this.vals = new Float64Array(initial);
  }

  get(k: number): number {
    const s = this.slot.get(k);
    return s === undefined ? 0 : (this.vals[s] as number);
  }

  /** adds `inc` to the weight of `k`; returns the size after the add */
  add(k: number, inc: number): number {
    const s = this.slot.get(k);
    if (s !== undefined) {
      this.vals[s] = (this.vals[s] as number) + inc;
      return this.size;
    }
    if (this.size === this.keys.length) this.grow(this.size * 2);
    this.keys[this.size] = k;
    this.vals[this.size] = inc;
    this.slot.set(k, this.size);
    return ++this.size;
  }

  /** keeps the `cap` strongest entries (ties: smaller tieKey first) */
  prune(cap: number, tieKey: (k: number) => string): void {
    const n = this.size;
    if (n <= cap) return;
    const { keys, vals } = this;
    // the cap-th largest weight is the threshold: keep what is above it, then the ties by tieKey
    const sorted = vals.slice(0, n).sort();
    const threshold = sorted[n - cap] as number;
    let above = 0;
    for (let i = n - cap + 1; i < n; i++) if ((sorted[i] as number) > threshold) above++;
    let tiesLeft = cap - above;
    let tied: number[] | null = null;
    if (tiesLeft < n - above && (sorted[n - cap - 1] as number) === threshold) {
      // more entries at the threshold than places: the smallest tieKeys win
      tied = [];
      for (let i = 0; i < n; i++) if (vals[i] === threshold) tied.push(keys[i] as number);
      tied.sort((a, b) => (tieKey(a) < tieKey(b) ? -1 : tieKey(a) > tieKey(b) ? 1 : 0));
      tied.length = tiesLeft;
    }
    const keepTie = tied ? new Set(tied) : null;
    let w = 0;
    for (let i = 0; i < n; i++) {
      const k = keys[i] as number;
      const v = vals[i] as number;
      let keep = v > threshold;
      if (!keep && v === threshold) keep = keepTie ? keepTie.has(k) : tiesLeft-- > 0;
      if (!keep) {
        this.slot.delete(k);
        continue;
      }
      if (w !== i) {
        keys[w] = k;
        vals[w] = v;
        this.slot.set(k, w);
      }
      w++;
    }
    this.size = w;
  }

  /** multiplies every weight (rebasing of forward decay) */
  scale(f: number): void {
    for (let i = 0; i < this.size; i++) this.vals[i] = (this.vals[i] as number) * f;
  }

  /** [k, w, k, w, …] */
  toFlat(): number[] {
    const out: number[] = new Array(this.size * 2);
    for (let i = 0; i < this.size; i++) {
      out[2 * i] = this.keys[i] as number;
      out[2 * i + 1] = this.vals[i] as number;
    }
    return out;
  }

  private grow(n: number): void {
    const k = new Int32Array(Math.max(4, n));
    k.set(this.keys.subarray(0, this.size));
    const v = new Float64Array(Math.max(4, n));
    v.set(this.vals.subarray(0, this.size));
    this.keys = k;
    this.vals = v;
  }
}
