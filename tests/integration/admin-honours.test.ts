// /admin/honours: site admins keep the talent base's controlled honours list — add an honour, rename
// it, set its level, retire and restore it — each change logged with before → after in the same
// transaction. The list is what the site uses: new honour texts are matched onto it, a person's
// honour level follows the honour's level, the directory offers only honours not retired, and a
// retired honour stays with the people who hold it. Everyone but a site admin is refused.
import { beforeAll, describe, expect, test } from "vitest";
import { importContent } from "~/models/content-import.server";
import { honourChoices } from "~/models/honour.server";
import { getPerson, listPeople, setPersonHonours } from "~/models/person.server";
import { PUBLIC_VIEWER as PUBLIC } from "~/models/result-visibility";
import * as adminHonours from "~/routes/admin.honours";
import { db } from "~/utils/db.server";
import { createUser, getRequest, postRequest, sessionCookie, settle, type Fields, type TestUser } from "../setup/auth";

let admin: TestUser & { session: string };

beforeAll(async () => {
  const report = await importContent(db, "content");
  if (!report.ok) throw new Error(JSON.stringify(report.problems));
  const u = await createUser({ role: "admin", name: "站点管理员" });
  admin = { ...u, session: await sessionCookie(u.id) };
});

async function post(fields: Fields, session: string | null = admin.session) {
  const request = await postRequest("/admin/honours", fields, { session });
  return settle(() => adminHonours.action({ request, params: {}, context: {} }));
}
const written = async () => ({ honours: await db.honour.findMany({ orderBy: { key: "asc" } }), activities: await db.activity.count() });
/** A person of the seed content whose honours the test sets. */
async function someone(offset: number) {
  return db.person.findFirstOrThrow({ orderBy: { slug: "asc" }, skip: offset });
}
const give = (personId: string, texts: string[]) => db.$transaction((tx) => setPersonHonours(tx, personId, texts));

