import { FACETS, type FacetName } from "./engine";

// The embedded engine's read model: an inverted index in typed arrays, rebuilt from the SearchDoc
// table and kept in step with it through the SearchChange log (see embedded.server.ts). It answers
// a query by accumulating BM25F scores over the postings of the query's terms, so a common word
// costs one pass over its postings, and counts facets over the matched documents in the same pass.

const K1 = 1.2;
const B = 0.75;

class Postings {
  docs = new Int32Array(4);
  weights = new Float32Array(4);
  length = 0;
  add(doc: number, w: number) {
    if (this.length === this.docs.length) {
      const docs = new Int32Array(this.length * 2);
      docs.set(this.docs);
      this.docs = docs;
      const weights = new Float32Array(this.length * 2);
      weights.set(this.weights);
      this.weights = weights;
    }
    this.docs[this.length] = doc;
    this.weights[this.length++] = w;
  }
}

export interface IndexedDoc {
  id: string;
  title: string; // normalised, for the title bonus
  date: number;
  terms: Map<string, number>; // term → weighted frequency (field boosts applied)
  facets: Partial<Record<FacetName, string | null>>;
}

/** One alternative way to satisfy a query word: all of `terms` must match. */
export interface Alternative {
  terms: string[];
  weight: number;
}
export interface QueryGroup {
  word: string;
  alternatives: Alternative[];
}

export interface IndexSearch {
  groups: QueryGroup[];
  /** the whole query, normalised, for the title bonus */
  phrase: string;
  filters: Partial<Record<FacetName, string>>;
  sort: "relevance" | "date";
  offset: number;
  limit: number;
}

export interface IndexResult {
  total: number;
  ids: string[];
  facets: Record<FacetName, { value: string; count: number }[]>;
  /** terms that matched at least one returned document, for highlighting */
  matched: string[];
  relaxed: boolean;
}

export class MemoryIndex {
  private ids: string[] = [];
  private titles: string[] = [];
  private dates: number[] = [];
  private lens: number[] = [];
  private alive: Uint8Array = new Uint8Array(1024);
  private facetCodes: Record<FacetName, Int32Array> = emptyFacetArrays(1024);
  private facetValues: Record<FacetName, string[]> = Object.fromEntries(FACETS.map((f) => [f, []])) as never;
  private facetLookup: Record<FacetName, Map<string, number>> = Object.fromEntries(FACETS.map((f) => [f, new Map()])) as never;
  private byId = new Map<string, number>();
  private postings = new Map<string, Postings>();
  private totalLen = 0;
  private liveCount = 0;
  private dead = 0;
  private vocabCache: { latin: string[]; cjkChars: Map<string, string[]> } | null = null;
  // scratch buffers reused across queries
  private scratchScore = new Float64Array(0);
  private scratchGroup = new Float64Array(0);
  private scratchCount = new Uint16Array(0);

  get size() {
    return this.liveCount;
  }

  has(id: string) {
    return this.byId.has(id);
  }

  df(term: string) {
    return this.postings.get(term)?.length ?? 0;
  }

  upsert(doc: IndexedDoc) {
    this.remove(doc.id);
    const n = this.ids.length;
    this.ensureCapacity(n + 1);
    this.ids.push(doc.id);
    this.titles.push(doc.title);
    this.dates.push(doc.date);
    let len = 0;
    for (const [term, w] of doc.terms) {
      let p = this.postings.get(term);
      if (!p) {
        p = new Postings();
        this.postings.set(term, p);
        this.vocabCache = null;
      }
      p.add(n, w);
      len += w;
    }
    this.lens.push(len);
    this.totalLen += len;
    for (const f of FACETS) this.facetCodes[f][n] = this.code(f, doc.facets[f] ?? null);
    this.alive[n] = 1;
    this.byId.set(doc.id, n);
    this.liveCount++;
  }

  remove(id: string) {
    const n = this.byId.get(id);
    if (n === undefined) return;
    this.alive[n] = 0;
    this.byId.delete(id);
    this.totalLen -= this.lens[n];
    this.liveCount--;
    this.dead++;
    // dead postings are skipped; compact when they are a fifth of the index
    if (this.dead > 1000 && this.dead > this.ids.length / 5) this.compact();
  }

  /** Vocabulary terms in Latin script (for prefix and typo expansion), sorted. */
  latinTerms(): string[] {
    return this.vocab().latin;
  }

  /** Vocabulary terms that contain a CJK character. */
  termsWithChar(ch: string): string[] {
    return this.vocab().cjkChars.get(ch) ?? [];
  }

