import { createHash } from 'node:crypto';

/**
 * The facts applied recently, to apply each once: envelope ids (a re-published event) and client
 * interaction ids (`<sessionId>:<eventId>`: a storefront that sent the same interaction twice).
 * Kept for `windowMs` of event time (24 h, analytics' de-duplication window too) and at most
 * `max` keys, oldest dropped first. Keys are stored hashed (12 bytes of SHA-256, base64): the
 * set holds no session id, so forgetting a customer has nothing to erase here.
 */
export const DEDUP_WINDOW_MS = 24 * 3600_000;
export const DEDUP_MAX_KEYS = 300_000;

export type RecentKeysSnapshot = Array<[string, number]>;

export class RecentKeys {
  /** hash → event time, in insertion order (≈ event time order) */
  private readonly keys = new Map<string, number>();

  constructor(
    private readonly windowMs = DEDUP_WINDOW_MS,
    private readonly max = DEDUP_MAX_KEYS,
  ) {}

  static hash(key: string): string {
    return createHash('sha256').update(key).digest('base64').slice(0, 16);
  }

  /** true the first time `key` is seen (within the window), false for a repeat */
  firstTime(key: string, at: number): boolean {
    const h = RecentKeys.hash(key);
    if (this.keys.has(h)) return false;
    this.keys.set(h, at);
    this.prune(at);
    return true;
  }

  private prune(now: number): void {
    for (const [h, at] of this.keys) {
      if (this.keys.size <= this.max && now - at <= this.windowMs) break;
      this.keys.delete(h);
    }
  }

  get size(): number {
    return this.keys.size;
  }

  snapshot(): RecentKeysSnapshot {
    return [...this.keys];
  }

  static restore(s: RecentKeysSnapshot | undefined, windowMs = DEDUP_WINDOW_MS, max = DEDUP_MAX_KEYS): RecentKeys {
    const r = new RecentKeys(windowMs, max);
    for (const [h, at] of s ?? []) r.keys.set(h, at);
    return r;
  }
}
