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

/** What of a variant can be bought now. */
export type Availability = {
  __typename?: 'Availability';
  /** Whether at least one unit can be bought now. */
  inStock: Scalars['Boolean']['output'];
  /** Units that can be bought now: on hand minus reserved, over all locations (0 when never stocked). */
  quantityAvailable: Scalars['Int']['output'];
};

/** Who may cache a response (Apollo cache control): PUBLIC for anyone, PRIVATE for one user only. */
export type CacheControlScope =
  /** Only the requesting user's own cache; the router never caches it. */
  | 'PRIVATE'
  /** Any cache may keep it (CDN, the router's response cache). */
  | 'PUBLIC';

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
  /** Sets a variant's on-hand quantity at the default location (ADMIN); quantityAvailable = on hand − reserved. */
  setStock: SetStockPayload;
};


export type MutationSetStockArgs = {
  quantity: Scalars['Int']['input'];
  variantId: Scalars['ID']['input'];
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

/** One purchasable version of a product (owned by the catalog); inventory adds its stock. */
export type ProductVariant = {
  __typename?: 'ProductVariant';
  /** What of this variant can be bought now. */
  availability: Availability;
  /** Opaque id (var_…). */
  id: Scalars['ID']['output'];
};

export type Query = {
  __typename?: 'Query';
  /** A variant's stock per location (ADMIN); empty when it was never stocked. */
  stockLevels: Array<StockLevel>;
  /** The stock reservation of an order (ADMIN); null when inventory never saw the order. */
  stockReservation?: Maybe<StockReservation>;
};


export type QueryStockLevelsArgs = {
  variantId: Scalars['ID']['input'];
};


export type QueryStockReservationArgs = {
  orderId: Scalars['ID']['input'];
};

/** Result of setStock. */
export type SetStockPayload = {
  __typename?: 'SetStockPayload';
  /** The variant's availability after the change; null when userErrors is not empty. */
  availability?: Maybe<Availability>;
  /** Why the stock was not set (VARIANT_NOT_FOUND, INVALID_QUANTITY, BELOW_RESERVED). */
  userErrors: Array<UserError>;
};

/** The stock of one variant at one location (ADMIN). */
export type StockLevel = {
  __typename?: 'StockLevel';
  /** Units that can be sold: on hand minus reserved. */
  available: Scalars['Int']['output'];
  /** The location (loc_…); setStock writes loc_default. */
  locationId: Scalars['ID']['output'];
  /** Units physically on hand. */
  onHand: Scalars['Int']['output'];
  /** Units held for open orders (never more than on hand). */
  reserved: Scalars['Int']['output'];
  /** When it last changed. */
  updatedAt: Scalars['DateTime']['output'];
  /** The variant (var_…). */
  variantId: Scalars['ID']['output'];
  /** Version of this stock level; grows with every change. */
  version: Scalars['Int']['output'];
};

/** What inventory holds (or held) for one order (ADMIN). */
export type StockReservation = {
  __typename?: 'StockReservation';
  /** When a HELD reservation is released unless the order is confirmed; null otherwise. */
  expiresAt?: Maybe<Scalars['DateTime']['output']>;
  /** Why reserving failed (OUT_OF_STOCK, UNKNOWN_VARIANT); null when it did not. */
  failureReason?: Maybe<Scalars['String']['output']>;
  /** Opaque id (res_<orderId>). */
  id: Scalars['ID']['output'];
  /** One line per variant. */
  lines: Array<StockReservationLine>;
  /** The order. */
  orderId: Scalars['ID']['output'];
  /** Why it was released (ORDER_CANCELLED, EXPIRED); null when not released. */
  releaseReason?: Maybe<Scalars['String']['output']>;
  /** Where it stands. */
  status: StockReservationStatus;
};

/** A reserved line: one variant of the order. */
export type StockReservationLine = {
  __typename?: 'StockReservationLine';
  /** Units of it. */
  quantity: Scalars['Int']['output'];
  /** The variant (var_…). */
  variantId: Scalars['ID']['output'];
};

/** Where an order's stock reservation stands. */
export type StockReservationStatus =
  /** The order was cancelled before anything was reserved. */
  | 'CANCELLED'
  /** Sold: on hand went down. */
  | 'COMMITTED'
  /** Held lines are becoming a sale. */
  | 'COMMITTING'
  /** Not every line could be held; nothing is held. */
  | 'FAILED'
  /** Every line is held until expiresAt. */
  | 'HELD'
  /** Given back: the order was cancelled, or the hold expired. */
  | 'RELEASED'
  /** Held lines are being given back. */
  | 'RELEASING'
  /** Lines are being reserved. */
  | 'RESERVING'
  /** A cancelled sale is coming back on hand. */
  | 'RESTOCKING';

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
  ProductVariant: ProductVariant;
}>;

/** Mapping of federation reference types */
export type FederationReferenceTypes = ResolversObject<{
  ProductVariant:
    ( { __typename: 'ProductVariant' }
    & GraphQLRecursivePick<FederationTypes['ProductVariant'], {"id":true}> );
}>;



