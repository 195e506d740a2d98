/**
 * `npm run check-consistency`: compares orders, inventory reservations and stock, and payments
 * across the three services' databases, and reports every discrepancy (exit 1 when any).
 * Databases: <SERVICE>_MONGO_URL or MONGO_URL (default 127.0.0.1:27017), names <SERVICE>_DB_NAME
 * or commerce_<service>. `--settle <ms>` waits for in-flight sagas (default 10000).
 */
import { MongoClient } from 'mongodb';
import { checkConsistency } from './lib/consistency.ts';

const args = process.argv.slice(2);
const settleArg = args.indexOf('--settle');
const settleMs = settleArg >= 0 ? Number(args[settleArg + 1]) : 10_000;
const clients: MongoClient[] = [];
async function dbOf(service: string) {
  const prefix = service.toUpperCase();
  const url = process.env[`${prefix}_MONGO_URL`] ?? process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27017/?directConnection=true';
  const client = new MongoClient(url, { serverSelectionTimeoutMS: 3000 });
  clients.push(client);
  await client.connect();
  return client.db(process.env[`${prefix}_DB_NAME`] ?? `commerce_${service}`);
}
try {
  const report = await checkConsistency({ orders: await dbOf('orders'), inventory: await dbOf('inventory'), payments: await dbOf('payments') }, { settleMs });
  const o = report.orders;
  console.log(`orders: ${o.total} (${o.confirmed} confirmed, ${o.cancelled} cancelled, ${o.pending} pending); reservations: ${report.reservations}; payments: ${report.payments}; stock levels: ${report.stockLevels}`);
  for (const d of report.discrepancies) console.log(`  discrepancy: ${d}`);
  console.log(`${report.discrepancies.length} discrepancies`);
  process.exitCode = report.discrepancies.length ? 1 : 0;
} catch (err) {
  console.error((err as Error).message);
  process.exitCode = 2;
} finally {
  await Promise.all(clients.map((c) => c.close()));
}
