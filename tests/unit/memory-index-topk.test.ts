// The bounded heap that keeps a query's best k (search/index/topk.ts) must return exactly the
// first k of a full sort, ties included: by relevance, equal scores rank the newer document first,
// then the one indexed earlier; by date, equal dates rank the higher score first, then the earlier.
import { describe, expect, test } from "vitest";
import { TopK } from "../../search/index/topk";

function rng(seed: number) {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

function fullSort(docs: number[], scores: Map<number, number>, dates: Float64Array, byDate: boolean) {
  return [...docs].sort((a, b) => {
    const [sa, sb, da, db] = [scores.get(a)!, scores.get(b)!, dates[a], dates[b]];
    if (byDate) return db - da || sb - sa || a - b;
    return sb - sa || db - da || a - b;
  });
}

describe("TopK", () => {
  for (const byDate of [false, true]) {
    test(`keeps the first k of a full sort by ${byDate ? "date" : "relevance"}, ties broken the same way`, () => {
      const random = rng(byDate ? 2 : 1);
      for (let round = 0; round < 100; round++) {
        const n = Math.floor(random() * 200);
        // few distinct scores and dates: many ties
        const dates = Float64Array.from({ length: n }, () => Math.floor(random() * 5));
        const scores = new Map<number, number>();
        const order = Array.from({ length: n }, (_, d) => d).sort(() => random() - 0.5);
        const k = Math.floor(random() * 30);
        const heap = new TopK(k, byDate, dates);
        for (const d of order) {
          const s = Math.floor(random() * 4) / 2;
          scores.set(d, s);
          heap.offer(d, s);
        }
        expect(heap.sorted()).toEqual(fullSort(order, scores, dates, byDate).slice(0, k));
        expect(heap.full).toBe(n >= k);
      }
    });
  }

  test("the worst kept is the one a new match must beat", () => {
    const dates = Float64Array.from([10, 20, 30, 40]);
    const byScore = new TopK(2, false, dates);
    byScore.offer(0, 5);
    byScore.offer(1, 1);
    byScore.offer(2, 3);
    expect(byScore.worstScore()).toBe(3);
    expect(byScore.sorted()).toEqual([0, 2]);
    // the same score as the worst kept, but newer: it takes its place
    byScore.offer(3, 3);
    expect(byScore.sorted()).toEqual([0, 3]);

    const byDate = new TopK(2, true, dates);
    for (const d of [2, 0, 3, 1]) byDate.offer(d, 0);
    expect(byDate.worstDate()).toBe(30);
    expect(byDate.worstScore()).toBe(-Infinity);
    expect(byDate.sorted()).toEqual([3, 2]);
  });

  test("k = 0 keeps nothing", () => {
    const heap = new TopK(0, false, Float64Array.from([1]));
    heap.offer(0, 9);
    expect(heap.sorted()).toEqual([]);
    expect(heap.full).toBe(true);
  });
});
