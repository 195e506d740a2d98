import { CategoryCreated } from '@commerce/events/contracts';
import { fail, isId, newId, ok, userError, type Result } from '@commerce/platform';
import type { CategoryView } from './catalog-index.ts';
import type { CatalogDeps, CommandMeta } from './deps.ts';
import type { CategoryRecord } from './product.ts';
import { checkText, LIMITS } from './validation.ts';

export async function createCategory(deps: CatalogDeps, name: string, parentId: string | null, meta: CommandMeta): Promise<Result<CategoryView>> {
  const nameError = checkText(name, LIMITS.categoryName, ['name'], 'INVALID_NAME', 'Name');
  if (nameError) return fail(nameError);
  if (parentId !== null) {
    const exists = isId('cat', parentId) && (deps.index.getCategory(parentId) ?? (await deps.models.Category.exists({ _id: parentId })));
    if (!exists) return fail(userError('CATEGORY_NOT_FOUND', 'Parent category not found', ['parentId']));
  }
  const trimmed = name.trim();
  const record: CategoryRecord = {
    _id: newId('cat'),
    name: trimmed,
    parentId,
    siblingKey: `${parentId ?? 'root'}/${trimmed.toLocaleLowerCase('en')}`,
    createdAt: new Date(),
    version: 1,
  };
  const view: CategoryView = { id: record._id, name: record.name, parentId, createdAt: record.createdAt.toISOString() };
  const event = CategoryCreated.create(view, { aggregateId: record._id, correlationId: meta.requestId, ...(meta.traceparent ? { traceparent: meta.traceparent } : {}) });
  const result = await deps.committer.commit('categories', record, [event]);
  if (!result.ok) {
    if (result.reason === 'duplicate') return fail(userError('NAME_TAKEN', 'A category with this name already exists under the same parent', ['name']));
    throw new Error(`unexpected commit result ${result.reason} for a new category`);
  }
  deps.index.upsertCategory(view);
  return ok(view);
}
