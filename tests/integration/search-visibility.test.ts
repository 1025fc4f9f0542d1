// Meilisearch is fed by the outbox and can be behind the database. A result made alliance-only a
// moment ago is still in its index until the outbox delivers the delete; the site's search
// (app/models/search.server.ts) checks the hits against the database with the visibility rule, so
// it is not shown, not suggested and not counted. Against the msw Meilisearch (tests/mocks).
import { setupServer } from "msw/node";
import { afterAll, beforeAll, expect, test, vi } from "vitest";
import { createMeilisearchMock, MOCK_MEILI_HOST } from "../mocks/meilisearch";

const mock = createMeilisearchMock();
const server = setupServer(...mock.handlers);
const SLUG = "gas-station-inspection-robot";
const TITLE = "燃气场站智能巡检机器人";
const Q = "燃气场站巡检机器人";

type App = {
  db: typeof import("~/utils/db.server").db;
  search: typeof import("~/models/search.server");
  rawEngine: import("../../search/engine").SearchEngine;
  apiSearch: typeof import("~/routes/api.search");
  apiSuggest: typeof import("~/routes/api.suggest");
};
let app: App;

beforeAll(async () => {
  server.listen({ onUnhandledRequest: "error" });
  process.env.MEILI_HOST = MOCK_MEILI_HOST;
  globalThis.__searchEngine = undefined;
  vi.resetModules();
  const search = await import("~/models/search.server");
  const { importContent } = await import("~/models/content-import.server");
  const { db } = await import("~/utils/db.server");
  const rawEngine = (await import("../../app/models/search/engine.server")).getSearchEngine();
  const report = await importContent(db, "content");
  if (!report.ok) throw new Error(JSON.stringify(report.problems));
  const worker = globalThis.__searchOutboxWorker!;
  await worker.drain();
  // from here on the outbox is behind: nothing more reaches Meilisearch
  worker.stop();
  app = { db, search, rawEngine, apiSearch: await import("~/routes/api.search"), apiSuggest: await import("~/routes/api.suggest") };
});
afterAll(async () => {
  globalThis.__searchOutboxWorker?.stop();
  globalThis.__searchOutboxWorker = undefined;
  globalThis.__searchEngine = undefined;
  globalThis.__checkedSearchEngine = undefined;
  delete process.env.MEILI_HOST;
  server.close();
});

const slugs = (r: { hits: { type: string; slug: string }[] }) => r.hits.filter((h) => h.type === "result").map((h) => h.slug);
const count = (facet: { value: string; count: number }[] | undefined, value: string) => facet?.find((c) => c.value === value)?.count ?? 0;

test("a result made alliance-only while the outbox is behind is neither shown, counted nor suggested", async () => {
  const { db, search, rawEngine } = app;
  const before = await search.getSearchEngine().search({ q: Q });
  expect(before.engine).toBe("meilisearch");
  expect(slugs(before)).toContain(SLUG);

  const { indexRecord } = await import("../../app/models/search/sync.server");
  await db.$transaction(async (tx) => {
    await tx.result.update({ where: { slug: SLUG }, data: { visibility: "alliance" } });
    await indexRecord(tx, "result", SLUG);
  });
  expect(await db.searchOutbox.count()).toBeGreaterThan(0);

  // Meilisearch itself still has it: this is the window the check closes
  const stale = await rawEngine.search({ q: Q });
  expect(stale.engine).toBe("meilisearch");
  expect(slugs(stale)).toContain(SLUG);
  expect((await rawEngine.suggest("燃气场站", 8)).map((s) => s.title)).toContain(TITLE);

  const after = await search.getSearchEngine().search({ q: Q });
  expect(slugs(after)).not.toContain(SLUG);
  expect(after.hits.map((h) => h.title)).not.toContain(TITLE);
  expect(after.total).toBe(stale.total - 1);
  expect(count(after.facets.type, "result")).toBe(count(stale.facets.type, "result") - 1);
  expect(count(after.facets.kind, "equipment")).toBe(count(stale.facets.kind, "equipment") - 1);
  expect(slugs(after)).toEqual(slugs(stale).filter((s) => s !== SLUG)); // the other hits stay, in order

  expect((await search.getSearchEngine().suggest("燃气场站", 8)).map((s) => s.title)).not.toContain(TITLE);
});

test("the JSON API answers the same: the hidden result is not in /api/search or /api/suggest", async () => {
  const { apiSearch, apiSuggest } = app;
  const res = (await apiSearch.loader({ request: new Request(`http://localhost/api/search?q=${encodeURIComponent(Q)}`), params: {}, context: {} })) as Response;
  const body = await res.text();
  expect(res.status).toBe(200);
  expect(body).not.toContain(TITLE);
  const sug = (await apiSuggest.loader({ request: new Request(`http://localhost/api/suggest?q=${encodeURIComponent("燃气场站")}`), params: {}, context: {} })) as Response;
  expect(await sug.text()).not.toContain(TITLE);
});

test("once it is public again, Meilisearch's hit is shown again", async () => {
  const { db, search } = app;
  await db.result.update({ where: { slug: SLUG }, data: { visibility: "public" } });
  expect(slugs(await search.getSearchEngine().search({ q: Q }))).toContain(SLUG);
});
