import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MongoClient } from 'mongodb';
import { tailEvents, type EventEnvelope } from '@commerce/events';
import { OrderCancelled, OrderConfirmed, ReviewAdded } from '@commerce/events/contracts';
import { CommandCounter, newId, type Identity } from '@commerce/platform';
import { callSubgraph, eventually, gql, serviceEnv, testInfra, testLogger, uniqueSuffix } from '@commerce/testing';
import { recordConfirmedOrder } from '../src/domain/eligibility.ts';
import type { ReviewRecord } from '../src/domain/review.ts';
import { startReviews, type ReviewsService } from '../src/index.ts';

const ADD_REVIEW = /* GraphQL */ `
  mutation AddReview($input: AddReviewInput!) {
    addReview(input: $input) { review { id rating title body author { id } createdAt } userErrors { field message code } }
  }`;
const PRODUCTS = /* GraphQL */ `
  query ($reps: [_Any!]!, $first: Int, $after: String) {
    _entities(representations: $reps) {
      ... on Product {
        id
        rating { average count }
        reviews(first: $first, after: $after) {
          totalCount
          pageInfo { hasNextPage hasPreviousPage endCursor }
          edges { cursor node { id rating title body author { id } createdAt } }
        }
      }
    }
  }`;

let svc: ReviewsService;
let env: NodeJS.ProcessEnv;
const published: EventEnvelope[] = [];
let tail: { stop(): Promise<void> };

beforeAll(async () => {
  // own durable names, from now on: no other test run shares (or splits) these consumers
  env = serviceEnv('reviews');
  svc = await startReviews(env, { monitorCommands: true });
  tail = await tailEvents({ bus: svc.bus, subject: ReviewAdded.subject, logger: testLogger, handle: (e) => void published.push(e) });
});

afterAll(async () => {
  await tail?.stop();
  // this run's durables: stop them, then delete them from the broker
  for (const c of svc?.consumers ?? []) {
    await c.stop();
    await svc.bus.jsm.consumers.delete(svc.bus.stream, c.durable).catch(() => undefined);
  }
  await svc?.stop();
  const client = new MongoClient(testInfra().mongoUrl);
  await client.db(env.REVIEWS_DB_NAME).dropDatabase().catch(() => undefined);
  await client.close();
});

const customer = (): Identity => ({ id: newId('cust'), roles: ['CUSTOMER'] });
const newProduct = () => newId('prod');
const line = (productId: string) => ({ productId, variantId: newId('var'), sku: `SKU-${uniqueSuffix()}`, title: 'Thing', quantity: 1, unitPrice: { amount: 1000, currencyCode: 'USD' } });

/** Publishes order-confirmed like the orders saga does; resolves once the consumer stored it. */
async function confirmOrder(customerId: string, productIds: string[], orderId = newId('ord')): Promise<string> {
  const lines = productIds.map(line);
  await svc.bus.publish(
    OrderConfirmed.create({ orderId, customerId, lines, total: { amount: 1000 * lines.length, currencyCode: 'USD' }, confirmedAt: new Date().toISOString() }, { aggregateId: orderId }),
  );
  await eventually(async () => (await svc.deps.collections.purchases.countDocuments({ orderId })) === new Set(productIds).size);
  return orderId;
}

async function cancelOrder(customerId: string, productIds: string[], orderId: string, wasConfirmed = true): Promise<void> {
  await svc.bus.publish(
    OrderCancelled.create(
      { orderId, customerId, reason: 'CUSTOMER_REQUEST', lines: productIds.map(line), wasConfirmed, cancelledAt: new Date().toISOString() },
      { aggregateId: orderId },
    ),
  );
  await eventually(async () => (await svc.deps.collections.purchases.countDocuments({ orderId, status: 'CANCELLED' })) === new Set(productIds).size);
}

function addReview(user: Identity | null, input: Record<string, unknown>) {
  return callSubgraph<any>(svc.url, ADD_REVIEW, { input: { rating: 5, title: 'Great', body: 'Really good.', ...input } }, user);
}
const codesOf = (r: any): string[] => r.data.addReview.userErrors.map((e: any) => e.code);

async function productView(productId: string, first = 5, after: string | null = null) {
  const r = await callSubgraph<any>(svc.url, PRODUCTS, { reps: [{ __typename: 'Product', id: productId }], first, after });
  expect(r.errors).toBeUndefined();
  return r.data._entities[0];
}

