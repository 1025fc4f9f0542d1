// getSearchEngine(): embedded without MEILI_HOST; with it, Meilisearch with the embedded fallback,
// the outbox switched on and its worker running. Modules are imported after the environment is set.
import { setupServer } from "msw/node";
import { afterAll, beforeAll, expect, test, vi } from "vitest";
import { CONTRACT_DOCS } from "../fixtures/search-documents";
import { createMeilisearchMock, MOCK_MEILI_HOST } from "../mocks/meilisearch";

const mock = createMeilisearchMock();
const server = setupServer(...mock.handlers);
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterAll(() => {
  globalThis.__searchOutboxWorker?.stop();
  globalThis.__searchOutboxWorker = undefined;
  globalThis.__searchEngine = undefined;
  delete process.env.MEILI_HOST;
  server.close();
});

test("without MEILI_HOST the embedded engine answers", async () => {
  delete process.env.MEILI_HOST;
  globalThis.__searchEngine = undefined;
  vi.resetModules();
  const { getSearchEngine } = await import("../../app/models/search/engine.server");
  const engine = getSearchEngine();
  expect(engine.name).toBe("embedded");
  expect(globalThis.__searchOutboxWorker).toBeUndefined();
  expect(getSearchEngine()).toBe(engine);
});

test("with MEILI_HOST: Meilisearch first, embedded as fallback, writes queued and delivered by the worker", async () => {
  process.env.MEILI_HOST = MOCK_MEILI_HOST;
  globalThis.__searchEngine = undefined;
  vi.resetModules();
  const { getSearchEngine } = await import("../../app/models/search/engine.server");
  const { FallbackEngine } = await import("../../search/fallback.server");
  const { writeDocument } = await import("../../app/models/search/sync.server");
  const { db } = await import("~/utils/db.server");

  const engine = getSearchEngine();
  expect(engine).toBeInstanceOf(FallbackEngine);
  expect(engine.name).toBe("meilisearch");
  const worker = globalThis.__searchOutboxWorker!;
  expect(worker).toBeDefined();

  await db.$transaction((tx) => writeDocument(tx, CONTRACT_DOCS[0]));
  expect(await db.searchOutbox.count()).toBe(1);
  await worker.drain();
  expect(await db.searchOutbox.count()).toBe(0);
  const r = await engine.search({ q: "仿真" });
  expect(r).toMatchObject({ engine: "meilisearch", total: 1 });

  const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
  mock.setDown(true);
  const fallback = await engine.search({ q: "仿真" });
  expect(fallback).toMatchObject({ engine: "embedded (fallback)", total: 1 });
  expect(warn).toHaveBeenCalledWith(expect.stringMatching(/^search: Meilisearch failed, answering from the embedded engine: .*unreachable/));
  warn.mockRestore();
  mock.setDown(false);
});
