/**
 * `tsx packages/infra/src/cli.ts`: finds or starts MongoDB, NATS and Redis, prints their URLs as
 * JSON on stdout (progress goes to stderr), and keeps whatever it started running until
 * SIGINT/SIGTERM.
 */
import { ensureInfrastructure, InfrastructureError } from './index.ts';

try {
  const infra = await ensureInfrastructure();
  const { mongoUrl, mongoKind, natsUrl, redisUrl } = infra;
  console.log(JSON.stringify({ mongoUrl, mongoKind, natsUrl, redisUrl }, null, 2));

  // Started servers keep the event loop alive by themselves, but when everything was already
  // running nothing would: hold it open until a signal.
  const keepAlive = setInterval(() => undefined, 1 << 30);
  let signalled = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (signalled) process.exit(1); // second Ctrl-C: do not wait any longer
    signalled = true;
    console.error(`[infra] ${signal}: stopping what was started…`);
    void infra.stop().finally(() => {
      clearInterval(keepAlive);
      process.exit(0);
    });
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
} catch (err) {
  console.error(err instanceof InfrastructureError ? `[infra] ${err.message}` : err);
  process.exit(1);
}