describe('service', () => {
  it('is ready, answers only the router, and resolves Customer through the customers subgraph', async () => {
    const ready = await fetch(svc.url.replace('/graphql', '/health/ready'));
    expect(ready.status).toBe(200);
    expect((await gql(svc.url, '{ _service { sdl } }')).status).toBe(401);
    const sdl = await callSubgraph<any>(svc.url, '{ _service { sdl } }');
    expect(sdl.data._service.sdl).toMatch(/type Customer\s+@key\(fields: "id", resolvable: false\)/);
  });
});

describe('addReview', () => {
  it('needs a customer token (UNAUTHENTICATED)', async () => {
    const r = await addReview(null, { productId: newProduct() });
    expect(r.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(r.data).toBeNull();
  });

  it('answers the input rules as userErrors', async () => {
    const u = customer();
    const p = newProduct();
    await confirmOrder(u.id, [p]);
    const cases: Array<[Record<string, unknown>, string[]]> = [
      [{ productId: 'garbage' }, ['PRODUCT_NOT_FOUND']],
      [{ productId: p, rating: 0 }, ['INVALID_RATING']],
      [{ productId: p, rating: 6 }, ['INVALID_RATING']],
      [{ productId: p, title: '  ' }, ['INVALID_TITLE']],
      [{ productId: p, title: 'x'.repeat(201) }, ['INVALID_TITLE']],
      [{ productId: p, body: 'x'.repeat(5001) }, ['INVALID_BODY']],
      [{ productId: 'x', rating: -1, title: '' }, ['PRODUCT_NOT_FOUND', 'INVALID_RATING', 'INVALID_TITLE']],
    ];
    for (const [input, codes] of cases) {
      const r = await addReview(u, input);
      expect(r.errors, JSON.stringify(input)).toBeUndefined();
      expect(codesOf(r), JSON.stringify(input)).toEqual(codes);
      expect(r.data.addReview.review).toBeNull();
    }
    expect((await productView(p)).rating).toEqual({ average: 0, count: 0 });
  });

  it('is NOT_ELIGIBLE before a confirmed order, succeeds after order-confirmed, then ALREADY_REVIEWED', async () => {
    const u = customer();
    const p = newProduct();
    const before = await addReview(u, { productId: p });
    expect(codesOf(before)).toEqual(['NOT_ELIGIBLE']);

    await confirmOrder(u.id, [p, newProduct()]);
    const r = await addReview(u, { productId: p, rating: 4, title: '  Solid  ', body: 'Does the job.' });
    expect(r.data.addReview.userErrors).toEqual([]);
    const review = r.data.addReview.review;
    expect(review).toMatchObject({ rating: 4, title: 'Solid', body: 'Does the job.', author: { id: u.id } });
    expect(review.id).toMatch(/^rev_/);

    const again = await addReview(u, { productId: p, rating: 1 });
    expect(codesOf(again)).toEqual(['ALREADY_REVIEWED']);
    expect(again.data.addReview.review).toBeNull();

    const view = await productView(p);
    expect(view.rating).toEqual({ average: 4, count: 1 });
    expect(view.reviews.totalCount).toBe(1);
    expect(view.reviews.edges.map((e: any) => e.node)).toEqual([review]);
    // someone else, not eligible for this product
    expect(codesOf(await addReview(customer(), { productId: p }))).toEqual(['NOT_ELIGIBLE']);

    await eventually(async () => published.some((e) => (e.data as { reviewId: string }).reviewId === review.id));
    const event = ReviewAdded.parse(published.find((e) => (e.data as { reviewId: string }).reviewId === review.id));
    expect(event.data).toEqual({ reviewId: review.id, productId: p, customerId: u.id, rating: 4, createdAt: review.createdAt });
  });

  it('creates one review when the same customer sends 5 at once', async () => {
    const u = customer();
    const p = newProduct();
    await confirmOrder(u.id, [p]);
    const results = await Promise.all([1, 2, 3, 4, 5].map((rating) => addReview(u, { productId: p, rating })));
    const created = results.filter((r) => r.data.addReview.review);
    expect(created).toHaveLength(1);
    expect(results.filter((r) => codesOf(r)[0] === 'ALREADY_REVIEWED')).toHaveLength(4);
    expect(await svc.deps.collections.reviews.countDocuments({ productId: p })).toBe(1);
    expect(await svc.deps.collections.pending.countDocuments({ productId: p })).toBe(0);
    expect((await productView(p)).rating).toEqual({ average: created[0]!.data.addReview.review.rating, count: 1 });
  });

  it('counts 20 concurrent reviews of one product by 20 customers exactly', async () => {
    const p = newProduct();
    const users = Array.from({ length: 20 }, customer);
    await Promise.all(users.map((u) => confirmOrder(u.id, [p])));
    const ratings = users.map((_, i) => ((i * 7) % 5) + 1);
    const results = await Promise.all(users.map((u, i) => addReview(u, { productId: p, rating: ratings[i], title: `Review ${i}` })));
    for (const r of results) expect(r.data.addReview.userErrors).toEqual([]);
    const sum = ratings.reduce((a, b) => a + b, 0);

    const view = await productView(p, 5);
    expect(view.rating).toEqual({ count: 20, average: Math.round((sum / 20) * 100) / 100 });
    const agg = await svc.deps.collections.ratings.findOne({ _id: p });
    expect(agg).toMatchObject({ count: 20, sum, version: 20 });
    expect(await svc.deps.collections.pending.countDocuments({ productId: p })).toBe(0);

    // newest first, first page from the aggregate, later pages from the collection: every review once
    const ids = results.map((r) => r.data.addReview.review.id as string).sort().reverse();
    expect(view.reviews.totalCount).toBe(20);
    expect(view.reviews.edges.map((e: any) => e.node.id)).toEqual(ids.slice(0, 5));
    const paged: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 10; page++) {
      const v = await productView(p, 7, after);
      expect(v.reviews.totalCount).toBe(20);
      paged.push(...v.reviews.edges.map((e: any) => e.node.id));
      if (!v.reviews.pageInfo.hasNextPage) break;
      after = v.reviews.pageInfo.endCursor;
    }
    expect(paged).toEqual(ids);
    await eventually(async () => published.filter((e) => (e.data as { productId: string }).productId === p).length === 20);
  });

  it('rejects bad page arguments with BAD_USER_INPUT', async () => {
    for (const vars of [{ first: 0 }, { first: 101 }, { first: 5, after: 'not-a-cursor' }]) {
      const r = await callSubgraph<any>(svc.url, PRODUCTS, { reps: [{ __typename: 'Product', id: newProduct() }], ...vars });
      expect(r.errors?.[0]?.extensions?.code, JSON.stringify(vars)).toBe('BAD_USER_INPUT');
    }
  });
});

