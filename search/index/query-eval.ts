import type { FacetName } from "../engine";
import { signature, type Documents } from "./documents";
import type { FacetCounts, FacetStore } from "./facets";
import { DEQUANT, gallop, TITLE_BIT, type Postings, type Run } from "./postings";
import type { TermDictionary } from "./term-dictionary";
import { TopK } from "./topk";

// Evaluating a query against the index: BM25F scores accumulated over the postings of the query's
// terms, so a common word costs one pass over its postings. Each query word is a group of
// alternatives (the word, its pieces, synonyms, corrections); a document takes its best
// alternative per word. A document that lacks some words is still returned when the words it
// holds carry enough of the query's idf (partial matching), ranked below every full match.
// - Per-query state lives in typed arrays sized to the index and reused; a stamp per pass tells
//   fresh entries from stale ones, so nothing is cleared between queries except what was touched.
// - Facets are counted over the matches in the same pass that filters them (facets.ts), and only
//   the best `offset + limit` documents are kept, in a bounded heap (topk.ts).
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
  facets: FacetCounts;
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

export class QueryEvaluator {
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

  constructor(
    private docs: Documents,
    private dict: TermDictionary,
    private postings: Postings,
    private facets: FacetStore,
  ) {}

  /** Drops the scratch arrays (after a compaction renumbered the documents); the next search sizes them again. */
  reset() {
    this.score = new Float64Array(0);
  }

  search(q: IndexSearch): IndexResult {
    const docs = this.docs;
    const N = docs.ids.length;
    this.ensureScratch(N, docs.capacity);
    const groups = q.groups;
    const G = groups.length;
    const hits = this.hits;
    const titleHits = this.titleHits;
    let score = this.score;
    let touched = this.touched;
    let touchedLen = 0;
    const avgLen = docs.liveCount ? docs.totalLen / docs.liveCount : 1;
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
    const live = Math.max(1, docs.liveCount);
    // one idf per query word, from how many documents match it in any of its forms: a rare
    // synonym or spelling must not outrank the word itself for being rare (simulator → 仿真
    // and 模拟 weigh the same), much like Lucene's SynonymQuery
    const idfs = order.map(({ size }) => {
      const U = Math.min(docs.liveCount, size);
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
    const passed = this.passed;
    const { total, counts } = this.facets.count(this.facets.filterCodes(q.filters), { all: G === 0, N, alive: docs.alive, touched, touchedLen, keep }, passed);

    // 4. the best offset + limit, in a bounded heap; a match that cannot beat the worst kept is
    // dropped before the heap is touched
    const k = Math.max(0, q.offset + q.limit);
    const byDate = q.sort === "date" || G === 0;
    // by date: full matches first, newest first, then the partial ones (the tier is in the score)
    const tiered = byDate && !single && G > 0 && full < total;
    const heap = new TopK(k, byDate, docs.dates, tiered ? FULL_TIER : Infinity);
    const phrase = q.phrase;
    if (k > 0 && byDate) {
      const dates = docs.dates;
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
      const titles = docs.titles;
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
            ? gTitle[d] === 2 || (gTitle[d] === 1 && docs.titleMayHold(d, sigLo, sigHi) && titles[d].includes(phrase))
            : titleHits[d] >= G && docs.titleMayHold(d, sigLo, sigHi) && titles[d].includes(phrase);
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

    const facets = this.facets.lists(counts);

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
    return { total, ids: top.map((d) => docs.ids[d]), facets, matched: [...matched], relaxed, full: single ? total : full, missingWords, lacks };
  }

  /**
   * Scores one alternative into the group's scratch (the best alternative wins per document). With
   * a gate (≥ 0), only documents whose earlier words already carry that much idf are scored.
   */
  private scoreAlternative(alt: Alternative, avgLen: number, stamp: number, titleMode: number, gate: number) {
    const runs: Run[] = [];
    for (const t of alt.terms) {
      const id = this.dict.id(t);
      if (id < 0) return;
      const run = this.postings.run(id);
      if (run.to <= run.from) return;
      runs.push(run);
    }
    if (!runs.length) return;
    const gStamp = this.groupStamp;
    const gScore = this.groupScore;
    const gTouched = this.groupTouched;
    const gTitle = this.groupTitle;
    const alive = this.docs.alive;
    const cover = this.cover;
    const lens = this.docs.lens;
    const dequant = DEQUANT;
    const titleBit = TITLE_BIT;
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
        const w = dequant[v & 255];
        const s = (f * w) / (w + normBase + normLen * lens[d]);
        const title = v & titleBit ? titleMode : 0;
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
      let w = dequant[v & 255];
      let s = w / (w + norm);
      let title = v & titleBit;
      for (let j = 1; j < sorted.length; j++) {
        const r = sorted[j];
        const at = gallop(r.post, r.to, pos[j], d);
        pos[j] = at;
        if (at >= r.to) break outer;
        const u = r.post[at];
        if (u >>> 8 !== d) continue outer;
        w = dequant[u & 255];
        s += w / (w + norm);
        title &= u;
      }
      s *= scale;
      const t = title & titleBit ? Math.min(titleMode, 1) : 0;
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

  /** How many postings a term has (0: no document holds it). */
  private df(term: string): number {
    const id = this.dict.id(term);
    return id < 0 ? 0 : this.postings.df(id);
  }

  private ensureScratch(n: number, capacity: number) {
    if (this.score.length >= n) return;
    const size = Math.max(1024, capacity, n);
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
}
