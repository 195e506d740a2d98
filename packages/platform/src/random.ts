/**
 * A small seeded PRNG (mulberry32, public domain, Tommy Ettinger): uniform in [0, 1), the same
 * sequence for the same seed. For what must repeat exactly: the demo catalog, simulated
 * shoppers, the synthetic shop of the offline evaluation, seeded tests of the bandit. Never for
 * secrets or ids (node:crypto is).
 */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
