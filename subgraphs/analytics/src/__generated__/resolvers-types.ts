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
  DateTime: { input: Date | string; output: Date | string; }
  _FieldSet: { input: unknown; output: unknown; }
};

/** Distinct shoppers (the customer, else the session or cart) at each stage in a window, and the rates between stages. */
export type AnalyticsFunnel = {
  __typename?: 'AnalyticsFunnel';
  /** Shoppers who added to a cart. */
  addedToCart: Scalars['Int']['output'];
  /** ordered / addedToCart; null when nobody added to a cart. */
  cartToOrder?: Maybe<Scalars['Float']['output']>;
  /** Shoppers who ordered (confirmed orders). */
  ordered: Scalars['Int']['output'];
  /** addedToCart / viewed; null when nobody viewed. */
  viewToCart?: Maybe<Scalars['Float']['output']>;
  /** ordered / viewed; null when nobody viewed. */
  viewToOrder?: Maybe<Scalars['Float']['output']>;
  /** Shoppers who viewed a product. */
  viewed: Scalars['Int']['output'];
};

/** A figure analytics charts over time. */
export type AnalyticsMetric =
  /** Cart lines added. */
  | 'ADD_TO_CARTS'
  /** Orders cancelled (confirmed or not). */
  | 'CANCELLATIONS'
  /** Distinct shoppers who ordered / distinct shoppers who viewed a product, per point. */
  | 'CONVERSION'
  /** Orders confirmed. */
  | 'ORDERS'
  /** Recommendation clicks / recommendation lists shown, per point. */
  | 'RECOMMENDATION_CTR'
  /** Confirmed orders' totals in major units of currencyCode (cancellations are not subtracted). */
  | 'REVENUE'
  /** Reviews written (from the reviews service's review-added). */
  | 'REVIEWS'
  /** Searches. */
  | 'SEARCHES'
  /** Product views. */
  | 'VIEWS';

/** One point of a series. */
export type AnalyticsPoint = {
  __typename?: 'AnalyticsPoint';
  /** The start of the point's minute or hour. */
  at: Scalars['DateTime']['output'];
  /** The metric's value in it (0 when nothing happened). */
  value: Scalars['Float']['output'];
};

/** Who may cache a response (Apollo cache control): PUBLIC for anyone, PRIVATE for one user only. */
export type CacheControlScope =
  /** Only the requesting user's own cache; the router never caches it. */
  | 'PRIVATE'
  /** Any cache may keep it (CDN, the router's response cache). */
  | 'PUBLIC';

/** Result of forgetMyActivity. */
export type ForgetActivityPayload = {
  __typename?: 'ForgetActivityPayload';
  /** Whether the caller's activity is forgotten (true once done; again true for a repeat). */
  forgotten: Scalars['Boolean']['output'];
  /** Why not (none expected). */
  userErrors: Array<UserError>;
};

/** The width of a series' points. */
export type Granularity =
  /** One point per hour (UTC). */
  | 'HOUR'
  /** One point per minute (UTC). */
  | 'MINUTE';

/** One storefront interaction, as the client saw it. */
export type InteractionInput = {
  /** The client's id of this event (1 to 100 of letters, digits, _ . : -); the same id in the same session counts once. */
  eventId: Scalars['ID']['input'];
  /** When it happened (default: when received); at most 24 hours ago and 5 minutes ahead. */
  occurredAt?: InputMaybe<Scalars['DateTime']['input']>;
  /** PRODUCT_VIEWED, RECOMMENDATION_CLICKED: the product. */
  productId?: InputMaybe<Scalars['ID']['input']>;
  /** RECOMMENDATION_SHOWN: the products shown, in order (at most 50). */
  productIds?: InputMaybe<Array<Scalars['ID']['input']>>;
  /** SEARCH_PERFORMED: what was searched for (at most 200 characters). */
  query?: InputMaybe<Scalars['String']['input']>;
  /** The storefront session (anonymous; the customer comes from the caller's token). */
  sessionId: Scalars['String']['input'];
  /** RECOMMENDATION_*: where the list was shown, e.g. product-page, home (letters, digits, _ and -). */
  slot?: InputMaybe<Scalars['String']['input']>;
  /** RECOMMENDATION_*: the strategy the list said produced it. */
  strategy?: InputMaybe<Scalars['String']['input']>;
  /** What happened. */
  type: InteractionType;
};

