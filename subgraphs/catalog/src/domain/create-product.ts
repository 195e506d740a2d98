import { ProductCreated } from '@commerce/events/contracts';
import { fail, isDuplicateKeyError, isId, newId, ok, userError, type Result, type UserError } from '@commerce/platform';
import type { CatalogDeps, CommandMeta } from './deps.ts';
import { toSnapshot, type ProductRecord, type ProductSnapshot, type VariantRecord } from './product.ts';
import { checkHandle, checkPrice, checkSku, checkText, LIMITS } from './validation.ts';

export interface CreateProductInput {
  handle: string;
  title: string;
  description?: string | null;
  categoryIds?: string[] | null;
  variants: Array<{ sku: string; title: string; price: { amount: string; currencyCode: string }; options?: Array<{ name: string; value: string }> | null }>;
}

/** Checks the input and builds the new product record, or says every problem at once. */
export function buildProduct(input: CreateProductInput, storeCurrency: string, now = new Date()): Result<ProductRecord> {
  const errors: UserError[] = [];
  const push = (e: UserError | undefined) => e && errors.push(e);
  push(checkHandle(input.handle, ['input', 'handle']));
  push(checkText(input.title, LIMITS.title, ['input', 'title'], 'INVALID_TITLE', 'Title'));
  push(checkText(input.description ?? '', LIMITS.description, ['input', 'description'], 'INVALID_DESCRIPTION', 'Description', false));
  const categoryIds = [...new Set(input.categoryIds ?? [])];
  if (categoryIds.length > LIMITS.categories) errors.push(userError('TOO_MANY_CATEGORIES', `At most ${LIMITS.categories} categories`, ['input', 'categoryIds']));
  categoryIds.forEach((c, i) => { if (!isId('cat', c)) errors.push(userError('CATEGORY_NOT_FOUND', 'Category not found', ['input', 'categoryIds', String(i)])); });
  if (input.variants.length === 0) errors.push(userError('VARIANTS_REQUIRED', 'A product needs at least one variant', ['input', 'variants']));
  if (input.variants.length > LIMITS.variants) errors.push(userError('TOO_MANY_VARIANTS', `At most ${LIMITS.variants} variants`, ['input', 'variants']));
  const seenSkus = new Set<string>();
  const variants: VariantRecord[] = [];
  input.variants.slice(0, LIMITS.variants).forEach((v, i) => {
    const at = ['input', 'variants', String(i)];
    push(checkSku(v.sku, [...at, 'sku']));
    if (seenSkus.has(v.sku)) errors.push(userError('DUPLICATE_SKU', 'The same SKU appears twice in this product', [...at, 'sku']));
    seenSkus.add(v.sku);
    push(checkText(v.title, LIMITS.variantTitle, [...at, 'title'], 'INVALID_VARIANT_TITLE', 'Variant title'));
    const options = v.options ?? [];
    if (options.length > LIMITS.options) errors.push(userError('TOO_MANY_OPTIONS', `At most ${LIMITS.options} options`, [...at, 'options']));
    options.slice(0, LIMITS.options).forEach((o, j) => {
      push(checkText(o.name, LIMITS.optionText, [...at, 'options', String(j), 'name'], 'INVALID_OPTION', 'Option name'));
      push(checkText(o.value, LIMITS.optionText, [...at, 'options', String(j), 'value'], 'INVALID_OPTION', 'Option value'));
    });
    const price = checkPrice(v.price, storeCurrency, [...at, 'price']);
    push(price.error);
    if (price.money) {
      variants.push({ id: newId('var'), sku: v.sku, title: v.title.trim(), options: options.map((o) => ({ name: o.name.trim(), value: o.value.trim() })), price: price.money });
    }
  });
  if (errors.length) return fail(...errors);
  return ok({
    _id: newId('prod'),
    handle: input.handle,
    title: input.title.trim(),
    description: (input.description ?? '').trim(),
    categoryIds,
    status: 'ACTIVE',
    variants,
    createdAt: now,
    updatedAt: now,
    version: 1,
  });
}

/**
 * Creates a product. Uniqueness is decided by inserts only (FerretDB-safe): each SKU is claimed in
 * `sku_claims`, then the product commit inserts the document whose unique `handle` index decides
 * the handle. A lost race releases what this call claimed and answers SKU_TAKEN / HANDLE_TAKEN.
 */
export async function createProduct(deps: CatalogDeps, input: CreateProductInput, meta: CommandMeta): Promise<Result<ProductSnapshot>> {
  const built = buildProduct(input, deps.storeCurrency);
  if (!built.ok) return built;
  const record = built.value;

  const missing = record.categoryIds.filter((c) => !deps.index.getCategory(c));
  if (missing.length) {
    const found = await deps.models.Category.find({ _id: { $in: missing } }, { _id: 1 }).lean();
    const foundIds = new Set(found.map((c) => c._id));
    const errors = record.categoryIds
      .map((c, i) => (missing.includes(c) && !foundIds.has(c) ? userError('CATEGORY_NOT_FOUND', 'Category not found', ['input', 'categoryIds', String(i)]) : undefined))
      .filter((e): e is UserError => !!e);
    if (errors.length) return fail(...errors);
  }
  if (deps.index.getProductByHandle(record.handle)) {
    return fail(userError('HANDLE_TAKEN', 'A product with this handle already exists', ['input', 'handle']));
  }

  const skuErrors: UserError[] = [];
  const claimedAt = new Date();
  await Promise.all(
    record.variants.map(async (v, i) => {
      try {
        await deps.models.SkuClaim.collection.insertOne({ _id: v.sku, productId: record._id, claimedAt } as never);
      } catch (err) {
        if (!isDuplicateKeyError(err)) throw err;
        skuErrors.push(userError('SKU_TAKEN', `SKU ${v.sku} is already used by another variant`, ['input', 'variants', String(i), 'sku']));
      }
    }),
  );
  const releaseSkus = () => deps.models.SkuClaim.collection.deleteMany({ productId: record._id });
  if (skuErrors.length) {
    await releaseSkus();
    return fail(...skuErrors.sort((a, b) => (a.field?.join('.') ?? '').localeCompare(b.field?.join('.') ?? '')));
  }

  const snapshot = toSnapshot(record);
  const event = ProductCreated.create(snapshot, { aggregateId: record._id, correlationId: meta.requestId, ...(meta.traceparent ? { traceparent: meta.traceparent } : {}) });
  let result;
  try {
    result = await deps.committer.commit('products', record, [event]);
  } catch (err) {
    await releaseSkus().catch(() => undefined);
    throw err;
  }
  if (!result.ok) {
    await releaseSkus();
    if (result.reason === 'duplicate') return fail(userError('HANDLE_TAKEN', 'A product with this handle already exists', ['input', 'handle']));
    throw new Error(`unexpected commit result ${result.reason} for a new product`);
  }
  deps.index.upsertProduct(snapshot);
  return ok(snapshot);
}
