// Docker HEALTHCHECK: GET /health/live of the service this container runs (SERVICE), with node,
// since slim images have neither curl nor wget. The port follows the services' own config:
// ROUTER_PORT (4000) for the router, <SERVICE>_PORT else the subgraph's package.json commerce.port.
import { readFileSync } from 'node:fs';

const service = process.env.SERVICE || 'router';
let port;
if (service === 'router') {
  port = process.env.ROUTER_PORT || '4000';
} else {
  const prefix = service.toUpperCase().replace(/[^A-Z0-9]/g, '_');
  port = process.env[`${prefix}_PORT`];
  if (!port) {
    const pkg = JSON.parse(readFileSync(new URL(`../subgraphs/${service}/package.json`, import.meta.url), 'utf8'));
    port = String(pkg.commerce?.port ?? '');
  }
}

try {
  const res = await fetch(`http://127.0.0.1:${port}/health/live`, { signal: AbortSignal.timeout(2500) });
  await res.body?.cancel();
  process.exit(res.ok ? 0 : 1);
} catch (err) {
  console.error(`${service} /health/live on port ${port}: ${err instanceof Error ? err.message : err}`);
  process.exit(1);
}
