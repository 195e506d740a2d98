import { Bandit, isStrategy, type ArmStats, type BanditSnapshot, type Rng } from './bandit.ts';
import { ConversionTracker, type ConversionSnapshot, type ConversionStats } from './conversion.ts';
import { RecommendationModel, type ModelOptions, type ModelSnapshot, type RankingSignals, type Scored, type Strategy } from './model.ts';
import { RecentKeys, type RecentKeysSnapshot } from './recent-keys.ts';

/**
 * What one instance serves recommendations from, in memory: the model (model.ts), the bandit's
 * counts (bandit.ts), the conversion of recommended items (conversion.ts), the facts applied
 * recently (recent-keys.ts) and where in the event stream it is. It is fed facts in stream order
 * (events/model-feed.ts maps the events) and answers every list without I/O; `snapshot()` /
 * `restore()` carry all of it, with the stream sequence it covers, across restarts.
 *
 * Subjects: `cust:<customerId>` for customers, `sess:<sessionId>` for anonymous sessions.
 * Slots (where a list is shown, reported back by the storefront with what it showed and what was
 * clicked): `product-page` (Product.recommendations: co-occurrence), `home` (Customer.recommended,
 * recommendedForSession: the bandit picks personal, trending or popular-in-category), `trending`.
 */
export const SLOTS = { productPage: 'product-page', home: 'home', trending: 'trending' } as const;
/** the strategies the bandit chooses between on the home slot */
export const HOME_STRATEGIES: readonly Strategy[] = ['personal', 'popular-in-category', 'trending'];

export const customerSubject = (customerId: string) => `cust:${customerId}`;
export const sessionSubject = (sessionId: string) => `sess:${sessionId}`;

export interface RecommendationList {
  slot: string;
  /** what produced the list (items may come from others when it had too few: each says its own) */
  strategy: Strategy;
  items: Scored[];
}

export interface Interaction {
  eventId: string;
  type: 'PRODUCT_VIEWED' | 'SEARCH_PERFORMED' | 'RECOMMENDATION_SHOWN' | 'RECOMMENDATION_CLICKED';
  productId: string | null;
  slot: string | null;
  strategy: string | null;
  /** epoch ms */
  at: number;
}

export interface RecommenderSnapshot {
  format: 1;
  /** the last stream sequence applied: the state is every event up to it */
  sequence: number;
  /** when the last applied event was published to the stream (epoch ms; 0 = none) */
  publishedAt: number;
  model: ModelSnapshot;
  bandit: BanditSnapshot;
  conversion: ConversionSnapshot;
  seen: RecentKeysSnapshot;
  /** product → its first category */
  categories: Array<[string, string]>;
  /** subject → the category of the last product it touched (the cold start of its home list) */
  lastCategory: Array<[string, string]>;
}

export interface RecommenderStats {
  arms: ArmStats[];
  conversion: ConversionStats;
  model: { products: number; subjects: number; pairs: number; lastAppliedSequence: number; lagMs: number };
}

export class Recommender {
  /** last stream sequence applied (0 = none) */
  lastAppliedSequence = 0;
  /** stream time of the last applied message (epoch ms) */
  lastPublishedAt = 0;
  /** messages the stream still had after the last applied one (0 = caught up) */
  pending = 0;
  /** ActivityForgotten applied since start (the snapshotter writes a fresh snapshot soon after one) */
  forgets = 0;

  private constructor(
    readonly model: RecommendationModel,
    readonly bandit: Bandit,
    readonly conversion: ConversionTracker,
    private readonly seen: RecentKeys,
    private readonly categories: Map<string, string>,
    private readonly lastCategory: Map<string, string>,
  ) {}

  static create(opts?: { model?: Partial<ModelOptions>; signals?: RankingSignals }): Recommender {
    return new Recommender(new RecommendationModel(opts?.model, opts?.signals), new Bandit(), new ConversionTracker(), new RecentKeys(), new Map(), new Map());
  }

  static restore(s: RecommenderSnapshot, opts?: { model?: Partial<ModelOptions>; signals?: RankingSignals }): Recommender {
    if (s.format !== 1) throw new Error(`unknown recommender snapshot format ${String((s as { format: unknown }).format)}`);
    const r = new Recommender(
      RecommendationModel.restore(s.model, opts?.model, opts?.signals),
      Bandit.restore(s.bandit),
      ConversionTracker.restore(s.conversion),
      RecentKeys.restore(s.seen),
      new Map(s.categories),
      new Map(s.lastCategory),
    );
    r.lastAppliedSequence = s.sequence;
    r.lastPublishedAt = s.publishedAt;
    return r;
  }

