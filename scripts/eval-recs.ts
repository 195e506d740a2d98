/**
 * Offline evaluation of the recommendation model (docs/intelligence.md, "Offline evaluation").
 *
 *   npm run eval:recs                      synthetic shop (seeded), writes bench/results/eval-recs.md
 *   npm run eval:recs -- --log events.jsonl [--test-days 10] [--out file.md]
 *   options: --seed N, --test-days N, --no-bench, --no-sensitivity, --out FILE, --opt key=value (model option; "14d",
 *            "6h" accepted for durations), --shop key=value (synthetic shop parameter)
 *
 * Time-split holdout: the model is trained on every event before the cut; each shopper with a
 * purchase after the cut gets 10 recommendations (personal, as of the cut, items bought before the
 * cut excluded) and is scored on the products they bought after the cut (hit-rate@10, NDCG@10).
 * Baselines: popularity (most purchased before the cut, not bought by the shopper) and random
 * (seeded). Coverage: distinct recommended items / active products. Exits 1 when the model doesn't
 * beat popularity by >= 25 % relative hit-rate@10.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import os from 'node:os';
import v8 from 'node:v8';
import vm from 'node:vm';
import { RecommendationModel, DEFAULT_MODEL_OPTIONS, type ModelOptions, type Signal } from '../subgraphs/recommendations/src/domain/model.ts';
import { DAY, generateShop, mulberry32, type ShopEvent, type ShopParams } from './lib/synthetic-shop.ts';

const TARGET = 0.25;
const K = 10;

interface Args {
  seed: number;
  log: string | null;
  testDays: number;
  bench: boolean;
  sensitivity: boolean;
  out: string | null;
  opts: Partial<ModelOptions>;
  shop: Partial<ShopParams>;
}

function duration(v: string): number {
  const m = /^([\d.]+)\s*(ms|s|m|h|d)?$/.exec(v.trim());
  if (!m) throw new Error(`not a number or duration: ${v}`);
  const n = Number(m[1]);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: DAY }[(m[2] ?? 'ms') as 'ms'];
  return n * unit;
}

function parseArgs(argv: string[]): Args {
  const a: Args = { seed: 20_261_205, log: null, testDays: 10, bench: true, sensitivity: true, out: null, opts: {}, shop: {} };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    const next = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${k} needs a value`);
      return v;
    };
    if (k === '--seed') a.seed = Number(next());
    else if (k === '--log') a.log = next();
    else if (k === '--test-days') a.testDays = Number(next());
    else if (k === '--no-bench') a.bench = false;
    else if (k === '--no-sensitivity') a.sensitivity = false;
    else if (k === '--out') a.out = next();
    else if (k === '--opt' || k === '--shop') {
      const [key, value] = next().split('=') as [string, string | undefined];
      if (value === undefined) throw new Error(`${k} key=value`);
      if (k === '--opt') (a.opts as Record<string, number>)[key] = /Ms$/.test(key) ? duration(value) : Number(value);
      else (a.shop as Record<string, number>)[key] = Number(value);
    } else throw new Error(`unknown argument ${k}`);
  }
  return a;
}

interface Dataset {
  source: string;
  products: Array<{ id: string; categoryIds: string[]; cluster?: number }>;
  events: ShopEvent[];
  describe: string[];
}

function synthetic(args: Args): Dataset {
  const shop = generateShop({ ...args.shop, seed: args.seed });
  const P = shop.params;
  return {
    source: 'synthetic shop (scripts/lib/synthetic-shop.ts)',
    products: shop.products,
    events: shop.events,
    describe: [
      `seed ${P.seed}; ${P.products} products in ${P.categories} categories, ${P.clusters} taste clusters (2–3 categories each), ${P.blockbusters} blockbusters`,
      `${P.shoppers} shoppers with 1–2 preferred clusters, ~${P.meanSessions} sessions each (lognormal), over ${P.days} days; 40 % arrive during the period`,
      `sessions: ${pct(P.blockbusterSessionShare)} blockbusters, ${pct(P.exploreShare)} a random cluster, the rest a preferred cluster; 2–7 views, carts by appeal, 60 % of carts bought`,
      `drift: ${pct(P.driftShare)} of shoppers replace a preferred cluster at a random time; ${pct(P.launchedShare)} of products launch during the period`,
    ],
  };
}

function fromLog(path: string): Dataset {
  const products = new Map<string, string[]>();
  const events: ShopEvent[] = [];
  const types = new Set<Signal>(['view', 'click', 'cart', 'purchase']);
  let skipped = 0;
  readFileSync(path, 'utf8')
    .split('\n')
    .forEach((line) => {
      if (!line.trim()) return;
      try {
        const e = JSON.parse(line) as { subject?: unknown; productId?: unknown; type?: unknown; at?: unknown; categoryIds?: unknown };
        const at = typeof e.at === 'string' ? Date.parse(e.at) : typeof e.at === 'number' ? e.at : NaN;
        if (typeof e.subject !== 'string' || typeof e.productId !== 'string' || !types.has(e.type as Signal) || !Number.isFinite(at)) {
          skipped++;
          return;
        }
        events.push({ subject: e.subject, productId: e.productId, type: e.type as Signal, at });
        const cats = Array.isArray(e.categoryIds) ? e.categoryIds.filter((c): c is string => typeof c === 'string') : [];
        if (!products.has(e.productId) || (cats.length && !(products.get(e.productId) as string[]).length)) products.set(e.productId, cats);
      } catch {
        skipped++;
      }
    });
  events.sort((a, b) => a.at - b.at);
  return {
    source: `event log ${path}`,
    products: [...products].map(([id, categoryIds]) => ({ id, categoryIds })),
    events,
    describe: [`${events.length} events (${skipped} lines skipped), ${products.size} products, ${new Set(events.map((e) => e.subject)).size} subjects`],
  };
}

const pct = (x: number): string => `${Math.round(x * 100)} %`;

interface Metrics {
  name: string;
  hits: number;
  ndcg: number;
  users: number;
  recommended: Set<string>;
}

function score(m: Metrics, recs: string[], truth: Set<string>): void {
  m.users++;
  let dcg = 0;
  let hit = false;
  recs.slice(0, K).forEach((p, r) => {
    if (truth.has(p)) {
      hit = true;
      dcg += 1 / Math.log2(r + 2);
    }
  });
  let idcg = 0;
  for (let r = 0; r < Math.min(K, truth.size); r++) idcg += 1 / Math.log2(r + 2);
  if (hit) m.hits++;
  m.ndcg += idcg ? dcg / idcg : 0;
  for (const p of recs) m.recommended.add(p);
}

function evaluate(ds: Dataset, args: Args) {
  const last = ds.events.length ? (ds.events[ds.events.length - 1] as ShopEvent).at : 0;
  const cut = last - args.testDays * DAY;
  const train = ds.events.filter((e) => e.at < cut);
  const test = ds.events.filter((e) => e.at >= cut);

  const t0 = performance.now();
  const model = new RecommendationModel(args.opts);
  for (const p of ds.products) model.setProduct(p.id, { categoryIds: p.categoryIds, variantIds: [], status: 'ACTIVE' });
  for (const e of train) model.record(e.subject, e.productId, e.type, e.at);
  const trainMs = performance.now() - t0;

  // ground truth: purchases after the cut of products not bought before it
  const boughtBefore = new Map<string, Set<string>>();
  const purchaseCount = new Map<string, number>();
  const seenBefore = new Set<string>();
  for (const e of train) {
    seenBefore.add(e.subject);
    if (e.type !== 'purchase') continue;
    let s = boughtBefore.get(e.subject);
    if (!s) boughtBefore.set(e.subject, (s = new Set()));
    s.add(e.productId);
    purchaseCount.set(e.productId, (purchaseCount.get(e.productId) ?? 0) + 1);
  }
  const truth = new Map<string, Set<string>>();
  for (const e of test) {
    if (e.type !== 'purchase' || boughtBefore.get(e.subject)?.has(e.productId)) continue;
    let s = truth.get(e.subject);
    if (!s) truth.set(e.subject, (s = new Set()));
    s.add(e.productId);
  }
  const popular = [...purchaseCount].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([p]) => p);
  const active = ds.products.map((p) => p.id);
  const rnd = mulberry32(args.seed ^ 0x9e3779b9);

  const mk = (name: string): Metrics => ({ name, hits: 0, ndcg: 0, users: 0, recommended: new Set() });
  const all = { model: mk('model (personal)'), pop: mk('popularity'), recent: mk('popularity, decayed (the model\'s popularInCategory(null))'), rand: mk('random') };
  const returning = { model: mk('model (personal)'), pop: mk('popularity') };
  const users = [...truth.keys()].sort();
  const reference = clusterReference(ds, train, cut);
  const ref = mk('reference: knows the planted clusters (not a recommender)');
  let queryMs = 0;
  for (const u of users) {
    const t = truth.get(u) as Set<string>;
    const before = boughtBefore.get(u) ?? new Set<string>();
    const q0 = performance.now();
    const recs = model.personal(u, K, { now: cut }).map((r) => r.productId);
    queryMs += performance.now() - q0;
    const pop: string[] = [];
    for (const p of popular) {
      if (pop.length >= K) break;
      if (!before.has(p)) pop.push(p);
    }
    const rand = new Set<string>();
    while (rand.size < K && rand.size < active.length - before.size) {
      const p = active[Math.floor(rnd() * active.length)] as string;
      if (!before.has(p)) rand.add(p);
    }
    score(all.model, recs, t);
    score(all.pop, pop, t);
    score(all.rand, [...rand], t);
    score(all.recent, model.popularInCategory(null, K, { forSubject: u, now: cut }).map((r) => r.productId), t);
    if (reference) score(ref, reference(u, before), t);
    if (seenBefore.has(u)) {
      score(returning.model, recs, t);
      score(returning.pop, pop, t);
    }
  }
  return { ref: reference ? ref : null, cut, train: train.length, test: test.length, trainMs, queryMs, users: users.length, all, returning, active: active.length, model };
}

/**
 * A yardstick for the synthetic shop only: it is told each product's planted cluster, estimates the
 * shopper's taste as their decayed interactions per cluster, and ranks products by
 * 0.3 · (share among blockbuster purchases) for blockbusters, 0.7 · taste(cluster) · (share among the
 * cluster's purchases) otherwise. Roughly what a model that found the clusters perfectly could reach.
 */
