import type { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import type { ApiTicket } from '../resolvers/ticket.mapper.ts';
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

/** A customer (owned by customers); support adds their tickets. */
export type Customer = {
  __typename?: 'Customer';
  /** Opaque id (cust_…). */
  id: Scalars['ID']['output'];
  /** The customer's tickets, newest first (the customer and agents only). */
  tickets: TicketConnection;
};


/** A customer (owned by customers); support adds their tickets. */
export type CustomerTicketsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  status?: InputMaybe<TicketStatus>;
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
  /** Takes a ticket (SUPPORT_AGENT or ADMIN); admins may assign it to another agent or, with force, take it from one. */
  assignTicket: TicketPayload;
  /** Closes a ticket (its customer or an agent). */
  closeTicket: TicketPayload;
  /** Opens a ticket (signed-in customers; agents on a customer's behalf). */
  openTicket: TicketPayload;
  /** Adds a message to a ticket; a customer's reply reopens a ticket resolved less than 7 days ago. */
  postTicketMessage: PostTicketMessagePayload;
  /** Rates how a resolved ticket was handled (its customer, once). */
  rateTicket: TicketPayload;
  /** Pays back part or all of the ticket's order through payments (SUPPORT_AGENT or ADMIN); never more than was captured. */
  refundFromTicket: RefundFromTicketPayload;
  /** Resolves a ticket, optionally with a last answer (SUPPORT_AGENT or ADMIN). */
  resolveTicket: TicketPayload;
};


export type MutationAssignTicketArgs = {
  assigneeId?: InputMaybe<Scalars['ID']['input']>;
  force?: InputMaybe<Scalars['Boolean']['input']>;
  ticketId: Scalars['ID']['input'];
};


export type MutationCloseTicketArgs = {
  ticketId: Scalars['ID']['input'];
};


export type MutationOpenTicketArgs = {
  input: OpenTicketInput;
};


export type MutationPostTicketMessageArgs = {
  input: PostTicketMessageInput;
};


export type MutationRateTicketArgs = {
  input: RateTicketInput;
};


export type MutationRefundFromTicketArgs = {
  amount: Scalars['String']['input'];
  idempotencyKey: Scalars['String']['input'];
  ticketId: Scalars['ID']['input'];
};


export type MutationResolveTicketArgs = {
  idempotencyKey?: InputMaybe<Scalars['String']['input']>;
  message?: InputMaybe<Scalars['String']['input']>;
  ticketId: Scalars['ID']['input'];
};

/** A new ticket. */
export type OpenTicketInput = {
  /** The first message (1 to 10,000 characters). */
  body: Scalars['String']['input'];
  /** What it is about. */
  category: TicketCategory;
  /** Agents only: the customer a ticket not about an order is for. */
  customerId?: InputMaybe<Scalars['ID']['input']>;
  /** Unique per ticket the caller opens: a retry with the same key returns the same ticket. */
  idempotencyKey: Scalars['String']['input'];
  /** The order it is about: one of the caller's own orders (agents: any order). */
  orderId?: InputMaybe<Scalars['ID']['input']>;
  /** How urgent (default NORMAL; URGENT is for agents). */
  priority?: InputMaybe<TicketPriority>;
  /** The product it is about; required for PRODUCT tickets. */
  productId?: InputMaybe<Scalars['ID']['input']>;
  /** One line: what it is about (1 to 200 characters). */
  subject: Scalars['String']['input'];
};

