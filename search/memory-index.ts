import { FACETS, type FacetName } from "./engine";
import { FORMAT_MARK, forEachTerm, TITLE, WEIGHT_BASE, WEIGHT_MAX } from "./terms";

// The embedded engine's read model: an inverted index in typed arrays, rebuilt from the SearchDoc
// table and kept in step with it through the SearchChange log (see embedded.server.ts). It answers
// a query by accumulating BM25F scores over the postings of the query's terms, so a common word
// costs one pass over its postings, and counts facets over the matched documents in the same pass.
//
// Layout and speed notes (measured with `npm run bench`; 100,000 documents hold ~30 million
// postings, and on a small machine each random memory access costs ~100 ns):
// - A posting is one 32-bit integer: the document number shifted left 8 bits, plus the term's
//   weight in that document quantized to 8 bits (BM25 saturates, so 255 levels are plenty).
// - A full load fills one array of postings for all terms ("main", compressed-row layout: term t
//   owns main[start[t] … start[t+1])) in two passes: every document's terms are first appended in
//   reading order, then distributed by term. Appending posting by posting to a growing array per
//   term cost three times as much, nearly all of it in cache misses.
// - Changes after the load append to a small list per term ("delta"); an update gives the document
//   a new number and retires the old one. Numbers only grow, so every term's postings — main, then
//   delta — stay in ascending document order, and "all of these terms" is a merge that gallops
//   over the long lists instead of hashing them.
// - Terms are numbered by a hash table over their characters (TermDictionary), so the stored term
//   list is read in place without making a string per term.
// - Per-query state lives in typed arrays sized to the index and reused; a stamp per pass tells
//   fresh entries from stale ones, so nothing is cleared between queries except what was touched.
// - Facets are counted in Int32Arrays by value code, and only the best `offset + limit` documents
//   are kept, in a bounded heap, instead of sorting every match.
// - The title bonus (the whole query in the title) needs a string search; it is only done for a
//   match whose score could still enter the kept best with the bonus.

const K1 = 1.2;
const B = 0.75;
/** A document whose title holds the whole query ranks above one that merely mentions it. */
const TITLE_PHRASE_BONUS = 1.6;
/**
 * A document that lacks some query word is returned when the words it holds carry at least this
 * share of the query's idf (Elasticsearch's minimum_should_match, weighted by rarity): a query for
 * something the hub lacks (乏燃料后处理) keeps only its common words and finds nothing, while a long
 * query one word of which no document uses still finds the documents about the rest.
 */
export const PARTIAL_COVERAGE = 0.5;
/**
 * The share for a query of three words or more. An engineer's long query (矿山提升机钢丝绳无损检测方法,
 * 天车吊钩晃动) carries context words and words the documents put otherwise; what they want is the
 * documents about its most telling words, most of which lack the rest. Measured on the corpora
 * written blind (xuchang, for tuning): 0.5 kept 55% of the judged documents of its long queries in
 * the first ten, 0.2 keeps 87% (bigram BM25: 94%), at no cost on the seed's tuning half, whose
 * queries for things the hub lacks still find nothing (docs/search-relevance.md).
 */
export const LONG_QUERY_COVERAGE = 0.2;
/** Full matches rank above every partial one (Meilisearch's "words" ranking rule). */
const FULL_TIER = 1e6;
/** The most values listed per facet, Meilisearch's default too (maxValuesPerFacet). */
export const MAX_FACET_VALUES = 100;
/** Document numbers must fit in 23 bits next to the 8-bit weight. */
const MAX_DOCS = (1 << 23) - 1;

// Weights: 7 bits (quarters up to 16, then whole steps up to 79); the eighth bit says the term is
// in the document's title.
const TITLE_BIT = 128;
function quantize(w: number): number {
  if (w <= 16) return Math.max(1, Math.round(w * 4));
  return Math.min(127, 64 + Math.round(w - 16));
}
/** 8-bit code → weighted term frequency. */
const DEQUANT = Float32Array.from({ length: 256 }, (_, code) => {
  const q = code & 127;
  return q <= 64 ? q / 4 : 16 + (q - 64);
});
/** Stored hundredths → weight code (without the title bit). */
const HUNDREDTHS_TO_Q = Uint8Array.from({ length: WEIGHT_MAX - WEIGHT_BASE + 1 }, (_, h) => quantize(h / 100));

export interface IndexedDoc {
  id: string;
  title: string; // normalised, for the title bonus
  date: number;
  terms: Map<string, number>; // term → weighted frequency (field boosts applied)
  /** the terms that occur in the title (all of them when not given) */
  titleTerms?: Set<string>;
  facets: Partial<Record<FacetName, string | null>>;
}

/** One alternative way to satisfy a query word: all of `terms` must match. */
export interface Alternative {
  terms: string[];
  weight: number;
  /** the terms are the query word itself or pieces of it (not a synonym, typo fix or expansion) */
  literal?: boolean;
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
  /**
   * Share of the query's idf a document's matched words must carry to be returned when it lacks
   * some word (1: every word must match). Default PARTIAL_COVERAGE.
   */
  minCoverage?: number;
}

export interface IndexResult {
  total: number;
  ids: string[];
  facets: Record<FacetName, { value: string; count: number }[]>;
  /** terms that matched at least one returned document, for highlighting */
  matched: string[];
  /** no document holds every query word: every match lacks some */
  relaxed: boolean;
  /** documents holding every query word (they rank first) */
  full: number;
  /** the query words (groups' words) that no returned document holds, in query order */
  missingWords: string[];
  /** per returned document (same order as ids): the query words it lacks */
  lacks: string[][];
}