describe("the honours list", () => {
  test("the page lists every honour with its level and how many people hold it", async () => {
    const out = await settle(() => adminHonours.loader({ request: getRequest("/admin/honours", admin.session), params: {}, context: {} }));
    expect(out.status).toBe(200);
    const honours = (out.data as { honours: { key: string; level: string; people: number; builtIn: boolean }[] }).honours;
    expect(honours[0]).toMatchObject({ key: "national-model-worker", level: "national", builtIn: true });
    expect(honours.find((h) => h.key === "national-model-worker")!.people).toBeGreaterThan(0);
  });

  test("an admin adds an honour: ranked within its level, offered by the directory, matched onto people's honours, logged", async () => {
    const out = await post({ intent: "create", nameZh: "郑州市技术能手", nameEn: "Zhengzhou Technical Expert", level: "municipal" });
    expect(out).toMatchObject({ status: 302, location: `/admin/honours?done=created&name=${encodeURIComponent("郑州市技术能手")}` });
    const h = await db.honour.findFirstOrThrow({ where: { nameZh: "郑州市技术能手" } });
    expect(h).toMatchObject({ key: "zhengzhou-technical-expert", level: "municipal", retiredAt: null });
    const ranks = await db.honour.findMany({ orderBy: { rank: "asc" }, select: { level: true, rank: true } });
    expect(ranks.map((r) => r.rank)).toEqual(ranks.map((_, i) => i + 1));
    expect(ranks.map((r) => r.level)).toEqual(
      [...ranks.map((r) => r.level)].sort((a, b) => ["national", "provincial", "municipal"].indexOf(a) - ["national", "provincial", "municipal"].indexOf(b)),
    );
    expect(await db.activity.findFirst({ where: { verb: "honour.created", subjectId: h.key } })).toMatchObject({ actorId: admin.id, subjectType: "honour" });
    expect((await honourChoices()).map((c) => c.key)).toContain(h.key);

    const p = await someone(3);
    await give(p.id, ["2023年 郑州市技术能手"]);
    const page = await getPerson(PUBLIC, p.slug);
    expect(page?.honourLinks.map((l) => l.honourKey)).toEqual([h.key]);
    expect(page?.level).toBe("municipal");
    expect((await listPeople({ honour: h.key })).people.map((x) => x.slug)).toEqual([p.slug]);
  });

  test("renaming and setting the level are logged before → after; the holder's honour level follows", async () => {
    await post({ intent: "create", nameZh: "郑州市金牌职工", nameEn: "Zhengzhou Gold Medal Worker", level: "municipal" });
    const h = await db.honour.findFirstOrThrow({ where: { nameZh: "郑州市金牌职工" } });
    const p = await someone(5);
    await give(p.id, ["郑州市金牌职工"]);
    expect((await getPerson(PUBLIC, p.slug))?.level).toBe("municipal");
    const out = await post({ intent: "update", key: h.key, nameZh: "河南省金牌职工", nameEn: "Henan Gold Medal Worker", level: "provincial" });
    expect(out).toMatchObject({ status: 302, location: `/admin/honours?done=updated&name=${encodeURIComponent("河南省金牌职工")}` });
    expect(await db.honour.findUniqueOrThrow({ where: { key: h.key } })).toMatchObject({ nameZh: "河南省金牌职工", nameEn: "Henan Gold Medal Worker", level: "provincial" });
    const renamed = await db.activity.findFirstOrThrow({ where: { verb: "honour.renamed", subjectId: h.key } });
    expect(JSON.parse(renamed.before!)).toEqual({ nameZh: "郑州市金牌职工", nameEn: "Zhengzhou Gold Medal Worker" });
    expect(JSON.parse(renamed.after!)).toEqual({ nameZh: "河南省金牌职工", nameEn: "Henan Gold Medal Worker" });
    const relevelled = await db.activity.findFirstOrThrow({ where: { verb: "honour.levelChanged", subjectId: h.key } });
    expect([JSON.parse(relevelled.before!), JSON.parse(relevelled.after!)]).toEqual([{ level: "municipal" }, { level: "provincial" }]);
    const page = await getPerson(PUBLIC, p.slug);
    expect(page?.level).toBe("provincial");
    expect(page?.honourLinks[0].honour?.nameZh).toBe("河南省金牌职工");
    // the search document follows: the person is found under the new name, at the new level
    const doc = await db.searchDoc.findUniqueOrThrow({ where: { id: `person:${p.slug}` } });
    expect(doc.keywords).toContain("河南省金牌职工");
    expect(doc.level).toBe("provincial");
    // saving the same values again changes nothing and logs nothing
    const before = await written();
    expect(await post({ intent: "update", key: h.key, nameZh: "河南省金牌职工", nameEn: "Henan Gold Medal Worker", level: "provincial" })).toMatchObject({
      location: `/admin/honours?done=unchanged&name=${encodeURIComponent("河南省金牌职工")}`,
    });
    expect(await written()).toEqual(before);
  });

  test("a retired honour is no longer offered nor matched, but stays with its holders; it can be restored", async () => {
    await post({ intent: "create", nameZh: "郑州市青年岗位能手", nameEn: "Zhengzhou Young Post Expert", level: "municipal" });
    const h = await db.honour.findFirstOrThrow({ where: { nameZh: "郑州市青年岗位能手" } });
    const holder = await someone(7);
    const later = await someone(8);
    await give(holder.id, ["郑州市青年岗位能手"]);
    expect(await post({ intent: "retire", key: h.key })).toMatchObject({ status: 302, location: `/admin/honours?done=retired&name=${encodeURIComponent(h.nameZh)}` });
    expect((await db.honour.findUniqueOrThrow({ where: { key: h.key } })).retiredAt).toBeInstanceOf(Date);
    expect(await db.activity.findFirst({ where: { verb: "honour.retired", subjectId: h.key } })).toMatchObject({ actorId: admin.id, after: JSON.stringify({ retired: true }) });
    expect((await honourChoices()).map((c) => c.key)).not.toContain(h.key);
    await give(later.id, ["郑州市青年岗位能手"]);
    expect((await getPerson(PUBLIC, later.slug))?.honourLinks.map((l) => l.honourKey)).toEqual([null]);
    // the holder keeps it, even when their honours are saved again
    await give(holder.id, ["郑州市青年岗位能手", "技术革新能手"]);
    expect((await getPerson(PUBLIC, holder.slug))?.honourLinks.map((l) => l.honourKey)).toEqual([h.key, null]);
    expect(await post({ intent: "restore", key: h.key })).toMatchObject({ location: `/admin/honours?done=restored&name=${encodeURIComponent(h.nameZh)}` });
    expect((await honourChoices()).map((c) => c.key)).toContain(h.key);
  });

  test("bad input comes back with the field named and what was typed; nothing is written", async () => {
    for (const [fields, errors] of [
      [{ intent: "create", nameZh: "", nameEn: "Empty", level: "municipal" }, { nameZh: "form.required" }],
      [{ intent: "create", nameZh: "全国劳动模范", nameEn: "Another National Model Worker", level: "national" }, { nameZh: "admin.honours.error.nameTaken" }],
      [{ intent: "create", nameZh: "某某荣誉", nameEn: "Some Honour", level: "galactic" }, { level: "form.invalid" }],
    ] as const) {
      const before = await written();
      const out = await post(fields);
      expect(out.status).toBe(400);
      expect(out.data).toMatchObject({ errors, values: { nameZh: fields.nameZh, nameEn: fields.nameEn } });
      expect(await written()).toEqual(before);
    }
    const before = await written();
    expect((await post({ intent: "retire", key: "no-such-honour" })).status).toBe(404);
    expect(await written()).toEqual(before);
  });

  test("a coordinator, a studio admin or a member cannot change the list (403, nothing written)", async () => {
    for (const o of [{ role: "coordinator" as const }, { studio: "xu-xin", studioRole: "admin" as const }, {}]) {
      const u = await createUser(o);
      const before = await written();
      const out = await post({ intent: "retire", key: "national-model-worker" }, await sessionCookie(u.id));
      expect(out).toMatchObject({ status: 403, data: { error: { code: "forbidden" } } });
      expect(await written()).toEqual(before);
    }
  });
});
