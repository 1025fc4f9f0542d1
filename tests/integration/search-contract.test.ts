// One contract, both engines: the same documents written the way the application writes them, the
// same queries, the same expected hits and facet shapes. The Meilisearch engine runs against msw
// handlers that follow Meilisearch's HTTP API (tests/mocks/meilisearch.ts) — or, when MEILI_HOST is
// set, against that real server instead:
//
//   MEILI_HOST=http://127.0.0.1:7700 MEILI_API_KEY=… npx vitest run tests/integration/search-contract.test.ts
import { setupServer } from "msw/node";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { FACETS, type FacetCount, type FacetName, type SearchQuery, type SearchResponse } from "../../search/engine";
import { CONTRACT_DOCS, EXTRA_DOC, ODD_ENTERPRISE } from "../fixtures/search-documents";
import { embeddedHarness, meilisearchHarness, type SearchHarness } from "../fixtures/search-harness";
import { createMeilisearchMock, MOCK_MEILI_HOST } from "../mocks/meilisearch";

const REAL_HOST = process.env.MEILI_HOST;
const mock = createMeilisearchMock();
const server = REAL_HOST ? null : setupServer(...mock.handlers);

const ENGINES = [
  { label: "embedded", make: () => embeddedHarness() },
  {
    label: REAL_HOST ? `meilisearch at ${REAL_HOST}` : "meilisearch (msw mock of its HTTP API)",
    make: () => meilisearchHarness(REAL_HOST ?? MOCK_MEILI_HOST, process.env.MEILI_API_KEY),
  },
];

const harnesses = new Map<string, SearchHarness>();

beforeAll(async () => {
  server?.listen({ onUnhandledRequest: "error" });
  for (const e of ENGINES) {
    const h = e.make();
    await h.write(CONTRACT_DOCS);
    await h.settle();
    harnesses.set(e.label, h);
  }
});

afterAll(async () => {
  for (const h of harnesses.values()) await h.close();
  server?.close();
});

const slugs = (r: SearchResponse) => r.hits.map((h) => h.slug);
const sortedSlugs = (r: SearchResponse) => slugs(r).sort();
const counts = (entries: [string, number][]): FacetCount[] =>
  entries.map(([value, count]) => ({ value, count })).sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
const docBySlug = (slug: string) => [...CONTRACT_DOCS, EXTRA_DOC].find((d) => d.slug === slug)!;

