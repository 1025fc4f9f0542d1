import { WEIGHT_BASE, WEIGHT_MAX } from "../terms";

// Postings: for each term, the documents that hold it, in ascending document order. A posting is
// one 32-bit integer: the document number shifted left 8 bits, plus the term's weight in that
// document quantized to 8 bits (BM25 saturates, so 255 levels are plenty).
// - A full load fills one array for all terms ("main", compressed-row layout: term t owns
//   main[start[t] … start[t+1])) in two passes (BulkBuffer): every document's terms are first
//   appended in reading order, then distributed by term. Appending posting by posting to a growing
//   array per term cost three times as much, nearly all of it in cache misses.
// - Changes after the load append to a small list per term ("delta"). Document numbers only grow,
//   so every term's postings — main, then delta — stay in ascending order, and "all of these
//   terms" is a merge that gallops over the long lists instead of hashing them.

/** The eighth bit of a posting's weight code: the term is in the document's title. */
export const TITLE_BIT = 128;
/** Document numbers must fit in 23 bits next to the 8-bit weight. */
export const MAX_DOCS = (1 << 23) - 1;

/** Weight → 7-bit code: quarters up to 16, then whole steps up to 79. */
export function quantize(w: number): number {
  if (w <= 16) return Math.max(1, Math.round(w * 4));
  return Math.min(127, 64 + Math.round(w - 16));
}
/** 8-bit code → weighted term frequency (the title bit ignored). */
export const DEQUANT = Float32Array.from({ length: 256 }, (_, code) => {
  const q = code & 127;
  return q <= 64 ? q / 4 : 16 + (q - 64);
});
/** Stored hundredths (search/terms.ts) → weight code (without the title bit). */
export const HUNDREDTHS_TO_Q = Uint8Array.from({ length: WEIGHT_MAX - WEIGHT_BASE + 1 }, (_, h) => quantize(h / 100));

/** A term's postings as one sorted run: `post[from … to)`. */
export interface Run {
  post: Int32Array;
  from: number;
  to: number;
}

export class Postings {
  private mainStart = new Int32Array(1); // term t: main[mainStart[t] … mainStart[t + 1]); terms added later own nothing there
  private main = new Int32Array(0);
  private mainTerms = 0;
  private delta: (Int32Array | undefined)[] = [];
  private deltaLen = new Int32Array(0);
  /** postings added since the last load or compaction */
  added = 0;
  private merged = new Map<number, Int32Array>(); // main + delta of a term, made on demand

  /** postings in the main array */
  get mainLength() {
    return this.main.length;
  }

  /** Takes a full load's main array (BulkBuffer.build) for terms 0 … T-1. */
  load(start: Int32Array<ArrayBuffer>, main: Int32Array<ArrayBuffer>, T: number) {
    this.main = main;
    this.mainStart = start;
    this.mainTerms = T;
    this.delta = new Array(T);
    this.deltaLen = new Int32Array(Math.max(16, T));
  }

  /** Appends document `doc`'s posting (weight code `q`) to term `t`: `doc` is above every document added before. */
  add(t: number, doc: number, q: number) {
    if (t >= this.deltaLen.length) {
      const grown = new Int32Array(Math.max(16, this.deltaLen.length * 2, t + 1));
      grown.set(this.deltaLen);
      this.deltaLen = grown;
    }
    let list = this.delta[t];
    const len = this.deltaLen[t];
    if (!list || len === list.length) {
      const grown = new Int32Array(Math.max(4, len * 2));
      if (list) grown.set(list);
      this.delta[t] = list = grown;
    }
    list[len] = (doc << 8) | q;
    this.deltaLen[t] = len + 1;
    this.added++;
    this.merged.delete(t);
  }

  /** How many postings term `id` has (retired documents' included, until a compaction). */
  df(id: number): number {
    const main = id < this.mainTerms ? this.mainStart[id + 1] - this.mainStart[id] : 0;
    return main + (id < this.deltaLen.length ? this.deltaLen[id] : 0);
  }

  /** A term's postings as one sorted run (main and delta joined, cached until the term changes). */
  run(id: number): Run {
    const from = id < this.mainTerms ? this.mainStart[id] : 0;
    const to = id < this.mainTerms ? this.mainStart[id + 1] : 0;
    const dl = id < this.deltaLen.length ? this.deltaLen[id] : 0;
    if (dl === 0) return { post: this.main, from, to };
    if (to === from) return { post: this.delta[id]!, from: 0, to: dl };
    let joined = this.merged.get(id);
    if (!joined || joined.length !== to - from + dl) {
      joined = new Int32Array(to - from + dl);
      joined.set(this.main.subarray(from, to));
      joined.set(this.delta[id]!.subarray(0, dl), to - from);
      this.merged.set(id, joined);
    }
    return { post: joined, from: 0, to: joined.length };
  }

