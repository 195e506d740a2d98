import type { BaseContext } from '@commerce/platform';
import type { Model } from 'mongoose';
import type { OrderSummary } from './model/order-summary.model.ts';

export interface Context extends BaseContext {
  models: { OrderSummary: Model<OrderSummary> };
}
