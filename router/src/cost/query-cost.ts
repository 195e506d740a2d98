import {
  Kind,
  SchemaMetaFieldDef,
  TypeMetaFieldDef,
  TypeNameMetaFieldDef,
  valueFromASTUntyped,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLOutputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

/**
 * Query cost, the way Shopify's Storefront API counts it, computed before execution from the
 * document and the schema, and again after execution from the data actually returned:
 *
 * - a scalar or enum field costs 0;
 * - an object field costs 1 plus its selections;
 * - a list of objects costs its size × (1 + the item's selections); the size is the field's
 *   `first`, `last` or `limit` argument, else the same argument of the parent field (a connection's
 *   `nodes`/`edges` take their size from `products(first: 20)`), else `defaultListSize`;
 * - every top-level mutation field costs `mutationCost` more (writes are dear).
 *
 * Fragments on different types of an abstract field are all counted (an upper bound). The actual
 * cost counts each object that came back, so a half-empty page costs less than it requested; the
 * difference is refunded to the client's bucket.
 */
export interface CostOptions {
  defaultListSize: number;
  mutationCost: number;
  /** stop counting beyond this (the result is then this value) */
  cap?: number;
}

/*
 * Type tests by Symbol.toStringTag, not graphql's instanceof predicates: the gateway builds its
 * schema with graphql's CommonJS build while this ESM module may load the ESM build, and
 * `isListType` & co. reject (or, in production mode, silently misjudge) objects of the other.
 */
const tagOf = (t: unknown): string => Object.prototype.toString.call(t).slice(8, -1);
const COMPOSITE = new Set(['GraphQLObjectType', 'GraphQLInterfaceType', 'GraphQLUnionType']);
function isComposite(t: unknown): t is GraphQLCompositeType {
  return COMPOSITE.has(tagOf(t));
}
function unwrapNonNull(t: GraphQLOutputType): GraphQLOutputType {
  return tagOf(t) === 'GraphQLNonNull' ? (t as { ofType: GraphQLOutputType }).ofType : t;
}
function namedType(t: GraphQLOutputType): unknown {
  let cur: unknown = t;
  while (tagOf(cur) === 'GraphQLNonNull' || tagOf(cur) === 'GraphQLList') cur = (cur as { ofType: unknown }).ofType;
  return cur;
}

const SIZE_ARGS = ['first', 'last', 'limit'] as const;
const DEFAULT_CAP = 1_000_000_000;

function sizeArgument(node: FieldNode, variables: Record<string, unknown>): number | undefined {
  for (const arg of node.arguments ?? []) {
    if (!(SIZE_ARGS as readonly string[]).includes(arg.name.value)) continue;
    const value = valueFromASTUntyped(arg.value, variables);
    if (typeof value === 'number' && Number.isFinite(value)) return Math.max(0, Math.floor(value));
  }
  return undefined;
}

function fragmentsOf(document: DocumentNode): Map<string, FragmentDefinitionNode> {
  const map = new Map<string, FragmentDefinitionNode>();
  for (const def of document.definitions) if (def.kind === Kind.FRAGMENT_DEFINITION) map.set(def.name.value, def);
  return map;
}

function fieldDef(schema: GraphQLSchema, parent: GraphQLCompositeType, name: string): GraphQLField<unknown, unknown> | undefined {
  if (name === '__typename') return TypeNameMetaFieldDef;
  if (parent === schema.getQueryType()) {
    if (name === '__schema') return SchemaMetaFieldDef;
    if (name === '__type') return TypeMetaFieldDef;
  }
  return 'getFields' in parent ? parent.getFields()[name] : undefined;
}

/** The requested cost of the operation (see above), at most `cap`. */
export function requestedCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> = {},
  opts: CostOptions,
): number {
  const cap = opts.cap ?? DEFAULT_CAP;
  const fragments = fragmentsOf(document);
  const active = new Set<string>();

  const selectionCost = (set: SelectionSetNode, parent: GraphQLCompositeType, inheritedSize: number | undefined): number => {
    let total = 0;
    for (const sel of set.selections) {
      if (total >= cap) return cap;
      if (sel.kind === Kind.FIELD) {
        const def = fieldDef(schema, parent, sel.name.value);
        if (!def || !sel.selectionSet) continue; // leaves cost nothing; unknown fields fail validation
        const named = namedType(def.type);
        if (!isComposite(named)) continue;
        const own = sizeArgument(sel, variables);
        const children = selectionCost(sel.selectionSet, named, own);
        total += tagOf(unwrapNonNull(def.type)) === 'GraphQLList' ? (own ?? inheritedSize ?? opts.defaultListSize) * (1 + children) : 1 + children;
      } else if (sel.kind === Kind.INLINE_FRAGMENT) {
        const type = sel.typeCondition ? schema.getType(sel.typeCondition.name.value) : parent;
        if (isComposite(type)) total += selectionCost(sel.selectionSet, type, inheritedSize);
      } else {
        const frag = fragments.get(sel.name.value);
        if (!frag || active.has(frag.name.value)) continue; // cycles are refused by validation
        const type = schema.getType(frag.typeCondition.name.value);
        if (!isComposite(type)) continue;
        active.add(frag.name.value);
        total += selectionCost(frag.selectionSet, type, inheritedSize);
        active.delete(frag.name.value);
      }
    }
    return Math.min(total, cap);
  };

  const root = operation.operation === 'mutation' ? schema.getMutationType() : operation.operation === 'subscription' ? schema.getSubscriptionType() : schema.getQueryType();
  if (!root) return 0;
  let cost = selectionCost(operation.selectionSet, root, undefined);
  if (operation.operation === 'mutation') cost += opts.mutationCost * countRootFields(operation.selectionSet, fragments);
  return Math.min(cost, cap);
}

