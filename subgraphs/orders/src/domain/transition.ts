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
export async function transition(deps: OrdersDeps, orderId: string, decide: (state: OrderState) => Transition): Promise<TransitionResult> {
  const result = await deps.committer.update<OrderState, OrderState | null>('orders', orderId, (current) => {
    if (!current) return { done: null };
    const t = decide(current);
    if (!t) return { done: current };
    const next = applyChange(current, t.change, orderId);
    return { next, events: t.events(next), change: t.change as unknown as Record<string, unknown> };
  });
  if (result.status === 'contended') return result;
  if (result.status === 'committed') return { status: 'applied', state: result.state };
  return { status: 'unchanged', state: result.value };
}