type Facets = Partial<Record<FacetName, string | null>>;
const NF = FACETS.length;

/** A term's postings as one sorted run: `post[from … to)`. */
interface Run {
  post: Int32Array;
  from: number;
  to: number;
}

export class MemoryIndex {
  // documents, by internal number (append-only; compaction renumbers)
  private ids: string[] = [];
  private titles: string[] = [];
  /** 64 bits per title: which character pairs it holds (hashed), two Int32 per document */
  private titleSig = new Int32Array(0);
  private capacity = 0;
  private dates = new Float64Array(0);
  private lens = new Float32Array(0);
  private alive = new Uint8Array(0);
  private facetCodes: Int32Array[] = FACETS.map(() => new Int32Array(0));
  private facetValues: string[][] = FACETS.map(() => []);
  private facetLookup: Map<string, number>[] = FACETS.map(() => new Map());
  private byId = new Map<string, number>();
  private totalLen = 0;
  private liveCount = 0;
  private dead = 0;
  // terms
  private dict = new TermDictionary();
  private mainStart = new Int32Array(1); // term t: main[mainStart[t] … mainStart[t + 1]); terms added later own nothing there
  private main = new Int32Array(0);
  private mainTerms = 0;
  private delta: (Int32Array | undefined)[] = [];
  private deltaLen = new Int32Array(0);
  private deltaPostings = 0;
  private merged = new Map<number, Int32Array>(); // main + delta of a term, made on demand
  private bulk: BulkBuffer | null = null;
  private vocabCache: { latin: string[]; cjkChars: Map<string, string[]> } | null = null;
  // per-query scratch, reused
  private stamp = 1;
  private groupStamp = new Int32Array(0);
  private groupScore = new Float64Array(0);
  private groupTouched = new Int32Array(0);
  private groupTitle = new Uint8Array(0);
  private titleHits = new Uint8Array(0);
  private groupLen = 0;
  private touched = new Int32Array(0);
  private passed = new Int32Array(0);
  private score = new Float64Array(0);
  private hits = new Uint8Array(0);
  /** per document: which query words it holds (bit per group in query order), and their idf sum */
  private wordMask = new Int32Array(0);
  private cover = new Float64Array(0);
  // facets: codes of the small facets combined per document (see search), alphabetical ranks
  private tuples = new FacetTuples();
  private tupleOf = new Int32Array(0);
  private bigFacet = Math.max(0, FACETS.indexOf("enterprise" as FacetName));
  private facetRank: (Int32Array | undefined)[] = FACETS.map(() => undefined);
  private facetByRank: Int32Array[] = FACETS.map(() => new Int32Array(0));

  get size() {
    return this.liveCount;
  }

  has(id: string) {
    return this.byId.has(id);
  }

  df(term: string) {
    const id = this.termId(term);
    return id < 0 ? 0 : this.dfOf(id);
  }

  /** Starts a full load: documents given to upsertStored until endBulk() go in the two-pass build. */
  beginBulk() {
    if (this.ids.length) throw new Error("a bulk load needs an empty index");
    this.bulk = new BulkBuffer();
  }

  endBulk() {
    const bulk = this.bulk;
    if (!bulk) return;
    this.bulk = null;
    const T = this.dict.texts.length;
    const { start, main } = bulk.build(T);
    this.main = main;
    this.mainStart = start;
    this.mainTerms = T;
    this.delta = new Array(T);
    this.deltaLen = new Int32Array(Math.max(16, T));
  }

  upsert(doc: IndexedDoc) {
    const n = this.newDoc(doc.id, doc.title, doc.date, doc.facets);
    let len = 0;
    for (const [term, w] of doc.terms) {
      const q = quantize(w);
      this.addPosting(this.termIdOrNew(term, hashOf(term)), n, q | (!doc.titleTerms || doc.titleTerms.has(term) ? TITLE_BIT : 0));
      len += DEQUANT[q];
    }
    this.finishDoc(n, len);
  }

