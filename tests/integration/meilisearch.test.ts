// The Meilisearch side beyond the shared contract: settings, request shapes, errors surfaced, the
// outbox (retry and back-off on failed tasks and on a down server), the fallback to the embedded
// engine, /api/health, and the reindex into a fresh index with a swap. Against the msw handlers in
// tests/mocks/meilisearch.ts, which follow Meilisearch's HTTP API.
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test, vi } from "vitest";
import type { Db } from "~/utils/db.server";
import * as apiHealth from "~/routes/api.health";
import { EmbeddedEngine } from "../../search/embedded.server";
import { FallbackEngine } from "../../search/fallback.server";
import { MeiliError, runTask } from "../../search/meili-errors";
import { MEILI_SETTINGS, MeilisearchEngine, meiliId } from "../../search/meilisearch.server";
import { reindexMeilisearch } from "../../search/meilisearch-reindex.server";
import { BACKOFF_MAX_MS, backoffMs, drainOutbox, startOutboxWorker } from "../../search/outbox.server";
import { removeDocument, setOutboxEnabled, writeDocument } from "../../app/models/search/sync.server";
import { CONTRACT_DOCS, EXTRA_DOC } from "../fixtures/search-documents";
import { deliverAll, uniqueIndexUid } from "../fixtures/search-harness";
import { createMeilisearchMock, MOCK_MEILI_HOST } from "../mocks/meilisearch";
import { freshDb } from "../setup/db";
import { createUser, getRequest, sessionCookie } from "../setup/auth";

const mock = createMeilisearchMock();
const server = setupServer(...mock.handlers);
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterAll(() => server.close());

let db: Db;
let file: string;
let engine: MeilisearchEngine;
beforeEach(() => {
  mock.reset();
  setOutboxEnabled(true);
  ({ db, file } = freshDb());
  engine = new MeilisearchEngine({ host: MOCK_MEILI_HOST, indexUid: uniqueIndexUid("hub") }, db);
});
afterEach(async () => {
  await db.$disconnect();
});

async function write(...docs: typeof CONTRACT_DOCS) {
  await db.$transaction(async (tx) => {
    for (const d of docs) await writeDocument(tx, d);
  });
}
const live = () => mock.index(engine.indexUid)!;
const requestsTo = (method: string, path: RegExp) => mock.state.requests.filter((r) => r.method === method && path.test(r.path));

describe("index settings", () => {
  test("the settings sent are the constant in code, and Meilisearch keeps them", async () => {
    await engine.ensureIndex();
    const patches = requestsTo("PATCH", new RegExp(`^/indexes/${engine.indexUid}/settings$`));
    expect(patches).toHaveLength(1);
    expect(patches[0].body).toEqual(JSON.parse(JSON.stringify(MEILI_SETTINGS)));
    const stored = await engine.index().getSettings();
    expect(stored).toMatchObject(JSON.parse(JSON.stringify(MEILI_SETTINGS)));
    expect(live().primaryKey).toBe("id");
  });

  test("the constant holds what the design asks for", () => {
    expect(MEILI_SETTINGS.searchableAttributes.slice(0, 5)).toEqual(["title", "keywords", "studio", "enterprise", "body"]);
    expect(MEILI_SETTINGS.filterableAttributes).toEqual(["type", "industry", "kind", "level", "enterprise"]);
    expect(MEILI_SETTINGS.sortableAttributes).toEqual(["date"]);
    expect([...MEILI_SETTINGS.rankingRules].sort()).toEqual(["attribute", "exactness", "proximity", "sort", "typo", "words"]);
    expect(MEILI_SETTINGS.localizedAttributes).toEqual([{ attributePatterns: ["*"], locales: ["cmn"] }]);
    expect(MEILI_SETTINGS.synonyms["仿真"]).toEqual(expect.arrayContaining(["模拟", "simulation"]));
    expect(MEILI_SETTINGS.synonyms["地铁"]).toEqual(expect.arrayContaining(["城轨", "轨道交通"]));
    expect(MEILI_SETTINGS.displayedAttributes).not.toContain("subwords");
  });

  test("ensureIndex creates the index once; later calls and other processes find it", async () => {
    expect(await engine.ensureIndex()).toEqual({ created: true });
    expect(await engine.ensureIndex()).toEqual({ created: false });
    expect(requestsTo("POST", /^\/indexes$/)).toHaveLength(1);
    const other = new MeilisearchEngine({ host: MOCK_MEILI_HOST, indexUid: engine.indexUid }, db);
    expect(await other.ensureIndex()).toEqual({ created: false });
  });
});

