import { ProductStatusChanged } from '@commerce/events/contracts';
import { fail, isId, ok, userError, type Result } from '@commerce/platform';
import type { CatalogDeps, CommandMeta } from './deps.ts';
import { toSnapshot, type ProductRecord, type ProductSnapshot } from './product.ts';

export type ProductStatus = ProductRecord['status'];

/**
 * The rule: the product with `status` as its next version, or null when it already has that
 * status (nothing to change, nothing to publish).
 */
export function changeProductStatus(product: ProductRecord, status: ProductStatus, now: Date): ProductRecord | null {
  if (product.status === status) return null;
  return { ...product, status, updatedAt: now, version: product.version + 1 };
}

/**
 * Archives a product (hidden from listing and search; still resolvable as an entity, for order
 * history) or makes it active again. A version commit through the outbox, like setVariantPrice:
 * a concurrent change of the product makes the commit conflict and the status is re-decided on
 * the winner's state. The committed version publishes ProductStatusChanged; setting the status
 * the product already has changes nothing and publishes nothing.
 */
export async function setProductStatus(
  deps: CatalogDeps,
  productId: string,
  status: ProductStatus,
  meta: CommandMeta,
): Promise<Result<{ product: ProductSnapshot; changed: boolean }>> {
  const notFound = () => fail(userError('PRODUCT_NOT_FOUND', 'Product not found', ['productId']));
  if (!isId('prod', productId)) return notFound();

  const result = await deps.committer.update<ProductRecord, ProductRecord | null>('products', productId, (current) => {
    if (!current) return { done: null };
    const now = new Date();
    const next = changeProductStatus(current, status, now);
    if (!next) return { done: current };
    const event = ProductStatusChanged.create(
      { productId, status, version: next.version, changedAt: now.toISOString() },
      { aggregateId: productId, occurredAt: now, correlationId: meta.requestId, ...(meta.traceparent ? { traceparent: meta.traceparent } : {}) },
    );
    return { next, events: [event] };
  });

  if (result.status === 'contended') return fail(userError('CONCURRENT_UPDATE', 'The product is being changed by someone else; try again', ['productId']));
  const state = result.status === 'committed' ? result.state : result.value;
  if (!state) return notFound();
  const snapshot = toSnapshot(state);
  // this instance shows its own change at once (idempotent by version: the event, arriving
  // later, changes nothing here; other instances apply it from the event)
  deps.index.upsertProduct(snapshot);
  return ok({ product: snapshot, changed: result.status === 'committed' });
}
