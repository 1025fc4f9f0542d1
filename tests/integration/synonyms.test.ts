// Synonym groups a site admin edits at /admin/search, posted to the route's action as the browser
// posts them: the next search finds what the new word did not find before (in this process and in
// another engine instance standing for another server process), every change is in the activity
// log, bad input is refused with the field's error and nothing written, and only site admins get in.
import { beforeAll, describe, expect, test } from "vitest";
import { importContent } from "~/models/content-import.server";
import { createSynonymGroup, deleteSynonymGroup, MAX_GROUPS, parseSynonymWords, updateSynonymGroup } from "~/models/synonym.server";
import * as adminSearch from "~/routes/admin.search";
import * as apiSearch from "~/routes/api.search";
import { db } from "~/utils/db.server";
import { getEnv } from "~/utils/env.server";
import { getUser } from "~/utils/session.server";
import { EmbeddedEngine } from "../../search/embedded.server";
import { SYNONYMS_CHANGE } from "../../search/synonyms";
import { createUser, getRequest, loginRedirect, postRequest, sessionCookie, settle, type Fields } from "../setup/auth";

let admin: { id: string; session: string };

beforeAll(async () => {
  const report = await importContent(db, "content");
  if (!report.ok) throw new Error(JSON.stringify(report.problems));
  const u = await createUser({ role: "admin", name: "站点管理员" });
  admin = { id: u.id, session: await sessionCookie(u.id) };
});

async function search(q: string): Promise<string[]> {
  const out = await settle(() => apiSearch.loader({ request: getRequest(`/api/search?q=${encodeURIComponent(q)}`), params: {}, context: {} }));
  expect(out.status).toBe(200);
  return (out.data as { hits: { type: string; slug: string }[] }).hits.map((h) => `${h.type}:${h.slug}`);
}

async function post(fields: Fields, session: string | null = admin.session) {
  const request = await postRequest("/admin/search", fields, { session });
  return settle(() => adminSearch.action({ request, params: {}, context: {} }));
}

async function page(session: string | null = admin.session) {
  return settle(() => adminSearch.loader({ request: getRequest("/admin/search", session), params: {}, context: {} }));
}

async function siteGroups() {
  const out = await page();
  return (out.data as { groups: { id: string; words: string[] }[] }).groups;
}

/** Everything a refused or invalid post might have written. */
const written = async () => ({
  groups: await db.synonymGroup.findMany({ orderBy: { id: "asc" } }),
  activities: await db.activity.count(),
  changes: await db.searchChange.count(),
  outbox: await db.searchOutbox.count(),
});

const WHEELSET = ["patent:metro-wheelset-laser-detection-device", "result:metro-wheelset-laser-measuring-device", "studio:metro-vehicle-maintenance"];

