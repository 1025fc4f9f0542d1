// 认定: a studio's level and official honours are set by coordinators and site admins only. A
// studio's own editors cannot change them in the profile form; a studio admin asks with evidence
// (and a scanned document), nothing changes until a coordinator approves — the change, its revision,
// its search document and the activity row then land together — or returns it with a reason the
// requester hears in their own language. Every refusal writes nothing.
import { beforeAll, describe, expect, test } from "vitest";
import { translator } from "~/i18n/locale.server";
import { importContent } from "~/models/content-import.server";
import { publishStudio } from "~/models/editing.server";
import { noticeText } from "~/models/notification.server";
import { decideRecognition, requestRecognition, setRecognition, type RecognitionActor } from "~/models/recognition.server";
import * as recognitionPage from "~/routes/studios.$slug.recognition";
import * as reviewPage from "~/routes/review";
import * as apiSearch from "~/routes/api.search";
import { db } from "~/utils/db.server";
import { formData, studioForm } from "../fixtures/editing";
import { png } from "../fixtures/images";
import { createUser, getRequest, loginRedirect, postRequest, sessionCookie, settle, type Fields, type TestUser } from "../setup/auth";

const STUDIO = "xu-xin";
let member: TestUser;
let studioAdmin: TestUser;
let coordinator: TestUser;
let siteAdmin: TestUser;

beforeAll(async () => {
  const report = await importContent(db, "content");
  if (!report.ok) throw new Error(JSON.stringify(report.problems));
  member = await createUser({ studio: STUDIO, studioRole: "member", name: "成员小王" });
  studioAdmin = await createUser({ studio: STUDIO, studioRole: "admin", name: "管理员老徐" });
  coordinator = await createUser({ role: "coordinator", name: "协调人老李" });
  siteAdmin = await createUser({ role: "admin", name: "站长" });
  await db.user.update({ where: { id: studioAdmin.id }, data: { locale: "en" } });
});

const studio = () => db.studio.findUniqueOrThrow({ where: { slug: STUDIO } });
const actorOf = async (u: TestUser): Promise<RecognitionActor> => {
  const full = await db.user.findUniqueOrThrow({ where: { id: u.id }, include: { memberships: true } });
  return { id: full.id, role: full.role, memberships: full.memberships };
};
const ask = (fields: Fields) => formData({ level: "provincial", honours: "河南省示范性劳模创新工作室（2024）", evidence: "豫工发〔2024〕12号，2024-05-01", ...fields });
const written = async () => ({
  studio: await studio(),
  requests: await db.recognitionRequest.findMany({ orderBy: { id: "asc" } }),
  activities: await db.activity.count(),
  revisions: await db.revision.count(),
  uploads: await db.upload.count(),
});

describe("the profile form leaves level and honours to coordinators", () => {
  test.each([
    ["a member", () => member],
    ["a studio admin", () => studioAdmin],
  ])("%s cannot set the level or the honours, and nothing is written", async (_, who) => {
    const changes: Fields[] = [{ level: "national" }, { honours: "全国示范性劳模和工匠人才创新工作室" }];
    for (const change of changes) {
      const before = await written();
      const s = await studio();
      const out = await publishStudio(formData(await studioForm(STUDIO, change)), { id: s.id, slug: STUDIO }, who().id);
      expect(out).toMatchObject({ ok: false, status: 403, errors: { _form: "studio.error.recognitionByCoordinator" } });
      expect(await written()).toEqual(before);
    }
  });

  test("a member's form without the two fields keeps them, and the rest is published", async () => {
    const s = await studio();
    const fields = await studioForm(STUDIO, { name: `${s.name}` });
    delete fields.level;
    delete fields.honours;
    const out = await publishStudio(formData({ ...fields, specialties: "列车驾驶，模拟培训，故障处置" }), { id: s.id, slug: STUDIO }, member.id);
    expect(out).toMatchObject({ ok: true });
    const after = await studio();
    expect(after).toMatchObject({ level: s.level, honours: s.honours, version: s.version + 1 });
    expect(JSON.parse(after.specialties)).toEqual(["列车驾驶", "模拟培训", "故障处置"]);
  });

  test("the studio editor's page shows them read-only to a member, as fields to a site admin", async () => {
    const editPage = await import("~/routes/studios.$slug.edit");
    const asMember = await settle(() => editPage.loader({ request: getRequest(`/studios/${STUDIO}/edit`, null as never), params: { slug: STUDIO }, context: {} }));
    expect(asMember).toMatchObject({ status: 302 });
    const m = await settle(async () => editPage.loader({ request: getRequest(`/studios/${STUDIO}/edit`, await sessionCookie(member.id)), params: { slug: STUDIO }, context: {} }));
    expect(m.data).toMatchObject({ recognition: "view" });
    const a = await settle(async () =>
      editPage.loader({ request: getRequest(`/studios/${STUDIO}/edit`, await sessionCookie(studioAdmin.id)), params: { slug: STUDIO }, context: {} }),
    );
    expect(a.data).toMatchObject({ recognition: "request" });
    const sa = await settle(async () =>
      editPage.loader({ request: getRequest(`/studios/${STUDIO}/edit`, await sessionCookie(siteAdmin.id)), params: { slug: STUDIO }, context: {} }),
    );
    expect(sa.data).toMatchObject({ recognition: "set" });
  });
});

