// The in-memory index's partial matching against a plain count: for random multi-word queries over
// random documents, the documents returned are exactly those holding every word or words that carry
// at least PARTIAL_COVERAGE of the query's idf (LONG_QUERY_COVERAGE from three words) — whatever order the words are scored in and however
// the gate skips documents — and every full match ranks above every partial one.
import { describe, expect, test } from "vitest";
import { LONG_QUERY_COVERAGE, MemoryIndex, PARTIAL_COVERAGE, type QueryGroup } from "../../search/memory-index";

function rng(seed: number) {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

const WORDS = ["焊接", "巡检", "机器人", "仿真", "培训", "变电站", "数字孪生", "泄漏", "检测", "平台", "轨道", "储能"];

describe("partial matching in MemoryIndex", () => {
  test("returns exactly the documents that hold every word or enough of the query's idf, full ones first", () => {
    const random = rng(7);
    const index = new MemoryIndex();
    const docs: { id: string; words: Set<string> }[] = [];
    for (let i = 0; i < 300; i++) {
      // word i appears in about 1/(i+2) of the documents: some rare, some common
      const words = new Set(WORDS.filter((_, w) => random() < 1.5 / (w + 2)));
      if (!words.size) words.add(WORDS[0]);
      const id = `result:d${i}`;
      docs.push({ id, words });
      index.upsert({ id, title: `文档${i}`, date: i, terms: new Map([...words].map((w) => [w, 1])), facets: { type: "result" } });
    }
    const N = docs.length;
    const idf = (w: string) => {
      const U = docs.filter((d) => d.words.has(w)).length;
      return Math.log(1 + (N - U + 0.5) / (U + 0.5));
    };
    let partialSeen = 0;
    for (let round = 0; round < 200; round++) {
      const size = 2 + Math.floor(random() * 4);
      const query = [...new Set(Array.from({ length: size }, () => WORDS[Math.floor(random() * WORDS.length)]))];
      if (query.length < 2) continue;
      const groups: QueryGroup[] = query.map((w) => ({ word: w, alternatives: [{ terms: [w], weight: 1, literal: true }] }));
      const res = index.search({ groups, phrase: query.join(""), filters: {}, sort: "relevance", offset: 0, limit: 400 });
      const total = query.reduce((a, w) => a + idf(w), 0);
      const full = docs.filter((d) => query.every((w) => d.words.has(w))).map((d) => d.id);
      const expected = docs
        .filter(
          (d) =>
            query.every((w) => d.words.has(w)) ||
            query.filter((w) => d.words.has(w)).reduce((a, w) => a + idf(w), 0) >= (query.length >= 3 ? LONG_QUERY_COVERAGE : PARTIAL_COVERAGE) * total - 1e-9,
        )
        .map((d) => d.id);
      expect(res.total, query.join(" ")).toBe(expected.length);
      expect([...res.ids].sort(), query.join(" ")).toEqual([...expected].sort());
      expect(res.full, query.join(" ")).toBe(full.length);
      // every full match before every partial one
      expect(res.ids.slice(0, full.length).sort(), query.join(" ")).toEqual([...full].sort());
      if (expected.length > full.length) partialSeen++;
    }
    expect(partialSeen).toBeGreaterThan(20);
  });
});