  snapshot(): RecommenderSnapshot {
    return {
      format: 1,
      sequence: this.lastAppliedSequence,
      publishedAt: this.lastPublishedAt,
      model: this.model.snapshot(),
      bandit: this.bandit.snapshot(),
      conversion: this.conversion.snapshot(),
      seen: this.seen.snapshot(),
      categories: [...this.categories],
      lastCategory: [...this.lastCategory],
    };
  }

  // ───────────────────────────── facts (in stream order) ─────────────────────────────

  /** true the first time a fact key is seen within the de-duplication window */
  firstTime(key: string, at: number): boolean {
    return this.seen.firstTime(key, at);
  }

  /** the stream position reached (every message counts, also those of no interest) */
  markApplied(sequence: number, publishedAt: number, pending: number): void {
    if (sequence > this.lastAppliedSequence) this.lastAppliedSequence = sequence;
    if (publishedAt > this.lastPublishedAt) this.lastPublishedAt = publishedAt;
    this.pending = pending;
  }

  /** the stream was recreated (its sequences restarted below ours): count from `sequence` on */
  restartSequence(sequence: number): void {
    this.lastAppliedSequence = sequence;
    this.pending = 0;
  }

  product(productId: string, info: { categoryIds: string[]; variantIds: string[]; status: 'ACTIVE' | 'ARCHIVED' }): void {
    this.model.setProduct(productId, info);
    const first = info.categoryIds[0];
    if (first) this.categories.set(productId, first);
    else this.categories.delete(productId);
  }

  productStatus(productId: string, status: 'ACTIVE' | 'ARCHIVED'): void {
    this.model.setProductStatus(productId, status);
  }

  variantStock(variantId: string, available: number): void {
    this.model.setVariantAvailable(variantId, available);
  }

  /**
   * One storefront batch of a session. With a customer, the session is linked to them first: its
   * history, touches and cold-start category become the customer's, and the batch counts for the
   * customer. Repeated interaction ids (`<sessionId>:<eventId>`) are applied once.
   */
  interactions(batch: { sessionId: string; customerId: string | null; interactions: Interaction[] }): void {
    const session = sessionSubject(batch.sessionId);
    let subject = session;
    if (batch.customerId) {
      subject = customerSubject(batch.customerId);
      this.model.linkSubject(session, subject);
      this.conversion.link(session, subject);
      const cat = this.lastCategory.get(session);
      if (cat !== undefined) {
        this.lastCategory.set(subject, cat);
        this.lastCategory.delete(session);
      }
    }
    for (const i of batch.interactions) {
      if (!this.firstTime(`i:${batch.sessionId}:${i.eventId}`, i.at)) continue;
      const strategy = isStrategy(i.strategy) ? i.strategy : null;
      switch (i.type) {
        case 'PRODUCT_VIEWED':
          if (!i.productId) break;
          this.model.record(subject, i.productId, 'view', i.at);
          this.conversion.view(subject, i.productId, i.at);
          this.touched(subject, i.productId);
          break;
        case 'RECOMMENDATION_CLICKED':
          if (i.productId) {
            this.model.record(subject, i.productId, 'click', i.at);
            this.conversion.click(subject, i.productId, i.at);
            this.touched(subject, i.productId);
          }
          if (i.slot && strategy) this.bandit.recordClick(i.slot, strategy);
          break;
        case 'RECOMMENDATION_SHOWN':
          if (i.slot && strategy) this.bandit.recordImpression(i.slot, strategy);
          break;
        default:
          break; // searches: not a signal of this model
      }
    }
  }

  cartLine(customerId: string, productId: string, at: number): void {
    const subject = customerSubject(customerId);
    this.model.record(subject, productId, 'cart', at);
    this.touched(subject, productId);
  }

  /**
   * A review: 4 or 5 stars is a strong liking (the `review` signal: a review written later than
   * the purchase's episode ties the product to what the shopper looks at then); 1–3 stars adds
   * nothing (the purchase already counted, and a poor review is no reason to suggest its neighbours).
   */
  review(customerId: string, productId: string, rating: number, at: number): void {
    if (rating < 4) return;
    const subject = customerSubject(customerId);
    this.model.record(subject, productId, 'review', at);
    this.touched(subject, productId);
  }