  /**
   * Keeps the postings of the documents `remap` keeps (old number → new, -1 for a dropped one),
   * renumbered, and folds every term's delta into a new main array for terms 0 … T-1.
   */
  compact(remap: Int32Array, T: number) {
    const start = new Int32Array(T + 1);
    const keep = (v: number) => remap[v >>> 8] >= 0;
    for (let t = 0; t < T; t++) {
      const r = this.run(t);
      let c = 0;
      for (let i = r.from; i < r.to; i++) if (keep(r.post[i])) c++;
      start[t + 1] = start[t] + c;
    }
    const main = new Int32Array(start[T]);
    for (let t = 0; t < T; t++) {
      const r = this.run(t);
      let at = start[t];
      for (let i = r.from; i < r.to; i++) {
        const v = r.post[i];
        const m = remap[v >>> 8];
        if (m >= 0) main[at++] = (m << 8) | (v & 255);
      }
    }
    this.load(start, main, T);
    this.added = 0;
    this.merged.clear();
  }
}

/** The first position at or after `from` (before `to`) whose document is ≥ `target`: exponential, then binary search. */
export function gallop(post: Int32Array, to: number, from: number, target: number): number {
  if (from >= to || post[from] >>> 8 >= target) return from;
  let step = 1;
  let lo = from;
  let hi = from + 1;
  while (hi < to && post[hi] >>> 8 < target) {
    lo = hi;
    step *= 2;
    hi = from + step;
  }
  if (hi > to) hi = to;
  // post[lo] < target, and post[hi] >= target or hi === to
  while (lo + 1 < hi) {
    const mid = (lo + hi) >>> 1;
    if (post[mid] >>> 8 < target) lo = mid;
    else hi = mid;
  }
  return hi;
}

/**
 * Pass 1 of a full load: every document's (term, weight) in reading order, in fixed-size chunks
 * (no copying as it grows), with the document number at each document's first posting.
 */
export class BulkBuffer {
  private static CHUNK = 1 << 20;
  private termChunks: Int32Array[] = [];
  private qChunks: Uint8Array[] = [];
  private fill = BulkBuffer.CHUNK;
  private docStarts: number[] = []; // global posting position where each document starts
  private docNumbers: number[] = [];
  private count = 0;

  startDoc(n: number) {
    this.docStarts.push(this.count);
    this.docNumbers.push(n);
  }

  private terms = new Int32Array(0);
  private qs = new Uint8Array(0);

  push(t: number, q: number) {
    if (this.fill === BulkBuffer.CHUNK) {
      this.termChunks.push((this.terms = new Int32Array(BulkBuffer.CHUNK)));
      this.qChunks.push((this.qs = new Uint8Array(BulkBuffer.CHUNK)));
      this.fill = 0;
    }
    this.terms[this.fill] = t;
    this.qs[this.fill++] = q;
    this.count++;
  }

  /** Pass 2: counts per term, then every posting to its term's place, in document order. */
  build(T: number): { start: Int32Array<ArrayBuffer>; main: Int32Array<ArrayBuffer> } {
    const start = new Int32Array(T + 1);
    const chunks = this.termChunks.length;
    const size = (c: number) => (c === chunks - 1 ? this.fill : BulkBuffer.CHUNK);
    for (let c = 0; c < chunks; c++) {
      const terms = this.termChunks[c];
      for (let i = 0, n = size(c); i < n; i++) start[terms[i] + 1]++;
    }
    for (let t = 0; t < T; t++) start[t + 1] += start[t];
    const main = new Int32Array(start[T]);
    const cursor = start.slice(0, T);
    const docStarts = this.docStarts;
    let docIdx = -1;
    let nextStart = docStarts.length ? docStarts[0] : Infinity;
    let doc = 0;
    let g = 0;
    for (let c = 0; c < chunks; c++) {
      const terms = this.termChunks[c];
      const qs = this.qChunks[c];
      for (let i = 0, n = size(c); i < n; i++, g++) {
        while (g >= nextStart) {
          docIdx++;
          doc = this.docNumbers[docIdx] << 8;
          nextStart = docIdx + 1 < docStarts.length ? docStarts[docIdx + 1] : Infinity;
        }
        main[cursor[terms[i]]++] = doc | qs[i];
      }
      // free each chunk once it is distributed
      this.termChunks[c] = new Int32Array(0);
      this.qChunks[c] = new Uint8Array(0);
    }
    return { start, main };
  }
}
