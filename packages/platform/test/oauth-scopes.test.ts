import { describe, expect, it } from 'vitest';
import { DOMAIN_SCOPES, isDomainScope, missingScopes, parseScope, scopeFor } from '../src/oauth-scopes.ts';

describe('OAuth domain scopes', () => {
  it('are <domain>:read and <domain>:write for every domain', () => {
    expect(DOMAIN_SCOPES).toContain('catalog:read');
    expect(DOMAIN_SCOPES).toContain('webhooks:write');
    expect(isDomainScope('catalog:delete')).toBe(false);
    expect(isDomainScope('openid')).toBe(false);
    expect(scopeFor('orders', 'write')).toBe('orders:write');
  });

  it('parses the space-separated scope claim', () => {
    expect([...parseScope('catalog:read  orders:read')]).toEqual(['catalog:read', 'orders:read']);
    expect(parseScope(undefined).size).toBe(0);
    expect(parseScope(42).size).toBe(0);
  });

  it('lists what an operation lacks; write grants read, read never grants write', () => {
    const granted = parseScope('catalog:read reviews:write');
    expect(missingScopes(granted, [{ domain: 'catalog', access: 'read' }])).toEqual([]);
    expect(missingScopes(granted, [{ domain: 'reviews', access: 'read' }])).toEqual([]);
    expect(missingScopes(granted, [{ domain: 'catalog', access: 'write' }])).toEqual(['catalog:write']);
    expect(
      missingScopes(granted, [
        { domain: 'orders', access: 'read' },
        { domain: 'customers', access: 'read' },
        { domain: 'orders', access: 'read' },
      ]),
    ).toEqual(['customers:read', 'orders:read']);
  });
});
