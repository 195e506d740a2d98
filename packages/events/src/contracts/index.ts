/** Every event contract of the platform, one file per event. Subjects come from here only. */
export { moneySchema } from './shared.ts';
// catalog
export { ProductCreated, productSnapshotSchema, variantSnapshotSchema } from './catalog/product-created.event.ts';
export { VariantPriceChanged } from './catalog/variant-price-changed.event.ts';
export { CategoryCreated } from './catalog/category-created.event.ts';
export { ProductStatusChanged } from './catalog/product-status-changed.event.ts';
// customers
export { CustomerRegistered } from './customers/customer-registered.event.ts';
// inventory
export { StockLevelChanged } from './inventory/stock-level-changed.event.ts';
export { StockReserved } from './inventory/stock-reserved.event.ts';
export { StockReservationFailed } from './inventory/stock-reservation-failed.event.ts';
export { StockReleased } from './inventory/stock-released.event.ts';
export { StockCommitted } from './inventory/stock-committed.event.ts';
// orders (the checkout saga)
export { OrderPlaced, orderLineSchema } from './orders/order-placed.event.ts';
export { PaymentRequested, PaymentRequestedV1 } from './orders/payment-requested.event.ts';
export { forgetPaymentToken, isPaymentTokenRef, keepPaymentToken, paymentTokenKey, readPaymentToken, PAYMENT_TOKEN_KEY_PREFIX, type PaymentTokenStore } from './orders/payment-token.ts';
export { OrderConfirmed } from './orders/order-confirmed.event.ts';
export { OrderCancelled } from './orders/order-cancelled.event.ts';
export { OrderRefunded } from './orders/order-refunded.event.ts';
// payments
export { PaymentAuthorized, paymentIdOfOrder } from './payments/payment-authorized.event.ts';
export { PaymentDeclined } from './payments/payment-declined.event.ts';
export { PaymentVoided } from './payments/payment-voided.event.ts';
export { PaymentCaptured } from './payments/payment-captured.event.ts';
export { PaymentRefunded } from './payments/payment-refunded.event.ts';
export { PaymentRefundRejected } from './payments/payment-refund-rejected.event.ts';
// support
export { RefundRequested } from './support/refund-requested.event.ts';
export { TicketOpened, ticketCategorySchema, ticketPrioritySchema } from './support/ticket-opened.event.ts';
export { TicketResolved } from './support/ticket-resolved.event.ts';
export { SatisfactionRated } from './support/satisfaction-rated.event.ts';
export { TicketSlaBreached } from './support/ticket-sla-breached.event.ts';
export { ProductFlagged } from './support/product-flagged.event.ts';
// platform (published by the event package itself)
export { EventDeadLettered } from './platform/event-dead-lettered.event.ts';
// cart
export { CartLineAdded } from './cart/cart-line-added.event.ts';
// analytics
export { InteractionsRecorded, interactionSchema, interactionTypeSchema } from './analytics/interactions-recorded.event.ts';
export { ActivityForgotten } from './analytics/activity-forgotten.event.ts';
// reviews
export { ReviewAdded } from './reviews/review-added.event.ts';
// webhooks
export { WebhookDeliveryRequested } from './webhooks/webhook-delivery-requested.event.ts';
export { WebhookEndpointDisabled } from './webhooks/webhook-endpoint-disabled.event.ts';
