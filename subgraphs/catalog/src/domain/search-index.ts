/**
 * The catalog's in-memory full-text index: BM25-like ranking with prefix and typo tolerance, built
 * so that a page of results costs about a page of work, not one score per hit.
 *
 * Layout
 *  - Documents get internal numbers (dense, never reused until a renumbering compaction). Per
 *    document the index keeps its forward list: the ids of its distinct terms and, for each, the
 *    term's per-document score `s` (below). That gives random access to a document's score.
 *  - Per vocabulary term a posting list: parallel arrays of document numbers and `s`, kept sorted
 *    by `s` descending, then document id ascending ("pre-ranked"). Adds append and mark the list
 *    unsorted; it is sorted again (TimSort: cheap for a sorted prefix plus a short tail) the next
 *    time a ranked query reads it, so a bulk load never sorts. Removal marks the document dead:
 *    dead postings are skipped and squeezed out lazily.
 *  - A sorted copy of the vocabulary (new terms are merged in at the next query) serves prefix
 *    expansion (binary search) and typo expansion (a Levenshtein walk over the sorted terms that
 *    shares the dynamic-programming rows of common prefixes and skips whole blocks of terms whose
 *    prefix is already too far, as a walk over a trie would).
 *
 * Scoring (all numbers are fixed, see the constants)
 *  - per posting: s(t, d) = Σ over fields f of d containing t of
 *        boost_f × (D + tf × (K1 + 1) / (tf + K1 × (1 − B + B × len_f / PIVOT_f)))
 *    i.e. BM25's saturation and length normalisation, with one difference: the length is divided
 *    by a fixed per-field pivot instead of the collection's average field length. The average
 *    moves on every add, and with it the order of every posting list; a fixed pivot keeps `s` a
 *    function of the document alone, so lists never need re-ranking as the catalogue grows and
 *    every instance ranks the same catalogue the same way (cursors stay valid across instances).
 *  - per query word w and vocabulary term t that it matches (exact, prefix of t, or within
 *    Levenshtein distance round(0.2 × |w|)): W(w, t) = weight(w, t) × idf(t), with MiniSearch's
 *    weights (1 exact; prefix 0.375 × |t| / (|t| + 0.3 × (|t| − |w|)); typo 0.45 × |t| / (|t| + dist))
 *    and idf(t) = ln(1 + (N − df + 0.5) / (df + 0.5)), computed at query time.
 *  - contribution of word w to document d: c_w(d) = max over matched terms t in d of
 *    round(W(w, t) × s(t, d) × 1e6), an integer (millionths). Taking the maximum (MiniSearch sums
 *    the expansions) means "lan" does not rank a document higher for containing both "lantern"
 *    and "landing", and keeps the threshold below tight for words with many expansions.
 *  - score(d) = Σ_w c_w(d) / 1e6 when d matches every word (AND), else d does not match. Because
 *    contributions are whole millionths the score is exactly the cursor value and sums compare
 *    exactly. Ties break on id ascending.
 *
 * Top-k (threshold algorithm). Each (word, matched term) pair is one cursor over the term's
 * posting list; its head value is round(W × s × 1e6), non-increasing along the list. A word's
 * cursors sit in a heap keyed by head value. Sorted access reads, round-robin over the words, the
 * head posting of the word's best cursor; a document read for the first time is scored completely
 * by random access to its forward list (which also checks AND). An unseen document scores at most
 * τ = Σ_w (best head value of w), and only reaches τ if, for every word w, it is among the unread
 * postings valued at w's best head value. Ids ascend within a run of equal `s`; where runs of
 * different `s` round to the same value, each run becomes a sub-cursor of its own (merged by the
 * heap in id order), so every cursor's head id is the smallest unread id at its value, and such a
 * document's id is at least m_w, the heap top's head id. So the read stops as soon as k results are
 * held and the k-th beats anything unseen: k-th score > τ, or = τ and k-th id < max_w m_w; or when
 * some word has no postings left (AND). A single-word query thus reads about k postings (plus the
 * rejected ones), even in long runs of equal scores; a cursor position (`after`) is reached by
 * binary search in each list instead of reading the pages before it.
 *
 * Tokens: the text split on anything that is not a letter, digit or combining mark (marks are kept
 * so decomposed accents do not split a word), lower-cased. Fields and boosts: title 3, handle 2,
 * options 1.5, description 1.
 */