function clusterReference(ds: Dataset, train: ShopEvent[], cut: number): ((u: string, before: Set<string>) => string[]) | null {
  if (ds.products.some((p) => p.cluster === undefined)) return null;
  const cluster = new Map(ds.products.map((p) => [p.id, p.cluster as number]));
  const bought = new Map<string, number>();
  const perCluster = new Map<number, number>();
  const taste = new Map<string, Map<number, number>>();
  const w = { view: 1, click: 2, cart: 3, review: 4, purchase: 5 } as const;
  for (const e of train) {
    const c = cluster.get(e.productId) as number;
    if (e.type === 'purchase') {
      bought.set(e.productId, (bought.get(e.productId) ?? 0) + 1);
      perCluster.set(c, (perCluster.get(c) ?? 0) + 1);
    }
    if (c < 0) continue;
    let m = taste.get(e.subject);
    if (!m) taste.set(e.subject, (m = new Map()));
    m.set(c, (m.get(c) ?? 0) + w[e.type] * Math.pow(2, -(cut - e.at) / (14 * DAY)));
  }
  const items = [...bought.keys()].sort();
  return (u, before) => {
    const m = taste.get(u) ?? new Map<number, number>();
    let total = 0;
    for (const v of m.values()) total += v;
    return items
      .filter((p) => !before.has(p))
      .map((p) => {
        const c = cluster.get(p) as number;
        const share = (bought.get(p) as number) / (perCluster.get(c) as number);
        return [p, (c < 0 ? 0.3 : 0.7 * ((m.get(c) ?? 0) / (total || 1))) * share + 1e-9 * (bought.get(p) as number)] as const;
      })
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, K)
      .map(([p]) => p);
  };
}

