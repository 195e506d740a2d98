import { z } from 'zod';
import { loadServiceConfig, parseEnv, type ServiceConfig } from '@commerce/platform';
import { DEFAULT_SLA_HOURS, type SlaPolicy } from './domain/ticket.ts';

export interface SupportConfig extends ServiceConfig {
  /** hours until the first agent answer is due, per priority */
  sla: SlaPolicy;
  /** how often the SLA / auto-close sweep runs */
  sweepEveryMs: number;
  /** distinct product tickets that flag a product */
  productFlagThreshold: number;
}

const hours = z.coerce.number().positive();
const supportEnv = z.object({
  SUPPORT_SLA_HOURS_URGENT: hours.default(DEFAULT_SLA_HOURS.URGENT),
  SUPPORT_SLA_HOURS_HIGH: hours.default(DEFAULT_SLA_HOURS.HIGH),
  SUPPORT_SLA_HOURS_NORMAL: hours.default(DEFAULT_SLA_HOURS.NORMAL),
  SUPPORT_SLA_HOURS_LOW: hours.default(DEFAULT_SLA_HOURS.LOW),
  SUPPORT_SWEEP_EVERY_MS: z.coerce.number().int().min(100).default(30_000),
  SUPPORT_PRODUCT_FLAG_THRESHOLD: z.coerce.number().int().min(1).default(3),
});

/** Parsed once at start. */
export function loadSupportConfig(env: NodeJS.ProcessEnv): SupportConfig {
  const base = loadServiceConfig('support', 4008, env);
  const own = parseEnv(supportEnv, env);
  return {
    ...base,
    sla: { URGENT: own.SUPPORT_SLA_HOURS_URGENT, HIGH: own.SUPPORT_SLA_HOURS_HIGH, NORMAL: own.SUPPORT_SLA_HOURS_NORMAL, LOW: own.SUPPORT_SLA_HOURS_LOW },
    sweepEveryMs: own.SUPPORT_SWEEP_EVERY_MS,
    productFlagThreshold: own.SUPPORT_PRODUCT_FLAG_THRESHOLD,
  };
}
