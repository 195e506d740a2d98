import autocannon from 'autocannon';

export interface LoadResult {
  /** requests per second (mean over the run) */
  rps: number;
  p50: number;
  p99: number;
  requests: number;
  /** non-2xx responses and socket errors */
  failures: number;
}

/**
 * Drives one GraphQL POST at `url` with `connections` concurrent connections for `seconds`
 * (autocannon, after a 1 s warm-up that is not counted). Latencies in milliseconds.
 */
export async function load(url: string, body: unknown, opts: { connections: number; seconds: number; headers?: Record<string, string> }): Promise<LoadResult> {
  const request = { method: 'POST' as const, headers: { 'content-type': 'application/json', ...opts.headers }, body: JSON.stringify(body) };
  await autocannon({ url, connections: opts.connections, duration: 1, ...request });
  const r = await autocannon({ url, connections: opts.connections, duration: opts.seconds, ...request });
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, requests: r.requests.total, failures: r.non2xx + r.errors + r.timeouts };
}

/** Checks that `url` answers `body` with data and no errors; returns the data. */
export async function expectData(url: string, body: unknown, headers: Record<string, string> = {}): Promise<any> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const json = (await res.json()) as { data?: unknown; errors?: unknown[] };
  if (!res.ok || json.errors?.length || !json.data) throw new Error(`${url} answered ${res.status}: ${JSON.stringify(json).slice(0, 500)}`);
  return json.data;
}

/** p-th percentile of samples (ms) */
export function percentile(samples: number[], p: number): number {
  if (samples.length === 0) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