export interface SearchDocument {
  id: string;
  title: string;
  description: string;
  options: string;
  handle: string;
}

export interface ScoredId {
  id: string;
  /** rounded to 1e-6: usable as a cursor value as is */
  score: number;
}

/** A position in the ranking: results strictly after it are returned. */
export interface SearchCursor {
  score: number;
  id: string;
}

/**
 * The documents that contain every word of a query. It reads the index when its methods run; it is
 * meant to be used right away (it stays correct, but reflects later changes to the index).
 */
export interface SearchMatch {
  /** number of distinct matching documents (exact) */
  readonly size: number;
  has(id: string): boolean;
  /** every matching id, in no particular order; no scoring */
  forEach(cb: (id: string) => void): void;
  /** the tag (see `add`) of every matching document, in no particular order; no scoring */
  forEachTag(cb: (tag: number) => void): void;
  /** up to k best matches (score desc, id asc) that `accept` takes, strictly after `after` */
  top(k: number, accept: (id: string) => boolean, after?: SearchCursor): ScoredId[];
  /** a matching document's score (by random access); undefined when it does not match */
  scoreOf(id: string): number | undefined;
  /** postings read by `top` so far (instrumentation) */
  readonly postingsRead: number;
}

const FIELD_COUNT = 4;
/** field order: title, handle, options, description */
const BOOST = [3, 2, 1.5, 1] as const;
/** fixed reference lengths in tokens (what BM25 takes from the collection average) */
const PIVOT = [4, 5, 6, 20] as const;
const K1 = 1.2;
const B = 0.7;
const D = 0.5;
const PREFIX_WEIGHT = 0.375;
const FUZZY_WEIGHT = 0.45;
const FUZZY = 0.2;
const MAX_FUZZY = 6;
/** scores are whole multiples of 1 / SCALE */
const SCALE = 1e6;

/** Splits on anything that is not a letter, digit or combining mark; lower-case. */
const SEPARATOR = /[^\p{L}\p{N}\p{M}]+/u;
export function tokenize(text: string): string[] {
  const parts = text.toLowerCase().split(SEPARATOR);
  let n = 0;
  for (const p of parts) if (p) parts[n++] = p;
  parts.length = n;
  return parts;
}

class Term {
  docs: number[] = [];
  scores: number[] = [];
  /** live documents containing the term */
  df = 0;
  /** postings of removed documents still in the lists */
  dead = 0;
  /** lists in (score desc, id asc) order */
  sorted = true;
  /** per position: one past the end of its run of equal scores (valid while sorted, rebuilt lazily) */
  runEnd: Int32Array | null = null;
  constructor(
    readonly id: number,
    readonly text: string,
  ) {}
}

/** The index's state, shared by the index and its matches (module-private). */
class Store {
  readonly terms: Term[] = [];
  readonly byText = new Map<string, Term>();
  vocab: string[] = [];
  pendingVocab: string[] = [];
  readonly idToDoc = new Map<string, number>();
  docIds: string[] = [];
  docTerms: Array<number[] | null> = [];
  docScores: Array<number[] | null> = [];
  /** the caller's number for each document (see add) */
  tags = new Int32Array(1024);
  alive = new Uint8Array(1024);
  live = 0;
  deadDocs = 0;
  /** bumped on every add and remove */
  version = 0;

  termFor(text: string): Term {
    let t = this.byText.get(text);
    if (!t) {
      t = new Term(this.terms.length, text);
      this.terms.push(t);
      this.byText.set(text, t);
      this.pendingVocab.push(text);
    }
    return t;
  }

  /** merges the terms added since the last query into the sorted vocabulary */
  syncVocab(): void {
    if (this.pendingVocab.length === 0) return;
    const add = this.pendingVocab.sort();
    this.pendingVocab = [];
    const old = this.vocab;
    if (old.length === 0) {
      this.vocab = add;
      return;
    }
    const merged = new Array<string>(old.length + add.length);
    let i = 0;
    let j = 0;
    let k = 0;
    while (i < old.length && j < add.length) merged[k++] = old[i]! < add[j]! ? old[i++]! : add[j++]!;
    while (i < old.length) merged[k++] = old[i++]!;
    while (j < add.length) merged[k++] = add[j++]!;
    this.vocab = merged;
  }

