import { userError, type UserError } from '@commerce/platform';

/**
 * The rules of `trackEvents`' input. Pure: every invalid event is a userError on its own path
 * (`["events", "<i>", "<field>"]`) and is left out; the valid ones are normalised (fields that do
 * not belong to the type are dropped, occurredAt defaults to now).
 */
export const MAX_EVENTS_PER_CALL = 100;
export const MAX_PRODUCTS_PER_LIST = 50;
export const MAX_QUERY_LENGTH = 200;
/** how far back a client may date an event (an offline storefront catching up) */
export const MAX_PAST_MS = 24 * 3_600_000;
/** how far ahead a client's clock may be */
export const MAX_FUTURE_MS = 5 * 60_000;

export const INTERACTION_TYPES = ['PRODUCT_VIEWED', 'SEARCH_PERFORMED', 'RECOMMENDATION_SHOWN', 'RECOMMENDATION_CLICKED'] as const;
export type InteractionType = (typeof INTERACTION_TYPES)[number];

/** ids from the client: event and session ids, product ids */
const TOKEN = /^[\w.:-]{1,100}$/;
/** where a list was shown and the strategy that made it, e.g. `product-page`, `co-occurrence` */
const NAME = /^[A-Za-z0-9][\w-]{0,49}$/;

export interface InteractionInput {
  eventId: string;
  sessionId: string;
  type: string;
  productId?: string | null;
  productIds?: readonly string[] | null;
  query?: string | null;
  slot?: string | null;
  strategy?: string | null;
  occurredAt?: Date | string | null;
}

/** A valid interaction, as recorded in `interactions-recorded`. */
export interface Interaction {
  eventId: string;
  sessionId: string;
  type: InteractionType;
  productId: string | null;
  productIds: string[];
  query: string | null;
  slot: string | null;
  strategy: string | null;
  occurredAt: string;
}

export interface Validated {
  valid: Interaction[];
  errors: UserError[];
}

/** Validates one call's events at `now`; more than MAX_EVENTS_PER_CALL rejects them all. */
export function validateInteractions(events: readonly InteractionInput[], now: Date): Validated {
  if (events.length > MAX_EVENTS_PER_CALL) {
    return { valid: [], errors: [userError('TOO_MANY_EVENTS', `At most ${MAX_EVENTS_PER_CALL} events per call; send the rest in another call`, ['events'])] };
  }
  const valid: Interaction[] = [];
  const errors: UserError[] = [];
  events.forEach((e, i) => {
    const r = validateInteraction(e, now, i);
    if ('errors' in r) errors.push(...r.errors);
    else valid.push(r.interaction);
  });
  return { valid, errors };
}

function validateInteraction(e: InteractionInput, now: Date, i: number): { interaction: Interaction } | { errors: UserError[] } {
  const errors: UserError[] = [];
  const at = (field: string) => ['events', String(i), field];
  const err = (code: string, message: string, field: string) => errors.push(userError(code, message, at(field)));

  if (!TOKEN.test(e.eventId)) err('INVALID_EVENT_ID', 'eventId: 1 to 100 letters, digits or _ . : -', 'eventId');
  if (!TOKEN.test(e.sessionId)) err('INVALID_SESSION_ID', 'sessionId: 1 to 100 letters, digits or _ . : -', 'sessionId');
  if (!(INTERACTION_TYPES as readonly string[]).includes(e.type)) err('INVALID_TYPE', `type: one of ${INTERACTION_TYPES.join(', ')}`, 'type');
  const type = e.type as InteractionType;

  const product = (required: boolean): string | null => {
    const id = e.productId ?? null;
    if (id === null || id === '') {
      if (required) err('PRODUCT_REQUIRED', `${type} needs productId`, 'productId');
      return null;
    }
    if (!TOKEN.test(id)) err('INVALID_PRODUCT_ID', 'productId: 1 to 100 letters, digits or _ . : -', 'productId');
    return id;
  };
  const name = (field: 'slot' | 'strategy', required: boolean): string | null => {
    const v = e[field] ?? null;
    if (v === null || v === '') {
      if (required) err(field === 'slot' ? 'SLOT_REQUIRED' : 'STRATEGY_REQUIRED', `${type} needs ${field}`, field);
      return null;
    }
    if (!NAME.test(v)) err(field === 'slot' ? 'INVALID_SLOT' : 'INVALID_STRATEGY', `${field}: 1 to 50 letters, digits, _ or -, starting with a letter or digit`, field);
    return v;
  };

  let productId: string | null = null;
  let productIds: string[] = [];
  let query: string | null = null;
  let slot: string | null = null;
  let strategy: string | null = null;
  switch (type) {
    case 'PRODUCT_VIEWED':
      productId = product(true);
      break;
    case 'SEARCH_PERFORMED': {
      const q = (e.query ?? '').trim();
      if (!q) err('QUERY_REQUIRED', 'SEARCH_PERFORMED needs the query', 'query');
      else if (q.length > MAX_QUERY_LENGTH) err('QUERY_TOO_LONG', `query: at most ${MAX_QUERY_LENGTH} characters`, 'query');
      query = q;
      break;
    }
    case 'RECOMMENDATION_SHOWN': {
      const ids = e.productIds ?? [];
      if (ids.length === 0) err('PRODUCTS_REQUIRED', 'RECOMMENDATION_SHOWN needs the productIds shown', 'productIds');
      else if (ids.length > MAX_PRODUCTS_PER_LIST) err('TOO_MANY_PRODUCTS', `productIds: at most ${MAX_PRODUCTS_PER_LIST}`, 'productIds');
      else if (!ids.every((id) => TOKEN.test(id))) err('INVALID_PRODUCT_ID', 'productIds: each 1 to 100 letters, digits or _ . : -', 'productIds');
      productIds = [...ids];
      slot = name('slot', true);
      strategy = name('strategy', false);
      break;
    }
    case 'RECOMMENDATION_CLICKED':
      productId = product(true);
      slot = name('slot', true);
      strategy = name('strategy', false);
      break;
  }

  let occurredAt = now;
  if (e.occurredAt !== null && e.occurredAt !== undefined) {
    const t = e.occurredAt instanceof Date ? e.occurredAt : new Date(e.occurredAt);
    if (Number.isNaN(t.getTime())) err('INVALID_OCCURRED_AT', 'occurredAt: not a date-time', 'occurredAt');
    else if (t.getTime() < now.getTime() - MAX_PAST_MS) err('OCCURRED_AT_TOO_OLD', 'occurredAt: at most 24 hours ago', 'occurredAt');
    else if (t.getTime() > now.getTime() + MAX_FUTURE_MS) err('OCCURRED_AT_IN_FUTURE', 'occurredAt: at most 5 minutes ahead of the server clock', 'occurredAt');
    else occurredAt = t;
  }

  if (errors.length) return { errors };
  return { interaction: { eventId: e.eventId, sessionId: e.sessionId, type, productId, productIds, query, slot, strategy, occurredAt: occurredAt.toISOString() } };
}

/** Valid interactions by session, in the order their sessions first appear. */
export function groupBySession(interactions: readonly Interaction[]): Map<string, Interaction[]> {
  const groups = new Map<string, Interaction[]>();
  for (const it of interactions) {
    const g = groups.get(it.sessionId);
    if (g) g.push(it);
    else groups.set(it.sessionId, [it]);
  }
  return groups;
}