  purchase(customerId: string, productIds: string[], at: number): void {
    const subject = customerSubject(customerId);
    for (const productId of new Set(productIds)) {
      this.model.record(subject, productId, 'purchase', at);
      this.conversion.purchase(subject, productId, at);
      this.touched(subject, productId);
    }
    this.conversion.prune(at);
  }

  /** erases the customer's and their sessions' histories, purchases, touches and cold-start category */
  forget(customerId: string, sessionIds: string[]): void {
    for (const subject of [customerSubject(customerId), ...sessionIds.map(sessionSubject)]) {
      this.model.forget(subject);
      this.conversion.forget(subject);
      this.lastCategory.delete(subject);
    }
    this.forgets++;
  }

  /** drops what has aged out of its window (conversion touches); the snapshotter calls it */
  prune(now: number): void {
    this.conversion.prune(now);
  }

  /** whether anything is kept about a subject (tests and the forget check) */
  knows(subject: string): boolean {
    return this.model.hasSubject(subject) || this.conversion.hasSubject(subject) || this.lastCategory.has(subject);
  }

  private touched(subject: string, productId: string): void {
    const cat = this.categories.get(productId);
    if (cat !== undefined) {
      this.lastCategory.delete(subject); // re-inserted last: the map stays ordered by recency
      this.lastCategory.set(subject, cat);
    }
  }

  // ───────────────────────────── lists (no I/O) ─────────────────────────────

  /** Product page: co-occurrence, without what the customer bought; popular in its category while it has none. */
  forProduct(productId: string, first: number, customerId: string | null): RecommendationList {
    const items = this.model.similar(productId, first, customerId ? { forSubject: customerSubject(customerId) } : {});
    return { slot: SLOTS.productPage, strategy: items.some((i) => i.strategy === 'co-occurrence') ? 'co-occurrence' : 'popular-in-category', items };
  }

  /**
   * A subject's home list: the bandit picks the strategy among those with something to show
   * (personal needs a history of its own), the list is that strategy's, topped up from the others
   * (each item says its strategy) when it has fewer than `first`.
   */
  forSubject(subject: string, first: number, rng: Rng, slot: string = SLOTS.home): RecommendationList {
    const lists = new Map<Strategy, Scored[]>();
    if (this.model.hasSubject(subject)) {
      const p = this.model.personal(subject, first);
      if (p.some((i) => i.strategy === 'personal')) lists.set('personal', p);
    }
    const popular = this.model.popularInCategory(this.lastCategory.get(subject) ?? null, first, { forSubject: subject });
    if (popular.length) lists.set('popular-in-category', popular);
    const trending = this.model.trending(first, { forSubject: subject });
    if (trending.length) lists.set('trending', trending);
    const eligible = HOME_STRATEGIES.filter((s) => lists.has(s));
    if (eligible.length === 0) return { slot, strategy: 'popular-in-category', items: [] };
    const strategy = this.bandit.chooseStrategy(slot, eligible, rng);
    const items = [...lists.get(strategy)!];
    const seen = new Set(items.map((i) => i.productId));
    for (const s of eligible) {
      if (items.length >= first) break;
      for (const i of lists.get(s)!) {
        if (items.length >= first) break;
        if (!seen.has(i.productId)) {
          seen.add(i.productId);
          items.push(i);
        }
      }
    }
    if (items.length < first) for (const i of this.model.popularInCategory(null, first - items.length, { forSubject: subject, exclude: seen })) items.push(i);
    return { slot, strategy, items: items.slice(0, first) };
  }

  /** Short-term popularity against the long-term one; without what the customer bought. */
  trending(first: number, customerId: string | null): RecommendationList {
    const forSubject = customerId ? { forSubject: customerSubject(customerId) } : {};
    const items = this.model.trending(first, forSubject);
    if (items.length < first) {
      const seen = new Set(items.map((i) => i.productId));
      items.push(...this.model.popularInCategory(null, first - items.length, { ...forSubject, exclude: seen }));
    }
    return { slot: SLOTS.trending, strategy: 'trending', items };
  }

  stats(now: number): RecommenderStats {
    return {
      arms: this.bandit.stats(HOME_STRATEGIES.map((strategy) => ({ slot: SLOTS.home, strategy }))),
      conversion: this.conversion.stats(),
      model: { ...this.model.stats(), lastAppliedSequence: this.lastAppliedSequence, lagMs: this.lagMs(now) },
    };
  }

  /** how far behind the stream the model is: 0 when caught up, else the age of the last applied message */
  lagMs(now: number): number {
    return this.pending > 0 && this.lastPublishedAt > 0 ? Math.max(0, now - this.lastPublishedAt) : 0;
  }
}
