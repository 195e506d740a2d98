import type { Db } from 'mongodb';
import { startConsumer, type EventBus, type EventContract, type EventOf, type RunningConsumer } from '@commerce/events';
import { OrderCancelled, OrderConfirmed, ProductStatusChanged, StockLevelChanged, VariantPriceChanged } from '@commerce/events/contracts';
import type { Logger } from '@commerce/platform';
import type { WebhooksDeps } from '../domain/deps.ts';
import { lowStockData, orderCancelledData, orderConfirmedData, priceChangedData, statusChangedData, type PublicEvent, type PublicEventType } from '../domain/event-types.ts';
import { fanOut } from '../domain/fan-out.ts';
import { decideLowStock } from '../domain/low-stock.ts';

/**
 * What webhooks consumes: the platform events partners can subscribe to, each turned into its
 * public event and fanned out to the subscriptions that want it (durable `webhooks-events`, one
 * per contract), and stock levels (durable `webhooks-stock`, serial: the one writer of the last
 * level seen per variant) for inventory.low_stock. Declared in SERVICE_EVENTS.
 */
function publicEvent<C extends EventContract>(type: PublicEventType, event: EventOf<C>, data: Record<string, unknown>): PublicEvent {
  return { type, eventId: event.id, occurredAt: new Date(event.occurredAt), data };
}

export async function startWebhookConsumers(opts: { bus: EventBus; db: Db; logger: Logger; deps: WebhooksDeps }): Promise<RunningConsumer[]> {
  const { bus, db, logger, deps } = opts;
  const common = { bus, db, logger, name: 'webhooks-events' } as const;
  return Promise.all([
    startConsumer({ ...common, contract: OrderConfirmed, handle: async (e) => void (await fanOut(deps, publicEvent('order.confirmed', e, orderConfirmedData(e.data)))) }),
    startConsumer({ ...common, contract: OrderCancelled, handle: async (e) => void (await fanOut(deps, publicEvent('order.cancelled', e, orderCancelledData(e.data)))) }),
    startConsumer({ ...common, contract: VariantPriceChanged, handle: async (e) => void (await fanOut(deps, publicEvent('product.price_changed', e, priceChangedData(e.data)))) }),
    startConsumer({ ...common, contract: ProductStatusChanged, handle: async (e) => void (await fanOut(deps, publicEvent('product.status_changed', e, statusChangedData(e.data)))) }),
    startConsumer({
      bus,
      db,
      logger,
      name: 'webhooks-stock',
      contract: StockLevelChanged,
      serial: true,
      async handle(e) {
        const previous = await deps.stockLevels.get(e.data.variantId);
        const { crossed, next } = decideLowStock(previous, { id: e.id, variantId: e.data.variantId, available: e.data.available }, deps.lowStockThreshold, deps.now());
        if (next !== previous) await deps.stockLevels.put(next);
        if (crossed) await fanOut(deps, publicEvent('inventory.low_stock', e, lowStockData(e.data, deps.lowStockThreshold)));
      },
    }),
  ]);
}