  /** makes a list ready for ranked reading: without too many dead postings, sorted, runs known */
  prepare(t: Term): void {
    if (t.dead > 0 && (!t.sorted || t.dead * 4 >= t.docs.length)) this.squeeze(t);
    if (!t.sorted) {
      const { docs, scores } = t;
      const ids = this.docIds;
      const order = Array.from({ length: docs.length }, (_, i) => i);
      order.sort((a, b) => {
        const d = scores[b]! - scores[a]!;
        if (d !== 0) return d;
        const ia = ids[docs[a]!]!;
        const ib = ids[docs[b]!]!;
        return ia < ib ? -1 : ia > ib ? 1 : docs[a]! - docs[b]!;
      });
      t.docs = order.map((i) => docs[i]!);
      t.scores = order.map((i) => scores[i]!);
      t.sorted = true;
      t.runEnd = null;
    }
    if (!t.runEnd) {
      const n = t.scores.length;
      const runEnd = new Int32Array(n);
      for (let i = n - 1; i >= 0; i--) runEnd[i] = i + 1 < n && t.scores[i + 1] === t.scores[i] ? runEnd[i + 1]! : i + 1;
      t.runEnd = runEnd;
    }
  }

  /** drops the postings of removed documents, keeping the order */
  squeeze(t: Term): void {
    const docs: number[] = [];
    const scores: number[] = [];
    for (let i = 0; i < t.docs.length; i++) {
      if (this.alive[t.docs[i]!]) {
        docs.push(t.docs[i]!);
        scores.push(t.scores[i]!);
      }
    }
    t.docs = docs;
    t.scores = scores;
    t.dead = 0;
    t.runEnd = null;
  }

  /** renumbers the live documents densely once removed ones outnumber them */
  renumber(): void {
    const n = this.docIds.length;
    const map = new Int32Array(n).fill(-1);
    const docIds: string[] = [];
    const docTerms: Array<number[] | null> = [];
    const docScores: Array<number[] | null> = [];
    const tags = new Int32Array(Math.max(1024, n));
    for (let d = 0; d < n; d++) {
      if (!this.alive[d]) continue;
      tags[docIds.length] = this.tags[d]!;
      map[d] = docIds.length;
      docIds.push(this.docIds[d]!);
      docTerms.push(this.docTerms[d]!);
      docScores.push(this.docScores[d]!);
    }
    for (const t of this.terms) {
      const docs: number[] = [];
      const scores: number[] = [];
      for (let i = 0; i < t.docs.length; i++) {
        const m = map[t.docs[i]!]!;
        if (m >= 0) {
          docs.push(m);
          scores.push(t.scores[i]!);
        }
      }
      t.docs = docs;
      t.scores = scores;
      t.dead = 0;
      t.runEnd = null; // order (score, id) is unchanged; runs may have merged
    }
    const alive = new Uint8Array(tags.length);
    alive.fill(1, 0, docIds.length);
    for (const [id] of this.idToDoc) this.idToDoc.set(id, map[this.idToDoc.get(id)!]!);
    this.docIds = docIds;
    this.docTerms = docTerms;
    this.docScores = docScores;
    this.tags = tags;
    this.alive = alive;
    this.deadDocs = 0;
  }
}

