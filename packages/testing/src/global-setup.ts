import type { TestProject } from 'vitest/node';
import { ensureInfrastructure, type Infrastructure } from '@commerce/infra';

declare module 'vitest' {
  export interface ProvidedContext {
    mongoUrl: string;
    mongoKind: string;
    natsUrl: string;
    redisUrl: string;
  }
}

let infra: Infrastructure | undefined;

/** Starts (or finds) MongoDB-compatible server, NATS and Redis once for the whole test run. */
export async function setup(project: TestProject): Promise<void> {
  infra = await ensureInfrastructure({ log: (l) => console.error(`[infra] ${l}`) });
  project.provide('mongoUrl', infra.mongoUrl);
  project.provide('mongoKind', infra.mongoKind);
  project.provide('natsUrl', infra.natsUrl);
  project.provide('redisUrl', infra.redisUrl);
}

export async function teardown(): Promise<void> {
  await infra?.stop();
}
