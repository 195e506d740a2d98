import type { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import type { IndexedProduct, CategoryView } from '../domain/catalog-index.ts';
import type { VariantParent } from '../resolvers/parents.ts';
import type { Context } from '../context.ts';
export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
export type Omit<T, K extends keyof T> = Pick<T, Exclude<keyof T, K>>;
export type RequireFields<T, K extends keyof T> = Omit<T, K> & { [P in K]-?: NonNullable<T[P]> };
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  /** An ISO 8601 date-time in UTC, e.g. 2026-11-25T18:00:00.000Z. */
  DateTime: { input: string; output: string; }
  _FieldSet: { input: unknown; output: unknown; }
};

/** Who may cache a response (Apollo cache control): PUBLIC for anyone, PRIVATE for one user only. */
export type CacheControlScope =
  /** Only the requesting user's own cache; the router never caches it. */
  | 'PRIVATE'
  /** Any cache may keep it (CDN, the router's response cache). */
  | 'PUBLIC';

/** A node of the category tree. */
export type Category = {
  __typename?: 'Category';
  /** Direct subcategories. */
  children: Array<Category>;
  /** Opaque id (cat_…). */
  id: Scalars['ID']['output'];
  /** Display name. */
  name: Scalars['String']['output'];
  /** Parent category; null for a root. */
  parent?: Maybe<Category>;
};

/** How many matching products a category holds. */
export type CategoryFacet = {
  __typename?: 'CategoryFacet';
  /** The category. */
  category: Category;
  /** Matching products in the category or one of its subcategories: the totalCount the listing would have with this categoryId added to the filter. */
  count: Scalars['Int']['output'];
};

/** Result of createCategory. */
export type CreateCategoryPayload = {
  __typename?: 'CreateCategoryPayload';
  /** The created category. */
  category?: Maybe<Category>;
  /** Why nothing was created. */
  userErrors: Array<UserError>;
};

/** A new product. */
export type CreateProductInput = {
  /** Categories to list it in. */
  categoryIds?: InputMaybe<Array<Scalars['ID']['input']>>;
  /** Plain-text description. */
  description?: InputMaybe<Scalars['String']['input']>;
  /** Unique URL-friendly name: lower-case letters, digits and dashes. */
  handle: Scalars['String']['input'];
  /** Display title. */
  title: Scalars['String']['input'];
  /** At least one variant. */
  variants: Array<VariantInput>;
};

/** Result of createProduct. */
export type CreateProductPayload = {
  __typename?: 'CreateProductPayload';
  /** The created product; null when userErrors is not empty. */
  product?: Maybe<Product>;
  /** Why nothing was created. */
  userErrors: Array<UserError>;
};

/** An amount of money: a decimal string in major units ("19.99") and an ISO 4217 currency code. */
export type Money = {
  __typename?: 'Money';
  /** Decimal amount in major units, e.g. "19.99"; never a float. */
  amount: Scalars['String']['output'];
  /** ISO 4217 currency code, e.g. USD. */
  currencyCode: Scalars['String']['output'];
};

/** A price to set: decimal amount and currency. */
export type MoneyInput = {
  /** Decimal amount in major units, e.g. "19.99"; not negative. */
  amount: Scalars['String']['input'];
  /** ISO 4217 currency code; must be the store currency. */
  currencyCode: Scalars['String']['input'];
};

export type Mutation = {
  __typename?: 'Mutation';
  /** Creates a category, optionally under a parent (ADMIN). */
  createCategory: CreateCategoryPayload;
  /** Creates a product with its variants (ADMIN). Duplicate handle → HANDLE_TAKEN, duplicate sku → SKU_TAKEN. */
  createProduct: CreateProductPayload;
  /** Archives a product (gone from listing and search at once; still resolvable for order history) or makes it active again (ADMIN). Setting the status it already has changes nothing. */
  setProductStatus: SetProductStatusPayload;
  /** Sets a variant's price (ADMIN); carts and listings follow through events. */
  setVariantPrice: SetVariantPricePayload;
};


export type MutationCreateCategoryArgs = {
  name: Scalars['String']['input'];
  parentId?: InputMaybe<Scalars['ID']['input']>;
};


export type MutationCreateProductArgs = {
  input: CreateProductInput;
};


export type MutationSetProductStatusArgs = {
  productId: Scalars['ID']['input'];
  status: ProductStatus;
};


