import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { beforeAll, describe, expect, test } from "vitest";
import { translator } from "~/i18n/locale.server";
import { importContent } from "~/models/content-import.server";
import { noticeText } from "~/models/notification.server";
import { notifyDueMilestones, suggestStudios } from "~/models/alliance.server";
import * as allianceEdit from "~/routes/alliances.$slug.edit";
import * as alliancePage from "~/routes/alliances.$slug";
import * as projectPage from "~/routes/alliances.$slug.projects.$project";
import * as projectNew from "~/routes/alliances.$slug.projects.new";
import * as allianceNew from "~/routes/alliances.new";
import * as needPage from "~/routes/needs.$slug";
import { db } from "~/utils/db.server";
import { body } from "../fixtures/editing";
import { createUser, getRequest, mailsTo, ORIGIN, postRequest, readMails, sessionCookie, settle, unique, type Fields, type Outcome, type TestUser } from "../setup/auth";

// The coordinator's back office (issue 13 item 6): the coordinator who created an alliance (or a
// site admin) edits or dissolves it, withdraws pending invitations and removes member studios; a
// studio declines with a reason the coordinator sees; an invitation to a studio without an admin
// account reaches its enterprise's contacts or the site admins; the coordinator who started a joint
// project updates it and hears its reminders and completion; overdue milestones are flagged; a
// project names the need it answers. Everyone else is refused and nothing changes.
//
// Studios: xu-xin and distribution-live-line accept; zhongzhou-gas-pipeline stays invited;
// kangyuan-formulation and jinxiu-spinning have no accounts at all.

interface Actor {
  user: TestUser;
  cookie: string;
}
let founder: Actor, otherCoordinator: Actor, siteAdmin: Actor, gridAdmin: Actor, gridMember: Actor, xuAdmin: Actor, xuMember: Actor, gasAdmin: Actor, nobody: Actor;

async function actor(o: Parameters<typeof createUser>[0]): Promise<Actor> {
  const user = await createUser(o);
  return { user, cookie: await sessionCookie(user.id) };
}

type Action = (args: ActionFunctionArgs) => unknown;
type Loader = (args: LoaderFunctionArgs) => unknown;

async function post(action: Action, url: string, params: Record<string, string>, fields: Fields, who: Actor | null): Promise<Outcome> {
  const request = await postRequest(url, fields, { session: who?.cookie ?? null });
  return settle(() => action({ request, params, context: { clientAddress: "10.0.0.1" } }));
}
const get = (loader: Loader, url: string, params: Record<string, string>, who: Actor | null) =>
  settle(() => loader({ request: getRequest(url, who?.cookie ?? null), params, context: {} }));

const studioId = async (slug: string) => (await db.studio.findUniqueOrThrow({ where: { slug } })).id;
const notes = async (who: Actor, kind: string, url?: string) =>
  (await db.notification.findMany({ where: { userId: who.user.id, kind, ...(url ? { url } : {}) }, orderBy: { createdAt: "asc" } })).map((n) => noticeText(translator("zh-CN"), n));
const memberRow = async (allianceId: string, studio: string) => db.allianceMember.findUnique({ where: { allianceId_studioId: { allianceId, studioId: await studioId(studio) } } });

/** Everything the alliance forms can write, compared before and after a refused request. */
async function snapshot() {
  return {
    alliances: await db.alliance.findMany({ select: { slug: true, name: true, theme: true, charter: true, dissolvedAt: true }, orderBy: { slug: "asc" } }),
    members: await db.allianceMember.findMany({ select: { studioId: true, state: true, declineReason: true, reachedVia: true }, orderBy: { id: "asc" } }),
    projects: await db.jointProject.findMany({ select: { slug: true, status: true, needId: true }, orderBy: { slug: "asc" } }),
    milestones: await db.milestone.findMany({ select: { id: true, completedAt: true }, orderBy: { id: "asc" } }),
    updates: await db.projectUpdate.count(),
    notifications: await db.notification.count(),
    activities: await db.activity.count(),
    mails: readMails().length,
  };
}
async function expectRefused(run: () => Promise<Outcome>, status: 403 | 409 | 400 = 403) {
  const before = await snapshot();
  const out = await run();
  expect(out.status).toBe(status);
  if (status === 403) expect(out.data).toMatchObject({ error: { code: "forbidden" } });
  expect(await snapshot()).toEqual(before);
  return out;
}

