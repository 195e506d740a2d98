import type { Db } from 'mongodb';
import { startConsumer, type EventBus, type RunningConsumer } from '@commerce/events';
import { OrderPlaced } from '@commerce/events/contracts';
import type { Logger } from '@commerce/platform';
import { checkOutCart } from '../domain/check-out-cart.ts';
import type { CartDeps } from '../domain/deps.ts';

/** `cart-checkout`: an order was placed from a cart → that cart is checked out (refuses changes). */
export function startCheckoutConsumer(opts: { bus: EventBus; db: Db; logger: Logger; deps: CartDeps }): Promise<RunningConsumer> {
  return startConsumer({
    bus: opts.bus, db: opts.db, logger: opts.logger, name: 'cart-checkout', contract: OrderPlaced,
    handle: async (event) => {
      const outcome = await checkOutCart(opts.deps, event.data.cartId, event.data.orderId);
      if (outcome === 'unknown') opts.logger.warn({ cartId: event.data.cartId, orderId: event.data.orderId }, 'order placed from a cart this service does not know');
    },
  });
}
