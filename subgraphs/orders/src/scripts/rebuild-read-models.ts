/**
 * Rebuilds the orders read model (order_views) from the order streams (order_events).
 *   npm run rebuild-read-models            (from the repo root; uses the orders config)
 * Safe while the service runs: the new collection is built aside and swapped in.
 */
import { connectMongo, createLogger } from '@commerce/platform';
import { loadOrdersConfig } from '../config.ts';
import { rebuildOrderViews } from '../domain/rebuild.ts';

const env = { ROUTER_SECRET: 'not-used-by-this-command', MONGO_URL: 'mongodb://127.0.0.1:27017/?directConnection=true', ...process.env };
const config = loadOrdersConfig(env);
const logger = createLogger('orders-rebuild', config.logLevel);
const conn = await connectMongo({ url: config.mongoUrl, dbName: config.dbName, logger });
try {
  const n = await rebuildOrderViews({ db: conn.db!, logger });
  console.log(`rebuilt order_views from the streams: ${n} orders`);
} finally {
  await conn.close();
}
