import type { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import type { Context } from '../context.ts';
export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
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

/** Result of addToCart. */
export type AddToCartPayload = {
  __typename?: 'AddToCartPayload';
  /** The cart after the change; on failure the unchanged cart (null when the cart was not found). */
  cart?: Maybe<Cart>;
  /** Why nothing changed: CART_NOT_FOUND, CART_CHECKED_OUT, VARIANT_NOT_FOUND, INVALID_QUANTITY, INSUFFICIENT_STOCK, TOO_MANY_LINES. */
  userErrors: Array<UserError>;
};

/** Who may cache a response (Apollo cache control): PUBLIC for anyone, PRIVATE for one user only. */
export type CacheControlScope =
  /** Only the requesting user's own cache; the router never caches it. */
  | 'PRIVATE'
  /** Any cache may keep it (CDN, the router's response cache). */
  | 'PUBLIC';

/**
 * A shopping cart. Created without a token it is anonymous (whoever knows its id may use it);
 * created with a customer token it belongs to that customer and is invisible to everyone else.
 */
export type Cart = {
  __typename?: 'Cart';
  /** Whether an order was placed from this cart; a checked-out cart refuses changes (CART_CHECKED_OUT). */
  checkedOut: Scalars['Boolean']['output'];
  /** Opaque id (cart_…). */
  id: Scalars['ID']['output'];
  /** The cart's lines, in the order they were first added. */
  lines: Array<CartLine>;
  /** Sum of the line totals at current prices. */
  subtotal: Money;
  /** Sum of the line quantities. */
  totalQuantity: Scalars['Int']['output'];
};

/** One variant in a cart, with its quantity. */
export type CartLine = {
  __typename?: 'CartLine';
  /** Opaque id (line_…). */
  id: Scalars['ID']['output'];
  /** unitPrice × quantity. */
  lineTotal: Money;
  /** How many units (at least 1). */
  quantity: Scalars['Int']['output'];
  /** Current unit price of the variant. */
  unitPrice: Money;
  /** The variant (its sku, title and price are resolved by the catalog). */
  variant: ProductVariant;
};

/** An amount of money: a decimal string in major units ("19.99") and an ISO 4217 currency code. */
export type Money = {
  __typename?: 'Money';
  /** Decimal amount in major units, e.g. "19.99"; never a float. */
  amount: Scalars['String']['output'];
  /** ISO 4217 currency code, e.g. USD. */
  currencyCode: Scalars['String']['output'];
};

export type Mutation = {
  __typename?: 'Mutation';
  /** Adds quantity (≥ 1) of a variant; a variant already in the cart increases that line. Checked against the quantity available. */
  addToCart: AddToCartPayload;
  /** Creates an empty cart: anonymous without a token, the caller's own with a customer token. */
  createCart: Cart;
  /** Removes a line. */
  removeCartLine: RemoveCartLinePayload;
  /** Sets a line's quantity; 0 removes the line, a negative quantity is INVALID_QUANTITY. An increase is checked against the quantity available. */
  updateCartLine: UpdateCartLinePayload;
};


export type MutationAddToCartArgs = {
  cartId: Scalars['ID']['input'];
  quantity: Scalars['Int']['input'];
  variantId: Scalars['ID']['input'];
};


export type MutationRemoveCartLineArgs = {
  cartId: Scalars['ID']['input'];
  lineId: Scalars['ID']['input'];
};


export type MutationUpdateCartLineArgs = {
  cartId: Scalars['ID']['input'];
  lineId: Scalars['ID']['input'];
  quantity: Scalars['Int']['input'];
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

/** One purchasable version of a product (a size, a colour). */
export type ProductVariant = {
  __typename?: 'ProductVariant';
  /** Opaque id (var_…). */
  id: Scalars['ID']['output'];
};

export type Query = {
  __typename?: 'Query';
  /** One cart by id; null when unknown or when it belongs to another customer. */
  cart?: Maybe<Cart>;
};


export type QueryCartArgs = {
  id: Scalars['ID']['input'];
};

/** Result of removeCartLine. */
export type RemoveCartLinePayload = {
  __typename?: 'RemoveCartLinePayload';
  /** The cart after the change; on failure the unchanged cart (null when the cart was not found). */
  cart?: Maybe<Cart>;
  /** Why nothing changed: CART_NOT_FOUND, CART_CHECKED_OUT, LINE_NOT_FOUND. */
  userErrors: Array<UserError>;
};

/** Result of updateCartLine. */
export type UpdateCartLinePayload = {
  __typename?: 'UpdateCartLinePayload';
  /** The cart after the change; on failure the unchanged cart (null when the cart was not found). */
  cart?: Maybe<Cart>;
  /** Why nothing changed: CART_NOT_FOUND, CART_CHECKED_OUT, LINE_NOT_FOUND, INVALID_QUANTITY, INSUFFICIENT_STOCK. */
  userErrors: Array<UserError>;
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
  Cart: Cart;
}>;

/** Mapping of federation reference types */
export type FederationReferenceTypes = ResolversObject<{
  Cart:
    ( { __typename: 'Cart' }
    & GraphQLRecursivePick<FederationTypes['Cart'], {"id":true}> );
}>;



/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = ResolversObject<{
  AddToCartPayload: ResolverTypeWrapper<AddToCartPayload>;
  CacheControlScope: CacheControlScope;
  Cart: ResolverTypeWrapper<Cart>;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  CartLine: ResolverTypeWrapper<CartLine>;
  DateTime: ResolverTypeWrapper<Scalars['DateTime']['output']>;
  Money: ResolverTypeWrapper<Money>;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  PageInfo: ResolverTypeWrapper<PageInfo>;
  ProductVariant: ResolverTypeWrapper<ProductVariant>;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  RemoveCartLinePayload: ResolverTypeWrapper<RemoveCartLinePayload>;
  UpdateCartLinePayload: ResolverTypeWrapper<UpdateCartLinePayload>;
  UserError: ResolverTypeWrapper<UserError>;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
}>;

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = ResolversObject<{
  AddToCartPayload: AddToCartPayload;
  Cart: Cart | FederationReferenceTypes['Cart'];
  ID: Scalars['ID']['output'];
  CartLine: CartLine;
  DateTime: Scalars['DateTime']['output'];
  Money: Money;
  String: Scalars['String']['output'];
  Mutation: Record<PropertyKey, never>;
  PageInfo: PageInfo;
  ProductVariant: ProductVariant;
  Query: Record<PropertyKey, never>;
  RemoveCartLinePayload: RemoveCartLinePayload;
  UpdateCartLinePayload: UpdateCartLinePayload;
  UserError: UserError;
  Boolean: Scalars['Boolean']['output'];
  Int: Scalars['Int']['output'];
}>;

export type CacheControlDirectiveArgs = {
  inheritMaxAge?: Maybe<Scalars['Boolean']['input']>;
  maxAge?: Maybe<Scalars['Int']['input']>;
  scope?: Maybe<CacheControlScope>;
};

export type CacheControlDirectiveResolver<Result, Parent, ContextType = Context, Args = CacheControlDirectiveArgs> = DirectiveResolverFn<Result, Parent, ContextType, Args>;

export type AddToCartPayloadResolvers<ContextType = Context, ParentType extends ResolversParentTypes['AddToCartPayload'] = ResolversParentTypes['AddToCartPayload']> = ResolversObject<{
  cart?: Resolver<Maybe<ResolversTypes['Cart']>, ParentType, ContextType>;
  userErrors?: Resolver<Array<ResolversTypes['UserError']>, ParentType, ContextType>;
}>;

export type CartResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Cart'] = ResolversParentTypes['Cart'], FederationReferenceType extends FederationReferenceTypes['Cart'] = FederationReferenceTypes['Cart']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Cart']> | FederationReferenceType, FederationReferenceType, ContextType>;
  checkedOut?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  lines?: Resolver<Array<ResolversTypes['CartLine']>, ParentType, ContextType>;
  subtotal?: Resolver<ResolversTypes['Money'], ParentType, ContextType>;
  totalQuantity?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type CartLineResolvers<ContextType = Context, ParentType extends ResolversParentTypes['CartLine'] = ResolversParentTypes['CartLine']> = ResolversObject<{
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  lineTotal?: Resolver<ResolversTypes['Money'], ParentType, ContextType>;
  quantity?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  unitPrice?: Resolver<ResolversTypes['Money'], ParentType, ContextType>;
  variant?: Resolver<ResolversTypes['ProductVariant'], ParentType, ContextType>;
}>;

export interface DateTimeScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['DateTime'], any> {
  name: 'DateTime';
}

export type MoneyResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Money'] = ResolversParentTypes['Money']> = ResolversObject<{
  amount?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  currencyCode?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type MutationResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = ResolversObject<{
  addToCart?: Resolver<ResolversTypes['AddToCartPayload'], ParentType, ContextType, RequireFields<MutationAddToCartArgs, 'cartId' | 'quantity' | 'variantId'>>;
  createCart?: Resolver<ResolversTypes['Cart'], ParentType, ContextType>;
  removeCartLine?: Resolver<ResolversTypes['RemoveCartLinePayload'], ParentType, ContextType, RequireFields<MutationRemoveCartLineArgs, 'cartId' | 'lineId'>>;
  updateCartLine?: Resolver<ResolversTypes['UpdateCartLinePayload'], ParentType, ContextType, RequireFields<MutationUpdateCartLineArgs, 'cartId' | 'lineId' | 'quantity'>>;
}>;

export type PageInfoResolvers<ContextType = Context, ParentType extends ResolversParentTypes['PageInfo'] = ResolversParentTypes['PageInfo']> = ResolversObject<{
  endCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  hasNextPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  hasPreviousPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  startCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
}>;

export type ProductVariantResolvers<ContextType = Context, ParentType extends ResolversParentTypes['ProductVariant'] = ResolversParentTypes['ProductVariant']> = ResolversObject<{
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
}>;

export type QueryResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = ResolversObject<{
  cart?: Resolver<Maybe<ResolversTypes['Cart']>, ParentType, ContextType, RequireFields<QueryCartArgs, 'id'>>;
}>;

export type RemoveCartLinePayloadResolvers<ContextType = Context, ParentType extends ResolversParentTypes['RemoveCartLinePayload'] = ResolversParentTypes['RemoveCartLinePayload']> = ResolversObject<{
  cart?: Resolver<Maybe<ResolversTypes['Cart']>, ParentType, ContextType>;
  userErrors?: Resolver<Array<ResolversTypes['UserError']>, ParentType, ContextType>;
}>;

export type UpdateCartLinePayloadResolvers<ContextType = Context, ParentType extends ResolversParentTypes['UpdateCartLinePayload'] = ResolversParentTypes['UpdateCartLinePayload']> = ResolversObject<{
  cart?: Resolver<Maybe<ResolversTypes['Cart']>, ParentType, ContextType>;
  userErrors?: Resolver<Array<ResolversTypes['UserError']>, ParentType, ContextType>;
}>;

export type UserErrorResolvers<ContextType = Context, ParentType extends ResolversParentTypes['UserError'] = ResolversParentTypes['UserError']> = ResolversObject<{
  code?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  field?: Resolver<Maybe<Array<ResolversTypes['String']>>, ParentType, ContextType>;
  message?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type Resolvers<ContextType = Context> = ResolversObject<{
  AddToCartPayload?: AddToCartPayloadResolvers<ContextType>;
  Cart?: CartResolvers<ContextType>;
  CartLine?: CartLineResolvers<ContextType>;
  DateTime?: GraphQLScalarType;
  Money?: MoneyResolvers<ContextType>;
  Mutation?: MutationResolvers<ContextType>;
  PageInfo?: PageInfoResolvers<ContextType>;
  ProductVariant?: ProductVariantResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  RemoveCartLinePayload?: RemoveCartLinePayloadResolvers<ContextType>;
  UpdateCartLinePayload?: UpdateCartLinePayloadResolvers<ContextType>;
  UserError?: UserErrorResolvers<ContextType>;
}>;

export type DirectiveResolvers<ContextType = Context> = ResolversObject<{
  cacheControl?: CacheControlDirectiveResolver<any, any, ContextType>;
}>;
