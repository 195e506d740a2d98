import { HeaderMap } from '@apollo/server';
import { GraphQLError, Kind, type GraphQLErrorExtensions, parse, type DocumentNode, type FragmentDefinitionNode, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';
import { missingScopes, type ScopeAccess } from '@commerce/platform';
import type { RouterPlugin } from '../plugin.ts';

/**
 * The owner (subgraph name) of every Query and Mutation field of the supergraph, from its
 * `@join__field(graph:)` directives (a field several subgraphs resolve has several owners).
 */
export function rootFieldOwners(supergraphSdl: string): { query: Map<string, string[]>; mutation: Map<string, string[]> } {
  const doc = parse(supergraphSdl);
  const graphNames = new Map<string, string>();
  const out = { query: new Map<string, string[]>(), mutation: new Map<string, string[]>() };
  for (const def of doc.definitions) {
    if (def.kind === Kind.ENUM_TYPE_DEFINITION && def.name.value === 'join__Graph') {
      for (const v of def.values ?? []) {
        const name = v.directives?.find((d) => d.name.value === 'join__graph')?.arguments?.find((a) => a.name.value === 'name')?.value;
        if (name?.kind === Kind.STRING) graphNames.set(v.name.value, name.value);
      }
    }
  }
  const graphsOf = (directives: readonly { name: { value: string }; arguments?: readonly { name: { value: string }; value: { kind: string; value?: unknown } }[] }[] | undefined, directive: string) =>
    (directives ?? [])
      .filter((d) => d.name.value === directive)
      .flatMap((d) => (d.arguments ?? []).filter((a) => a.name.value === 'graph' && a.value.kind === Kind.ENUM).map((a) => String(a.value.value)));
  for (const def of doc.definitions) {
    if ((def.kind !== Kind.OBJECT_TYPE_DEFINITION && def.kind !== Kind.OBJECT_TYPE_EXTENSION) || (def.name.value !== 'Query' && def.name.value !== 'Mutation')) continue;
    const target = def.name.value === 'Query' ? out.query : out.mutation;
    const typeGraphs = graphsOf(def.directives, 'join__type');
    for (const field of def.fields ?? []) {
      const graphs = graphsOf(field.directives, 'join__field');
      const owners = (graphs.length ? graphs : typeGraphs).map((g) => graphNames.get(g)).filter((n): n is string => !!n);
      target.set(field.name.value, owners);
    }
  }
  return out;
}

/** The root fields an operation selects, through fragments and inline fragments. */
function rootFields(selectionSet: SelectionSetNode, fragments: Map<string, FragmentDefinitionNode>, seen = new Set<string>()): string[] {
  const names: string[] = [];
  for (const sel of selectionSet.selections) {
    if (sel.kind === Kind.FIELD) names.push(sel.name.value);
    else if (sel.kind === Kind.INLINE_FRAGMENT) names.push(...rootFields(sel.selectionSet, fragments, seen));
    else if (!seen.has(sel.name.value)) {
      seen.add(sel.name.value);
      const frag = fragments.get(sel.name.value);
      if (frag) names.push(...rootFields(frag.selectionSet, fragments, seen));
    }
  }
  return names;
}

/**
 * OAuth scopes of partners' client-credentials tokens (useAuth puts them in the context): each
 * root field of the operation needs `<owner>:read` (query) or `<owner>:write` (mutation), the
 * owner being the subgraph that resolves it (`products` → catalog:read). Missing scopes are a
 * 403 FORBIDDEN listing them in `extensions.missingScopes`, before any subgraph is called.
 * Requests without a client-credentials token are not concerned (customers act with their roles).
 * Introspection fields (`__schema`, `__type`, `__typename`) need no scope.
 */
export function useScopes(opts: { supergraphSdl: string }): RouterPlugin {
  const owners = rootFieldOwners(opts.supergraphSdl);
  return {
    name: 'scopes',
    apollo: {
      async requestDidStart() {
        return {
          async didResolveOperation(rc) {
            const client = rc.contextValue.oauthClient;
            if (!client) return;
            const operation = rc.operation as OperationDefinitionNode;
            const access: ScopeAccess = operation.operation === 'query' ? 'read' : 'write';
            const table = operation.operation === 'mutation' ? owners.mutation : owners.query;
            const fragments = new Map((rc.document as DocumentNode).definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]));
            const needs = rootFields(operation.selectionSet, fragments)
              .filter((f) => !f.startsWith('__'))
              .flatMap((f) => (table.get(f) ?? []).slice(0, 1).map((domain) => ({ domain, access })));
            const missing = missingScopes(client.scopes, needs);
            if (missing.length) {
              throw new GraphQLError(`This client's token lacks the scope${missing.length > 1 ? 's' : ''} ${missing.join(', ')} for this operation`, {
                extensions: { code: 'FORBIDDEN', missingScopes: missing, http: { status: 403, headers: new HeaderMap([['www-authenticate', `Bearer error="insufficient_scope", scope="${missing.join(' ')}"`]]) } } as unknown as GraphQLErrorExtensions,
              });
            }
          },
        };
      },
    },
  };
}
