// Compaction of the in-memory index: production reaches it after about a thousand edits (a fifth of
// the documents retired) or 200,000 postings added since the load. An index that has been edited
// through both compactions must answer every query exactly as an index built fresh from the
// documents that are left: the same hits in the same order, the same totals and facet counts.
import { describe, expect, test, vi } from "vitest";
import { MemoryIndex, type IndexedDoc, type QueryGroup } from "../../search/memory-index";
import { encodeTerms } from "../../search/terms";

function rng(seed: number) {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

const WORDS = ["焊接", "巡检", "机器人", "仿真", "培训", "变电站", "数字孪生", "泄漏", "检测", "平台", "轨道", "储能", "plc", "bim"];
const INDUSTRIES = ["rail-transit", "power-grid", "aviation", "gas"];

function makeDoc(random: () => number, id: string, version: number, filler: number): IndexedDoc {
  const terms = new Map<string, number>();
  for (const [w, word] of WORDS.entries()) if (random() < 1.2 / (w + 2)) terms.set(word, 1 + Math.floor(random() * 3));
  if (!terms.size) terms.set(WORDS[0], 1);
  // many rare terms per document, so that the postings added since the load pass 200,000
  for (let k = 0; k < filler; k++) terms.set(`t${Math.floor(random() * 5000)}`, 1);
  return {
    id,
    title: `${[...terms.keys()].slice(0, 2).join("")}${version}`,
    date: Math.floor(random() * 1000),
    terms,
    facets: { type: id.split(":")[0], industry: INDUSTRIES[Math.floor(random() * INDUSTRIES.length)] },
  };
}

const groupsOf = (words: string[]): QueryGroup[] => words.map((w) => ({ word: w, alternatives: [{ terms: [w], weight: 1, literal: true }] }));

function answers(index: MemoryIndex, random: () => number) {
  const out: unknown[] = [];
  for (let round = 0; round < 60; round++) {
    const size = 1 + Math.floor(random() * 3);
    const words = [...new Set(Array.from({ length: size }, () => WORDS[Math.floor(random() * WORDS.length)]))];
    const filters = round % 3 === 0 ? { industry: INDUSTRIES[round % INDUSTRIES.length] } : {};
    for (const sort of ["relevance", "date"] as const) {
      const res = index.search({ groups: groupsOf(words), phrase: words.join(""), filters, sort, offset: 0, limit: 5000 });
      // Several words are weighed by their idf, which counts retired postings until a compaction
      // (as Lucene counts deleted documents until a merge): near-ties may then swap, so their
      // answers compare as sets, one word's in order
      const ids = words.length > 1 && sort === "relevance" ? [...res.ids].sort() : res.ids;
      out.push({ q: words.join(" "), sort, total: res.total, full: res.full, ids, facets: res.facets, lacks: Object.fromEntries(res.ids.map((id, i) => [id, res.lacks[i]])) });
    }
  }
  return out;
}

describe("MemoryIndex compaction", () => {
  test("after edits that compact it twice, every answer equals a fresh index of the documents left", () => {
    const compact = vi.spyOn(MemoryIndex.prototype as unknown as { compact: () => void }, "compact");
    const random = rng(20261207);
    const edited = new MemoryIndex();
    const live = new Map<string, IndexedDoc>();
    // a load, then edits: new versions of documents (their old postings retire), removals, additions
    for (let i = 0; i < 2000; i++) {
      const doc = makeDoc(random, `result:d${i}`, 0, 2);
      edited.upsert(doc);
      live.set(doc.id, doc);
    }
    for (let step = 0; step < 4000; step++) {
      const i = Math.floor(random() * 2600);
      const id = `${i % 2 ? "result" : "patent"}:d${i}`;
      if (random() < 0.3) {
        edited.remove(id);
        live.delete(id);
      } else {
        const doc = makeDoc(random, id, step, step > 2500 ? 90 : 2);
        edited.upsert(doc);
        // a new version goes to the end, as in the index (ties rank by that order)
        live.delete(id);
        live.set(id, doc);
      }
    }
    // retired versions past a fifth of the numbers compacted it (twice: both times that trigger;
    // the other one, postings added since the load, is the next test's)
    expect(compact.mock.calls.length).toBeGreaterThanOrEqual(2);
    compact.mockRestore();

    const fresh = new MemoryIndex();
    for (const doc of live.values()) fresh.upsert(doc);
    expect(edited.size).toBe(live.size);
    for (const id of live.keys()) expect(edited.has(id)).toBe(true);
    expect(answers(edited, rng(5))).toEqual(answers(fresh, rng(5)));
  });
});

describe("MemoryIndex compaction after a full load", () => {
  // the server's index: loaded in bulk from the stored term lists, then kept in step one change at a time
  const stored = (doc: IndexedDoc) => encodeTerms(doc.terms, new Set([...doc.terms.keys()].filter((t) => doc.title.includes(t))));
  const loadStored = (index: MemoryIndex, doc: IndexedDoc) => index.upsertStored(doc.id, doc.title, doc.date, stored(doc), doc.facets);

  test("postings added since the load compact it when they pass 200,000 and a quarter of the load, and nothing is lost", () => {
    const random = rng(99);
    const edited = new MemoryIndex();
    const live = new Map<string, IndexedDoc>();
    edited.beginBulk();
    for (let i = 0; i < 1500; i++) {
      const doc = makeDoc(random, `result:d${i}`, 0, 20);
      loadStored(edited, doc);
      live.set(doc.id, doc);
    }
    edited.endBulk();
    const compact = vi.spyOn(MemoryIndex.prototype as unknown as { compact: () => void }, "compact");
    // new documents only (nothing retired): 2,500 × ~100 postings
    for (let i = 0; i < 2500; i++) {
      const doc = makeDoc(random, `patent:n${i}`, 1, 100);
      loadStored(edited, doc);
      live.set(doc.id, doc);
      if (i === 1500) expect(compact).toHaveBeenCalledTimes(0); // ~150,000 added: not yet
    }
    expect(compact).toHaveBeenCalledTimes(1);
    compact.mockRestore();
    // after it, changes go on as before: an update and a removal
    const changed = makeDoc(random, "result:d7", 2, 3);
    loadStored(edited, changed);
    live.delete(changed.id);
    live.set(changed.id, changed);
    edited.remove("patent:n3");
    live.delete("patent:n3");

    const fresh = new MemoryIndex();
    for (const doc of live.values()) loadStored(fresh, doc);
    expect(edited.size).toBe(live.size);
    expect(edited.has("patent:n3")).toBe(false);
    expect(answers(edited, rng(8))).toEqual(answers(fresh, rng(8)));
  });

  test("a full load refuses an index that already holds documents", () => {
    const index = new MemoryIndex();
    index.upsert(makeDoc(rng(1), "result:a", 0, 0));
    expect(() => index.beginBulk()).toThrow(/empty index/);
  });
});
