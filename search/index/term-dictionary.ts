// Terms are numbered by a hash table over their characters, so the stored term list
// (SearchDoc.terms) is read in place: a term the index already knows — nearly all of them during a
// load — is found by its range in the stored string without making a string of it.

export const FNV_OFFSET = 0x811c9dc5 | 0;
export const FNV_PRIME = 0x01000193;

/** FNV-1a over the UTF-16 code units; the index hashes stored terms the same way as it scans them. */
export function hashOf(s: string): number {
  let h = FNV_OFFSET;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), FNV_PRIME);
  return h;
}

/**
 * Term → number, in an open-addressing hash table over the terms' characters, so a term can be
 * looked up by a range of a longer string (the stored term list) without making a string of it.
 * FNV-1a hashes; the caller hashes as it scans.
 */
export class TermDictionary {
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

  /** The number of the term `src[start … end)` whose hash is `hash`, or -1. */
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

  /** The number of a whole term, or -1. */
  id(term: string): number {
    return this.find(term, 0, term.length, hashOf(term));
  }

  /** Numbers a term that is not in the dictionary yet (the next number). */
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

const LATIN_TERM = /^[a-z][a-z0-9.+#-]*$/;
const CJK_CHAR = /[\u3400-\u9fff]/;

interface VocabLists {
  /** Latin-script terms, sorted (prefix search relies on it) */
  latin: string[];
  /** CJK character → the terms that contain it */
  cjkChars: Map<string, string[]>;
}

/**
 * The vocabulary the query planner expands against (prefixes and typos of Latin words, terms
 * holding a CJK character): built on first use from the terms some document holds, then kept up
 * to date as terms are added, until reset (a compaction).
 */
export class Vocabulary {
  private lists: VocabLists | null = null;

  /** The lists, built from `texts` (term number → text) keeping the terms `held` says are held. */
  get(texts: string[], held: (id: number) => boolean): VocabLists {
    if (this.lists) return this.lists;
    const lists: VocabLists = { latin: [], cjkChars: new Map() };
    for (let id = 0; id < texts.length; id++) if (held(id)) addTo(lists, texts[id], false);
    lists.latin.sort();
    return (this.lists = lists);
  }

  /** A term new to the dictionary. */
  added(term: string) {
    if (this.lists) addTo(this.lists, term, true);
  }

  reset() {
    this.lists = null;
  }
}

function addTo(lists: VocabLists, term: string, sortedInsert: boolean) {
  if (LATIN_TERM.test(term)) {
    if (!sortedInsert) lists.latin.push(term);
    else {
      // keep the list sorted: prefix search relies on it
      let lo = 0,
        hi = lists.latin.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (lists.latin[mid] < term) lo = mid + 1;
        else hi = mid;
      }
      lists.latin.splice(lo, 0, term);
    }
    return;
  }
  for (const ch of new Set(term)) {
    if (!CJK_CHAR.test(ch)) continue;
    let list = lists.cjkChars.get(ch);
    if (!list) lists.cjkChars.set(ch, (list = []));
    list.push(term);
  }
}
