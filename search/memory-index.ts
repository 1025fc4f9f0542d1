import { FORMAT_MARK, forEachTerm, TITLE, WEIGHT_BASE, WEIGHT_MAX } from "./terms";
import { Documents } from "./index/documents";
import { FacetStore, type FacetValues } from "./index/facets";
import { BulkBuffer, DEQUANT, HUNDREDTHS_TO_Q, Postings, quantize, TITLE_BIT } from "./index/postings";
import { QueryEvaluator, type IndexResult, type IndexSearch } from "./index/query-eval";
import { FNV_OFFSET, FNV_PRIME, hashOf, TermDictionary, Vocabulary } from "./index/term-dictionary";

export { MAX_FACET_VALUES } from "./index/facets";
export { LONG_QUERY_COVERAGE, PARTIAL_COVERAGE, type Alternative, type IndexResult, type IndexSearch, type QueryGroup } from "./index/query-eval";

// The embedded engine's read model: an inverted index in typed arrays, rebuilt from the SearchDoc
// table and kept in step with it through the SearchChange log (see embedded.server.ts). It answers
// a query by accumulating BM25F scores over the postings of the query's terms, so a common word
// costs one pass over its postings, and counts facets over the matched documents in the same pass.
// The parts (measured with `npm run bench`; 100,000 documents hold ~30 million postings, and on a
// small machine each random memory access costs ~100 ns):
// - index/documents.ts: the documents by internal number (append-only; compaction renumbers);
// - index/term-dictionary.ts: term → number, looked up in place in the stored term list;
// - index/postings.ts: each term's postings, one integer each, loaded in two passes;
// - index/facets.ts: facet value codes and their counts; index/topk.ts: the best k in a heap;
// - index/query-eval.ts: scoring, partial matching, filters, ranking.
// This class feeds documents to them and compacts them together.

export interface IndexedDoc {
  id: string;
  title: string; // normalised, for the title bonus
  date: number;
  terms: Map<string, number>; // term → weighted frequency (field boosts applied)
  /** the terms that occur in the title (all of them when not given) */
  titleTerms?: Set<string>;
  facets: FacetValues;
}

export class MemoryIndex {
  private docs = new Documents();
  private dict = new TermDictionary();
  private postings = new Postings();
  private facets = new FacetStore();
  private vocabulary = new Vocabulary();
  private bulk: BulkBuffer | null = null;
  private evaluator = new QueryEvaluator(this.docs, this.dict, this.postings, this.facets);

  get size() {
    return this.docs.liveCount;
  }

  has(id: string) {
    return this.docs.byId.has(id);
  }

  df(term: string) {
    const id = this.dict.id(term);
    return id < 0 ? 0 : this.postings.df(id);
  }

  /** Starts a full load: documents given to upsertStored until endBulk() go in the two-pass build. */
  beginBulk() {
    if (this.docs.ids.length) throw new Error("a bulk load needs an empty index");
    this.bulk = new BulkBuffer();
  }

  endBulk() {
    const bulk = this.bulk;
    if (!bulk) return;
    this.bulk = null;
    const T = this.dict.texts.length;
    const { start, main } = bulk.build(T);
    this.postings.load(start, main, T);
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
  upsertStored(id: string, title: string, date: number, stored: string, facets: FacetValues) {
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
    if (!this.docs.retire(id)) return;
    // dead postings are skipped; compact when they are a fifth of the index
    if (!this.bulk && this.docs.dead > 1000 && this.docs.dead > this.docs.ids.length / 5) this.compact();
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
    return this.evaluator.search(q);
  }

  private termIdOrNew(term: string, hash: number): number {
    const id = this.dict.find(term, 0, term.length, hash);
    return id >= 0 ? id : this.newTerm(term, hash);
  }

  private newTerm(term: string, hash: number): number {
    const id = this.dict.add(term, hash);
    this.vocabulary.added(term);
    return id;
  }

  private addPosting(t: number, doc: number, q: number) {
    if (this.bulk) this.bulk.push(t, q);
    else this.postings.add(t, doc, q);
  }

  private newDoc(id: string, title: string, date: number, facets: FacetValues): number {
    if (!this.bulk) this.remove(id); // (a full load reads each id once: SearchDoc's key)
    const n = this.docs.add(id, title, date);
    this.facets.set(n, facets);
    if (this.bulk) this.bulk.startDoc(n);
    return n;
  }

  private finishDoc(n: number, len: number) {
    this.docs.finish(n, len);
    // many updates since the load: fold them into main
    if (!this.bulk && this.postings.added > 200_000 && this.postings.added > this.postings.mainLength / 4) this.compact();
  }

  private vocab() {
    return this.vocabulary.get(this.dict.texts, (id) => this.postings.df(id) > 0);
  }

  /** Drops retired documents and folds every term's delta into a new main array. */
  private compact() {
    const remap = this.docs.compact();
    this.facets.compact(remap, this.docs.ids.length);
    this.postings.compact(remap, this.dict.texts.length);
    this.vocabulary.reset();
    this.evaluator.reset(); // scratch is re-sized on the next search
  }
}
