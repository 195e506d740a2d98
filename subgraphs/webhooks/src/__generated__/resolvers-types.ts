import type { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import type { ApiDelivery } from '../resolvers/webhook.mapper.ts';
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

/** A new webhook subscription. */
export type CreateWebhookSubscriptionInput = {
  /** A note, at most 200 characters. */
  description?: InputMaybe<Scalars['String']['input']>;
  /** The event types to receive (see webhookEventTypes). */
  eventTypes: Array<Scalars['String']['input']>;
  /** ADMIN only: the partner to create it for (a partner always creates its own). */
  partnerId?: InputMaybe<Scalars['ID']['input']>;
  /** Where to POST deliveries: an http(s) URL (https in production is advised); in production it must be, and resolve to, public addresses. */
  url: Scalars['String']['input'];
};

/** The outcome of deleteWebhookSubscription. */
export type DeleteWebhookSubscriptionPayload = {
  __typename?: 'DeleteWebhookSubscriptionPayload';
  /** The id of the deleted subscription; null when userErrors is not empty. */
  deletedId?: Maybe<Scalars['ID']['output']>;
  /** Why nothing changed (codes: WebhookErrorCode); empty on success. */
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

/** Partner webhooks: subscriptions, secrets, replays (the calling partner's own; an ADMIN any partner's). */
export type Mutation = {
  __typename?: 'Mutation';
  /** Subscribes an endpoint to event types; the payload's secret is shown this once. */
  createWebhookSubscription: WebhookSecretPayload;
  /** Deletes a subscription: nothing more is delivered to it. */
  deleteWebhookSubscription: DeleteWebhookSubscriptionPayload;
  /** Enables a disabled subscription (after auto-disable): new events are delivered again; replay what was missed. */
  enableWebhookSubscription: WebhookSubscriptionPayload;
  /** Re-sends the subscription's deliveries of events that happened in [from, to), each with its original delivery id. */
  replayWebhookDeliveries: ReplayWebhookDeliveriesPayload;
  /** A new signing secret, shown this once; the old one keeps signing beside it for a while (WEBHOOKS_SECRET_OVERLAP_MS, 24 h by default). */
  rotateWebhookSecret: WebhookSecretPayload;
  /** Changes an endpoint's URL, event types, note or status. */
  updateWebhookSubscription: WebhookSubscriptionPayload;
};


/** Partner webhooks: subscriptions, secrets, replays (the calling partner's own; an ADMIN any partner's). */
export type MutationCreateWebhookSubscriptionArgs = {
  input: CreateWebhookSubscriptionInput;
};


/** Partner webhooks: subscriptions, secrets, replays (the calling partner's own; an ADMIN any partner's). */
export type MutationDeleteWebhookSubscriptionArgs = {
  id: Scalars['ID']['input'];
};


/** Partner webhooks: subscriptions, secrets, replays (the calling partner's own; an ADMIN any partner's). */
export type MutationEnableWebhookSubscriptionArgs = {
  id: Scalars['ID']['input'];
};


/** Partner webhooks: subscriptions, secrets, replays (the calling partner's own; an ADMIN any partner's). */
export type MutationReplayWebhookDeliveriesArgs = {
  from: Scalars['DateTime']['input'];
  subscriptionId: Scalars['ID']['input'];
  to: Scalars['DateTime']['input'];
};


/** Partner webhooks: subscriptions, secrets, replays (the calling partner's own; an ADMIN any partner's). */
export type MutationRotateWebhookSecretArgs = {
  id: Scalars['ID']['input'];
};


/** Partner webhooks: subscriptions, secrets, replays (the calling partner's own; an ADMIN any partner's). */
export type MutationUpdateWebhookSubscriptionArgs = {
  id: Scalars['ID']['input'];
  input: UpdateWebhookSubscriptionInput;
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

/** Partner webhooks: a partner manages its own (API key or client-credentials token); an ADMIN any partner's. */
export type Query = {
  __typename?: 'Query';
  /** A subscription's delivery log, newest event first (UNKNOWN subscription: NOT_FOUND). */
  webhookDeliveries: WebhookDeliveryConnection;
  /** The event types a subscription can receive, with their payload versions. */
  webhookEventTypes: Array<WebhookEventType>;
  /** One of the calling partner's subscriptions (any for an ADMIN); null when unknown. */
  webhookSubscription?: Maybe<WebhookSubscription>;
  /** The calling partner's webhook subscriptions, newest first (an ADMIN names the partner). */
  webhookSubscriptions: WebhookSubscriptionConnection;
};


/** Partner webhooks: a partner manages its own (API key or client-credentials token); an ADMIN any partner's. */
export type QueryWebhookDeliveriesArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  status?: InputMaybe<WebhookDeliveryStatus>;
  subscriptionId: Scalars['ID']['input'];
};


/** Partner webhooks: a partner manages its own (API key or client-credentials token); an ADMIN any partner's. */
export type QueryWebhookSubscriptionArgs = {
  id: Scalars['ID']['input'];
};


/** Partner webhooks: a partner manages its own (API key or client-credentials token); an ADMIN any partner's. */
export type QueryWebhookSubscriptionsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  partnerId?: InputMaybe<Scalars['ID']['input']>;
};

/** The outcome of replayWebhookDeliveries. */
export type ReplayWebhookDeliveriesPayload = {
  __typename?: 'ReplayWebhookDeliveriesPayload';
  /** How many deliveries were queued again (each with its own id). */
  replayed: Scalars['Int']['output'];
  /** Why nothing was replayed (codes: WebhookErrorCode); empty on success. */
  userErrors: Array<UserError>;
};

/** Changes to a webhook subscription; omitted fields stay. */
export type UpdateWebhookSubscriptionInput = {
  /** A new note (null or empty clears it). */
  description?: InputMaybe<Scalars['String']['input']>;
  /** The new set of event types. */
  eventTypes?: InputMaybe<Array<Scalars['String']['input']>>;
  /** DISABLED stops deliveries; ACTIVE resumes them (as enableWebhookSubscription). */
  status?: InputMaybe<WebhookSubscriptionStatus>;
  /** A new target URL (checked like at creation). */
  url?: InputMaybe<Scalars['String']['input']>;
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

/** One event delivered (or to be delivered) to one subscription. Its id is the `webhook-id` header: the same on every attempt and replay. */
export type WebhookDelivery = {
  __typename?: 'WebhookDelivery';
  /** Every attempt, oldest first. */
  attemptLog: Array<WebhookDeliveryAttempt>;
  /** HTTP attempts made so far (replays included). */
  attempts: Scalars['Int']['output'];
  /** When it was created. */
  createdAt: Scalars['DateTime']['output'];
  /** When it succeeded. */
  deliveredAt?: Maybe<Scalars['DateTime']['output']>;
  /** The platform event it comes from. */
  eventId: Scalars['ID']['output'];
  /** The event type, e.g. order.confirmed. */
  eventType: Scalars['String']['output'];
  /** The delivery id (msg_…): the webhook-id header; de-duplicate on it. */
  id: Scalars['ID']['output'];
  /** Why the last attempt failed, when it did. */
  lastError?: Maybe<Scalars['String']['output']>;
  /** The HTTP status of the last attempt; null before any or when none came. */
  lastResponseStatus?: Maybe<Scalars['Int']['output']>;
  /** How long the last attempt took, in milliseconds. */
  latencyMs?: Maybe<Scalars['Int']['output']>;
  /** When the next attempt is due (PENDING only). */
  nextAttemptAt?: Maybe<Scalars['DateTime']['output']>;
  /** When the event happened (the body's timestamp). */
  occurredAt: Scalars['DateTime']['output'];
  /** Where it is. */
  status: WebhookDeliveryStatus;
  /** The subscription. */
  subscriptionId: Scalars['ID']['output'];
  /** When it last changed. */
  updatedAt: Scalars['DateTime']['output'];
};

/** One HTTP attempt of a delivery. */
export type WebhookDeliveryAttempt = {
  __typename?: 'WebhookDeliveryAttempt';
  /** When it was made. */
  at: Scalars['DateTime']['output'];
  /** Why it failed, when it did. */
  error?: Maybe<Scalars['String']['output']>;
  /** How long it took, in milliseconds. */
  latencyMs: Scalars['Int']['output'];
  /** The HTTP status it answered; null when none came (timeout, connection refused, unsafe target). */
  responseStatus?: Maybe<Scalars['Int']['output']>;
  /** Whether the endpoint answered 2xx. */
  succeeded: Scalars['Boolean']['output'];
};

/** A page of a subscription's delivery log, newest event first. */
export type WebhookDeliveryConnection = {
  __typename?: 'WebhookDeliveryConnection';
  /** The deliveries of this page. */
  nodes: Array<WebhookDelivery>;
  /** Where this page is. */
  pageInfo: PageInfo;
};

/** Where a delivery is. */
export type WebhookDeliveryStatus =
  /** Every attempt failed for the retry window (24 h by default), or the endpoint was disabled by its failure: replay it. */
  | 'FAILED'
  /** Not delivered yet: the next attempt is due at nextAttemptAt. */
  | 'PENDING'
  /** Not sent: the subscription was disabled or deleted when it was due. Replay it after enabling. */
  | 'SKIPPED'
  /** The endpoint answered 2xx. */
  | 'SUCCEEDED';

/** The userErrors codes of the webhook mutations. */
export type WebhookErrorCode =
  /** A concurrent change won; try again. */
  | 'CONFLICT'
  /** A description over 200 characters. */
  | 'INVALID_DESCRIPTION'
  /** A replay range that is empty, reversed, older than the log keeps, or too large. */
  | 'INVALID_RANGE'
  /** Not an absolute http(s) URL, or one with credentials or a fragment. */
  | 'INVALID_URL'
  /** No subscription with this id for this partner. */
  | 'NOT_FOUND'
  /** No event type named. */
  | 'NO_EVENT_TYPES'
  /** The subscription is disabled: enable it first. */
  | 'SUBSCRIPTION_DISABLED'
  /** The partner has as many subscriptions as allowed. */
  | 'TOO_MANY_SUBSCRIPTIONS'
  /** An event type that does not exist (see webhookEventTypes). */
  | 'UNKNOWN_EVENT_TYPE'
  /** The target is, or resolves to, a loopback, private, link-local, unique-local, CGNAT, multicast, unspecified or reserved address (refused in production), or does not resolve. */
  | 'UNSAFE_URL';

/** One event type partners can subscribe to. */
export type WebhookEventType = {
  __typename?: 'WebhookEventType';
  /** What it tells, and which platform event it comes from. */
  description: Scalars['String']['output'];
  /** Its name, e.g. product.price_changed. */
  name: Scalars['String']['output'];
  /** The version of its payload (`data.schemaVersion`). */
  schemaVersion: Scalars['Int']['output'];
};

/** The outcome of createWebhookSubscription or rotateWebhookSecret. */
export type WebhookSecretPayload = {
  __typename?: 'WebhookSecretPayload';
  /** The signing secret (whsec_…), shown this once: keep it to verify deliveries. Null when userErrors is not empty. */
  secret?: Maybe<Scalars['String']['output']>;
  /** The subscription; null when userErrors is not empty. */
  subscription?: Maybe<WebhookSubscription>;
  /** Why nothing changed (codes: WebhookErrorCode); empty on success. */
  userErrors: Array<UserError>;
};

/** A partner's webhook endpoint and the event types it receives. Its signing secret is shown only when created or rotated. */
export type WebhookSubscription = {
  __typename?: 'WebhookSubscription';
  /** When it was created. */
  createdAt: Scalars['DateTime']['output'];
  /** A note for the partner. */
  description?: Maybe<Scalars['String']['output']>;
  /** When it was disabled; null when active. */
  disabledAt?: Maybe<Scalars['DateTime']['output']>;
  /** Why it was disabled, e.g. after repeated failure; null when active. */
  disabledReason?: Maybe<Scalars['String']['output']>;
  /** The event types it receives (see webhookEventTypes). */
  eventTypes: Array<Scalars['String']['output']>;
  /** Opaque id (whsub_…). */
  id: Scalars['ID']['output'];
  /** The partner it belongs to (ptnr_…). */
  partnerId: Scalars['ID']['output'];
  /** When the secret was last rotated; null if never. */
  secretRotatedAt?: Maybe<Scalars['DateTime']['output']>;
  /** ACTIVE or DISABLED. */
  status: WebhookSubscriptionStatus;
  /** When it last changed. */
  updatedAt: Scalars['DateTime']['output'];
  /** Where deliveries are POSTed. */
  url: Scalars['String']['output'];
};

/** A page of webhook subscriptions, newest first. */
export type WebhookSubscriptionConnection = {
  __typename?: 'WebhookSubscriptionConnection';
  /** The subscriptions of this page. */
  nodes: Array<WebhookSubscription>;
  /** Where this page is. */
  pageInfo: PageInfo;
};

/** The outcome of a change to a webhook subscription. */
export type WebhookSubscriptionPayload = {
  __typename?: 'WebhookSubscriptionPayload';
  /** The subscription after the change; null when userErrors is not empty. */
  subscription?: Maybe<WebhookSubscription>;
  /** Why nothing changed (codes: WebhookErrorCode); empty on success. */
  userErrors: Array<UserError>;
};

/** Whether a subscription receives deliveries. */
export type WebhookSubscriptionStatus =
  /** Deliveries are sent. */
  | 'ACTIVE'
  /** Nothing is sent (auto-disabled after repeated failure, or by request); enableWebhookSubscription resumes. */
  | 'DISABLED';

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
  CacheControlScope: CacheControlScope;
  CreateWebhookSubscriptionInput: CreateWebhookSubscriptionInput;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  DateTime: ResolverTypeWrapper<Scalars['DateTime']['output']>;
  DeleteWebhookSubscriptionPayload: ResolverTypeWrapper<DeleteWebhookSubscriptionPayload>;
  Money: ResolverTypeWrapper<Money>;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  PageInfo: ResolverTypeWrapper<PageInfo>;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  ReplayWebhookDeliveriesPayload: ResolverTypeWrapper<ReplayWebhookDeliveriesPayload>;
  UpdateWebhookSubscriptionInput: UpdateWebhookSubscriptionInput;
  UserError: ResolverTypeWrapper<UserError>;
  WebhookDelivery: ResolverTypeWrapper<ApiDelivery>;
  WebhookDeliveryAttempt: ResolverTypeWrapper<WebhookDeliveryAttempt>;
  WebhookDeliveryConnection: ResolverTypeWrapper<Omit<WebhookDeliveryConnection, 'nodes'> & { nodes: Array<ResolversTypes['WebhookDelivery']> }>;
  WebhookDeliveryStatus: WebhookDeliveryStatus;
  WebhookErrorCode: WebhookErrorCode;
  WebhookEventType: ResolverTypeWrapper<WebhookEventType>;
  WebhookSecretPayload: ResolverTypeWrapper<WebhookSecretPayload>;
  WebhookSubscription: ResolverTypeWrapper<WebhookSubscription>;
  WebhookSubscriptionConnection: ResolverTypeWrapper<WebhookSubscriptionConnection>;
  WebhookSubscriptionPayload: ResolverTypeWrapper<WebhookSubscriptionPayload>;
  WebhookSubscriptionStatus: WebhookSubscriptionStatus;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
}>;

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = ResolversObject<{
  CreateWebhookSubscriptionInput: CreateWebhookSubscriptionInput;
  String: Scalars['String']['output'];
  ID: Scalars['ID']['output'];
  DateTime: Scalars['DateTime']['output'];
  DeleteWebhookSubscriptionPayload: DeleteWebhookSubscriptionPayload;
  Money: Money;
  Mutation: Record<PropertyKey, never>;
  PageInfo: PageInfo;
  Query: Record<PropertyKey, never>;
  ReplayWebhookDeliveriesPayload: ReplayWebhookDeliveriesPayload;
  UpdateWebhookSubscriptionInput: UpdateWebhookSubscriptionInput;
  UserError: UserError;
  WebhookDelivery: ApiDelivery;
  WebhookDeliveryAttempt: WebhookDeliveryAttempt;
  WebhookDeliveryConnection: Omit<WebhookDeliveryConnection, 'nodes'> & { nodes: Array<ResolversParentTypes['WebhookDelivery']> };
  WebhookEventType: WebhookEventType;
  WebhookSecretPayload: WebhookSecretPayload;
  WebhookSubscription: WebhookSubscription;
  WebhookSubscriptionConnection: WebhookSubscriptionConnection;
  WebhookSubscriptionPayload: WebhookSubscriptionPayload;
  Boolean: Scalars['Boolean']['output'];
  Int: Scalars['Int']['output'];
}>;

export type CacheControlDirectiveArgs = {
  inheritMaxAge?: Maybe<Scalars['Boolean']['input']>;
  maxAge?: Maybe<Scalars['Int']['input']>;
  scope?: Maybe<CacheControlScope>;
};

export type CacheControlDirectiveResolver<Result, Parent, ContextType = Context, Args = CacheControlDirectiveArgs> = DirectiveResolverFn<Result, Parent, ContextType, Args>;

export interface DateTimeScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['DateTime'], any> {
  name: 'DateTime';
}

export type DeleteWebhookSubscriptionPayloadResolvers<ContextType = Context, ParentType extends ResolversParentTypes['DeleteWebhookSubscriptionPayload'] = ResolversParentTypes['DeleteWebhookSubscriptionPayload']> = ResolversObject<{
  deletedId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
  userErrors?: Resolver<Array<ResolversTypes['UserError']>, ParentType, ContextType>;
}>;

export type MoneyResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Money'] = ResolversParentTypes['Money']> = ResolversObject<{
  amount?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  currencyCode?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type MutationResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = ResolversObject<{
  createWebhookSubscription?: Resolver<ResolversTypes['WebhookSecretPayload'], ParentType, ContextType, RequireFields<MutationCreateWebhookSubscriptionArgs, 'input'>>;
  deleteWebhookSubscription?: Resolver<ResolversTypes['DeleteWebhookSubscriptionPayload'], ParentType, ContextType, RequireFields<MutationDeleteWebhookSubscriptionArgs, 'id'>>;
  enableWebhookSubscription?: Resolver<ResolversTypes['WebhookSubscriptionPayload'], ParentType, ContextType, RequireFields<MutationEnableWebhookSubscriptionArgs, 'id'>>;
  replayWebhookDeliveries?: Resolver<ResolversTypes['ReplayWebhookDeliveriesPayload'], ParentType, ContextType, RequireFields<MutationReplayWebhookDeliveriesArgs, 'from' | 'subscriptionId' | 'to'>>;
  rotateWebhookSecret?: Resolver<ResolversTypes['WebhookSecretPayload'], ParentType, ContextType, RequireFields<MutationRotateWebhookSecretArgs, 'id'>>;
  updateWebhookSubscription?: Resolver<ResolversTypes['WebhookSubscriptionPayload'], ParentType, ContextType, RequireFields<MutationUpdateWebhookSubscriptionArgs, 'id' | 'input'>>;
}>;

export type PageInfoResolvers<ContextType = Context, ParentType extends ResolversParentTypes['PageInfo'] = ResolversParentTypes['PageInfo']> = ResolversObject<{
  endCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  hasNextPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  hasPreviousPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  startCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
}>;

export type QueryResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = ResolversObject<{
  webhookDeliveries?: Resolver<ResolversTypes['WebhookDeliveryConnection'], ParentType, ContextType, RequireFields<QueryWebhookDeliveriesArgs, 'first' | 'subscriptionId'>>;
  webhookEventTypes?: Resolver<Array<ResolversTypes['WebhookEventType']>, ParentType, ContextType>;
  webhookSubscription?: Resolver<Maybe<ResolversTypes['WebhookSubscription']>, ParentType, ContextType, RequireFields<QueryWebhookSubscriptionArgs, 'id'>>;
  webhookSubscriptions?: Resolver<ResolversTypes['WebhookSubscriptionConnection'], ParentType, ContextType, RequireFields<QueryWebhookSubscriptionsArgs, 'first'>>;
}>;

export type ReplayWebhookDeliveriesPayloadResolvers<ContextType = Context, ParentType extends ResolversParentTypes['ReplayWebhookDeliveriesPayload'] = ResolversParentTypes['ReplayWebhookDeliveriesPayload']> = ResolversObject<{
  replayed?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  userErrors?: Resolver<Array<ResolversTypes['UserError']>, ParentType, ContextType>;
}>;

export type UserErrorResolvers<ContextType = Context, ParentType extends ResolversParentTypes['UserError'] = ResolversParentTypes['UserError']> = ResolversObject<{
  code?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  field?: Resolver<Maybe<Array<ResolversTypes['String']>>, ParentType, ContextType>;
  message?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type WebhookDeliveryResolvers<ContextType = Context, ParentType extends ResolversParentTypes['WebhookDelivery'] = ResolversParentTypes['WebhookDelivery']> = ResolversObject<{
  attemptLog?: Resolver<Array<ResolversTypes['WebhookDeliveryAttempt']>, ParentType, ContextType>;
  attempts?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  deliveredAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  eventId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  eventType?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  lastError?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  lastResponseStatus?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  latencyMs?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  nextAttemptAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  occurredAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  status?: Resolver<ResolversTypes['WebhookDeliveryStatus'], ParentType, ContextType>;
  subscriptionId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  updatedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
}>;

export type WebhookDeliveryAttemptResolvers<ContextType = Context, ParentType extends ResolversParentTypes['WebhookDeliveryAttempt'] = ResolversParentTypes['WebhookDeliveryAttempt']> = ResolversObject<{
  at?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  error?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  latencyMs?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  responseStatus?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  succeeded?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
}>;

export type WebhookDeliveryConnectionResolvers<ContextType = Context, ParentType extends ResolversParentTypes['WebhookDeliveryConnection'] = ResolversParentTypes['WebhookDeliveryConnection']> = ResolversObject<{
  nodes?: Resolver<Array<ResolversTypes['WebhookDelivery']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
}>;

export type WebhookEventTypeResolvers<ContextType = Context, ParentType extends ResolversParentTypes['WebhookEventType'] = ResolversParentTypes['WebhookEventType']> = ResolversObject<{
  description?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  schemaVersion?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type WebhookSecretPayloadResolvers<ContextType = Context, ParentType extends ResolversParentTypes['WebhookSecretPayload'] = ResolversParentTypes['WebhookSecretPayload']> = ResolversObject<{
  secret?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  subscription?: Resolver<Maybe<ResolversTypes['WebhookSubscription']>, ParentType, ContextType>;
  userErrors?: Resolver<Array<ResolversTypes['UserError']>, ParentType, ContextType>;
}>;

export type WebhookSubscriptionResolvers<ContextType = Context, ParentType extends ResolversParentTypes['WebhookSubscription'] = ResolversParentTypes['WebhookSubscription']> = ResolversObject<{
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  description?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  disabledAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  disabledReason?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  eventTypes?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  partnerId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  secretRotatedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  status?: Resolver<ResolversTypes['WebhookSubscriptionStatus'], ParentType, ContextType>;
  updatedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  url?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type WebhookSubscriptionConnectionResolvers<ContextType = Context, ParentType extends ResolversParentTypes['WebhookSubscriptionConnection'] = ResolversParentTypes['WebhookSubscriptionConnection']> = ResolversObject<{
  nodes?: Resolver<Array<ResolversTypes['WebhookSubscription']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
}>;

export type WebhookSubscriptionPayloadResolvers<ContextType = Context, ParentType extends ResolversParentTypes['WebhookSubscriptionPayload'] = ResolversParentTypes['WebhookSubscriptionPayload']> = ResolversObject<{
  subscription?: Resolver<Maybe<ResolversTypes['WebhookSubscription']>, ParentType, ContextType>;
  userErrors?: Resolver<Array<ResolversTypes['UserError']>, ParentType, ContextType>;
}>;

export type Resolvers<ContextType = Context> = ResolversObject<{
  DateTime?: GraphQLScalarType;
  DeleteWebhookSubscriptionPayload?: DeleteWebhookSubscriptionPayloadResolvers<ContextType>;
  Money?: MoneyResolvers<ContextType>;
  Mutation?: MutationResolvers<ContextType>;
  PageInfo?: PageInfoResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  ReplayWebhookDeliveriesPayload?: ReplayWebhookDeliveriesPayloadResolvers<ContextType>;
  UserError?: UserErrorResolvers<ContextType>;
  WebhookDelivery?: WebhookDeliveryResolvers<ContextType>;
  WebhookDeliveryAttempt?: WebhookDeliveryAttemptResolvers<ContextType>;
  WebhookDeliveryConnection?: WebhookDeliveryConnectionResolvers<ContextType>;
  WebhookEventType?: WebhookEventTypeResolvers<ContextType>;
  WebhookSecretPayload?: WebhookSecretPayloadResolvers<ContextType>;
  WebhookSubscription?: WebhookSubscriptionResolvers<ContextType>;
  WebhookSubscriptionConnection?: WebhookSubscriptionConnectionResolvers<ContextType>;
  WebhookSubscriptionPayload?: WebhookSubscriptionPayloadResolvers<ContextType>;
}>;

export type DirectiveResolvers<ContextType = Context> = ResolversObject<{
  cacheControl?: CacheControlDirectiveResolver<any, any, ContextType>;
}>;