export type MutationSetVariantPriceArgs = {
  price: MoneyInput;
  variantId: Scalars['ID']['input'];
};

/** One option value of a new variant. */
export type OptionInput = {
  /** Option name, e.g. Size. */
  name: Scalars['String']['input'];
  /** Option value, e.g. L. */
  value: Scalars['String']['input'];
};

/** Relay-style pagination state of a connection. */
export type PageInfo = {
  __typename?: 'PageInfo';
  /** Cursor of the last edge: pass it as `after` for the next page. */
  endCursor?: Maybe<Scalars['String']['output']>;
  /** Whether more items follow the last edge of this page. */
  hasNextPage: Scalars['Boolean']['output'];
  /** Whether items precede the first edge of this page. */
  hasPreviousPage: Scalars['Boolean']['output'];
  /** Cursor of the first edge, null for an empty page. */
  startCursor?: Maybe<Scalars['String']['output']>;
};

/** The lowest and highest price of a product's variants. */
export type PriceRange = {
  __typename?: 'PriceRange';
  /** Highest variant price. */
  maxVariantPrice: Money;
  /** Lowest variant price. */
  minVariantPrice: Money;
};

/** How many matching products have a variant priced in a band. */
export type PriceRangeFacet = {
  __typename?: 'PriceRangeFacet';
  /** Matching products with at least one variant priced in the band. */
  count: Scalars['Int']['output'];
  /** Price the band stops below (exclusive); null when the band is open-ended. */
  max?: Maybe<Money>;
  /** Lowest price in the band (inclusive). */
  min: Money;
};

/** A product: what a shopper browses. What is bought is one of its variants. */
export type Product = {
  __typename?: 'Product';
  /** Categories the product is listed in. */
  categories: Array<Category>;
  /** When the product was created. */
  createdAt: Scalars['DateTime']['output'];
  /** Plain-text description. */
  description: Scalars['String']['output'];
  /** Unique URL-friendly name, e.g. "linen-shirt". */
  handle: Scalars['String']['output'];
  /** Opaque id (prod_…). */
  id: Scalars['ID']['output'];
  /** Lowest and highest variant price. */
  priceRange: PriceRange;
  /** Whether the product is sold. */
  status: ProductStatus;
  /** Display title. */
  title: Scalars['String']['output'];
  /** The purchasable variants, in display order. */
  variants: Array<ProductVariant>;
};

/** A page of products. */
export type ProductConnection = {
  __typename?: 'ProductConnection';
  /** The products of this page. */
  edges: Array<ProductEdge>;
  /** Counts by category and price band, computed for the current filter and search over all pages (not just this one). */
  facets: ProductFacets;
  /** Pagination state. */
  pageInfo: PageInfo;
  /** Exact number of products matching the filter (all pages). */
  totalCount: Scalars['Int']['output'];
};

/** A product in a page, with its cursor. */
export type ProductEdge = {
  __typename?: 'ProductEdge';
  /** Position of this product in the ordering; pass as `after`. */
  cursor: Scalars['String']['output'];
  /** The product. */
  node: Product;
};

/** Counts over every product matching a listing's filter and search, for narrowing it further. */
export type ProductFacets = {
  __typename?: 'ProductFacets';
  /** Categories holding matching products (directly or in a subcategory), most products first. */
  categories: Array<CategoryFacet>;
  /** Price bands holding matching products, lowest first; a product counts in every band one of its variants is priced in. */
  priceRanges: Array<PriceRangeFacet>;
};

/** Filters for the product listing; all given filters must match. */
export type ProductFilter = {
  /** Only products in this category or one of its subcategories. */
  categoryId?: InputMaybe<Scalars['ID']['input']>;
  /** Only products with a variant in stock (needs the inventory service). */
  inStock?: InputMaybe<Scalars['Boolean']['input']>;
  /** Only products with a variant priced at most this much (store currency, decimal string). */
  maxPrice?: InputMaybe<Scalars['String']['input']>;
  /** Only products with a variant priced at least this much (store currency, decimal string). */
  minPrice?: InputMaybe<Scalars['String']['input']>;
  /** Words to find in title, description and options (prefixes and small typos match). */
  search?: InputMaybe<Scalars['String']['input']>;
};