  /** upsert() from the terms as stored in SearchDoc.terms (terms.ts), read in place. */
  upsertStored(id: string, title: string, date: number, stored: string, facets: Facets) {
    const n = this.newDoc(id, title, date, facets);
    let len = 0;
    const marked = stored.charCodeAt(0) === FORMAT_MARK;
    if (!marked) {
      // the older forms: a JSON array, or packed without the title flags
      forEachTerm(stored, (t, h, inTitle) => {
        const q = HUNDREDTHS_TO_Q[Math.max(1, Math.min(WEIGHT_MAX - WEIGHT_BASE, h))];
        this.addPosting(this.termIdOrNew(t, hashOf(t)), n, q | (inTitle ? TITLE_BIT : 0));
        len += DEQUANT[q];
      });
    } else {
      // each term is hashed while it is scanned and looked up by its characters in place: no
      // string is made for a term the index already knows (nearly all of them)
      const dict = this.dict;
      const bulk = this.bulk;
      let start = 1;
      let hash = FNV_OFFSET;
      for (let i = 1; i < stored.length; i++) {
        const c = stored.charCodeAt(i);
        if (c >= WEIGHT_BASE && c <= WEIGHT_MAX) {
          const v = c - WEIGHT_BASE;
          const q = v >= TITLE ? HUNDREDTHS_TO_Q[v - TITLE] | TITLE_BIT : HUNDREDTHS_TO_Q[v];
          let t = dict.find(stored, start, i, hash);
          // (a slice of 13+ characters would keep the whole stored string alive: copy it)
          if (t < 0) t = this.newTerm(i - start < 13 ? stored.slice(start, i) : (" " + stored.slice(start, i)).slice(1), hash);
          if (bulk) bulk.push(t, q);
          else this.addPosting(t, n, q);
          len += DEQUANT[q];
          start = i + 1;
          hash = FNV_OFFSET;
        } else hash = Math.imul(hash ^ c, FNV_PRIME);
      }
    }
    this.finishDoc(n, len);
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
    if (!this.bulk && this.dead > 1000 && this.dead > this.ids.length / 5) this.compact();
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
    const groups = q.groups;
    const G = groups.length;
    const hits = this.hits;
    const titleHits = this.titleHits;
    let score = this.score;
    let touched = this.touched;
    let touchedLen = 0;
    const avgLen = this.liveCount ? this.totalLen / this.liveCount : 1;
    // one word (the common case): its group's scratch is the result; no per-document merge
    const single = G === 1;

    // 1. each group: its best alternative per document; documents gather one hit per group.
    // The rarest word goes first. A document may lack some words if the ones it holds carry
    // minCoverage of the query's idf, so a later (more common) word scores only documents that
    // can still reach that share: those already matched with enough idf gathered, or any document
    // while the words still to come could carry the share on their own (the "gate"). A common
    // last word thus costs a look at its postings, not a score and a merge for each.
    const order = groups.map((g, i) => ({ g, i, size: this.estimate(g) })).sort((a, b) => a.size - b.size || a.i - b.i);
    const cover = this.cover;
    const wordMask = this.wordMask;
    const live = Math.max(1, this.liveCount);
    // one idf per query word, from how many documents match it in any of its forms: a rare
    // synonym or spelling must not outrank the word itself for being rare (simulator → 仿真
    // and 模拟 weigh the same), much like Lucene's SynonymQuery
    const idfs = order.map(({ size }) => {
      const U = Math.min(this.liveCount, size);
      return Math.log(1 + (live - U + 0.5) / (U + 0.5));
    });
    const totalIdf = idfs.reduce((a, b) => a + b, 0);
    const coverage = G > 32 ? 1 : Math.min(1, Math.max(0, q.minCoverage ?? (G >= 3 ? LONG_QUERY_COVERAGE : PARTIAL_COVERAGE)));
    const needIdf = coverage * totalIdf - 1e-9;
    const remaining = new Float64Array(G + 1);
    for (let gi = G - 1; gi >= 0; gi--) remaining[gi] = remaining[gi + 1] + idfs[gi];
    order.forEach(({ g: group, i: qi }, gi) => {
      const stamp = this.nextStamp();
      this.groupLen = 0;
      // every document may enter while the rest of the words could carry the share alone
      const gateFrom = gi > 0 && remaining[gi] < needIdf ? needIdf - remaining[gi] : -1;
      for (const alt of group.alternatives) {
        // how a title match of this alternative bears on the title bonus: 2, the title holds the
        // whole query (a one-word query, this very word); 1, it holds this query word (or its
        // pieces); 0, nothing (a synonym or a correction is not the query)
        const titleMode = alt.literal === false ? 0 : G === 1 && alt.terms.length === 1 && alt.terms[0] === q.phrase ? 2 : 1;
        this.scoreAlternative(alt, avgLen, stamp, titleMode, gateFrom);
      }
      if (single) return;
      const gScore = this.groupScore;
      const gTouched = this.groupTouched;
      const gTitle = this.groupTitle;
      const idf = idfs[gi];
      const bit = qi < 32 ? 1 << qi : 0;
      for (let i = 0, n = this.groupLen; i < n; i++) {
        const d = gTouched[i];
        if (hits[d] === 0) touched[touchedLen++] = d;
        if (hits[d] < 255) hits[d]++;
        score[d] += gScore[d] * idf;
        cover[d] += idf;
        wordMask[d] |= bit;
        if (gTitle[d]) titleHits[d]++;
      }
    });
    if (single) {
      // (a constant idf does not change the order)
      score = this.groupScore;
      touched = this.groupTouched;
      touchedLen = this.groupLen;
    }

    // 2. which matches are returned: every word, or enough of the query's idf
    let full = 0;
    if (!single) for (let i = 0; i < touchedLen; i++) if (hits[touched[i]] >= G) full++;
    const relaxed = !single && full === 0;
    const keep = (d: number) => single || hits[d] >= G || cover[d] >= needIdf;

    // 3. filters and facet counts over the matches; the matches that pass the filters are kept
    const filterCodes = new Int32Array(NF);
    FACETS.forEach((f, i) => {
      const v = q.filters[f];
      // -1: no filter; -2: a value no document has
      filterCodes[i] = v === undefined ? -1 : (this.facetLookup[i].get(v) ?? -2);
    });
    const counts = FACETS.map((_, i) => new Int32Array(this.facetValues[i].length));
    const codes = this.facetCodes;
    const passed = this.passed;
    let total = 0;
    const alive = this.alive;
    const filtered = filterCodes.reduce((n, c) => n + (c !== -1 ? 1 : 0), 0);
    if (filtered <= 1) {
      // every match that passes the filter counts in every facet: one counter for the combination
      // of the small facets (type × industry × kind × level, a few hundred combinations) and one
      // for the large one, spread over the facets at the end — two increments a match instead of
      // five. With one filter, a match that fails it counts only in that filter's own facet
      // (disjunctive faceting: a facet's counts ignore that facet's own filter).
      const tupleCounts = new Int32Array(this.tuples.count);
      const tupleOf = this.tupleOf;
      const big = codes[this.bigFacet];
      const bigCounts = counts[this.bigFacet];
      const f = filterCodes.findIndex((c) => c !== -1);
      const fCodes = f >= 0 ? codes[f] : big;
      const fCounts = f >= 0 ? counts[f] : bigCounts;
      const want = f >= 0 ? filterCodes[f] : 0;
      const consider = (d: number) => {
        if (f >= 0 && fCodes[d] !== want) {
          const c = fCodes[d];
          if (c >= 0) fCounts[c]++;
          return;
        }
        tupleCounts[tupleOf[d]]++;
        const c = big[d];
        if (c >= 0) bigCounts[c]++;
        passed[total++] = d;
      };
      if (G === 0) {
        for (let d = 0; d < N; d++) if (alive[d]) consider(d);
      } else {
        for (let i = 0; i < touchedLen; i++) {
          const d = touched[i];
          if (keep(d) && alive[d]) consider(d);
        }
      }
      this.tuples.spread(tupleCounts, counts);
    } else {
      // several filters (disjunctive faceting as above, one facet at a time). The loop over the
      // matches below repeats the one above on purpose: one loop calling either closure made every
      // query ~5% slower (the call site no longer has a single target)
      const consider = (d: number) => {
        let failed = -1;
        for (let i = 0; i < NF; i++) {
          const want = filterCodes[i];
          if (want !== -1 && codes[i][d] !== want) {
            if (failed !== -1) return;
            failed = i;
          }
        }
        if (failed !== -1) {
          const c = codes[failed][d];
          if (c >= 0) counts[failed][c]++;
          return;
        }
        for (let i = 0; i < NF; i++) {
          const c = codes[i][d];
          if (c >= 0) counts[i][c]++;
        }
        passed[total++] = d;
      };
      if (G === 0) {
        for (let d = 0; d < N; d++) if (alive[d]) consider(d);
      } else {
        for (let i = 0; i < touchedLen; i++) {
          const d = touched[i];
          if (keep(d) && alive[d]) consider(d);
        }
      }
    }

    // 4. the best offset + limit, in a bounded heap; a match that cannot beat the worst kept is
    // dropped before the heap is touched
    const k = Math.max(0, q.offset + q.limit);
    const byDate = q.sort === "date" || G === 0;
    const heap = new TopK(k, byDate, this.dates);
    const phrase = q.phrase;
    if (k > 0 && byDate) {
      const dates = this.dates;
      // full matches first, newest first, then the partial ones (the tier is in the score)
      const tiered = !single && G > 0 && full < total;
      for (let i = 0; i < total; i++) {
        const d = passed[i];
        if (!tiered && heap.full && dates[d] < heap.worstDate()) continue;
        heap.offer(d, tiered ? (hits[d] >= G ? FULL_TIER : 0) + cover[d] : score[d]);
      }
    } else if (k > 0) {
      // a document whose title holds the whole query gets a bonus. Looking in titles is the
      // costly part, so it is done only where every query word is a title word and the title's
      // character-pair signature covers the query's.
      const [sigLo, sigHi] = signature(phrase);
      const gTitle = this.groupTitle;
      const titles = this.titles;
      const withPhrase = phrase.length > 0;
      let worst = -Infinity;
      for (let i = 0; i < total; i++) {
        const d = passed[i];
        // a partial match: its score weighed by the share of the query's idf it covers
        const isFull = single || hits[d] >= G;
        let s = isFull ? score[d] : score[d] * (cover[d] / totalIdf) ** 2;
        const extra = isFull && !single ? FULL_TIER : 0;
        // cannot beat the worst kept even with the bonus: skip without looking at the title
        if (s * TITLE_PHRASE_BONUS + extra < worst) continue;
        if (withPhrase) {
          const bonus = single
            ? gTitle[d] === 2 || (gTitle[d] === 1 && this.titleMayHold(d, sigLo, sigHi) && titles[d].includes(phrase))
            : titleHits[d] >= G && this.titleMayHold(d, sigLo, sigHi) && titles[d].includes(phrase);
          if (bonus) s *= TITLE_PHRASE_BONUS;
        }
        s += extra;
        if (s < worst) continue;
        heap.offer(d, s);
        if (heap.full) worst = heap.worstScore();
      }
    }
    const top = heap.sorted().slice(q.offset);
    const allBits = G >= 32 ? -1 : (1 << G) - 1;
    const wordsOf = (mask: number) => groups.filter((_, i) => i < 32 && mask & (1 << i)).map((g) => g.word);
    const lacks = top.map((d) => (single || hits[d] >= G ? [] : wordsOf(~wordMask[d] & allBits)));
    const heldMask = single ? allBits : top.reduce((m, d) => m | wordMask[d], 0);
    const missingWords = single || !top.length ? [] : wordsOf(~heldMask & allBits);

    const facets = Object.fromEntries(FACETS.map((f, i) => [f, this.facetList(i, counts[i])])) as IndexResult["facets"];

    const matched = new Set<string>();
    for (const group of groups) for (const alt of group.alternatives) for (const t of alt.terms) if (this.df(t) > 0) matched.add(t);

    if (!single) {
      for (let i = 0; i < touchedLen; i++) {
        const d = touched[i];
        score[d] = 0;
        hits[d] = 0;
        titleHits[d] = 0;
        cover[d] = 0;
        wordMask[d] = 0;
      }
    }
    return { total, ids: top.map((d) => this.ids[d]), facets, matched: [...matched], relaxed, full: single ? total : full, missingWords, lacks };
  }

