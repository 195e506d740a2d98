import type { MongoClient } from 'mongodb';
import { demoCategories, demoProduct } from '@commerce/catalog';

/**
 * Writes the demo catalog of `count` products straight into a catalog database (categories,
 * products, SKU claims), once: a database that already holds `count` products is kept. The
 * catalog-only scale runs read it at start; no other service needs its events, and going through
 * the outbox would make seeding 100k products on FerretDB take far longer than the measurement.
 */
export async function ensureCatalogDatabase(mongo: MongoClient, dbName: string, count: number, log: (s: string) => void): Promise<void> {
  const db = mongo.db(dbName);
  if ((await db.collection('products').countDocuments({}, { limit: count })) >= count) return;
  await db.dropDatabase();
  const now = Date.now();
  const cats = demoCategories(now);
  await db.collection('categories').insertMany(cats.categories as never[]);
  const BATCH = 1000;
  const started = Date.now();
  for (let start = 0; start < count; start += BATCH) {
    const products = Array.from({ length: Math.min(BATCH, count - start) }, (_, k) => demoProduct(start + k, count, cats, 'USD', now));
    await db.collection('products').insertMany(products as never[], { ordered: false });
    await db.collection('sku_claims').insertMany(products.flatMap((p) => p.variants.map((v) => ({ _id: v.sku, productId: p._id, claimedAt: p.createdAt }))) as never[], { ordered: false });
    if ((start / BATCH) % 10 === 9) log(`seeded ${start + BATCH} of ${count} products into ${dbName}`);
  }
  log(`seeded ${count} products into ${dbName} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
