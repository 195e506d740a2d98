import { DateTimeScalar } from '@commerce/platform';
import type { Resolvers } from '../__generated__/resolvers-types.ts';
import { Mutation, Query, WebhookDelivery } from './webhooks.resolver.ts';

export const resolvers: Resolvers = { DateTime: DateTimeScalar, Query, Mutation, WebhookDelivery };
