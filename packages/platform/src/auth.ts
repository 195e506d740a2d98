import { allow, deny, rule, shield } from 'graphql-shield';
import type { IRules } from 'graphql-shield';
import type { GraphQLSchema } from 'graphql';
import { forbidden, unauthenticated } from './errors.ts';
import type { Identity } from './trust.ts';

export { allow, deny, and, or, not, rule } from 'graphql-shield';
export type { IRules } from 'graphql-shield';

/** The identity fields every resolver context carries. */
export interface AuthContext {
  user: Identity | null;
}

export const isAuthenticated = rule({ cache: 'contextual' })((_p, _a, ctx: AuthContext) => (ctx.user ? true : unauthenticated()));

export const isAdmin = rule({ cache: 'contextual' })((_p, _a, ctx: AuthContext) => {
  if (!ctx.user) return unauthenticated();
  return ctx.user.roles.includes('ADMIN') ? true : forbidden('This operation needs the ADMIN role');
});

/** Whether a caller may do support work: a SUPPORT_AGENT, or an ADMIN (who may do everything). */
export function isAgent(user: Identity | null): boolean {
  return !!user && (user.roles.includes('SUPPORT_AGENT') || user.roles.includes('ADMIN'));
}

/** Support operations: SUPPORT_AGENT or ADMIN; UNAUTHENTICATED without an identity, FORBIDDEN otherwise. */
export const isSupportAgent = rule({ cache: 'contextual' })((_p, _a, ctx: AuthContext) => {
  if (!ctx.user) return unauthenticated();
  return isAgent(ctx.user) ? true : forbidden('This operation needs the SUPPORT_AGENT role');
});

/**
 * graphql-shield with deny as the fallback: a type or field nobody opened is closed. Federation's
 * own fields are opened here (the router-only gate in front of every subgraph protects them).
 */
export function buildPermissions(rules: IRules, schema: GraphQLSchema) {
  const r = rules as Record<string, unknown>;
  const query = (r.Query ?? {}) as Record<string, unknown>;
  // `_entities` exists only in a subgraph that declares at least one entity
  const federation = schema.getQueryType()?.getFields()._entities ? { _service: allow, _entities: allow } : { _service: allow };
  return shield(
    {
      ...r,
      Query: { ...query, ...federation },
      _Service: allow,
    } as IRules,
    {
      fallbackRule: deny,
      fallbackError: () => forbidden('Not allowed'),
      // resolver errors (validation, not found…) pass through unchanged instead of being hidden
      allowExternalErrors: true,
    },
  );
}
