// Facet counts as the search page shows them, against a plain count over the documents the index
// holds: after removals and updates (a retired version must not be counted, an updated document is
// counted under its new values), with no filter, one or several (disjunctive: a facet's counts
// ignore that facet's own filter), with and without a query.
import { describe, expect, test } from "vitest";
import { FACETS, type FacetName } from "../../search/engine";
import { MAX_FACET_VALUES, MemoryIndex, type QueryGroup } from "../../search/memory-index";

function rng(seed: number) {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

type Facets = Partial<Record<FacetName, string | null>>;
interface Doc {
  id: string;
  words: string[];
  facets: Facets;
}

const WORDS = ["焊接", "巡检", "机器人", "仿真"];
const VALUES: Record<FacetName, (string | null)[]> = {
  type: ["studio", "result", "patent", "need"],
  industry: ["rail-transit", "power-grid", "aviation", null],
  kind: ["technique", "equipment", null],
  level: ["national", "provincial", null],
  enterprise: ["中车洛阳", "国网许昌", "中航工业", "河南能源", null],
};

function randomDoc(random: () => number, id: string): Doc {
  const pick = <T>(xs: T[]) => xs[Math.floor(random() * xs.length)];
  const words = WORDS.filter(() => random() < 0.5);
  return { id, words: words.length ? words : [WORDS[0]], facets: Object.fromEntries(FACETS.map((f) => [f, pick(VALUES[f])])) };
}

const upsert = (index: MemoryIndex, d: Doc) => index.upsert({ id: d.id, title: d.id, date: 0, terms: new Map(d.words.map((w) => [w, 1])), facets: d.facets });

/** The page's facet lists counted by hand: by count, then value; a facet ignores its own filter. */
function expectedFacets(docs: Iterable<Doc>, word: string | null, filters: Partial<Record<FacetName, string>>) {
  const matches = [...docs].filter((d) => word === null || d.words.includes(word));
  const passes = (d: Doc, except?: FacetName) => FACETS.every((f) => f === except || filters[f] === undefined || d.facets[f] === filters[f]);
  const facets = Object.fromEntries(
    FACETS.map((f) => {
      const counts = new Map<string, number>();
      for (const d of matches) {
        const v = d.facets[f];
        if (v && passes(d, f)) counts.set(v, (counts.get(v) ?? 0) + 1);
      }
      const list = [...counts].map(([value, count]) => ({ value, count }));
      list.sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : 1));
      return [f, list];
    }),
  );
  return { total: matches.filter((d) => passes(d)).length, facets };
}

describe("facet counts in MemoryIndex", () => {
  test("after removals and updates, every count equals a count over the documents left", () => {
    const random = rng(42);
    const index = new MemoryIndex();
    const live = new Map<string, Doc>();
    for (let i = 0; i < 400; i++) {
      const d = randomDoc(random, `d${i}`);
      upsert(index, d);
      live.set(d.id, d);
    }
    // removals and new versions under other facet values (fewer than would compact it)
    for (let step = 0; step < 300; step++) {
      const id = `d${Math.floor(random() * 450)}`;
      if (random() < 0.4) {
        index.remove(id);
        live.delete(id);
      } else {
        const d = randomDoc(random, id);
        upsert(index, d);
        live.set(id, d);
      }
    }
    expect(index.size).toBe(live.size);
    const filterSets: Partial<Record<FacetName, string>>[] = [
      {},
      { industry: "power-grid" },
      { enterprise: "中车洛阳" },
      { type: "result", level: "national" },
      { industry: "aviation", kind: "equipment", enterprise: "中航工业" },
      { industry: "no-such-industry" },
    ];
    for (const word of [null, ...WORDS]) {
      for (const filters of filterSets) {
        const groups: QueryGroup[] = word ? [{ word, alternatives: [{ terms: [word], weight: 1, literal: true }] }] : [];
        const res = index.search({ groups, phrase: word ?? "", filters, sort: "relevance", offset: 0, limit: 1000 });
        const expected = expectedFacets(live.values(), word, filters);
        const label = `${word} ${JSON.stringify(filters)}`;
        expect(res.total, label).toBe(expected.total);
        expect(res.facets, label).toEqual(expected.facets);
        // the hits are the documents that pass every filter
        for (const id of res.ids) for (const [f, v] of Object.entries(filters)) expect(live.get(id)!.facets[f as FacetName], label).toBe(v);
      }
    }
  });

  test(`a facet lists its ${MAX_FACET_VALUES} most frequent values, ties in order of the value`, () => {
    const index = new MemoryIndex();
    const live: Doc[] = [];
    // enterprise e000 … e149; e000–e009 in three documents each, the others in one
    for (let e = 0; e < 150; e++) {
      for (let k = 0; k < (e < 10 ? 3 : 1); k++) {
        const d: Doc = { id: `d${e}-${k}`, words: ["焊接"], facets: { type: "studio", enterprise: `e${String(149 - e).padStart(3, "0")}` } };
        upsert(index, d);
        live.push(d);
      }
    }
    const res = index.search({ groups: [], phrase: "", filters: {}, sort: "date", offset: 0, limit: 10 });
    expect(res.facets.enterprise).toHaveLength(MAX_FACET_VALUES);
    expect(res.facets.enterprise).toEqual(expectedFacets(live, null, {}).facets.enterprise.slice(0, MAX_FACET_VALUES));
    expect(res.facets.enterprise[0]).toEqual({ value: "e140", count: 3 });
    expect(res.facets.enterprise[10]).toEqual({ value: "e000", count: 1 });
    expect(res.facets.type).toEqual([{ value: "studio", count: 170 }]);
  });
});