function row(m: Metrics, active: number): string {
  const hr = m.users ? m.hits / m.users : 0;
  const nd = m.users ? m.ndcg / m.users : 0;
  return `| ${m.name} | ${m.users} | ${hr.toFixed(4)} | ${nd.toFixed(4)} | ${(m.recommended.size / active).toFixed(4)} |`;
}

/** the margin on variants of the shop: is it the planted signal, or one lucky setting? */
function sensitivity(args: Args, main: ReturnType<typeof evaluate>): string[] {
  const variants: Array<[string, Partial<ShopParams>, number]> = [
    ['as above', {}, args.seed],
    ['seed 1', {}, 1],
    ['blockbuster sessions 10 %', { blockbusterSessionShare: 0.1 }, args.seed],
    ['blockbuster sessions 30 %', { blockbusterSessionShare: 0.3 }, args.seed],
    ['no drift', { driftShare: 0 }, args.seed],
    ['drift 60 %', { driftShare: 0.6 }, args.seed],
    ['exploration 30 %', { exploreShare: 0.3 }, args.seed],
  ];
  const lines = ['| shop | test shoppers | model hit-rate@10 | popularity hit-rate@10 | model vs popularity | reference (planted clusters) hit-rate@10 |', '|---|---:|---:|---:|---:|---:|'];
  for (const [name, shop, seed] of variants) {
    const a: Args = { ...args, seed, shop: { ...args.shop, ...shop } };
    const r = name === 'as above' ? main : evaluate(synthetic(a), a);
    const hm = r.all.model.hits / Math.max(1, r.all.model.users);
    const hp = r.all.pop.hits / Math.max(1, r.all.pop.users);
    lines.push(`| ${name} | ${r.users} | ${hm.toFixed(4)} | ${hp.toFixed(4)} | ${hp ? `${hm >= hp ? '+' : ''}${((hm / hp - 1) * 100).toFixed(1)} %` : '–'} | ${r.ref ? (r.ref.hits / Math.max(1, r.ref.users)).toFixed(4) : '–'} |`);
  }
  return lines;
}