/** Orderings of the product listing. */
export type ProductSort =
  /** Newest first. */
  | 'NEWEST'
  /** Lowest price first. */
  | 'PRICE_ASC'
  /** Highest price first. */
  | 'PRICE_DESC'
  /** Best search match first (newest first without a search). */
  | 'RELEVANCE'
  /** Title A–Z. */
  | 'TITLE_ASC';

/** Whether a product is sold. */
export type ProductStatus =
  /** Visible in the storefront. */
  | 'ACTIVE'
  /** Hidden from the storefront; kept for order history. */
  | 'ARCHIVED';

/** One purchasable version of a product (a size, a colour). */
export type ProductVariant = {
  __typename?: 'ProductVariant';
  /** Opaque id (var_…). */
  id: Scalars['ID']['output'];
  /** The option values that make this variant, e.g. Size: L. */
  options: Array<SelectedOption>;
  /** Current unit price. */
  price: Money;
  /** The product this variant belongs to. */
  product: Product;
  /** Unique stock-keeping unit. */
  sku: Scalars['String']['output'];
  /** Display title, e.g. "Large / Blue". */
  title: Scalars['String']['output'];
};

export type Query = {
  __typename?: 'Query';
  /** Every category, roots first. */
  categories: Array<Category>;
  /** One category by id. */
  category?: Maybe<Category>;
  /** One product by id or handle; null when unknown or archived. */
  product?: Maybe<Product>;
  /** Paged product listing with filters and sort (cursor pagination; at most 100 per page). */
  products: ProductConnection;
};


export type QueryCategoryArgs = {
  id: Scalars['ID']['input'];
};


export type QueryProductArgs = {
  handle?: InputMaybe<Scalars['String']['input']>;
  id?: InputMaybe<Scalars['ID']['input']>;
};


export type QueryProductsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<ProductFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
  sort?: InputMaybe<ProductSort>;
};

/** One option value of a variant. */
export type SelectedOption = {
  __typename?: 'SelectedOption';
  /** Option name, e.g. Size. */
  name: Scalars['String']['output'];
  /** Option value, e.g. L. */
  value: Scalars['String']['output'];
};

/** Result of setProductStatus. */
export type SetProductStatusPayload = {
  __typename?: 'SetProductStatusPayload';
  /** The product with its status (also when it already had it); null when not found. */
  product?: Maybe<Product>;
  /** Why the status was not changed: PRODUCT_NOT_FOUND, CONCURRENT_UPDATE. */
  userErrors: Array<UserError>;
};

/** Result of setVariantPrice. */
export type SetVariantPricePayload = {
  __typename?: 'SetVariantPricePayload';
  /** Why the price was not changed. */
  userErrors: Array<UserError>;
  /** The variant with its new price. */
  variant?: Maybe<ProductVariant>;
};

/** Why a mutation did not do what was asked: the input field at fault and a stable code. */
export type UserError = {
  __typename?: 'UserError';
  /** Stable, machine-readable code, e.g. HANDLE_TAKEN. */
  code: Scalars['String']['output'];
  /** Path to the input field at fault, e.g. ["input", "handle"]; null when not about one field. */
  field?: Maybe<Array<Scalars['String']['output']>>;
  /** Human-readable explanation. */
  message: Scalars['String']['output'];
};

/** A variant of a new product. */
export type VariantInput = {
  /** Option values. */
  options?: InputMaybe<Array<OptionInput>>;
  /** Unit price. */
  price: MoneyInput;
  /** Unique stock-keeping unit (letters, digits, . _ -). */
  sku: Scalars['String']['input'];
  /** Display title. */
  title: Scalars['String']['input'];
};

export type WithIndex<TObject> = TObject & Record<string, any>;
export type ResolversObject<TObject> = WithIndex<TObject>;

export type ResolverTypeWrapper<T> = Promise<T> | T;

export type ReferenceResolver<TResult, TReference, TContext> = (
      reference: TReference,
      context: TContext,
      info: GraphQLResolveInfo
    ) => Promise<TResult> | TResult;

      type ScalarCheck<T, S> = S extends true ? T : NullableCheck<T, S>;
      type NullableCheck<T, S> = Maybe<T> extends T ? Maybe<ListCheck<NonNullable<T>, S>> : ListCheck<T, S>;
      type ListCheck<T, S> = T extends (infer U)[] ? NullableCheck<U, S>[] : GraphQLRecursivePick<T, S>;
      export type GraphQLRecursivePick<T, S> = { [K in keyof T & keyof S]: ScalarCheck<T[K], S[K]> };
    

