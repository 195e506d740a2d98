import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { context, trace } from '@opentelemetry/api';
import { createLogger, InMemorySpanExporter, otlpExportConfigured, samplerFromEnv, serviceNameOf, SimpleSpanProcessor, startTelemetry, type Telemetry } from '../src/index.ts';

let telemetry: Telemetry | undefined;
afterEach(async () => {
  await telemetry?.shutdown();
  telemetry = undefined;
});

describe('telemetry configuration', () => {
  it('reads the standard sampler variables (parent-based ratio) and falls back otherwise', () => {
    const fallback = samplerFromEnv({}, samplerFromEnv({ OTEL_TRACES_SAMPLER: 'always_off' }, null as never));
    expect(samplerFromEnv({ OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.25' }, fallback).toString()).toBe('ParentBased{root=TraceIdRatioBased{0.25}, remoteParentSampled=AlwaysOnSampler, remoteParentNotSampled=AlwaysOffSampler, localParentSampled=AlwaysOnSampler, localParentNotSampled=AlwaysOffSampler}');
    expect(samplerFromEnv({ OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: 'nonsense' }, fallback).toString()).toBe('TraceIdRatioBased{1}');
    expect(samplerFromEnv({ OTEL_TRACES_SAMPLER: 'bogus' }, fallback)).toBe(fallback);
  });

  it('exports only when an OTLP endpoint is set and the exporter is not none', () => {
    expect(otlpExportConfigured({})).toBe(false);
    expect(otlpExportConfigured({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://jaeger:4318' })).toBe(true);
    expect(otlpExportConfigured({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://jaeger:4318/v1/traces' })).toBe(true);
    expect(otlpExportConfigured({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://jaeger:4318', OTEL_TRACES_EXPORTER: 'none' })).toBe(false);
  });

  it('names the service from its entry point', () => {
    expect(serviceNameOf('subgraphs/orders/src/index.ts')).toBe('orders');
    expect(serviceNameOf('/app/router/src/index.ts')).toBe('router');
    expect(serviceNameOf(undefined)).toBe('commerce');
  });

  it('without an exporter records nothing but still gives ids; OTEL_SDK_DISABLED registers nothing', () => {
    telemetry = startTelemetry({ serviceName: 't', env: {} });
    expect(telemetry.recording).toBe(false);
    const span = trace.getTracer('t').startSpan('x');
    expect(span.isRecording()).toBe(false);
    expect(trace.isSpanContextValid(span.spanContext())).toBe(true);
    span.end();
  });

  it('log lines inside a span carry trace_id and span_id, and secrets stay redacted', async () => {
    const exporter = new InMemorySpanExporter();
    telemetry = startTelemetry({ serviceName: 't', env: {}, spanProcessors: [new SimpleSpanProcessor(exporter)] });
    const lines: Array<Record<string, unknown>> = [];
    const logger = createLogger('t', 'info', new Writable({ write: (chunk, _e, done) => (lines.push(JSON.parse(String(chunk))), done()) }));
    const span = trace.getTracer('t').startSpan('work');
    context.with(trace.setSpan(context.active(), span), () => logger.child({ password: 'hunter2' }).info({ paymentToken: 'tok_visa' }, 'inside'));
    span.end();
    logger.info('outside');
    expect(lines[0]).toMatchObject({ msg: 'inside', trace_id: span.spanContext().traceId, span_id: span.spanContext().spanId, password: '[redacted]', paymentToken: '[redacted]' });
    expect(lines[1]).not.toHaveProperty('trace_id');
    expect(exporter.getFinishedSpans().map((s) => s.name)).toEqual(['work']);
  });
});