  private titleMayHold(d: number, lo: number, hi: number): boolean {
    return (this.titleSig[2 * d] & lo) === lo && (this.titleSig[2 * d + 1] & hi) === hi;
  }

  /** A facet's values by count (then value), at most MAX_FACET_VALUES, sorting numbers only. */
  private facetList(i: number, c: Int32Array): { value: string; count: number }[] {
    const values = this.facetValues[i];
    let rank = this.facetRank[i];
    if (!rank || rank.length !== values.length) {
      const order = values.map((_, code) => code).sort((a, b) => (values[a] < values[b] ? -1 : values[a] > values[b] ? 1 : 0));
      rank = new Int32Array(values.length);
      order.forEach((code, r) => (rank![code] = r));
      this.facetRank[i] = rank;
      this.facetByRank[i] = Int32Array.from(order);
    }
    const byRank = this.facetByRank[i];
    let n = 0;
    for (let v = 0; v < c.length; v++) if (c[v] > 0) n++;
    // count first, then the value's alphabetical rank, packed into one sortable number
    const keys = new Float64Array(n);
    const R = 4194304; // 2^22 values per facet
    n = 0;
    for (let v = 0; v < c.length; v++) if (c[v] > 0) keys[n++] = c[v] * R + (R - 1 - rank[v]);
    keys.sort();
    const out: { value: string; count: number }[] = [];
    for (let j = n - 1; j >= 0 && out.length < MAX_FACET_VALUES; j--) {
      const count = Math.floor(keys[j] / R);
      const code = byRank[R - 1 - (keys[j] - count * R)];
      out.push({ value: values[code], count });
    }
    return out;
  }

