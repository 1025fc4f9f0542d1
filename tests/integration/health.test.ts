// /api/health: a short public liveness answer; the details (engine, Meilisearch host, outbox,
// errors) only for site admins; "degraded" when search is; and an answer within about 2 s when
// Meilisearch hangs. Meilisearch is the msw imitation in tests/mocks/meilisearch.ts.
import { delay, http } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { HEALTH_SEARCH_TIMEOUT_MS, loader } from "~/routes/api.health";
import type { Db } from "~/utils/db.server";
import { EmbeddedEngine } from "../../search/embedded.server";
import { FallbackEngine } from "../../search/fallback.server";
import { MeilisearchEngine } from "../../search/meilisearch.server";
import { setOutboxEnabled } from "../../app/models/search/sync.server";
import { uniqueIndexUid } from "../fixtures/search-harness";
import { createMeilisearchMock, MOCK_MEILI_HOST } from "../mocks/meilisearch";
import { createUser, getRequest, sessionCookie } from "../setup/auth";
import { freshDb } from "../setup/db";

const mock = createMeilisearchMock();
const server = setupServer(...mock.handlers);
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterAll(() => server.close());

let db: Db;
let file: string;
let previous: typeof globalThis.__searchEngine;
let adminCookie: string;
let memberCookie: string;
beforeAll(async () => {
  adminCookie = await sessionCookie((await createUser({ role: "admin" })).id);
  memberCookie = await sessionCookie((await createUser({ role: "coordinator" })).id);
});
beforeEach(() => {
  mock.reset();
  setOutboxEnabled(true);
  ({ db, file } = freshDb());
  previous = globalThis.__searchEngine;
  // Meilisearch's client keeps its own 5 s timeout: the health check must not wait for it
  const meili = new MeilisearchEngine({ host: MOCK_MEILI_HOST, indexUid: uniqueIndexUid("health"), timeoutMs: 5_000 }, db);
  globalThis.__searchEngine = new FallbackEngine(meili, new EmbeddedEngine(file), { retryAfterMs: 0, log: () => undefined });
});
afterEach(async () => {
  server.resetHandlers();
  globalThis.__searchEngine = previous;
  setOutboxEnabled(false);
  await db.$disconnect();
});

async function health(cookie?: string) {
  const started = performance.now();
  const res = await loader({ request: getRequest("/api/health", cookie), params: {}, context: {} });
  return { status: res.status, body: await res.json(), ms: performance.now() - started };
}

describe("what a visitor sees", () => {
  test("only { status }: no engine, no host, no counts, no errors", async () => {
    await (globalThis.__searchEngine as FallbackEngine).primary.ensureIndex();
    const anonymous = await health();
    expect(anonymous).toMatchObject({ status: 200, body: { status: "ok" } });
    expect(Object.keys(anonymous.body)).toEqual(["status"]);
    expect(JSON.stringify(anonymous.body)).not.toContain("meilisearch.test");
    // a signed-in user who is not a site admin sees the same
    expect((await health(memberCookie)).body).toEqual({ status: "ok" });
  });

  test("degraded while Meilisearch is down (the site still answers 200); the admin sees why", async () => {
    mock.setDown(true);
    expect(await health()).toMatchObject({ status: 200, body: { status: "degraded" } });
    const admin = await health(adminCookie);
    expect(admin.body).toMatchObject({
      status: "degraded",
      search: { engine: "meilisearch", status: "degraded", detail: { host: MOCK_MEILI_HOST, meilisearch: { status: "down" } } },
    });
  });
});

describe("a Meilisearch that hangs", () => {
  test(`is reported within about ${HEALTH_SEARCH_TIMEOUT_MS / 1000} s, as degraded`, async () => {
    server.use(
      http.all(`${MOCK_MEILI_HOST}/*`, async () => {
        await delay("infinite");
        return new Response(null);
      }),
    );
    const anonymous = await health();
    expect(anonymous.body).toEqual({ status: "degraded" });
    expect(anonymous.ms).toBeLessThan(HEALTH_SEARCH_TIMEOUT_MS + 700);
    const admin = await health(adminCookie);
    expect(admin.ms).toBeLessThan(HEALTH_SEARCH_TIMEOUT_MS + 700);
    expect(admin.body).toMatchObject({ status: "degraded", search: { status: "down", message: "the search engine did not answer within 2 s" } });
  }, 20_000);
});
