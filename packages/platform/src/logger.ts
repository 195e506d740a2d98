import { pino, type DestinationStream, type Logger } from 'pino';
import { activeTraceFields } from './trace.ts';

export type { Logger };

/** What a redacted value is replaced with. */
export const REDACTED = '[redacted]';

/** Secret field names, compared lower-case without separators (`x-api-key` → `xapikey`). */
const SECRET_NAMES = new Set(['password', 'passwordhash', 'token', 'accesstoken', 'refreshtoken', 'idtoken', 'paymenttoken', 'authorization', 'proxyauthorization', 'cookie', 'setcookie', 'xapikey', 'apikey', 'xcommercecontext', 'privatekey', 'secret', 'clientsecret']);

/**
 * True for the name of a field whose value must never reach a log line: passwords and their
 * hashes, tokens of every kind (access, refresh, payment…), credentials in headers (authorization,
 * cookies, `x-api-key`, the signed `x-commerce-context`), keys and secrets. Also any name ending
 * in `password`, `token` or `secret` (`newPassword`, `paymentToken`, `routerSecret`).
 */
export function isSecretKey(key: string): boolean {
  const k = key.toLowerCase().replace(/[^a-z0-9]/g, '');
  return SECRET_NAMES.has(k) || k.endsWith('password') || k.endsWith('token') || k.endsWith('secret');
}

function isRecord(v: object): v is Record<string, unknown> {
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * A copy of `value` with the value of every secret field (`isSecretKey`) replaced by
 * `[redacted]`, at any depth, through plain objects and arrays (cycles included). What holds no
 * secret is returned as it is (no copy); the input is never changed. Other objects (Dates,
 * Buffers, class instances) are left to their own JSON form.
 */
export function redactSecrets<T>(value: T): T {
  return walk(value, new Map()) as T;
}

function walk(v: unknown, seen: Map<object, unknown>): unknown {
  if (v === null || typeof v !== 'object') return v;
  if (seen.has(v)) return seen.get(v);
  if (Array.isArray(v)) {
    seen.set(v, v);
    let copy: unknown[] | null = null;
    for (let i = 0; i < v.length; i++) {
      const item = walk(v[i], seen);
      if (item !== v[i]) {
        copy ??= v.slice();
        copy[i] = item;
      }
    }
    if (copy) seen.set(v, copy);
    return copy ?? v;
  }
  if (!isRecord(v)) return v;
  seen.set(v, v);
  let copy: Record<string, unknown> | null = null;
  for (const key of Object.keys(v)) {
    const before = v[key];
    const after = isSecretKey(key) && before !== undefined && before !== null ? REDACTED : walk(before, seen);
    if (after !== before) {
      if (!copy) {
        copy = Object.assign(Object.create(Object.getPrototypeOf(v) as object | null) as Record<string, unknown>, v);
        seen.set(v, copy); // a cycle back to this object meets the copy
      }
      copy[key] = after;
    }
  }
  return copy ?? v;
}

/** pino's error serializer, then the same redaction over what it produced (an error's own fields, its causes). */
function serializeError(err: unknown): unknown {
  const out = pino.stdSerializers.err(err as Error) as unknown;
  return out && typeof out === 'object' ? redactSecrets({ ...(out as Record<string, unknown>) }) : out;
}

/**
 * JSON logs (pino). Secrets never reach a log line: the value of every secret field
 * (`isSecretKey`: auth headers, passwords, tokens — payment tokens too — keys, secrets) is
 * replaced with `[redacted]` wherever it appears — in the logged object at any depth, in a child
 * logger's bindings, in a logged error's fields. pino's own `redact` paths cannot say "at any
 * depth", so the log and bindings formatters walk the objects instead. `destination`: where lines
 * go (default stdout; tests capture them). Every line logged inside an OpenTelemetry span carries
 * its `trace_id` and `span_id` (a mixin reading the active span).
 */
export function createLogger(service: string, level = 'info', destination?: DestinationStream): Logger {
  const options = {
    level,
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: {
      bindings: (bindings: Record<string, unknown>) => redactSecrets(bindings),
      log: (obj: Record<string, unknown>) => redactSecrets(obj),
    },
    serializers: { err: serializeError },
    // the active OpenTelemetry span of whatever is being handled (request, event): every line
    // logged inside it carries `trace_id` and `span_id`
    mixin: activeTraceFields,
  };
  const logger = destination ? pino(options, destination) : pino(options);
  // pino applies the bindings formatter to the root logger only: a child's bindings are redacted
  // here (children inherit this `child` from the root, so grandchildren too)
  const child = logger.child;
  logger.child = function (this: Logger, bindings: Record<string, unknown>, opts?: unknown) {
    return child.call(this, redactSecrets(bindings), opts as never);
  } as typeof logger.child;
  return logger;
}
