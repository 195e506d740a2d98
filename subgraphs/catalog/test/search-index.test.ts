import { describe, expect, it } from 'vitest';
import { fuzzyTerms, ProductSearchIndex, tokenize, type ScoredId, type SearchDocument, type SearchMatch } from '../src/domain/search-index.ts';
import { rng } from '../src/domain/demo-catalog.ts';


function doc(id: string, title: string, extra: Partial<SearchDocument> = {}): SearchDocument {
  return { id, title, description: '', options: '', handle: '', ...extra };
}

const ids = (r: ScoredId[]) => r.map((h) => h.id);
const all = () => true;

function levenshtein(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length]!;
}

/** The ranking a full scoring of every match gives: score desc, id asc. */
function bruteForce(m: SearchMatch, accept: (id: string) => boolean = all): ScoredId[] {
  const out: ScoredId[] = [];
  m.forEach((id) => {
    if (accept(id)) out.push({ id, score: m.scoreOf(id)! });
  });
  return out.sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** Pages through `top` with cursors and concatenates the pages. */
function pageThrough(m: SearchMatch, size: number, accept: (id: string) => boolean = all): ScoredId[] {
  const out: ScoredId[] = [];
  let after: ScoredId | undefined;
  for (let guard = 0; guard < 10_000; guard++) {
    const page = m.top(size + 1, accept, after);
    out.push(...page.slice(0, size));
    if (page.length <= size) break;
    after = page[size - 1]!;
  }
  return out;
}

// A generated catalogue: Zipf-like word frequencies, a word in every document, numbers, repeats.
const WORDS = Array.from({ length: 400 }, (_, i) => {
  const syll = ['ka', 'lo', 'mi', 'ne', 'ru', 'sa', 'to', 'vi', 'ze', 'po', 'an', 'el'];
  let w = '';
  let x = i + 7;
  do {
    w += syll[x % syll.length];
    x = Math.floor(x / syll.length);
  } while (x > 0);
  return w + (i % 3 === 0 ? 'n' : '');
});
function catalogue(n: number, seed: number): SearchDocument[] {
  const r = rng(seed);
  const word = () => WORDS[Math.floor(WORDS.length * r() ** 2.5)]!; // skewed: early words are common
  const words = (k: number) => Array.from({ length: k }, word).join(' ');
  return Array.from({ length: n }, (_, i) => {
    const title = words(2 + Math.floor(r() * 4));
    return {
      id: `p${String(Math.floor(r() * 1e6)).padStart(6, '0')}-${i}`,
      title,
      description: `${words(3 + Math.floor(r() * 15))} common ${r() < 0.3 ? title : ''} item ${i}`,
      options: ['S M L', 'Black Sand', 'Red', ''][i % 4]!,
      handle: `${title} ${i}`,
    };
  });
}

function randomQuery(r: () => number): string {
  const n = 1 + Math.floor(r() * 3);
  const parts: string[] = [];
  for (let i = 0; i < n; i++) {
    let w = WORDS[Math.floor(WORDS.length * r() ** 1.5)]!;
    const kind = r();
    if (kind < 0.25 && w.length > 3) w = w.slice(0, 2 + Math.floor(r() * (w.length - 2))); // prefix
    else if (kind < 0.45 && w.length > 4) {
      const at = Math.floor(r() * w.length);
      w = w.slice(0, at) + 'x' + w.slice(at + 1); // typo
    } else if (kind < 0.5) w = 'common';
    parts.push(w);
  }
  return parts.join(' ');
}

describe('tokenize', () => {
  it('splits on anything but letters and digits and lower-cases', () => {
    expect(tokenize('Crème-Brûlée, 2x  ÜBER_size! 日本語')).toEqual(['crème', 'brûlée', '2x', 'über', 'size', '日本語']);
    expect(tokenize(' -- ')).toEqual([]);
  });
});

describe('fuzzyTerms', () => {
  it('finds exactly the terms within the edit distance', () => {
    const vocab = [...new Set(WORDS.concat(['lantern', 'lanterns', 'latern', 'pattern', 'l', 'la', '12345', '12354']))].sort();
    for (const [word, d] of [['lanturn', 1], ['lantern', 2], ['kalo', 1], ['12344', 1], ['zzzz', 1], ['ka', 1]] as const) {
      const found: string[] = [];
      fuzzyTerms(vocab, word, d, (t) => found.push(t));
      expect(found.sort()).toEqual(vocab.filter((t) => levenshtein(t, word) <= d).sort());
    }
  });
});

describe('ProductSearchIndex', () => {
  it('matches exact words, prefixes and small typos; exact beats prefix and typo', () => {
    const index = new ProductSearchIndex();
    index.add(doc('a', 'Camping Lantern'));
    index.add(doc('b', 'Lanterns and lamps'));
    index.add(doc('c', 'Desk lamp'));
    expect(ids(index.match('lantern')!.top(10, all))).toEqual(['a', 'b']); // exact, then prefix (lanterns)
    expect(ids(index.match('lant')!.top(10, all)).sort()).toEqual(['a', 'b']); // prefix
    expect(ids(index.match('lanturn')!.top(10, all))).toEqual(['a']); // typo: 1 edit for 7 letters
    expect(index.match('lanturns')!.size).toBe(2); // 8 letters allow 2 edits: lantern (2) and lanterns (1)
    expect(ids(index.match('lmp')!.top(10, all))).toEqual(['c']); // 3 letters allow 1 edit: lamp, not lamps
  });

  it('combines words with AND and ignores a query without words', () => {
    const index = new ProductSearchIndex();
    index.add(doc('a', 'Red wool scarf'));
    index.add(doc('b', 'Red cotton shirt'));
    index.add(doc('c', 'Blue wool shirt'));
    expect(index.match('red')!.size).toBe(2);
    expect(ids(index.match('red wool')!.top(10, all))).toEqual(['a']);
    expect(index.match('wool shirt')!.has('c')).toBe(true);
    expect(index.match('wool shirt')!.has('a')).toBe(false);
    expect(index.match('red zebra')!.size).toBe(0);
    expect(index.match('red zebra')!.top(10, all)).toEqual([]);
    expect(index.match('  !!  ')).toBeNull();
  });

  it('weighs fields: title over handle over options over description', () => {
    const index = new ProductSearchIndex();
    index.add(doc('d', 'Plain item', { description: 'alpine' }));
    index.add(doc('c', 'Plain item', { options: 'alpine' }));
    index.add(doc('b', 'Plain item', { handle: 'alpine' }));
    index.add(doc('a', 'Alpine item'));
    expect(ids(index.match('alpine')!.top(10, all))).toEqual(['a', 'b', 'c', 'd']);
    // a shorter field counts a word more than a longer one; repeats saturate
    index.add(doc('e', 'Alpine item with a very long title of many words'));
    const r = index.match('alpine')!.top(10, all);
    expect(r.findIndex((h) => h.id === 'a')).toBeLessThan(r.findIndex((h) => h.id === 'e'));
  });

  it('removes and replaces documents, keeping size and counts exact', () => {
    const index = new ProductSearchIndex();
    index.add(doc('a', 'Copper kettle'));
    index.add(doc('b', 'Copper pan'));
    expect(index.size).toBe(2);
    expect(index.match('copper')!.size).toBe(2);
    index.add(doc('a', 'Steel kettle')); // replaces
    expect(index.size).toBe(2);
    expect(index.match('copper')!.size).toBe(1);
    expect(ids(index.match('steel')!.top(5, all))).toEqual(['a']);
    expect(index.remove('b')).toBe(true);
    expect(index.remove('b')).toBe(false);
    expect(index.size).toBe(1);
    expect(index.match('copper')!.size).toBe(0);
    expect(index.match('copper')!.top(5, all)).toEqual([]);
    expect(index.match('kettle')!.size).toBe(1);
  });

  it('hands back the caller\'s tags of the matches', () => {
    const index = new ProductSearchIndex();
    index.add(doc('a', 'Copper kettle'), 10);
    index.add(doc('b', 'Copper pan'), 11);
    index.add(doc('c', 'Steel pan'));
    index.add(doc('b', 'Copper wok'), 12); // replaced: the new tag
    const tags: number[] = [];
    index.match('copper')!.forEachTag((t) => tags.push(t));
    expect(tags.sort()).toEqual([10, 12]);
    const untagged: number[] = [];
    index.match('steel')!.forEachTag((t) => untagged.push(t));
    expect(untagged).toEqual([-1]);
  });

  it('breaks ties by id and pages through them with cursors', () => {
    const index = new ProductSearchIndex();
    for (const id of ['m', 'c', 'x', 'a', 'k', 'b', 'z', 'e']) index.add(doc(id, 'Same title'));
    const m = index.match('same')!;
    const top = m.top(3, all);
    expect(ids(top)).toEqual(['a', 'b', 'c']);
    expect(ids(m.top(3, all, top[2]))).toEqual(['e', 'k', 'm']);
    expect(ids(pageThrough(m, 3))).toEqual(['a', 'b', 'c', 'e', 'k', 'm', 'x', 'z']);
    expect(ids(m.top(10, (id) => id > 'c', { score: top[0]!.score, id: 'a' }))).toEqual(['e', 'k', 'm', 'x', 'z']);
  });

  it('breaks a tie on id when the tied documents lead different words', () => {
    // b leads "alpha" and a leads "omega", with mirrored scores: equal totals, so a comes first
    const index = new ProductSearchIndex();
    index.add(doc('b', 'Alpha', { description: 'omega' }));
    index.add(doc('a', 'Omega', { description: 'alpha' }));
    index.add(doc('c', 'Filler'));
    const m = index.match('alpha omega')!;
    expect(m.scoreOf('a')).toBe(m.scoreOf('b'));
    expect(ids(m.top(1, all))).toEqual(['a']);
    expect(ids(pageThrough(m, 1))).toEqual(['a', 'b']);
  });

  it('gives scores that are cursor-safe multiples of 1e-6', () => {
    const index = new ProductSearchIndex();
    for (const d of catalogue(300, 3)) index.add(d);
    for (const h of index.match('common')!.top(50, all)) {
      expect(Math.round(h.score * 1e6) / 1e6).toBe(h.score);
      expect(JSON.parse(JSON.stringify(h.score))).toBe(h.score);
    }
  });

  it('ranks like a full scoring of every match, with filters and cursor paging (generated catalogue)', () => {
    const index = new ProductSearchIndex();
    const docs = catalogue(3000, 42);
    for (const d of docs) index.add(d);
    const tokens = docs.map((d) => [...new Set(tokenize(`${d.title} ${d.handle} ${d.options} ${d.description}`))]);
    const r = rng(7);
    let checked = 0;
    let multiWord = 0;
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 70; i++) {
        const q = randomQuery(r);
        const m = index.match(q)!;
        const words = [...new Set(tokenize(q))];
        // the match set, by brute force over every document
        const vocab = new Set(tokens.flat());
        const matching = words.map((w) => new Set([...vocab].filter((t) => t.startsWith(w) || levenshtein(t, w) <= Math.round(w.length * 0.2))));
        const expected = new Set<string>();
        docs.forEach((d, j) => {
          if (index.has(d.id) && matching.every((terms) => tokens[j]!.some((t) => terms.has(t)))) expected.add(d.id);
        });
        const seen = new Set<string>();
        m.forEach((id) => seen.add(id));
        expect(m.size, q).toBe(expected.size);
        expect([...seen].sort(), q).toEqual([...expected].sort());

        const full = bruteForce(m);
        for (const k of [1, 5, 20]) expect(m.top(k, all), `${q} top ${k}`).toEqual(full.slice(0, k));
        const accept = (id: string) => id.charCodeAt(id.length - 1) % 3 !== 0;
        expect(m.top(10, accept), `${q} filtered`).toEqual(bruteForce(m, accept).slice(0, 10));
        if (full.length < 400) {
          expect(pageThrough(m, 7), `${q} pages`).toEqual(full);
          expect(pageThrough(m, 13, accept), `${q} filtered pages`).toEqual(bruteForce(m, accept));
        } else {
          // deep cursors without paging from the start
          const at = full[Math.floor(full.length / 2)]!;
          const rest = full.slice(Math.floor(full.length / 2) + 1);
          expect(m.top(10, all, at), `${q} after`).toEqual(rest.slice(0, 10));
        }
        checked++;
        if (words.length > 1 && full.length > 0) multiWord++;
      }
      // change the catalogue (replacements, removals, additions) and check again
      for (let j = 0; j < docs.length; j += 3) {
        if (j % 2 === 0) index.remove(docs[j]!.id);
        else {
          const d = { ...docs[j]!, title: `${docs[(j * 7) % docs.length]!.title} common` };
          docs[j] = d;
          tokens[j] = [...new Set(tokenize(`${d.title} ${d.handle} ${d.options} ${d.description}`))];
          index.add(d);
        }
      }
      for (const d of catalogue(500, 99 + round)) {
        const copy = { ...d, id: `n${round}-${d.id}` };
        docs.push(copy);
        tokens.push([...new Set(tokenize(`${copy.title} ${copy.handle} ${copy.options} ${copy.description}`))]);
        index.add(copy);
      }
    }
    expect(checked).toBe(140);
    expect(multiWord).toBeGreaterThan(20);
  }, 60_000);

  it('stays exact when different per-document scores round to the same value (ties across runs)', () => {
    // "common" is in every document, so its idf is tiny and many description lengths (different s)
    // round to the same score: a run of equal score spans several runs of equal s, ids not ascending
    const index = new ProductSearchIndex();
    const r = rng(21);
    const lengths = new Set<number>();
    for (let i = 0; i < 3000; i++) {
      const len = Math.floor(r() * 300);
      lengths.add(len);
      const id = `d${String(Math.floor(r() * 1e6)).padStart(6, '0')}`;
      index.add(doc(id, i % 2 ? 'Plain item' : 'Other thing', { description: `common ${'x '.repeat(len)}` }));
    }
    for (const q of ['common', 'common item', 'item common x']) {
      const m = index.match(q)!;
      const full = bruteForce(m);
      expect(new Set(full.map((h) => h.score)).size).toBeLessThan(lengths.size / 2); // collisions happen
      for (const k of [1, 10, 50]) expect(m.top(k, all), `${q} top ${k}`).toEqual(full.slice(0, k));
      expect(pageThrough(m, 37), q).toEqual(full);
      const accept = (id: string) => id.endsWith('3') || id.endsWith('7');
      expect(pageThrough(m, 11, accept), `${q} filtered`).toEqual(bruteForce(m, accept));
    }
    // the runs sharing a value are merged by id, not read one after the other
    const common = index.match('common')!;
    expect(common.top(20, all)).toEqual(bruteForce(common).slice(0, 20));
    expect(common.postingsRead).toBeLessThan(100);
  });

  it('stays exact after enough removals to renumber the documents', () => {
    const index = new ProductSearchIndex();
    const docs = catalogue(3000, 5);
    for (const d of docs) index.add(d);
    for (let j = 0; j < 2400; j++) index.remove(docs[j]!.id);
    expect(index.size).toBe(600);
    const kept = docs.slice(2400);
    const m = index.match('common')!;
    expect(m.size).toBe(600);
    expect(m.has(docs[0]!.id)).toBe(false);
    expect(m.has(kept[0]!.id)).toBe(true);
    expect(pageThrough(m, 50)).toEqual(bruteForce(m));
  });

  it('reads about k postings for a one-word query, not every hit', () => {
    const index = new ProductSearchIndex();
    for (const d of catalogue(5000, 11)) index.add(d);
    const m = index.match('common')!;
    expect(m.size).toBe(5000);
    const top = m.top(20, all);
    expect(top).toEqual(bruteForce(m).slice(0, 20));
    expect(m.postingsRead).toBeLessThan(200);

    const word = WORDS[0]!; // the most frequent word
    const w = index.match(word)!;
    expect(w.size).toBeGreaterThan(500);
    w.top(21, all);
    expect(w.postingsRead).toBeLessThan(w.size / 10);
    // a cursor is reached by binary search, not by reading the pages before it
    const page = w.top(21, all);
    const before = w.postingsRead;
    const third = bruteForce(w)[200]!;
    expect(w.top(21, all, third)).toEqual(bruteForce(w).slice(201, 222));
    expect(w.postingsRead - before).toBeLessThan(200);
    expect(page).toHaveLength(21);
  });
});
