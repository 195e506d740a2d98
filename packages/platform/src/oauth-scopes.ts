/**
 * OAuth 2.0 scopes of the API (issue 13), shared by the customers service (its OAuth provider
 * grants them) and the router (which enforces them).
 *
 * A scope is `<domain>:read` or `<domain>:write`, the domain being the subgraph that owns a root
 * field: an operation's query fields need `<owner>:read`, its mutation fields `<owner>:write`
 * (`catalog:read` lets a partner run `products`, `product`, `categories`…). The router reads the
 * owner of every root field from the supergraph, so a new field is covered the day it is
 * composed; a new subgraph must be added to API_DOMAINS (the router's tests check that every
 * subgraph of the supergraph is).
 *
 * Scopes restrict client-credentials tokens (partners). Tokens that act for a customer (the
 * authorization-code flow, scope `commerce`) carry the customer's roles instead and are not
 * restricted by domain: they may do what the customer may do, as a log-in through GraphQL.
 */
export const API_DOMAINS = [
  'analytics',
  'cart',
  'catalog',
  'customers',
  'inventory',
  'orders',
  'payments',
  'recommendations',
  'reviews',
  'support',
  'webhooks',
] as const;
export type ApiDomain = (typeof API_DOMAINS)[number];

/** The scope of a customer's own tokens: act as the customer (roles decide the rest). */
export const CUSTOMER_SCOPE = 'commerce';

/** The resource (RFC 8707) every access token of the API is for: its `aud`. */
export const API_RESOURCE = 'urn:commerce:graphql';

export type ScopeAccess = 'read' | 'write';

export function scopeFor(domain: string, access: ScopeAccess): string {
  return `${domain}:${access}`;
}

/** Every domain scope, `analytics:read` … `webhooks:write`. */
export const DOMAIN_SCOPES: readonly string[] = API_DOMAINS.flatMap((d) => [scopeFor(d, 'read'), scopeFor(d, 'write')]);

const DOMAIN_SCOPE_SET: ReadonlySet<string> = new Set(DOMAIN_SCOPES);
export function isDomainScope(scope: string): boolean {
  return DOMAIN_SCOPE_SET.has(scope);
}

/** A token's `scope` claim (space-separated, RFC 6749 §3.3) as a set. */
export function parseScope(claim: unknown): Set<string> {
  return new Set(typeof claim === 'string' ? claim.split(' ').filter(Boolean) : []);
}

/**
 * The scopes an operation lacks: for each root field, its owner's scope for the operation kind
 * (`write` also grants `read`: a client that may change a domain may read it).
 */
export function missingScopes(granted: ReadonlySet<string>, needs: Iterable<{ domain: string; access: ScopeAccess }>): string[] {
  const missing = new Set<string>();
  for (const { domain, access } of needs) {
    const ok = granted.has(scopeFor(domain, access)) || (access === 'read' && granted.has(scopeFor(domain, 'write')));
    if (!ok) missing.add(scopeFor(domain, access));
  }
  return [...missing].sort();
}