describe("requests and responses", () => {
  beforeEach(async () => {
    await write(...CONTRACT_DOCS);
    await deliverAll(db, engine);
    mock.state.requests.length = 0;
  });

  test("documents are stored under Meilisearch-safe ids with the original id kept", () => {
    const stored = live().docs.get("result__train-sim")!;
    expect(stored).toMatchObject({ id: "result__train-sim", docId: "result:train-sim", type: "result", slug: "train-sim" });
    expect(live().docs.get("need__tunnel-monitoring")!.subwords).toEqual(expect.any(String));
    expect(meiliId("studio:a_b.c")).toBe("studio__a_5f_b_2e_c");
    expect(meiliId("result:x-1")).toBe("result__x-1");
  });

  test("a search sends the documented parameters", async () => {
    await engine.search({ q: "仿真", sort: "date", page: 2, perPage: 5 });
    const [req] = requestsTo("POST", new RegExp(`^/indexes/${engine.indexUid}/search$`));
    expect(req.body).toMatchObject({
      q: "仿真",
      sort: ["date:desc"],
      page: 2,
      hitsPerPage: 5,
      facets: ["type", "industry", "kind", "level", "enterprise"],
      attributesToHighlight: ["title", "body"],
      highlightPreTag: "<mark>",
      highlightPostTag: "</mark>",
      attributesToCrop: ["body"],
      cropMarker: "…",
      matchingStrategy: "frequency",
    });
    expect(req.body).not.toHaveProperty("filter");
  });

  test("filters become Meilisearch filter expressions; facets of filtered dimensions come from a multi-search", async () => {
    await engine.search({ q: "仿真", filters: { type: "result", industry: "rail-transit" } });
    const [req] = requestsTo("POST", /^\/multi-search$/);
    const queries = (req.body as { queries: Record<string, unknown>[] }).queries;
    expect(queries[0]).toMatchObject({ indexUid: engine.indexUid, q: "仿真", filter: 'type = "result" AND industry = "rail-transit"' });
    expect(queries.slice(1)).toEqual([
      { indexUid: engine.indexUid, q: "仿真", filter: 'industry = "rail-transit"', facets: ["type"], limit: 0, matchingStrategy: "frequency" },
      { indexUid: engine.indexUid, q: "仿真", filter: 'type = "result"', facets: ["industry"], limit: 0, matchingStrategy: "frequency" },
    ]);
  });

  test("health reports the server, the index and the outbox", async () => {
    const h = await engine.health();
    expect(h).toMatchObject({ engine: "meilisearch", status: "ok", documents: 6 });
    expect(h.detail).toMatchObject({ index: engine.indexUid, indexExists: true, isIndexing: false, outbox: { pending: 0, failing: 0, lastError: null } });
  });
});

