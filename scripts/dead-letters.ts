/**
 * Operator command for parked events (dead letters):
 *   npm run dead-letters -- list   --service <name> [--consumer <durable>]
 *   npm run dead-letters -- replay --service <name> <letter-id>
 * Replay marks the letter; the service's running consumer re-runs its handler within seconds
 * (through the same idempotency guard as live deliveries) and marks it `replayed`.
 * The database is <SERVICE>_MONGO_URL, else MONGO_URL, else 127.0.0.1:27017; db commerce_<service>.
 */
import { MongoClient } from 'mongodb';
import { listDeadLetters, requestReplay } from '@commerce/events';
import { mongoUrlFor } from '@commerce/infra';

const args = process.argv.slice(2);
const opt = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const command = args[0];
const service = opt('--service');
if (!service || (command !== 'list' && command !== 'replay')) {
  console.error('usage: npm run dead-letters -- list --service <name> [--consumer <durable>]\n       npm run dead-letters -- replay --service <name> <letter-id>');
  process.exit(2);
}
const prefix = service.toUpperCase();
const base = process.env[`${prefix}_MONGO_URL`] ?? process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27017/?directConnection=true';
const client = new MongoClient(base, { serverSelectionTimeoutMS: 3000 });
try {
  await client.connect();
  const db = client.db(process.env[`${prefix}_DB_NAME`] ?? new URL(mongoUrlFor(base, `commerce_${service}`)).pathname.slice(1));
  if (command === 'list') {
    const letters = await listDeadLetters(db, opt('--consumer'));
    if (letters.length === 0) console.log('no dead letters');
    for (const l of letters) {
      console.log(`${l._id}\n  status ${l.status}, ${l.attempts} attempts, parked ${l.parkedAt.toISOString()}, subject ${l.subject}\n  error: ${l.error}`);
    }
  } else {
    const id = args.find((a, i) => i > 0 && !a.startsWith('--') && args[i - 1] !== '--service');
    if (!id) throw new Error('replay needs a letter id (see list)');
    console.log((await requestReplay(db, id)) ? `replay requested for ${id}` : `no parked letter ${id}`);
  }
} catch (err) {
  console.error((err as Error).message);
  process.exitCode = 1;
} finally {
  await client.close();
}