  /** Scores one alternative into the group's scratch (the best alternative wins per document). */
  /**
   * With a gate (≥ 0), only documents whose earlier words already carry that much idf are scored.
   */
  private scoreAlternative(alt: Alternative, avgLen: number, stamp: number, titleMode: number, gate: number) {
    const runs: Run[] = [];
    for (const t of alt.terms) {
      const id = this.termId(t);
      if (id < 0) return;
      const run = this.runOf(id);
      if (run.to <= run.from) return;
      runs.push(run);
    }
    if (!runs.length) return;
    const gStamp = this.groupStamp;
    const gScore = this.groupScore;
    const gTouched = this.groupTouched;
    const gTitle = this.groupTitle;
    const alive = this.alive;
    const cover = this.cover;
    const lens = this.lens;
    const normBase = K1 * (1 - B);
    const normLen = (K1 * B) / avgLen;
    // (the idf is applied per query word, in search)

    if (runs.length === 1) {
      const { post, from, to } = runs[0];
      const f = alt.weight * (K1 + 1);
      for (let i = from; i < to; i++) {
        const v = post[i];
        const d = v >>> 8;
        if (!alive[d] || (gate >= 0 && cover[d] < gate)) continue;
        const w = DEQUANT[v & 255];
        const s = (f * w) / (w + normBase + normLen * lens[d]);
        const title = v & TITLE_BIT ? titleMode : 0;
        if (gStamp[d] !== stamp) {
          gStamp[d] = stamp;
          gScore[d] = s;
          gTitle[d] = title;
          gTouched[this.groupLen++] = d;
        } else {
          if (s > gScore[d]) gScore[d] = s;
          if (title > gTitle[d]) gTitle[d] = title;
        }
      }
      return;
    }

    // several terms that must all be present: walk the shortest run, galloping through the others
    const sorted = [...runs].sort((a, b) => a.to - a.from - (b.to - b.from));
    const pos = sorted.map((r) => r.from);
    const first = sorted[0];
    const scale = (alt.weight * (K1 + 1)) / sorted.length;
    outer: for (let i = first.from; i < first.to; i++) {
      const v = first.post[i];
      const d = v >>> 8;
      if (!alive[d] || (gate >= 0 && cover[d] < gate)) continue;
      const norm = normBase + normLen * lens[d];
      let w = DEQUANT[v & 255];
      let s = w / (w + norm);
      let title = v & TITLE_BIT;
      for (let j = 1; j < sorted.length; j++) {
        const r = sorted[j];
        const at = gallop(r.post, r.to, pos[j], d);
        pos[j] = at;
        if (at >= r.to) break outer;
        const u = r.post[at];
        if (u >>> 8 !== d) continue outer;
        w = DEQUANT[u & 255];
        s += w / (w + norm);
        title &= u;
      }
      s *= scale;
      const t = title & TITLE_BIT ? Math.min(titleMode, 1) : 0;
      if (gStamp[d] !== stamp) {
        gStamp[d] = stamp;
        gScore[d] = s;
        gTitle[d] = t;
        gTouched[this.groupLen++] = d;
      } else {
        if (s > gScore[d]) gScore[d] = s;
        if (t > gTitle[d]) gTitle[d] = t;
      }
    }
  }

  /** About how many documents a query word matches: its alternatives' document frequencies, summed. */
  private estimate(g: QueryGroup): number {
    let n = 0;
    for (const alt of g.alternatives) {
      let least = Infinity;
      for (const t of alt.terms) least = Math.min(least, this.df(t));
      if (Number.isFinite(least)) n += least;
    }
    return n;
  }

