import type { Versioned } from '@commerce/events';
import type { TicketCategory } from './ticket.ts';

/**
 * Support's figures per category and per day: time to first response, time to resolution and
 * CSAT. One document per (day, category), built from support's own events by a consumer; each
 * ticket's measure is stored under its id, so a redelivered event or a ticket resolved twice
 * (reopened, then resolved again) counts once, with its latest value. A resolution counts on the
 * day it happened (with the first response time it had), a rating on the day it was given.
 */
export const FIGURES_COLLECTION = 'support_figures';

export interface DailyFigures extends Versioned {
  _id: string; // `${day}:${category}`
  day: string; // YYYY-MM-DD (UTC)
  category: TicketCategory;
  /** seconds from opening to the first agent answer, per ticket */
  firstResponse: Record<string, number>;
  /** seconds from opening to resolution, per ticket */
  resolution: Record<string, number>;
  /** satisfaction score 1–5, per ticket */
  ratings: Record<string, number>;
  updatedAt: Date;
  version: number;
}

export const dayOf = (d: Date) => d.toISOString().slice(0, 10);
export const figuresId = (day: string, category: TicketCategory) => `${day}:${category}`;

export type FiguresFact =
  | { kind: 'resolved'; ticketId: string; firstResponseSeconds: number | null; resolutionSeconds: number }
  | { kind: 'rated'; ticketId: string; score: number };

/** The figures with one more fact, or null when it is recorded already (same ticket, same value). */
export function applyFiguresFact(current: DailyFigures | null, day: string, category: TicketCategory, fact: FiguresFact, now: Date): DailyFigures | null {
  const f: DailyFigures = current ?? { _id: figuresId(day, category), day, category, firstResponse: {}, resolution: {}, ratings: {}, updatedAt: now, version: 0 };
  // keys are ticket ids (tkt_<hex>): safe as document field names
  if (fact.kind === 'resolved') {
    const sameResolution = f.resolution[fact.ticketId] === fact.resolutionSeconds;
    const sameFirst = fact.firstResponseSeconds === null || f.firstResponse[fact.ticketId] === fact.firstResponseSeconds;
    if (sameResolution && sameFirst) return null;
    return {
      ...f,
      resolution: { ...f.resolution, [fact.ticketId]: fact.resolutionSeconds },
      firstResponse: fact.firstResponseSeconds === null ? f.firstResponse : { ...f.firstResponse, [fact.ticketId]: fact.firstResponseSeconds },
      updatedAt: now,
      version: f.version + 1,
    };
  }
  if (f.ratings[fact.ticketId] === fact.score) return null;
  return { ...f, ratings: { ...f.ratings, [fact.ticketId]: fact.score }, updatedAt: now, version: f.version + 1 };
}

export interface FiguresSummary {
  day: string;
  category: TicketCategory;
  resolvedCount: number;
  medianFirstResponseSeconds: number | null;
  averageFirstResponseSeconds: number | null;
  medianResolutionSeconds: number | null;
  averageResolutionSeconds: number | null;
  ratingsCount: number;
  /** average score, 1–5 */
  averageRating: number | null;
  /** share of ratings of 4 or 5, 0–1 (the usual CSAT) */
  csat: number | null;
}

const median = (xs: number[]) => {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};
const average = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);

export function summarize(f: DailyFigures): FiguresSummary {
  const first = Object.values(f.firstResponse);
  const res = Object.values(f.resolution);
  const ratings = Object.values(f.ratings);
  return {
    day: f.day,
    category: f.category,
    resolvedCount: res.length,
    medianFirstResponseSeconds: median(first),
    averageFirstResponseSeconds: average(first),
    medianResolutionSeconds: median(res),
    averageResolutionSeconds: average(res),
    ratingsCount: ratings.length,
    averageRating: average(ratings),
    csat: ratings.length ? ratings.filter((s) => s >= 4).length / ratings.length : null,
  };
}

/** The days from `from` to `to` inclusive (UTC), at most `max`. */
export function daysBetween(from: Date, to: Date, max = 92): string[] {
  const days: string[] = [];
  for (let t = Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate()); t <= to.getTime() && days.length < max; t += 86_400_000) days.push(dayOf(new Date(t)));
  return days;
}

/**
 * Products customers keep opening product tickets about. One document per product with the
 * distinct tickets; it is flagged (once) when their count reaches the threshold.
 */
export const PRODUCT_SIGNALS_COLLECTION = 'support_products';

export interface ProductSignal extends Versioned {
  _id: string; // product id
  ticketIds: string[];
  /** an equality-indexed mirror of `flaggedAt !== null` (the flagged products query) */
  flagged: boolean;
  flaggedAt: Date | null;
  updatedAt: Date;
  version: number;
}

export function recordProductTicket(current: ProductSignal | null, productId: string, ticketId: string, threshold: number, now: Date): { next: ProductSignal | null; flagged: boolean } {
  if (current?.ticketIds.includes(ticketId)) return { next: null, flagged: false };
  const ticketIds = [...(current?.ticketIds ?? []), ticketId];
  const flagged = !current?.flaggedAt && ticketIds.length >= threshold;
  return {
    next: { _id: productId, ticketIds, flagged: flagged || !!current?.flaggedAt, flaggedAt: flagged ? now : (current?.flaggedAt ?? null), updatedAt: now, version: (current?.version ?? 0) + 1 },
    flagged,
  };
}
