// 审核 as a site setting: off by default; when a site admin turns it on, a new public result,
// patent or need is seen only by its own studio (or enterprise) and coordinators until a coordinator
// approves it — on its page, in lists, in search and in the API alike — and a change to a published
// one waits while the published version stays live and searchable. Coordinators approve or return
// with a reason from the same queue; submitters and coordinators hear of it both ways.
import { beforeAll, describe, expect, test } from "vitest";
import { translator } from "~/i18n/locale.server";
import { patentJson, needJson, resultJson } from "~/models/api.server";
import { importContent } from "~/models/content-import.server";
import { createResultDraft, publishPatent, publishResult } from "~/models/editing.server";
import { listNeedsFor, postNeed, editNeed, needAccess } from "~/models/need-loop.server";
import { noticeText } from "~/models/notification.server";
import { getPatent, listPatents } from "~/models/patent.server";
import { getResult, listResults, PUBLIC_VIEWER, resultViewer } from "~/models/result.server";
import { matchBoard } from "~/models/match.server";
import { decideReview, reviewStateOf } from "~/models/review.server";
import { getStudio } from "~/models/studio.server";
import { getSiteSettings, saveSiteSettings } from "~/models/site-setting.server";
import * as apiSearch from "~/routes/api.search";
import * as resultEditPage from "~/routes/results.$slug.edit";
import * as reviewPage from "~/routes/review";
import { db } from "~/utils/db.server";
import { getUser } from "~/utils/session.server";
import { body, formData, newPatentForm, resultForm } from "../fixtures/editing";
import { createUser, getRequest, postRequest, sessionCookie, settle, type Fields, type TestUser } from "../setup/auth";

const STUDIO = "xu-xin";
const ENTERPRISE = "郑州博远轴承有限公司";
let member: TestUser;
let outsider: TestUser;
let coordinator: TestUser;
let siteAdmin: TestUser;
let contact: TestUser;

beforeAll(async () => {
  const report = await importContent(db, "content");
  if (!report.ok) throw new Error(JSON.stringify(report.problems));
  member = await createUser({ studio: STUDIO, studioRole: "member", name: "成员小王" });
  outsider = await createUser({ studio: "metro-signal", studioRole: "member" });
  coordinator = await createUser({ role: "coordinator", name: "协调人老李" });
  siteAdmin = await createUser({ role: "admin" });
  contact = await createUser({ name: "企业联系人" });
  const e = await db.enterprise.findUniqueOrThrow({ where: { name: ENTERPRISE } });
  await db.enterpriseContact.create({ data: { userId: contact.id, enterpriseId: e.id, status: "confirmed" } });
  await db.user.update({ where: { id: member.id }, data: { locale: "en" } });
});

const sessionUser = async (u: TestUser) => (await getUser(getRequest("/", await sessionCookie(u.id))))!;
const viewerOf = async (u: TestUser | null) => (u ? resultViewer(await sessionUser(u)) : PUBLIC_VIEWER);
const studio = () => db.studio.findUniqueOrThrow({ where: { slug: STUDIO } });
const setReview = async (on: boolean) => expect(await saveSiteSettings(siteAdmin, { review: on ? "on" : "" })).toMatchObject({ ok: true });
const searchTitles = async (q: string) => {
  const res = await apiSearch.loader({ request: getRequest(`/api/search?q=${encodeURIComponent(q)}`), params: {}, context: {} });
  return ((await res.json()) as { hits: { title: string }[] }).hits.map((h) => h.title);
};
async function newResult(title: string, by: TestUser, o: Fields = {}) {
  const s = await studio();
  const slug = (await createResultDraft(s, title)).slug;
  const out = await publishResult(formData(await resultForm(slug, { title, visibility: "public", body: body(`${title}的说明。`), ...o })), { id: s.id, slug: STUDIO }, slug, by.id);
  return { slug, out };
}

describe("the setting", () => {
  test("is off by default: a member's new result is public at once", async () => {
    expect((await getSiteSettings()).review).toBe("");
    const { slug, out } = await newResult("列车车门故障快速判断卡片", member);
    expect(out).toEqual({ ok: true, slug, held: false });
    expect(await getResult(PUBLIC_VIEWER, slug)).toMatchObject({ review: null });
    expect(await searchTitles("车门故障快速判断卡片")).toContain("列车车门故障快速判断卡片");
  });
});