async function newAlliance(invite: string[], who: Actor = founder) {
  const name = `智能巡检工作室联盟${unique()}`;
  const out = await post(
    allianceNew.action,
    "/alliances/new",
    {},
    { name, theme: "智能巡检", industries: ["power-grid"], invite, charter: body("联盟章程：共享巡检数据与成果。") },
    who,
  );
  expect(out.status).toBe(302);
  return db.alliance.findFirstOrThrow({ where: { name } });
}
const page = (a: { slug: string }, fields: Fields, who: Actor | null) => post(alliancePage.action, `/alliances/${a.slug}`, { slug: a.slug }, fields, who);
const edit = (a: { slug: string }, fields: Fields, who: Actor | null) => post(allianceEdit.action, `/alliances/${a.slug}/edit`, { slug: a.slug }, fields, who);
const editForm = (o: Fields = {}): Fields => ({
  intent: "save",
  name: "配电与轨交智能巡检联盟",
  theme: "智能巡检与运维",
  industries: ["power-grid", "rail-transit"],
  charter: body("新章程：每季度交流一次巡检数据。"),
  ...o,
});
const view = async (a: { slug: string }, who: Actor | null, query = "") =>
  (await get(alliancePage.loader, `/alliances/${a.slug}${query}`, { slug: a.slug }, who)).data as Awaited<ReturnType<typeof alliancePage.loader>>;

/** xu-xin and distribution-live-line accepted, zhongzhou-gas-pipeline invited. */
async function workingAlliance() {
  const a = await newAlliance(["xu-xin", "distribution-live-line", "zhongzhou-gas-pipeline"]);
  expect((await page(a, { intent: "accept", studio: "xu-xin" }, xuAdmin)).status).toBe(200);
  expect((await page(a, { intent: "accept", studio: "distribution-live-line" }, gridAdmin)).status).toBe(200);
  return a;
}

const propose = (a: { slug: string }, o: Fields, who: Actor) =>
  post(
    projectNew.action,
    `/alliances/${a.slug}/projects/new`,
    { slug: a.slug },
    {
      title: `配电房联合巡检${unique()}`,
      goals: "共建巡检点位库",
      lead: "xu-xin",
      partners: ["distribution-live-line"],
      milestoneTitle: ["点位梳理"],
      milestoneDue: ["2031-03-10"],
      ...o,
    },
    who,
  );
async function newProject(a: { slug: string }, o: Fields = {}, who: Actor = founder) {
  const out = await propose(a, o, who);
  expect(out.status).toBe(302);
  const slug = out.location!.split("/").at(-1)!;
  return db.jointProject.findUniqueOrThrow({ where: { slug }, include: { milestones: { orderBy: { sortOrder: "asc" } } } });
}
const act = (a: { slug: string }, p: { slug: string }, fields: Fields, who: Actor | null) =>
  post(projectPage.action, `/alliances/${a.slug}/projects/${p.slug}`, { slug: a.slug, project: p.slug }, fields, who);
const projectView = async (a: { slug: string }, p: { slug: string }, who: Actor | null) =>
  (await get(projectPage.loader, `/alliances/${a.slug}/projects/${p.slug}`, { slug: a.slug, project: p.slug }, who)).data as Awaited<ReturnType<typeof projectPage.loader>>;

beforeAll(async () => {
  const report = await importContent(db, "content");
  if (!report.ok) throw new Error(JSON.stringify(report.problems));
  founder = await actor({ role: "coordinator", name: "王协调" });
  otherCoordinator = await actor({ role: "coordinator", name: "李协调" });
  siteAdmin = await actor({ role: "admin", name: "网站管理员" });
  gridAdmin = await actor({ studio: "distribution-live-line", studioRole: "admin", name: "马国强" });
  gridMember = await actor({ studio: "distribution-live-line", studioRole: "member", name: "配网班组成员" });
  xuAdmin = await actor({ studio: "xu-xin", studioRole: "admin", name: "徐欣" });
  xuMember = await actor({ studio: "xu-xin", studioRole: "member", name: "徐欣工作室成员" });
  gasAdmin = await actor({ studio: "zhongzhou-gas-pipeline", studioRole: "admin", name: "牛建军" });
  nobody = await actor({ name: "普通用户" });
});