describe("a request, from asking to deciding", () => {
  test("a member may not ask; a studio admin's request waits and changes nothing; coordinators hear of it", async () => {
    const before = await written();
    expect(await requestRecognition(await actorOf(member), STUDIO, ask({}))).toMatchObject({ ok: false, status: 403, errors: { _form: "refused.studioAdmin" } });
    expect(await requestRecognition(await actorOf(coordinator), STUDIO, ask({}))).toMatchObject({ ok: false, status: 403 });
    expect(await written()).toEqual(before);

    // nothing asked for that is not already so; the evidence is required
    const s = await studio();
    expect(await requestRecognition(await actorOf(studioAdmin), STUDIO, formData({ level: s.level, honours: JSON.parse(s.honours).join("\n"), evidence: "无" }))).toMatchObject({
      ok: false,
      status: 400,
      errors: { level: "recognition.error.unchanged" },
    });
    expect(await requestRecognition(await actorOf(studioAdmin), STUDIO, ask({ evidence: " " }))).toMatchObject({ ok: false, status: 400, errors: { evidence: "form.required" } });
    expect(await written()).toEqual(before);

    const form = ask({});
    form.set("attachment", new File([png(40, 30)], "证书.png", { type: "image/png" }));
    const out = await requestRecognition(await actorOf(studioAdmin), STUDIO, form);
    expect(out).toMatchObject({ ok: true });
    const r = await db.recognitionRequest.findUniqueOrThrow({ where: { id: (out as { id: string }).id } });
    expect(r).toMatchObject({ status: "pending", level: "provincial", requestedById: studioAdmin.id, attachment: expect.stringMatching(/^\/uploads\/.+\.png$/) });
    expect((await studio()).level).toBe(s.level);
    expect(await db.activity.findFirst({ where: { verb: "recognition.requested", subjectId: r.id } })).toMatchObject({ actorId: studioAdmin.id });
    expect(await db.notification.findFirst({ where: { userId: coordinator.id, kind: "recognition.requested" } })).toMatchObject({ url: "/review" });

    // one at a time
    expect(await requestRecognition(await actorOf(studioAdmin), STUDIO, ask({ level: "national" }))).toMatchObject({
      ok: false,
      status: 409,
      errors: { _form: "recognition.error.pending" },
    });
  });

  test("only a coordinator decides, never their own request, and a return needs a reason", async () => {
    const r = await db.recognitionRequest.findFirstOrThrow({ where: { status: "pending" } });
    const before = await written();
    expect(await decideRecognition(await actorOf(studioAdmin), r.id, "approve", "")).toEqual({ ok: false, status: 403, reason: "refused.coordinator" });
    expect(await decideRecognition(await actorOf(coordinator), r.id, "return", "  ")).toEqual({ ok: false, status: 400, reason: "review.error.reasonRequired", field: "reason" });
    expect(await written()).toEqual(before);

    // a coordinator who is also the studio's admin asks: another coordinator decides
    const both = await createUser({ role: "coordinator", studio: "metro-signal", studioRole: "admin" });
    const own = await requestRecognition(await actorOf(both), "metro-signal", ask({ level: "national" }));
    expect(own).toMatchObject({ ok: true });
    expect(await decideRecognition(await actorOf(both), (own as { id: string }).id, "approve", "")).toEqual({ ok: false, status: 403, reason: "recognition.error.own" });
    expect((await db.studio.findUniqueOrThrow({ where: { slug: "metro-signal" } })).level).not.toBe("national");
  });

  test("returned with a reason: the studio is unchanged and the requester reads why, in English", async () => {
    const r = await db.recognitionRequest.findFirstOrThrow({ where: { status: "pending", studio: { slug: STUDIO } } });
    const before = await studio();
    expect(await decideRecognition(await actorOf(coordinator), r.id, "return", "请补充省总工会的命名文件")).toEqual({ ok: true });
    expect(await db.recognitionRequest.findUniqueOrThrow({ where: { id: r.id } })).toMatchObject({
      status: "returned",
      reason: "请补充省总工会的命名文件",
      decidedById: coordinator.id,
    });
    expect(await studio()).toEqual(before);
    const notice = await db.notification.findFirstOrThrow({ where: { userId: studioAdmin.id, kind: "recognition.returned" } });
    expect(noticeText(translator("en"), notice)).toBe(`${before.name}'s recognition request was returned. Reason: 请补充省总工会的命名文件`);
    // decided once
    expect(await decideRecognition(await actorOf(coordinator), r.id, "approve", "")).toEqual({ ok: false, status: 409, reason: "recognition.error.decided" });
  });

  test("approved: level and honours change with a new version, the search document and the activity row; approving twice is refused", async () => {
    const out = await requestRecognition(await actorOf(studioAdmin), STUDIO, ask({}));
    expect(out).toMatchObject({ ok: true });
    const id = (out as { id: string }).id;
    const before = await studio();
    expect(await decideRecognition(await actorOf(coordinator), id, "approve", "")).toEqual({ ok: true });
    const after = await studio();
    expect(after).toMatchObject({ level: "provincial", version: before.version + 1 });
    expect(JSON.parse(after.honours)).toEqual(["河南省示范性劳模创新工作室（2024）"]);
    expect(await db.searchDoc.findUniqueOrThrow({ where: { id: `studio:${STUDIO}` } })).toMatchObject({ level: "provincial" });
    const log = await db.activity.findFirstOrThrow({ where: { verb: "recognition.approved", subjectId: id } });
    expect(JSON.parse(log.after!)).toMatchObject({ level: "provincial" });
    expect(JSON.parse(log.before!)).toMatchObject({ level: before.level });
    expect(await db.notification.findFirst({ where: { userId: studioAdmin.id, kind: "recognition.approved" } })).toBeTruthy();
    const res = await apiSearch.loader({ request: getRequest(`/api/search?q=${encodeURIComponent("徐欣")}&level=provincial`), params: {}, context: {} });
    expect(((await res.json()) as { hits: { slug: string }[] }).hits.map((h) => h.slug)).toContain(STUDIO);

    const again = await written();
    expect(await decideRecognition(await actorOf(coordinator), id, "approve", "")).toEqual({ ok: false, status: 409, reason: "recognition.error.decided" });
    expect(await written()).toEqual(again);
  });

  test("a coordinator sets recognition directly, logged before → after; a studio admin cannot", async () => {
    expect(await setRecognition(await actorOf(studioAdmin), STUDIO, formData({ level: "national", honours: "" }))).toMatchObject({ ok: false, status: 403 });
    expect(await setRecognition(await actorOf(coordinator), STUDIO, formData({ level: "municipal", honours: "郑州市劳模创新工作室" }))).toEqual({ ok: true });
    expect(await studio()).toMatchObject({ level: "municipal", honours: JSON.stringify(["郑州市劳模创新工作室"]) });
    const log = await db.activity.findFirstOrThrow({ where: { verb: "recognition.set" }, orderBy: { createdAt: "desc" } });
    expect(log).toMatchObject({ actorId: coordinator.id, after: JSON.stringify({ level: "municipal", honours: ["郑州市劳模创新工作室"] }) });
  });
});

