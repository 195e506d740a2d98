import { seededRandom } from '@commerce/platform';
import type { Strategy } from './model.ts';

/**
 * Thompson sampling over the strategies eligible for a slot (a place lists are shown: home,
 * product-page…). Each (slot, strategy) arm keeps the impressions and clicks reported back by the
 * storefront (RECOMMENDATION_SHOWN / RECOMMENDATION_CLICKED, from the event stream, so every
 * instance has the same counts); its click rate's posterior is Beta(clicks + 1, impressions −
 * clicks + 1). A choice draws one sample per eligible arm and takes the highest: an arm is chosen
 * with the probability that it is the best, so traffic moves to what is clicked while the others
 * keep being tried now and then.
 *
 * Pure: the random source is passed in (`Rng`), so a seeded one makes every choice reproducible.
 * The counts are part of the model's snapshot; the choices made are this instance's own (how its
 * traffic was split since it started) and are not.
 */
export type Rng = () => number;

/** A seeded PRNG (@commerce/platform's): the same sequence for the same seed. */
export const seededRng = (seed: number): Rng => seededRandom(seed);

/** A standard normal sample (Box–Muller) from a uniform source. */
function normal(rng: Rng): number {
  let u = 0;
  while (u <= Number.EPSILON) u = rng();
  const v = rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** A Gamma(shape, 1) sample (Marsaglia and Tsang, 2000); shape < 1 through Gamma(shape + 1) · U^(1/shape). */
export function sampleGamma(shape: number, rng: Rng): number {
  if (!(shape > 0)) throw new RangeError(`gamma shape must be positive, got ${shape}`);
  if (shape < 1) {
    let u = 0;
    while (u <= Number.EPSILON) u = rng();
    return sampleGamma(shape + 1, rng) * Math.pow(u, 1 / shape);
  }
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = normal(rng);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = rng();
    if (u < 1 - 0.0331 * x * x * x * x) return d * v;
    if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

/** A Beta(alpha, beta) sample: X / (X + Y) with X ~ Gamma(alpha), Y ~ Gamma(beta). */
export function sampleBeta(alpha: number, beta: number, rng: Rng): number {
  const x = sampleGamma(alpha, rng);
  const y = sampleGamma(beta, rng);
  return x + y === 0 ? 0.5 : x / (x + y);
}

export interface ArmCounts {
  impressions: number;
  clicks: number;
}

export interface ArmStats extends ArmCounts {
  slot: string;
  strategy: Strategy;
  /** clicks / impressions (0 without impressions) */
  ctr: number;
  /** the posterior Beta(alpha, beta) of the click rate */
  alpha: number;
  beta: number;
  /** lists of this slot this instance gave this strategy (since it started) */
  choices: number;
  /** choices / all choices of the slot (0 when none were made) */
  shareOfTraffic: number;
}

export interface BanditSnapshot {
  arms: Array<{ slot: string; strategy: Strategy; impressions: number; clicks: number }>;
}

export const STRATEGIES: readonly Strategy[] = ['co-occurrence', 'personal', 'popular-in-category', 'trending'];

export function isStrategy(value: unknown): value is Strategy {
  return typeof value === 'string' && (STRATEGIES as readonly string[]).includes(value);
}

/** Posterior of an arm: Beta(clicks + 1, impressions − clicks + 1), never below Beta(1, 1). */
export function posterior(c: ArmCounts): { alpha: number; beta: number } {
  return { alpha: c.clicks + 1, beta: Math.max(0, c.impressions - c.clicks) + 1 };
}

const key = (slot: string, strategy: Strategy) => `${slot}\u0000${strategy}`;

export class Bandit {
  private readonly counts = new Map<string, ArmCounts & { slot: string; strategy: Strategy }>();
  private readonly choices = new Map<string, number>();

  private arm(slot: string, strategy: Strategy) {
    const k = key(slot, strategy);
    let a = this.counts.get(k);
    if (!a) this.counts.set(k, (a = { slot, strategy, impressions: 0, clicks: 0 }));
    return a;
  }

  /** a list of this slot and strategy was shown (one impression per list) */
  recordImpression(slot: string, strategy: Strategy, n = 1): void {
    this.arm(slot, strategy).impressions += n;
  }

  /** an item of a list of this slot and strategy was clicked */
  recordClick(slot: string, strategy: Strategy): void {
    this.arm(slot, strategy).clicks += 1;
  }

  armCounts(slot: string, strategy: Strategy): ArmCounts {
    const a = this.counts.get(key(slot, strategy));
    return { impressions: a?.impressions ?? 0, clicks: a?.clicks ?? 0 };
  }

  /**
   * Picks the strategy of a list for `slot` among `eligible` (those that have something to show):
   * the highest of one posterior sample per arm. Counts the choice.
   */
  chooseStrategy(slot: string, eligible: readonly Strategy[], rng: Rng): Strategy {
    if (eligible.length === 0) throw new RangeError('chooseStrategy needs at least one eligible strategy');
    let best = eligible[0]!;
    if (eligible.length > 1) {
      let bestSample = -1;
      for (const s of eligible) {
        const { alpha, beta } = posterior(this.armCounts(slot, s));
        const sample = sampleBeta(alpha, beta, rng);
        if (sample > bestSample) {
          bestSample = sample;
          best = s;
        }
      }
    }
    const k = key(slot, best);
    this.choices.set(k, (this.choices.get(k) ?? 0) + 1);
    return best;
  }

  /** Every arm with counts or choices, plus `known` arms (shown with zeros until they have some). */
  stats(known: ReadonlyArray<{ slot: string; strategy: Strategy }> = []): ArmStats[] {
    const arms = new Map<string, { slot: string; strategy: Strategy }>();
    for (const a of known) arms.set(key(a.slot, a.strategy), a);
    for (const [k, a] of this.counts) arms.set(k, { slot: a.slot, strategy: a.strategy });
    for (const k of this.choices.keys()) {
      const [slot, strategy] = k.split('\u0000') as [string, Strategy];
      arms.set(k, { slot, strategy });
    }
    const perSlot = new Map<string, number>();
    for (const [k, n] of this.choices) {
      const slot = k.split('\u0000')[0]!;
      perSlot.set(slot, (perSlot.get(slot) ?? 0) + n);
    }
    return [...arms.entries()]
      .map(([k, { slot, strategy }]) => {
        const c = this.armCounts(slot, strategy);
        const choices = this.choices.get(k) ?? 0;
        const slotChoices = perSlot.get(slot) ?? 0;
        return { slot, strategy, ...c, ctr: c.impressions ? c.clicks / c.impressions : 0, ...posterior(c), choices, shareOfTraffic: slotChoices ? choices / slotChoices : 0 };
      })
      .sort((a, b) => a.slot.localeCompare(b.slot) || a.strategy.localeCompare(b.strategy));
  }

  snapshot(): BanditSnapshot {
    return { arms: [...this.counts.values()].map((a) => ({ slot: a.slot, strategy: a.strategy, impressions: a.impressions, clicks: a.clicks })) };
  }

  static restore(s: BanditSnapshot | undefined): Bandit {
    const b = new Bandit();
    for (const a of s?.arms ?? []) {
      if (!isStrategy(a.strategy)) continue;
      const arm = b.arm(a.slot, a.strategy);
      arm.impressions = a.impressions;
      arm.clicks = a.clicks;
    }
    return b;
  }
}