/** What a shopper did on the storefront. */
export type InteractionType =
  /** Opened a product's page (needs productId). */
  | 'PRODUCT_VIEWED'
  /** Clicked an item of a recommendation list (needs productId and slot; strategy as the list said). */
  | 'RECOMMENDATION_CLICKED'
  /** Was shown a recommendation list (needs productIds and slot; strategy as the list said). */
  | 'RECOMMENDATION_SHOWN'
  /** Searched (needs query). */
  | 'SEARCH_PERFORMED';

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
  /** Forgets the caller's recorded activity here and in every service that keeps a copy (signed-in customers). */
  forgetMyActivity: ForgetActivityPayload;
  /** Records storefront interactions (at most 100 per call; anyone, signed in or not). Invalid events are userErrors and not recorded. */
  trackEvents: TrackEventsPayload;
};


export type MutationTrackEventsArgs = {
  events: Array<InteractionInput>;
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

/** A product (owned by catalog). */
export type Product = {
  __typename?: 'Product';
  /** Opaque id (prod_…). */
  id: Scalars['ID']['output'];
};

/** A product and its count in a window. */
export type ProductCount = {
  __typename?: 'ProductCount';
  /** Its count. */
  count: Scalars['Int']['output'];
  /** The product (resolved by catalog). */
  product: Product;
  /** The product (prod_…). */
  productId: Scalars['ID']['output'];
};

/** What products are ranked by. */
export type ProductMetric =
  /** Times added to a cart. */
  | 'ADD_TO_CARTS'
  /** Units bought in confirmed orders. */
  | 'PURCHASES'
  /** Product views. */
  | 'VIEWS';

export type Query = {
  __typename?: 'Query';
  /** Viewed → added to cart → ordered over [from, to) (at most 92 days; ADMIN). */
  analyticsFunnel: AnalyticsFunnel;
  /** A metric per minute or hour over [from, to) (at most 1440 points; ADMIN). currencyCode is required for REVENUE. */
  analyticsSeries: Array<AnalyticsPoint>;
  /** The products with the highest count in the hours overlapping [from, to) (at most 92 days, first 1 to 100; ADMIN). */
  topProducts: Array<ProductCount>;
  /** The products whose views in the last hour most exceed their own hourly baseline (first 1 to 100; ADMIN). */
  trendingProducts: Array<TrendingProduct>;
};


export type QueryAnalyticsFunnelArgs = {
  from: Scalars['DateTime']['input'];
  to: Scalars['DateTime']['input'];
};


export type QueryAnalyticsSeriesArgs = {
  currencyCode?: InputMaybe<Scalars['String']['input']>;
  from: Scalars['DateTime']['input'];
  granularity: Granularity;
  metric: AnalyticsMetric;
  to: Scalars['DateTime']['input'];
};


export type QueryTopProductsArgs = {
  by: ProductMetric;
  first?: InputMaybe<Scalars['Int']['input']>;
  from: Scalars['DateTime']['input'];
  to: Scalars['DateTime']['input'];
};


export type QueryTrendingProductsArgs = {
  first?: InputMaybe<Scalars['Int']['input']>;
};

/** Result of trackEvents. */
export type TrackEventsPayload = {
  __typename?: 'TrackEventsPayload';
  /** How many events were recorded. */
  accepted: Scalars['Int']['output'];
  /** The events not recorded, each on its path ["events", index, field] (codes: TOO_MANY_EVENTS, INVALID_EVENT_ID, INVALID_SESSION_ID, PRODUCT_REQUIRED, INVALID_PRODUCT_ID, QUERY_REQUIRED, QUERY_TOO_LONG, PRODUCTS_REQUIRED, TOO_MANY_PRODUCTS, SLOT_REQUIRED, INVALID_SLOT, INVALID_STRATEGY, INVALID_OCCURRED_AT, OCCURRED_AT_TOO_OLD, OCCURRED_AT_IN_FUTURE). */
  userErrors: Array<UserError>;
};

/** A product viewed more in the last hour than usual. */
export type TrendingProduct = {
  __typename?: 'TrendingProduct';
  /** Average views per hour over the 24 hours before. */
  baselinePerHour: Scalars['Float']['output'];
  /** Views in the last 60 minutes (the previous hour weighted by its share of them). */
  lastHour: Scalars['Float']['output'];
  /** The product (resolved by catalog). */
  product: Product;
  /** The product (prod_…). */
  productId: Scalars['ID']['output'];
  /** (lastHour + 1) / (baselinePerHour + 1). */
  score: Scalars['Float']['output'];
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





/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = ResolversObject<{
  AnalyticsFunnel: ResolverTypeWrapper<AnalyticsFunnel>;
  Float: ResolverTypeWrapper<Scalars['Float']['output']>;
  AnalyticsMetric: AnalyticsMetric;
  AnalyticsPoint: ResolverTypeWrapper<AnalyticsPoint>;
  CacheControlScope: CacheControlScope;
  DateTime: ResolverTypeWrapper<Scalars['DateTime']['output']>;
  ForgetActivityPayload: ResolverTypeWrapper<ForgetActivityPayload>;
  Granularity: Granularity;
  InteractionInput: InteractionInput;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  InteractionType: InteractionType;
  Money: ResolverTypeWrapper<Money>;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  PageInfo: ResolverTypeWrapper<PageInfo>;
  Product: ResolverTypeWrapper<Product>;
  ProductCount: ResolverTypeWrapper<ProductCount>;
  ProductMetric: ProductMetric;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  TrackEventsPayload: ResolverTypeWrapper<TrackEventsPayload>;
  TrendingProduct: ResolverTypeWrapper<TrendingProduct>;
  UserError: ResolverTypeWrapper<UserError>;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
}>;

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = ResolversObject<{
  AnalyticsFunnel: AnalyticsFunnel;
  Float: Scalars['Float']['output'];
  AnalyticsPoint: AnalyticsPoint;
  DateTime: Scalars['DateTime']['output'];
  ForgetActivityPayload: ForgetActivityPayload;
  InteractionInput: InteractionInput;
  ID: Scalars['ID']['output'];
  String: Scalars['String']['output'];
  Money: Money;
  Mutation: Record<PropertyKey, never>;
  PageInfo: PageInfo;
  Product: Product;
  ProductCount: ProductCount;
  Query: Record<PropertyKey, never>;
  TrackEventsPayload: TrackEventsPayload;
  TrendingProduct: TrendingProduct;
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

export type AnalyticsFunnelResolvers<ContextType = Context, ParentType extends ResolversParentTypes['AnalyticsFunnel'] = ResolversParentTypes['AnalyticsFunnel']> = ResolversObject<{
  addedToCart?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  cartToOrder?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  ordered?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  viewToCart?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  viewToOrder?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  viewed?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type AnalyticsPointResolvers<ContextType = Context, ParentType extends ResolversParentTypes['AnalyticsPoint'] = ResolversParentTypes['AnalyticsPoint']> = ResolversObject<{
  at?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  value?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
}>;

export interface DateTimeScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['DateTime'], any> {
  name: 'DateTime';
}

export type ForgetActivityPayloadResolvers<ContextType = Context, ParentType extends ResolversParentTypes['ForgetActivityPayload'] = ResolversParentTypes['ForgetActivityPayload']> = ResolversObject<{
  forgotten?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  userErrors?: Resolver<Array<ResolversTypes['UserError']>, ParentType, ContextType>;
}>;

export type MoneyResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Money'] = ResolversParentTypes['Money']> = ResolversObject<{
  amount?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  currencyCode?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type MutationResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = ResolversObject<{
  forgetMyActivity?: Resolver<ResolversTypes['ForgetActivityPayload'], ParentType, ContextType>;
  trackEvents?: Resolver<ResolversTypes['TrackEventsPayload'], ParentType, ContextType, RequireFields<MutationTrackEventsArgs, 'events'>>;
}>;

export type PageInfoResolvers<ContextType = Context, ParentType extends ResolversParentTypes['PageInfo'] = ResolversParentTypes['PageInfo']> = ResolversObject<{
  endCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  hasNextPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  hasPreviousPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  startCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
}>;

export type ProductResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Product'] = ResolversParentTypes['Product']> = ResolversObject<{
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
}>;

export type ProductCountResolvers<ContextType = Context, ParentType extends ResolversParentTypes['ProductCount'] = ResolversParentTypes['ProductCount']> = ResolversObject<{
  count?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  product?: Resolver<ResolversTypes['Product'], ParentType, ContextType>;
  productId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
}>;

export type QueryResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = ResolversObject<{
  analyticsFunnel?: Resolver<ResolversTypes['AnalyticsFunnel'], ParentType, ContextType, RequireFields<QueryAnalyticsFunnelArgs, 'from' | 'to'>>;
  analyticsSeries?: Resolver<Array<ResolversTypes['AnalyticsPoint']>, ParentType, ContextType, RequireFields<QueryAnalyticsSeriesArgs, 'from' | 'granularity' | 'metric' | 'to'>>;
  topProducts?: Resolver<Array<ResolversTypes['ProductCount']>, ParentType, ContextType, RequireFields<QueryTopProductsArgs, 'by' | 'first' | 'from' | 'to'>>;
  trendingProducts?: Resolver<Array<ResolversTypes['TrendingProduct']>, ParentType, ContextType, RequireFields<QueryTrendingProductsArgs, 'first'>>;
}>;

export type TrackEventsPayloadResolvers<ContextType = Context, ParentType extends ResolversParentTypes['TrackEventsPayload'] = ResolversParentTypes['TrackEventsPayload']> = ResolversObject<{
  accepted?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  userErrors?: Resolver<Array<ResolversTypes['UserError']>, ParentType, ContextType>;
}>;

export type TrendingProductResolvers<ContextType = Context, ParentType extends ResolversParentTypes['TrendingProduct'] = ResolversParentTypes['TrendingProduct']> = ResolversObject<{
  baselinePerHour?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  lastHour?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  product?: Resolver<ResolversTypes['Product'], ParentType, ContextType>;
  productId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  score?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
}>;

export type UserErrorResolvers<ContextType = Context, ParentType extends ResolversParentTypes['UserError'] = ResolversParentTypes['UserError']> = ResolversObject<{
  code?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  field?: Resolver<Maybe<Array<ResolversTypes['String']>>, ParentType, ContextType>;
  message?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type Resolvers<ContextType = Context> = ResolversObject<{
  AnalyticsFunnel?: AnalyticsFunnelResolvers<ContextType>;
  AnalyticsPoint?: AnalyticsPointResolvers<ContextType>;
  DateTime?: GraphQLScalarType;
  ForgetActivityPayload?: ForgetActivityPayloadResolvers<ContextType>;
  Money?: MoneyResolvers<ContextType>;
  Mutation?: MutationResolvers<ContextType>;
  PageInfo?: PageInfoResolvers<ContextType>;
  Product?: ProductResolvers<ContextType>;
  ProductCount?: ProductCountResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  TrackEventsPayload?: TrackEventsPayloadResolvers<ContextType>;
  TrendingProduct?: TrendingProductResolvers<ContextType>;
  UserError?: UserErrorResolvers<ContextType>;
}>;

export type DirectiveResolvers<ContextType = Context> = ResolversObject<{
  cacheControl?: CacheControlDirectiveResolver<any, any, ContextType>;
}>;