  search(q: IndexSearch): IndexResult {
    const N = this.ids.length;
    this.ensureScratch(N);
    const score = this.scratchScore;
    const count = this.scratchCount;
    const touched: number[] = [];
    const avgLen = this.liveCount ? this.totalLen / this.liveCount : 1;
    const groups = q.groups;
    const G = groups.length;

    if (G > 0) {
      const gScore = this.scratchGroup;
      for (const group of groups) {
        const gTouched: number[] = [];
        for (const alt of group.alternatives) this.scoreAlternative(alt, avgLen, gScore, gTouched);
        for (const d of gTouched) {
          if (gScore[d] === 0) continue;
          if (count[d] === 0) touched.push(d);
          count[d]++;
          score[d] += gScore[d];
          gScore[d] = 0;
        }
      }
    }

    // all words must match; when nothing does, accept documents missing one word, then two …
    let need = G;
    let relaxed = false;
    if (G > 1) {
      const best = touched.reduce((m, d) => Math.max(m, count[d]), 0);
      if (best < G) {
        need = Math.max(1, best, Math.ceil(G / 2));
        relaxed = true;
      }
    }

    const filterCodes = FACETS.map((f) => {
      const v = q.filters[f];
      return v === undefined ? -1 : (this.facetLookup[f].get(v) ?? -2);
    });
    const facetCounts = FACETS.map(() => new Map<number, number>());
    const matches: number[] = [];
    const consider = (d: number) => {
      // disjunctive faceting: a dimension's counts ignore that dimension's own filter
      let failed = -1;
      for (let i = 0; i < FACETS.length; i++) {
        const want = filterCodes[i];
        if (want !== -1 && this.facetCodes[FACETS[i]][d] !== want) {
          if (failed !== -1) return;
          failed = i;
        }
      }
      for (let i = 0; i < FACETS.length; i++) {
        if (failed !== -1 && failed !== i) continue;
        const c = this.facetCodes[FACETS[i]][d];
        if (c >= 0) facetCounts[i].set(c, (facetCounts[i].get(c) ?? 0) + 1);
      }
      if (failed === -1) matches.push(d);
    };

    if (G === 0) {
      for (let d = 0; d < N; d++) if (this.alive[d]) consider(d);
    } else {
      for (const d of touched) {
        if (this.alive[d] && count[d] >= need) {
          // a document whose title holds the whole query ranks above one that merely mentions it
          if (q.phrase && this.titles[d].includes(q.phrase)) score[d] *= 1.6;
          if (relaxed) score[d] += count[d] * 1000;
          consider(d);
        }
      }
    }

    const total = matches.length;
    const k = Math.min(total, q.offset + q.limit);
    const byDate = q.sort === "date" || G === 0;
    const cmp = byDate
      ? (a: number, b: number) => this.dates[b] - this.dates[a] || score[b] - score[a] || a - b
      : (a: number, b: number) => score[b] - score[a] || this.dates[b] - this.dates[a] || a - b;
    const top = topK(matches, k, cmp).slice(q.offset);

    const facets = Object.fromEntries(
      FACETS.map((f, i) => [
        f,
        [...facetCounts[i].entries()]
          .map(([c, n]) => ({ value: this.facetValues[f][c], count: n }))
          .sort((a, b) => b.count - a.count || a.value.localeCompare(b.value)),
      ]),
    ) as IndexResult["facets"];

    const matched = new Set<string>();
    for (const group of groups) for (const alt of group.alternatives) for (const t of alt.terms) if (this.postings.has(t)) matched.add(t);

    for (const d of touched) {
      score[d] = 0;
      count[d] = 0;
    }
    return { total, ids: top.map((d) => this.ids[d]), facets, matched: [...matched], relaxed };
  }

  private scoreAlternative(alt: Alternative, avgLen: number, gScore: Float64Array, gTouched: number[]) {
    const lists = alt.terms.map((t) => this.postings.get(t));
    if (lists.some((p) => !p || p.length === 0)) return;
    const N = Math.max(1, this.liveCount);
    if (lists.length === 1) {
      const p = lists[0]!;
      const idf = Math.log(1 + (N - p.length + 0.5) / (p.length + 0.5));
      for (let i = 0; i < p.length; i++) {
        const d = p.docs[i];
        if (!this.alive[d]) continue;
        const w = p.weights[i];
        const s = alt.weight * idf * ((w * (K1 + 1)) / (w + K1 * (1 - B + (B * this.lens[d]) / avgLen)));
        if (gScore[d] === 0) gTouched.push(d);
        if (s > gScore[d]) gScore[d] = s;
      }
      return;
    }
    // several terms that must all match: walk the shortest list, look the others up
    const sorted = [...lists].sort((a, b) => a!.length - b!.length) as Postings[];
    const maps = sorted.slice(1).map((p) => {
      const m = new Map<number, number>();
      for (let i = 0; i < p.length; i++) m.set(p.docs[i], p.weights[i]);
      return { m, idf: Math.log(1 + (N - p.length + 0.5) / (p.length + 0.5)) };
    });
    const first = sorted[0];
    const idf0 = Math.log(1 + (N - first.length + 0.5) / (first.length + 0.5));
    for (let i = 0; i < first.length; i++) {
      const d = first.docs[i];
      if (!this.alive[d]) continue;
      const norm = K1 * (1 - B + (B * this.lens[d]) / avgLen);
      let s = idf0 * ((first.weights[i] * (K1 + 1)) / (first.weights[i] + norm));
      let all = true;
      for (const { m, idf } of maps) {
        const w = m.get(d);
        if (w === undefined) {
          all = false;
          break;
        }
        s += idf * ((w * (K1 + 1)) / (w + norm));
      }
      if (!all) continue;
      s = (alt.weight * s) / sorted.length;
      if (gScore[d] === 0) gTouched.push(d);
      if (s > gScore[d]) gScore[d] = s;
    }
  }