describe("editing an alliance", () => {
  test("the coordinator who created it edits name, theme, industries and charter; the log keeps before → after", async () => {
    const a = await workingAlliance();
    const editPage = await get(allianceEdit.loader, `/alliances/${a.slug}/edit`, { slug: a.slug }, founder);
    expect(editPage.status).toBe(200);
    expect(editPage.data).toMatchObject({ alliance: { name: a.name, theme: "智能巡检", industries: ["power-grid"] } });
    const out = await edit(a, editForm(), founder);
    expect(out).toMatchObject({ status: 302, location: `/alliances/${a.slug}?done=saved` });
    const after = await db.alliance.findUniqueOrThrow({ where: { id: a.id } });
    expect(after).toMatchObject({
      name: "配电与轨交智能巡检联盟",
      theme: "智能巡检与运维",
      industries: JSON.stringify(["power-grid", "rail-transit"]),
      charterText: "新章程：每季度交流一次巡检数据。",
    });
    const log = await db.activity.findFirstOrThrow({ where: { verb: "alliance.updated", allianceId: a.id } });
    expect(log.actorId).toBe(founder.user.id);
    expect(JSON.parse(log.before!)).toMatchObject({ name: a.name, theme: "智能巡检", industries: "power-grid" });
    expect(JSON.parse(log.after!)).toMatchObject({ name: "配电与轨交智能巡检联盟", theme: "智能巡检与运维", industries: "power-grid、rail-transit" });
    expect((await view(a, founder, "?done=saved")).done).toBe("saved");
    // the same form again changes nothing and logs nothing
    expect(await edit(a, editForm(), founder)).toMatchObject({ status: 302, location: `/alliances/${a.slug}?done=unchanged` });
    expect(await db.activity.count({ where: { verb: "alliance.updated", allianceId: a.id } })).toBe(1);
  });

  test("a site admin may too", async () => {
    const a = await newAlliance(["xu-xin"]);
    expect((await edit(a, editForm({ name: `管理员改名联盟${unique()}` }), siteAdmin)).status).toBe(302);
  });

  test("another coordinator, a member studio's admin or member, and a user with no studio are refused (403, page and form)", async () => {
    const a = await workingAlliance();
    for (const who of [otherCoordinator, xuAdmin, xuMember, nobody]) {
      expect((await get(allianceEdit.loader, `/alliances/${a.slug}/edit`, { slug: a.slug }, who)).status).toBe(403);
      await expectRefused(() => edit(a, editForm(), who));
    }
    expect((await view(a, otherCoordinator)).manager).toBe(false);
    expect((await view(a, founder)).manager).toBe(true);
  });

  test("bad input comes back with the typed values and the field named; nothing is written", async () => {
    const a = await newAlliance([]);
    const out = await expectRefused(() => edit(a, editForm({ name: "", theme: "新的主题" }), founder), 400);
    expect(out.data).toMatchObject({ errors: { name: "form.required" }, values: { theme: "新的主题" } });
  });
});