describe('eligibility from the saga', () => {
  it('is revoked by order-cancelled unless another confirmed order contains the product', async () => {
    const u = customer();
    const [p, q] = [newProduct(), newProduct()];
    const orderA = await confirmOrder(u.id, [p]);
    const orderB = await confirmOrder(u.id, [p, q]);
    await cancelOrder(u.id, [p], orderA);
    expect(codesOf(await addReview(u, { productId: p, title: 'Still mine' }))).toEqual([]); // order B still counts
    await cancelOrder(u.id, [p, q], orderB);
    expect(codesOf(await addReview(u, { productId: q }))).toEqual(['NOT_ELIGIBLE']);
  });

  it('ignores a late order-confirmed after order-cancelled, and a redelivered one', async () => {
    const u = customer();
    const p = newProduct();
    const orderId = newId('ord');
    await cancelOrder(u.id, [p], orderId, false);
    const facts = { orderId, customerId: u.id, lines: [{ productId: p }, { productId: p }], confirmedAt: new Date().toISOString() };
    await recordConfirmedOrder(svc.deps, facts); // the late confirmation, as its consumer would apply it
    await recordConfirmedOrder(svc.deps, facts); // and again
    expect(await svc.deps.collections.purchases.find({ orderId }).toArray()).toMatchObject([{ status: 'CANCELLED', productId: p }]);
    expect(codesOf(await addReview(u, { productId: p }))).toEqual(['NOT_ELIGIBLE']);
  });
});

