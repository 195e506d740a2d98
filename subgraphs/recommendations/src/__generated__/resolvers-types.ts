import type { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import type { ProductRef, CustomerRef } from '../resolvers/mappers.ts';
import type { Scored } from '../domain/model.ts';
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
  DateTime: { input: Date | string; output: Date | string; }
  _FieldSet: { input: unknown; output: unknown; }
};

/** Who may cache a response (Apollo cache control): PUBLIC for anyone, PRIVATE for one user only. */
export type CacheControlScope =
  /** Only the requesting user's own cache; the router never caches it. */
  | 'PRIVATE'
  /** Any cache may keep it (CDN, the router's response cache). */
  | 'PUBLIC';

/** A customer, as the recommendations domain knows one (the customers subgraph resolves the rest). */
export type Customer = {
  __typename?: 'Customer';
  /** Opaque id (cust_…). */
  id: Scalars['ID']['output'];
  /** Products picked for this customer (slot home): the bandit chooses personal, trending or popular-in-category. Only the customer themself or an admin. 1 to 50. */
  recommended: RecommendationList;
};


/** A customer, as the recommendations domain knows one (the customers subgraph resolves the rest). */
export type CustomerRecommendedArgs = {
  first?: InputMaybe<Scalars['Int']['input']>;
};

