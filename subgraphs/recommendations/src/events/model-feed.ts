import { DeliverPolicy } from '@nats-io/jetstream';
import { PULL_EXPIRES_MS, type EventBus, type EventEnvelope } from '@commerce/events';
import { ActivityForgotten, CartLineAdded, InteractionsRecorded, OrderConfirmed, ProductCreated, ProductStatusChanged, ReviewAdded, StockLevelChanged } from '@commerce/events/contracts';
import type { Logger } from '@commerce/platform';
import type { RecommendationsMetrics } from '../domain/deps.ts';
import type { Recommender } from '../domain/recommender.ts';

/**
 * What the model is fed, in stream order:
 *
 * | event | effect |
 * |---|---|
 * | catalog `product-created` | the product, its categories, variants and status |
 * | catalog `product-status-changed` | archived products are never recommended |
 * | inventory `stock-level-changed` | a product whose every variant has `available = 0` is not recommended |
 * | analytics `interactions-recorded` | PRODUCT_VIEWED → view, RECOMMENDATION_CLICKED → click (+ the bandit's click), RECOMMENDATION_SHOWN → the bandit's impression; a batch with a customer links its session to them |
 * | cart `cart-line-added` | cart (signed-in carts only: an anonymous cart names no subject) |
 * | orders `order-confirmed` | purchase of each line; conversion of recommended items |
 * | reviews `review-added` | 4 or 5 stars: a strong liking of the product (1–3: nothing) |
 * | analytics `activity-forgotten` | the customer and their sessions are erased (and from the snapshot soon after) |
 *
 * Each envelope is applied once (its id is remembered for 24 h: a re-published event is skipped),
 * and so is each storefront interaction (`<sessionId>:<eventId>`). Client times are capped at the
 * envelope's time, so a wrong client clock cannot move the model into the future.
 */
/** The events the model is fed (the table above). */
const FED = [ProductCreated, ProductStatusChanged, StockLevelChanged, InteractionsRecorded, CartLineAdded, OrderConfirmed, ReviewAdded, ActivityForgotten];

export function applyEvent(recommender: Recommender, raw: EventEnvelope, metrics?: RecommendationsMetrics): boolean {
  const known = FED;
  const contract = known.find((c) => c.type === raw.type);
  if (!contract) return false; // other events (and newer versions) are not this model's business
  const envelopeAt = Date.parse(raw.occurredAt);
  if (!recommender.firstTime(`e:${raw.id}`, envelopeAt)) return false;
  switch (raw.type) {
    case ProductCreated.type: {
      const p = ProductCreated.parse(raw).data;
      recommender.product(p.id, { categoryIds: p.categoryIds, variantIds: p.variants.map((v) => v.id), status: p.status });
      break;
    }
    case ProductStatusChanged.type: {
      const e = ProductStatusChanged.parse(raw).data;
      recommender.productStatus(e.productId, e.status);
      break;
    }
    case StockLevelChanged.type: {
      const e = StockLevelChanged.parse(raw).data;
      recommender.variantStock(e.variantId, e.available);
      break;
    }
    case InteractionsRecorded.type: {
      const e = InteractionsRecorded.parse(raw).data;
      recommender.interactions({
        sessionId: e.sessionId,
        customerId: e.customerId,
        interactions: e.interactions.map((i) => {
          const at = Date.parse(i.occurredAt);
          return { eventId: i.eventId, type: i.type, productId: i.productId, slot: i.slot, strategy: i.strategy, at: Number.isFinite(at) ? Math.min(at, envelopeAt) : envelopeAt };
        }),
      });
      break;
    }
    case CartLineAdded.type: {
      const e = CartLineAdded.parse(raw).data;
      if (e.customerId) recommender.cartLine(e.customerId, e.productId, Date.parse(e.addedAt));
      break;
    }
    case OrderConfirmed.type: {
      const e = OrderConfirmed.parse(raw).data;
      recommender.purchase(e.customerId, e.lines.map((l) => l.productId), Date.parse(e.confirmedAt));
      break;
    }
    case ReviewAdded.type: {
      const e = ReviewAdded.parse(raw).data;
      recommender.review(e.customerId, e.productId, e.rating, Math.min(Date.parse(e.createdAt), envelopeAt));
      break;
    }
    case ActivityForgotten.type: {
      const e = ActivityForgotten.parse(raw).data;
      recommender.forget(e.customerId, e.sessionIds);
      break;
    }
  }
  metrics?.eventsApplied(raw.type);
  return true;
}

