import { z } from 'zod';
import { envelopeSchema, makeEnvelope, type EventEnvelope, type EventMeta } from './envelope.ts';

/**
 * One event contract: its versioned type (which is also its subject) and the runtime schema of its
 * data. Publishers and consumers both import the contract, so names cannot drift apart.
 */
export interface EventContract<S extends z.ZodType = z.ZodType> {
  type: string;
  subject: string;
  schema: S;
  create(data: z.infer<S>, meta: EventMeta): EventEnvelope<z.infer<S>>;
  /** validates an incoming envelope of this type; throws a ZodError when it does not conform */
  parse(raw: unknown): EventEnvelope<z.infer<S>>;
}

export type EventOf<C extends EventContract> = EventEnvelope<z.infer<C['schema']>>;

export function defineEvent<S extends z.ZodType>(type: string, schema: S): EventContract<S> {
  if (!/^commerce\.[a-z-]+\.[a-z-]+\.v\d+$/.test(type)) throw new Error(`bad event type ${type}: want commerce.<domain>.<name>.v<N>`);
  return {
    type,
    subject: type,
    schema,
    create(data, meta) {
      return makeEnvelope(type, schema.parse(data) as z.infer<S>, meta);
    },
    parse(raw) {
      const env = envelopeSchema.parse(raw);
      if (env.type !== type) throw new Error(`expected ${type}, got ${env.type}`);
      return { ...env, data: schema.parse(env.data) } as EventEnvelope<z.infer<S>>;
    },
  };
}

/**
 * A catch-all "contract" for a wildcard subject (e.g. `commerce.orders.>`): the envelope is
 * validated, the data is not. For consumers that react to any event of an aggregate the same way
 * (e.g. refreshing a read model from the source of truth).
 */
export function anyEventOn(subject: string): EventContract<z.ZodUnknown> {
  return {
    type: subject,
    subject,
    schema: z.unknown(),
    create() {
      throw new Error(`anyEventOn(${subject}) cannot create events`);
    },
    parse(raw) {
      return envelopeSchema.parse(raw) as EventEnvelope<unknown>;
    },
  };
}
