import { allow, isAdmin, type IRules } from '@commerce/platform';

/** Who may do what. The fallback is deny: a new type or field is closed until listed here. */
export const permissions: IRules = {
  Query: { product: allow, products: allow, categories: allow, category: allow },
  Mutation: { createProduct: isAdmin, setVariantPrice: isAdmin, setProductStatus: isAdmin, createCategory: isAdmin },
  Product: allow,
  ProductVariant: allow,
  SelectedOption: allow,
  PriceRange: allow,
  Money: allow,
  Category: allow,
  ProductConnection: allow,
  ProductEdge: allow,
  ProductFacets: allow,
  CategoryFacet: allow,
  PriceRangeFacet: allow,
  PageInfo: allow,
  UserError: allow,
  CreateProductPayload: allow,
  SetVariantPricePayload: allow,
  SetProductStatusPayload: allow,
  CreateCategoryPayload: allow,
};