describe("with review on", () => {
  const TITLE = "地铁司机应急处置情景化训练包";
  let slug = "";

  test("a member's new result waits: its studio and coordinators see it, nobody else finds it on a page, in a list, in search or in the API", async () => {
    await setReview(true);
    const made = await newResult(TITLE, member);
    slug = made.slug;
    expect(made.out).toEqual({ ok: true, slug, held: true });
    expect(await db.result.findUniqueOrThrow({ where: { slug } })).toMatchObject({ published: true, review: "pending" });

    for (const who of [null, outsider]) {
      const viewer = await viewerOf(who);
      expect(await getResult(viewer, slug)).toBeNull();
      expect((await listResults(viewer, { perPage: Infinity })).results.map((r) => r.slug)).not.toContain(slug);
    }
    expect(await resultJson(slug)).toBeNull();
    expect(await searchTitles("应急处置情景化训练包")).not.toContain(TITLE);
    for (const who of [member, coordinator]) {
      const viewer = await viewerOf(who);
      expect(await getResult(viewer, slug)).toMatchObject({ title: TITLE });
      expect((await listResults(viewer, { perPage: Infinity })).results.map((r) => r.slug)).toContain(slug);
    }

    const item = await db.reviewItem.findFirstOrThrow({ where: { subjectType: "result", status: "pending" } });
    expect(item).toMatchObject({ kind: "new", title: TITLE, submittedById: member.id });
    expect(await db.notification.findFirst({ where: { userId: coordinator.id, kind: "review.submitted" } })).toMatchObject({ url: "/review" });
    const queue = await settle(async () => reviewPage.loader({ request: getRequest("/review", await sessionCookie(coordinator.id)), params: {}, context: {} }));
    expect((queue.data as { on: boolean; content: { title: string; kind: string }[] }).content).toEqual([expect.objectContaining({ title: TITLE, kind: "new" })]);
  });

  test("returning needs a reason; returned, it stays hidden and the member reads why in English", async () => {
    const item = await db.reviewItem.findFirstOrThrow({ where: { subjectType: "result", status: "pending" } });
    expect(await decideReview(coordinator, item.id, "return", "")).toEqual({ ok: false, status: 400, reason: "review.error.reasonRequired", field: "reason" });
    expect(await decideReview(member, item.id, "approve", "")).toEqual({ ok: false, status: 403, reason: "refused.coordinator" });
    expect(await decideReview(coordinator, item.id, "return", "请补充培训效果数据")).toEqual({ ok: true });
    expect(await db.result.findUniqueOrThrow({ where: { slug } })).toMatchObject({ review: "returned" });
    expect(await getResult(PUBLIC_VIEWER, slug)).toBeNull();
    const notice = await db.notification.findFirstOrThrow({ where: { userId: member.id, kind: "review.returned" } });
    expect(noticeText(translator("en"), notice)).toBe(`Returned by review: ${TITLE}. Reason: 请补充培训效果数据`);
    expect(await decideReview(coordinator, item.id, "approve", "")).toEqual({ ok: false, status: 409, reason: "review.error.decided" });
  });

  test("sent again and approved: public everywhere, announced once, the member told", async () => {
    const s = await studio();
    const out = await publishResult(formData(await resultForm(slug, { benefits: "培训时长缩短三成" })), { id: s.id, slug: STUDIO }, slug, member.id);
    expect(out).toMatchObject({ ok: true, held: true });
    const item = await db.reviewItem.findFirstOrThrow({ where: { subjectType: "result", status: "pending" } });
    expect(await decideReview(coordinator, item.id, "approve", "")).toEqual({ ok: true });
    expect(await getResult(PUBLIC_VIEWER, slug)).toMatchObject({ title: TITLE, review: null });
    expect(await resultJson(slug)).toMatchObject({ title: TITLE, benefits: ["培训时长缩短三成"] });
    expect(await searchTitles("应急处置情景化训练包")).toContain(TITLE);
    expect(await db.activity.count({ where: { verb: "result.published", subjectType: "result", subjectId: item.subjectId } })).toBe(1);
    expect(await db.notification.findFirst({ where: { userId: member.id, kind: "review.approved" } })).toMatchObject({ url: `/results/${slug}` });
    expect(await decideReview(coordinator, item.id, "approve", "")).toEqual({ ok: false, status: 409, reason: "review.error.decided" });
  });

  test("a change to a published result waits while the published version stays live and searchable; the editor reopens with the change", async () => {
    const s = await studio();
    const before = await db.result.findUniqueOrThrow({ where: { slug } });
    const NEW = "地铁司机应急处置虚拟仿真训练包";
    const out = await publishResult(formData(await resultForm(slug, { title: NEW })), { id: s.id, slug: STUDIO }, slug, member.id);
    expect(out).toMatchObject({ ok: true, held: true });
    expect(await db.result.findUniqueOrThrow({ where: { slug } })).toMatchObject({ title: TITLE, version: before.version, review: null });
    expect(await getResult(PUBLIC_VIEWER, slug)).toMatchObject({ title: TITLE });
    expect(await resultJson(slug)).toMatchObject({ title: TITLE });
    expect(await searchTitles("应急处置情景化训练包")).toContain(TITLE);
    expect(await searchTitles("虚拟仿真训练包")).not.toContain(NEW);
    // nor does the studio's activity feed name the waiting change
    expect((await getStudio(PUBLIC_VIEWER, STUDIO))!.activities.map((a) => a.summary)).not.toContain(NEW);

    const editor = await settle(async () => resultEditPage.loader({ request: getRequest(`/results/${slug}/edit`, await sessionCookie(member.id)), params: { slug }, context: {} }));
    expect(editor.data).toMatchObject({ form: { title: NEW }, review: { status: "pending", kind: "change" } });

    // a second change replaces the first in the queue
    const again = await publishResult(formData(await resultForm(slug, { title: `${NEW}（第二版）` })), { id: s.id, slug: STUDIO }, slug, member.id);
    expect(again).toMatchObject({ ok: true, held: true });
    const waiting = await db.reviewItem.findMany({ where: { subjectType: "result", subjectId: before.id, status: "pending" } });
    expect(waiting.map((w) => w.title)).toEqual([`${NEW}（第二版）`]);

    // the coordinator sees what would change against what is published
    const queue = await settle(async () => reviewPage.loader({ request: getRequest("/review", await sessionCookie(coordinator.id)), params: {}, context: {} }));
    expect((queue.data as { content: { id: string; changes: unknown[] }[] }).content.find((c) => c.id === waiting[0].id)?.changes).toEqual([
      { field: "title", before: TITLE, after: `${NEW}（第二版）` },
    ]);
    const post = async (fields: Fields) =>
      settle(async () => reviewPage.action({ request: await postRequest("/review", fields, { session: await sessionCookie(coordinator.id) }), params: {}, context: {} }));
    expect(await post({ intent: "approve", type: "content", id: waiting[0].id, reason: "" })).toMatchObject({ status: 302, location: "/review?done=approved" });
    expect(await db.result.findUniqueOrThrow({ where: { slug } })).toMatchObject({ title: `${NEW}（第二版）`, version: before.version + 1 });
    expect(await searchTitles("虚拟仿真训练包")).toContain(`${NEW}（第二版）`);
  });

  test("coordinators' and site admins' own saves and alliance-only results are not held", async () => {
    expect((await newResult("信号设备巡检记录电子化规程", siteAdmin)).out).toMatchObject({ ok: true, held: false });
    expect((await newResult("联盟内部共享的车门检修要点", member, { visibility: "alliance" })).out).toMatchObject({ ok: true, held: false });

    // a returned new result that a site admin then publishes is public, and its page no longer says "returned"
    const returned = await newResult("站台门故障应急处置流程", member);
    const item = await db.reviewItem.findFirstOrThrow({ where: { subjectType: "result", status: "pending", title: "站台门故障应急处置流程" } });
    expect(await decideReview(coordinator, item.id, "return", "请补充适用线路")).toEqual({ ok: true });
    const s = await studio();
    const again = await publishResult(formData(await resultForm(returned.slug, { adopters: "郑州地铁1号线" })), { id: s.id, slug: STUDIO }, returned.slug, siteAdmin.id);
    expect(again).toMatchObject({ ok: true, held: false });
    expect(await getResult(PUBLIC_VIEWER, returned.slug)).toMatchObject({ review: null });
    expect(await reviewStateOf("result", item.subjectId)).toBeNull();
  });

  test("a new patent waits too: hidden from its page, lists and the API until approved", async () => {
    const s = await studio();
    const form = newPatentForm(STUDIO, 7301, { title: "一种司机室模拟器用应急按钮组件" });
    const out = await publishPatent(formData(form), { id: s.id, slug: STUDIO }, null, member.id);
    expect(out).toMatchObject({ ok: true, held: true });
    const patentSlug = (out as { slug: string }).slug;
    expect(await getPatent(PUBLIC_VIEWER, patentSlug)).toBeNull();
    expect((await listPatents(PUBLIC_VIEWER, { perPage: Infinity })).patents.map((p) => p.slug)).not.toContain(patentSlug);
    expect(await patentJson(patentSlug)).toBeNull();
    expect(await getPatent(await viewerOf(member), patentSlug)).toMatchObject({ review: "pending" });
    const item = await db.reviewItem.findFirstOrThrow({ where: { subjectType: "patent", status: "pending" } });
    expect(await decideReview(coordinator, item.id, "approve", "")).toEqual({ ok: true });
    expect(await patentJson(patentSlug)).toMatchObject({ title: "一种司机室模拟器用应急按钮组件" });
  });

  test("a new public need waits: only its enterprise and coordinators see it; a change to a published one waits while it stays", async () => {
    const actor = async (u: TestUser) => {
      const full = await db.user.findUniqueOrThrow({ where: { id: u.id }, include: { memberships: true } });
      return { id: full.id, role: full.role, memberships: full.memberships };
    };
    const needFields = (title: string): Fields => ({
      title,
      industry: "equipment-manufacturing",
      tags: "机器视觉",
      district: "高新区",
      timeframe: "一个月内",
      contactName: "何部长",
      contactPhone: "0371-6000 0000",
      visibility: "public",
      intent: "submit",
      body: body("套圈表面缺陷靠人工目检，希望评估机器视觉方案。"),
    });
    const out = await postNeed(await actor(contact), formData(needFields("轴承套圈表面缺陷视觉检测")));
    expect(out).toMatchObject({ ok: true });
    const needSlug = (out as { slug: string }).slug;
    const need = await db.need.findUniqueOrThrow({ where: { slug: needSlug } });
    expect(need).toMatchObject({ status: "open", review: "pending" });
    expect(await needAccess(null, need)).toBe("none");
    expect(await needAccess(await actor(outsider), need)).toBe("none");
    expect(await needAccess(await actor(contact), need)).toBe("full");
    expect(await needAccess(await actor(coordinator), need)).toBe("full");
    expect((await listNeedsFor(null, {})).map((n) => n.slug)).not.toContain(needSlug);
    expect(await needJson(needSlug)).toBeNull();
    expect((await matchBoard(PUBLIC_VIEWER, "", "")).needs.map((n) => n.slug)).not.toContain(needSlug);
    expect((await matchBoard(await viewerOf(coordinator), "", "")).needs.map((n) => n.slug)).toContain(needSlug);
    expect(await searchTitles("套圈表面缺陷视觉检测")).not.toContain("轴承套圈表面缺陷视觉检测");

    const item = await db.reviewItem.findFirstOrThrow({ where: { subjectType: "need", status: "pending" } });
    expect(await decideReview(coordinator, item.id, "approve", "")).toEqual({ ok: true });
    expect((await listNeedsFor(null, {})).map((n) => n.slug)).toContain(needSlug);

    const edited = await editNeed(await actor(contact), needSlug, formData({ ...needFields("轴承套圈与滚子表面缺陷视觉检测"), version: String(need.version) }));
    expect(edited).toMatchObject({ ok: true, held: true });
    expect(await needJson(needSlug)).toMatchObject({ title: "轴承套圈表面缺陷视觉检测" });
    const change = await db.reviewItem.findFirstOrThrow({ where: { subjectType: "need", status: "pending" } });
    expect(await decideReview(coordinator, change.id, "approve", "")).toEqual({ ok: true });
    expect(await needJson(needSlug)).toMatchObject({ title: "轴承套圈与滚子表面缺陷视觉检测" });
    await setReview(false);
  });
});