describe('rating repair', () => {
  it('counts a review whose writer stopped before counting it, exactly once', async () => {
    const p = newProduct();
    const u = customer();
    await confirmOrder(u.id, [p]);
    expect(codesOf(await addReview(u, { productId: p, rating: 5 }))).toEqual([]);
    // a writer that died after storing its review (marker + review, rating not touched)
    const crashed: ReviewRecord = { _id: newId('rev'), productId: p, customerId: newId('cust'), rating: 2, title: 'Crash', body: null, createdAt: new Date() };
    await svc.deps.collections.pending.insertOne({ _id: crashed._id, productId: p, at: crashed.createdAt });
    await svc.deps.collections.reviews.insertOne(crashed);
    // and one that died after counting, before removing its marker
    const counted = (await svc.deps.collections.reviews.findOne({ productId: p, customerId: u.id }))!;
    await svc.deps.collections.pending.insertOne({ _id: counted._id, productId: p, at: counted.createdAt });
    // and one that died before its review insert
    await svc.deps.collections.pending.insertOne({ _id: newId('rev'), productId: p, at: new Date() });

    expect(await svc.repairRatings()).toBe(0); // younger than the grace period: still their writers' business
    expect(await svc.repairRatings(Date.now() + 60_000)).toBe(3);
    expect(await svc.repairRatings(Date.now() + 60_000)).toBe(0);
    expect((await productView(p)).rating).toEqual({ average: 3.5, count: 2 });
    expect(await svc.deps.collections.pending.countDocuments({ productId: p })).toBe(0);
  });
});

describe('batching', () => {
  it('resolves N products with rating and reviews(first: 5) from memory, with no query', async () => {
    const products = Array.from({ length: 12 }, newProduct);
    const u = customer();
    await confirmOrder(u.id, products.slice(0, 4));
    for (const [i, p] of products.slice(0, 4).entries()) expect(codesOf(await addReview(u, { productId: p, rating: i + 1 }))).toEqual([]);

    const counter = new CommandCounter(svc.conn);
    const r = await callSubgraph<any>(svc.url, PRODUCTS, { reps: products.map((id) => ({ __typename: 'Product', id })), first: 5 });
    counter.stop();
    expect(r.errors).toBeUndefined();
    expect(counter.get('find', 'product_ratings')).toBe(0); // the ratings read model answers
    expect(counter.get('find', 'reviews')).toBe(0);
    // the event backbone's background work (outbox sweep, dead-letter poll, processed checks) may
    // run during the request; it is not the request's doing
    const background = ['outbox', 'dead_letters', 'processed_events', 'rating_pending', '_pruning'];
    const reads = [...counter.counts.keys()].filter((k) => (k.startsWith('find') || k.startsWith('aggregate')) && !background.includes(k.split(' ')[1] ?? ''));
    expect(reads).toEqual([]);
    expect(r.data._entities.map((e: any) => e.rating)).toEqual(products.map((_, i) => (i < 4 ? { average: i + 1, count: 1 } : { average: 0, count: 0 })));
    expect(r.data._entities.map((e: any) => e.reviews.totalCount)).toEqual(products.map((_, i) => (i < 4 ? 1 : 0)));
    expect(r.data._entities[0].reviews.edges[0].node).toMatchObject({ rating: 1, author: { id: u.id } });
  });
});

describe('the ratings read model across instances', () => {
  it('learns a rating committed on another instance from its review-added event, and a starting instance loads ratings', async () => {
    const second = await startReviews(env); // same database and durables: another pod of the deployment
    try {
      const u = customer();
      const p = newProduct();
      await confirmOrder(u.id, [p]);
      const added = await callSubgraph<any>(second.url, ADD_REVIEW, { input: { productId: p, rating: 4, title: 'Good', body: 'Fine.' } }, u);
      expect(added.data.addReview.userErrors).toEqual([]);
      expect(second.ratings.get(p)).toMatchObject({ count: 1, sum: 4 }); // its own commit, at once
      await eventually(async () => svc.ratings.get(p)?.count === 1); // the first instance: through the event
      expect((await productView(p)).rating).toEqual({ average: 4, count: 1 });
      const late = await startReviews(env);
      try {
        expect(late.ratings.get(p)).toMatchObject({ count: 1, sum: 4, recent: [expect.objectContaining({ title: 'Good' })] });
      } finally {
        await late.stop();
      }
    } finally {
      await second.stop();
    }
  });
});