function lowerBound(arr: string[], key: string, from = 0): number {
  let lo = from;
  let hi = arr.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (arr[mid]! < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Every term of the sorted vocabulary within `maxDist` edits (Levenshtein) of `word`. Walks the
 * terms in order, reusing the DP rows of the prefix shared with the previous term, and skips the
 * whole block of terms sharing a prefix once that prefix is more than `maxDist` away.
 */
export function fuzzyTerms(vocab: string[], word: string, maxDist: number, found: (term: string, distance: number) => void): void {
  const m = word.length;
  const maxDepth = m + maxDist;
  const rows: Int32Array[] = [];
  for (let i = 0; i <= maxDepth; i++) rows.push(new Int32Array(m + 1));
  for (let j = 0; j <= m; j++) rows[0]![j] = j;
  let prev = '';
  let valid = 0; // rows[1..valid] hold the DP rows of prev's first `valid` characters
  let i = 0;
  while (i < vocab.length) {
    const t = vocab[i]!;
    let dep = 0;
    const lim = Math.min(valid, t.length);
    while (dep < lim && t.charCodeAt(dep) === prev.charCodeAt(dep)) dep++;
    let skip = 0; // length of a prefix that cannot lead to a match
    while (dep < t.length) {
      if (dep === maxDepth) {
        skip = dep + 1;
        break;
      }
      const up = rows[dep]!;
      const cur = rows[dep + 1]!;
      const ch = t.charCodeAt(dep);
      cur[0] = dep + 1;
      let min = cur[0];
      for (let j = 1; j <= m; j++) {
        const v = Math.min(up[j]! + 1, cur[j - 1]! + 1, up[j - 1]! + (word.charCodeAt(j - 1) === ch ? 0 : 1));
        cur[j] = v;
        if (v < min) min = v;
      }
      dep++;
      if (min > maxDist) {
        skip = dep;
        break;
      }
    }
    prev = t;
    valid = dep;
    if (skip === 0) {
      const dist = rows[t.length]![m]!;
      if (dist <= maxDist) found(t, dist);
      i++;
    } else {
      const p = t.slice(0, skip);
      let lo = i + 1;
      let hi = vocab.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (vocab[mid]!.startsWith(p)) lo = mid + 1;
        else hi = mid;
      }
      i = lo;
    }
  }
}

/** One query word: the terms it matches and their weights (expansion weight × idf). */
interface WordPlan {
  terms: Term[];
  weights: number[];
  byTermId: Map<number, number>;
}

/** One (word, term) posting list being read by `top`. */
interface ListCursor {
  t: Term;
  w: number;
  pos: number;
  /** end of the cursor's range: the list's end, or the end of one run of equal s (a sub-cursor) */
  end: number;
  /** round(w × s × SCALE) at pos: the highest value left in the range */
  head: number;
  /** while `pure`: the id at pos, the smallest among unread postings valued `head` (ids ascend) */
  minId: string;
  /** the postings valued `head` from pos on are known to be one run of equal s, ending at valueEnd */
  pure: boolean;
  valueEnd: number;
}

/** a ranks above b in a word's cursor heap */
const cursorAbove = (a: ListCursor, b: ListCursor) => a.head > b.head || (a.head === b.head && a.minId < b.minId);

function siftDown<T>(heap: T[], i: number, above: (a: T, b: T) => boolean): void {
  const n = heap.length;
  const x = heap[i]!;
  for (;;) {
    let c = 2 * i + 1;
    if (c >= n) break;
    if (c + 1 < n && above(heap[c + 1]!, heap[c]!)) c++;
    if (!above(heap[c]!, x)) break;
    heap[i] = heap[c]!;
    i = c;
  }
  heap[i] = x;
}

function siftUp<T>(heap: T[], i: number, above: (a: T, b: T) => boolean): void {
  const x = heap[i]!;
  while (i > 0) {
    const p = (i - 1) >> 1;
    if (!above(x, heap[p]!)) break;
    heap[i] = heap[p]!;
    i = p;
  }
  heap[i] = x;
}

interface Held {
  total: number;
  id: string;
}
/** in the result heap the worst held result is on top */
const worse = (a: Held, b: Held) => a.total < b.total || (a.total === b.total && a.id > b.id);

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

class Match implements SearchMatch {
  postingsRead = 0;
  private bitsCache: Uint32Array | null = null;
  private bitsVersion = -1;
  private sizeCache = -1;

  constructor(
    private readonly store: Store,
    private readonly plans: WordPlan[],
  ) {}

  /** the match set as a bitset over document numbers */
  private bits(): Uint32Array {
    const s = this.store;
    if (this.bitsCache && this.bitsVersion === s.version) return this.bitsCache;
    const words = (s.docIds.length + 31) >>> 5;
    const alive = s.alive;
    let acc: Uint32Array | null = null;
    for (const plan of this.plans) {
      const b = new Uint32Array(words);
      for (const t of plan.terms) {
        const docs = t.docs;
        for (let i = 0; i < docs.length; i++) {
          const d = docs[i]!;
          if (alive[d]) b[d >>> 5]! |= 1 << (d & 31);
        }
      }
      if (acc) for (let i = 0; i < words; i++) acc[i]! &= b[i]!;
      else acc = b;
    }
    this.bitsCache = acc ?? new Uint32Array(words);
    this.bitsVersion = s.version;
    this.sizeCache = -1;
    return this.bitsCache;
  }

  get size(): number {
    const bits = this.bits();
    if (this.sizeCache < 0) {
      let n = 0;
      for (let i = 0; i < bits.length; i++) if (bits[i]) n += popcount(bits[i]!);
      this.sizeCache = n;
    }
    return this.sizeCache;
  }

  has(id: string): boolean {
    const d = this.store.idToDoc.get(id);
    if (d === undefined) return false;
    const bits = this.bits();
    return ((bits[d >>> 5]! >>> (d & 31)) & 1) === 1;
  }

  forEach(cb: (id: string) => void): void {
    const bits = this.bits();
    const ids = this.store.docIds;
    for (let i = 0; i < bits.length; i++) {
      let x = bits[i]! | 0;
      while (x !== 0) {
        const low = x & -x;
        cb(ids[(i << 5) + 31 - Math.clz32(low)]!);
        x ^= low;
      }
    }
  }

  forEachTag(cb: (tag: number) => void): void {
    const bits = this.bits();
    const tags = this.store.tags;
    for (let i = 0; i < bits.length; i++) {
      let x = bits[i]! | 0;
      while (x !== 0) {
        const low = x & -x;
        cb(tags[(i << 5) + 31 - Math.clz32(low)]!);
        x ^= low;
      }
    }
  }

  scoreOf(id: string): number | undefined {
    const d = this.store.idToDoc.get(id);
    if (d === undefined) return undefined;
    const total = this.total(d);
    return total < 0 ? undefined : total / SCALE;
  }

  /** the document's score in millionths by random access; -1 when it misses a word */
  private total(d: number): number {
    const terms = this.store.docTerms[d];
    const scores = this.store.docScores[d];
    if (!terms || !scores) return -1;
    let total = 0;
    for (const plan of this.plans) {
      const weights = plan.byTermId;
      let best = -1;
      for (let i = 0; i < terms.length; i++) {
        const w = weights.get(terms[i]!);
        if (w !== undefined) {
          const c = Math.round(w * scores[i]! * SCALE);
          if (c > best) best = c;
        }
      }
      if (best < 0) return -1;
      total += best;
    }
    return total;
  }

  top(k: number, accept: (id: string) => boolean, after?: SearchCursor): ScoredId[] {
    if (k <= 0 || this.plans.some((p) => p.terms.length === 0)) return [];
    if (after && !Number.isFinite(after.score)) return [];
    const s = this.store;
    const { alive, docIds } = s;
    const limit = after ? Math.round(after.score * SCALE) : 0;
    const afterId = after ? after.id : '';
    const valueAt = (cur: ListCursor, p: number) => Math.round(cur.w * cur.t.scores[p]! * SCALE);

    /** skips dead postings, then refreshes the head (a new value run starts out not known pure) */
    const place = (cur: ListCursor) => {
      const docs = cur.t.docs;
      while (cur.pos < cur.end && !alive[docs[cur.pos]!]) {
        cur.pos++;
        this.postingsRead++;
      }
      if (cur.pos >= cur.end) return;
      if (cur.pure && cur.pos < cur.valueEnd) {
        cur.minId = docIds[docs[cur.pos]!]!;
        return;
      }
      cur.head = valueAt(cur, cur.pos);
      cur.pure = false;
      cur.minId = ''; // unknown: lower than any id, so the cursor is expanded before any stop test
    };
    /** first position in [from, to) of a run of equal s whose id is above the cursor's */
    const pastCursorId = (cur: ListCursor, from: number, to: number) => {
      while (from < to) {
        const mid = (from + to) >>> 1;
        if (docIds[cur.t.docs[mid]!]! <= afterId) from = mid + 1;
        else to = mid;
      }
      return from;
    };
    /**
     * Learns the run of postings valued `head` at a cursor. One run of equal s (the usual case):
     * ids ascend in it, the cursor is pure. Several runs of different s rounding to one value:
     * each becomes a pure sub-cursor in the heap (so they are read in id order, merged) and the
     * cursor moves on past them.
     */
    const expand = (cur: ListCursor, heap: ListCursor[]) => {
      const runEnd = cur.t.runEnd!;
      const head = cur.head;
      const first = runEnd[cur.pos]!;
      if (first >= cur.end || valueAt(cur, first) !== head) {
        cur.pure = true;
        cur.valueEnd = first;
        cur.minId = docIds[cur.t.docs[cur.pos]!]!;
        return;
      }
      let start = cur.pos;
      while (start < cur.end && valueAt(cur, start) === head) {
        const re = runEnd[start]!;
        const sub: ListCursor = { t: cur.t, w: cur.w, pos: after && head === limit ? pastCursorId(cur, start, re) : start, end: re, head, minId: '', pure: true, valueEnd: re };
        place(sub);
        if (sub.pos < sub.end) {
          heap.push(sub);
          siftUp(heap, heap.length - 1, cursorAbove);
        }
        start = re;
      }
      cur.pos = start;
      cur.pure = false;
      place(cur);
    };
    /** the heap with its top cursor popped or re-placed after a change */
    const fixTop = (heap: ListCursor[]) => {
      if (heap[0]!.pos < heap[0]!.end) siftDown(heap, 0, cursorAbove);
      else {
        const last = heap.pop()!;
        if (heap.length > 0) {
          heap[0] = last;
          siftDown(heap, 0, cursorAbove);
        }
      }
    };

    const heaps: ListCursor[][] = [];
    for (const plan of this.plans) {
      const heap: ListCursor[] = [];
      for (let i = 0; i < plan.terms.length; i++) {
        const t = plan.terms[i]!;
        s.prepare(t);
        const cur: ListCursor = { t, w: plan.weights[i]!, pos: 0, end: t.docs.length, head: 0, minId: '', pure: false, valueEnd: 0 };
        if (after) {
          // everything valued above the cursor's score lies before it, whatever the other words add
          let lo = 0;
          let hi = cur.end;
          while (lo < hi) {
            const mid = (lo + hi) >>> 1;
            if (valueAt(cur, mid) > limit) lo = mid + 1;
            else hi = mid;
          }
          // valued at the cursor's score: in the run of equal s there, ids up to the cursor's are
          // at or before it too (further runs of that value are seeked when expanded)
          if (lo < cur.end && valueAt(cur, lo) === limit) lo = pastCursorId(cur, lo, t.runEnd![lo]!);
          cur.pos = lo;
        }
        place(cur);
        if (cur.pos < cur.end) heap.push(cur);
      }
      if (heap.length === 0) return [];
      for (let i = (heap.length >> 1) - 1; i >= 0; i--) siftDown(heap, i, cursorAbove);
      heaps.push(heap);
    }

    const held: Held[] = [];
    const seen = new Set<number>();
    let turn = 0;
    for (;;) {
      let tau = 0;
      let maxMinId = '';
      let exhausted = false;
      for (const heap of heaps) {
        while (heap.length > 0 && !heap[0]!.pure) {
          expand(heap[0]!, heap);
          fixTop(heap);
        }
        const top = heap[0];
        if (!top) {
          exhausted = true; // AND: an unseen document would need a posting of this word
          break;
        }
        tau += top.head;
        if (top.minId > maxMinId) maxMinId = top.minId;
      }
      if (exhausted) break;
      if (held.length === k) {
        const kth = held[0]!;
        if (kth.total > tau || (kth.total === tau && kth.id < maxMinId)) break;
      }

      const heap = heaps[turn]!;
      turn = (turn + 1) % heaps.length;
      const cur = heap[0]!;
      const d = cur.t.docs[cur.pos]!;
      this.postingsRead++;
      cur.pos++;
      place(cur);
      fixTop(heap);

      if (seen.has(d)) continue;
      seen.add(d);
      const total = this.total(d);
      if (total < 0) continue;
      const id = docIds[d]!;
      if (after && (total > limit || (total === limit && id <= afterId))) continue;
      const h: Held = { total, id };
      if (held.length === k && !worse(held[0]!, h)) continue;
      if (!accept(id)) continue;
      if (held.length < k) {
        held.push(h);
        siftUp(held, held.length - 1, worse);
      } else {
        held[0] = h;
        siftDown(held, 0, worse);
      }
    }
    held.sort((a, b) => (worse(a, b) ? 1 : worse(b, a) ? -1 : 0));
    return held.map((h) => ({ id: h.id, score: h.total / SCALE }));
  }
}

export class ProductSearchIndex {
  private readonly store = new Store();

  /** number of documents held */
  get size(): number {
    return this.store.live;
  }

  /**
   * Adds a document; one with the same id is replaced. `tag` is any number the caller wants back
   * from `SearchMatch.forEachTag` (e.g. its own array index of the document), -1 by default.
   */
  add(doc: SearchDocument, tag = -1): void {
    const s = this.store;
    this.remove(doc.id);
    const d = s.docIds.length;
    if (d >= s.alive.length) {
      const alive = new Uint8Array(s.alive.length * 2);
      alive.set(s.alive);
      s.alive = alive;
      const tags = new Int32Array(alive.length);
      tags.set(s.tags);
      s.tags = tags;
    }
    const fields = [doc.title, doc.handle, doc.options, doc.description];
    const lengths = [0, 0, 0, 0];
    const freqs = new Map<string, number[]>();
    for (let f = 0; f < FIELD_COUNT; f++) {
      const tokens = tokenize(fields[f]!);
      lengths[f] = tokens.length;
      for (const tok of tokens) {
        let tf = freqs.get(tok);
        if (!tf) {
          tf = [0, 0, 0, 0];
          freqs.set(tok, tf);
        }
        tf[f]!++;
      }
    }
    const termIds: number[] = [];
    const termScores: number[] = [];
    for (const [text, tf] of freqs) {
      let score = 0;
      for (let f = 0; f < FIELD_COUNT; f++) {
        const n = tf[f]!;
        if (n > 0) score += BOOST[f]! * (D + (n * (K1 + 1)) / (n + K1 * (1 - B + (B * lengths[f]!) / PIVOT[f]!)));
      }
      const t = s.termFor(text);
      const last = t.docs.length - 1;
      if (t.sorted && last >= 0) {
        const ls = t.scores[last]!;
        if (ls < score || (ls === score && s.docIds[t.docs[last]!]! > doc.id)) t.sorted = false;
      }
      t.docs.push(d);
      t.scores.push(score);
      t.df++;
      t.runEnd = null;
      termIds.push(t.id);
      termScores.push(score);
    }
    s.docIds.push(doc.id);
    s.docTerms.push(termIds);
    s.docScores.push(termScores);
    s.alive[d] = 1;
    s.tags[d] = tag;
    s.idToDoc.set(doc.id, d);
    s.live++;
    s.version++;
  }

  /** Removes a document; false when it was not held. */
  remove(id: string): boolean {
    const s = this.store;
    const d = s.idToDoc.get(id);
    if (d === undefined) return false;
    s.idToDoc.delete(id);
    s.alive[d] = 0;
    for (const tid of s.docTerms[d]!) {
      const t = s.terms[tid]!;
      t.df--;
      t.dead++;
    }
    s.docTerms[d] = null;
    s.docScores[d] = null;
    s.live--;
    s.deadDocs++;
    s.version++;
    if (s.deadDocs > 1024 && s.deadDocs > s.live) s.renumber();
    return true;
  }

  has(id: string): boolean {
    return this.store.idToDoc.has(id);
  }

  /** The documents matching every word of `query`; null when the query has no words. */
  match(query: string): SearchMatch | null {
    const words = [...new Set(tokenize(query))];
    if (words.length === 0) return null;
    const s = this.store;
    s.syncVocab();
    const plans = words.map((w) => this.plan(w));
    return new Match(s, plans);
  }

  /** The vocabulary terms a query word matches, weighted (exact > prefix > typo). */
  private plan(word: string): WordPlan {
    const s = this.store;
    const expansion = new Map<Term, number>();
    const exact = s.byText.get(word);
    if (exact && exact.df > 0) expansion.set(exact, 1);
    const vocab = s.vocab;
    for (let i = lowerBound(vocab, word); i < vocab.length && vocab[i]!.startsWith(word); i++) {
      const t = s.byText.get(vocab[i]!)!;
      const len = t.text.length;
      if (t.df > 0 && t !== exact) expansion.set(t, (PREFIX_WEIGHT * len) / (len + 0.3 * (len - word.length)));
    }
    const maxDist = Math.min(MAX_FUZZY, Math.round(word.length * FUZZY));
    if (maxDist > 0) {
      fuzzyTerms(vocab, word, maxDist, (text, dist) => {
        const t = s.byText.get(text)!;
        if (t.df > 0 && !expansion.has(t)) expansion.set(t, (FUZZY_WEIGHT * text.length) / (text.length + dist));
      });
    }
    const n = s.live;
    const plan: WordPlan = { terms: [], weights: [], byTermId: new Map() };
    for (const [t, weight] of expansion) {
      const w = weight * Math.log(1 + (n - t.df + 0.5) / (t.df + 0.5));
      plan.terms.push(t);
      plan.weights.push(w);
      plan.byTermId.set(t.id, w);
    }
    return plan;
  }
}