describe("withdrawing an invitation and removing a member", () => {
  test("the founder withdraws a pending invitation: the studio's admins hear of it and can no longer accept", async () => {
    const a = await workingAlliance();
    const out = await page(a, { intent: "withdraw", studio: "zhongzhou-gas-pipeline" }, founder);
    expect(out).toMatchObject({ status: 200, data: { done: { kind: "withdrawn", studio: "燃气管网智能巡检创新工作室" } } });
    expect((await memberRow(a.id, "zhongzhou-gas-pipeline"))?.state).toBe("withdrawn");
    expect(await db.activity.findFirst({ where: { verb: "alliance.withdrawn", allianceId: a.id } })).toMatchObject({ actorId: founder.user.id });
    expect(await notes(gasAdmin, "alliance.withdrawn", `/alliances/${a.slug}`)).toEqual([`联盟“${a.name}”撤回了对燃气管网智能巡检创新工作室的邀请`]);
    await expectRefused(() => page(a, { intent: "accept", studio: "zhongzhou-gas-pipeline" }, gasAdmin), 409);
    // a withdrawn studio may be invited again
    expect(await page(a, { intent: "invite", studio: "zhongzhou-gas-pipeline" }, founder)).toMatchObject({ status: 200, data: { invited: ["燃气管网智能巡检创新工作室"] } });
  });

  test("only a pending invitation can be withdrawn: an accepted one is a 409", async () => {
    const a = await workingAlliance();
    const out = await expectRefused(() => page(a, { intent: "withdraw", studio: "xu-xin" }, founder), 409);
    expect(out.data).toMatchObject({ error: "refused.invitationNotPending" });
    expect((await memberRow(a.id, "xu-xin"))?.state).toBe("accepted");
  });

  test("the founder removes a member studio: its members hear of it; removing an invited one is a 409", async () => {
    const a = await workingAlliance();
    expect(await page(a, { intent: "remove", studio: "distribution-live-line" }, founder)).toMatchObject({ status: 200, data: { done: { kind: "removed" } } });
    expect((await memberRow(a.id, "distribution-live-line"))?.state).toBe("removed");
    const line = `配网带电作业劳模创新工作室已被移出联盟“${a.name}”`;
    for (const who of [gridAdmin, gridMember]) expect(await notes(who, "alliance.removed", `/alliances/${a.slug}`)).toEqual([line]);
    expect(mailsTo(gridMember.user.email).map((m) => m.subject)).toContain(line);
    expect((await view(a, null)).members.find((m) => m.slug === "distribution-live-line")?.state).toBe("removed");
    await expectRefused(() => page(a, { intent: "remove", studio: "zhongzhou-gas-pipeline" }, founder), 409);
  });

  test("another coordinator, the studio's own admin and members are refused (403)", async () => {
    const a = await workingAlliance();
    for (const who of [otherCoordinator, gasAdmin, xuAdmin, gridMember, nobody]) {
      await expectRefused(() => page(a, { intent: "withdraw", studio: "zhongzhou-gas-pipeline" }, who));
      await expectRefused(() => page(a, { intent: "remove", studio: "distribution-live-line" }, who));
    }
  });
});

describe("declining with a reason", () => {
  test("the reason is kept, reaches the coordinator in the notice, and shows on the page to coordinators only", async () => {
    const a = await newAlliance(["zhongzhou-gas-pipeline"]);
    expect((await page(a, { intent: "decline", studio: "zhongzhou-gas-pipeline", reason: "  今年人手紧张，明年再议  " }, gasAdmin)).status).toBe(200);
    expect(await memberRow(a.id, "zhongzhou-gas-pipeline")).toMatchObject({ state: "declined", declineReason: "今年人手紧张，明年再议" });
    expect(await notes(founder, "alliance.declinedReason", `/alliances/${a.slug}`)).toEqual([`燃气管网智能巡检创新工作室谢绝加入联盟“${a.name}”，理由：今年人手紧张，明年再议`]);
    const shown = (who: Actor | null) => view(a, who).then((d) => d.members.find((m) => m.slug === "zhongzhou-gas-pipeline")?.declineReason);
    expect(await shown(founder)).toBe("今年人手紧张，明年再议");
    expect(await shown(otherCoordinator)).toBe("今年人手紧张，明年再议");
    expect(await shown(null)).toBe("");
    expect(await shown(xuMember)).toBe("");
  });

  test("a reason is kept as one line of text, at most 500 characters", async () => {
    const a = await newAlliance(["zhongzhou-gas-pipeline"]);
    expect((await page(a, { intent: "decline", studio: "zhongzhou-gas-pipeline", reason: `人手紧张\r\n\u0007明年再议${"。".repeat(600)}` }, gasAdmin)).status).toBe(200);
    const kept = (await memberRow(a.id, "zhongzhou-gas-pipeline"))!.declineReason;
    expect(kept.startsWith("人手紧张 明年再议。")).toBe(true);
    expect(kept).toHaveLength(500);
  });

  test("without a reason the notice is the plain one", async () => {
    const a = await newAlliance(["zhongzhou-gas-pipeline"]);
    expect((await page(a, { intent: "decline", studio: "zhongzhou-gas-pipeline" }, gasAdmin)).status).toBe(200);
    expect(await notes(founder, "alliance.declined", `/alliances/${a.slug}`)).toEqual([`燃气管网智能巡检创新工作室谢绝加入联盟“${a.name}”`]);
  });
});