export type ResolverWithResolve<TResult, TParent, TContext, TArgs> = {
  resolve: ResolverFn<TResult, TParent, TContext, TArgs>;
};
export type Resolver<TResult, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> = ResolverFn<TResult, TParent, TContext, TArgs> | ResolverWithResolve<TResult, TParent, TContext, TArgs>;

export type ResolverFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => Promise<TResult> | TResult;

export type SubscriptionSubscribeFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => AsyncIterable<TResult> | Promise<AsyncIterable<TResult>>;

export type SubscriptionResolveFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;

export interface SubscriptionSubscriberObject<TResult, TKey extends string, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<{ [key in TKey]: TResult }, TParent, TContext, TArgs>;
  resolve?: SubscriptionResolveFn<TResult, { [key in TKey]: TResult }, TContext, TArgs>;
}

export interface SubscriptionResolverObject<TResult, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<any, TParent, TContext, TArgs>;
  resolve: SubscriptionResolveFn<TResult, any, TContext, TArgs>;
}

export type SubscriptionObject<TResult, TKey extends string, TParent, TContext, TArgs> =
  | SubscriptionSubscriberObject<TResult, TKey, TParent, TContext, TArgs>
  | SubscriptionResolverObject<TResult, TParent, TContext, TArgs>;

export type SubscriptionResolver<TResult, TKey extends string, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> =
  | ((...args: any[]) => SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>)
  | SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>;

export type TypeResolveFn<TTypes, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (
  parent: TParent,
  context: TContext,
  info: GraphQLResolveInfo
) => Maybe<TTypes> | Promise<Maybe<TTypes>>;

export type IsTypeOfResolverFn<T = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (obj: T, context: TContext, info: GraphQLResolveInfo) => boolean | Promise<boolean>;

export type NextResolverFn<T> = () => Promise<T>;

