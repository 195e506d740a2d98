import { StockLevelChanged } from '@commerce/events/contracts';
import { startReadModel, type Committer, type EventBus } from '@commerce/events';
import type { Logger } from '@commerce/platform';
import type { Collection } from 'mongodb';
import type { AvailabilityView } from '../domain/availability.ts';
import type { StockLevelRecord } from '../domain/stock-level.ts';

export const STOCK_LEVELS = 'stock_levels';

/**
 * Keeps this instance's AvailabilityView current: its own commits at once (so `setStock` answers
 * with, and the next read sees, what it wrote), every instance's through stock-level-changed
 * events, everything else from the collection at start.
 */
export function startAvailabilityProjection(opts: {
  bus: EventBus;
  committer: Committer;
  levels: Collection<StockLevelRecord>;
  view: AvailabilityView;
  logger: Logger;
}): Promise<{ stop(): Promise<void> }> {
  const { view } = opts;
  return startReadModel({
    bus: opts.bus,
    subject: StockLevelChanged.subject,
    logger: opts.logger,
    own: { committer: opts.committer, collection: STOCK_LEVELS, apply: (state) => view.apply(state as unknown as StockLevelRecord) },
    load: async () => {
      for await (const level of opts.levels.find({}, { projection: { holds: 0 } })) view.apply(level);
    },
    apply: (raw) => {
      if (raw.type === StockLevelChanged.type) view.apply(StockLevelChanged.parse(raw).data);
    },
    describe: { name: 'availability', size: () => view.size },
  });
}
