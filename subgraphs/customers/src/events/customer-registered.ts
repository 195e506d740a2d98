import type { z } from 'zod';
import { CustomerRegistered } from '@commerce/events/contracts';
import type { EventEnvelope } from '@commerce/events';
import type { CustomerRecord } from '../model/customer.model.ts';

/**
 * Published: `commerce.customers.customer-registered.v1` when an account is created, through the
 * outbox (committed together with the customer document). The payload never carries the password
 * hash: the contract's schema names every field it allows.
 */
export interface EventCause {
  /** the request that caused it (also the correlation id of what follows) */
  requestId: string;
  traceparent?: string | undefined;
}

/**
 * The roles an account can be registered with (CUSTOMER, ADMIN for the dev seed), as the contract
 * lists them. SUPPORT_AGENT is only ever granted later, so the contract stays as it is.
 */
export type RegistrationRole = z.infer<typeof CustomerRegistered.schema>['roles'][number];

/** A customer as sign-up creates it: with registration roles only. */
export type RegisteredCustomer = Omit<CustomerRecord, 'roles'> & { roles: RegistrationRole[] };

export function customerRegistered(customer: RegisteredCustomer, cause: EventCause): EventEnvelope {
  return CustomerRegistered.create(
    { id: customer._id, email: customer.email, name: customer.name, roles: customer.roles, createdAt: customer.createdAt.toISOString() },
    { aggregateId: customer._id, correlationId: cause.requestId, ...(cause.traceparent ? { traceparent: cause.traceparent } : {}) },
  );
}