/** A customer's order (owned by orders); support adds its tickets. */
export type Order = {
  __typename?: 'Order';
  /** Opaque id (ord_…). */
  id: Scalars['ID']['output'];
  /** Tickets about this order, oldest first (the order's customer sees their own; agents all). */
  tickets: Array<Ticket>;
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

/** An order's payment (owned by payments); support adds the tickets about its order. */
export type Payment = {
  __typename?: 'Payment';
  /** Opaque id (pay_…). */
  id: Scalars['ID']['output'];
  /** Tickets about this payment's order (the order's customer sees their own; agents all). */
  tickets: Array<Ticket>;
};

/** A message on a ticket. */
export type PostTicketMessageInput = {
  /** The text (1 to 10,000 characters). */
  body: Scalars['String']['input'];
  /** Unique per message: a retried send with the same key posts once. */
  idempotencyKey: Scalars['String']['input'];
  /** Agents only: a note the customer never sees. */
  internal?: InputMaybe<Scalars['Boolean']['input']>;
  /** The ticket (tkt_…). */
  ticketId: Scalars['ID']['input'];
};

/** Result of postTicketMessage. */
export type PostTicketMessagePayload = {
  __typename?: 'PostTicketMessagePayload';
  /** The message (the stored one, for a retried send). */
  message?: Maybe<TicketMessage>;
  /** The ticket after the message. */
  ticket?: Maybe<Ticket>;
  /** Why it was not posted. */
  userErrors: Array<UserError>;
};

/** A product customers keep opening product tickets about. */
export type ProductSupportSignal = {
  __typename?: 'ProductSupportSignal';
  /** When it reached the threshold. */
  flaggedAt?: Maybe<Scalars['DateTime']['output']>;
  /** The product (prod_…). */
  productId: Scalars['ID']['output'];
  /** Distinct product tickets about it. */
  ticketCount: Scalars['Int']['output'];
};

export type Query = {
  __typename?: 'Query';
  /** Products flagged by repeated product tickets (SUPPORT_AGENT or ADMIN). */
  flaggedProducts: Array<ProductSupportSignal>;
  /** Figures per category and day, from `from` to `to` inclusive (at most 92 days; ADMIN). */
  supportFigures: Array<SupportDailyFigures>;
  /** The agents' queue, soonest SLA first (SUPPORT_AGENT or ADMIN). */
  supportQueue: TicketConnection;
  /** One ticket, for its customer or an agent; null otherwise or when unknown. */
  ticket?: Maybe<Ticket>;
};


export type QueryFlaggedProductsArgs = {
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type QuerySupportFiguresArgs = {
  category?: InputMaybe<TicketCategory>;
  from: Scalars['DateTime']['input'];
  to: Scalars['DateTime']['input'];
};


export type QuerySupportQueueArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<TicketQueueFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryTicketArgs = {
  id: Scalars['ID']['input'];
};

/** A satisfaction rating. */
export type RateTicketInput = {
  /** Anything to add (at most 2,000 characters). */
  comment?: InputMaybe<Scalars['String']['input']>;
  /** 1 (very dissatisfied) to 5 (very satisfied). */
  score: Scalars['Int']['input'];
  /** The ticket (tkt_…), resolved. */
  ticketId: Scalars['ID']['input'];
};

/** Result of refundFromTicket. */
export type RefundFromTicketPayload = {
  __typename?: 'RefundFromTicketPayload';
  /** The refund as requested (REQUESTED until payments answers). */
  refund?: Maybe<TicketRefund>;
  /** The ticket, with the refund on it. */
  ticket?: Maybe<Ticket>;
  /** Why no refund was requested (codes: TICKET_NOT_FOUND, NO_ORDER, NOT_CAPTURED, INVALID_AMOUNT, EXCEEDS_CAPTURED, CURRENCY_MISMATCH, IDEMPOTENCY_KEY_REUSED). */
  userErrors: Array<UserError>;
};

/** Support's figures for one category on one day (UTC). */
export type SupportDailyFigures = {
  __typename?: 'SupportDailyFigures';
  /** Average seconds from opening to the first agent answer. */
  averageFirstResponseSeconds?: Maybe<Scalars['Float']['output']>;
  /** Average rating, 1 to 5. */
  averageRating?: Maybe<Scalars['Float']['output']>;
  /** Average seconds from opening to resolution. */
  averageResolutionSeconds?: Maybe<Scalars['Float']['output']>;
  /** The category. */
  category: TicketCategory;
  /** Share of ratings of 4 or 5, 0 to 1. */
  csat?: Maybe<Scalars['Float']['output']>;
  /** The day, YYYY-MM-DD. */
  day: Scalars['String']['output'];
  /** Median seconds from opening to the first agent answer, of the tickets resolved that day. */
  medianFirstResponseSeconds?: Maybe<Scalars['Float']['output']>;
  /** Median seconds from opening to resolution. */
  medianResolutionSeconds?: Maybe<Scalars['Float']['output']>;
  /** Ratings given that day. */
  ratingsCount: Scalars['Int']['output'];
  /** Tickets resolved that day. */
  resolvedCount: Scalars['Int']['output'];
};

/** A customer's request for help, with its thread. Readable by its customer and support agents. */
export type Ticket = {
  __typename?: 'Ticket';
  /** The agent who has it; null while nobody has taken it. */
  assigneeId?: Maybe<Scalars['ID']['output']>;
  /** What it is about. */
  category: TicketCategory;
  /** When it was closed. */
  closedAt?: Maybe<Scalars['DateTime']['output']>;
  /** When it was opened. */
  createdAt: Scalars['DateTime']['output'];
  /** The customer it belongs to. */
  customer: Customer;
  /** When an agent first answered; null before. */
  firstResponseAt?: Maybe<Scalars['DateTime']['output']>;
  /** Opaque id (tkt_…). */
  id: Scalars['ID']['output'];
  /** The thread, oldest first. Customers do not see internal notes. */
  messages: Array<TicketMessage>;
  /** Who opened it. */
  openedBy: TicketMessageAuthor;
  /** The order it is about, if any. */
  order?: Maybe<Order>;
  /** How urgent it is. */
  priority: TicketPriority;
  /** The product it is about, if any (product tickets). */
  productId?: Maybe<Scalars['ID']['output']>;
  /** Refunds issued from this ticket. */
  refunds: Array<TicketRefund>;
  /** When it was resolved; null unless RESOLVED or CLOSED after resolution. */
  resolvedAt?: Maybe<Scalars['DateTime']['output']>;
  /** The customer's rating, once given. */
  satisfaction?: Maybe<TicketSatisfaction>;
  /** Whether no agent answered before slaDueAt (found by support's sweep). */
  slaBreached: Scalars['Boolean']['output'];
  /** When the first agent answer is due. */
  slaDueAt: Scalars['DateTime']['output'];
  /** Where it is. */
  status: TicketStatus;
  /** One line: what it is about. */
  subject: Scalars['String']['output'];
  /** When it last changed. */
  updatedAt: Scalars['DateTime']['output'];
};

/** What a ticket is about. */
export type TicketCategory =
  /** The customer's account. */
  | 'ACCOUNT'
  /** Shipping and delivery. */
  | 'DELIVERY'
  /** An order: where it is, what is in it. */
  | 'ORDER'
  /** Anything else. */
  | 'OTHER'
  /** A payment: a decline, a charge, a refund. */
  | 'PAYMENT'
  /** A product: quality, description, defects. */
  | 'PRODUCT';

/** A page of tickets. */
export type TicketConnection = {
  __typename?: 'TicketConnection';
  /** The tickets of this page. */
  edges: Array<TicketEdge>;
  /** Pagination state. */
  pageInfo: PageInfo;
};

/** A ticket in a page, with its cursor. */
export type TicketEdge = {
  __typename?: 'TicketEdge';
  /** Position of this ticket; pass as `after`. */
  cursor: Scalars['String']['output'];
  /** The ticket. */
  node: Ticket;
};

/** One message of a ticket's thread. */
export type TicketMessage = {
  __typename?: 'TicketMessage';
  /** Who wrote it. */
  author: TicketMessageAuthor;
  /** The customer or agent who wrote it; null for the platform. */
  authorId?: Maybe<Scalars['ID']['output']>;
  /** The text. */
  body: Scalars['String']['output'];
  /** When it was posted. */
  createdAt: Scalars['DateTime']['output'];
  /** Opaque id (msg_…); the same for a retried send. */
  id: Scalars['ID']['output'];
  /** An agents' note the customer never sees (only agents see these at all). */
  internal: Scalars['Boolean']['output'];
};

/** Who wrote a message. */
export type TicketMessageAuthor =
  /** A support agent. */
  | 'AGENT'
  /** The customer. */
  | 'CUSTOMER'
  /** The platform, telling what happened to an order. */
  | 'SYSTEM';

/** Result of a change to a ticket. */
export type TicketPayload = {
  __typename?: 'TicketPayload';
  /** The ticket after the change. */
  ticket?: Maybe<Ticket>;
  /** Why nothing changed (codes: TICKET_NOT_FOUND, ORDER_NOT_FOUND, EMPTY_SUBJECT, SUBJECT_TOO_LONG, EMPTY_MESSAGE, MESSAGE_TOO_LONG, TICKET_CLOSED, ALREADY_ASSIGNED, NOT_RESOLVED, ALREADY_RATED, NOT_ALLOWED, …). */
  userErrors: Array<UserError>;
};

/** How soon a ticket needs an agent; each priority has its own SLA. */
export type TicketPriority =
  /** First answer due within 4 hours (by default). */
  | 'HIGH'
  /** First answer due within 72 hours (by default). */
  | 'LOW'
  /** First answer due within 24 hours (by default). */
  | 'NORMAL'
  /** First answer due within 1 hour (by default); set by agents and by the platform. */
  | 'URGENT';

/** Filters of the agents' queue; all given ones apply. */
export type TicketQueueFilter = {
  /** Only tickets this agent has. */
  assigneeId?: InputMaybe<Scalars['ID']['input']>;
  /** Only tickets of this category. */
  category?: InputMaybe<TicketCategory>;
  /** Only tickets of this priority. */
  priority?: InputMaybe<TicketPriority>;
  /** Only tickets whose SLA was (true) or was not (false) breached. */
  slaBreached?: InputMaybe<Scalars['Boolean']['input']>;
  /** Only tickets in this status. */
  status?: InputMaybe<TicketStatus>;
  /** Only tickets nobody has taken. */
  unassigned?: InputMaybe<Scalars['Boolean']['input']>;
};

/** A refund an agent issued from a ticket. */
export type TicketRefund = {
  __typename?: 'TicketRefund';
  /** How much. */
  amount: Money;
  /** Opaque id (rf_…); the same for a retried request. */
  id: Scalars['ID']['output'];
  /** Why payments refused it; null unless REJECTED. */
  rejectionReason?: Maybe<Scalars['String']['output']>;
  /** When it was asked for. */
  requestedAt: Scalars['DateTime']['output'];
  /** The agent who asked for it. */
  requestedBy: Scalars['ID']['output'];
  /** When payments answered; null while REQUESTED. */
  settledAt?: Maybe<Scalars['DateTime']['output']>;
  /** Where it is. */
  status: TicketRefundStatus;
};

/** Where a refund from a ticket is. */
export type TicketRefundStatus =
  /** Payments refused it; nothing moved. */
  | 'REJECTED'
  /** Asked for; payments has not answered yet. */
  | 'REQUESTED'
  /** Paid back. */
  | 'SUCCEEDED';

/** The customer's rating of how a ticket was resolved. */
export type TicketSatisfaction = {
  __typename?: 'TicketSatisfaction';
  /** What the customer added, if anything. */
  comment?: Maybe<Scalars['String']['output']>;
  /** When it was given. */
  ratedAt: Scalars['DateTime']['output'];
  /** 1 (very dissatisfied) to 5 (very satisfied). */
  score: Scalars['Int']['output'];
};

/** Where a ticket is. */
export type TicketStatus =
  /** Done; no more messages. */
  | 'CLOSED'
  /** New: no agent has answered yet. */
  | 'OPEN'
  /** The customer wrote last: an agent's turn. */
  | 'PENDING_AGENT'
  /** An agent answered: the customer's turn. */
  | 'PENDING_CUSTOMER'
  /** An agent resolved it; the customer can reply within 7 days to reopen it. */
  | 'RESOLVED';

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
  Order: Order;
  Payment: Payment;
  Ticket: Ticket;
}>;

/** Mapping of federation reference types */
export type FederationReferenceTypes = ResolversObject<{
  Customer:
    ( { __typename: 'Customer' }
    & GraphQLRecursivePick<FederationTypes['Customer'], {"id":true}> );
  Order:
    ( { __typename: 'Order' }
    & GraphQLRecursivePick<FederationTypes['Order'], {"id":true}> );
  Payment:
    ( { __typename: 'Payment' }
    & GraphQLRecursivePick<FederationTypes['Payment'], {"id":true}> );
  Ticket:
    ( { __typename: 'Ticket' }
    & GraphQLRecursivePick<FederationTypes['Ticket'], {"id":true}> );
}>;



/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = ResolversObject<{
  CacheControlScope: CacheControlScope;
  Customer: ResolverTypeWrapper<Omit<Customer, 'tickets'> & { tickets: ResolversTypes['TicketConnection'] }>;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  DateTime: ResolverTypeWrapper<Scalars['DateTime']['output']>;
  Money: ResolverTypeWrapper<Money>;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  OpenTicketInput: OpenTicketInput;
  Order: ResolverTypeWrapper<Omit<Order, 'tickets'> & { tickets: Array<ResolversTypes['Ticket']> }>;
  PageInfo: ResolverTypeWrapper<PageInfo>;
  Payment: ResolverTypeWrapper<Omit<Payment, 'tickets'> & { tickets: Array<ResolversTypes['Ticket']> }>;
  PostTicketMessageInput: PostTicketMessageInput;
  PostTicketMessagePayload: ResolverTypeWrapper<Omit<PostTicketMessagePayload, 'ticket'> & { ticket?: Maybe<ResolversTypes['Ticket']> }>;
  ProductSupportSignal: ResolverTypeWrapper<ProductSupportSignal>;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  RateTicketInput: RateTicketInput;
  RefundFromTicketPayload: ResolverTypeWrapper<Omit<RefundFromTicketPayload, 'ticket'> & { ticket?: Maybe<ResolversTypes['Ticket']> }>;
  SupportDailyFigures: ResolverTypeWrapper<SupportDailyFigures>;
  Float: ResolverTypeWrapper<Scalars['Float']['output']>;
  Ticket: ResolverTypeWrapper<ApiTicket>;
  TicketCategory: TicketCategory;
  TicketConnection: ResolverTypeWrapper<Omit<TicketConnection, 'edges'> & { edges: Array<ResolversTypes['TicketEdge']> }>;
  TicketEdge: ResolverTypeWrapper<Omit<TicketEdge, 'node'> & { node: ResolversTypes['Ticket'] }>;
  TicketMessage: ResolverTypeWrapper<TicketMessage>;
  TicketMessageAuthor: TicketMessageAuthor;
  TicketPayload: ResolverTypeWrapper<Omit<TicketPayload, 'ticket'> & { ticket?: Maybe<ResolversTypes['Ticket']> }>;
  TicketPriority: TicketPriority;
  TicketQueueFilter: TicketQueueFilter;
  TicketRefund: ResolverTypeWrapper<TicketRefund>;
  TicketRefundStatus: TicketRefundStatus;
  TicketSatisfaction: ResolverTypeWrapper<TicketSatisfaction>;
  TicketStatus: TicketStatus;
  UserError: ResolverTypeWrapper<UserError>;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
}>;

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = ResolversObject<{
  Customer: Omit<Customer, 'tickets'> & { tickets: ResolversParentTypes['TicketConnection'] } | FederationReferenceTypes['Customer'];
  ID: Scalars['ID']['output'];
  String: Scalars['String']['output'];
  DateTime: Scalars['DateTime']['output'];
  Money: Money;
  Mutation: Record<PropertyKey, never>;
  OpenTicketInput: OpenTicketInput;
  Order: Omit<Order, 'tickets'> & { tickets: Array<ResolversParentTypes['Ticket']> } | FederationReferenceTypes['Order'];
  PageInfo: PageInfo;
  Payment: Omit<Payment, 'tickets'> & { tickets: Array<ResolversParentTypes['Ticket']> } | FederationReferenceTypes['Payment'];
  PostTicketMessageInput: PostTicketMessageInput;
  PostTicketMessagePayload: Omit<PostTicketMessagePayload, 'ticket'> & { ticket?: Maybe<ResolversParentTypes['Ticket']> };
  ProductSupportSignal: ProductSupportSignal;
  Query: Record<PropertyKey, never>;
  RateTicketInput: RateTicketInput;
  RefundFromTicketPayload: Omit<RefundFromTicketPayload, 'ticket'> & { ticket?: Maybe<ResolversParentTypes['Ticket']> };
  SupportDailyFigures: SupportDailyFigures;
  Float: Scalars['Float']['output'];
  Ticket: ApiTicket;
  TicketConnection: Omit<TicketConnection, 'edges'> & { edges: Array<ResolversParentTypes['TicketEdge']> };
  TicketEdge: Omit<TicketEdge, 'node'> & { node: ResolversParentTypes['Ticket'] };
  TicketMessage: TicketMessage;
  TicketPayload: Omit<TicketPayload, 'ticket'> & { ticket?: Maybe<ResolversParentTypes['Ticket']> };
  TicketQueueFilter: TicketQueueFilter;
  TicketRefund: TicketRefund;
  TicketSatisfaction: TicketSatisfaction;
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
  tickets?: Resolver<ResolversTypes['TicketConnection'], ParentType, ContextType, RequireFields<CustomerTicketsArgs, 'first'>>;
}>;

export interface DateTimeScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['DateTime'], any> {
  name: 'DateTime';
}

export type MoneyResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Money'] = ResolversParentTypes['Money']> = ResolversObject<{
  amount?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  currencyCode?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type MutationResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = ResolversObject<{
  assignTicket?: Resolver<ResolversTypes['TicketPayload'], ParentType, ContextType, RequireFields<MutationAssignTicketArgs, 'force' | 'ticketId'>>;
  closeTicket?: Resolver<ResolversTypes['TicketPayload'], ParentType, ContextType, RequireFields<MutationCloseTicketArgs, 'ticketId'>>;
  openTicket?: Resolver<ResolversTypes['TicketPayload'], ParentType, ContextType, RequireFields<MutationOpenTicketArgs, 'input'>>;
  postTicketMessage?: Resolver<ResolversTypes['PostTicketMessagePayload'], ParentType, ContextType, RequireFields<MutationPostTicketMessageArgs, 'input'>>;
  rateTicket?: Resolver<ResolversTypes['TicketPayload'], ParentType, ContextType, RequireFields<MutationRateTicketArgs, 'input'>>;
  refundFromTicket?: Resolver<ResolversTypes['RefundFromTicketPayload'], ParentType, ContextType, RequireFields<MutationRefundFromTicketArgs, 'amount' | 'idempotencyKey' | 'ticketId'>>;
  resolveTicket?: Resolver<ResolversTypes['TicketPayload'], ParentType, ContextType, RequireFields<MutationResolveTicketArgs, 'ticketId'>>;
}>;

export type OrderResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Order'] = ResolversParentTypes['Order'], FederationReferenceType extends FederationReferenceTypes['Order'] = FederationReferenceTypes['Order']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Order']> | FederationReferenceType, FederationReferenceType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  tickets?: Resolver<Array<ResolversTypes['Ticket']>, ParentType, ContextType>;
}>;