/** a full GC before heap readings (the flag set at run time, so `tsx scripts/eval-recs.ts` needs no node options) */
function exposeGc(): (() => void) | undefined {
  try {
    v8.setFlagsFromString('--expose-gc');
    return vm.runInNewContext('gc') as () => void;
  } catch {
    return undefined;
  }
}

/** model at the scale of the performance target: 10k products, 50k subjects, 1M facts */
function bench(seed: number): string[] {
  const shop = generateShop({ seed, products: 10_000, categories: 50, clusters: 200, shoppers: 50_000, blockbusters: 50, meanSessions: 4.2 });
  const events = shop.events.slice(0, 1_000_000);
  const gc = exposeGc();
  gc?.();
  const heap0 = process.memoryUsage().heapUsed;
  const model = new RecommendationModel();
  for (const p of shop.products) model.setProduct(p.id, { categoryIds: p.categoryIds, variantIds: [`${p.id}-v`], status: 'ACTIVE' });
  const t0 = performance.now();
  for (const e of events) model.record(e.subject, e.productId, e.type, e.at);
  const recordMs = performance.now() - t0;
  gc?.();
  const heapMb = (process.memoryUsage().heapUsed - heap0) / 2 ** 20;
  const st = model.stats();
  const rnd = mulberry32(seed + 7);
  const subjects = [...new Set(events.map((e) => e.subject))];
  const time = (f: () => unknown, n: number): { mean: number; p50: number; p99: number } => {
    for (let i = 0; i < 200; i++) f(); // warm-up
    const ts: number[] = [];
    for (let i = 0; i < n; i++) {
      const a = performance.now();
      f();
      ts.push(performance.now() - a);
    }
    ts.sort((a, b) => a - b);
    return { mean: ts.reduce((s, x) => s + x, 0) / n, p50: ts[Math.floor(n / 2)] as number, p99: ts[Math.floor(n * 0.99)] as number };
  };
  const sim = time(() => model.similar((shop.products[Math.floor(rnd() * shop.products.length)] as { id: string }).id, 10), 5000);
  const per = time(() => model.personal(subjects[Math.floor(rnd() * subjects.length)] as string, 10), 5000);
  const pic = time(() => model.popularInCategory(`cat-${String(Math.floor(rnd() * 50)).padStart(2, '0')}`, 10), 2000);
  const tr = time(() => model.trending(10), 500);
  const s0 = performance.now();
  const snap = JSON.stringify(model.snapshot());
  const snapMs = performance.now() - s0;
  const f = (x: number): string => x.toFixed(3);
  return [
    `model: ${st.products} products, ${st.subjects} subjects, ${events.length} facts, ${st.pairs} neighbour entries (cap ${DEFAULT_MODEL_OPTIONS.maxNeighbours} per item), ${gc ? '' : '~'}${heapMb.toFixed(0)} MiB heap${gc ? '' : ' (before GC)'}`,
    '',
    '| operation | mean ms | p50 ms | p99 ms |',
    '|---|---:|---:|---:|',
    `| record (1 fact, mean over ${events.length}) | ${f(recordMs / events.length)} | | |`,
    `| similar(first 10) | ${f(sim.mean)} | ${f(sim.p50)} | ${f(sim.p99)} |`,
    `| personal(first 10) | ${f(per.mean)} | ${f(per.p50)} | ${f(per.p99)} |`,
    `| popularInCategory(first 10) | ${f(pic.mean)} | ${f(pic.p50)} | ${f(pic.p99)} |`,
    `| trending(first 10), a scan of every product | ${f(tr.mean)} | ${f(tr.p50)} | ${f(tr.p99)} |`,
    `| snapshot() + JSON.stringify (${(snap.length / 2 ** 20).toFixed(1)} MiB) | ${f(snapMs)} | | |`,
  ];
}

