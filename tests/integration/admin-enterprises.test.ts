// /admin/enterprises: a site admin creates and edits enterprises, archives one (it leaves the
// public lists) and merges two records of the same company — studios, needs, contacts and
// adoptions move to the one kept, search shows the kept name, the other is archived — all in one
// transaction with its Activity row. Bad input comes back with the field's message, nothing written.
import { beforeAll, describe, expect, test } from "vitest";
import { importContent } from "~/models/content-import.server";
import { listEnterprises, mergeEnterprises } from "~/models/enterprise.server";
import * as adminEnterprises from "~/routes/admin.enterprises";
import * as apiSearch from "~/routes/api.search";
import * as enterprisePage from "~/routes/enterprises.$slug";
import { db } from "~/utils/db.server";
import { createUser, getRequest, postRequest, sessionCookie, settle, unique, type Fields, type TestUser } from "../setup/auth";

let admin: TestUser & { session: string };

beforeAll(async () => {
  const report = await importContent(db, "content");
  if (!report.ok) throw new Error(JSON.stringify(report.problems));
  const u = await createUser({ role: "admin", name: "站点管理员" });
  admin = { ...u, session: await sessionCookie(u.id) };
});

async function post(fields: Fields, session: string | null = admin.session) {
  const request = await postRequest("/admin/enterprises", fields, { session });
  return settle(() => adminEnterprises.action({ request, params: {}, context: {} }));
}

const written = async () => ({
  enterprises: await db.enterprise.findMany({ orderBy: { id: "asc" } }),
  studios: await db.studio.findMany({ select: { id: true, enterpriseId: true }, orderBy: { id: "asc" } }),
  activities: await db.activity.count(),
});

describe("creating and editing", () => {
  test("a new enterprise gets a pinyin slug, is listed, and is logged; a taken name or an empty one is refused with what was typed", async () => {
    const name = `河南测试装备有限公司${unique()}`;
    const out = await post({ intent: "create", name, nameEn: "Henan Test Equipment", description: "大型装备制造" });
    expect(out).toMatchObject({ status: 302, location: `/admin/enterprises?done=created&name=${encodeURIComponent(name)}` });
    const e = await db.enterprise.findUniqueOrThrow({ where: { name } });
    expect(e).toMatchObject({ nameEn: "Henan Test Equipment", description: "大型装备制造", archivedAt: null });
    expect(e.slug).toMatch(/^he-nan-ce-shi|^henan/);
    expect((await listEnterprises()).map((x) => x.name)).toContain(name);
    expect(await db.activity.findFirst({ where: { subjectId: e.id, verb: "enterprise.created" } })).toMatchObject({ actorId: admin.id });

    const before = await written();
    expect(await post({ intent: "create", name, nameEn: "again" })).toMatchObject({
      status: 400,
      data: { errors: { name: "admin.enterprises.error.nameTaken" }, values: { name, nameEn: "again" } },
    });
    expect(await post({ intent: "create", name: " " })).toMatchObject({ status: 400, data: { errors: { name: "form.required" } } });
    expect(await post({ intent: "create", name: "公司\u202e名" })).toMatchObject({ status: 400, data: { errors: { name: "form.controlChars" } } });
    expect(await written()).toEqual(before);
  });

  test("renaming logs before → after and the studios' search documents show the new name", async () => {
    const studio = await db.studio.findUniqueOrThrow({ where: { slug: "xu-xin" }, include: { enterprise: true } });
    const old = studio.enterprise;
    const newName = `${old.name}（更名）`;
    expect(await post({ intent: "update", id: old.id, name: newName, nameEn: old.nameEn ?? "", description: old.description ?? "" })).toMatchObject({ status: 302 });
    const a = await db.activity.findFirstOrThrow({ where: { subjectId: old.id, verb: "enterprise.updated" } });
    expect([a.before, a.after]).toEqual([JSON.stringify({ name: old.name }), JSON.stringify({ name: newName })]);
    const doc = await db.searchDoc.findFirstOrThrow({ where: { id: "studio:xu-xin" } });
    expect(JSON.stringify(doc)).toContain(newName);
    // back, for the tests below
    expect(await post({ intent: "update", id: old.id, name: old.name, nameEn: old.nameEn ?? "", description: old.description ?? "" })).toMatchObject({ status: 302 });
  });
});