export interface ModelFeed {
  /** resolves once every message the stream held at start is applied */
  caughtUp: Promise<void>;
  /** the stream sequence the feed started at */
  startSequence: number;
  stop(): Promise<void>;
}

/**
 * ONE ordered, non-durable consumer per instance over every event of the stream (each instance
 * needs all events, not a share), from the message after `afterSequence` (the snapshot's) — or,
 * with no snapshot, from the first message the stream retains (`coldStart: 'all'`) or its end
 * (`'new'`). The model sees each message once, in stream order; the sequence applied is
 * remembered in the recommender (and so in the next snapshot). The library's ordered consumer
 * recreates itself from the last sequence it delivered when the connection or the consumer is
 * lost, so nothing is skipped or repeated.
 *
 * nats-server 2.9 (this machine) has no multi-subject consumer filters, so the filter is the
 * stream's own wildcard and messages of other subjects are skipped by subject, unparsed.
 */
export async function startModelFeed(opts: {
  bus: EventBus;
  logger: Logger;
  recommender: Recommender;
  metrics: RecommendationsMetrics;
  afterSequence: number | null;
  coldStart: 'all' | 'new';
}): Promise<ModelFeed> {
  const { bus, logger, recommender } = opts;
  const { state } = await bus.jsm.streams.info(bus.stream);
  let start: number;
  if (opts.afterSequence !== null && opts.afterSequence > state.last_seq) {
    // the stream holds fewer messages than the snapshot covers: it was recreated (a new NATS, a
    // purge). The snapshot's state stands; the new stream is read from its start.
    logger.warn({ after: opts.afterSequence, lastInStream: state.last_seq }, 'the stream restarted below the snapshot: reading it from its start');
    start = Math.max(1, state.first_seq);
    recommender.restartSequence(start - 1);
  } else if (opts.afterSequence !== null) {
    start = opts.afterSequence + 1;
    if (opts.afterSequence > 0 && start < state.first_seq) {
      logger.warn({ after: opts.afterSequence, firstRetained: state.first_seq }, 'the stream no longer holds every event after the snapshot: the model misses the ones in between');
    }
  } else if (opts.coldStart === 'new') {
    start = state.last_seq + 1;
    recommender.markApplied(state.last_seq, 0, 0);
  } else {
    start = Math.max(1, state.first_seq);
  }
  const target = state.last_seq;
  let markCaughtUp!: () => void;
  const caughtUp = new Promise<void>((resolve) => (markCaughtUp = resolve));
  if (start > target) markCaughtUp();

  const wanted = new Set(FED.map((c) => bus.subject(c.type)));
  const consumer = await bus.js.consumers.get(bus.stream, { filter_subjects: bus.subject('commerce.>'), deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: Math.max(1, start) });
  const messages = await consumer.consume({ expires: PULL_EXPIRES_MS });
  let stopped = false;
  const loop = (async () => {
    for await (const msg of messages) {
      const seq = msg.info.streamSequence;
      if (seq > recommender.lastAppliedSequence && wanted.has(msg.subject)) {
        try {
          applyEvent(recommender, msg.json<EventEnvelope>(), opts.metrics);
        } catch (err) {
          // a malformed event must not stop the model: it is skipped (and logged)
          logger.error({ err, subject: msg.subject, seq }, 'recommendations: event not applied');
        }
      }
      recommender.markApplied(seq, Math.floor(msg.info.timestampNanos / 1e6), msg.info.pending);
      if (seq >= target || msg.info.pending === 0) markCaughtUp();
    }
  })().catch((err) => {
    if (!stopped) logger.error({ err }, 'recommendations event feed ended');
  });
  return {
    caughtUp,
    startSequence: start,
    async stop() {
      stopped = true;
      await messages.close();
      await loop;
    },
  };
}
