import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';

/**
 * A local stub of the few Stripe API endpoints the adapter uses, started by the tests:
 * `POST /v1/payment_intents` (manual capture, confirmed at once), `GET /v1/payment_intents/:id`,
 * `POST /v1/payment_intents/:id/capture`, `POST /v1/payment_intents/:id/cancel`, `POST /v1/refunds`.
 * Stripe-shaped JSON and errors (`{ error: { type, code, decline_code, … } }` with Stripe's status
 * codes), the API key checked (Bearer), and Stripe's idempotency: a key seen before with the same
 * path and parameters replays the stored response (`Idempotent-Replayed: true`), with other
 * parameters answers 400 idempotency_error. Every request is recorded with its Idempotency-Key.
 *
 * Card tokens: tok_visa (visa 4242), tok_mastercard (mastercard 4444) authorize;
 * tok_chargeDeclined → card_declined; tok_insufficientFunds → card_declined / insufficient_funds;
 * anything else → resource_missing (no such token).
 */
export interface StubRequest {
  method: string;
  path: string;
  idempotencyKey: string | undefined;
  params: Record<string, string>;
  replayed: boolean;
}

interface Intent {
  id: string;
  object: 'payment_intent';
  amount: number;
  currency: string;
  status: string;
  capture_method: string;
  amount_capturable: number;
  amount_received: number;
  latest_charge: string | null;
  payment_method: string | null;
  metadata: Record<string, string>;
}

const CARDS: Record<string, { brand: string; last4: string }> = {
  tok_visa: { brand: 'visa', last4: '4242' },
  tok_mastercard: { brand: 'mastercard', last4: '4444' },
};
const DECLINES: Record<string, { code: string; decline_code: string; message: string }> = {
  tok_chargeDeclined: { code: 'card_declined', decline_code: 'generic_decline', message: 'Your card was declined.' },
  tok_insufficientFunds: { code: 'card_declined', decline_code: 'insufficient_funds', message: 'Your card has insufficient funds.' },
};

const id = (prefix: string) => `${prefix}_${randomBytes(12).toString('hex')}`;

export class StripeStub {
  readonly requests: StubRequest[] = [];
  readonly intents = new Map<string, Intent>();
  readonly refunds = new Map<string, { id: string; amount: number; payment_intent: string; currency: string; status: string; metadata: Record<string, string> }>();
  private readonly paymentMethods = new Map<string, { brand: string; last4: string }>();
  private readonly idempotency = new Map<string, { fingerprint: string; status: number; body: unknown }>();
  /** the next N requests answer 500 without doing anything (provider down) */
  failNext = 0;
  private server!: Server;
  url = '';