describe("inviting a studio that has no admin account", () => {
  test("the invitation reaches the enterprise's confirmed contacts, and the page tells the coordinator so", async () => {
    const pharma = await db.studio.findUniqueOrThrow({ where: { slug: "kangyuan-formulation" } });
    const contact = await actor({ name: "康源联络人" });
    await db.enterpriseContact.create({ data: { userId: contact.user.id, enterpriseId: pharma.enterpriseId, status: "confirmed" } });
    const pending = await actor({ name: "待确认联络人" });
    await db.enterpriseContact.create({ data: { userId: pending.user.id, enterpriseId: pharma.enterpriseId, status: "pending" } });
    const a = await newAlliance(["kangyuan-formulation"]);
    expect(await memberRow(a.id, "kangyuan-formulation")).toMatchObject({ state: "invited", reachedVia: "enterprise" });
    const line = `制剂工艺创新工作室受邀加入联盟“${a.name}”，但它还没有管理员账号：请转告工作室，或为它开通管理员`;
    expect(await notes(contact, "alliance.invitedForward", `/alliances/${a.slug}`)).toEqual([line]);
    expect(mailsTo(contact.user.email).map((m) => m.subject)).toContain(line);
    expect(await notes(pending, "alliance.invitedForward")).toEqual([]);
    expect(await notes(siteAdmin, "alliance.invitedForward", `/alliances/${a.slug}`)).toEqual([]);
    const row = (who: Actor | null) => view(a, who).then((d) => d.members.find((m) => m.slug === "kangyuan-formulation")?.reached);
    expect(await row(founder)).toEqual({ via: "enterprise", names: "康源联络人" });
    expect(await row(null)).toBeNull();
  });

  test("with no contact either, it reaches the site admins, one of whom can answer for the studio", async () => {
    const a = await newAlliance([]);
    expect((await page(a, { intent: "invite", studio: "jinxiu-spinning" }, otherCoordinator)).status).toBe(200);
    expect(await memberRow(a.id, "jinxiu-spinning")).toMatchObject({ state: "invited", reachedVia: "site" });
    expect(await notes(siteAdmin, "alliance.invitedForward", `/alliances/${a.slug}`)).toHaveLength(1);
    expect((await view(a, founder)).members.find((m) => m.slug === "jinxiu-spinning")?.reached).toEqual({ via: "site", names: "" });
    expect((await page(a, { intent: "accept", studio: "jinxiu-spinning" }, siteAdmin)).status).toBe(200);
    expect((await memberRow(a.id, "jinxiu-spinning"))?.state).toBe("accepted");
  });
});