export type DirectiveResolverFn<TResult = Record<PropertyKey, never>, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> = (
  next: NextResolverFn<TResult>,
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;

/** Mapping of federation types */
export type FederationTypes = ResolversObject<{
  Category: Category;
  Product: Product;
  ProductVariant: ProductVariant;
}>;

/** Mapping of federation reference types */
export type FederationReferenceTypes = ResolversObject<{
  Category:
    ( { __typename: 'Category' }
    & GraphQLRecursivePick<FederationTypes['Category'], {"id":true}> );
  Product:
    ( { __typename: 'Product' }
    & GraphQLRecursivePick<FederationTypes['Product'], {"id":true}> );
  ProductVariant:
    ( { __typename: 'ProductVariant' }
    & GraphQLRecursivePick<FederationTypes['ProductVariant'], {"id":true}> );
}>;



/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = ResolversObject<{
  CacheControlScope: CacheControlScope;
  Category: ResolverTypeWrapper<CategoryView>;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  CategoryFacet: ResolverTypeWrapper<Omit<CategoryFacet, 'category'> & { category: ResolversTypes['Category'] }>;
  CreateCategoryPayload: ResolverTypeWrapper<Omit<CreateCategoryPayload, 'category'> & { category?: Maybe<ResolversTypes['Category']> }>;
  CreateProductInput: CreateProductInput;
  CreateProductPayload: ResolverTypeWrapper<Omit<CreateProductPayload, 'product'> & { product?: Maybe<ResolversTypes['Product']> }>;
  DateTime: ResolverTypeWrapper<Scalars['DateTime']['output']>;
  Money: ResolverTypeWrapper<Money>;
  MoneyInput: MoneyInput;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  OptionInput: OptionInput;
  PageInfo: ResolverTypeWrapper<PageInfo>;
  PriceRange: ResolverTypeWrapper<PriceRange>;
  PriceRangeFacet: ResolverTypeWrapper<PriceRangeFacet>;
  Product: ResolverTypeWrapper<IndexedProduct>;
  ProductConnection: ResolverTypeWrapper<Omit<ProductConnection, 'edges' | 'facets'> & { edges: Array<ResolversTypes['ProductEdge']>, facets: ResolversTypes['ProductFacets'] }>;
  ProductEdge: ResolverTypeWrapper<Omit<ProductEdge, 'node'> & { node: ResolversTypes['Product'] }>;
  ProductFacets: ResolverTypeWrapper<Omit<ProductFacets, 'categories'> & { categories: Array<ResolversTypes['CategoryFacet']> }>;
  ProductFilter: ProductFilter;
  ProductSort: ProductSort;
  ProductStatus: ProductStatus;
  ProductVariant: ResolverTypeWrapper<VariantParent>;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  SelectedOption: ResolverTypeWrapper<SelectedOption>;
  SetProductStatusPayload: ResolverTypeWrapper<Omit<SetProductStatusPayload, 'product'> & { product?: Maybe<ResolversTypes['Product']> }>;
  SetVariantPricePayload: ResolverTypeWrapper<Omit<SetVariantPricePayload, 'variant'> & { variant?: Maybe<ResolversTypes['ProductVariant']> }>;
  UserError: ResolverTypeWrapper<UserError>;
  VariantInput: VariantInput;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
}>;

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = ResolversObject<{
  Category: CategoryView;
  ID: Scalars['ID']['output'];
  String: Scalars['String']['output'];
  CategoryFacet: Omit<CategoryFacet, 'category'> & { category: ResolversParentTypes['Category'] };
  CreateCategoryPayload: Omit<CreateCategoryPayload, 'category'> & { category?: Maybe<ResolversParentTypes['Category']> };
  CreateProductInput: CreateProductInput;
  CreateProductPayload: Omit<CreateProductPayload, 'product'> & { product?: Maybe<ResolversParentTypes['Product']> };
  DateTime: Scalars['DateTime']['output'];
  Money: Money;
  MoneyInput: MoneyInput;
  Mutation: Record<PropertyKey, never>;
  OptionInput: OptionInput;
  PageInfo: PageInfo;
  PriceRange: PriceRange;
  PriceRangeFacet: PriceRangeFacet;
  Product: IndexedProduct;
  ProductConnection: Omit<ProductConnection, 'edges' | 'facets'> & { edges: Array<ResolversParentTypes['ProductEdge']>, facets: ResolversParentTypes['ProductFacets'] };
  ProductEdge: Omit<ProductEdge, 'node'> & { node: ResolversParentTypes['Product'] };
  ProductFacets: Omit<ProductFacets, 'categories'> & { categories: Array<ResolversParentTypes['CategoryFacet']> };
  ProductFilter: ProductFilter;
  ProductVariant: VariantParent;
  Query: Record<PropertyKey, never>;
  SelectedOption: SelectedOption;
  SetProductStatusPayload: Omit<SetProductStatusPayload, 'product'> & { product?: Maybe<ResolversParentTypes['Product']> };
  SetVariantPricePayload: Omit<SetVariantPricePayload, 'variant'> & { variant?: Maybe<ResolversParentTypes['ProductVariant']> };
  UserError: UserError;
  VariantInput: VariantInput;
  Boolean: Scalars['Boolean']['output'];
  Int: Scalars['Int']['output'];
}>;

export type CacheControlDirectiveArgs = {
  inheritMaxAge?: Maybe<Scalars['Boolean']['input']>;
  maxAge?: Maybe<Scalars['Int']['input']>;
  scope?: Maybe<CacheControlScope>;
};

export type CacheControlDirectiveResolver<Result, Parent, ContextType = Context, Args = CacheControlDirectiveArgs> = DirectiveResolverFn<Result, Parent, ContextType, Args>;

export type CategoryResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Category'] = ResolversParentTypes['Category'], FederationReferenceType extends FederationReferenceTypes['Category'] = FederationReferenceTypes['Category']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Category']> | FederationReferenceType, FederationReferenceType, ContextType>;
  children?: Resolver<Array<ResolversTypes['Category']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  parent?: Resolver<Maybe<ResolversTypes['Category']>, ParentType, ContextType>;
}>;