/** An amount of money: a decimal string in major units ("19.99") and an ISO 4217 currency code. */
export type Money = {
  __typename?: 'Money';
  /** Decimal amount in major units, e.g. "19.99"; never a float. */
  amount: Scalars['String']['output'];
  /** ISO 4217 currency code, e.g. USD. */
  currencyCode: Scalars['String']['output'];
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

/** A product, as the recommendations domain knows it: by id, with what to show next to it (the catalog resolves the rest). */
export type Product = {
  __typename?: 'Product';
  /** Opaque id (prod_…). */
  id: Scalars['ID']['output'];
  /** Products shopped together with this one (slot product-page, strategy co-occurrence), without those the signed-in caller bought; popular products of its category while it has too few co-occurrences. 1 to 50. */
  recommendations: RecommendationList;
};


/** A product, as the recommendations domain knows it: by id, with what to show next to it (the catalog resolves the rest). */
export type ProductRecommendationsArgs = {
  first?: InputMaybe<Scalars['Int']['input']>;
};

export type Query = {
  __typename?: 'Query';
  /** How the recommendations perform: the bandit per slot and strategy, conversion of recommended items, the model (ADMIN). */
  recommendationStats: RecommendationStats;
  /** Products picked for a storefront session (slot home), from what it viewed; anyone may ask (sessions are anonymous). A signed-in caller gets the picks of their own history. 1 to 50. */
  recommendedForSession: RecommendationList;
  /** Products gaining popularity now: short-term popularity against the long-term one (slot trending). 1 to 50. */
  trending: RecommendationList;
};


export type QueryRecommendedForSessionArgs = {
  first?: InputMaybe<Scalars['Int']['input']>;
  sessionId: Scalars['String']['input'];
};


export type QueryTrendingArgs = {
  first?: InputMaybe<Scalars['Int']['input']>;
};

/** The bandit's view of one strategy on one slot. */
export type RecommendationArmStats = {
  __typename?: 'RecommendationArmStats';
  /** Posterior Beta alpha of the click rate: clicks + 1. */
  alpha: Scalars['Float']['output'];
  /** Posterior Beta beta of the click rate: impressions − clicks + 1. */
  beta: Scalars['Float']['output'];
  /** Lists of this slot the answering instance gave this strategy since it started. */
  choices: Scalars['Int']['output'];
  /** Clicks on items of those lists (RECOMMENDATION_CLICKED). */
  clicks: Scalars['Int']['output'];
  /** Click-through rate: clicks / impressions (0 without impressions). */
  ctr: Scalars['Float']['output'];
  /** Lists of this slot and strategy reported shown (RECOMMENDATION_SHOWN). */
  impressions: Scalars['Int']['output'];
  /** Share of the slot's lists the answering instance gave this strategy since it started (0 to 1). */
  shareOfTraffic: Scalars['Float']['output'];
  /** Where the lists were shown. */
  slot: Scalars['String']['output'];
  /** The strategy. */
  strategy: Scalars['String']['output'];
};

/** Whether recommended items sell: purchases within 24 h of a recommendation click by the same shopper, against purchases within 24 h of other product views. */
export type RecommendationConversion = {
  __typename?: 'RecommendationConversion';
  /** otherPurchases / otherViews (0 without views). */
  otherConversionRate: Scalars['Float']['output'];
  /** Purchases of an item within 24 h after the same shopper viewed it, not from a recommendation. */
  otherPurchases: Scalars['Int']['output'];
  /** Product views that did not follow a recommendation click of the same product. */
  otherViews: Scalars['Int']['output'];
  /** Clicks on recommended items. */
  recommendedClicks: Scalars['Int']['output'];
  /** recommendedPurchases / recommendedClicks (0 without clicks). */
  recommendedConversionRate: Scalars['Float']['output'];
  /** Purchases of an item within 24 h after the same shopper clicked it in a recommendation list (each click counts once). */
  recommendedPurchases: Scalars['Int']['output'];
};

/** A list of recommended products and what produced it: report what was shown and clicked (trackEvents) with its slot and strategy. */
export type RecommendationList = {
  __typename?: 'RecommendationList';
  /** The products, best first (archived, out-of-stock and already bought products are left out). */
  items: Array<RecommendedProduct>;
  /** Opaque id of this answer (rec_…), to tie the RECOMMENDATION_SHOWN and RECOMMENDATION_CLICKED reports of one list together. */
  recommendationId: Scalars['ID']['output'];
  /** Where the list is meant to be shown: product-page, home or trending. */
  slot: Scalars['String']['output'];
  /** The strategy that produced the list: co-occurrence, personal, popular-in-category or trending. */
  strategy: Scalars['String']['output'];
};

/** The in-memory model of the answering instance. */
export type RecommendationModelStats = {
  __typename?: 'RecommendationModelStats';
  /** How far behind the event stream the model is, in milliseconds (0 when caught up). */
  lagMs: Scalars['Float']['output'];
  /** The last event stream sequence applied (a whole number; Float because it outgrows a 32-bit Int). */
  lastAppliedSequence: Scalars['Float']['output'];
  /** Co-occurring product pairs kept (each direction counted). */
  pairs: Scalars['Int']['output'];
  /** Products known (from catalog events and interactions). */
  products: Scalars['Int']['output'];
  /** The stream sequence of the last snapshot this instance loaded or wrote; null when none. */
  snapshotSequence?: Maybe<Scalars['Float']['output']>;
  /** When that snapshot was taken; null when none. */
  snapshotTakenAt?: Maybe<Scalars['DateTime']['output']>;
  /** Customers and sessions with a history. */
  subjects: Scalars['Int']['output'];
};

/** How the recommendations perform (ADMIN). */
export type RecommendationStats = {
  __typename?: 'RecommendationStats';
  /** Impressions, clicks, posterior and share of traffic per slot and strategy. */
  arms: Array<RecommendationArmStats>;
  /** Conversion of recommended items against the rest. */
  conversion: RecommendationConversion;
  /** The model's size and position in the event stream. */
  model: RecommendationModelStats;
};

/** One product of a recommendation list. */
export type RecommendedProduct = {
  __typename?: 'RecommendedProduct';
  /** The product. */
  product: Product;
  /** How strongly it is recommended; comparable within one list and strategy only. */
  score: Scalars['Float']['output'];
  /** The strategy that produced this item (a list short of items is topped up by other strategies). */
  strategy: Scalars['String']['output'];
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
  Customer: Customer;
  Product: Product;
}>;

/** Mapping of federation reference types */
export type FederationReferenceTypes = ResolversObject<{
  Customer:
    ( { __typename: 'Customer' }
    & GraphQLRecursivePick<FederationTypes['Customer'], {"id":true}> );
  Product:
    ( { __typename: 'Product' }
    & GraphQLRecursivePick<FederationTypes['Product'], {"id":true}> );
}>;



/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = ResolversObject<{
  CacheControlScope: CacheControlScope;
  Customer: ResolverTypeWrapper<CustomerRef>;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  DateTime: ResolverTypeWrapper<Scalars['DateTime']['output']>;
  Money: ResolverTypeWrapper<Money>;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  PageInfo: ResolverTypeWrapper<PageInfo>;
  Product: ResolverTypeWrapper<ProductRef>;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  RecommendationArmStats: ResolverTypeWrapper<RecommendationArmStats>;
  Float: ResolverTypeWrapper<Scalars['Float']['output']>;
  RecommendationConversion: ResolverTypeWrapper<RecommendationConversion>;
  RecommendationList: ResolverTypeWrapper<Omit<RecommendationList, 'items'> & { items: Array<ResolversTypes['RecommendedProduct']> }>;
  RecommendationModelStats: ResolverTypeWrapper<RecommendationModelStats>;
  RecommendationStats: ResolverTypeWrapper<RecommendationStats>;
  RecommendedProduct: ResolverTypeWrapper<Scored>;
  UserError: ResolverTypeWrapper<UserError>;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
}>;

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = ResolversObject<{
  Customer: CustomerRef;
  ID: Scalars['ID']['output'];
  DateTime: Scalars['DateTime']['output'];
  Money: Money;
  String: Scalars['String']['output'];
  PageInfo: PageInfo;
  Product: ProductRef;
  Query: Record<PropertyKey, never>;
  RecommendationArmStats: RecommendationArmStats;
  Float: Scalars['Float']['output'];
  RecommendationConversion: RecommendationConversion;
  RecommendationList: Omit<RecommendationList, 'items'> & { items: Array<ResolversParentTypes['RecommendedProduct']> };
  RecommendationModelStats: RecommendationModelStats;
  RecommendationStats: RecommendationStats;
  RecommendedProduct: Scored;
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

export type CustomerResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Customer'] = ResolversParentTypes['Customer'], FederationReferenceType extends FederationReferenceTypes['Customer'] = FederationReferenceTypes['Customer']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Customer']> | FederationReferenceType, FederationReferenceType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  recommended?: Resolver<ResolversTypes['RecommendationList'], ParentType, ContextType, RequireFields<CustomerRecommendedArgs, 'first'>>;
}>;