  private termId(term: string): number {
    return this.dict.find(term, 0, term.length, hashOf(term));
  }

  private dfOf(id: number): number {
    const main = id < this.mainTerms ? this.mainStart[id + 1] - this.mainStart[id] : 0;
    return main + (id < this.deltaLen.length ? this.deltaLen[id] : 0);
  }

  /** A term's postings as one sorted run (main and delta joined, cached until the term changes). */
  private runOf(id: number): Run {
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

  private termIdOrNew(term: string, hash: number): number {
    const id = this.dict.find(term, 0, term.length, hash);
    return id >= 0 ? id : this.newTerm(term, hash);
  }

  private newTerm(term: string, hash: number): number {
    const id = this.dict.add(term, hash);
    if (this.vocabCache) addToVocab(this.vocabCache, term);
    return id;
  }

  private addPosting(t: number, doc: number, q: number) {
    if (this.bulk) {
      this.bulk.push(t, q);
      return;
    }
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
    this.deltaPostings++;
    this.merged.delete(t);
  }

  private newDoc(id: string, title: string, date: number, facets: Facets): number {
    if (!this.bulk) this.remove(id); // (a full load reads each id once: SearchDoc's key)
    const n = this.ids.length;
    if (n >= MAX_DOCS) throw new Error("the search index is full (8 million document versions); it compacts long before this");
    this.ensureCapacity(n + 1);
    this.ids.push(id);
    this.titles.push(title);
    const [lo, hi] = signature(title);
    this.titleSig[2 * n] = lo;
    this.titleSig[2 * n + 1] = hi;
    this.dates[n] = date;
    for (let i = 0; i < NF; i++) this.facetCodes[i][n] = this.code(i, facets[FACETS[i]] ?? null);
    this.tupleOf[n] = this.tuples.of(this.facetCodes, n, this.bigFacet);
    if (this.bulk) this.bulk.startDoc(n);
    return n;
  }

  private finishDoc(n: number, len: number) {
    this.lens[n] = len;
    this.totalLen += len;
    this.alive[n] = 1;
    this.byId.set(this.ids[n], n);
    this.liveCount++;
    // many updates since the load: fold them into main
    if (!this.bulk && this.deltaPostings > 200_000 && this.deltaPostings > this.main.length / 4) this.compact();
  }

  private code(i: number, value: string | null): number {
    if (value === null || value === "") return -1;
    let c = this.facetLookup[i].get(value);
    if (c === undefined) {
      c = this.facetValues[i].length;
      this.facetValues[i].push(value);
      this.facetLookup[i].set(value, c);
    }
    return c;
  }

  private vocab() {
    if (this.vocabCache) return this.vocabCache;
    const cache = { latin: [] as string[], cjkChars: new Map<string, string[]>() };
    const texts = this.dict.texts;
    for (let id = 0; id < texts.length; id++) if (this.dfOf(id) > 0) addToVocab(cache, texts[id], false);
    cache.latin.sort();
    return (this.vocabCache = cache);
  }

  private ensureCapacity(n: number) {
    if (n <= this.capacity) return;
    let size = Math.max(1024, this.capacity);
    while (size < n) size *= 2;
    const grow = <T extends Float64Array | Float32Array | Uint8Array | Int32Array>(a: T, make: (n: number) => T, fill?: number): T => {
      const b = make(size);
      if (fill !== undefined) (b as Int32Array).fill(fill);
      b.set(a as never);
      return b;
    };
    this.dates = grow(this.dates, (s) => new Float64Array(s));
    this.lens = grow(this.lens, (s) => new Float32Array(s));
    this.alive = grow(this.alive, (s) => new Uint8Array(s));
    this.facetCodes = this.facetCodes.map((a) => grow(a, (s) => new Int32Array(s), -1));
    this.tupleOf = grow(this.tupleOf, (s) => new Int32Array(s));
    const sig = new Int32Array(size * 2);
    sig.set(this.titleSig);
    this.titleSig = sig;
    this.capacity = size;
  }

  private ensureScratch(n: number) {
    if (this.score.length >= n) return;
    const size = Math.max(1024, this.capacity, n);
    this.groupStamp = new Int32Array(size);
    this.groupScore = new Float64Array(size);
    this.groupTouched = new Int32Array(size);
    this.groupTitle = new Uint8Array(size);
    this.titleHits = new Uint8Array(size);
    this.touched = new Int32Array(size);
    this.passed = new Int32Array(size);
    this.score = new Float64Array(size);
    this.hits = new Uint8Array(size);
    this.wordMask = new Int32Array(size);
    this.cover = new Float64Array(size);
    this.stamp = 1;
  }

  private nextStamp(): number {
    if (this.stamp >= 0x7ffffff0) {
      this.stamp = 1;
      this.groupStamp.fill(0);
    }
    return ++this.stamp;
  }

  /** Drops retired documents and folds every term's delta into a new main array. */
  private compact() {
    const old = {
      ids: this.ids,
      titles: this.titles,
      titleSig: this.titleSig,
      dates: this.dates,
      lens: this.lens,
      alive: this.alive,
      codes: this.facetCodes,
      tupleOf: this.tupleOf,
    };
    const remap = new Int32Array(old.ids.length).fill(-1);
    let n = 0;
    for (let d = 0; d < old.ids.length; d++) if (old.alive[d]) remap[d] = n++;
    this.ids = [];
    this.titles = [];
    this.capacity = 0;
    this.dates = new Float64Array(0);
    this.lens = new Float32Array(0);
    this.alive = new Uint8Array(0);
    this.facetCodes = FACETS.map(() => new Int32Array(0));
    this.tupleOf = new Int32Array(0);
    this.titleSig = new Int32Array(0);
    this.ensureCapacity(n);
    this.byId = new Map();
    for (let d = 0; d < old.ids.length; d++) {
      const m = remap[d];
      if (m < 0) continue;
      this.ids.push(old.ids[d]);
      this.titles.push(old.titles[d]);
      this.dates[m] = old.dates[d];
      this.lens[m] = old.lens[d];
      this.alive[m] = 1;
      this.byId.set(old.ids[d], m);
      for (let i = 0; i < NF; i++) this.facetCodes[i][m] = old.codes[i][d];
      this.tupleOf[m] = old.tupleOf[d];
      this.titleSig[2 * m] = old.titleSig[2 * d];
      this.titleSig[2 * m + 1] = old.titleSig[2 * d + 1];
    }
    const T = this.dict.texts.length;
    const start = new Int32Array(T + 1);
    const keep = (v: number) => remap[v >>> 8] >= 0;
    for (let t = 0; t < T; t++) {
      const r = this.runOf(t);
      let c = 0;
      for (let i = r.from; i < r.to; i++) if (keep(r.post[i])) c++;
      start[t + 1] = start[t] + c;
    }
    const main = new Int32Array(start[T]);
    for (let t = 0; t < T; t++) {
      const r = this.runOf(t);
      let at = start[t];
      for (let i = r.from; i < r.to; i++) {
        const v = r.post[i];
        const m = remap[v >>> 8];
        if (m >= 0) main[at++] = (m << 8) | (v & 255);
      }
    }
    this.main = main;
    this.mainStart = start;
    this.mainTerms = T;
    this.delta = new Array(T);
    this.deltaLen = new Int32Array(Math.max(16, T));
    this.deltaPostings = 0;
    this.merged.clear();
    this.dead = 0;
    this.vocabCache = null;
    this.score = new Float64Array(0); // scratch is re-sized on the next search
  }
}

/** The combinations of the small facets' value codes that occur, numbered. */
class FacetTuples {
  count = 0;
  private byKey = new Map<string, number>();
  private parts: Int32Array[] = FACETS.map(() => new Int32Array(64));

