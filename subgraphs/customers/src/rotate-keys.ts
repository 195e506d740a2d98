import { connectMongo, createLogger } from '@commerce/platform';
import { retiredKeyLifetimeSeconds } from './domain/key-ring.ts';
import { createKeyRingManager } from './domain/key-ring-manager.ts';
import { resolveSigningKey } from './domain/signing-key.ts';
import { createKeyRingStore } from './model/key-ring.store.ts';
import { loadCustomersConfig } from './index.ts';

export interface RotationOutcome {
  version: number;
  current: string;
  next: string;
  retired: string[];
}

/**
 * One rotation of the access-token signing keys (`npm run keys:rotate`), against the customers
 * database of `env`: next → current, current → retired, a new next. Running instances pick the new
 * ring up within JWT_KEYRING_REFRESH_MS; tokens signed before stay valid until they expire, because
 * the retired key stays in the JWKS for one token lifetime. Nobody is logged out.
 */
export async function rotateSigningKeys(env: NodeJS.ProcessEnv = process.env): Promise<RotationOutcome> {
  const config = loadCustomersConfig(env);
  const logger = createLogger('customers-keys', config.logLevel);
  const conn = await connectMongo({ url: config.mongoUrl, dbName: config.dbName });
  try {
    const keyRing = await createKeyRingManager({
      store: createKeyRingStore(conn.db!, config.jwt.keyRingSecret),
      tokenLifetimeSeconds: retiredKeyLifetimeSeconds([config.jwt.ttlSeconds, config.oauth.clientCredentialsTtlSeconds]),
      // only used when no ring exists yet (the service never started on this database)
      seed: async () => {
        const key = await resolveSigningKey({ nodeEnv: config.nodeEnv, ...config.jwt }, logger);
        return { pem: key.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), kid: key.kid };
      },
      logger,
    });
    const version = await keyRing.rotate();
    if (version === undefined) throw new Error('another rotation happened at the same moment; nothing was changed by this one (run it again if you meant two)');
    const published = keyRing.active().published;
    return {
      version,
      current: published.find((k) => k.state === 'current')!.kid,
      next: published.find((k) => k.state === 'next')!.kid,
      retired: published.filter((k) => k.state === 'retired').map((k) => k.kid),
    };
  } finally {
    await conn.close();
  }
}