describe.each(ENGINES)("search contract: $label", ({ label }) => {
  const h = () => harnesses.get(label)!;
  const search = (q: string, more: Partial<SearchQuery> = {}) => h().engine.search({ q, ...more });

  test("a two-character Chinese word finds its documents, and only those", async () => {
    const r = await search("仿真");
    expect(r.total).toBe(3);
    expect(sortedSlugs(r)).toEqual(["substation-sim", "train-sim", "welding-studio"]);
    expect(r.query).toBe("仿真");
    expect(r.page).toBe(1);
    expect(r.perPage).toBe(10);
    expect(typeof r.tookMs).toBe("number");
  });

  test("a two-character word inside a longer word is found (工程 in 在建工程)", async () => {
    const r = await search("工程");
    expect(slugs(r)).toEqual(["tunnel-monitoring"]);
  });

  test("filters by type", async () => {
    expect(slugs(await search("仿真", { filters: { type: "result" } }))).toEqual(["train-sim"]);
    expect(slugs(await search("仿真", { filters: { type: "studio" } }))).toEqual(["welding-studio"]);
    expect((await search("仿真", { filters: { type: "need" } })).total).toBe(0);
  });

  test("filters by industry, and filters combine", async () => {
    expect(slugs(await search("仿真", { filters: { industry: "rail-transit" } }))).toEqual(["train-sim"]);
    const both = await search("", { filters: { type: "result", industry: "rail-transit" } });
    expect(both.total).toBe(2);
    expect(sortedSlugs(both)).toEqual(["timetable", "train-sim"]);
  });

  test("a filter value with quotes and a backslash is matched exactly", async () => {
    const r = await search("", { filters: { enterprise: ODD_ENTERPRISE } });
    expect(slugs(r)).toEqual(["welding-studio"]);
    expect(r.facets.enterprise).toContainEqual({ value: ODD_ENTERPRISE, count: 1 });
  });

  test("facets count every dimension over the matches", async () => {
    const r = await search("仿真");
    expect(Object.keys(r.facets).sort()).toEqual([...FACETS].sort());
    expect(r.facets).toEqual({
      type: counts([
        ["result", 1],
        ["patent", 1],
        ["studio", 1],
      ]),
      industry: counts([
        ["rail-transit", 1],
        ["power-grid", 1],
        ["equipment-manufacturing", 1],
      ]),
      kind: counts([["software", 1]]),
      level: counts([
        ["municipal", 1],
        ["provincial", 1],
        ["national", 1],
      ]),
      enterprise: counts([
        ["郑州地铁集团", 1],
        ["国网郑州供电公司", 1],
        [ODD_ENTERPRISE, 1],
      ]),
    } satisfies Record<FacetName, FacetCount[]>);
    const all = await search("");
    expect(all.facets.type).toEqual(
      counts([
        ["result", 3],
        ["patent", 1],
        ["need", 1],
        ["studio", 1],
      ]),
    );
    expect(all.facets.enterprise[0]).toEqual({ value: "郑州地铁集团", count: 2 });
  });

  test("facets respect the filters; a dimension's own filter leaves its other values visible", async () => {
    const r = await search("仿真", { filters: { type: "result" } });
    expect(r.facets).toEqual({
      type: counts([
        ["result", 1],
        ["patent", 1],
        ["studio", 1],
      ]),
      industry: counts([["rail-transit", 1]]),
      kind: counts([["software", 1]]),
      level: counts([["municipal", 1]]),
      enterprise: counts([["郑州地铁集团", 1]]),
    });
    const two = await search("", { filters: { type: "result", industry: "rail-transit" } });
    expect(two.facets.type).toEqual(counts([["result", 2]]));
    expect(two.facets.industry).toEqual(
      counts([
        ["rail-transit", 2],
        ["information-technology", 1],
      ]),
    );
  });

  test("sorts by date, newest first", async () => {
    expect(slugs(await search("仿真", { sort: "date" }))).toEqual(["train-sim", "substation-sim", "welding-studio"]);
  });

  test("an empty query lists everything newest first, in pages", async () => {
    const p1 = await search("", { perPage: 2 });
    expect(p1.total).toBe(6);
    expect(slugs(p1)).toEqual(["tunnel-monitoring", "train-sim"]);
    const p2 = await search("", { perPage: 2, page: 2 });
    expect(p2.page).toBe(2);
    expect(p2.perPage).toBe(2);
    expect(slugs(p2)).toEqual(["substation-sim", "timetable"]);
    const p3 = await search("", { perPage: 2, page: 3 });
    expect(slugs(p3)).toEqual(["scanner", "welding-studio"]);
    const beyond = await search("", { perPage: 2, page: 4 });
    expect(beyond.total).toBe(6);
    expect(beyond.hits).toEqual([]);
  });

  test("hits carry the record's fields and a marked title and snippet", async () => {
    const r = await search("仿真", { filters: { type: "result" } });
    const d = docBySlug("train-sim");
    expect(r.hits[0]).toEqual({
      type: "result",
      slug: "train-sim",
      title: d.title,
      url: d.url,
      studio: d.studio,
      enterprise: d.enterprise,
      illustrative: false,
      date: d.date,
      titleHtml: "列车驾驶<mark>仿真</mark>平台",
      snippet: expect.stringContaining("<mark>仿真</mark>"),
      missingWords: [],
    });
    const need = (await search("工程")).hits[0];
    expect(need.studio).toBeNull();
    expect(need.type).toBe("need");
  });

  test("snippets and titles mark matches and escape everything else", async () => {
    const r = await search("转义");
    expect(slugs(r)).toEqual(["scanner"]);
    const hit = r.hits[0];
    expect(hit.snippet).toContain("<mark>转义</mark>");
    expect(hit.snippet).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;");
    expect(hit.snippet).not.toMatch(/<(?!\/?mark>)/);
    expect(hit.titleHtml).toContain("&lt;img src=x onerror=alert(1)&gt;");
    expect(hit.titleHtml).not.toMatch(/<(?!\/?mark>)/);
    expect(hit.illustrative).toBe(true);
    const byTitle = await search("漏洞");
    expect(byTitle.hits[0].titleHtml).toMatch(/^<mark>漏洞<\/mark>/);
  });

  test("Latin words: typo tolerance and prefixes", async () => {
    expect(slugs(await search("simulater"))).toEqual(["train-sim"]);
    expect(slugs(await search("SOFTWARE", { sort: "date" }))).toEqual(["train-sim", "timetable"]);
    const s = await h().engine.suggest("simul");
    expect(s.map((x) => x.url)).toContain("/results/train-sim");
  });

  test("suggestions as you type", async () => {
    const s = await h().engine.suggest("列车");
    expect(s[0]).toEqual({ type: "result", title: "列车驾驶仿真平台", url: "/results/train-sim" });
    expect(await h().engine.suggest("  ")).toEqual([]);
  });

  test("an unknown query finds nothing", async () => {
    const r = await search("量子纠缠");
    expect(r.total).toBe(0);
    expect(r.hits).toEqual([]);
    expect(r.facets).toEqual({ type: [], industry: [], kind: [], level: [], enterprise: [] });
  });

  test("partial matches: a document holding the rarer words is found when none holds them all, and says which word it lacks", async () => {
    // timetable holds 时刻表, 排版 and 软件, not 仿真; train-sim holds only 软件 and 仿真, the common ones
    const r = await search("时刻表 排版 软件 仿真");
    // (the embedded engine keeps, below it, documents holding less of a long query — LONG_QUERY_COVERAGE;
    // Meilisearch's "frequency" strategy keeps only those holding the rarest words)
    expect(slugs(r)[0]).toBe("timetable");
    expect(r.partial).toBe(true);
    expect(r.hits[0].missingWords).toEqual(["仿真"]);
    for (const h of r.hits.slice(1)) expect(h.missingWords!.length).toBeGreaterThan(1);
    const full = await search("时刻表 排版");
    expect(slugs(full)).toEqual(["timetable"]);
    expect(full.partial).toBe(false);
  });

  test("a partial match holding the rarer words ranks first; one holding only common words ranks below, lacking more", async () => {
    // substation-sim holds 仿真, 训练 and 巡检 but not 列车; train-sim holds 列车 and 仿真 only
    const r = await search("仿真 训练 巡检 列车");
    expect(slugs(r)[0]).toBe("substation-sim");
    expect(r.partial).toBe(true);
    expect(r.hits[0].missingWords).toEqual(["列车"]);
    for (const h of r.hits.slice(1)) expect(h.missingWords!.length).toBeGreaterThan(1);
  });

  test("a query whose rarest word no document holds still finds nothing", async () => {
    const r = await search("量子纠缠 仿真");
    expect(r.total).toBe(0);
    expect(r.hits).toEqual([]);
  });

  test("health counts the documents", async () => {
    const health = await h().engine.health();
    expect(health.status).toBe("ok");
    expect(health.documents).toBe(6);
  });

  test("a new document is found once written; a removed one disappears", async () => {
    await h().write([EXTRA_DOC]);
    await h().settle();
    expect(slugs(await search("盾构"))).toEqual(["shield-repair"]);
    expect((await search("")).total).toBe(7);

    await h().write([{ ...EXTRA_DOC, title: "刀盘快速修复工艺", keywords: "工艺 process" }]);
    await h().settle();
    expect((await search("刀盘")).hits[0].title).toBe("刀盘快速修复工艺");

    await h().remove(EXTRA_DOC.id);
    await h().settle();
    expect((await search("刀盘")).total).toBe(0);
    expect((await search("")).total).toBe(6);
  });
});

describe("both engines give the same answers", () => {
  const QUERIES: SearchQuery[] = [
    { q: "仿真" },
    { q: "仿真", filters: { type: "result" } },
    { q: "", filters: { industry: "rail-transit" } },
    { q: "", perPage: 4, page: 2 },
    { q: "排版" },
    { q: "仿真", sort: "date" },
    { q: "量子纠缠" },
  ];
  test.each(QUERIES)("%j", async (query) => {
    const [a, b] = await Promise.all(ENGINES.map((e) => harnesses.get(e.label)!.engine.search(query)));
    const shape = (r: SearchResponse) => ({
      total: r.total,
      page: r.page,
      perPage: r.perPage,
      facets: r.facets,
      hits: r.hits.map(({ snippet: _s, titleHtml: _t, ...rest }) => rest).sort((x, y) => x.slug.localeCompare(y.slug)),
    });
    expect(shape(b)).toEqual(shape(a));
    if (query.sort === "date" || !query.q) expect(slugs(b)).toEqual(slugs(a));
  });
});
