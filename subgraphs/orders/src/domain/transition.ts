import type { EventEnvelope } from '@commerce/events';
import { applyChange, type OrderChange, type OrderState } from './order.ts';
import type { OrdersDeps } from './deps.ts';

export type Transition = { change: OrderChange; events: (next: OrderState) => EventEnvelope[] } | null;

export type TransitionResult = { status: 'applied'; state: OrderState } | { status: 'unchanged'; state: OrderState | null } | { status: 'contended' };

/**
 * Appends one change to an order's stream: decide on the current state, fold, commit version n+1
 * with the integration events it causes. A concurrent append makes the commit conflict and the
 * decision is taken again on the winner's state (optimistic concurrency that holds on FerretDB).
 */
/** A checkout ended (PENDING → CONFIRMED or CANCELLED): count it and how long it took. */
function observeOutcome(deps: OrdersDeps, state: OrderState): void {
  if (!deps.sagaMetrics) return;
  const outcome = state.status === 'CONFIRMED' ? 'confirmed' : 'cancelled';
  deps.sagaMetrics.outcomes.inc({ outcome, reason: state.cancellationReason ?? 'none' });
  deps.sagaMetrics.duration.observe({ outcome }, (Date.now() - new Date(state.placedAt).getTime()) / 1000);
}

/**
 * An order cancelled before its payment was requested leaves its token unused: delete it now
 * rather than at its TTL. Best effort — the cancellation is committed either way.
 */
async function forgetToken(deps: OrdersDeps, orderId: string, ref: string): Promise<void> {
  try {
    await deps.paymentTokens.forget(orderId, ref);
  } catch (err) {
    deps.logger.warn({ err }, 'the payment token of a cancelled order could not be deleted; it expires');
  }
}

export async function transition(deps: OrdersDeps, orderId: string, decide: (state: OrderState) => Transition): Promise<TransitionResult> {
  let before = null as OrderState | null;
  const result = await deps.committer.update<OrderState, OrderState | null>('orders', orderId, (current) => {
    before = current;
    if (!current) return { done: null };
    const t = decide(current);
    if (!t) return { done: current };
    const next = applyChange(current, t.change, orderId);
    return { next, events: t.events(next), change: t.change as unknown as Record<string, unknown> };
  });
  if (result.status === 'contended') return result;
  if (result.status === 'committed') {
    if (before?.status === 'PENDING' && result.state.status !== 'PENDING') observeOutcome(deps, result.state);
    const ref = (before as OrderState | null)?.paymentTokenRef;
    if (ref && result.state.status === 'CANCELLED') await forgetToken(deps, orderId, ref);
    return { status: 'applied', state: result.state };
  }
  return { status: 'unchanged', state: result.value };
}
