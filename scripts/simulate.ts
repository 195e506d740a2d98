/**
 * `npm run simulate -- --shoppers N [--sessions S] [--views V] [--router URL] [--seed K]`:
 * simulated shoppers with planted tastes drive a running platform through the router (views,
 * searches, recommendations shown and clicked, carts, orders), so the analytics board and the
 * recommendations' feedback loop can be watched live. Start the platform first (`npm start`).
 */
import { simulateShoppers } from './lib/shopper-simulation.ts';

const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1]! : fallback;
};
const shoppers = Number(option('shoppers', '20'));
if (!Number.isInteger(shoppers) || shoppers < 1) {
  console.error('usage: npm run simulate -- --shoppers N [--sessions S] [--views V] [--router URL] [--seed K]');
  process.exit(2);
}
try {
  const report = await simulateShoppers({
    routerUrl: option('router', process.env.ROUTER_URL ?? 'http://127.0.0.1:4000/graphql'),
    shoppers,
    sessions: Number(option('sessions', '2')),
    views: Number(option('views', '6')),
    seed: Number(option('seed', String(Date.now() % 100_000))),
    log: (line) => console.log(`[simulate] ${line}`),
  });
  console.log(
    `[simulate] ${report.shoppers} shoppers in ${(report.durationMs / 1000).toFixed(1)} s: ${report.events} events tracked, ${report.views} views, ${report.searches} searches, ` +
      `${report.shown} recommendation lists shown, ${report.clicks} clicked, ${report.addToCarts} add-to-carts, ${report.orders} orders, ${report.failures} failed`,
  );
  process.exitCode = report.failures > 0 ? 1 : 0;
} catch (err) {
  console.error(`[simulate] ${(err as Error).message}`);
  process.exitCode = 1;
}