function main(): void {
  const started = performance.now();
  const args = parseArgs(process.argv.slice(2));
  const ds = args.log ? fromLog(args.log) : synthetic(args);
  const r = evaluate(ds, args);
  const hrModel = r.all.model.hits / Math.max(1, r.all.model.users);
  const hrPop = r.all.pop.hits / Math.max(1, r.all.pop.users);
  const lift = hrPop > 0 ? hrModel / hrPop - 1 : Infinity;
  const met = lift >= TARGET;
  const header = ['| recommender | test shoppers | hit-rate@10 | NDCG@10 | coverage |', '|---|---:|---:|---:|---:|'];
  const table = [...header, row(r.all.model, r.active), row(r.all.pop, r.active), row(r.all.rand, r.active), row(r.all.recent, r.active), ...(r.ref ? [row(r.ref, r.active)] : [])];
  const retTable = [...header, row(r.returning.model, r.active), row(r.returning.pop, r.active)];
  const verdict = `model vs popularity: ${lift >= 0 ? '+' : ''}${(lift * 100).toFixed(1)} % relative hit-rate@10 (target ≥ ${TARGET * 100} %): ${met ? 'met' : 'MISSED'}`;
  const evalSeconds = (performance.now() - started) / 1000;
  console.log(ds.describe.join('\n'));
  console.log(`train ${r.train} events, test ${r.test} events (last ${args.testDays} days), ${r.users} test shoppers; trained in ${(r.trainMs / 1000).toFixed(2)} s, ${(r.queryMs / r.users).toFixed(3)} ms per personal query`);
  console.log(table.join('\n'));
  console.log('returning shoppers (history before the cut):');
  console.log(retTable.join('\n'));
  console.log(verdict);
  const s0 = performance.now();
  const sens = args.log || !args.sensitivity ? [] : sensitivity(args, r);
  const sensSeconds = (performance.now() - s0) / 1000;
  if (sens.length) console.log(sens.join('\n'));
  const benchLines = args.bench ? bench(args.seed) : [];
  if (benchLines.length) console.log(benchLines.join('\n'));
  const total = (performance.now() - started) / 1000;
  const phases = `evaluation ${evalSeconds.toFixed(1)} s${sens.length ? `, sensitivity ${sensSeconds.toFixed(1)} s` : ''}${benchLines.length ? `, performance ${(total - evalSeconds - sensSeconds).toFixed(1)} s` : ''}`;
  console.log(`runtime ${total.toFixed(1)} s (${phases})`);

  const out = args.out ?? (args.log ? null : 'bench/results/eval-recs.md');
  if (out) {
    const o = { ...DEFAULT_MODEL_OPTIONS, ...args.opts };
    const md = [
      '# Offline evaluation of recommendations',
      '',
      `- date: ${new Date().toISOString()}`,
      `- command: \`npm run eval:recs${process.argv.slice(2).length ? ' -- ' + process.argv.slice(2).join(' ') : ''}\``,
      `- machine: ${os.cpus().length} × ${os.cpus()[0]?.model.trim() ?? 'cpu'}, Node ${process.version}`,
      `- data: ${ds.source}`,
      ...ds.describe.map((d) => `  - ${d}`),
      `- split: train on ${r.train} events before the cut (${new Date(r.cut).toISOString()}), test on ${r.test} events of the last ${args.testDays} days; ${r.users} test shoppers (a purchase after the cut of a product they had not bought before)`,
      `- model (subgraphs/recommendations/src/domain/model.ts): half-life ${o.halfLifeMs / DAY} d, ${o.recentPerSubject} items per subject, pair window ${o.pairWindowMs / DAY} d, weights view ${o.weights.view} / click ${o.weights.click} / cart ${o.weights.cart} / purchase ${o.weights.purchase}, shrinkage ${o.shrinkage}, ${o.maxNeighbours} neighbours per item, personal similarity α ${o.personalAlpha} (0: C[i][j] / (N_i + λ)), popularity share ${o.personalPopularity}; recommendations are \`personal(subject, 10, { now: cut })\` (with its fallbacks)`,
      '- popularity: the 10 products most purchased before the cut that the shopper has not bought; random: 10 products drawn with a seeded PRNG, not bought by the shopper',
      '- coverage: distinct recommended products / active products',
      ...(r.ref ? ['- reference (synthetic shop only, not a recommender): told each product\'s planted cluster, it ranks by the shopper\'s decayed interest per cluster × the product\'s share of its cluster\'s purchases (blockbusters: a fixed 0.3 share); roughly what finding the clusters perfectly could reach (`clusterReference` in scripts/eval-recs.ts)'] : []),
      '',
      '## Result',
      '',
      ...table,
      '',
      'Returning shoppers only (some history before the cut):',
      '',
      ...retTable,
      '',
      `**${verdict}**`,
      '',
      ...(sens.length ? ['## Sensitivity', '', 'The same model and baselines on variants of the synthetic shop (one parameter changed each):', '', ...sens, ''] : []),
      ...(benchLines.length ? ['## Model performance at scale', '', 'Single-threaded, on the same machine as everything else running at the time (timings vary with its load).', '', ...benchLines, ''] : []),
      `Runtime: ${total.toFixed(1)} s (${phases}).`,
      '',
    ];
    mkdirSync(dirname(resolve(out)), { recursive: true });
    writeFileSync(out, md.join('\n'));
    console.log(`wrote ${out}`);
  }
  if (!met) process.exit(1);
}

main();