export type CategoryFacetResolvers<ContextType = Context, ParentType extends ResolversParentTypes['CategoryFacet'] = ResolversParentTypes['CategoryFacet']> = ResolversObject<{
  category?: Resolver<ResolversTypes['Category'], ParentType, ContextType>;
  count?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type CreateCategoryPayloadResolvers<ContextType = Context, ParentType extends ResolversParentTypes['CreateCategoryPayload'] = ResolversParentTypes['CreateCategoryPayload']> = ResolversObject<{
  category?: Resolver<Maybe<ResolversTypes['Category']>, ParentType, ContextType>;
  userErrors?: Resolver<Array<ResolversTypes['UserError']>, ParentType, ContextType>;
}>;

export type CreateProductPayloadResolvers<ContextType = Context, ParentType extends ResolversParentTypes['CreateProductPayload'] = ResolversParentTypes['CreateProductPayload']> = ResolversObject<{
  product?: Resolver<Maybe<ResolversTypes['Product']>, ParentType, ContextType>;
  userErrors?: Resolver<Array<ResolversTypes['UserError']>, ParentType, ContextType>;
}>;

export interface DateTimeScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['DateTime'], any> {
  name: 'DateTime';
}

export type MoneyResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Money'] = ResolversParentTypes['Money']> = ResolversObject<{
  amount?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  currencyCode?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type MutationResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = ResolversObject<{
  createCategory?: Resolver<ResolversTypes['CreateCategoryPayload'], ParentType, ContextType, RequireFields<MutationCreateCategoryArgs, 'name'>>;
  createProduct?: Resolver<ResolversTypes['CreateProductPayload'], ParentType, ContextType, RequireFields<MutationCreateProductArgs, 'input'>>;
  setProductStatus?: Resolver<ResolversTypes['SetProductStatusPayload'], ParentType, ContextType, RequireFields<MutationSetProductStatusArgs, 'productId' | 'status'>>;
  setVariantPrice?: Resolver<ResolversTypes['SetVariantPricePayload'], ParentType, ContextType, RequireFields<MutationSetVariantPriceArgs, 'price' | 'variantId'>>;
}>;

export type PageInfoResolvers<ContextType = Context, ParentType extends ResolversParentTypes['PageInfo'] = ResolversParentTypes['PageInfo']> = ResolversObject<{
  endCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  hasNextPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  hasPreviousPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  startCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
}>;

export type PriceRangeResolvers<ContextType = Context, ParentType extends ResolversParentTypes['PriceRange'] = ResolversParentTypes['PriceRange']> = ResolversObject<{
  maxVariantPrice?: Resolver<ResolversTypes['Money'], ParentType, ContextType>;
  minVariantPrice?: Resolver<ResolversTypes['Money'], ParentType, ContextType>;
}>;

export type PriceRangeFacetResolvers<ContextType = Context, ParentType extends ResolversParentTypes['PriceRangeFacet'] = ResolversParentTypes['PriceRangeFacet']> = ResolversObject<{
  count?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  max?: Resolver<Maybe<ResolversTypes['Money']>, ParentType, ContextType>;
  min?: Resolver<ResolversTypes['Money'], ParentType, ContextType>;
}>;

export type ProductResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Product'] = ResolversParentTypes['Product'], FederationReferenceType extends FederationReferenceTypes['Product'] = FederationReferenceTypes['Product']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Product']> | FederationReferenceType, FederationReferenceType, ContextType>;
  categories?: Resolver<Array<ResolversTypes['Category']>, ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  description?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  handle?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  priceRange?: Resolver<ResolversTypes['PriceRange'], ParentType, ContextType>;
  status?: Resolver<ResolversTypes['ProductStatus'], ParentType, ContextType>;
  title?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  variants?: Resolver<Array<ResolversTypes['ProductVariant']>, ParentType, ContextType>;
}>;