  of(codes: Int32Array[], d: number, skip: number): number {
    let key = "";
    for (let i = 0; i < NF; i++) if (i !== skip) key += codes[i][d] + ",";
    let t = this.byKey.get(key);
    if (t === undefined) {
      t = this.count++;
      this.byKey.set(key, t);
      if (t >= this.parts[0].length)
        this.parts = this.parts.map((a) => {
          const grown = new Int32Array(a.length * 2);
          grown.set(a);
          return grown;
        });
      for (let i = 0; i < NF; i++) this.parts[i][t] = i === skip ? -1 : codes[i][d];
    }
    return t;
  }

  /** Adds each combination's count to its values' counts. */
  spread(tupleCounts: Int32Array, counts: Int32Array[]) {
    for (let t = 0; t < tupleCounts.length; t++) {
      const n = tupleCounts[t];
      if (n === 0) continue;
      for (let i = 0; i < NF; i++) {
        const c = this.parts[i][t];
        if (c >= 0) counts[i][c] += n;
      }
    }
  }
}

/**
 * Pass 1 of a full load: every document's (term, weight) in reading order, in fixed-size chunks
 * (no copying as it grows), with the document number at each document's first posting.
 */
class BulkBuffer {
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

/** 64-bit set of a text's character pairs (hashed), as [low 32 bits, high 32 bits]. */
function signature(text: string): [number, number] {
  let lo = 0,
    hi = 0;
  for (let i = 0; i + 1 < text.length; i++) {
    const bit = Math.imul(text.charCodeAt(i) * 31 + text.charCodeAt(i + 1), 0x9e3779b1) >>> 26;
    if (bit < 32) lo |= 1 << bit;
    else hi |= 1 << (bit - 32);
  }
  return [lo, hi];
}

const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 0x01000193;

function hashOf(s: string): number {
  let h = FNV_OFFSET;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), FNV_PRIME);
  return h;
}

/**
 * Term → number, in an open-addressing hash table over the terms' characters, so a term can be
 * looked up by a range of a longer string (the stored term list) without making a string of it.
 * FNV-1a hashes; the caller hashes as it scans.
 */
class TermDictionary {
  texts: string[] = [];
  private hashes = new Int32Array(1024);
  // every term's characters, one after another (comparing here, not in the strings, keeps the
  // lookups within a few small arrays)
  private chars = new Uint16Array(4096);
  private used = 0;
  private starts = new Int32Array(1024);
  private lens = new Int32Array(1024);
  private table = new Int32Array(4096); // term number + 1, 0 = empty
  private mask = 4095;

  find(src: string, start: number, end: number, hash: number): number {
    const len = end - start;
    const table = this.table,
      hashes = this.hashes,
      lens = this.lens,
      chars = this.chars;
    for (let slot = hash & this.mask; ; slot = (slot + 1) & this.mask) {
      const e = table[slot];
      if (e === 0) return -1;
      const id = e - 1;
      if (hashes[id] !== hash || lens[id] !== len) continue;
      const at = this.starts[id];
      let i = 0;
      while (i < len && chars[at + i] === src.charCodeAt(start + i)) i++;
      if (i === len) return id;
    }
  }