describe("errors are surfaced, never swallowed", () => {
  test("an error response becomes a MeiliError with Meilisearch's code and message", async () => {
    const err = await engine.search({ q: "x" }).catch((e) => e);
    expect(err).toBeInstanceOf(MeiliError);
    expect(err).toMatchObject({ kind: "api", code: "index_not_found", details: { status: 404, type: "invalid_request" } });
    expect(err.message).toContain(`Index \`${engine.indexUid}\` not found.`);
  });

  test("error bodies have Meilisearch's shape", async () => {
    const res = await fetch(`${MOCK_MEILI_HOST}/indexes/nope/search`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({
      message: "Index `nope` not found.",
      code: "index_not_found",
      type: "invalid_request",
      link: "https://docs.meilisearch.com/errors#index_not_found",
    });
  });

  test("a filter on an attribute that is not filterable is refused with invalid_search_filter", async () => {
    await engine.ensureIndex();
    const err = await engine
      .index()
      .search("", { filter: 'title = "x"' })
      .catch((e) => e);
    expect(err.cause).toMatchObject({ code: "invalid_search_filter", type: "invalid_request" });
    expect(err.cause.message).toMatch(/^Attribute `title` is not filterable\. Available filterable attribute patterns are: `type`, `industry`/);
  });

  test("a failed task throws with the task's own error message", async () => {
    await engine.ensureIndex();
    const err = await runTask(engine.index().addDocuments([{ id: "result:bad" } as never]), "adding a document").catch((e) => e);
    expect(err).toBeInstanceOf(MeiliError);
    expect(err).toMatchObject({ kind: "task", code: "invalid_document_id" });
    expect(err.message).toContain('Document identifier `"result:bad"` is invalid.');
    const bad = await runTask(engine.index().deleteDocuments({ filter: 'slug = "x"' }), "deleting by filter").catch((e) => e);
    expect(bad).toMatchObject({ kind: "task", code: "invalid_document_filter" });
    expect(bad.message).toContain("Attribute `slug` is not filterable");
  });

  test("an unreachable server is an 'unreachable' MeiliError", async () => {
    mock.setDown(true);
    const err = await engine.search({ q: "x" }).catch((e) => e);
    expect(err).toMatchObject({ kind: "unreachable", code: "unreachable" });
  });

  test("an answer of the wrong shape is refused", async () => {
    await engine.ensureIndex();
    const spy = vi.spyOn(engine.client, "multiSearch").mockResolvedValue({ results: [{ hits: "nope" }] } as never);
    const err = await engine.search({ q: "x", filters: { type: "result" } }).catch((e) => e);
    spy.mockRestore();
    expect(err).toMatchObject({ kind: "response", code: "invalid_response" });
  });
});

describe("outbox", () => {
  test("back-off doubles from 1 s and stops at 5 minutes", () => {
    expect([1, 2, 3, 4].map(backoffMs)).toEqual([1000, 2000, 4000, 8000]);
    expect(backoffMs(9)).toBe(256_000);
    expect(backoffMs(10)).toBe(BACKOFF_MAX_MS);
    expect(backoffMs(50)).toBe(BACKOFF_MAX_MS);
  });

  test("writes queue one row per change in the same transaction; delivery deletes them", async () => {
    await write(CONTRACT_DOCS[0], CONTRACT_DOCS[1]);
    const rows = await db.searchOutbox.findMany({ orderBy: { id: "asc" } });
    expect(rows.map((r) => [r.op, r.docType, r.docId, r.attempts])).toEqual([
      ["upsert", "result", "result:train-sim", 0],
      ["upsert", "patent", "patent:substation-sim", 0],
    ]);
    const report = await drainOutbox(db, engine);
    expect(report).toMatchObject({ failed: 0, pending: 0, error: null });
    expect(report.delivered).toBeGreaterThanOrEqual(2);
    expect(live().docs.size).toBe(2);

    await db.$transaction((tx) => removeDocument(tx, "patent:substation-sim"));
    expect((await db.searchOutbox.findFirstOrThrow()).op).toBe("delete");
    await drainOutbox(db, engine);
    expect([...live().docs.keys()]).toEqual(["result__train-sim"]);
  });

  test("a failed task keeps the rows with the error, retries after the back-off, then delivers", async () => {
    await engine.ensureIndex();
    await write(CONTRACT_DOCS[0]);
    mock.failTasks({
      type: "documentAdditionOrUpdate",
      times: 2,
      error: { code: "database_size_limit_reached", message: "Maximum database size has been reached.", type: "internal" },
    });

    const t0 = new Date();
    const first = await drainOutbox(db, engine, { now: t0 });
    expect(first).toMatchObject({ delivered: 0, failed: 1, pending: 1 });
    expect(first.error).toContain("Maximum database size has been reached.");
    let row = await db.searchOutbox.findFirstOrThrow();
    expect(row.attempts).toBe(1);
    expect(row.lastError).toMatch(/task \d+ \(documentAdditionOrUpdate\) failed: Maximum database size has been reached\. \(database_size_limit_reached\)/);
    expect(row.nextAttemptAt.getTime()).toBe(t0.getTime() + 1000);

    // not due yet: nothing is attempted
    const tasksBefore = mock.state.tasks.length;
    expect(await drainOutbox(db, engine, { now: new Date(t0.getTime() + 500) })).toMatchObject({ delivered: 0, failed: 0, pending: 1 });
    expect(mock.state.tasks.length).toBe(tasksBefore);

    const t1 = new Date(t0.getTime() + 1000);
    expect(await drainOutbox(db, engine, { now: t1 })).toMatchObject({ delivered: 0, failed: 1 });
    row = await db.searchOutbox.findFirstOrThrow();
    expect(row.attempts).toBe(2);
    expect(row.nextAttemptAt.getTime()).toBe(t1.getTime() + 2000);

    const t2 = new Date(t1.getTime() + 2000);
    expect(await drainOutbox(db, engine, { now: t2 })).toMatchObject({ delivered: 1, failed: 0, pending: 0, error: null });
    expect(live().docs.has("result__train-sim")).toBe(true);
  });

  test("one document Meilisearch refuses does not hold back the rest of its batch", async () => {
    await engine.ensureIndex();
    await write(...CONTRACT_DOCS.slice(0, 3));
    mock.failTasks({ documentId: "patent__substation-sim", times: 100, error: { code: "invalid_document_fields", message: "The document has a field Meilisearch cannot index." } });
    const report = await drainOutbox(db, engine);
    expect(report).toMatchObject({ delivered: 2, failed: 1, pending: 1 });
    expect([...live().docs.keys()].sort()).toEqual(["result__timetable", "result__train-sim"]);
    const stuck = await db.searchOutbox.findFirstOrThrow();
    expect(stuck).toMatchObject({ docId: "patent:substation-sim", attempts: 1 });
    expect(stuck.lastError).toContain("The document has a field Meilisearch cannot index.");
    const h = await engine.health();
    expect(h.status).toBe("degraded");
    expect(h.detail).toMatchObject({ outbox: { pending: 1, failing: 1, maxAttempts: 1, lastError: expect.stringContaining("cannot index") } });
  });

  test("while Meilisearch is down, writes succeed and the outbox keeps them; it drains when Meilisearch is back", async () => {
    mock.setDown(true);
    await write(...CONTRACT_DOCS);
    expect(await db.searchDoc.count()).toBe(6);

    const t0 = new Date();
    const r1 = await drainOutbox(db, engine, { now: t0 });
    expect(r1).toMatchObject({ delivered: 0, failed: 6, pending: 6 });
    expect(r1.error).toContain("Meilisearch is unreachable");
    const rows = await db.searchOutbox.findMany();
    expect(rows.every((r) => r.attempts === 1 && r.lastError?.includes("unreachable"))).toBe(true);

    const r2 = await drainOutbox(db, engine, { now: new Date(t0.getTime() + 1000) });
    expect(r2.failed).toBe(6);
    expect((await db.searchOutbox.findFirstOrThrow()).attempts).toBe(2);

    mock.setDown(false);
    // still backing off (2 s after the second failure)
    expect((await drainOutbox(db, engine, { now: new Date(t0.getTime() + 2000) })).delivered).toBe(0);
    const r3 = await drainOutbox(db, engine, { now: new Date(t0.getTime() + 3000) });
    expect(r3).toMatchObject({ failed: 0, pending: 0, error: null });
    expect(live().docs.size).toBe(6);
    expect((await engine.search({ q: "仿真" })).total).toBe(3);
  });

  test("the worker serialises drains and logs failure and recovery once each", async () => {
    const log = vi.fn();
    await write(CONTRACT_DOCS[0]);
    mock.setDown(true);
    const worker = startOutboxWorker(db, engine, { intervalMs: 60_000, log });
    try {
      const [a, b] = await Promise.all([worker.drain(), worker.drain()]);
      expect(a.failed + b.failed).toBe(1); // the second drain waited: the row was backing off by then
      expect(log.mock.calls.map((c) => c[0])).toEqual([
        expect.stringMatching(/^search outbox: cannot set up the Meilisearch index yet: .*unreachable/),
        expect.stringMatching(/^search outbox: delivery to Meilisearch failed, 1 change\(s\) kept for retry: .*unreachable/),
      ]);
      expect((await db.searchOutbox.findFirstOrThrow()).lastError).toContain("unreachable");
      mock.setDown(false);
      await db.searchOutbox.updateMany({ data: { nextAttemptAt: new Date(0) } });
      // the first delivery creates the index, which queues every document once more
      expect(await worker.drain()).toMatchObject({ failed: 0, pending: 0, error: null });
      expect(log).toHaveBeenCalledTimes(3);
      expect(log.mock.calls[2][0]).toMatch(/resumed/);
    } finally {
      worker.stop();
    }
  });

  test("a delivery failure after start-up is logged with the backlog", async () => {
    const log = vi.fn();
    const worker = startOutboxWorker(db, engine, { intervalMs: 60_000, log });
    try {
      await worker.drain(); // sets up the index
      await write(CONTRACT_DOCS[0], CONTRACT_DOCS[1]);
      mock.setDown(true);
      expect((await worker.drain()).failed).toBe(2);
      expect(log).toHaveBeenCalledTimes(1);
      expect(log.mock.calls[0][0]).toMatch(/^search outbox: delivery to Meilisearch failed, 2 change\(s\) kept for retry: .*unreachable/);
      await worker.drain();
      expect(log).toHaveBeenCalledTimes(1);
    } finally {
      worker.stop();
    }
  });

  test("a site that turns MEILI_HOST on fills the new index on the worker's first run", async () => {
    setOutboxEnabled(false);
    await write(...CONTRACT_DOCS); // written before Meilisearch was configured: nothing queued
    setOutboxEnabled(true);
    expect(await db.searchOutbox.count()).toBe(0);
    const log = vi.fn();
    mock.setDown(true);
    const worker = startOutboxWorker(db, engine, { intervalMs: 60_000, log });
    try {
      await worker.drain();
      expect(log).toHaveBeenCalledWith(expect.stringMatching(/cannot set up the Meilisearch index yet: .*unreachable/));
      mock.setDown(false);
      const report = await worker.drain();
      expect(report).toMatchObject({ delivered: 6, pending: 0, error: null });
      expect(live().docs.size).toBe(6);
      expect(log).toHaveBeenLastCalledWith(expect.stringMatching(/resumed/));
    } finally {
      worker.stop();
    }
  });

  test("a new (empty) live index gets every document queued", async () => {
    await write(...CONTRACT_DOCS);
    await db.searchOutbox.deleteMany({ where: { docId: { not: "result:train-sim" } } });
    await deliverAll(db, engine);
    expect(live().docs.size).toBe(6);
  });
});

describe("fallback to the embedded engine", () => {
  let embedded: EmbeddedEngine;
  beforeEach(() => {
    embedded = new EmbeddedEngine(file);
  });
  afterEach(() => embedded.close());

  test("when Meilisearch is down, search answers from the embedded engine and says so; it switches back", async () => {
    const log = vi.fn();
    const engineWithFallback = new FallbackEngine(engine, embedded, { retryAfterMs: 0, log });
    await write(...CONTRACT_DOCS);
    await deliverAll(db, engine);
    expect((await engineWithFallback.search({ q: "仿真" })).engine).toBe("meilisearch");

    mock.setDown(true);
    await write(EXTRA_DOC); // a write while Meilisearch is down succeeds
    const down = await engineWithFallback.search({ q: "盾构" });
    expect(down.engine).toBe("embedded (fallback)");
    expect(down.hits.map((h) => h.slug)).toEqual(["shield-repair"]);
    expect((await engineWithFallback.search({ q: "仿真" })).total).toBe(3);
    expect((await engineWithFallback.suggest("列车"))[0].url).toBe("/results/train-sim");
    expect(log).toHaveBeenCalledTimes(1);
    expect(log.mock.calls[0][0]).toMatch(/answering from the embedded engine: .*unreachable/);

    const health = await engineWithFallback.health();
    expect(health).toMatchObject({ engine: "meilisearch", status: "degraded", documents: 7 });
    expect(health.detail).toMatchObject({ meilisearch: { status: "down", code: "unreachable" }, answeringWith: "embedded (fallback)", outbox: { pending: 1 } });

    mock.setDown(false);
    await deliverAll(db, engine);
    const back = await engineWithFallback.search({ q: "盾构" });
    expect(back.engine).toBe("meilisearch");
    expect(back.hits.map((h) => h.slug)).toEqual(["shield-repair"]);
    expect(log.mock.calls[1][0]).toMatch(/answers again/);
  });

  test("after an outage it waits before trying Meilisearch again", async () => {
    const engineWithFallback = new FallbackEngine(engine, embedded, { retryAfterMs: 60_000, log: () => undefined });
    await write(...CONTRACT_DOCS);
    mock.setDown(true);
    expect((await engineWithFallback.search({ q: "仿真" })).engine).toBe("embedded (fallback)");
    mock.setDown(false);
    const before = mock.state.requests.length;
    expect((await engineWithFallback.search({ q: "仿真" })).engine).toBe("embedded (fallback)");
    expect(mock.state.requests.length).toBe(before);
  });

  test("a refused request also falls back, and is logged every time", async () => {
    const log = vi.fn();
    const engineWithFallback = new FallbackEngine(engine, embedded, { retryAfterMs: 0, log });
    await write(...CONTRACT_DOCS);
    await deliverAll(db, engine);
    vi.spyOn(engine, "search").mockRejectedValueOnce(new MeiliError("search: bad", "api", "invalid_search_filter", { status: 400 }));
    expect((await engineWithFallback.search({ q: "仿真" })).engine).toBe("embedded (fallback)");
    expect(log).toHaveBeenCalledWith(expect.stringContaining("refused a request"));
    expect((await engineWithFallback.search({ q: "仿真" })).engine).toBe("meilisearch");
  });

  test("no hits on Meilisearch still gets a spelling suggestion from the embedded vocabulary", async () => {
    const engineWithFallback = new FallbackEngine(engine, embedded, { retryAfterMs: 0, log: () => undefined });
    await write(...CONTRACT_DOCS);
    await deliverAll(db, engine);
    const r = await engineWithFallback.search({ q: "sofware" });
    expect(r.engine).toBe("meilisearch");
    expect(r.total).toBeGreaterThan(0); // Meilisearch is typo-tolerant itself
    const none = await engineWithFallback.search({ q: "softwarez zzzz" });
    expect(none.total).toBe(0);
    expect(none.suggestion).toBe((await embedded.search({ q: "softwarez zzzz" })).suggestion);
  });

  test("/api/health shows a site admin Meilisearch's state and the outbox backlog", async () => {
    const admin = await sessionCookie((await createUser({ role: "admin" })).id);
    const asAdmin = { request: getRequest("/api/health", admin), params: {}, context: {} };
    const engineWithFallback = new FallbackEngine(engine, embedded, { retryAfterMs: 0, log: () => undefined });
    const previous = globalThis.__searchEngine;
    globalThis.__searchEngine = engineWithFallback;
    try {
      await write(...CONTRACT_DOCS);
      await deliverAll(db, engine);
      let res = (await apiHealth.loader(asAdmin)) as Response;
      let body = await res.json();
      expect(res.status).toBe(200);
      expect(body.search).toMatchObject({ engine: "meilisearch", status: "ok", documents: 6, detail: { outbox: { pending: 0 }, indexExists: true } });

      mock.setDown(true);
      await write(EXTRA_DOC);
      res = (await apiHealth.loader(asAdmin)) as Response;
      body = await res.json();
      expect(res.status).toBe(200); // the site still works
      expect(body.search).toMatchObject({ status: "degraded", detail: { meilisearch: { status: "down" }, outbox: { pending: 1 } } });
    } finally {
      globalThis.__searchEngine = previous;
    }
  });
});

describe("full reindex into a fresh index and swap", () => {
  test("builds a fresh index with the settings, swaps it in, deletes the old one; search answers throughout", async () => {
    await write(...CONTRACT_DOCS);
    await deliverAll(db, engine);
    // an interrupted earlier reindex left an index behind
    await runTask(engine.client.createIndex(`${engine.indexUid}_123`), "creating a leftover");
    // changes not yet delivered: a new document and a removal
    await write(EXTRA_DOC);
    await db.$transaction((tx) => removeDocument(tx, "result:timetable"));
    mock.state.requests.length = 0;

    const during: { index: string; liveHits: number; indexes: string[] }[] = [];
    let midWrite = false;
    const summary = await reindexMeilisearch(db, engine, {
      batchSize: 2,
      now: () => 1_700_000_000_000,
      onProgress: async ({ index }) => {
        const r = await engine.search({ q: "排版" });
        during.push({ index, liveHits: r.total, indexes: [...mock.state.indexes.keys()].sort() });
        if (!midWrite) {
          midWrite = true; // a change committed while the rebuild runs
          await write({ ...CONTRACT_DOCS[0], title: "列车驾驶仿真平台（第二版）" });
        }
      },
    });

    const fresh = `${engine.indexUid}_1700000000000`;
    expect(summary).toMatchObject({ index: engine.indexUid, builtAs: fresh, documents: 6, batches: 3, removedStale: [`${engine.indexUid}_123`] });
    expect(summary.caughtUp).toBe(1);
    // while building, the live index still answered with its old content
    expect(during).toHaveLength(3);
    expect(during.every((d) => d.index === fresh && d.liveHits === 1 && d.indexes.includes(fresh) && d.indexes.includes(engine.indexUid))).toBe(true);

    expect(requestsTo("PATCH", new RegExp(`^/indexes/${fresh}/settings$`))[0].body).toEqual(JSON.parse(JSON.stringify(MEILI_SETTINGS)));
    expect(requestsTo("POST", new RegExp(`^/indexes/${fresh}/documents$`))).toHaveLength(3);
    expect(requestsTo("POST", /^\/swap-indexes$/)[0].body).toEqual([{ indexes: [engine.indexUid, fresh] }]);
    expect(requestsTo("DELETE", new RegExp(`^/indexes/${fresh}$`))).toHaveLength(1);
    expect([...mock.state.indexes.keys()]).toEqual([engine.indexUid]);

    expect([...live().docs.keys()].sort()).toEqual([
      "need__tunnel-monitoring",
      "patent__substation-sim",
      "result__scanner",
      "result__shield-repair",
      "result__train-sim",
      "studio__welding-studio",
    ]);
    expect(live().docs.get("result__train-sim")!.title).toBe("列车驾驶仿真平台（第二版）");
    expect(live().settings.rankingRules).toEqual(MEILI_SETTINGS.rankingRules);
    expect((await engine.search({ q: "排版" })).total).toBe(0);
    // the queued changes are part of the rebuild; only the change made during it stays queued
    expect((await db.searchOutbox.findMany()).map((r) => r.docId)).toEqual(["result:train-sim"]);
  });

  test("into a server that has no live index yet", async () => {
    await write(...CONTRACT_DOCS);
    const summary = await reindexMeilisearch(db, engine);
    expect(summary.documents).toBe(6);
    expect([...mock.state.indexes.keys()]).toEqual([engine.indexUid]);
    expect(live().docs.size).toBe(6);
    expect((await engine.search({ q: "仿真" })).total).toBe(3);
  });

  test("a failed swap leaves the live index as it was and removes the half-built one", async () => {
    await write(...CONTRACT_DOCS);
    await deliverAll(db, engine);
    mock.failTasks({ type: "indexSwap", error: { code: "internal", message: "An internal error has occurred. `swap failed`." } });
    const err = await reindexMeilisearch(db, engine).catch((e) => e);
    expect(err).toBeInstanceOf(MeiliError);
    expect(err.message).toMatch(/indexSwap\) failed: An internal error has occurred\. `swap failed`\./);
    expect([...mock.state.indexes.keys()]).toEqual([engine.indexUid]);
    expect(live().docs.size).toBe(6);
  });
});