describe("studios suggested to a coordinator", () => {
  test("each with its strongest reason, in the reader's language", async () => {
    const a = await workingAlliance();
    const members = (await db.allianceMember.findMany({ where: { allianceId: a.id }, include: { studio: { select: { slug: true } } } })).map((m) => ({
      state: m.state,
      studio: m.studio,
    }));
    const zh = await suggestStudios(members, "zh-CN");
    const en = await suggestStudios(members, "en");
    expect(zh.length).toBeGreaterThan(0);
    expect(en.map((s) => s.slug)).toEqual(zh.map((s) => s.slug));
    for (const s of zh) expect(s.reason).toMatch(/^(能满足本工作室的需求|共同专长|本工作室可支持对方的需求|相近的工作内容)：/);
    for (const s of en) expect(s.reason).toMatch(/^(Meets this studio's needs|Shared skills|This studio can meet its needs|Similar work): /);
    // the alliance page shows the same suggestions
    const asCoordinator = await view(a, founder);
    expect(asCoordinator.suggestions.map((s) => s.slug)).toEqual(zh.map((s) => s.slug));
  });
});

describe("dissolving an alliance", () => {
  test("only its founder or a site admin dissolves it, and only when they tick the box", async () => {
    const a = await workingAlliance();
    for (const who of [otherCoordinator, xuAdmin, gridMember, nobody]) await expectRefused(() => edit(a, { intent: "dissolve", sure: "1" }, who));
    const out = await expectRefused(() => edit(a, { intent: "dissolve" }, founder), 400);
    expect(out.data).toMatchObject({ errors: { sure: "alliance.dissolve.unsure" } });
    expect((await db.alliance.findUniqueOrThrow({ where: { id: a.id } })).dissolvedAt).toBeNull();
  });

  test("a dissolved alliance is read-only and says so; pending invitations are withdrawn; members hear of it", async () => {
    const a = await workingAlliance();
    const p = await newProject(a);
    expect(await edit(a, { intent: "dissolve", sure: "1" }, founder)).toMatchObject({ status: 302, location: `/alliances/${a.slug}?done=dissolved` });
    expect((await db.alliance.findUniqueOrThrow({ where: { id: a.id } })).dissolvedAt).toBeInstanceOf(Date);
    expect((await memberRow(a.id, "zhongzhou-gas-pipeline"))?.state).toBe("withdrawn");
    expect(await db.activity.findFirst({ where: { verb: "alliance.dissolved", allianceId: a.id } })).toMatchObject({ actorId: founder.user.id });
    for (const who of [xuAdmin, gridAdmin]) expect(await notes(who, "alliance.dissolved", `/alliances/${a.slug}`)).toEqual([`联盟“${a.name}”已解散`]);

    const seen = await view(a, founder);
    expect(seen.alliance.dissolvedAt).toEqual(expect.any(String));
    expect(seen).toMatchObject({ manager: false, coordinator: false, canPropose: false, suggestions: [], allStudios: [] });
    expect((await projectView(a, p, xuMember)).readOnly).toBe(true);
    expect((await projectView(a, p, xuMember)).participant).toBe(false);

    // nothing more can be written
    const refusedInvite = await expectRefused(() => page(a, { intent: "invite", studio: "metro-signal" }, founder), 409);
    expect(refusedInvite.data).toMatchObject({ error: "refused.allianceDissolved" });
    await expectRefused(() => page(a, { intent: "leave", studio: "xu-xin" }, xuAdmin), 409);
    await expectRefused(() => page(a, { intent: "remove", studio: "xu-xin" }, founder), 409);
    await expectRefused(() => edit(a, editForm(), founder), 409);
    await expectRefused(() => edit(a, { intent: "dissolve", sure: "1" }, siteAdmin), 409);
    await expectRefused(() => propose(a, {}, founder), 409);
    expect((await get(projectNew.loader, `/alliances/${a.slug}/projects/new`, { slug: a.slug }, founder)).status).toBe(409);
    const writes: Fields[] = [
      { intent: "status", to: "active" },
      { intent: "update", text: "解散后的进展" },
      { intent: "milestone", milestone: p.milestones[0].id, done: "1" },
    ];
    for (const fields of writes) await expectRefused(() => act(a, p, fields, xuMember), 409);
    // and its reminders stop
    await notifyDueMilestones(ORIGIN, new Date("2031-03-09T08:00:00Z"));
    expect(await notes(xuMember, "milestone.due", `/alliances/${a.slug}/projects/${p.slug}`)).toEqual([]);
  });
});

describe("joint projects: the coordinator who started one", () => {
  test("updates it, though no studio of theirs takes part; another coordinator may not", async () => {
    const a = await workingAlliance();
    const p = await newProject(a);
    expect(p.createdById).toBe(founder.user.id);
    expect((await projectView(a, p, founder)).participant).toBe(true);
    expect((await projectView(a, p, otherCoordinator)).participant).toBe(false);
    expect(await act(a, p, { intent: "status", to: "active" }, founder)).toMatchObject({ status: 302 });
    expect(await act(a, p, { intent: "update", text: "协调人：已约定首次联合巡检时间" }, founder)).toMatchObject({ status: 302 });
    expect((await db.projectUpdate.findFirstOrThrow({ where: { projectId: p.id } })).authorId).toBe(founder.user.id);
    await expectRefused(() => act(a, p, { intent: "update", text: "别的协调人" }, otherCoordinator));
  });

  test("hears when a milestone is done and when the project is completed, by inbox and mail", async () => {
    const a = await workingAlliance();
    const p = await newProject(a, { milestoneTitle: ["首批点位验收"], milestoneDue: ["2031-01-15"] });
    expect((await act(a, p, { intent: "milestone", milestone: p.milestones[0].id, done: "1" }, xuMember)).status).toBe(302);
    expect(await notes(founder, "milestone.done")).toContain(`里程碑完成：${p.title} — 首批点位验收`);
    expect((await act(a, p, { intent: "status", to: "active" }, xuMember)).status).toBe(302);
    expect((await act(a, p, { intent: "status", to: "completed" }, xuMember)).status).toBe(302);
    const line = `联合项目已完成：${p.title}（${a.name}）`;
    expect(await notes(founder, "project.completed")).toEqual([line]);
    expect(mailsTo(founder.user.email).map((m) => m.subject)).toContain(line);
    for (const who of [gridMember, xuAdmin]) expect(await notes(who, "project.completed")).toContain(line);
    expect(await notes(xuMember, "project.completed")).not.toContain(line); // the one who completed it
  });

  test("gets the reminders of milestones due within three days", async () => {
    const a = await workingAlliance();
    const p = await newProject(a, { milestoneTitle: ["联调完成"], milestoneDue: ["2032-05-10"] });
    await notifyDueMilestones(ORIGIN, new Date("2032-05-08T08:00:00Z"));
    const url = `/alliances/${a.slug}/projects/${p.slug}`;
    expect(await notes(founder, "milestone.due", url)).toEqual([`里程碑即将到期（2032-05-10）：${p.title} — 联调完成`]);
    expect(await notes(gridMember, "milestone.due", url)).toHaveLength(1);
    expect(await notes(otherCoordinator, "milestone.due", url)).toEqual([]);
  });
});

describe("overdue milestones", () => {
  test("a milestone past its date and not done is flagged on the project page and counted on the alliance page", async () => {
    const a = await workingAlliance();
    const p = await newProject(a, { milestoneTitle: ["早已到期", "已完成的", "将来的"], milestoneDue: ["2020-01-10", "2020-02-10", "2099-01-01"] });
    expect((await act(a, p, { intent: "milestone", milestone: p.milestones[1].id, done: "1" }, xuMember)).status).toBe(302);
    const flags = (await projectView(a, p, null)).milestones.map((m) => [m.title, m.overdue]);
    expect(flags).toEqual([
      ["早已到期", true],
      ["已完成的", false],
      ["将来的", false],
    ]);
    expect((await view(a, null)).projects.find((x) => x.title === p.title)?.overdue).toBe(1);
    // a cancelled project has nothing overdue
    expect((await act(a, p, { intent: "status", to: "cancelled" }, xuMember)).status).toBe(302);
    expect((await projectView(a, p, null)).milestones.some((m) => m.overdue)).toBe(false);
  });
});

describe("a project linked to the need it answers", () => {
  const NEED = "bearing-ring-visual-inspection";

  test("chosen on the project form, shown on the project page and on the need's page", async () => {
    const a = await workingAlliance();
    const form = (await get(projectNew.loader, `/alliances/${a.slug}/projects/new`, { slug: a.slug }, founder)).data as { needs: { slug: string; status: string }[] };
    expect(form.needs.map((n) => n.slug)).toContain(NEED);
    expect(form.needs.every((n) => n.status !== "draft" && n.status !== "withdrawn")).toBe(true);
    const p = await newProject(a, { need: NEED });
    expect((await db.jointProject.findUniqueOrThrow({ where: { id: p.id }, include: { need: true } })).need?.slug).toBe(NEED);
    expect((await projectView(a, p, null)).need).toEqual({ slug: NEED, title: "轴承套圈表面缺陷机器视觉检测" });
    const needData = (await get(needPage.loader, `/needs/${NEED}`, { slug: NEED }, null)).data as { projects: { url: string; title: string }[] };
    expect(needData.projects).toContainEqual(expect.objectContaining({ url: `/alliances/${a.slug}/projects/${p.slug}`, title: p.title }));
  });

  test("a need that does not exist is refused with the field named; the link can be changed and cleared later", async () => {
    const a = await workingAlliance();
    const bad = await expectRefused(() => propose(a, { need: "no-such-need" }, founder), 400);
    expect(bad.data).toMatchObject({ errors: { need: "form.invalid" }, values: { need: "no-such-need" } });
    const p = await newProject(a);
    expect(await act(a, p, { intent: "need", need: NEED }, xuMember)).toMatchObject({ status: 302 });
    expect((await projectView(a, p, null)).need?.slug).toBe(NEED);
    expect(await db.activity.findFirst({ where: { verb: "project.needLinked", subjectId: p.id } })).toMatchObject({ actorId: xuMember.user.id });
    await expectRefused(() => act(a, p, { intent: "need", need: "no-such-need" }, xuMember), 400);
    expect(await act(a, p, { intent: "need", need: "" }, founder)).toMatchObject({ status: 302 });
    expect((await projectView(a, p, null)).need).toBeNull();
    await expectRefused(() => act(a, p, { intent: "need", need: NEED }, otherCoordinator));
  });
});
