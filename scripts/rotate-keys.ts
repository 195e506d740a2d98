/**
 * `npm run keys:rotate`: rotates the signing keys of access tokens (the customers service's key
 * ring): the published `next` key becomes current, the current one is retired (still in the JWKS
 * for one token lifetime), a new `next` is generated. Nobody is logged out. Uses the customers
 * service's configuration: CUSTOMERS_MONGO_URL or MONGO_URL (default 127.0.0.1:27017, what
 * `npm start` runs), CUSTOMERS_DB_NAME, JWT_KEYRING_SECRET (required in production).
 */
import { rotateSigningKeys } from '@commerce/customers';

process.env.MONGO_URL ??= 'mongodb://127.0.0.1:27017/?directConnection=true';
try {
  const r = await rotateSigningKeys(process.env);
  console.log(`key ring version ${r.version}\n  current ${r.current}\n  next    ${r.next}\n  retired ${r.retired.join(', ') || '(none)'}\nRunning customers instances switch within JWT_KEYRING_REFRESH_MS (default 30 s).`);
  process.exit(0);
} catch (err) {
  console.error((err as Error).message);
  process.exit(1);
}