  constructor(readonly apiKey: string) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((err) => {
        res.writeHead(500);
        res.end(String(err));
      });
    });
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', () => r()));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((r) => this.server.close(r));
  }

  /** the recorded requests to a path (e.g. `/v1/refunds`), or matching a pattern */
  to(path: string | RegExp): StubRequest[] {
    return this.requests.filter((r) => (typeof path === 'string' ? r.path === path : path.test(r.path)));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req as AsyncIterable<Buffer>) chunks.push(c);
    const raw = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://stub');
    const params = Object.fromEntries(new URLSearchParams(req.method === 'GET' ? url.search : raw));
    const key = req.headers['idempotency-key'] as string | undefined;
    const method = req.method ?? 'GET';
    const entry: StubRequest = { method, path: url.pathname, idempotencyKey: key, params, replayed: false };
    this.requests.push(entry);
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', 'request-id': id('req'), ...headers });
      res.end(JSON.stringify(body));
    };
    if (req.headers.authorization !== `Bearer ${this.apiKey}`) {
      return send(401, { error: { type: 'invalid_request_error', message: 'Invalid API Key provided' } });
    }
    if (this.failNext > 0) {
      this.failNext -= 1;
      return send(500, { error: { type: 'api_error', message: 'simulated outage' } }, { 'stripe-should-retry': 'false' });
    }
    const fingerprint = `${method} ${url.pathname} ${raw}`;
    if (key && method === 'POST') {
      const seen = this.idempotency.get(key);
      if (seen) {
        entry.replayed = true;
        if (seen.fingerprint !== fingerprint) {
          return send(400, { error: { type: 'idempotency_error', message: 'Keys for idempotent requests can only be used with the same parameters they were first used with.' } });
        }
        return send(seen.status, seen.body, { 'idempotent-replayed': 'true' });
      }
    }
    const [status, body] = this.route(method, url.pathname, params);
    if (key && method === 'POST' && status !== 500) this.idempotency.set(key, { fingerprint, status, body });
    send(status, body);
  }

  private intentView(intent: Intent, params: Record<string, string>): unknown {
    const expanded = Object.entries(params).some(([k, v]) => k.startsWith('expand[') && v === 'payment_method');
    if (!expanded || !intent.payment_method) return intent;
    const card = this.paymentMethods.get(intent.payment_method)!;
    return { ...intent, payment_method: { id: intent.payment_method, object: 'payment_method', type: 'card', card: { brand: card.brand, last4: card.last4 } } };
  }

  private route(method: string, path: string, p: Record<string, string>): [number, unknown] {
    const invalid = (message: string, code?: string, param?: string): [number, unknown] => [400, { error: { type: 'invalid_request_error', message, ...(code ? { code } : {}), ...(param ? { param } : {}) } }];
    if (method === 'POST' && path === '/v1/payment_intents') {
      if (p.capture_method !== 'manual' || p.confirm !== 'true') return invalid('stub: expects capture_method=manual and confirm=true');
      const token = p['payment_method_data[card][token]'];
      const intent: Intent = {
        id: id('pi'), object: 'payment_intent', amount: Number(p.amount), currency: p.currency!, status: 'requires_payment_method', capture_method: 'manual',
        amount_capturable: 0, amount_received: 0, latest_charge: null, payment_method: null, metadata: {},
      };
      if (!token || (!CARDS[token] && !DECLINES[token])) return invalid(`No such token: '${token}'`, 'resource_missing', 'payment_method_data[card][token]');
      this.intents.set(intent.id, intent);
      const decline = DECLINES[token];
      if (decline) return [402, { error: { type: 'card_error', ...decline, payment_intent: intent } }];
      const pm = id('pm');
      this.paymentMethods.set(pm, CARDS[token]!);
      Object.assign(intent, { status: 'requires_capture', amount_capturable: intent.amount, payment_method: pm, latest_charge: id('ch') });
      return [200, this.intentView(intent, p)];
    }
    const m = /^\/v1\/payment_intents\/([^/]+)(?:\/(capture|cancel))?$/.exec(path);
    if (m) {
      const intent = this.intents.get(m[1]!);
      if (!intent) return [404, { error: { type: 'invalid_request_error', code: 'resource_missing', param: 'intent', message: `No such payment_intent: '${m[1]}'` } }];
      if (method === 'GET' && !m[2]) return [200, this.intentView(intent, p)];
      const unexpected = (): [number, unknown] => invalid(`This PaymentIntent's status is ${intent.status}`, 'payment_intent_unexpected_state');
      if (m[2] === 'capture') {
        if (intent.status !== 'requires_capture') return unexpected();
        Object.assign(intent, { status: 'succeeded', amount_received: intent.amount, amount_capturable: 0 });
        return [200, intent];
      }
      if (m[2] === 'cancel') {
        if (intent.status !== 'requires_capture' && intent.status !== 'requires_payment_method') return unexpected();
        Object.assign(intent, { status: 'canceled', amount_capturable: 0 });
        return [200, intent];
      }
    }
    if (method === 'POST' && path === '/v1/refunds') {
      const intent = this.intents.get(p.payment_intent ?? '');
      if (!intent) return [404, { error: { type: 'invalid_request_error', code: 'resource_missing', param: 'payment_intent', message: 'No such payment_intent' } }];
      if (intent.status !== 'succeeded') return invalid('This PaymentIntent has no successful charge to refund', 'charge_not_refundable');
      const refunded = [...this.refunds.values()].filter((r) => r.payment_intent === intent.id).reduce((t, r) => t + r.amount, 0);
      const amount = p.amount ? Number(p.amount) : intent.amount_received - refunded;
      if (refunded + amount > intent.amount_received) return invalid(`Refund amount (${amount}) is greater than unrefunded amount on charge (${intent.amount_received - refunded})`, 'charge_exceeds_source_limit', 'amount');
      const metadata = Object.fromEntries(Object.entries(p).filter(([k]) => k.startsWith('metadata[')).map(([k, v]) => [k.slice(9, -1), v]));
      const refund = { id: id('re'), object: 'refund', amount, payment_intent: intent.id, currency: intent.currency, status: 'succeeded', metadata };
      this.refunds.set(refund.id, refund);
      return [200, refund];
    }
    return [404, { error: { type: 'invalid_request_error', message: `Unrecognized request URL (${method}: ${path})` } }];
  }
}
