import { CategoryCreated, ProductCreated, ProductStatusChanged, VariantPriceChanged } from '@commerce/events/contracts';
import { startReadModel, type EventBus, type EventEnvelope } from '@commerce/events';
import type { Logger } from '@commerce/platform';
import type { CatalogIndex } from '../domain/catalog-index.ts';
import { toSnapshot, type ProductRecord } from '../domain/product.ts';
import type { CatalogModels } from '../model/product.model.ts';

/**
 * Keeps this instance's CatalogIndex current: loaded from the database, then fed by catalog events
 * (startReadModel: nothing made during the load is missed). Every apply is idempotent by product
 * version.
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
      case ProductStatusChanged.type: {
        const e = ProductStatusChanged.parse(raw).data;
        if (index.applyStatusChange(e.productId, e.status, e.version) === 'gap') await reloadProduct(e.productId);
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

  const started = Date.now();
  let categories = 0;
  const tail = await startReadModel({
    bus: opts.bus,
    subject: 'commerce.catalog.>',
    logger,
    load: async () => {
      for (const c of await models.Category.find({}).lean()) {
        index.upsertCategory({ id: c._id, name: c.name, parentId: c.parentId ?? null, createdAt: new Date(c.createdAt).toISOString() });
        categories++;
      }
      for await (const doc of models.Product.collection.find({}).batchSize(2000)) index.upsertProduct(toSnapshot(doc as unknown as ProductRecord));
    },
    apply,
  });
  logger.info({ products: index.size, categories, ms: Date.now() - started }, 'catalog read model loaded');
  return tail;
}
