/**
 * The best k documents by score (relevance) or by date, newest first, in a bounded heap whose root
 * is the worst kept, instead of sorting every match. Ties: by relevance, newer first, then the
 * earlier document number; by date, the higher score first, then the earlier document number.
 * `tierFrom`: by date, a score from this on is a higher tier (a full match) that ranks before any
 * newer document below it.
 */
export class TopK {
  private heap: Int32Array;
  private hScore: Float64Array;
  private n = 0;
  constructor(
    private k: number,
    private byDate: boolean,
    private dates: Float64Array,
    private tierFrom = Infinity,
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
      const ta = sa >= this.tierFrom,
        tb = sb >= this.tierFrom;
      if (ta !== tb) return tb;
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
