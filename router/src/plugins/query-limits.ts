import {
  GraphQLError,
  Kind,
  type DocumentNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type SelectionNode,
  type SelectionSetNode,
  type ValidationRule,
} from 'graphql';

/**
 * Depth and alias limits as plain AST walks: no schema needed, fragments expanded (each spread
 * counts), fragment cycles count as too deep / too many. Every walk stops as soon as the limit is
 * passed, so a hostile document costs no more than the limit to reject.
 */

interface Walk {
  fragments: Map<string, FragmentDefinitionNode>;
  cap: number;
  memo: Map<string, number>;
  active: Set<string>;
}

function walkOf(document: DocumentNode, max: number): Walk {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const def of document.definitions) if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
  return { fragments, cap: max + 1, memo: new Map(), active: new Set() };
}

/** memoised per fragment, capped at limit + 1; a fragment met again on its own path is a cycle */
function viaFragment(w: Walk, name: string, measure: (set: SelectionSetNode) => number): number {
  const known = w.memo.get(name);
  if (known !== undefined) return known;
  const def = w.fragments.get(name);
  if (!def) return 0; // unknown fragment: validation reports it
  if (w.active.has(name)) return w.cap;
  w.active.add(name);
  const value = Math.min(measure(def.selectionSet), w.cap);
  w.active.delete(name);
  w.memo.set(name, value);
  return value;
}

/** The deepest field nesting of any operation (`{ a { b } }` is 2), capped at maxDepth + 1. */
export function queryDepth(document: DocumentNode, maxDepth: number): number {
  const w = walkOf(document, maxDepth);
  const depth = (set: SelectionSetNode, level: number): number => {
    let deepest = level;
    for (const sel of set.selections) {
      if (deepest >= w.cap) return w.cap;
      if (sel.kind === Kind.FIELD) deepest = Math.max(deepest, sel.selectionSet ? depth(sel.selectionSet, level + 1) : level + 1);
      else if (sel.kind === Kind.INLINE_FRAGMENT) deepest = Math.max(deepest, depth(sel.selectionSet, level));
      else deepest = Math.max(deepest, level + viaFragment(w, sel.name.value, (s) => depth(s, 0)));
    }
    return Math.min(deepest, w.cap);
  };
  let deepest = 0;
  for (const def of document.definitions) {
    if (def.kind === Kind.OPERATION_DEFINITION) deepest = Math.max(deepest, depth(def.selectionSet, 0));
  }
  return deepest;
}

type Counted = SelectionNode | FragmentDefinitionNode | OperationDefinitionNode;

/**
 * The largest sum of `own(node)` over any operation — its selections, the fragments it spreads
 * (each spread counts again) and the operation itself — capped at max + 1.
 */
function mostPerOperation(document: DocumentNode, max: number, own: (node: Counted) => number): number {
  const w = walkOf(document, max);
  const count = (set: SelectionSetNode): number => {
    let n = 0;
    for (const sel of set.selections) {
      if (n >= w.cap) return w.cap;
      n += own(sel);
      if (sel.kind === Kind.FIELD) n += sel.selectionSet ? count(sel.selectionSet) : 0;
      else if (sel.kind === Kind.INLINE_FRAGMENT) n += count(sel.selectionSet);
      else {
        const name = sel.name.value;
        n += viaFragment(w, name, (s) => own(w.fragments.get(name)!) + count(s));
      }
    }
    return Math.min(n, w.cap);
  };
  let most = 0;
  for (const def of document.definitions) {
    if (def.kind === Kind.OPERATION_DEFINITION) most = Math.max(most, own(def) + count(def.selectionSet));
  }
  return Math.min(most, w.cap);
}

/** The most aliases any operation uses (`__typename` aliases included), capped at maxAliases + 1. */
export function aliasCount(document: DocumentNode, maxAliases: number): number {
  return mostPerOperation(document, maxAliases, (node) => (node.kind === Kind.FIELD && node.alias ? 1 : 0));
}

/** The most directives any operation uses (on fields, fragments and the operation), capped at maxDirectives + 1. */
export function directiveCount(document: DocumentNode, maxDirectives: number): number {
  return mostPerOperation(document, maxDirectives, (node) => node.directives?.length ?? 0);
}

export function directiveError(document: DocumentNode, maxDirectives: number): GraphQLError | undefined {
  return directiveCount(document, maxDirectives) > maxDirectives
    ? new GraphQLError(`Query uses more than the maximum of ${maxDirectives} directives`, { extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } })
    : undefined;
}

/** Too many operations in one document (only one runs; the rest only cost validation time). */
export function operationsError(document: DocumentNode, maxOperations: number): GraphQLError | undefined {
  let n = 0;
  for (const def of document.definitions) if (def.kind === Kind.OPERATION_DEFINITION) n++;
  return n > maxOperations
    ? new GraphQLError(`A document may hold at most ${maxOperations} operations`, { extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } })
    : undefined;
}

export function depthError(document: DocumentNode, maxDepth: number): GraphQLError | undefined {
  return queryDepth(document, maxDepth) > maxDepth
    ? new GraphQLError(`Query is nested deeper than the maximum depth of ${maxDepth}`, { extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } })
    : undefined;
}

export function aliasError(document: DocumentNode, maxAliases: number): GraphQLError | undefined {
  return aliasCount(document, maxAliases) > maxAliases
    ? new GraphQLError(`Query uses more than the maximum of ${maxAliases} aliases`, { extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } })
    : undefined;
}

function documentRule(check: (document: DocumentNode) => GraphQLError | undefined): ValidationRule {
  return (context) => ({
    Document(node) {
      const error = check(node);
      if (error) context.reportError(error);
      return false; // the check walked the whole document itself
    },
  });
}

/** The same limits as validation rules, for documents the early check did not see (APQ hashes). */
export const maxDepthRule = (maxDepth: number): ValidationRule => documentRule((d) => depthError(d, maxDepth));
export const maxAliasesRule = (maxAliases: number): ValidationRule => documentRule((d) => aliasError(d, maxAliases));
export const maxOperationsRule = (maxOperations: number): ValidationRule => documentRule((d) => operationsError(d, maxOperations));
export const maxDirectivesRule = (maxDirectives: number): ValidationRule => documentRule((d) => directiveError(d, maxDirectives));
