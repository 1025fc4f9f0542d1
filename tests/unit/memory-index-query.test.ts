// Evaluating a query in the index (search/index/query-eval.ts), as the search page sees it: which
// documents come back, in which order, which words each one lacks, and what is highlighted.
// (memory-index-partial.test.ts holds partial matching to a plain count over random queries.)
import { describe, expect, test } from "vitest";
import { MemoryIndex, type Alternative, type IndexedDoc, type IndexSearch, type QueryGroup } from "../../search/memory-index";

function rng(seed: number) {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

const doc = (id: string, date: number, terms: Record<string, number>, title = id, titleTerms?: string[]): IndexedDoc => ({
  id,
  title,
  date,
  terms: new Map(Object.entries(terms)),
  titleTerms: new Set(titleTerms ?? Object.keys(terms).filter((t) => title.includes(t))),
  facets: { type: "result" },
});
const word = (w: string, extra: Alternative[] = []): QueryGroup => ({ word: w, alternatives: [{ terms: [w], weight: 1, literal: true }, ...extra] });
const search = (index: MemoryIndex, groups: QueryGroup[], more: Partial<IndexSearch> = {}) =>
  index.search({ groups, phrase: groups.map((g) => g.word).join(""), filters: {}, sort: "relevance", offset: 0, limit: 50, ...more });

/** 焊接 is rare (two documents), 巡检 rarer (one), 机器人 common (eighteen) */
function workshop() {
  const index = new MemoryIndex();
  index.upsert(doc("A", 1, { 焊接: 1, 机器人: 1 }, "焊接机器人"));
  index.upsert(doc("B", 5, { 焊接: 3 }, "车身焊装"));
  index.upsert(doc("C", 9, { 机器人: 1 }, "巡检机器人"));
  index.upsert(doc("D", 3, { 巡检: 1, 机器人: 1 }, "变电站"));
  for (let i = 0; i < 15; i++) index.upsert(doc(`F${i}`, 10 + i, { 机器人: 1 }, `文档${i}`));
  return index;
}

describe("query evaluation in MemoryIndex", () => {
  test("a document lacking a common word is kept when its rare word carries half the idf, below the full matches", () => {
    const index = workshop();
    // (B holds 焊接 three times, A once: the full match still ranks first)
    const res = search(index, [word("焊接"), word("机器人")]);
    expect(res.ids).toEqual(["A", "B"]);
    expect(res.full).toBe(1);
    expect(res.relaxed).toBe(false);
    expect(res.lacks).toEqual([[], ["机器人"]]);
    expect(res.missingWords).toEqual([]);
    // by date the same two documents, each with the words it lacks
    const byDate = search(index, [word("焊接"), word("机器人")], { sort: "date" });
    expect(Object.fromEntries(byDate.ids.map((id, i) => [id, byDate.lacks[i]]))).toEqual({ A: [], B: ["机器人"] });
    // the full match first even by date: B (date 5) is newer than A (date 1) but lacks a word
    expect(byDate.ids).toEqual(["A", "B"]);
    // every word required: the full match only
    expect(search(index, [word("焊接"), word("机器人")], { minCoverage: 1 }).ids).toEqual(["A"]);
  });

  test("when no document holds every word, the one holding the rarest is returned and the missing word named", () => {
    const res = search(workshop(), [word("焊接"), word("巡检")]);
    expect(res.ids).toEqual(["D"]);
    expect(res.relaxed).toBe(true);
    expect(res.full).toBe(0);
    expect(res.lacks).toEqual([["焊接"]]);
    expect(res.missingWords).toEqual(["焊接"]);
  });

  test("no query words: every live document, newest first", () => {
    const index = workshop();
    index.remove("F14");
    const res = search(index, [], { limit: 3 });
    expect(res.total).toBe(18);
    expect(res.ids).toEqual(["F13", "F12", "F11"]);
  });

  test("pages of a result concatenate into the whole list, and a removed document is in none", () => {
    const index = workshop();
    index.remove("C");
    const all = search(index, [word("机器人")], { limit: 100 });
    expect(all.total).toBe(17);
    expect(all.ids).not.toContain("C");
    const pages = [0, 5, 10, 15].flatMap((offset) => search(index, [word("机器人")], { offset, limit: 5 }).ids);
    expect(pages).toEqual(all.ids);
  });

  test("the title bonus goes to a title holding the query, not to one holding only a synonym of it", () => {
    // Y holds the word once, in its title; X three times in its body
    const index = new MemoryIndex();
    index.upsert(doc("X", 2, { 机器人: 3, 文档: 1, 正文: 1 }, "文档"));
    index.upsert(doc("Y", 1, { 机器人: 1 }, "机器人"));
    expect(search(index, [word("机器人")]).ids).toEqual(["Y", "X"]);
    // the same term reached as a synonym of the query word: no bonus, so the stronger body wins
    const viaSynonym: QueryGroup = { word: "robot", alternatives: [{ terms: ["机器人"], weight: 1, literal: false }] };
    expect(index.search({ groups: [viaSynonym], phrase: "robot", filters: {}, sort: "relevance", offset: 0, limit: 10 }).ids).toEqual(["X", "Y"]);
  });

  test("among full matches of several words, the title holding the whole phrase ranks first", () => {
    const index = new MemoryIndex();
    index.upsert(doc("apart", 2, { 焊接: 2, 机器人: 2 }, "机器人与焊接"));
    index.upsert(doc("phrase", 1, { 焊接: 1, 机器人: 1 }, "焊接机器人"));
    index.upsert(doc("other", 3, { 机器人: 1 }, "其他"));
    expect(search(index, [word("焊接"), word("机器人")]).ids.slice(0, 2)).toEqual(["phrase", "apart"]);
  });

  test("an alternative of several terms matches only documents holding all of them; the best alternative counts once", () => {
    const random = rng(17);
    const TERMS = ["在建", "工程", "管理", "质量", "安全"];
    const index = new MemoryIndex();
    const held = new Map<string, Set<string>>();
    for (let i = 0; i < 600; i++) {
      const terms = new Set(TERMS.filter((_, k) => random() < 0.6 / (k + 1)));
      if (!terms.size) terms.add("安全");
      held.set(`d${i}`, terms);
      index.upsert(doc(`d${i}`, i, Object.fromEntries([...terms].map((t) => [t, 1]))));
    }
    for (const pieces of [
      ["在建", "工程"],
      ["工程", "管理", "质量"],
      ["在建", "安全"],
    ]) {
      // the word itself (unknown to the index) or its pieces together, or a synonym (安全)
      const group: QueryGroup = {
        word: pieces.join(""),
        alternatives: [
          { terms: [pieces.join("")], weight: 1, literal: true },
          { terms: pieces, weight: 0.5, literal: true },
        ],
      };
      const res = search(index, [group], { limit: 1000 });
      const expected = [...held].filter(([, t]) => pieces.every((p) => t.has(p))).map(([id]) => id);
      expect([...res.ids].sort(), pieces.join("+")).toEqual(expected.sort());
      expect(res.total).toBe(expected.length);
      expect(res.matched).toEqual(pieces);
      // with a synonym alternative too, each document is counted once
      const withSynonym = search(index, [{ ...group, alternatives: [...group.alternatives, { terms: ["安全"], weight: 0.8, literal: false }] }], { limit: 1000 });
      const either = [...held].filter(([, t]) => pieces.every((p) => t.has(p)) || t.has("安全")).length;
      expect(withSynonym.total).toBe(either);
      expect(new Set(withSynonym.ids).size).toBe(withSynonym.ids.length);
    }
  });
});
