import { allow, isAdmin, isAuthenticated, type IRules } from '@commerce/platform';

/**
 * graphql-shield rules; anything not listed is denied (buildPermissions' fallback).
 * Customer.email and Customer.roles are further limited to the customer themself or an admin in
 * their resolvers.
 */
export const permissions: IRules = {
  Query: {
    me: isAuthenticated,
    customer: isAdmin,
    partner: isAdmin,
    partners: isAdmin,
  },
  Mutation: {
    signUp: allow,
    logIn: allow,
    changePassword: isAuthenticated,
    requestPasswordReset: allow,
    resetPassword: allow,
    requestEmailVerification: isAuthenticated,
    verifyEmail: isAuthenticated,
    createPartner: isAdmin,
    createApiKey: isAdmin,
    revokeApiKey: isAdmin,
    publishPersistedQueries: isAdmin,
    grantRole: isAdmin,
    revokeRole: isAdmin,
    createOAuthClient: isAdmin,
    deleteOAuthClient: isAdmin,
    logOut: isAuthenticated,
    logOutEverywhere: isAuthenticated,
  },
  Customer: allow,
  AuthPayload: allow,
  CodeRequestPayload: allow,
  VerifyEmailPayload: allow,
  UserError: allow,
  // reachable only through the admin-only fields above
  Partner: allow,
  ApiKey: allow,
  PartnerConnection: allow,
  PageInfo: allow,
  CreatePartnerPayload: allow,
  RevokeApiKeyPayload: allow,
  PublishPersistedQueriesPayload: allow,
  RoleChangePayload: allow,
  OAuthClient: allow,
  CreateOAuthClientPayload: allow,
  DeleteOAuthClientPayload: allow,
  LogOutPayload: allow,
};