export interface DateTimeScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['DateTime'], any> {
  name: 'DateTime';
}

export type MoneyResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Money'] = ResolversParentTypes['Money']> = ResolversObject<{
  amount?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  currencyCode?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type PageInfoResolvers<ContextType = Context, ParentType extends ResolversParentTypes['PageInfo'] = ResolversParentTypes['PageInfo']> = ResolversObject<{
  endCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  hasNextPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  hasPreviousPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  startCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
}>;

export type ProductResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Product'] = ResolversParentTypes['Product'], FederationReferenceType extends FederationReferenceTypes['Product'] = FederationReferenceTypes['Product']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Product']> | FederationReferenceType, FederationReferenceType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  recommendations?: Resolver<ResolversTypes['RecommendationList'], ParentType, ContextType, RequireFields<ProductRecommendationsArgs, 'first'>>;
}>;

export type QueryResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = ResolversObject<{
  recommendationStats?: Resolver<ResolversTypes['RecommendationStats'], ParentType, ContextType>;
  recommendedForSession?: Resolver<ResolversTypes['RecommendationList'], ParentType, ContextType, RequireFields<QueryRecommendedForSessionArgs, 'first' | 'sessionId'>>;
  trending?: Resolver<ResolversTypes['RecommendationList'], ParentType, ContextType, RequireFields<QueryTrendingArgs, 'first'>>;
}>;

export type RecommendationArmStatsResolvers<ContextType = Context, ParentType extends ResolversParentTypes['RecommendationArmStats'] = ResolversParentTypes['RecommendationArmStats']> = ResolversObject<{
  alpha?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  beta?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  choices?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  clicks?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  ctr?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  impressions?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  shareOfTraffic?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  slot?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  strategy?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type RecommendationConversionResolvers<ContextType = Context, ParentType extends ResolversParentTypes['RecommendationConversion'] = ResolversParentTypes['RecommendationConversion']> = ResolversObject<{
  otherConversionRate?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  otherPurchases?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  otherViews?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  recommendedClicks?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  recommendedConversionRate?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  recommendedPurchases?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type RecommendationListResolvers<ContextType = Context, ParentType extends ResolversParentTypes['RecommendationList'] = ResolversParentTypes['RecommendationList']> = ResolversObject<{
  items?: Resolver<Array<ResolversTypes['RecommendedProduct']>, ParentType, ContextType>;
  recommendationId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  slot?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  strategy?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type RecommendationModelStatsResolvers<ContextType = Context, ParentType extends ResolversParentTypes['RecommendationModelStats'] = ResolversParentTypes['RecommendationModelStats']> = ResolversObject<{
  lagMs?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  lastAppliedSequence?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  pairs?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  products?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  snapshotSequence?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  snapshotTakenAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  subjects?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type RecommendationStatsResolvers<ContextType = Context, ParentType extends ResolversParentTypes['RecommendationStats'] = ResolversParentTypes['RecommendationStats']> = ResolversObject<{
  arms?: Resolver<Array<ResolversTypes['RecommendationArmStats']>, ParentType, ContextType>;
  conversion?: Resolver<ResolversTypes['RecommendationConversion'], ParentType, ContextType>;
  model?: Resolver<ResolversTypes['RecommendationModelStats'], ParentType, ContextType>;
}>;

export type RecommendedProductResolvers<ContextType = Context, ParentType extends ResolversParentTypes['RecommendedProduct'] = ResolversParentTypes['RecommendedProduct']> = ResolversObject<{
  product?: Resolver<ResolversTypes['Product'], ParentType, ContextType>;
  score?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  strategy?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type UserErrorResolvers<ContextType = Context, ParentType extends ResolversParentTypes['UserError'] = ResolversParentTypes['UserError']> = ResolversObject<{
  code?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  field?: Resolver<Maybe<Array<ResolversTypes['String']>>, ParentType, ContextType>;
  message?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type Resolvers<ContextType = Context> = ResolversObject<{
  Customer?: CustomerResolvers<ContextType>;
  DateTime?: GraphQLScalarType;
  Money?: MoneyResolvers<ContextType>;
  PageInfo?: PageInfoResolvers<ContextType>;
  Product?: ProductResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  RecommendationArmStats?: RecommendationArmStatsResolvers<ContextType>;
  RecommendationConversion?: RecommendationConversionResolvers<ContextType>;
  RecommendationList?: RecommendationListResolvers<ContextType>;
  RecommendationModelStats?: RecommendationModelStatsResolvers<ContextType>;
  RecommendationStats?: RecommendationStatsResolvers<ContextType>;
  RecommendedProduct?: RecommendedProductResolvers<ContextType>;
  UserError?: UserErrorResolvers<ContextType>;
}>;

export type DirectiveResolvers<ContextType = Context> = ResolversObject<{
  cacheControl?: CacheControlDirectiveResolver<any, any, ContextType>;
}>;
