import { MAX_DOCS } from "./postings";

// The documents of the index by internal number. Numbers are only appended: an update gives the
// document a new number and retires the old one (its postings are skipped until a compaction
// renumbers the live documents), which keeps every term's postings in ascending order.

export class Documents {
  ids: string[] = [];
  /** normalised, for the title bonus */
  titles: string[] = [];
  /** 64 bits per title: which character pairs it holds (hashed), two Int32 per document */
  titleSig = new Int32Array(0);
  capacity = 0;
  dates = new Float64Array(0);
  /** weighted length (the sum of its terms' weights), for BM25's length normalisation */
  lens = new Float32Array(0);
  alive = new Uint8Array(0);
  byId = new Map<string, number>();
  /** sum of the live documents' lengths */
  totalLen = 0;
  liveCount = 0;
  /** retired numbers since the last compaction */
  dead = 0;

  /** Numbers a new version of document `id`; it is found (byId, alive) once finish() is called. */
  add(id: string, title: string, date: number): number {
    const n = this.ids.length;
    if (n >= MAX_DOCS) throw new Error("the search index is full (8 million document versions); it compacts long before this");
    this.ensureCapacity(n + 1);
    this.ids.push(id);
    this.titles.push(title);
    const [lo, hi] = signature(title);
    this.titleSig[2 * n] = lo;
    this.titleSig[2 * n + 1] = hi;
    this.dates[n] = date;
    return n;
  }

  finish(n: number, len: number) {
    this.lens[n] = len;
    this.totalLen += len;
    this.alive[n] = 1;
    this.byId.set(this.ids[n], n);
    this.liveCount++;
  }

  /** Retires document `id`'s current number; false when the index does not hold it. */
  retire(id: string): boolean {
    const n = this.byId.get(id);
    if (n === undefined) return false;
    this.alive[n] = 0;
    this.byId.delete(id);
    this.totalLen -= this.lens[n];
    this.liveCount--;
    this.dead++;
    return true;
  }

  /** Whether document d's title may hold every character pair of a signature (no false negatives). */
  titleMayHold(d: number, lo: number, hi: number): boolean {
    return (this.titleSig[2 * d] & lo) === lo && (this.titleSig[2 * d + 1] & hi) === hi;
  }

  /**
   * Renumbers the live documents 0 … liveCount-1 in their order and forgets the retired ones.
   * Returns old number → new number (-1: retired).
   */
  compact(): Int32Array {
    const old = { ids: this.ids, titles: this.titles, titleSig: this.titleSig, dates: this.dates, lens: this.lens, alive: this.alive };
    const remap = new Int32Array(old.ids.length).fill(-1);
    let n = 0;
    for (let d = 0; d < old.ids.length; d++) if (old.alive[d]) remap[d] = n++;
    this.ids = [];
    this.titles = [];
    this.capacity = 0;
    this.dates = new Float64Array(0);
    this.lens = new Float32Array(0);
    this.alive = new Uint8Array(0);
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
      this.titleSig[2 * m] = old.titleSig[2 * d];
      this.titleSig[2 * m + 1] = old.titleSig[2 * d + 1];
    }
    this.dead = 0;
    return remap;
  }

  private ensureCapacity(n: number) {
    if (n <= this.capacity) return;
    const size = capacityFor(n, this.capacity);
    const grow = <T extends Float64Array | Float32Array | Uint8Array | Int32Array>(a: T, make: (n: number) => T): T => {
      const b = make(size);
      b.set(a as never);
      return b;
    };
    this.dates = grow(this.dates, (s) => new Float64Array(s));
    this.lens = grow(this.lens, (s) => new Float32Array(s));
    this.alive = grow(this.alive, (s) => new Uint8Array(s));
    const sig = new Int32Array(size * 2);
    sig.set(this.titleSig);
    this.titleSig = sig;
    this.capacity = size;
  }
}

/** Per-document arrays grow by doubling from 1,024. */
export function capacityFor(n: number, current: number): number {
  let size = Math.max(1024, current);
  while (size < n) size *= 2;
  return size;
}

/** 64-bit set of a text's character pairs (hashed), as [low 32 bits, high 32 bits]. */
export function signature(text: string): [number, number] {
  let lo = 0,
    hi = 0;
  for (let i = 0; i + 1 < text.length; i++) {
    const bit = Math.imul(text.charCodeAt(i) * 31 + text.charCodeAt(i + 1), 0x9e3779b1) >>> 26;
    if (bit < 32) lo |= 1 << bit;
    else hi |= 1 << (bit - 32);
  }
  return [lo, hi];
}
