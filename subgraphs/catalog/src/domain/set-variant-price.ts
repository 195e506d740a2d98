import { VariantPriceChanged } from '@commerce/events/contracts';
import { fail, isId, ok, userError, type Result } from '@commerce/platform';
import type { CatalogDeps, CommandMeta } from './deps.ts';
import { toSnapshot, type ProductRecord, type ProductSnapshot, type VariantRecord } from './product.ts';
import { checkPrice } from './validation.ts';

/**
 * Sets one variant's price. The product is committed as version n+1 through the outbox; a
 * concurrent change to the same product makes the commit conflict and the change is re-decided on
 * the winner's state (never a read-modify-write that could lose the other change).
 */
export async function setVariantPrice(
  deps: CatalogDeps,
  variantId: string,
  priceInput: { amount: string; currencyCode: string },
  meta: CommandMeta,
): Promise<Result<{ product: ProductSnapshot; variant: VariantRecord }>> {
  const notFound = () => fail(userError('VARIANT_NOT_FOUND', 'Variant not found', ['variantId']));
  if (!isId('var', variantId)) return notFound();
  const price = checkPrice(priceInput, deps.storeCurrency, ['price']);
  if (price.error || !price.money) return fail(price.error!);
  const money = price.money;

  let productId = deps.index.getVariant(variantId)?.product.id;
  if (!productId) {
    const owner = await deps.models.Product.findOne({ 'variants.id': variantId }, { _id: 1 }).lean();
    if (!owner) return notFound();
    productId = owner._id;
  }
  const pid = productId;

  const result = await deps.committer.update<ProductRecord, ProductRecord | null>('products', pid, (current) => {
    const variant = current?.variants.find((v) => v.id === variantId);
    if (!current || !variant) return { done: null };
    if (variant.price.amount === money.amount && variant.price.currencyCode === money.currencyCode) return { done: current };
    const next: ProductRecord = {
      ...current,
      variants: current.variants.map((v) => (v.id === variantId ? { ...v, price: money } : v)),
      updatedAt: new Date(),
      version: current.version + 1,
    };
    const event = VariantPriceChanged.create(
      { productId: pid, variantId, sku: variant.sku, price: money, previousPrice: variant.price, version: next.version },
      { aggregateId: pid, correlationId: meta.requestId, ...(meta.traceparent ? { traceparent: meta.traceparent } : {}) },
    );
    return { next, events: [event] };
  });

  if (result.status === 'contended') return fail(userError('CONCURRENT_UPDATE', 'The product is being changed by someone else; try again', ['variantId']));
  const state = result.status === 'committed' ? result.state : result.value;
  if (!state) return notFound();
  const snapshot = toSnapshot(state);
  if (result.status === 'committed') deps.index.upsertProduct(snapshot);
  return ok({ product: snapshot, variant: snapshot.variants.find((v) => v.id === variantId)! });
}
