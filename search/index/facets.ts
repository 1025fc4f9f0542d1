import { FACETS, type FacetName } from "../engine";
import { capacityFor } from "./documents";

// Facet values are numbered per facet ("value codes"); every document holds one code per facet
// (-1: none). Counts are taken in Int32Arrays by code over the matches of a query, in the same pass
// that applies the filters. Disjunctive faceting, as Meilisearch and most shops do it: a facet's
// counts ignore that facet's own filter, so a chosen industry still shows the other industries.

/** The most values listed per facet, Meilisearch's default too (maxValuesPerFacet). */
export const MAX_FACET_VALUES = 100;

export type FacetValues = Partial<Record<FacetName, string | null>>;
export type FacetCounts = Record<FacetName, { value: string; count: number }[]>;

const NF = FACETS.length;

/** The matches a count walks: every live document, or the listed ones that `keep` keeps. */
export interface Candidates {
  all: boolean;
  /** how many document numbers there are (for `all`) */
  N: number;
  alive: Uint8Array;
  touched: Int32Array;
  touchedLen: number;
  keep: (d: number) => boolean;
}

export class FacetStore {
  /** per facet: each document's value code */
  codes: Int32Array[] = FACETS.map(() => new Int32Array(0));
  /** per facet: code → value */
  values: string[][] = FACETS.map(() => []);
  private lookup: Map<string, number>[] = FACETS.map(() => new Map());
  // codes of the small facets combined per document (see count)
  private tuples = new FacetTuples();
  private tupleOf = new Int32Array(0);
  private bigFacet = Math.max(0, FACETS.indexOf("enterprise" as FacetName));
  // per facet: alphabetical rank of each code, and code by rank (made when the values change)
  private rank: (Int32Array | undefined)[] = FACETS.map(() => undefined);
  private byRank: Int32Array[] = FACETS.map(() => new Int32Array(0));
  private capacity = 0;

  /** Records document n's facet values. */
  set(n: number, facets: FacetValues) {
    if (n >= this.capacity) this.grow(capacityFor(n + 1, this.capacity));
    for (let i = 0; i < NF; i++) this.codes[i][n] = this.code(i, facets[FACETS[i]] ?? null);
    this.tupleOf[n] = this.tuples.of(this.codes, n, this.bigFacet);
  }

  /** Per facet: the code a filter asks for, -1 for no filter, -2 for a value no document has. */
  filterCodes(filters: Partial<Record<FacetName, string>>): Int32Array {
    const filterCodes = new Int32Array(NF);
    FACETS.forEach((f, i) => {
      const v = filters[f];
      filterCodes[i] = v === undefined ? -1 : (this.lookup[i].get(v) ?? -2);
    });
    return filterCodes;
  }

  /**
   * Applies the filters to the candidates and counts the facets over them; the candidates that
   * pass every filter go to `passed`. Returns how many passed, and the counts per facet by code.
   */
  count(filterCodes: Int32Array, m: Candidates, passed: Int32Array): { total: number; counts: Int32Array[] } {
    const counts = FACETS.map((_, i) => new Int32Array(this.values[i].length));
    const codes = this.codes;
    const { N, alive, touched, touchedLen, keep } = m;
    let total = 0;
    const filtered = filterCodes.reduce((n, c) => n + (c !== -1 ? 1 : 0), 0);
    if (filtered <= 1) {
      // every match that passes the filter counts in every facet: one counter for the combination
      // of the small facets (type × industry × kind × level, a few hundred combinations) and one
      // for the large one, spread over the facets at the end — two increments a match instead of
      // five. With one filter, a match that fails it counts only in that filter's own facet.
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
      if (m.all) {
        for (let d = 0; d < N; d++) if (alive[d]) consider(d);
      } else {
        for (let i = 0; i < touchedLen; i++) {
          const d = touched[i];
          if (keep(d) && alive[d]) consider(d);
        }
      }
      this.tuples.spread(tupleCounts, counts);
    } else {
      // several filters, one facet at a time. The loop over the matches below repeats the one
      // above on purpose: one loop calling either closure made every query ~5% slower (the call
      // site no longer has a single target)
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
      if (m.all) {
        for (let d = 0; d < N; d++) if (alive[d]) consider(d);
      } else {
        for (let i = 0; i < touchedLen; i++) {
          const d = touched[i];
          if (keep(d) && alive[d]) consider(d);
        }
      }
    }
    return { total, counts };
  }

  /** Every facet's values by count (then value), at most MAX_FACET_VALUES each. */
  lists(counts: Int32Array[]): FacetCounts {
    return Object.fromEntries(FACETS.map((f, i) => [f, this.list(i, counts[i])])) as FacetCounts;
  }

  /** A facet's values by count (then value), at most MAX_FACET_VALUES, sorting numbers only. */
  private list(i: number, c: Int32Array): { value: string; count: number }[] {
    const values = this.values[i];
    let rank = this.rank[i];
    if (!rank || rank.length !== values.length) {
      const order = values.map((_, code) => code).sort((a, b) => (values[a] < values[b] ? -1 : values[a] > values[b] ? 1 : 0));
      rank = new Int32Array(values.length);
      order.forEach((code, r) => (rank![code] = r));
      this.rank[i] = rank;
      this.byRank[i] = Int32Array.from(order);
    }
    const byRank = this.byRank[i];
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

  /** Keeps the documents `remap` keeps (old number → new, -1 dropped), renumbered; `n` are kept. */
  compact(remap: Int32Array, n: number) {
    const old = { codes: this.codes, tupleOf: this.tupleOf };
    this.capacity = 0;
    this.codes = FACETS.map(() => new Int32Array(0));
    this.tupleOf = new Int32Array(0);
    this.grow(capacityFor(n, 0));
    for (let d = 0; d < remap.length; d++) {
      const m = remap[d];
      if (m < 0) continue;
      for (let i = 0; i < NF; i++) this.codes[i][m] = old.codes[i][d];
      this.tupleOf[m] = old.tupleOf[d];
    }
  }

  private grow(size: number) {
    this.codes = this.codes.map((a) => {
      const b = new Int32Array(size).fill(-1);
      b.set(a);
      return b;
    });
    const t = new Int32Array(size);
    t.set(this.tupleOf);
    this.tupleOf = t;
    this.capacity = size;
  }

  private code(i: number, value: string | null): number {
    if (value === null || value === "") return -1;
    let c = this.lookup[i].get(value);
    if (c === undefined) {
      c = this.values[i].length;
      this.values[i].push(value);
      this.lookup[i].set(value, c);
    }
    return c;
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
