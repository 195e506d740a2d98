import { z } from 'zod';
import { defineEvent } from '../../contract.ts';

/**
 * Work item of the webhooks service's delivery queue: deliver (or re-deliver) one delivery of its
 * log. Published by webhooks and consumed only by webhooks (durable `webhooks-deliveries`), whose
 * workers nak it with the retry delay until it succeeds or its retry window ends. `generation`
 * grows with every replay of the delivery: a work item of an older generation is dropped.
 */
export const WebhookDeliveryRequested = defineEvent(
  'commerce.webhooks.delivery-requested.v1',
  z.object({ deliveryId: z.string().min(1).max(100), subscriptionId: z.string().min(1).max(100), generation: z.number().int().min(0) }),
);
