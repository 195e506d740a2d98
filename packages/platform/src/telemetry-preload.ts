/**
 * Preload of a service process: `node --import tsx --import ./packages/platform/src/telemetry-preload.ts <entry>`
 * (deploy/docker-entrypoint.sh, scripts/start.ts). It registers the tracer provider and the
 * instrumentations (http, graphql, mongodb, ioredis) before the service's own modules are
 * loaded, which is when the instrumentations can patch them: ESM imports through
 * import-in-the-middle (its loader hook, registered here), CommonJS requires through
 * require-in-the-middle. Without the preload `runMain` still starts tracing (manual spans and
 * propagation work; modules loaded before it are not patched).
 */
import { register } from 'node:module';
import { startTelemetry, serviceNameOf } from './telemetry.ts';

if (process.env.OTEL_SDK_DISABLED?.trim().toLowerCase() !== 'true') {
  // import-in-the-middle wraps only the ESM modules an instrumentation needs it for (graphql's .mjs
  // build, ioredis imported from ESM); mongodb (required by mongoose) and http go through require hooks
  register('@opentelemetry/instrumentation/hook.mjs', import.meta.url, { data: { include: ['graphql', 'ioredis'] } });
  startTelemetry({ serviceName: serviceNameOf(process.argv[1]), instrument: true });
}
