// Postings (search/index/postings.ts): each term's documents in ascending order, one integer each
// (document << 8 | weight code). The index's "all of these terms" merge gallops over them and
// relies on that order, whether the postings came from a full load, from changes since, or both.
import { describe, expect, test } from "vitest";
import { BulkBuffer, DEQUANT, gallop, HUNDREDTHS_TO_Q, Postings, quantize, TITLE_BIT } from "../../search/index/postings";

function rng(seed: number) {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

/** term → [document, weight code] pairs, as a Postings holds them */
function contents(p: Postings, terms: number) {
  const out: [number, number][][] = [];
  for (let t = 0; t < terms; t++) {
    const r = p.run(t);
    const list: [number, number][] = [];
    for (let i = r.from; i < r.to; i++) list.push([r.post[i] >>> 8, r.post[i] & 255]);
    out.push(list);
  }
  return out;
}

/** random documents: each holds a few of `terms` terms, with weight codes */
function randomDocs(random: () => number, docs: number, terms: number) {
  return Array.from({ length: docs }, () => {
    const held = new Map<number, number>();
    for (let k = 0; k < 6; k++) held.set(Math.floor(random() * random() * terms), 1 + Math.floor(random() * 255));
    return [...held];
  });
}

describe("Postings", () => {
  test("a full load and changes after it give each term its documents in ascending order, with their weights", () => {
    const random = rng(3);
    const T = 40;
    const loaded = randomDocs(random, 300, T);
    const later = randomDocs(random, 200, T);
    const bulk = new BulkBuffer();
    loaded.forEach((terms, d) => {
      bulk.startDoc(d);
      for (const [t, q] of terms) bulk.push(t, q);
    });
    const p = new Postings();
    const { start, main } = bulk.build(T);
    p.load(start, main, T);
    later.forEach((terms, i) => {
      for (const [t, q] of terms) p.add(t, 300 + i, q);
    });
    // a term first seen after the load, beyond the loaded range
    p.add(T + 5, 600, 9);

    const expected: [number, number][][] = Array.from({ length: T }, () => []);
    [...loaded, ...later].forEach((terms, d) => {
      for (const [t, q] of terms) expected[t].push([d, q]);
    });
    expect(contents(p, T)).toEqual(expected);
    for (let t = 0; t < T; t++) expect(p.df(t)).toBe(expected[t].length);
    expect(p.df(T + 5)).toBe(1);
    expect(contents(p, T + 6)[T + 5]).toEqual([[600, 9]]);
    expect(p.df(T + 100)).toBe(0);
    expect(p.added).toBe(later.flat().length + 1);
  });

  test("a term's joined run follows a posting added after it was read", () => {
    const p = new Postings();
    const bulk = new BulkBuffer();
    bulk.startDoc(0);
    bulk.push(0, 4);
    bulk.startDoc(1);
    bulk.push(0, 8);
    const { start, main } = bulk.build(1);
    p.load(start, main, 1);
    p.add(0, 2, 12);
    expect(contents(p, 1)[0]).toEqual([
      [0, 4],
      [1, 8],
      [2, 12],
    ]);
    p.add(0, 3, 16);
    expect(contents(p, 1)[0].map(([d]) => d)).toEqual([0, 1, 2, 3]);
  });

  test("compaction keeps the kept documents' postings, renumbered, and drops the others", () => {
    const random = rng(11);
    const T = 25;
    const docs = randomDocs(random, 120, T);
    const p = new Postings();
    docs.forEach((terms, d) => {
      for (const [t, q] of terms) p.add(t, d, q);
    });
    const remap = new Int32Array(docs.length).fill(-1);
    let n = 0;
    docs.forEach((_, d) => {
      if (random() < 0.6) remap[d] = n++;
    });
    p.compact(remap, T);
    const expected: [number, number][][] = Array.from({ length: T }, () => []);
    docs.forEach((terms, d) => {
      if (remap[d] >= 0) for (const [t, q] of terms) expected[t].push([remap[d], q]);
    });
    expect(contents(p, T)).toEqual(expected);
    expect(p.added).toBe(0);
    expect(p.mainLength).toBe(expected.flat().length);
  });

  test("gallop finds the first posting at or after a document, from any start", () => {
    const random = rng(5);
    for (let round = 0; round < 200; round++) {
      const docs = [...new Set(Array.from({ length: 1 + Math.floor(random() * 300) }, () => Math.floor(random() * 1000)))].sort((a, b) => a - b);
      const post = Int32Array.from(docs, (d) => (d << 8) | 7);
      const from = Math.floor(random() * (docs.length + 1));
      const target = Math.floor(random() * 1100);
      let expected = from;
      while (expected < docs.length && docs[expected] < target) expected++;
      expect(gallop(post, post.length, from, target)).toBe(expected);
    }
  });

  test("weights keep quarters up to 16 and whole steps above, with the title bit beside them", () => {
    expect(DEQUANT[quantize(1.25)]).toBe(1.25);
    expect(DEQUANT[quantize(15.75)]).toBe(15.75);
    expect(DEQUANT[quantize(20.4)]).toBe(20);
    expect(DEQUANT[quantize(500)]).toBe(79); // BM25 saturates long before
    expect(quantize(0.01)).toBe(1); // a held term never weighs nothing
    expect(DEQUANT[quantize(3) | TITLE_BIT]).toBe(3);
    expect(DEQUANT[HUNDREDTHS_TO_Q[250]]).toBe(2.5);
  });
});