  add(term: string, hash: number): number {
    const id = this.texts.length;
    this.texts.push(term);
    if (id >= this.hashes.length) {
      const n = this.hashes.length * 2;
      this.hashes = grown(this.hashes, n);
      this.starts = grown(this.starts, n);
      this.lens = grown(this.lens, n);
    }
    if (this.used + term.length > this.chars.length) {
      const c = new Uint16Array(Math.max(this.chars.length * 2, this.used + term.length));
      c.set(this.chars);
      this.chars = c;
    }
    for (let i = 0; i < term.length; i++) this.chars[this.used + i] = term.charCodeAt(i);
    this.starts[id] = this.used;
    this.lens[id] = term.length;
    this.used += term.length;
    this.hashes[id] = hash;
    if (this.texts.length * 2 > this.table.length) this.rehash(this.table.length * 2);
    else this.place(id);
    return id;
  }

  private place(id: number) {
    let slot = this.hashes[id] & this.mask;
    while (this.table[slot] !== 0) slot = (slot + 1) & this.mask;
    this.table[slot] = id + 1;
  }

  private rehash(size: number) {
    this.table = new Int32Array(size);
    this.mask = size - 1;
    for (let id = 0; id < this.texts.length; id++) this.place(id);
  }
}

function grown(a: Int32Array, n: number): Int32Array<ArrayBuffer> {
  const b = new Int32Array(n);
  b.set(a);
  return b;
}

/** The first position at or after `from` (before `to`) whose document is ≥ `target`: exponential, then binary search. */
function gallop(post: Int32Array, to: number, from: number, target: number): number {
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

const LATIN_TERM = /^[a-z][a-z0-9.+#-]*$/;
const CJK_CHAR = /[\u3400-\u9fff]/;

function addToVocab(cache: { latin: string[]; cjkChars: Map<string, string[]> }, term: string, sortedInsert = true) {
  if (LATIN_TERM.test(term)) {
    if (!sortedInsert) cache.latin.push(term);
    else {
      // keep the list sorted: prefix search relies on it
      let lo = 0,
        hi = cache.latin.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (cache.latin[mid] < term) lo = mid + 1;
        else hi = mid;
      }
      cache.latin.splice(lo, 0, term);
    }
    return;
  }
  for (const ch of new Set(term)) {
    if (!CJK_CHAR.test(ch)) continue;
    let list = cache.cjkChars.get(ch);
    if (!list) cache.cjkChars.set(ch, (list = []));
    list.push(term);
  }
}

/**
 * The best k documents by score (relevance) or by date, newest first, in a bounded heap whose root
 * is the worst kept. Ties: newer first, then the earlier document.
 */
class TopK {
  private heap: Int32Array;
  private hScore: Float64Array;
  private n = 0;
  constructor(
    private k: number,
    private byDate: boolean,
    private dates: Float64Array,
  ) {
    this.heap = new Int32Array(Math.max(1, k));
    this.hScore = new Float64Array(Math.max(1, k));
  }
  get full() {
    return this.n >= this.k;
  }
  worstScore() {
    return this.byDate ? -Infinity : this.hScore[0];
  }
  worstDate() {
    return this.dates[this.heap[0]];
  }
  /** a ranks after b */
  private worse(a: number, sa: number, b: number, sb: number): boolean {
    if (this.byDate) {
      const da = this.dates[a],
        db = this.dates[b];
      if (da !== db) return da < db;
      if (sa !== sb) return sa < sb;
      return a > b;
    }
    if (sa !== sb) return sa < sb;
    const da = this.dates[a],
      db = this.dates[b];
    if (da !== db) return da < db;
    return a > b;
  }
  offer(d: number, s: number) {
    if (this.k === 0) return;
    const heap = this.heap,
      hs = this.hScore;
    if (this.n < this.k) {
      let i = this.n++;
      heap[i] = d;
      hs[i] = s;
      while (i > 0) {
        const p = (i - 1) >> 1;
        if (!this.worse(heap[i], hs[i], heap[p], hs[p])) break;
        const td = heap[i],
          ts = hs[i];
        heap[i] = heap[p];
        hs[i] = hs[p];
        heap[p] = td;
        hs[p] = ts;
        i = p;
      }
      return;
    }
    if (!this.worse(heap[0], hs[0], d, s)) return;
    heap[0] = d;
    hs[0] = s;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1,
        r = l + 1;
      let m = i;
      if (l < this.n && this.worse(heap[l], hs[l], heap[m], hs[m])) m = l;
      if (r < this.n && this.worse(heap[r], hs[r], heap[m], hs[m])) m = r;
      if (m === i) break;
      const td = heap[i],
        ts = hs[i];
      heap[i] = heap[m];
      hs[i] = hs[m];
      heap[m] = td;
      hs[m] = ts;
      i = m;
    }
  }
  /** Best first. */
  sorted(): number[] {
    const items = Array.from({ length: this.n }, (_, i) => i);
    items.sort((x, y) =>
      this.worse(this.heap[x], this.hScore[x], this.heap[y], this.hScore[y]) ? 1 : this.worse(this.heap[y], this.hScore[y], this.heap[x], this.hScore[x]) ? -1 : 0,
    );
    return items.map((i) => this.heap[i]);
  }
}
