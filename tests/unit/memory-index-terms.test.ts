// The term dictionary (search/index/term-dictionary.ts) numbers terms by their characters so that the
// stored term list is read in place; the vocabulary built on it feeds the query planner's prefix,
// typo and CJK-character expansions. And SearchDoc.terms rows in every form ever written load into
// the same index ("old rows still load", docs/search-engine.md).
import { describe, expect, test } from "vitest";
import { hashOf, TermDictionary } from "../../search/index/term-dictionary";
import { MemoryIndex, type IndexedDoc, type QueryGroup } from "../../search/memory-index";
import { decodeTerms, encodeTerms } from "../../search/terms";

describe("TermDictionary", () => {
  test("finds each of thousands of terms by itself or by its range inside a longer string, and nothing else", () => {
    const dict = new TermDictionary();
    const terms = Array.from({ length: 5000 }, (_, i) => (i % 3 ? `t${i}` : `焊接${i}`));
    terms.forEach((t, i) => expect(dict.add(t, hashOf(t))).toBe(i));
    terms.forEach((t, i) => expect(dict.id(t)).toBe(i));
    const text = `前缀${terms[4242]}后缀`;
    expect(dict.find(text, 2, 2 + terms[4242].length, hashOf(terms[4242]))).toBe(4242);
    expect(dict.id("t5000")).toBe(-1);
    expect(dict.id("t")).toBe(-1);
    expect(dict.id("")).toBe(-1);
    expect(dict.texts[4242]).toBe(terms[4242]);
  });

  test("two terms of the same length and hash stay apart", () => {
    const dict = new TermDictionary();
    dict.add("ab", 7);
    dict.add("cd", 7);
    expect(dict.find("ab", 0, 2, 7)).toBe(0);
    expect(dict.find("cd", 0, 2, 7)).toBe(1);
    expect(dict.find("ef", 0, 2, 7)).toBe(-1);
  });
});

describe("the index's vocabulary", () => {
  const doc = (id: string, terms: string[]): IndexedDoc => ({ id, title: id, date: 0, terms: new Map(terms.map((t) => [t, 1])), facets: {} });

  test("lists Latin terms sorted and CJK terms by character, including terms added after the first look", () => {
    const index = new MemoryIndex();
    index.upsert(doc("a", ["plc", "bim", "焊接", "机器人"]));
    expect(index.latinTerms()).toEqual(["bim", "plc"]);
    expect(index.termsWithChar("焊")).toEqual(["焊接"]);
    index.upsert(doc("b", ["cnc", "焊工", "x-ray"]));
    expect(index.latinTerms()).toEqual(["bim", "cnc", "plc", "x-ray"]);
    expect(index.termsWithChar("焊")).toEqual(["焊接", "焊工"]);
    expect(index.termsWithChar("人")).toEqual(["机器人"]);
    expect(index.termsWithChar("铣")).toEqual([]);
    expect(index.df("焊工")).toBe(1);
    expect(index.df("铣床")).toBe(0);
  });
});

describe("stored term lists in every form", () => {
  const terms = new Map([
    ["焊接", 4.5],
    ["机器人", 1],
    ["plc", 2.25],
    ["巡检", 0.5],
  ]);
  const title = new Set(["焊接", "机器人"]);
  // the forms SearchDoc.terms has had: a JSON array; packed without a marker or title flags; packed
  // with both (search/terms.ts)
  const json = JSON.stringify([...terms].flat());
  const packedUnmarked = encodeTerms(terms).slice(1);
  const current = encodeTerms(terms, title);
  const query = (index: MemoryIndex, word: string, phrase = word) => {
    const groups: QueryGroup[] = [{ word, alternatives: [{ terms: [word], weight: 1, literal: true }] }];
    return index.search({ groups, phrase, filters: {}, sort: "relevance", offset: 0, limit: 10 });
  };

  test("each form decodes to the same weights", () => {
    for (const stored of [json, packedUnmarked, current]) expect(decodeTerms(stored)).toEqual(terms);
  });

  test("a row in any form is found by each of its terms, next to rows in the other forms", () => {
    const index = new MemoryIndex();
    index.upsertStored("result:json", "焊接机器人", 1, json, { type: "result" });
    index.upsertStored("result:packed", "焊接机器人", 2, packedUnmarked, { type: "result" });
    index.upsertStored("result:current", "焊接机器人", 3, current, { type: "result" });
    for (const word of terms.keys()) {
      const res = query(index, word);
      expect(res.total, word).toBe(3);
      expect([...res.ids].sort(), word).toEqual(["result:current", "result:json", "result:packed"]);
    }
    expect(index.df("焊接")).toBe(3);
  });

  test("the current form's title flags decide which documents can have the title bonus", () => {
    // 巡检 is a title word of one document only; both hold it with the same weight
    const index = new MemoryIndex();
    const inTitle = encodeTerms(new Map([["巡检", 1]]), new Set(["巡检"]));
    const inBody = encodeTerms(new Map([["巡检", 1]]), new Set());
    index.upsertStored("result:body", "巡检", 2, inBody, {});
    index.upsertStored("result:title", "巡检", 1, inTitle, {});
    // without the flag the newer document would rank first (equal scores: newer first)
    expect(query(index, "巡检").ids).toEqual(["result:title", "result:body"]);
  });
});