describe("the mock follows the task flow", () => {
  test("tasks go enqueued → processing → succeeded as the client polls", async () => {
    mock.state.processingPolls = 2;
    const enqueued = await engine.client.createIndex("flow");
    expect(enqueued).toMatchObject({ status: "enqueued", type: "indexCreation", indexUid: "flow" });
    expect((await engine.client.tasks.getTask(enqueued.taskUid)).status).toBe("processing");
    const done = await engine.client.tasks.waitForTask(enqueued.taskUid, { interval: 1 });
    expect(done).toMatchObject({ status: "succeeded", error: null, type: "indexCreation" });
    const again = await engine.client.createIndex("flow").waitTask({ interval: 1 });
    expect(again).toMatchObject({ status: "failed", error: { code: "index_already_exists", message: "Index `flow` already exists.", type: "invalid_request" } });
  });

  test("API keys are required when the server has one", async () => {
    const locked = createMeilisearchMock({ host: "http://locked.test:7700", apiKey: "secret" });
    server.use(...locked.handlers);
    const anonymous = new MeilisearchEngine({ host: "http://locked.test:7700" }, db);
    expect(await anonymous.client.getRawIndexes().catch((e) => e.cause)).toMatchObject({ code: "missing_authorization_header", type: "auth" });
    const wrong = new MeilisearchEngine({ host: "http://locked.test:7700", apiKey: "nope" }, db);
    expect(await wrong.client.getRawIndexes().catch((e) => e.cause)).toMatchObject({ code: "invalid_api_key" });
    const right = new MeilisearchEngine({ host: "http://locked.test:7700", apiKey: "secret" }, db);
    expect(await right.client.getRawIndexes()).toMatchObject({ results: [], total: 0 });
    server.resetHandlers();
  });
});
