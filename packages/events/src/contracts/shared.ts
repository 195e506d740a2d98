import { z } from 'zod';

/** Money inside events: integer minor units and an ISO 4217 code, never floats. */
export const moneySchema = z.object({ amount: z.number().int(), currencyCode: z.string().regex(/^[A-Z]{3}$/) });
