// Synonym groups reach Meilisearch's `synonyms` setting through the outbox: the change and its
// outbox row commit together, delivery pushes the setting (against the msw Meilisearch mock), a
// Meilisearch outage keeps the row for retry without holding back the change, and a new index gets
// the site's groups with its other settings.
import { setupServer } from "msw/node";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { createSynonymGroup, deleteSynonymGroup } from "~/models/synonym.server";
import { db } from "~/utils/db.server";
import { getUser } from "~/utils/session.server";
import { MEILI_SETTINGS, MeilisearchEngine } from "../../search/meilisearch.server";
import { drainOutbox } from "../../search/outbox.server";
import { setOutboxEnabled, writeDocument } from "../../app/models/search/sync.server";
import { SYNONYMS_CHANGE } from "../../search/synonyms";
import { CONTRACT_DOCS } from "../fixtures/search-documents";
import { deliverAll, uniqueIndexUid } from "../fixtures/search-harness";
import { createMeilisearchMock, MOCK_MEILI_HOST } from "../mocks/meilisearch";
import { createUser, getRequest, sessionCookie } from "../setup/auth";

const mock = createMeilisearchMock();
const server = setupServer(...mock.handlers);
let engine: MeilisearchEngine;
let admin: NonNullable<Awaited<ReturnType<typeof getUser>>>;

beforeAll(async () => {
  server.listen({ onUnhandledRequest: "error" });
  setOutboxEnabled(true);
  const u = await createUser({ role: "admin" });
  admin = (await getUser(getRequest("/", await sessionCookie(u.id))))!;
});
afterAll(() => {
  server.close();
  setOutboxEnabled(false);
});

beforeEach(async () => {
  mock.reset();
  await db.synonymGroup.deleteMany();
  await db.searchOutbox.deleteMany();
  engine = new MeilisearchEngine({ host: MOCK_MEILI_HOST, indexUid: uniqueIndexUid("synonyms") }, db);
  await db.$transaction(async (tx) => {
    for (const d of CONTRACT_DOCS) await writeDocument(tx, d);
  });
  await deliverAll(db, engine);
  mock.state.requests.length = 0;
});

const settingsPatches = () => mock.state.requests.filter((r) => r.method === "PATCH" && r.path === `/indexes/${engine.indexUid}/settings`);
const found = async (q: string) => (await engine.search({ q })).hits.map((h) => `${h.type}:${h.slug}`);

describe("Meilisearch's synonyms follow the site's groups", () => {
  test("a new group is queued in the same transaction, pushed on delivery, and changes Meilisearch's answers", async () => {
    expect(await found("settlement")).toEqual([]);
    const out = await createSynonymGroup(admin, "沉降、settlement");
    expect(out.ok).toBe(true);
    expect(await db.searchOutbox.findMany({ select: { op: true, docId: true } })).toEqual([{ op: "settings", docId: SYNONYMS_CHANGE }]);

    await deliverAll(db, engine);
    const [patch] = settingsPatches();
    expect(Object.keys(patch.body as object)).toEqual(["synonyms"]);
    const pushed = (patch.body as { synonyms: Record<string, string[]> }).synonyms;
    expect(pushed.settlement).toEqual(["沉降"]);
    expect(pushed["沉降"]).toEqual(["settlement"]);
    expect(pushed["仿真"]).toEqual(MEILI_SETTINGS.synonyms["仿真"]); // the shipped groups stay
    expect(mock.index(engine.indexUid)!.settings.synonyms.settlement).toEqual(["沉降"]);
    expect(await found("settlement")).toEqual(["need:tunnel-monitoring"]);
    expect(await db.searchOutbox.count()).toBe(0);

    // removed: pushed again without it
    if (!out.ok || !out.group) throw new Error("expected a group");
    await deleteSynonymGroup(admin, out.group.id);
    await deliverAll(db, engine);
    expect(mock.index(engine.indexUid)!.settings.synonyms).toEqual(MEILI_SETTINGS.synonyms);
    expect(await found("settlement")).toEqual([]);
  });

  test("with Meilisearch down the group is still saved; the setting is pushed once it is back", async () => {
    mock.setDown(true);
    const out = await createSynonymGroup(admin, "沉降、settlement");
    expect(out.ok).toBe(true);
    expect(await db.synonymGroup.count()).toBe(1);
    const report = await drainOutbox(db, engine);
    expect(report).toMatchObject({ delivered: 0, failed: 1, pending: 1 });
    expect(await db.searchOutbox.findFirstOrThrow()).toMatchObject({ op: "settings", attempts: 1, lastError: expect.any(String) });

    mock.setDown(false);
    await deliverAll(db, engine);
    expect(mock.index(engine.indexUid)!.settings.synonyms.settlement).toEqual(["沉降"]);
    expect(await found("settlement")).toEqual(["need:tunnel-monitoring"]);
  });

  test("a new index gets the site's groups with the settings in code", async () => {
    await createSynonymGroup(admin, "沉降、settlement");
    const fresh = new MeilisearchEngine({ host: MOCK_MEILI_HOST, indexUid: uniqueIndexUid("fresh") }, db);
    await fresh.ensureIndex();
    const settings = mock.index(fresh.indexUid)!.settings;
    expect(settings.synonyms.settlement).toEqual(["沉降"]);
    expect(settings.rankingRules).toEqual(MEILI_SETTINGS.rankingRules);
  });
});
