import { allow, isAdmin, isAuthenticated, isSupportAgent, type IRules } from '@commerce/platform';

/**
 * Who may do what. The fallback is deny: a new type or field is closed until listed here.
 * Customers' rules (own tickets only, no internal notes) are applied by the resolvers and the
 * domain (domain/ticket.ts canRead, visibleMessages); the shield gates by role.
 */
export const permissions: IRules = {
  Query: { ticket: isAuthenticated, supportQueue: isSupportAgent, supportFigures: isAdmin, flaggedProducts: isSupportAgent },
  Mutation: {
    openTicket: isAuthenticated,
    postTicketMessage: isAuthenticated,
    closeTicket: isAuthenticated,
    rateTicket: isAuthenticated,
    assignTicket: isSupportAgent,
    resolveTicket: isSupportAgent,
    refundFromTicket: isSupportAgent,
  },
  Order: { id: allow, tickets: isAuthenticated },
  Payment: { id: allow, tickets: isAuthenticated },
  Customer: { id: allow, tickets: isAuthenticated },
  Ticket: allow,
  TicketMessage: allow,
  TicketRefund: allow,
  TicketSatisfaction: allow,
  TicketEdge: allow,
  TicketConnection: allow,
  TicketPayload: allow,
  PostTicketMessagePayload: allow,
  RefundFromTicketPayload: allow,
  SupportDailyFigures: allow,
  ProductSupportSignal: allow,
  PageInfo: allow,
  UserError: allow,
  Money: allow,
};