export type PageInfoResolvers<ContextType = Context, ParentType extends ResolversParentTypes['PageInfo'] = ResolversParentTypes['PageInfo']> = ResolversObject<{
  endCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  hasNextPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  hasPreviousPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  startCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
}>;

export type PaymentResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Payment'] = ResolversParentTypes['Payment'], FederationReferenceType extends FederationReferenceTypes['Payment'] = FederationReferenceTypes['Payment']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Payment']> | FederationReferenceType, FederationReferenceType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  tickets?: Resolver<Array<ResolversTypes['Ticket']>, ParentType, ContextType>;
}>;

export type PostTicketMessagePayloadResolvers<ContextType = Context, ParentType extends ResolversParentTypes['PostTicketMessagePayload'] = ResolversParentTypes['PostTicketMessagePayload']> = ResolversObject<{
  message?: Resolver<Maybe<ResolversTypes['TicketMessage']>, ParentType, ContextType>;
  ticket?: Resolver<Maybe<ResolversTypes['Ticket']>, ParentType, ContextType>;
  userErrors?: Resolver<Array<ResolversTypes['UserError']>, ParentType, ContextType>;
}>;

export type ProductSupportSignalResolvers<ContextType = Context, ParentType extends ResolversParentTypes['ProductSupportSignal'] = ResolversParentTypes['ProductSupportSignal']> = ResolversObject<{
  flaggedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  productId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  ticketCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type QueryResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = ResolversObject<{
  flaggedProducts?: Resolver<Array<ResolversTypes['ProductSupportSignal']>, ParentType, ContextType, RequireFields<QueryFlaggedProductsArgs, 'first'>>;
  supportFigures?: Resolver<Array<ResolversTypes['SupportDailyFigures']>, ParentType, ContextType, RequireFields<QuerySupportFiguresArgs, 'from' | 'to'>>;
  supportQueue?: Resolver<ResolversTypes['TicketConnection'], ParentType, ContextType, RequireFields<QuerySupportQueueArgs, 'first'>>;
  ticket?: Resolver<Maybe<ResolversTypes['Ticket']>, ParentType, ContextType, RequireFields<QueryTicketArgs, 'id'>>;
}>;

export type RefundFromTicketPayloadResolvers<ContextType = Context, ParentType extends ResolversParentTypes['RefundFromTicketPayload'] = ResolversParentTypes['RefundFromTicketPayload']> = ResolversObject<{
  refund?: Resolver<Maybe<ResolversTypes['TicketRefund']>, ParentType, ContextType>;
  ticket?: Resolver<Maybe<ResolversTypes['Ticket']>, ParentType, ContextType>;
  userErrors?: Resolver<Array<ResolversTypes['UserError']>, ParentType, ContextType>;
}>;

export type SupportDailyFiguresResolvers<ContextType = Context, ParentType extends ResolversParentTypes['SupportDailyFigures'] = ResolversParentTypes['SupportDailyFigures']> = ResolversObject<{
  averageFirstResponseSeconds?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  averageRating?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  averageResolutionSeconds?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  category?: Resolver<ResolversTypes['TicketCategory'], ParentType, ContextType>;
  csat?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  day?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  medianFirstResponseSeconds?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  medianResolutionSeconds?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  ratingsCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  resolvedCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type TicketResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Ticket'] = ResolversParentTypes['Ticket'], FederationReferenceType extends FederationReferenceTypes['Ticket'] = FederationReferenceTypes['Ticket']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Ticket']> | FederationReferenceType, FederationReferenceType, ContextType>;
  assigneeId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
  category?: Resolver<ResolversTypes['TicketCategory'], ParentType, ContextType>;
  closedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  customer?: Resolver<ResolversTypes['Customer'], ParentType, ContextType>;
  firstResponseAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  messages?: Resolver<Array<ResolversTypes['TicketMessage']>, ParentType, ContextType>;
  openedBy?: Resolver<ResolversTypes['TicketMessageAuthor'], ParentType, ContextType>;
  order?: Resolver<Maybe<ResolversTypes['Order']>, ParentType, ContextType>;
  priority?: Resolver<ResolversTypes['TicketPriority'], ParentType, ContextType>;
  productId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
  refunds?: Resolver<Array<ResolversTypes['TicketRefund']>, ParentType, ContextType>;
  resolvedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  satisfaction?: Resolver<Maybe<ResolversTypes['TicketSatisfaction']>, ParentType, ContextType>;
  slaBreached?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  slaDueAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  status?: Resolver<ResolversTypes['TicketStatus'], ParentType, ContextType>;
  subject?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  updatedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
}>;

