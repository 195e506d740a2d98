import { allow, isAdmin, isAuthenticated, type IRules } from '@commerce/platform';

/**
 * graphql-shield rules; anything not listed is denied (buildPermissions' fallback).
 * Customer.email is further limited to the customer themself or an admin in its resolver.
 */
export const permissions: IRules = {
  Query: {
    me: isAuthenticated,
    customer: isAdmin,
  },
  Mutation: {
    signUp: allow,
    logIn: allow,
  },
  Customer: allow,
  AuthPayload: allow,
  UserError: allow,
};