describe("archiving", () => {
  test("an archived enterprise leaves the lists and comes back when restored", async () => {
    const e = await db.enterprise.findFirstOrThrow({ where: { archivedAt: null }, orderBy: { name: "asc" } });
    expect(await post({ intent: "archive", id: e.id })).toMatchObject({ status: 302, location: `/admin/enterprises?done=archived&name=${encodeURIComponent(e.name)}` });
    expect((await listEnterprises()).map((x) => x.id)).not.toContain(e.id);
    const page = await settle(() => adminEnterprises.loader({ request: getRequest("/admin/enterprises", admin.session), params: {}, context: {} }));
    expect((page.data as { enterprises: { id: string }[] }).enterprises.map((x) => x.id)).not.toContain(e.id);
    const all = await settle(() => adminEnterprises.loader({ request: getRequest("/admin/enterprises?archived=1", admin.session), params: {}, context: {} }));
    expect((all.data as { enterprises: { id: string; archivedAt: string | null }[] }).enterprises.find((x) => x.id === e.id)?.archivedAt).toBeTruthy();
    expect(await post({ intent: "restore", id: e.id })).toMatchObject({ status: 302 });
    expect((await listEnterprises()).map((x) => x.id)).toContain(e.id);
    expect((await db.activity.findMany({ where: { subjectId: e.id }, orderBy: { createdAt: "asc" } })).map((a) => a.verb)).toEqual(["enterprise.archived", "enterprise.restored"]);
  });
});

describe("merging", () => {
  test("studios, needs, contacts and adoptions move to the survivor; the other is archived; search shows the survivor's name", async () => {
    const from = await db.enterprise.findFirstOrThrow({ where: { studios: { some: {} }, needs: { some: {} } }, include: { studios: { include: { results: true } }, needs: true } });
    const intoName = `${from.name.replace(/有限公司$/, "")}集团有限公司${unique()}`;
    expect(await post({ intent: "create", name: intoName })).toMatchObject({ status: 302 });
    const into = await db.enterprise.findUniqueOrThrow({ where: { name: intoName } });
    const contactUser = await createUser();
    await db.enterpriseContact.create({ data: { userId: contactUser.id, enterpriseId: from.id, status: "confirmed" } });
    // both records adopted the same result: the survivor keeps its own adoption
    const result = await db.result.findFirstOrThrow();
    await db.adoption.createMany({
      data: [
        { resultId: result.id, enterpriseId: from.id, adoptedOn: "2026-01-01" },
        { resultId: result.id, enterpriseId: into.id, adoptedOn: "2026-02-01" },
      ],
    });

    expect(await post({ intent: "merge", from: from.id, into: into.id })).toMatchObject({
      status: 302,
      location: `/admin/enterprises?done=merged&name=${encodeURIComponent(intoName)}`,
    });
    expect(await db.studio.count({ where: { enterpriseId: from.id } })).toBe(0);
    expect(await db.studio.count({ where: { enterpriseId: into.id } })).toBe(from.studios.length);
    expect(await db.need.count({ where: { enterpriseId: into.id } })).toBe(from.needs.length);
    expect(await db.enterpriseContact.findFirst({ where: { userId: contactUser.id } })).toMatchObject({ enterpriseId: into.id });
    expect(await db.adoption.findMany({ where: { resultId: result.id }, select: { enterpriseId: true, adoptedOn: true } })).toEqual([
      { enterpriseId: into.id, adoptedOn: "2026-02-01" },
    ]);
    const merged = await db.enterprise.findUniqueOrThrow({ where: { id: from.id } });
    expect(merged.archivedAt).toBeInstanceOf(Date);
    expect(merged.mergedIntoId).toBe(into.id);
    expect((await listEnterprises()).map((x) => x.id)).not.toContain(from.id);
    expect(await db.activity.findFirst({ where: { verb: "enterprise.merged", subjectId: from.id } })).toMatchObject({ actorId: admin.id, summary: `${from.name} → ${intoName}` });

    const out = await settle(() => apiSearch.loader({ request: getRequest(`/api/search?q=${encodeURIComponent(from.studios[0].name)}`), params: {}, context: {} }));
    const hit = (out.data as { hits: { slug: string; enterprise: string | null }[] }).hits.find((h) => h.slug === from.studios[0].slug);
    expect(hit?.enterprise).toBe(intoName);
    // the merged record's old address leads to the one kept
    const old = await settle(() => enterprisePage.loader({ request: getRequest(`/enterprises/${from.slug}`), params: { slug: from.slug }, context: {} }));
    expect(old).toMatchObject({ status: 301, location: `/enterprises/${into.slug}` });
  });

  test("the same enterprise twice, an unknown one, or an archived survivor is refused and nothing is written", async () => {
    const [a, b] = await db.enterprise.findMany({ where: { archivedAt: null }, take: 2, orderBy: { name: "asc" } });
    const archived = await db.enterprise.findFirstOrThrow({ where: { archivedAt: { not: null } } });
    const before = await written();
    expect(await post({ intent: "merge", from: a.id, into: a.id })).toMatchObject({ status: 400, data: { errors: { _form: "admin.enterprises.error.same" } } });
    expect(await post({ intent: "merge", from: a.id, into: "nope" })).toMatchObject({ status: 404, data: { errors: { _form: "admin.enterprises.error.not-found" } } });
    expect(await post({ intent: "merge", from: b.id, into: archived.id })).toMatchObject({ status: 400, data: { errors: { _form: "admin.enterprises.error.archivedTarget" } } });
    expect(await mergeEnterprises({ id: admin.id, role: "coordinator" }, a.id, b.id)).toEqual({ ok: false, reason: "forbidden" });
    expect(await written()).toEqual(before);
  });
});