  private code(f: FacetName, value: string | null): number {
    if (value === null || value === "") return -1;
    let c = this.facetLookup[f].get(value);
    if (c === undefined) {
      c = this.facetValues[f].length;
      this.facetValues[f].push(value);
      this.facetLookup[f].set(value, c);
    }
    return c;
  }

  private vocab() {
    if (this.vocabCache) return this.vocabCache;
    const latin: string[] = [];
    const cjkChars = new Map<string, string[]>();
    for (const term of this.postings.keys()) {
      if (/^[a-z][a-z0-9.+#-]*$/.test(term)) latin.push(term);
      else
        for (const ch of new Set(term)) {
          if (!/[\u3400-\u9fff]/.test(ch)) continue;
          let list = cjkChars.get(ch);
          if (!list) cjkChars.set(ch, (list = []));
          list.push(term);
        }
    }
    latin.sort();
    return (this.vocabCache = { latin, cjkChars });
  }

  private ensureCapacity(n: number) {
    if (n <= this.alive.length) return;
    let size = this.alive.length;
    while (size < n) size *= 2;
    const alive = new Uint8Array(size);
    alive.set(this.alive);
    this.alive = alive;
    for (const f of FACETS) {
      const a = new Int32Array(size).fill(-1);
      a.set(this.facetCodes[f]);
      this.facetCodes[f] = a;
    }
  }

  private ensureScratch(n: number) {
    if (this.scratchScore.length >= n) return;
    const size = Math.max(1024, n * 2);
    this.scratchScore = new Float64Array(size);
    this.scratchGroup = new Float64Array(size);
    this.scratchCount = new Uint16Array(size);
  }

  private compact() {
    const old = { ids: this.ids, titles: this.titles, dates: this.dates, lens: this.lens, alive: this.alive, facetCodes: this.facetCodes };
    const remap = new Int32Array(old.ids.length).fill(-1);
    const next = new MemoryIndex();
    let n = 0;
    for (let d = 0; d < old.ids.length; d++) if (old.alive[d]) remap[d] = n++;
    next.ensureCapacity(n);
    for (let d = 0; d < old.ids.length; d++) {
      const m = remap[d];
      if (m < 0) continue;
      next.ids.push(old.ids[d]);
      next.titles.push(old.titles[d]);
      next.dates.push(old.dates[d]);
      next.lens.push(old.lens[d]);
      next.alive[m] = 1;
      next.byId.set(old.ids[d], m);
      for (const f of FACETS) next.facetCodes[f][m] = old.facetCodes[f][d];
    }
    for (const [term, p] of this.postings) {
      const q = new Postings();
      for (let i = 0; i < p.length; i++) {
        const m = remap[p.docs[i]];
        if (m >= 0) q.add(m, p.weights[i]);
      }
      if (q.length) next.postings.set(term, q);
    }
    this.ids = next.ids;
    this.titles = next.titles;
    this.dates = next.dates;
    this.lens = next.lens;
    this.alive = next.alive;
    this.facetCodes = next.facetCodes;
    this.byId = next.byId;
    this.postings = next.postings;
    this.dead = 0;
    this.vocabCache = null;
  }
}

function emptyFacetArrays(size: number): Record<FacetName, Int32Array> {
  return Object.fromEntries(FACETS.map((f) => [f, new Int32Array(size).fill(-1)])) as Record<FacetName, Int32Array>;
}

/** The k best of `items` by `cmp`, in order, without sorting everything. */
function topK(items: number[], k: number, cmp: (a: number, b: number) => number): number[] {
  if (k <= 0) return [];
  if (items.length <= k * 4 || items.length < 256) return items.sort(cmp).slice(0, k);
  // a bounded max-heap of the k best: the root is the worst kept
  const heap: number[] = [];
  const worse = (a: number, b: number) => cmp(a, b) > 0;
  const up = (i: number) => {
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!worse(heap[i], heap[p])) break;
      [heap[i], heap[p]] = [heap[p], heap[i]];
      i = p;
    }
  };
  const down = (i: number) => {
    for (;;) {
      const l = 2 * i + 1, r = l + 1;
      let m = i;
      if (l < heap.length && worse(heap[l], heap[m])) m = l;
      if (r < heap.length && worse(heap[r], heap[m])) m = r;
      if (m === i) break;
      [heap[i], heap[m]] = [heap[m], heap[i]];
      i = m;
    }
  };
  for (const x of items) {
    if (heap.length < k) {
      heap.push(x);
      up(heap.length - 1);
    } else if (cmp(x, heap[0]) < 0) {
      heap[0] = x;
      down(0);
    }
  }
  return heap.sort(cmp);
}
