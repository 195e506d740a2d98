import { HeaderMap } from '@apollo/server';
import { GraphQLError, type DocumentNode, type GraphQLErrorExtensions, type OperationDefinitionNode } from 'graphql';
import proxyaddr from 'proxy-addr';
import { Counter, Histogram } from 'prom-client';
import type { Redis } from '@commerce/platform';
import type { RouterContext } from '../context.ts';
import type { RouterPlugin } from '../plugin.ts';
import { actualCost, requestedCost } from '../cost/query-cost.ts';
import { createTokenBuckets, type BucketLimits } from '../cost/token-bucket.ts';
import type { RouterMetrics } from './use-metrics.ts';

export const CLIENT_CLASSES = ['anonymous', 'customer', 'partner', 'admin'] as const;
export type ClientClass = (typeof CLIENT_CLASSES)[number];

export interface RateLimitOptions {
  redis: Redis;
  enabled: boolean;
  /** bucket size and restore rate per client class */
  limits: Record<ClientClass, BucketLimits>;
  /** no single operation may cost more than this, whatever the bucket holds (MAX_COST_EXCEEDED) */
  maxCost: number;
  defaultListSize: number;
  mutationCost: number;
  /** proxy-addr trust list: X-Forwarded-For is believed only from these addresses */
  trustedProxies: string[];
  metrics: RouterMetrics;
}

export interface ThrottleStatus {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
}

export interface QueryCost {
  requestedQueryCost: number;
  actualQueryCost: number | null;
  throttleStatus: ThrottleStatus;
}

interface CostState {
  requested: number;
  bucket: string;
  limits: BucketLimits;
  /** points left in the bucket after taking this request's cost */
  available: number;
  /** refused: MAX_COST_EXCEEDED or THROTTLED */
  refused: boolean;
}

/**
 * Which bucket a request draws from: the partner, else the customer (admin), else the address.
 * A SUPPORT_AGENT without ADMIN draws from the customer class (a bucket of their own, per id).
 */
export function clientOf(ctx: RouterContext): { clientClass: ClientClass; key: string } {
  if (ctx.partner) return { clientClass: 'partner', key: `partner:${ctx.partner.id}` };
  if (ctx.user) return { clientClass: ctx.user.roles.includes('ADMIN') ? 'admin' : 'customer', key: `user:${ctx.user.id}` };
  return { clientClass: 'anonymous', key: `ip:${ctx.clientIp ?? 'unknown'}` };
}

const costByContext = new WeakMap<RouterContext, CostState>();

/**
 * Cost-based rate limiting (Shopify Storefront API style). Each operation's cost is calculated
 * before execution (see cost/query-cost.ts); it is refused with MAX_COST_EXCEEDED (400) above
 * `maxCost`, and with THROTTLED (429, Retry-After) when the client's bucket holds less. After
 * execution the unused part (requested − actual) is refunded. Every executed operation answers
 * `extensions.cost { requestedQueryCost actualQueryCost throttleStatus }`. If Redis is down the
 * request goes through unthrottled (logged): the limiter must not take the API down with it.
 */
export function useRateLimit(opts: RateLimitOptions): RouterPlugin {
  const buckets = createTokenBuckets(opts.redis);
  const trust = proxyaddr.compile(opts.trustedProxies);
  const throttled = new Counter({
    name: 'router_rate_limited_total',
    help: 'Operations refused because the client bucket was empty (THROTTLED) or the cost too high (MAX_COST_EXCEEDED)',
    labelNames: ['client_class', 'reason'],
    registers: [opts.metrics.registry],
  });
  const costs = new Histogram({
    name: 'router_query_cost',
    help: 'Requested cost of operations, by client class',
    labelNames: ['client_class'],
    buckets: [1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500],
    registers: [opts.metrics.registry],
  });

  // Apollo Server reads `extensions.http` (status, HeaderMap); other packages' declaration merging
  // may type `http.headers` differently, hence the widening cast.
  const fail = (message: string, code: string, status: number, headers: Record<string, string> = {}) =>
    new GraphQLError(message, { extensions: { code, http: { status, headers: new HeaderMap(Object.entries(headers)) } } as unknown as GraphQLErrorExtensions });
  const status = (limits: BucketLimits, available: number): ThrottleStatus => ({
    maximumAvailable: limits.maximum,
    currentlyAvailable: Math.floor(Math.min(limits.maximum, available)),
    restoreRate: limits.restoreRate,
  });

  return {
    name: 'rate-limit',

    onRequest(r) {
      r.context.clientIp = proxyaddr(r.req, trust);
    },

    apollo: {
      async requestDidStart() {
        return {
          async didResolveOperation(rc) {
            const ctx = rc.contextValue;
            const operation = rc.operation as OperationDefinitionNode;
            const { clientClass, key } = clientOf(ctx);
            const limits = opts.limits[clientClass];
            const requested = requestedCost(rc.schema, rc.document as DocumentNode, operation, rc.request.variables ?? {}, {
              defaultListSize: opts.defaultListSize,
              mutationCost: opts.mutationCost,
              cap: 10 * Math.max(opts.maxCost, limits.maximum),
            });
            costs.observe({ client_class: clientClass }, requested);
            const ceiling = Math.min(opts.maxCost, limits.maximum);
            const state: CostState = { requested, bucket: key, limits, available: limits.maximum, refused: false };
            costByContext.set(ctx, state);
            if (requested > ceiling) {
              state.refused = true;
              throttled.inc({ client_class: clientClass, reason: 'max_cost' });
              throw fail(`The operation costs ${requested} points; at most ${ceiling} are allowed per operation. Request fewer items or fields.`, 'MAX_COST_EXCEEDED', 400);
            }
            if (!opts.enabled) return;
            let take;
            try {
              take = await buckets.take(key, requested, limits);
            } catch (err) {
              ctx.logger.warn({ err }, 'rate limiter unavailable (Redis); request not throttled');
              return;
            }
            state.available = take.available;
            if (!take.allowed) {
              state.refused = true;
              throttled.inc({ client_class: clientClass, reason: 'throttled' });
              const retryAfter = Math.max(1, Math.ceil(take.retryAfterMs / 1000));
              throw fail(`Throttled: the operation costs ${requested} points and ${Math.floor(take.available)} are available; retry in ${retryAfter} s.`, 'THROTTLED', 429, { 'retry-after': String(retryAfter) });
            }
          },

          async willSendResponse(rc) {
            const state = costByContext.get(rc.contextValue);
            if (!state || rc.response.body.kind !== 'single') return;
            const result = rc.response.body.singleResult;
            if (state.refused) {
              const cost: QueryCost = { requestedQueryCost: state.requested, actualQueryCost: null, throttleStatus: status(state.limits, state.available) };
              result.extensions = { ...result.extensions, cost };
              return;
            }
            const actual = rc.operation ? actualCost(rc.document as DocumentNode, rc.operation, result.data, { mutationCost: opts.mutationCost }) : state.requested;
            const refund = opts.enabled ? Math.max(0, state.requested - actual) : 0;
            if (refund > 0) {
              // not awaited: the response need not wait for the refund to land
              buckets.refund(state.bucket, refund, state.limits).catch((err) => rc.contextValue.logger.warn({ err }, 'rate-limit refund failed'));
            }
            const cost: QueryCost = { requestedQueryCost: state.requested, actualQueryCost: actual, throttleStatus: status(state.limits, state.available + refund) };
            result.extensions = { ...result.extensions, cost };
          },
        };
      },
    },
  };
}
