import { Schema, type Connection } from 'mongoose';
import type { Collection, Db } from 'mongodb';
import type { PendingRating, PurchaseRecord } from '../domain/eligibility.ts';
import { RATING_COLLECTION, type RatingAggregate, type ReviewRecord } from '../domain/review.ts';

/**
 * The reviews domain's collections. Mongoose declares them and their indexes (created at start by
 * `ensureIndexes`: plain and unique only, FerretDB-safe); the code reads and writes through the
 * driver's collections, because every write here is an insert or a single-writer replace.
 */
const reviewSchema = new Schema(
  {
    _id: { type: String, required: true },
    productId: { type: String, required: true },
    customerId: { type: String, required: true },
    rating: { type: Number, required: true },
    title: { type: String, required: true },
    body: { type: String, default: null },
    createdAt: { type: Date, required: true },
  },
  { collection: 'reviews', versionKey: false },
);
// One review per customer and product: this unique insert decides ALREADY_REVIEWED (race-safe).
reviewSchema.index({ customerId: 1, productId: 1 }, { unique: true });
// Pages beyond the first RECENT_REVIEWS (real MongoDB; FerretDB scans).
reviewSchema.index({ productId: 1, _id: -1 });

const ratingSchema = new Schema(
  { _id: { type: String, required: true }, count: Number, sum: Number, version: Number, recent: [Schema.Types.Mixed], applied: [String] },
  { collection: RATING_COLLECTION, versionKey: false },
);

const purchaseSchema = new Schema(
  {
    _id: { type: String, required: true }, // `${orderId}:${productId}`
    orderId: { type: String, required: true },
    customerId: { type: String, required: true },
    productId: { type: String, required: true },
    status: { type: String, enum: ['CONFIRMED', 'CANCELLED'], required: true },
    confirmedAt: { type: Date, default: null },
    cancelledAt: { type: Date, default: null },
  },
  { collection: 'purchases', versionKey: false },
);
purchaseSchema.index({ customerId: 1, productId: 1, status: 1 });

const pendingSchema = new Schema(
  { _id: { type: String, required: true }, productId: { type: String, required: true }, at: { type: Date, required: true } },
  { collection: 'rating_pending', versionKey: false },
);

export interface ReviewsCollections {
  reviews: Collection<ReviewRecord>;
  ratings: Collection<RatingAggregate>;
  purchases: Collection<PurchaseRecord>;
  pending: Collection<PendingRating>;
}

/** Registers the models (so `ensureIndexes` creates them) and returns the driver collections. */
export function registerModels(conn: Connection): ReviewsCollections {
  conn.model('Review', reviewSchema);
  conn.model('ProductRating', ratingSchema);
  conn.model('Purchase', purchaseSchema);
  conn.model('PendingRating', pendingSchema);
  const db = conn.db as unknown as Db;
  return {
    reviews: db.collection<ReviewRecord>('reviews'),
    ratings: db.collection<RatingAggregate>(RATING_COLLECTION),
    purchases: db.collection<PurchaseRecord>('purchases'),
    pending: db.collection<PendingRating>('rating_pending'),
  };
}
