import { userError, type UserError } from '@commerce/platform';
import { TICKET_CATEGORIES, TICKET_PRIORITIES, type TicketCategory, type TicketPriority } from './ticket.ts';

/** Input limits: a message is a conversation, not an upload. */
export const MAX_SUBJECT = 200;
export const MAX_BODY = 10_000;
export const MAX_COMMENT = 2_000;
export const MAX_KEY = 200;

const text = (v: string | null | undefined) => (v ?? '').trim();

export function checkKey(key: string, field: string[]): UserError | null {
  if (!key.trim() || key.length > MAX_KEY) return userError('INVALID_IDEMPOTENCY_KEY', `The idempotency key must be 1 to ${MAX_KEY} characters`, field);
  return null;
}

export function checkBody(body: string, field: string[]): UserError | null {
  const t = text(body);
  if (!t) return userError('EMPTY_MESSAGE', 'The message is empty', field);
  if (t.length > MAX_BODY) return userError('MESSAGE_TOO_LONG', `A message is at most ${MAX_BODY} characters`, field);
  return null;
}

export interface OpenTicketFields {
  subject: string;
  body: string;
  category: TicketCategory;
  priority: TicketPriority;
  orderId: string | null;
  productId: string | null;
  idempotencyKey: string;
}

export function validateOpenTicket(input: { subject: string; body: string; category: string; priority?: string | null; orderId?: string | null; productId?: string | null; idempotencyKey: string }): { ok: true; value: OpenTicketFields } | { ok: false; errors: UserError[] } {
  const errors: UserError[] = [];
  const subject = text(input.subject);
  if (!subject) errors.push(userError('EMPTY_SUBJECT', 'The subject is empty', ['input', 'subject']));
  else if (subject.length > MAX_SUBJECT) errors.push(userError('SUBJECT_TOO_LONG', `The subject is at most ${MAX_SUBJECT} characters`, ['input', 'subject']));
  const body = checkBody(input.body, ['input', 'body']);
  if (body) errors.push(body);
  if (!TICKET_CATEGORIES.includes(input.category as TicketCategory)) errors.push(userError('INVALID_CATEGORY', 'Unknown category', ['input', 'category']));
  const priority = (input.priority ?? 'NORMAL') as TicketPriority;
  if (!TICKET_PRIORITIES.includes(priority)) errors.push(userError('INVALID_PRIORITY', 'Unknown priority', ['input', 'priority']));
  const key = checkKey(input.idempotencyKey, ['input', 'idempotencyKey']);
  if (key) errors.push(key);
  const orderId = input.orderId?.trim() || null;
  if (orderId && (orderId.length > 100 || !orderId.startsWith('ord_'))) errors.push(userError('ORDER_NOT_FOUND', 'No such order of yours', ['input', 'orderId']));
  const productId = input.productId?.trim() || null;
  if (productId && (productId.length > 100 || !productId.startsWith('prod_'))) errors.push(userError('INVALID_PRODUCT', 'Not a product id (prod_…)', ['input', 'productId']));
  if (input.category === 'PRODUCT' && !productId) errors.push(userError('PRODUCT_REQUIRED', 'A product ticket names the product', ['input', 'productId']));
  if (errors.length) return { ok: false, errors };
  return { ok: true, value: { subject, body: text(input.body), category: input.category as TicketCategory, priority, orderId, productId, idempotencyKey: input.idempotencyKey } };
}

export function validateRating(score: number, comment: string | null | undefined): UserError[] {
  const errors: UserError[] = [];
  if (!Number.isInteger(score) || score < 1 || score > 5) errors.push(userError('INVALID_SCORE', 'The score is a whole number from 1 to 5', ['input', 'score']));
  if (comment && comment.length > MAX_COMMENT) errors.push(userError('COMMENT_TOO_LONG', `The comment is at most ${MAX_COMMENT} characters`, ['input', 'comment']));
  return errors;
}
