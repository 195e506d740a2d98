import { CategoryCreated, ProductCreated, VariantPriceChanged } from '@commerce/events/contracts';
import { tailEvents, type EventBus, type EventEnvelope } from '@commerce/events';
import type { Logger } from '@commerce/platform';
import type { CatalogIndex } from '../domain/catalog-index.ts';
import { toSnapshot, type ProductRecord } from '../domain/product.ts';
import type { CatalogModels } from '../model/product.model.ts';

/**
 * Keeps this instance's CatalogIndex current. Order of start-up matters: follow the event stream
 * first (buffering), then load the database, then apply the buffer — so no change made during
 * the load is missed. Every apply is idempotent by product version.
 */
export async function startCatalogProjection(opts: {
  bus: EventBus;
  models: CatalogModels;
  index: CatalogIndex;
  logger: Logger;
  /** called after each applied change (the response cache's invalidation) */
  onChange?: () => void;
}): Promise<{ stop(): Promise<void> }> {
  const { models, index, logger } = opts;
  let buffer: EventEnvelope[] | null = [];

  const reloadProduct = async (id: string) => {
    const doc = (await models.Product.collection.findOne({ _id: id } as never)) as ProductRecord | null;
    if (doc) index.upsertProduct(toSnapshot(doc));
  };

  const apply = async (raw: EventEnvelope): Promise<void> => {
    switch (raw.type) {
      case ProductCreated.type:
        index.upsertProduct(ProductCreated.parse(raw).data);
        break;
      case VariantPriceChanged.type: {
        const e = VariantPriceChanged.parse(raw).data;
        if (index.applyPriceChange(e.productId, e.variantId, e.price, e.version) === 'gap') await reloadProduct(e.productId);
        break;
      }
      case CategoryCreated.type: {
        const c = CategoryCreated.parse(raw).data;
        index.upsertCategory({ id: c.id, name: c.name, parentId: c.parentId, createdAt: c.createdAt });
        break;
      }
      default:
        return; // events of newer versions or other kinds are not this projection's business
    }
    opts.onChange?.();
  };

  const tail = await tailEvents({
    bus: opts.bus,
    subject: 'commerce.catalog.>',
    logger,
    handle: async (event) => {
      if (buffer) buffer.push(event);
      else await apply(event);
    },
  });

  const started = Date.now();
  const categories = await models.Category.find({}).lean();
  for (const c of categories) index.upsertCategory({ id: c._id, name: c.name, parentId: c.parentId ?? null, createdAt: new Date(c.createdAt).toISOString() });
  const cursor = models.Product.collection.find({}).batchSize(2000);
  for await (const doc of cursor) index.upsertProduct(toSnapshot(doc as unknown as ProductRecord));
  const pending = buffer;
  buffer = null;
  for (const e of pending) await apply(e);
  logger.info({ products: index.size, categories: categories.length, ms: Date.now() - started }, 'catalog read model loaded');
  return tail;
}
