/**
 * Conversion of recommended items against the rest, from the event stream:
 *
 * - a purchase of a product by a subject within `windowMs` (24 h) after that subject clicked it in
 *   a recommendation list is a *recommended purchase*; each click converts at most once;
 * - otherwise, a purchase within the window after the subject viewed the product (a view that did
 *   not follow a recommendation click of the same product) is an *other purchase*;
 * - rates: recommended purchases / recommendation clicks, other purchases / other views.
 *
 * Purchases with neither a click nor a view in the window (the storefront did not report one) are
 * counted in neither. Per subject it keeps the last click and view time of each product, for the
 * window only (`prune`); a session linked to a customer hands its entries over (`link`), and
 * `forget` erases a subject. The totals hold no identity.
 */
export const CONVERSION_WINDOW_MS = 24 * 3600_000;
/** most products remembered per subject (the oldest go first) */
const MAX_PER_SUBJECT = 500;

interface Touch {
  clickAt?: number;
  viewAt?: number;
}

export interface ConversionTotals {
  recommendedClicks: number;
  recommendedPurchases: number;
  otherViews: number;
  otherPurchases: number;
}

export interface ConversionStats extends ConversionTotals {
  recommendedConversionRate: number;
  otherConversionRate: number;
}

export interface ConversionSnapshot {
  totals: ConversionTotals;
  subjects: Array<[string, Array<[string, Touch]>]>;
}

export class ConversionTracker {
  private readonly subjects = new Map<string, Map<string, Touch>>();
  private totals: ConversionTotals = { recommendedClicks: 0, recommendedPurchases: 0, otherViews: 0, otherPurchases: 0 };

  constructor(private readonly windowMs = CONVERSION_WINDOW_MS) {}

  private touches(subject: string): Map<string, Touch> {
    let m = this.subjects.get(subject);
    if (!m) this.subjects.set(subject, (m = new Map()));
    return m;
  }

  private touch(subject: string, productId: string): Touch {
    const m = this.touches(subject);
    const t = m.get(productId) ?? {};
    m.delete(productId); // re-inserted last: the map is ordered oldest → newest
    m.set(productId, t);
    if (m.size > MAX_PER_SUBJECT) m.delete(m.keys().next().value!);
    return t;
  }

  private within(at: number | undefined, now: number): boolean {
    return at !== undefined && now - at <= this.windowMs && now >= at - this.windowMs;
  }

  click(subject: string, productId: string, at: number): void {
    this.totals.recommendedClicks++;
    this.touch(subject, productId).clickAt = at;
  }

  view(subject: string, productId: string, at: number): void {
    const t = this.touch(subject, productId);
    // the product page a recommendation click leads to is part of that click, not another view
    if (!this.within(t.clickAt, at)) this.totals.otherViews++;
    t.viewAt = at;
  }

  purchase(subject: string, productId: string, at: number): 'recommended' | 'other' | 'none' {
    const t = this.subjects.get(subject)?.get(productId);
    if (!t) return 'none';
    if (this.within(t.clickAt, at)) {
      this.totals.recommendedPurchases++;
      delete t.clickAt;
      delete t.viewAt;
      return 'recommended';
    }
    if (this.within(t.viewAt, at)) {
      this.totals.otherPurchases++;
      delete t.viewAt;
      return 'other';
    }
    return 'none';
  }

  /** a session seen signed in: its touches belong to the customer from now on */
  link(from: string, to: string): void {
    if (from === to) return;
    const src = this.subjects.get(from);
    if (!src) return;
    this.subjects.delete(from);
    for (const [productId, t] of src) {
      const dst = this.touch(to, productId);
      if (t.clickAt !== undefined) dst.clickAt = Math.max(dst.clickAt ?? -Infinity, t.clickAt);
      if (t.viewAt !== undefined) dst.viewAt = Math.max(dst.viewAt ?? -Infinity, t.viewAt);
    }
  }

  forget(subject: string): void {
    this.subjects.delete(subject);
  }

  hasSubject(subject: string): boolean {
    return this.subjects.has(subject);
  }

  /** drops touches older than the window (before `now`) */
  prune(now: number): void {
    for (const [subject, m] of this.subjects) {
      for (const [productId, t] of m) {
        if (t.clickAt !== undefined && now - t.clickAt > this.windowMs) delete t.clickAt;
        if (t.viewAt !== undefined && now - t.viewAt > this.windowMs) delete t.viewAt;
        if (t.clickAt === undefined && t.viewAt === undefined) m.delete(productId);
      }
      if (m.size === 0) this.subjects.delete(subject);
    }
  }

  stats(): ConversionStats {
    const t = this.totals;
    return {
      ...t,
      recommendedConversionRate: t.recommendedClicks ? t.recommendedPurchases / t.recommendedClicks : 0,
      otherConversionRate: t.otherViews ? t.otherPurchases / t.otherViews : 0,
    };
  }

  snapshot(): ConversionSnapshot {
    return { totals: { ...this.totals }, subjects: [...this.subjects].map(([s, m]) => [s, [...m].map(([p, t]) => [p, { ...t }])]) };
  }

  static restore(s: ConversionSnapshot | undefined, windowMs = CONVERSION_WINDOW_MS): ConversionTracker {
    const c = new ConversionTracker(windowMs);
    if (!s) return c;
    c.totals = { ...s.totals };
    for (const [subject, touches] of s.subjects) c.subjects.set(subject, new Map(touches.map(([p, t]) => [p, { ...t }])));
    return c;
  }
}
