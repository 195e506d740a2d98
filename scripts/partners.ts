/**
 * `npm run partners -- <command>`: the partner workflow against a running router, as an admin
 * (ADMIN_EMAIL / ADMIN_PASSWORD, default: the development seed admin; ROUTER_URL, default
 * http://127.0.0.1:4000/graphql).
 *
 *   create <name>                       creates a partner; prints its id and, once, its API key
 *   publish <partnerId> <manifest.json> replaces the partner's safelist with the manifest
 *   key <partnerId>                     issues another API key (rotation)
 *   revoke <partnerId> [keyId]          revokes one key, or all of the partner's keys
 */
import { readFileSync } from 'node:fs';
import { createApiKey, createPartner, logInAdmin, publishManifest, revokeApiKey } from './lib/partners-client.ts';

const [command, ...rest] = process.argv.slice(2);
const routerUrl = process.env.ROUTER_URL ?? 'http://127.0.0.1:4000/graphql';
const usage = 'usage: npm run partners -- create <name> | publish <partnerId> <manifest.json> | key <partnerId> | revoke <partnerId> [keyId]';

try {
  const session = () => logInAdmin(routerUrl, process.env.ADMIN_EMAIL ?? 'admin@example.com', process.env.ADMIN_PASSWORD ?? 'admin-password');
  switch (command) {
    case 'create': {
      if (!rest[0]) throw new Error(usage);
      const p = await createPartner(await session(), rest.join(' '));
      console.log(`partner ${p.id} (${p.name})\nAPI key (shown once, store it now): ${p.apiKey}`);
      break;
    }
    case 'publish': {
      if (!rest[0] || !rest[1]) throw new Error(usage);
      const n = await publishManifest(await session(), rest[0], readFileSync(rest[1], 'utf8'));
      console.log(`published ${n} operations for ${rest[0]}`);
      break;
    }
    case 'key': {
      if (!rest[0]) throw new Error(usage);
      console.log(`API key (shown once, store it now): ${await createApiKey(await session(), rest[0])}`);
      break;
    }
    case 'revoke': {
      if (!rest[0]) throw new Error(usage);
      await revokeApiKey(await session(), rest[0], rest[1]);
      console.log(`revoked ${rest[1] ?? 'every key'} of ${rest[0]}`);
      break;
    }
    default:
      throw new Error(usage);
  }
} catch (err) {
  console.error((err as Error).message);
  process.exit(1);
}
