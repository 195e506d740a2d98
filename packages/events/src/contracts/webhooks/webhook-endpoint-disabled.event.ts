import { z } from 'zod';
import { defineEvent } from '../../contract.ts';

/**
 * A partner's webhook endpoint was disabled after repeated failure (or by its partner or an
 * admin): nothing more is delivered to it until it is enabled again. The notice for operators and
 * partner tooling; the subscription shows the same (`disabledReason`, `disabledAt`).
 */
export const WebhookEndpointDisabled = defineEvent(
  'commerce.webhooks.webhook-endpoint-disabled.v1',
  z.object({
    subscriptionId: z.string(),
    partnerId: z.string(),
    /** the target's scheme and host only: never a path or query that could carry a token */
    target: z.string(),
    reason: z.string().max(500),
    consecutiveFailures: z.number().int().min(0),
    failingSince: z.string().datetime().nullable(),
    disabledAt: z.string().datetime(),
  }),
);
