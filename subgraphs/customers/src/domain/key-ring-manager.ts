import type { JWK } from 'jose';
import type { Logger } from '@commerce/platform';
import type { KeyRingStore } from '../model/key-ring.store.ts';
import { activate, bootstrapRing, publicJwks, rotateRing, type ActiveRing, type KeyRing } from './key-ring.ts';
import type { TokenKeys } from './tokens.ts';

/**
 * The service's view of the key ring: loaded at start (created from the configured key on the very
 * first start), re-read periodically so a rotation made by the command reaches every instance, and
 * what the token issuer and the OAuth provider sign with.
 */
export interface KeyRingManager extends TokenKeys {
  readonly version: number;
  active(): ActiveRing;
  /** re-reads the ring; true when it changed (a rotation, or a retired key whose lifetime ended) */
  refresh(): Promise<boolean>;
  /** one rotation; returns the new ring's version, or undefined when another rotation won the race */
  rotate(): Promise<number | undefined>;
}

export interface KeyRingManagerOptions {
  store: KeyRingStore;
  /** the longest lifetime of a token signed by a key: how long a retired key stays published */
  tokenLifetimeSeconds: number;
  /** the configured key, the first current key of a new ring */
  seed: () => Promise<{ pem: string; kid: string }>;
  logger: Logger;
}

export async function createKeyRingManager(opts: KeyRingManagerOptions): Promise<KeyRingManager> {
  const load = async (): Promise<KeyRing> => {
    const stored = await opts.store.latest();
    if (stored) return stored;
    const first = await bootstrapRing(await opts.seed());
    if (await opts.store.insert(first)) {
      opts.logger.info({ current: first.keys[0]!.kid, next: first.keys[1]!.kid }, 'signing key ring created (the configured key is current)');
      return first;
    }
    // another instance created it at the same moment: use theirs
    return (await opts.store.latest())!;
  };
  let ring = await load();
  let active = activate(ring, opts.tokenLifetimeSeconds);
  let jwks = publicJwks(active);
  const publishedKids = () => active.published.map((k) => k.kid).join(',');

  return {
    get version() {
      return active.version;
    },
    active: () => active,
    current: () => active.current,
    jwks: (): { keys: JWK[] } => jwks,
    async refresh() {
      const before = `${active.version}:${publishedKids()}`;
      ring = await load();
      active = activate(ring, opts.tokenLifetimeSeconds);
      const changed = `${active.version}:${publishedKids()}` !== before;
      if (changed) {
        jwks = publicJwks(active);
        opts.logger.info({ version: active.version, current: active.current.kid, published: active.published.map((k) => `${k.kid}:${k.state}`) }, 'signing key ring changed');
      }
      return changed;
    },
    async rotate() {
      const latest = await load();
      const next = await rotateRing(latest, opts.tokenLifetimeSeconds);
      if (!(await opts.store.insert(next))) return undefined;
      ring = next;
      active = activate(ring, opts.tokenLifetimeSeconds);
      jwks = publicJwks(active);
      opts.logger.info({ version: next.version, current: next.keys[0]!.kid, next: next.keys[1]!.kid }, 'signing keys rotated');
      return next.version;
    },
  };
}
