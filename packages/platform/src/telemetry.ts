import { context, propagation, trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { GraphQLInstrumentation } from '@opentelemetry/instrumentation-graphql';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { MongoDBInstrumentation } from '@opentelemetry/instrumentation-mongodb';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BatchSpanProcessor,
  InMemorySpanExporter,
  ParentBasedSampler,
  SimpleSpanProcessor,
  TraceIdRatioBasedSampler,
  type ReadableSpan,
  type Sampler,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';

export { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan, type SpanProcessor };

/**
 * OpenTelemetry tracing of a service process (one tracer provider per process).
 *
 * - W3C trace context (`traceparent`) crosses HTTP (router → subgraphs, orders → cart) and NATS
 *   (a header on every publish, plus the envelope's `traceparent`, written by the propagator when
 *   the event is committed: the outbox relay publishes later, in the context of that request).
 * - Export: OTLP over HTTP (`@opentelemetry/exporter-trace-otlp-http`, batched, never blocking a
 *   request) only when `OTEL_EXPORTER_OTLP_ENDPOINT` or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` is set
 *   (and `OTEL_TRACES_EXPORTER` is not `none`). Without an exporter new traces are not recorded
 *   (non-recording spans, `parentbased_always_off`, unless `OTEL_TRACES_SAMPLER` says otherwise),
 *   but trace and span ids still flow into logs, events and downstream calls.
 * - Sampling: `OTEL_TRACES_SAMPLER` / `OTEL_TRACES_SAMPLER_ARG` (the standard names; default
 *   `parentbased_always_on` with an exporter, e.g. `parentbased_traceidratio` + `0.1`).
 * - `OTEL_SDK_DISABLED=true`: no provider at all (the API stays a no-op).
 * - Instrumentations (`instrument: true`, service entry points): outgoing HTTP, GraphQL (parse,
 *   validate, execute; no per-field spans), the MongoDB driver (mongoose uses it) and ioredis.
 *   Incoming HTTP spans are made by the router and the subgraph server themselves.
 */
export interface TelemetryOptions {
  serviceName: string;
  env?: NodeJS.ProcessEnv;
  /** extra processors (tests: `new SimpleSpanProcessor(new InMemorySpanExporter())`) */
  spanProcessors?: SpanProcessor[];
  /** overrides the sampler chosen from the environment */
  sampler?: Sampler;
  /** patch http, graphql, mongodb and ioredis (default false) */
  instrument?: boolean;
}

export interface Telemetry {
  /** true when spans go to an exporter or a given processor */
  recording: boolean;
  /** flushes what is buffered and stops exporting */
  shutdown(): Promise<void>;
}

let started: { telemetry: Telemetry; provider: NodeTracerProvider } | null = null;

const NOOP: Telemetry = { recording: false, shutdown: async () => undefined };

/** The sampler named by `OTEL_TRACES_SAMPLER` (`OTEL_TRACES_SAMPLER_ARG`: the ratio), else `fallback`. */
export function samplerFromEnv(env: NodeJS.ProcessEnv, fallback: Sampler): Sampler {
  const name = env.OTEL_TRACES_SAMPLER?.trim().toLowerCase();
  const arg = Number(env.OTEL_TRACES_SAMPLER_ARG);
  const ratio = Number.isFinite(arg) && env.OTEL_TRACES_SAMPLER_ARG?.trim() !== '' && arg >= 0 && arg <= 1 ? arg : 1;
  switch (name) {
    case 'always_on':
      return new AlwaysOnSampler();
    case 'always_off':
      return new AlwaysOffSampler();
    case 'traceidratio':
      return new TraceIdRatioBasedSampler(ratio);
    case 'parentbased_always_on':
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
    case 'parentbased_always_off':
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case 'parentbased_traceidratio':
      return new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(ratio) });
    default:
      return fallback;
  }
}

/** True when the environment names an OTLP endpoint to export traces to. */
export function otlpExportConfigured(env: NodeJS.ProcessEnv): boolean {
  if (env.OTEL_TRACES_EXPORTER?.split(',').some((e) => e.trim() === 'none')) return false;
  return !!(env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim() || env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim());
}

/**
 * Registers this process's tracer provider (once; later calls return the first). Cheap when
 * nothing exports: ids are generated and propagated, spans are not recorded.
 */
export function startTelemetry(opts: TelemetryOptions): Telemetry {
  if (started) return started.telemetry;
  const env = opts.env ?? process.env;
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return NOOP;
  const processors: SpanProcessor[] = [...(opts.spanProcessors ?? [])];
  const exporting = otlpExportConfigured(env);
  // the exporter reads OTEL_EXPORTER_OTLP_(TRACES_)ENDPOINT / _HEADERS / _TIMEOUT itself
  if (exporting) processors.push(new BatchSpanProcessor(new OTLPTraceExporter()));
  const recording = processors.length > 0;
  // default: parentbased_always_on when spans go somewhere; else parentbased_always_off (a
  // caller's sampled flag is kept for downstream services that export; nothing else is recorded)
  const sampler = opts.sampler ?? samplerFromEnv(env, new ParentBasedSampler({ root: recording ? new AlwaysOnSampler() : new AlwaysOffSampler() }));
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({
      [ATTR_SERVICE_NAME]: env.OTEL_SERVICE_NAME?.trim() || opts.serviceName,
      [ATTR_SERVICE_VERSION]: env.SERVICE_VERSION ?? '0.1.0',
      'deployment.environment.name': env.NODE_ENV ?? 'development',
    }),
    sampler,
    spanProcessors: processors,
  });
  // global provider, AsyncLocalStorage context manager, W3C trace context + baggage propagators
  provider.register();
  let unpatch: (() => void) | undefined;
  if (opts.instrument) {
    unpatch = registerInstrumentations({
      tracerProvider: provider,
      instrumentations: [
        new HttpInstrumentation({
          // servers make their own SERVER spans (router request, subgraph operation)
          ignoreIncomingRequestHook: () => true,
          // never trace the exporter's own requests
          ignoreOutgoingRequestHook: (req) => String(req.path ?? '').startsWith('/v1/traces'),
        }),
        new GraphQLInstrumentation({ ignoreResolveSpans: true, mergeItems: true }),
        new MongoDBInstrumentation(),
        new IORedisInstrumentation({ requireParentSpan: true }),
      ],
    });
  }
  const telemetry: Telemetry = {
    recording,
    async shutdown() {
      if (started?.telemetry !== telemetry) return;
      started = null;
      unpatch?.();
      await provider.shutdown();
      trace.disable();
      context.disable();
      propagation.disable();
    },
  };
  started = { telemetry, provider };
  return telemetry;
}

/** The service an entry point runs: `subgraphs/<name>/…` → name, `router/…` → router. */
export function serviceNameOf(entry: string | undefined): string {
  const m = entry ? /(?:^|[\\/])subgraphs[\\/]([^\\/]+)[\\/]/.exec(entry) : null;
  if (m) return m[1]!;
  return entry && /(?:^|[\\/])router[\\/]/.test(entry) ? 'router' : 'commerce';
}
