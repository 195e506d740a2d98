import { cpus, totalmem } from 'node:os';

/** One comparison: `<name> <metric> <value> <baseline value> <ratio>`. */
export interface Row {
  name: string;
  metric: string;
  value: number;
  baseline: number;
  /** what the baseline is (e.g. "plain @apollo/gateway") */
  baselineName: string;
  /** a target this row is measured against, e.g. "≥ 1.5" on the ratio */
  target?: { on: 'value' | 'ratio'; op: '<=' | '>='; limit: number };
  note?: string;
}

const fmt = (n: number) => (!Number.isFinite(n) ? 'n/a' : Math.abs(n) >= 100 ? n.toFixed(0) : Math.abs(n) >= 10 ? n.toFixed(1) : n.toFixed(2));
export const ratioOf = (r: Row) => (r.baseline === 0 ? NaN : r.value / r.baseline);

function verdict(r: Row): string {
  if (!r.target) return '';
  const v = r.target.on === 'ratio' ? ratioOf(r) : r.value;
  const ok = r.target.op === '>=' ? v >= r.target.limit : v <= r.target.limit;
  return `${ok ? 'met' : 'MISSED'} (target ${r.target.on} ${r.target.op} ${r.target.limit})`;
}

export function table(rows: Row[]): string {
  const lines = rows.map((r) => [r.name, r.metric, fmt(r.value), fmt(r.baseline), fmt(ratioOf(r)), r.baselineName, verdict(r)]);
  const head = ['name', 'metric', 'value', 'baseline', 'ratio', 'baseline is', 'target'];
  const widths = head.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...lines.map(line)].join('\n');
}

export function machine(): string {
  const c = cpus();
  return `${c.length} × ${c[0]?.model.trim() ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM, Node ${process.version}, ${process.platform}`;
}

export function markdown(rows: Row[], meta: { date: string; mode: string; database: string; notes: string[] }): string {
  const out = [
    '# Benchmark results',
    '',
    `- date: ${meta.date}`,
    `- machine: ${machine()}`,
    `- mode: ${meta.mode}`,
    `- database: ${meta.database}`,
    '- command: `npm run bench' + (meta.mode === 'quick' ? ' -- --quick' : '') + '`',
    '',
    'Each row: `<name> <metric> <value> <baseline value> <ratio>` (ratio = value / baseline). Latencies in ms, throughput in requests (or orders, events) per second.',
    '',
    '| name | metric | value | baseline | ratio | baseline is | target |',
    '|---|---|---:|---:|---:|---|---|',
    ...rows.map((r) => `| ${r.name} | ${r.metric} | ${fmt(r.value)} | ${fmt(r.baseline)} | ${fmt(ratioOf(r))} | ${r.baselineName} | ${verdict(r)} |`),
    '',
    ...(meta.notes.length ? ['## Notes', '', ...meta.notes.map((n) => `- ${n}`), ''] : []),
  ];
  return out.join('\n');
}
