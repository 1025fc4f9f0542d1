import { describe, expect, test } from "vitest";
import { buildFilter, markedToHtml, meiliId, quoteFilterValue, subwords } from "../../search/meilisearch.server";
import { compileFilter, FilterError } from "../mocks/meilisearch";

describe("highlighted text from Meilisearch → HTML", () => {
  test("escapes everything but the highlight tags Meilisearch inserted", () => {
    expect(markedToHtml("a <b>&\"' <mark>仿真</mark> <script>x</script>")).toBe("a &lt;b&gt;&amp;&quot;&#39; <mark>仿真</mark> &lt;script&gt;x&lt;/script&gt;");
  });
  test("stray or unbalanced tags are escaped or closed, never left open", () => {
    expect(markedToHtml("x </mark> y")).toBe("x &lt;/mark&gt; y");
    expect(markedToHtml("<mark>a <mark>b</mark>")).toBe("<mark>a &lt;mark&gt;b</mark>");
    expect(markedToHtml("<mark>open")).toBe("<mark>open</mark>");
    expect(markedToHtml("")).toBe("");
  });
});

describe("filter expressions", () => {
  test("values are double-quoted with quotes and backslashes escaped", () => {
    expect(buildFilter({ type: "result", industry: "rail-transit" })).toBe('type = "result" AND industry = "rail-transit"');
    expect(buildFilter({})).toBeUndefined();
    expect(quoteFilterValue('a"b\\c')).toBe('"a\\"b\\\\c"');
  });

  test.each(['洛阳"一拖"\\装备公司', "O'Brien & Sons", "ends with \\", "AND OR NOT = ( ) [ ]", "  spaced  ", "郑州地铁集团"])(
    "%j survives the round trip through Meilisearch's filter grammar",
    (value) => {
      const filter = buildFilter({ enterprise: value, type: "studio" })!;
      const matches = compileFilter(filter);
      expect(matches({ enterprise: value, type: "studio" })).toBe(true);
      expect(matches({ enterprise: value + "x", type: "studio" })).toBe(false);
      expect(matches({ enterprise: value, type: "result" })).toBe(false);
    },
  );
});

describe("the mock's filter grammar", () => {
  const doc = { type: "result", industry: "rail-transit", year: 2021, tags: ["a", "b"], empty: "", none: null };
  test.each([
    ["type = result", true],
    ['type = "RESULT"', true], // = is case-insensitive on strings
    ["type != result", false],
    ['type = result AND industry = "power-grid"', false],
    ['type = result AND industry = "power-grid" OR year > 2020', true],
    ['type = result AND (industry = "power-grid" OR year > 2020)', true],
    ["NOT type = result", false],
    ['type IN [patent, "result"]', true],
    ["type NOT IN [patent, result]", false],
    ["year 2020 TO 2022", true],
    ["year >= 2022", false],
    ["tags = b", true],
    ["missing EXISTS", false],
    ["missing NOT EXISTS", true],
    ["none IS NULL", true],
    ["empty IS EMPTY", true],
    ["type IS NOT EMPTY", true],
  ] as const)("%s → %s", (filter, expected) => {
    expect(compileFilter(filter)(doc)).toBe(expected);
  });
  test("array form: outer AND, inner OR", () => {
    expect(compileFilter([["type = patent", "type = result"], "year = 2021"])(doc)).toBe(true);
    expect(compileFilter([["type = patent", "type = need"], "year = 2021"])(doc)).toBe(false);
  });
  test("syntax errors and unknown attributes are errors", () => {
    expect(() => compileFilter('type = "open')).toThrow(FilterError);
    expect(() => compileFilter("type result")).toThrow(/Was expecting an operation/);
    expect(() => compileFilter("type = a b")).toThrow(/unexpected characters/);
    const onlyType = (attr: string) => {
      if (attr !== "type") throw new FilterError(`Attribute \`${attr}\` is not filterable.`);
    };
    expect(() => compileFilter("title = x", onlyType)).toThrow("Attribute `title` is not filterable.");
  });
});

describe("document ids", () => {
  test("are valid Meilisearch ids and one-to-one", () => {
    const ids = ["result:metro-hmi", "result:metro_hmi", "result:metro.hmi", "studio:中文", "need:a__b", "need:a_5f_b", "patent:CN1234.5"];
    const encoded = ids.map(meiliId);
    for (const e of encoded) expect(e).toMatch(/^[A-Za-z0-9_-]{1,511}$/);
    expect(new Set(encoded).size).toBe(ids.length);
    expect(meiliId("result:metro-hmi")).toBe("result__metro-hmi");
  });
});

describe("subwords", () => {
  test("pairs inside long CJK words, never across word boundaries", () => {
    // jieba keeps 排版系统 whole: without the pairs, 排版 would not find it on Meilisearch
    expect(subwords("时刻表自动排版系统").split(" ")).toEqual(expect.arrayContaining(["时刻", "刻表", "排版", "版系", "系统"]));
    const studio = subwords("劳模创新工作室").split(" ");
    expect(studio).toEqual(["工作", "作室"]);
    expect(studio).not.toContain("新工");
    expect(subwords("PLC 改造")).toBe("");
  });
});