export type ProductConnectionResolvers<ContextType = Context, ParentType extends ResolversParentTypes['ProductConnection'] = ResolversParentTypes['ProductConnection']> = ResolversObject<{
  edges?: Resolver<Array<ResolversTypes['ProductEdge']>, ParentType, ContextType>;
  facets?: Resolver<ResolversTypes['ProductFacets'], ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
  totalCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type ProductEdgeResolvers<ContextType = Context, ParentType extends ResolversParentTypes['ProductEdge'] = ResolversParentTypes['ProductEdge']> = ResolversObject<{
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['Product'], ParentType, ContextType>;
}>;

export type ProductFacetsResolvers<ContextType = Context, ParentType extends ResolversParentTypes['ProductFacets'] = ResolversParentTypes['ProductFacets']> = ResolversObject<{
  categories?: Resolver<Array<ResolversTypes['CategoryFacet']>, ParentType, ContextType>;
  priceRanges?: Resolver<Array<ResolversTypes['PriceRangeFacet']>, ParentType, ContextType>;
}>;

export type ProductVariantResolvers<ContextType = Context, ParentType extends ResolversParentTypes['ProductVariant'] = ResolversParentTypes['ProductVariant'], FederationReferenceType extends FederationReferenceTypes['ProductVariant'] = FederationReferenceTypes['ProductVariant']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['ProductVariant']> | FederationReferenceType, FederationReferenceType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  options?: Resolver<Array<ResolversTypes['SelectedOption']>, ParentType, ContextType>;
  price?: Resolver<ResolversTypes['Money'], ParentType, ContextType>;
  product?: Resolver<ResolversTypes['Product'], ParentType, ContextType>;
  sku?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  title?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type QueryResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = ResolversObject<{
  categories?: Resolver<Array<ResolversTypes['Category']>, ParentType, ContextType>;
  category?: Resolver<Maybe<ResolversTypes['Category']>, ParentType, ContextType, RequireFields<QueryCategoryArgs, 'id'>>;
  product?: Resolver<Maybe<ResolversTypes['Product']>, ParentType, ContextType, Partial<QueryProductArgs>>;
  products?: Resolver<ResolversTypes['ProductConnection'], ParentType, ContextType, RequireFields<QueryProductsArgs, 'first' | 'sort'>>;
}>;

export type SelectedOptionResolvers<ContextType = Context, ParentType extends ResolversParentTypes['SelectedOption'] = ResolversParentTypes['SelectedOption']> = ResolversObject<{
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  value?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type SetProductStatusPayloadResolvers<ContextType = Context, ParentType extends ResolversParentTypes['SetProductStatusPayload'] = ResolversParentTypes['SetProductStatusPayload']> = ResolversObject<{
  product?: Resolver<Maybe<ResolversTypes['Product']>, ParentType, ContextType>;
  userErrors?: Resolver<Array<ResolversTypes['UserError']>, ParentType, ContextType>;
}>;

export type SetVariantPricePayloadResolvers<ContextType = Context, ParentType extends ResolversParentTypes['SetVariantPricePayload'] = ResolversParentTypes['SetVariantPricePayload']> = ResolversObject<{
  userErrors?: Resolver<Array<ResolversTypes['UserError']>, ParentType, ContextType>;
  variant?: Resolver<Maybe<ResolversTypes['ProductVariant']>, ParentType, ContextType>;
}>;

export type UserErrorResolvers<ContextType = Context, ParentType extends ResolversParentTypes['UserError'] = ResolversParentTypes['UserError']> = ResolversObject<{
  code?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  field?: Resolver<Maybe<Array<ResolversTypes['String']>>, ParentType, ContextType>;
  message?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type Resolvers<ContextType = Context> = ResolversObject<{
  Category?: CategoryResolvers<ContextType>;
  CategoryFacet?: CategoryFacetResolvers<ContextType>;
  CreateCategoryPayload?: CreateCategoryPayloadResolvers<ContextType>;
  CreateProductPayload?: CreateProductPayloadResolvers<ContextType>;
  DateTime?: GraphQLScalarType;
  Money?: MoneyResolvers<ContextType>;
  Mutation?: MutationResolvers<ContextType>;
  PageInfo?: PageInfoResolvers<ContextType>;
  PriceRange?: PriceRangeResolvers<ContextType>;
  PriceRangeFacet?: PriceRangeFacetResolvers<ContextType>;
  Product?: ProductResolvers<ContextType>;
  ProductConnection?: ProductConnectionResolvers<ContextType>;
  ProductEdge?: ProductEdgeResolvers<ContextType>;
  ProductFacets?: ProductFacetsResolvers<ContextType>;
  ProductVariant?: ProductVariantResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  SelectedOption?: SelectedOptionResolvers<ContextType>;
  SetProductStatusPayload?: SetProductStatusPayloadResolvers<ContextType>;
  SetVariantPricePayload?: SetVariantPricePayloadResolvers<ContextType>;
  UserError?: UserErrorResolvers<ContextType>;
}>;

export type DirectiveResolvers<ContextType = Context> = ResolversObject<{
  cacheControl?: CacheControlDirectiveResolver<any, any, ContextType>;
}>;