describe("a synonym group added on the page changes the next search", () => {
  test("wheelset finds nothing; after adding 轮对, wheelset it finds the wheelset work; editing and removing the group take effect at once", async () => {
    expect(await search("wheelset")).toEqual([]);
    // another server process: an engine of its own on the same database, already warm
    const other = new EmbeddedEngine(getEnv().databaseFile);
    expect((await other.search({ q: "wheelset" })).total).toBe(0);

    const created = await post({ intent: "create", words: "轮对, wheelset" });
    const group = await db.synonymGroup.findFirstOrThrow({ orderBy: { createdAt: "desc" } });
    expect(created).toMatchObject({ status: 302, location: `/admin/search?done=created&group=${group.id}` });
    expect(JSON.parse(group.words)).toEqual(["轮对", "wheelset"]);
    expect((await search("wheelset")).sort()).toEqual(WHEELSET);
    expect((await other.search({ q: "wheelset", perPage: 50 })).hits.map((h) => `${h.type}:${h.slug}`).sort()).toEqual(WHEELSET);
    expect(await siteGroups()).toEqual([expect.objectContaining({ id: group.id, words: ["轮对", "wheelset"] })]);

    // edited: the group no longer holds wheelset, so wheelset finds nothing again
    const updated = await post({ intent: "update", id: group.id, words: "轮对 wheel-set" });
    expect(updated).toMatchObject({ status: 302, location: `/admin/search?done=updated&group=${group.id}` });
    expect(await search("wheelset")).toEqual([]);
    expect((await search("wheel-set")).sort()).toEqual(WHEELSET);
    expect((await other.search({ q: "wheelset" })).total).toBe(0);

    const removed = await post({ intent: "delete", id: group.id });
    expect(removed).toMatchObject({ status: 302, location: "/admin/search?done=deleted" });
    expect(await db.synonymGroup.count()).toBe(0);
    expect(await search("wheel-set")).toEqual([]);
    expect((await other.search({ q: "wheel-set" })).total).toBe(0);
    other.close();

    // every change in the activity log, by the admin, in order
    const log = await db.activity.findMany({ where: { subjectId: group.id }, orderBy: { createdAt: "asc" } });
    expect(log.map((a) => [a.verb, a.actorId, a.subjectType, a.summary])).toEqual([
      ["synonyms.created", admin.id, "synonymGroup", "轮对 / wheelset"],
      ["synonyms.updated", admin.id, "synonymGroup", "轮对 / wheelset → 轮对 / wheel-set"],
      ["synonyms.deleted", admin.id, "synonymGroup", "轮对 / wheel-set"],
    ]);
    // and each one told the engines (the search change log) in the same transaction
    expect(await db.searchChange.count({ where: { docId: SYNONYMS_CHANGE } })).toBe(3);
    const recent = ((await page()).data as { changes: { verb: string; by: string }[] }).changes;
    expect(recent.map((c) => c.verb)).toEqual(["synonyms.deleted", "synonyms.updated", "synonyms.created"]);
    expect(recent[0].by).toBe("站点管理员");
  });

  test("the page shows the shipped groups, read-only, beside the site's own", async () => {
    const data = (await page()).data as { shipped: string[][] };
    expect(data.shipped).toContainEqual(["变电站", "变电所", "substation"]);
    expect(data.shipped.length).toBeGreaterThan(20);
  });
});

