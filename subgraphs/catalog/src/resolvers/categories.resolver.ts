import { badUserInput, isId } from '@commerce/platform';
import type { CategoryResolvers, QueryResolvers } from '../__generated__/resolvers-types.ts';

export const categoryQueries: Pick<QueryResolvers, 'categories' | 'category'> = {
  categories(_p, _a, ctx) {
    return ctx.deps.index.listCategories();
  },
  category(_p, args, ctx) {
    if (!isId('cat', args.id)) throw badUserInput('Malformed category id', 'id');
    return ctx.loaders.category.load(args.id);
  },
};

export const Category: CategoryResolvers = {
  __resolveReference(ref, ctx) {
    return ctx.loaders.category.load(ref.id);
  },
  parent(c, _a, ctx) {
    return c.parentId ? ctx.loaders.category.load(c.parentId) : null;
  },
  children(c, _a, ctx) {
    return ctx.deps.index.childrenOf(c.id);
  },
};
