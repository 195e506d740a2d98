import { z } from 'zod';
import { defineEvent } from '../../contract.ts';

/**
 * A consumer gave up on an event and parked it in its service's `dead_letters` (see
 * consumer.ts). Published by the consumer package itself, so other services (support) learn
 * that something about an order is stuck. `orderId` is the order the parked event is about,
 * when it names one. Published at least once per parked event (the broker de-duplicates by
 * `<consumer>:<event id>`).
 */
export const EventDeadLettered = defineEvent(
  'commerce.platform.event-dead-lettered.v1',
  z.object({
    consumer: z.string(),
    eventId: z.string(),
    eventType: z.string(),
    orderId: z.string().nullable(),
    error: z.string(),
    attempts: z.number().int(),
    parkedAt: z.string().datetime(),
  }),
);