describe("bad input gets the field's error, keeps what was typed, and writes nothing", () => {
  const cases: [string, string, string, string | null][] = [
    ["an empty group", "  ，、 ", "synonyms.error.empty", null],
    ["a group of one word", "检漏", "synonyms.error.oneWord", "检漏"],
    ["a word over 40 characters", `检漏、${"气".repeat(41)}`, "synonyms.error.tooLong", `${"气".repeat(12)}…`],
    ["the same word twice (case and width folded)", "PLC、可编程控制器、ｐｌｃ", "synonyms.error.duplicate", "ｐｌｃ"],
    ["a control character", "检漏、泄漏\u0007检测", "synonyms.error.control", "泄漏�检测"],
    ["more than 20 words", Array.from({ length: 21 }, (_, i) => `词${i}`).join("、"), "synonyms.error.tooManyWords", null],
  ];
  test.each(cases)("%s", async (_, words, key, word) => {
    const before = await written();
    const out = await post({ intent: "create", words });
    expect(out).toMatchObject({ status: 400, data: { intent: "create", errors: { words: key }, word, values: { words } } });
    expect(await written()).toEqual(before);
  });

  test("an edit with bad words leaves the group as it was, with the error on that group's row", async () => {
    const ok = await createSynonymGroup((await getUser(getRequest("/", admin.session)))!, "气密性检测、检漏");
    if (!ok.ok || !ok.group) throw new Error("expected a group");
    const before = await written();
    const out = await post({ intent: "update", id: ok.group.id, words: "气密性检测" });
    expect(out).toMatchObject({ status: 400, data: { intent: "update", id: ok.group.id, errors: { words: "synonyms.error.oneWord" }, values: { words: "气密性检测" } } });
    expect(await written()).toEqual(before);
    const gone = await post({ intent: "update", id: "no-such-group", words: "检漏、泄漏检测" });
    expect(gone).toMatchObject({ status: 404, data: { errors: { _form: "synonyms.error.notFound" } } });
    expect(await written()).toEqual(before);
    await deleteSynonymGroup((await getUser(getRequest("/", admin.session)))!, ok.group.id);
  });

  test(`the ${MAX_GROUPS + 1}st group is refused; removing one makes room`, async () => {
    await db.synonymGroup.createMany({ data: Array.from({ length: MAX_GROUPS }, (_, i) => ({ words: JSON.stringify([`甲${i}`, `乙${i}`]), createdById: admin.id })) });
    const before = await written();
    const out = await post({ intent: "create", words: "检漏、泄漏检测" });
    expect(out).toMatchObject({ status: 400, data: { errors: { _form: "synonyms.error.tooManyGroups" }, values: { words: "检漏、泄漏检测" } } });
    expect(await written()).toEqual(before);
    const first = await db.synonymGroup.findFirstOrThrow();
    expect(await post({ intent: "delete", id: first.id })).toMatchObject({ status: 302 });
    expect(await post({ intent: "create", words: "检漏、泄漏检测" })).toMatchObject({ status: 302 });
    expect(await db.synonymGroup.count()).toBe(MAX_GROUPS);
    await db.synonymGroup.deleteMany();
  });

  test("words are split on commas, 、 and new lines, else on spaces, so an English phrase can stay whole", () => {
    expect(parseSynonymWords("检漏 泄漏检测  气密性检测")).toEqual({ ok: true, words: ["检漏", "泄漏检测", "气密性检测"] });
    expect(parseSynonymWords("machine vision, 机器视觉，AI视觉")).toEqual({ ok: true, words: ["machine vision", "机器视觉", "AI视觉"] });
    expect(parseSynonymWords("巡检机器人\n智能巡检装置")).toEqual({ ok: true, words: ["巡检机器人", "智能巡检装置"] });
  });
});

describe("only site admins", () => {
  const refused = [
    ["member", { studio: "xu-xin", studioRole: "member" as const }],
    ["studio admin", { studio: "xu-xin", studioRole: "admin" as const }],
    ["coordinator", { role: "coordinator" as const }],
  ] as const;

  test.each(refused)("a %s gets 403 on the page and on every form, and nothing is written", async (_, o) => {
    const u = await createUser(o);
    const session = await sessionCookie(u.id);
    expect((await page(session)).status).toBe(403);
    const g = await db.synonymGroup.create({ data: { words: JSON.stringify(["检漏", "泄漏检测"]) } });
    const before = await written();
    const posts: Fields[] = [
      { intent: "create", words: "检漏、气密性检测" },
      { intent: "update", id: g.id, words: "检漏、气密性检测" },
      { intent: "delete", id: g.id },
    ];
    for (const fields of posts) {
      const out = await post(fields, session);
      expect(out).toMatchObject({ status: 403, data: { error: { code: "forbidden" } } });
    }
    expect(await written()).toEqual(before);
    // the model refuses too, whoever calls it
    const user = (await getUser(getRequest("/", session)))!;
    expect(await createSynonymGroup(user, "检漏、气密性检测")).toEqual({ ok: false, reason: "forbidden" });
    expect(await updateSynonymGroup(user, g.id, "检漏、气密性检测")).toEqual({ ok: false, reason: "forbidden" });
    expect(await deleteSynonymGroup(user, g.id)).toEqual({ ok: false, reason: "forbidden" });
    expect(await written()).toEqual(before);
    await db.synonymGroup.delete({ where: { id: g.id } });
  });

  test("an anonymous visitor is sent to log in, from the page and from a post", async () => {
    expect(await page(null)).toMatchObject({ status: 302, location: loginRedirect("/admin/search") });
    const before = await written();
    expect(await post({ intent: "create", words: "检漏、气密性检测" }, null)).toMatchObject({ status: 302, location: loginRedirect("/admin/search") });
    expect(await written()).toEqual(before);
  });
});
