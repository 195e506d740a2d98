/**
 * What the customers subgraph publishes and consumes.
 * Publishes: customer-registered.v1 (on sign-up, via the outbox).
 * Consumes: nothing yet.
 */
export { customerRegistered, type EventCause, type RegisteredCustomer, type RegistrationRole } from './customer-registered.ts';