export type TicketConnectionResolvers<ContextType = Context, ParentType extends ResolversParentTypes['TicketConnection'] = ResolversParentTypes['TicketConnection']> = ResolversObject<{
  edges?: Resolver<Array<ResolversTypes['TicketEdge']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
}>;

export type TicketEdgeResolvers<ContextType = Context, ParentType extends ResolversParentTypes['TicketEdge'] = ResolversParentTypes['TicketEdge']> = ResolversObject<{
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['Ticket'], ParentType, ContextType>;
}>;

export type TicketMessageResolvers<ContextType = Context, ParentType extends ResolversParentTypes['TicketMessage'] = ResolversParentTypes['TicketMessage']> = ResolversObject<{
  author?: Resolver<ResolversTypes['TicketMessageAuthor'], ParentType, ContextType>;
  authorId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
  body?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  internal?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
}>;

export type TicketPayloadResolvers<ContextType = Context, ParentType extends ResolversParentTypes['TicketPayload'] = ResolversParentTypes['TicketPayload']> = ResolversObject<{
  ticket?: Resolver<Maybe<ResolversTypes['Ticket']>, ParentType, ContextType>;
  userErrors?: Resolver<Array<ResolversTypes['UserError']>, ParentType, ContextType>;
}>;

export type TicketRefundResolvers<ContextType = Context, ParentType extends ResolversParentTypes['TicketRefund'] = ResolversParentTypes['TicketRefund']> = ResolversObject<{
  amount?: Resolver<ResolversTypes['Money'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  rejectionReason?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  requestedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  requestedBy?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  settledAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  status?: Resolver<ResolversTypes['TicketRefundStatus'], ParentType, ContextType>;
}>;

export type TicketSatisfactionResolvers<ContextType = Context, ParentType extends ResolversParentTypes['TicketSatisfaction'] = ResolversParentTypes['TicketSatisfaction']> = ResolversObject<{
  comment?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  ratedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  score?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
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
  Mutation?: MutationResolvers<ContextType>;
  Order?: OrderResolvers<ContextType>;
  PageInfo?: PageInfoResolvers<ContextType>;
  Payment?: PaymentResolvers<ContextType>;
  PostTicketMessagePayload?: PostTicketMessagePayloadResolvers<ContextType>;
  ProductSupportSignal?: ProductSupportSignalResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  RefundFromTicketPayload?: RefundFromTicketPayloadResolvers<ContextType>;
  SupportDailyFigures?: SupportDailyFiguresResolvers<ContextType>;
  Ticket?: TicketResolvers<ContextType>;
  TicketConnection?: TicketConnectionResolvers<ContextType>;
  TicketEdge?: TicketEdgeResolvers<ContextType>;
  TicketMessage?: TicketMessageResolvers<ContextType>;
  TicketPayload?: TicketPayloadResolvers<ContextType>;
  TicketRefund?: TicketRefundResolvers<ContextType>;
  TicketSatisfaction?: TicketSatisfactionResolvers<ContextType>;
  UserError?: UserErrorResolvers<ContextType>;
}>;

export type DirectiveResolvers<ContextType = Context> = ResolversObject<{
  cacheControl?: CacheControlDirectiveResolver<any, any, ContextType>;
}>;
