import { describe, expect, it } from 'vitest';
import { createLogger, isSecretKey, redactSecrets, REDACTED } from '../src/logger.ts';

/** A logger whose lines are collected (parsed) instead of written to stdout. */
function capture() {
  const lines: string[] = [];
  const logger = createLogger('test', 'info', { write: (line: string) => void lines.push(line) });
  return { logger, lines, parsed: () => lines.map((l) => JSON.parse(l) as Record<string, any>) };
}

describe('logger redaction', () => {
  it('redacts secret fields at every depth, through objects and arrays, leaving the rest and the input untouched', () => {
    const { logger, lines, parsed } = capture();
    const input = {
      orderId: 'ord_1',
      paymentToken: 'tok_visa',
      l1: {
        l2: {
          l3: [
            { l4: { l5: { l6: { paymentToken: 'tok_visa', password: 'hunter2', keep: 'visible' } } } },
            { headers: { authorization: 'Bearer secret-jwt', 'x-api-key': 'pk_live', 'X-Commerce-Context': 'signed', accept: 'json' } },
          ],
          data: { event: { data: { paymentToken: 'tok_mastercard', amount: { amount: 2500, currencyCode: 'USD' } } } },
        },
      },
      creds: { accessToken: 'at', refresh_token: 'rt', passwordHash: 'scrypt$…', routerSecret: 'rs', newPassword: 'pw' },
      paymentTokenRef: 'ptok_0123', // a reference is not the secret
      count: 3,
    };
    const snapshot = JSON.stringify(input);
    logger.info(input, 'checkout');

    expect(lines).toHaveLength(1);
    for (const secret of ['tok_visa', 'tok_mastercard', 'hunter2', 'secret-jwt', 'pk_live', 'signed', 'scrypt', '"rt"', '"at"', '"rs"', '"pw"']) expect(lines[0]).not.toContain(secret);
    const [line] = parsed();
    expect(line).toMatchObject({ service: 'test', msg: 'checkout', orderId: 'ord_1', paymentToken: REDACTED, paymentTokenRef: 'ptok_0123', count: 3 });
    expect(line!.l1.l2.l3[0].l4.l5.l6).toEqual({ paymentToken: REDACTED, password: REDACTED, keep: 'visible' });
    expect(line!.l1.l2.l3[1].headers).toEqual({ authorization: REDACTED, 'x-api-key': REDACTED, 'X-Commerce-Context': REDACTED, accept: 'json' });
    expect(line!.l1.l2.data.event.data).toEqual({ paymentToken: REDACTED, amount: { amount: 2500, currencyCode: 'USD' } });
    expect(line!.creds).toEqual({ accessToken: REDACTED, refresh_token: REDACTED, passwordHash: REDACTED, routerSecret: REDACTED, newPassword: REDACTED });
    expect(JSON.stringify(input)).toBe(snapshot); // the caller's object is not changed
  });

  it('redacts in child bindings and in a logged error\'s own fields', () => {
    const { logger, lines, parsed } = capture();
    logger.child({ request: { body: { variables: { input: { paymentToken: 'tok_visa', cartId: 'cart_1' } } } } }).warn('placeOrder failed');
    logger.child({ service2: 'x' }).child({ deeper: { ctx: { authorization: 'Bearer secret-jwt' } } }).info('grandchild');
    const err = Object.assign(new Error('provider said no'), { request: { headers: { authorization: 'Bearer secret-jwt' } }, details: [{ token: 'tok_visa' }] });
    logger.error({ err, attempt: 2 }, 'authorize failed');

    expect(lines.join('\n')).not.toContain('tok_visa');
    expect(lines.join('\n')).not.toContain('secret-jwt');
    const [bound, grandchild, failed] = parsed();
    expect(bound!.request.body.variables.input).toEqual({ paymentToken: REDACTED, cartId: 'cart_1' });
    expect(grandchild!.deeper.ctx.authorization).toBe(REDACTED);
    expect(failed!.err).toMatchObject({ type: 'Error', message: 'provider said no', request: { headers: { authorization: REDACTED } }, details: [{ token: REDACTED }] });
    expect(failed!.err.stack).toContain('provider said no');
    expect(failed!.attempt).toBe(2);
  });

  it('survives cycles and leaves what holds no secret as it is (no copy)', () => {
    const a: Record<string, unknown> = { name: 'a', paymentToken: 'tok_visa' };
    a.self = a;
    const out = redactSecrets(a) as Record<string, any>;
    expect(out.paymentToken).toBe(REDACTED);
    expect(out.self.paymentToken).toBe(REDACTED);
    const clean = { a: { b: [1, { c: 'd' }] }, at: new Date(0) };
    expect(redactSecrets(clean)).toBe(clean);
    const { logger, lines } = capture();
    logger.info({ a }, 'cyclic');
    expect(lines[0]).not.toContain('tok_visa');
  });

  it('knows secret names, and not their references or ordinary fields', () => {
    for (const k of ['password', 'paymentToken', 'payment_token', 'token', 'authorization', 'x-api-key', 'x-commerce-context', 'accessToken', 'routerSecret', 'cookie']) expect(isSecretKey(k), k).toBe(true);
    for (const k of ['paymentTokenRef', 'tokens', 'orderId', 'idempotencyKey', 'amount', 'eventType']) expect(isSecretKey(k), k).toBe(false);
  });
});
