import type { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import type { PartnerView } from '../resolvers/partner.mapper.ts';
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

/** The userErrors codes of changePassword, requestPasswordReset, resetPassword, requestEmailVerification and verifyEmail. */
export type AccountErrorCode =
  /** The account was being changed concurrently and the change did not go through; try again. */
  | 'CONFLICT'
  /** The email is verified already (requestEmailVerification): no code is sent. */
  | 'EMAIL_ALREADY_VERIFIED'
  /** The code is wrong, expired, already used, replaced by a newer one, or burnt by too many wrong tries; request a new one. */
  | 'INVALID_CODE'
  /** The current password is wrong (changePassword). */
  | 'INVALID_CREDENTIALS'
  /** Not an email address (requestPasswordReset). */
  | 'INVALID_EMAIL'
  /** The new password has more than 128 characters. */
  | 'PASSWORD_TOO_LONG'
  /** The new password has fewer than 8 characters. */
  | 'PASSWORD_TOO_SHORT'
  /** Too many failed attempts or mailed codes for this account or address; the message says when to try again. */
  | 'TOO_MANY_ATTEMPTS';

/** One API key of a partner: its id and first characters, never the key. */
export type ApiKey = {
  __typename?: 'ApiKey';
  /** When the key was issued. */
  createdAt: Scalars['DateTime']['output'];
  /** Key id (key_…), what revokeApiKey takes. */
  id: Scalars['ID']['output'];
  /** The first 10 characters of the key, to tell keys apart. */
  prefix: Scalars['String']['output'];
  /** When the key was revoked; null while it is active. */
  revokedAt?: Maybe<Scalars['DateTime']['output']>;
};

/** The outcome of signUp or logIn: an access token and the customer, or the userErrors that explain why not. */
export type AuthPayload = {
  __typename?: 'AuthPayload';
  /** RS256 JWT to send as `Authorization: Bearer <token>`; null when userErrors is not empty. */
  accessToken?: Maybe<Scalars['String']['output']>;
  /** The signed-up or logged-in customer; null when userErrors is not empty. */
  customer?: Maybe<Customer>;
  /** Why the operation did not succeed; empty on success. */
  userErrors: Array<UserError>;
};

/** Who may cache a response (Apollo cache control): PUBLIC for anyone, PRIVATE for one user only. */
export type CacheControlScope =
  /** Only the requesting user's own cache; the router never caches it. */
  | 'PRIVATE'
  /** Any cache may keep it (CDN, the router's response cache). */
  | 'PUBLIC';

/** The outcome of requestPasswordReset or requestEmailVerification. requestPasswordReset answers the same whether or not an account has the email. */
export type CodeRequestPayload = {
  __typename?: 'CodeRequestPayload';
  /** True when the request was taken: a code is mailed (for requestPasswordReset: if an account has the email); false when userErrors is not empty. */
  accepted: Scalars['Boolean']['output'];
  /** How long a mailed code stays valid, in seconds; it can be used once, and a newer code replaces it. */
  expiresInSeconds: Scalars['Int']['output'];
  /** Why the request was refused (codes: AccountErrorCode INVALID_EMAIL, TOO_MANY_ATTEMPTS, EMAIL_ALREADY_VERIFIED); empty on success. */
  userErrors: Array<UserError>;
};

/** The outcome of createOAuthClient. */
export type CreateOAuthClientPayload = {
  __typename?: 'CreateOAuthClientPayload';
  /** The new client; null when userErrors is not empty. */
  client?: Maybe<OAuthClient>;
  /** The client secret (ocs_…), for HTTP Basic authentication at the token endpoint. Shown only in this response. */
  clientSecret?: Maybe<Scalars['String']['output']>;
  /** Why the client was not created (codes: PARTNER_NOT_FOUND, INVALID_SCOPE, INVALID_NAME, TOO_MANY_CLIENTS); empty on success. */
  userErrors: Array<UserError>;
};

/** The outcome of createPartner or createApiKey. */
export type CreatePartnerPayload = {
  __typename?: 'CreatePartnerPayload';
  /** The new API key (send it as `x-api-key`). Shown only in this response; it is stored hashed. */
  apiKey?: Maybe<Scalars['String']['output']>;
  /** The partner; null when userErrors is not empty. */
  partner?: Maybe<Partner>;
  /** Why the operation did not succeed; empty on success. */
  userErrors: Array<UserError>;
};

/** A registered customer account. */
export type Customer = {
  __typename?: 'Customer';
  /** When the account was created. */
  createdAt: Scalars['DateTime']['output'];
  /** Login email, lower-cased; readable only by the customer themself or an admin (FORBIDDEN otherwise). */
  email: Scalars['String']['output'];
  /** Whether the customer proved they receive mail at this email (verifyEmail, or a password reset); readable only by the customer themself or an admin (FORBIDDEN otherwise). */
  emailVerified: Scalars['Boolean']['output'];
  /** When the email was verified; null while it is not. Readable only by the customer themself or an admin (FORBIDDEN otherwise). */
  emailVerifiedAt?: Maybe<Scalars['DateTime']['output']>;
  /** Opaque customer id (cust_…). */
  id: Scalars['ID']['output'];
  /** Display name. */
  name: Scalars['String']['output'];
  /** What the account may do; readable only by the customer themself or an admin (FORBIDDEN otherwise). Access tokens carry the roles the account had at log-in. */
  roles: Array<Role>;
};

/** The outcome of deleteOAuthClient. */
export type DeleteOAuthClientPayload = {
  __typename?: 'DeleteOAuthClientPayload';
  /** Whether a client was deleted (false when the partner has no such client). */
  deleted: Scalars['Boolean']['output'];
  /** Why the operation did not succeed; empty on success. */
  userErrors: Array<UserError>;
};

/** The outcome of logOut or logOutEverywhere. */
export type LogOutPayload = {
  __typename?: 'LogOutPayload';
  /** Whether the session(s) ended: from the next request on, their access tokens are refused (401 UNAUTHENTICATED) and their refresh tokens too. */
  ok: Scalars['Boolean']['output'];
  /** Why the operation did not succeed; empty on success. */
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

/** Account mutations. */
export type Mutation = {
  __typename?: 'Mutation';
  /** Changes the signed-in customer's password and answers a new access token; the account's other sessions are ended. userErrors codes (AccountErrorCode): INVALID_CREDENTIALS (wrong current password, counted by the log-in throttle), TOO_MANY_ATTEMPTS, PASSWORD_TOO_SHORT, PASSWORD_TOO_LONG. */
  changePassword: AuthPayload;
  /** Issues another API key for a partner, for rotation (ADMIN only; at most 5 active keys, else TOO_MANY_KEYS). */
  createApiKey: CreatePartnerPayload;
  /** Creates an OAuth 2.0 client for a partner with the given scopes (ADMIN only); the secret is shown once. At most 5 per partner. */
  createOAuthClient: CreateOAuthClientPayload;
  /** Creates a partner and its first API key (ADMIN only). Name taken → userErrors code NAME_TAKEN. */
  createPartner: CreatePartnerPayload;
  /** Deletes a partner's OAuth client (ADMIN only): it gets no more tokens, and the router refuses the ones it has from the next request on. */
  deleteOAuthClient: DeleteOAuthClientPayload;
  /** Grants a role to a customer (ADMIN only); granting a role the customer has changes nothing. Their access tokens carry it from their next log-in. userErrors code: CUSTOMER_NOT_FOUND. */
  grantRole: RoleChangePayload;
  /** Exchanges email and password for an access token. Unknown email or wrong password → userErrors code INVALID_CREDENTIALS. */
  logIn: AuthPayload;
  /** Ends the session of the caller's access token (a log-in, or an OAuth grant with its refresh tokens). The token is refused from the next request on, on every router. */
  logOut: LogOutPayload;
  /** Ends every session of the caller's account: every access and refresh token issued until now, and the provider's browser log-ins. */
  logOutEverywhere: LogOutPayload;
  /** Replaces a partner's safelist with the operations of a manifest in Apollo's apollo-persisted-query-manifest JSON format (ADMIN only). */
  publishPersistedQueries: PublishPersistedQueriesPayload;
  /** Mails the signed-in customer a single-use email-verification code (valid EMAIL_VERIFICATION_TTL, 24 hours by default); sign-up sends one too, and a new request replaces the previous code. userErrors codes (AccountErrorCode): EMAIL_ALREADY_VERIFIED, TOO_MANY_ATTEMPTS. */
  requestEmailVerification: CodeRequestPayload;
  /** Mails a single-use password-reset code (valid PASSWORD_RESET_TTL, 15 minutes by default) to the account with this email; a new request replaces the previous code. Answers the same whether or not an account has the email. userErrors codes (AccountErrorCode): INVALID_EMAIL, TOO_MANY_ATTEMPTS. */
  requestPasswordReset: CodeRequestPayload;
  /** Sets a new password with a code from requestPasswordReset and logs the account in; the account's other sessions are ended and its email counts as verified. userErrors codes (AccountErrorCode): INVALID_CODE (wrong, expired, used or replaced; 5 wrong tries burn a code), PASSWORD_TOO_SHORT, PASSWORD_TOO_LONG, CONFLICT. */
  resetPassword: AuthPayload;
  /** Revokes one API key of a partner, or all of them when keyId is omitted (ADMIN only). Takes effect on the next request. */
  revokeApiKey: RevokeApiKeyPayload;
  /** Revokes a role of a customer (ADMIN only); revoking a role the customer lacks changes nothing. Tokens issued before keep the role until they expire; the next log-in drops it. userErrors codes: CUSTOMER_NOT_FOUND, CUSTOMER_ROLE_REQUIRED, CANNOT_REVOKE_OWN_ADMIN. */
  revokeRole: RoleChangePayload;
  /** Creates an account and logs it in. Duplicate email → userErrors code EMAIL_TAKEN. */
  signUp: AuthPayload;
  /** Marks the signed-in customer's email verified with a code from sign-up or requestEmailVerification. userErrors codes (AccountErrorCode): INVALID_CODE (wrong, expired, used or replaced; 5 wrong tries burn a code), CONFLICT. */
  verifyEmail: VerifyEmailPayload;
};


/** Account mutations. */
export type MutationChangePasswordArgs = {
  currentPassword: Scalars['String']['input'];
  newPassword: Scalars['String']['input'];
};


/** Account mutations. */
export type MutationCreateApiKeyArgs = {
  partnerId: Scalars['ID']['input'];
};


/** Account mutations. */
export type MutationCreateOAuthClientArgs = {
  name: Scalars['String']['input'];
  partnerId: Scalars['ID']['input'];
  scopes: Array<Scalars['String']['input']>;
};


/** Account mutations. */
export type MutationCreatePartnerArgs = {
  name: Scalars['String']['input'];
};


/** Account mutations. */
export type MutationDeleteOAuthClientArgs = {
  clientId: Scalars['ID']['input'];
  partnerId: Scalars['ID']['input'];
};


/** Account mutations. */
export type MutationGrantRoleArgs = {
  customerId: Scalars['ID']['input'];
  role: Role;
};


/** Account mutations. */
export type MutationLogInArgs = {
  email: Scalars['String']['input'];
  password: Scalars['String']['input'];
};


/** Account mutations. */
export type MutationPublishPersistedQueriesArgs = {
  manifest: Scalars['String']['input'];
  partnerId: Scalars['ID']['input'];
};


/** Account mutations. */
export type MutationRequestPasswordResetArgs = {
  email: Scalars['String']['input'];
};


/** Account mutations. */
export type MutationResetPasswordArgs = {
  code: Scalars['String']['input'];
  email: Scalars['String']['input'];
  newPassword: Scalars['String']['input'];
};


/** Account mutations. */
export type MutationRevokeApiKeyArgs = {
  keyId?: InputMaybe<Scalars['ID']['input']>;
  partnerId: Scalars['ID']['input'];
};


/** Account mutations. */
export type MutationRevokeRoleArgs = {
  customerId: Scalars['ID']['input'];
  role: Role;
};


/** Account mutations. */
export type MutationSignUpArgs = {
  input: SignUpInput;
};


/** Account mutations. */
export type MutationVerifyEmailArgs = {
  code: Scalars['String']['input'];
};

/** A partner's OAuth 2.0 client: it gets access tokens with the client-credentials grant at the provider's token endpoint (see the README, Partners: OAuth 2.0). */
export type OAuthClient = {
  __typename?: 'OAuthClient';
  /** The client id (oc_…), what the token endpoint takes as client_id. */
  clientId: Scalars['ID']['output'];
  /** When the client was created. */
  createdAt: Scalars['DateTime']['output'];
  /** Display name, 1 to 100 characters. */
  name: Scalars['String']['output'];
  /** The scopes the client may ask for, each `<domain>:read` or `<domain>:write` (e.g. catalog:read): an operation needs the scope of the domain that owns each of its root fields. */
  scopes: Array<Scalars['String']['output']>;
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

/** An API client with its own keys and its own persisted-query safelist (admin only). */
export type Partner = {
  __typename?: 'Partner';
  /** The partner's API keys, active and revoked; the keys themselves are never shown again. */
  apiKeys: Array<ApiKey>;
  /** When the partner was created. */
  createdAt: Scalars['DateTime']['output'];
  /** Opaque partner id (ptnr_…). */
  id: Scalars['ID']['output'];
  /** When the current manifest was published; null before the first publication. */
  manifestPublishedAt?: Maybe<Scalars['DateTime']['output']>;
  /** Display name, unique (case-insensitive). */
  name: Scalars['String']['output'];
  /** The partner's OAuth 2.0 clients (client credentials), oldest first; their secrets are never shown again. */
  oauthClients: Array<OAuthClient>;
  /** How many operations the partner's published manifest holds (its safelist). */
  operationCount: Scalars['Int']['output'];
};

/** A page of partners, newest first. */
export type PartnerConnection = {
  __typename?: 'PartnerConnection';
  /** The partners of this page. */
  nodes: Array<Partner>;
  /** Where this page is; pass endCursor as `after` for the next one. */
  pageInfo: PageInfo;
};

/** The outcome of publishPersistedQueries. */
export type PublishPersistedQueriesPayload = {
  __typename?: 'PublishPersistedQueriesPayload';
  /** How many operations the partner's safelist now holds (0 when userErrors is not empty). */
  operationCount: Scalars['Int']['output'];
  /** The partner; null when userErrors is not empty. */
  partner?: Maybe<Partner>;
  /** Why the manifest was refused (code INVALID_MANIFEST, field path into the manifest); empty on success. */
  userErrors: Array<UserError>;
};

/** Account queries. */
export type Query = {
  __typename?: 'Query';
  /** One customer by id, null when unknown (ADMIN only). */
  customer?: Maybe<Customer>;
  /** The customer of the caller's access token (UNAUTHENTICATED without one). */
  me?: Maybe<Customer>;
  /** One partner by id, null when unknown (ADMIN only). */
  partner?: Maybe<Partner>;
  /** Partners, newest first (ADMIN only). */
  partners: PartnerConnection;
};


/** Account queries. */
export type QueryCustomerArgs = {
  id: Scalars['ID']['input'];
};


/** Account queries. */
export type QueryPartnerArgs = {
  id: Scalars['ID']['input'];
};


/** Account queries. */
export type QueryPartnersArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: Scalars['Int']['input'];
};

/** The outcome of revokeApiKey. */
export type RevokeApiKeyPayload = {
  __typename?: 'RevokeApiKeyPayload';
  /** The partner with the key revoked; null when userErrors is not empty. */
  partner?: Maybe<Partner>;
  /** Why the operation did not succeed; empty on success. */
  userErrors: Array<UserError>;
};

/** What an account may do. Access tokens carry the roles the account had when it logged in. */
export type Role =
  /** Back office: catalog, stock, partners, customers and their roles; may also do everything a SUPPORT_AGENT may. */
  | 'ADMIN'
  /** Every account has it: shopping, its own cart, orders and account. It cannot be revoked. */
  | 'CUSTOMER'
  /** Customer support: the support operations, on behalf of customers; granted and revoked by an admin. */
  | 'SUPPORT_AGENT';

/** The userErrors codes of grantRole and revokeRole. */
export type RoleChangeErrorCode =
  /** An admin cannot revoke their own ADMIN role (another admin can), so nobody locks themself out of the back office. */
  | 'CANNOT_REVOKE_OWN_ADMIN'
  /** The customer was being changed concurrently and the change did not go through; try again. */
  | 'CONFLICT'
  /** No customer with this id. */
  | 'CUSTOMER_NOT_FOUND'
  /** CUSTOMER comes with every account and cannot be revoked. */
  | 'CUSTOMER_ROLE_REQUIRED';

/** The outcome of grantRole or revokeRole. */
export type RoleChangePayload = {
  __typename?: 'RoleChangePayload';
  /** The customer with their roles after the change; null when userErrors is not empty. */
  customer?: Maybe<Customer>;
  /** Why the roles were not changed (codes: RoleChangeErrorCode); empty on success. */
  userErrors: Array<UserError>;
};

/** What a new account needs. */
export type SignUpInput = {
  /** Email address (at most 254 characters); stored trimmed and lower-cased, unique per account. */
  email: Scalars['String']['input'];
  /** Display name, 1 to 100 characters. */
  name: Scalars['String']['input'];
  /** Password, 8 to 128 characters. */
  password: Scalars['String']['input'];
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

/** The outcome of verifyEmail. */
export type VerifyEmailPayload = {
  __typename?: 'VerifyEmailPayload';
  /** The customer with emailVerified true; null when userErrors is not empty. */
  customer?: Maybe<Customer>;
  /** Why the email was not verified (codes: AccountErrorCode INVALID_CODE, CONFLICT); empty on success. */
  userErrors: Array<UserError>;
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
}>;

/** Mapping of federation reference types */
export type FederationReferenceTypes = ResolversObject<{
  Customer:
    ( { __typename: 'Customer' }
    & GraphQLRecursivePick<FederationTypes['Customer'], {"id":true}> );
}>;



/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = ResolversObject<{
  AccountErrorCode: AccountErrorCode;
  ApiKey: ResolverTypeWrapper<ApiKey>;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  AuthPayload: ResolverTypeWrapper<AuthPayload>;
  CacheControlScope: CacheControlScope;
  CodeRequestPayload: ResolverTypeWrapper<CodeRequestPayload>;
  CreateOAuthClientPayload: ResolverTypeWrapper<CreateOAuthClientPayload>;
  CreatePartnerPayload: ResolverTypeWrapper<Omit<CreatePartnerPayload, 'partner'> & { partner?: Maybe<ResolversTypes['Partner']> }>;
  Customer: ResolverTypeWrapper<Customer>;
  DateTime: ResolverTypeWrapper<Scalars['DateTime']['output']>;
  DeleteOAuthClientPayload: ResolverTypeWrapper<DeleteOAuthClientPayload>;
  LogOutPayload: ResolverTypeWrapper<LogOutPayload>;
  Money: ResolverTypeWrapper<Money>;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  OAuthClient: ResolverTypeWrapper<OAuthClient>;
  PageInfo: ResolverTypeWrapper<PageInfo>;
  Partner: ResolverTypeWrapper<PartnerView>;
  PartnerConnection: ResolverTypeWrapper<Omit<PartnerConnection, 'nodes'> & { nodes: Array<ResolversTypes['Partner']> }>;
  PublishPersistedQueriesPayload: ResolverTypeWrapper<Omit<PublishPersistedQueriesPayload, 'partner'> & { partner?: Maybe<ResolversTypes['Partner']> }>;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  RevokeApiKeyPayload: ResolverTypeWrapper<Omit<RevokeApiKeyPayload, 'partner'> & { partner?: Maybe<ResolversTypes['Partner']> }>;
  Role: Role;
  RoleChangeErrorCode: RoleChangeErrorCode;
  RoleChangePayload: ResolverTypeWrapper<RoleChangePayload>;
  SignUpInput: SignUpInput;
  UserError: ResolverTypeWrapper<UserError>;
  VerifyEmailPayload: ResolverTypeWrapper<VerifyEmailPayload>;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
}>;

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = ResolversObject<{
  ApiKey: ApiKey;
  ID: Scalars['ID']['output'];
  String: Scalars['String']['output'];
  AuthPayload: AuthPayload;
  CodeRequestPayload: CodeRequestPayload;
  CreateOAuthClientPayload: CreateOAuthClientPayload;
  CreatePartnerPayload: Omit<CreatePartnerPayload, 'partner'> & { partner?: Maybe<ResolversParentTypes['Partner']> };
  Customer: Customer | FederationReferenceTypes['Customer'];
  DateTime: Scalars['DateTime']['output'];
  DeleteOAuthClientPayload: DeleteOAuthClientPayload;
  LogOutPayload: LogOutPayload;
  Money: Money;
  Mutation: Record<PropertyKey, never>;
  OAuthClient: OAuthClient;
  PageInfo: PageInfo;
  Partner: PartnerView;
  PartnerConnection: Omit<PartnerConnection, 'nodes'> & { nodes: Array<ResolversParentTypes['Partner']> };
  PublishPersistedQueriesPayload: Omit<PublishPersistedQueriesPayload, 'partner'> & { partner?: Maybe<ResolversParentTypes['Partner']> };
  Query: Record<PropertyKey, never>;
  RevokeApiKeyPayload: Omit<RevokeApiKeyPayload, 'partner'> & { partner?: Maybe<ResolversParentTypes['Partner']> };
  RoleChangePayload: RoleChangePayload;
  SignUpInput: SignUpInput;
  UserError: UserError;
  VerifyEmailPayload: VerifyEmailPayload;
  Boolean: Scalars['Boolean']['output'];
  Int: Scalars['Int']['output'];
}>;

export type CacheControlDirectiveArgs = {
  inheritMaxAge?: Maybe<Scalars['Boolean']['input']>;
  maxAge?: Maybe<Scalars['Int']['input']>;
  scope?: Maybe<CacheControlScope>;
};

export type CacheControlDirectiveResolver<Result, Parent, ContextType = Context, Args = CacheControlDirectiveArgs> = DirectiveResolverFn<Result, Parent, ContextType, Args>;

export type ApiKeyResolvers<ContextType = Context, ParentType extends ResolversParentTypes['ApiKey'] = ResolversParentTypes['ApiKey']> = ResolversObject<{
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  prefix?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  revokedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
}>;

export type AuthPayloadResolvers<ContextType = Context, ParentType extends ResolversParentTypes['AuthPayload'] = ResolversParentTypes['AuthPayload']> = ResolversObject<{
  accessToken?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  customer?: Resolver<Maybe<ResolversTypes['Customer']>, ParentType, ContextType>;
  userErrors?: Resolver<Array<ResolversTypes['UserError']>, ParentType, ContextType>;
}>;

export type CodeRequestPayloadResolvers<ContextType = Context, ParentType extends ResolversParentTypes['CodeRequestPayload'] = ResolversParentTypes['CodeRequestPayload']> = ResolversObject<{
  accepted?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  expiresInSeconds?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  userErrors?: Resolver<Array<ResolversTypes['UserError']>, ParentType, ContextType>;
}>;

export type CreateOAuthClientPayloadResolvers<ContextType = Context, ParentType extends ResolversParentTypes['CreateOAuthClientPayload'] = ResolversParentTypes['CreateOAuthClientPayload']> = ResolversObject<{
  client?: Resolver<Maybe<ResolversTypes['OAuthClient']>, ParentType, ContextType>;
  clientSecret?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  userErrors?: Resolver<Array<ResolversTypes['UserError']>, ParentType, ContextType>;
}>;

export type CreatePartnerPayloadResolvers<ContextType = Context, ParentType extends ResolversParentTypes['CreatePartnerPayload'] = ResolversParentTypes['CreatePartnerPayload']> = ResolversObject<{
  apiKey?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  partner?: Resolver<Maybe<ResolversTypes['Partner']>, ParentType, ContextType>;
  userErrors?: Resolver<Array<ResolversTypes['UserError']>, ParentType, ContextType>;
}>;

export type CustomerResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Customer'] = ResolversParentTypes['Customer'], FederationReferenceType extends FederationReferenceTypes['Customer'] = FederationReferenceTypes['Customer']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Customer']> | FederationReferenceType, FederationReferenceType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  email?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  emailVerified?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  emailVerifiedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  roles?: Resolver<Array<ResolversTypes['Role']>, ParentType, ContextType>;
}>;

export interface DateTimeScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['DateTime'], any> {
  name: 'DateTime';
}

export type DeleteOAuthClientPayloadResolvers<ContextType = Context, ParentType extends ResolversParentTypes['DeleteOAuthClientPayload'] = ResolversParentTypes['DeleteOAuthClientPayload']> = ResolversObject<{
  deleted?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  userErrors?: Resolver<Array<ResolversTypes['UserError']>, ParentType, ContextType>;
}>;

export type LogOutPayloadResolvers<ContextType = Context, ParentType extends ResolversParentTypes['LogOutPayload'] = ResolversParentTypes['LogOutPayload']> = ResolversObject<{
  ok?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  userErrors?: Resolver<Array<ResolversTypes['UserError']>, ParentType, ContextType>;
}>;

export type MoneyResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Money'] = ResolversParentTypes['Money']> = ResolversObject<{
  amount?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  currencyCode?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type MutationResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = ResolversObject<{
  changePassword?: Resolver<ResolversTypes['AuthPayload'], ParentType, ContextType, RequireFields<MutationChangePasswordArgs, 'currentPassword' | 'newPassword'>>;
  createApiKey?: Resolver<ResolversTypes['CreatePartnerPayload'], ParentType, ContextType, RequireFields<MutationCreateApiKeyArgs, 'partnerId'>>;
  createOAuthClient?: Resolver<ResolversTypes['CreateOAuthClientPayload'], ParentType, ContextType, RequireFields<MutationCreateOAuthClientArgs, 'name' | 'partnerId' | 'scopes'>>;
  createPartner?: Resolver<ResolversTypes['CreatePartnerPayload'], ParentType, ContextType, RequireFields<MutationCreatePartnerArgs, 'name'>>;
  deleteOAuthClient?: Resolver<ResolversTypes['DeleteOAuthClientPayload'], ParentType, ContextType, RequireFields<MutationDeleteOAuthClientArgs, 'clientId' | 'partnerId'>>;
  grantRole?: Resolver<ResolversTypes['RoleChangePayload'], ParentType, ContextType, RequireFields<MutationGrantRoleArgs, 'customerId' | 'role'>>;
  logIn?: Resolver<ResolversTypes['AuthPayload'], ParentType, ContextType, RequireFields<MutationLogInArgs, 'email' | 'password'>>;
  logOut?: Resolver<ResolversTypes['LogOutPayload'], ParentType, ContextType>;
  logOutEverywhere?: Resolver<ResolversTypes['LogOutPayload'], ParentType, ContextType>;
  publishPersistedQueries?: Resolver<ResolversTypes['PublishPersistedQueriesPayload'], ParentType, ContextType, RequireFields<MutationPublishPersistedQueriesArgs, 'manifest' | 'partnerId'>>;
  requestEmailVerification?: Resolver<ResolversTypes['CodeRequestPayload'], ParentType, ContextType>;
  requestPasswordReset?: Resolver<ResolversTypes['CodeRequestPayload'], ParentType, ContextType, RequireFields<MutationRequestPasswordResetArgs, 'email'>>;
  resetPassword?: Resolver<ResolversTypes['AuthPayload'], ParentType, ContextType, RequireFields<MutationResetPasswordArgs, 'code' | 'email' | 'newPassword'>>;
  revokeApiKey?: Resolver<ResolversTypes['RevokeApiKeyPayload'], ParentType, ContextType, RequireFields<MutationRevokeApiKeyArgs, 'partnerId'>>;
  revokeRole?: Resolver<ResolversTypes['RoleChangePayload'], ParentType, ContextType, RequireFields<MutationRevokeRoleArgs, 'customerId' | 'role'>>;
  signUp?: Resolver<ResolversTypes['AuthPayload'], ParentType, ContextType, RequireFields<MutationSignUpArgs, 'input'>>;
  verifyEmail?: Resolver<ResolversTypes['VerifyEmailPayload'], ParentType, ContextType, RequireFields<MutationVerifyEmailArgs, 'code'>>;
}>;

export type OAuthClientResolvers<ContextType = Context, ParentType extends ResolversParentTypes['OAuthClient'] = ResolversParentTypes['OAuthClient']> = ResolversObject<{
  clientId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  scopes?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
}>;

export type PageInfoResolvers<ContextType = Context, ParentType extends ResolversParentTypes['PageInfo'] = ResolversParentTypes['PageInfo']> = ResolversObject<{
  endCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  hasNextPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  hasPreviousPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  startCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
}>;

export type PartnerResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Partner'] = ResolversParentTypes['Partner']> = ResolversObject<{
  apiKeys?: Resolver<Array<ResolversTypes['ApiKey']>, ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  manifestPublishedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  oauthClients?: Resolver<Array<ResolversTypes['OAuthClient']>, ParentType, ContextType>;
  operationCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type PartnerConnectionResolvers<ContextType = Context, ParentType extends ResolversParentTypes['PartnerConnection'] = ResolversParentTypes['PartnerConnection']> = ResolversObject<{
  nodes?: Resolver<Array<ResolversTypes['Partner']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
}>;

export type PublishPersistedQueriesPayloadResolvers<ContextType = Context, ParentType extends ResolversParentTypes['PublishPersistedQueriesPayload'] = ResolversParentTypes['PublishPersistedQueriesPayload']> = ResolversObject<{
  operationCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  partner?: Resolver<Maybe<ResolversTypes['Partner']>, ParentType, ContextType>;
  userErrors?: Resolver<Array<ResolversTypes['UserError']>, ParentType, ContextType>;
}>;

export type QueryResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = ResolversObject<{
  customer?: Resolver<Maybe<ResolversTypes['Customer']>, ParentType, ContextType, RequireFields<QueryCustomerArgs, 'id'>>;
  me?: Resolver<Maybe<ResolversTypes['Customer']>, ParentType, ContextType>;
  partner?: Resolver<Maybe<ResolversTypes['Partner']>, ParentType, ContextType, RequireFields<QueryPartnerArgs, 'id'>>;
  partners?: Resolver<ResolversTypes['PartnerConnection'], ParentType, ContextType, RequireFields<QueryPartnersArgs, 'first'>>;
}>;

export type RevokeApiKeyPayloadResolvers<ContextType = Context, ParentType extends ResolversParentTypes['RevokeApiKeyPayload'] = ResolversParentTypes['RevokeApiKeyPayload']> = ResolversObject<{
  partner?: Resolver<Maybe<ResolversTypes['Partner']>, ParentType, ContextType>;
  userErrors?: Resolver<Array<ResolversTypes['UserError']>, ParentType, ContextType>;
}>;

export type RoleChangePayloadResolvers<ContextType = Context, ParentType extends ResolversParentTypes['RoleChangePayload'] = ResolversParentTypes['RoleChangePayload']> = ResolversObject<{
  customer?: Resolver<Maybe<ResolversTypes['Customer']>, ParentType, ContextType>;
  userErrors?: Resolver<Array<ResolversTypes['UserError']>, ParentType, ContextType>;
}>;

export type UserErrorResolvers<ContextType = Context, ParentType extends ResolversParentTypes['UserError'] = ResolversParentTypes['UserError']> = ResolversObject<{
  code?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  field?: Resolver<Maybe<Array<ResolversTypes['String']>>, ParentType, ContextType>;
  message?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type VerifyEmailPayloadResolvers<ContextType = Context, ParentType extends ResolversParentTypes['VerifyEmailPayload'] = ResolversParentTypes['VerifyEmailPayload']> = ResolversObject<{
  customer?: Resolver<Maybe<ResolversTypes['Customer']>, ParentType, ContextType>;
  userErrors?: Resolver<Array<ResolversTypes['UserError']>, ParentType, ContextType>;
}>;

export type Resolvers<ContextType = Context> = ResolversObject<{
  ApiKey?: ApiKeyResolvers<ContextType>;
  AuthPayload?: AuthPayloadResolvers<ContextType>;
  CodeRequestPayload?: CodeRequestPayloadResolvers<ContextType>;
  CreateOAuthClientPayload?: CreateOAuthClientPayloadResolvers<ContextType>;
  CreatePartnerPayload?: CreatePartnerPayloadResolvers<ContextType>;
  Customer?: CustomerResolvers<ContextType>;
  DateTime?: GraphQLScalarType;
  DeleteOAuthClientPayload?: DeleteOAuthClientPayloadResolvers<ContextType>;
  LogOutPayload?: LogOutPayloadResolvers<ContextType>;
  Money?: MoneyResolvers<ContextType>;
  Mutation?: MutationResolvers<ContextType>;
  OAuthClient?: OAuthClientResolvers<ContextType>;
  PageInfo?: PageInfoResolvers<ContextType>;
  Partner?: PartnerResolvers<ContextType>;
  PartnerConnection?: PartnerConnectionResolvers<ContextType>;
  PublishPersistedQueriesPayload?: PublishPersistedQueriesPayloadResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  RevokeApiKeyPayload?: RevokeApiKeyPayloadResolvers<ContextType>;
  RoleChangePayload?: RoleChangePayloadResolvers<ContextType>;
  UserError?: UserErrorResolvers<ContextType>;
  VerifyEmailPayload?: VerifyEmailPayloadResolvers<ContextType>;
}>;

export type DirectiveResolvers<ContextType = Context> = ResolversObject<{
  cacheControl?: CacheControlDirectiveResolver<any, any, ContextType>;
}>;