describe("the pages", () => {
  test("/studios/:slug/recognition: the studio's admin asks, a coordinator sets; others are refused", async () => {
    const load = async (u: TestUser | null) =>
      settle(async () =>
        recognitionPage.loader({ request: getRequest(`/studios/${STUDIO}/recognition`, u ? await sessionCookie(u.id) : null), params: { slug: STUDIO }, context: {} }),
      );
    expect(await load(null)).toMatchObject({ status: 302, location: loginRedirect(`/studios/${STUDIO}/recognition`) });
    expect(await load(member)).toMatchObject({ status: 403 });
    expect((await load(studioAdmin)).data).toMatchObject({ mode: "request", studio: { level: "municipal" } });
    expect((await load(coordinator)).data).toMatchObject({ mode: "set" });
  });

  test("the queue shows a waiting request to coordinators only, and a return without a reason comes back with the field", async () => {
    const out = await requestRecognition(await actorOf(studioAdmin), STUDIO, ask({ level: "provincial" }));
    expect(out).toMatchObject({ ok: true });
    const id = (out as { id: string }).id;
    const page = async (u: TestUser) => settle(async () => reviewPage.loader({ request: getRequest("/review", await sessionCookie(u.id)), params: {}, context: {} }));
    expect(await page(studioAdmin)).toMatchObject({ status: 403 });
    const q = await page(coordinator);
    // the other one waiting is metro-signal's, which its own coordinator-admin may not decide
    expect((q.data as { recognitions: { id: string; level: string; studio: { slug: string } }[] }).recognitions.map((r) => [r.studio.slug, r.level])).toEqual([
      ["metro-signal", "national"],
      [STUDIO, "provincial"],
    ]);

    const post = async (fields: Fields) =>
      settle(async () => reviewPage.action({ request: await postRequest("/review", fields, { session: await sessionCookie(coordinator.id) }), params: {}, context: {} }));
    expect(await post({ intent: "return", type: "recognition", id, reason: "" })).toMatchObject({ status: 400, data: { id, errors: { reason: "review.error.reasonRequired" } } });
    expect(await post({ intent: "approve", type: "recognition", id, reason: "" })).toMatchObject({ status: 302, location: "/review?done=approved" });
    expect((await studio()).level).toBe("provincial");
    expect(await post({ intent: "approve", type: "recognition", id, reason: "" })).toMatchObject({ status: 409, data: { errors: { _form: "recognition.error.decided" } } });
  });
});