/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = ResolversObject<{
  Availability: ResolverTypeWrapper<Availability>;
  CacheControlScope: CacheControlScope;
  DateTime: ResolverTypeWrapper<Scalars['DateTime']['output']>;
  Money: ResolverTypeWrapper<Money>;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  PageInfo: ResolverTypeWrapper<PageInfo>;
  ProductVariant: ResolverTypeWrapper<ProductVariant>;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  SetStockPayload: ResolverTypeWrapper<SetStockPayload>;
  StockLevel: ResolverTypeWrapper<StockLevel>;
  StockReservation: ResolverTypeWrapper<StockReservation>;
  StockReservationLine: ResolverTypeWrapper<StockReservationLine>;
  StockReservationStatus: StockReservationStatus;
  UserError: ResolverTypeWrapper<UserError>;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
}>;

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = ResolversObject<{
  Availability: Availability;
  DateTime: Scalars['DateTime']['output'];
  Money: Money;
  String: Scalars['String']['output'];
  Mutation: Record<PropertyKey, never>;
  ID: Scalars['ID']['output'];
  PageInfo: PageInfo;
  ProductVariant: ProductVariant | FederationReferenceTypes['ProductVariant'];
  Query: Record<PropertyKey, never>;
  SetStockPayload: SetStockPayload;
  StockLevel: StockLevel;
  StockReservation: StockReservation;
  StockReservationLine: StockReservationLine;
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

export type AvailabilityResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Availability'] = ResolversParentTypes['Availability']> = ResolversObject<{
  inStock?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  quantityAvailable?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export interface DateTimeScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['DateTime'], any> {
  name: 'DateTime';
}

export type MoneyResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Money'] = ResolversParentTypes['Money']> = ResolversObject<{
  amount?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  currencyCode?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type MutationResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = ResolversObject<{
  setStock?: Resolver<ResolversTypes['SetStockPayload'], ParentType, ContextType, RequireFields<MutationSetStockArgs, 'quantity' | 'variantId'>>;
}>;

export type PageInfoResolvers<ContextType = Context, ParentType extends ResolversParentTypes['PageInfo'] = ResolversParentTypes['PageInfo']> = ResolversObject<{
  endCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  hasNextPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  hasPreviousPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  startCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
}>;

export type ProductVariantResolvers<ContextType = Context, ParentType extends ResolversParentTypes['ProductVariant'] = ResolversParentTypes['ProductVariant'], FederationReferenceType extends FederationReferenceTypes['ProductVariant'] = FederationReferenceTypes['ProductVariant']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['ProductVariant']> | FederationReferenceType, FederationReferenceType, ContextType>;
  availability?: Resolver<ResolversTypes['Availability'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
}>;

export type QueryResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = ResolversObject<{
  stockLevels?: Resolver<Array<ResolversTypes['StockLevel']>, ParentType, ContextType, RequireFields<QueryStockLevelsArgs, 'variantId'>>;
  stockReservation?: Resolver<Maybe<ResolversTypes['StockReservation']>, ParentType, ContextType, RequireFields<QueryStockReservationArgs, 'orderId'>>;
}>;

export type SetStockPayloadResolvers<ContextType = Context, ParentType extends ResolversParentTypes['SetStockPayload'] = ResolversParentTypes['SetStockPayload']> = ResolversObject<{
  availability?: Resolver<Maybe<ResolversTypes['Availability']>, ParentType, ContextType>;
  userErrors?: Resolver<Array<ResolversTypes['UserError']>, ParentType, ContextType>;
}>;

export type StockLevelResolvers<ContextType = Context, ParentType extends ResolversParentTypes['StockLevel'] = ResolversParentTypes['StockLevel']> = ResolversObject<{
  available?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  locationId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  onHand?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  reserved?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  updatedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  variantId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  version?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type StockReservationResolvers<ContextType = Context, ParentType extends ResolversParentTypes['StockReservation'] = ResolversParentTypes['StockReservation']> = ResolversObject<{
  expiresAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  failureReason?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  lines?: Resolver<Array<ResolversTypes['StockReservationLine']>, ParentType, ContextType>;
  orderId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  releaseReason?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  status?: Resolver<ResolversTypes['StockReservationStatus'], ParentType, ContextType>;
}>;

export type StockReservationLineResolvers<ContextType = Context, ParentType extends ResolversParentTypes['StockReservationLine'] = ResolversParentTypes['StockReservationLine']> = ResolversObject<{
  quantity?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  variantId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
}>;

export type UserErrorResolvers<ContextType = Context, ParentType extends ResolversParentTypes['UserError'] = ResolversParentTypes['UserError']> = ResolversObject<{
  code?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  field?: Resolver<Maybe<Array<ResolversTypes['String']>>, ParentType, ContextType>;
  message?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type Resolvers<ContextType = Context> = ResolversObject<{
  Availability?: AvailabilityResolvers<ContextType>;
  DateTime?: GraphQLScalarType;
  Money?: MoneyResolvers<ContextType>;
  Mutation?: MutationResolvers<ContextType>;
  PageInfo?: PageInfoResolvers<ContextType>;
  ProductVariant?: ProductVariantResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  SetStockPayload?: SetStockPayloadResolvers<ContextType>;
  StockLevel?: StockLevelResolvers<ContextType>;
  StockReservation?: StockReservationResolvers<ContextType>;
  StockReservationLine?: StockReservationLineResolvers<ContextType>;
  UserError?: UserErrorResolvers<ContextType>;
}>;

export type DirectiveResolvers<ContextType = Context> = ResolversObject<{
  cacheControl?: CacheControlDirectiveResolver<any, any, ContextType>;
}>;