function countRootFields(set: SelectionSetNode, fragments: Map<string, FragmentDefinitionNode>, seen = new Set<string>()): number {
  let n = 0;
  for (const sel of set.selections) {
    if (sel.kind === Kind.FIELD) n += sel.name.value === '__typename' ? 0 : 1;
    else if (sel.kind === Kind.INLINE_FRAGMENT) n += countRootFields(sel.selectionSet, fragments, seen);
    else if (!seen.has(sel.name.value)) {
      seen.add(sel.name.value);
      const frag = fragments.get(sel.name.value);
      if (frag) n += countRootFields(frag.selectionSet, fragments, seen);
    }
  }
  return n;
}

/** Sub-selections of each response key of a selection set, fragments flattened. */
function collectFields(set: SelectionSetNode, fragments: Map<string, FragmentDefinitionNode>, into = new Map<string, SelectionSetNode[]>(), seen = new Set<string>()): Map<string, SelectionSetNode[]> {
  for (const sel of set.selections) {
    if (sel.kind === Kind.FIELD) {
      const key = sel.alias?.value ?? sel.name.value;
      const list = into.get(key) ?? [];
      if (sel.selectionSet) list.push(sel.selectionSet);
      into.set(key, list);
    } else if (sel.kind === Kind.INLINE_FRAGMENT) {
      collectFields(sel.selectionSet, fragments, into, seen);
    } else if (!seen.has(sel.name.value)) {
      const frag = fragments.get(sel.name.value);
      if (frag) collectFields(frag.selectionSet, fragments, into, new Set([...seen, sel.name.value]));
    }
  }
  return into;
}

/** The cost of what was actually returned: every object in `data` counts 1 (plus mutation fields). */
export function actualCost(document: DocumentNode, operation: OperationDefinitionNode, data: unknown, opts: Pick<CostOptions, 'mutationCost'>): number {
  const fragments = fragmentsOf(document);
  const objectCost = (sets: SelectionSetNode[], value: Record<string, unknown>): number => {
    const merged = new Map<string, SelectionSetNode[]>();
    for (const set of sets) collectFields(set, fragments, merged);
    let total = 0;
    for (const [key, subSets] of merged) {
      if (subSets.length === 0) continue;
      total += valueCost(subSets, value[key]);
    }
    return total;
  };
  const valueCost = (sets: SelectionSetNode[], value: unknown): number => {
    if (Array.isArray(value)) return value.reduce((sum: number, item) => sum + valueCost(sets, item), 0);
    if (value === null || typeof value !== 'object') return 0;
    return 1 + objectCost(sets, value as Record<string, unknown>);
  };
  if (data === null || typeof data !== 'object') return 0;
  let cost = objectCost([operation.selectionSet], data as Record<string, unknown>);
  if (operation.operation === 'mutation') cost += opts.mutationCost * countRootFields(operation.selectionSet, fragments);
  return cost;
}
