import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { beforeAll, describe, expect, test } from "vitest";
import { MESSAGES } from "~/i18n/messages";
import { notifyDueMilestones, reuseCount } from "~/models/alliance.server";
import { importContent } from "~/models/content-import.server";
import { createResultDraft } from "~/models/editing.server";
import { localeCookie, translator } from "~/i18n/locale.server";
import { noticeText, unreadCount } from "~/models/notification.server";
import * as alliancePage from "~/routes/alliances.$slug";
import * as projectPage from "~/routes/alliances.$slug.projects.$project";
import * as projectNew from "~/routes/alliances.$slug.projects.new";
import * as allianceNew from "~/routes/alliances.new";
import * as resultsApi from "~/routes/api.results.$slug";
import * as inbox from "~/routes/inbox";
import * as root from "~/root";
import * as resultEdit from "~/routes/results.$slug.edit";
import * as resultPage from "~/routes/results.$slug";
import { db } from "~/utils/db.server";
import { body, resultForm } from "../fixtures/editing";
import {
  createUser,
  getRequest,
  loginRedirect,
  mailsTo,
  ORIGIN,
  postRequest,
  readMails,
  sessionCookie,
  settle,
  unique,
  type Fields,
  type Outcome,
  type TestUser,
} from "../setup/auth";

// Alliances and joint projects, as people use them through the pages' forms (CSRF'd posts with a
// session): who may create, invite, answer, leave, propose and update — everyone else gets 403 and
// nothing changes; who sees alliance-only results; which events reach the inbox and the mail outbox;
// and how adoptions add up to "已被 N 家企业复用".
//
// Studios: xu-xin (郑州地铁), distribution-live-line (国网郑州供电公司), zhongzhou-gas-pipeline
// (郑州中州燃气), metro-signal (郑州地铁, never in the alliances below).

interface Actor {
  user: TestUser;
  cookie: string;
}
let coordinator: Actor,
  otherCoordinator: Actor,
  siteAdmin: Actor,
  gridAdmin: Actor,
  gridMember: Actor,
  xuAdmin: Actor,
  xuMember: Actor,
  gasAdmin: Actor,
  signalAdmin: Actor,
  nobody: Actor;

async function actor(o: Parameters<typeof createUser>[0]): Promise<Actor> {
  const user = await createUser(o);
  return { user, cookie: await sessionCookie(user.id) };
}

type Action = (args: ActionFunctionArgs) => unknown;
type Loader = (args: LoaderFunctionArgs) => unknown;

/** A form post by `who` (null: anonymous), with a valid CSRF pair unless `csrf: "missing"`. */
async function post(action: Action, url: string, params: Record<string, string>, fields: Fields, who: Actor | null, csrf?: "missing"): Promise<Outcome> {
  const request = await postRequest(url, fields, { session: who?.cookie ?? null, csrf });
  return settle(() => action({ request, params, context: { clientAddress: "10.0.0.1" } }));
}
function get(loader: Loader, url: string, params: Record<string, string>, who: Actor | null): Promise<Outcome> {
  return settle(() => loader({ request: getRequest(url, who?.cookie ?? null), params, context: {} }));
}

const studioId = async (slug: string) => (await db.studio.findUniqueOrThrow({ where: { slug } })).id;
/** A user's notices as they read them in Chinese (the stored kind and values rendered). */
const notes = async (who: Actor, kind?: string) =>
  (await db.notification.findMany({ where: { userId: who.user.id, ...(kind ? { kind } : {}) }, orderBy: { createdAt: "asc" } })).map((n) => ({
    ...n,
    title: noticeText(translator("zh-CN"), n),
  }));

/** Everything the alliance forms can write: compared before and after a refused request. */
async function snapshot() {
  return {
    alliances: await db.alliance.findMany({ select: { slug: true, name: true }, orderBy: { slug: "asc" } }),
    members: await db.allianceMember.findMany({ select: { allianceId: true, studioId: true, state: true, respondedAt: true }, orderBy: { id: "asc" } }),
    projects: await db.jointProject.findMany({ select: { slug: true, status: true, outcomeResultId: true }, orderBy: { slug: "asc" } }),
    participants: await db.projectParticipant.count(),
    milestones: await db.milestone.findMany({ select: { id: true, completedAt: true }, orderBy: { id: "asc" } }),
    updates: await db.projectUpdate.count(),
    adoptions: await db.adoption.findMany({ select: { resultId: true, enterpriseId: true, benefit: true }, orderBy: { id: "asc" } }),
    enterprises: await db.enterprise.count(),
    notifications: await db.notification.count(),
    activities: await db.activity.count(),
    mails: readMails().length,
  };
}

async function expectRefused(run: () => Promise<Outcome>, status = 403) {
  const before = await snapshot();
  const out = await run();
  expect(out.status).toBe(status);
  if (status === 403) expect(out.data).toMatchObject({ error: { code: expect.stringMatching(/^(forbidden|csrf)$/) } });
  expect(await snapshot()).toEqual(before);
  return out;
}

// —— building blocks, through the real forms ——

async function createAlliance(who: Actor | null, invite: string[] = [], csrf?: "missing") {
  const name = `智能巡检工作室联盟${unique()}`;
  const out = await post(
    allianceNew.action,
    "/alliances/new",
    {},
    {
      name,
      theme: "智能巡检",
      industries: ["power-grid", "rail-transit"],
      invite,
      charter: body("联盟章程：共享巡检数据与成果，联合攻关配电房和轨旁设备的智能巡检。"),
    },
    who,
    csrf,
  );
  return { out, name };
}

async function newAlliance(invite: string[]) {
  const { out, name } = await createAlliance(coordinator, invite);
  expect(out.status).toBe(302);
  return db.alliance.findFirstOrThrow({ where: { name } });
}

const answer = (slug: string, intent: string, studio: string, who: Actor | null, csrf?: "missing") =>
  post(alliancePage.action, `/alliances/${slug}`, { slug }, { intent, studio }, who, csrf);

const memberState = async (allianceId: string, studio: string) =>
  (await db.allianceMember.findUnique({ where: { allianceId_studioId: { allianceId, studioId: await studioId(studio) } } }))?.state ?? null;

/** An alliance of xu-xin and distribution-live-line (accepted) and zhongzhou-gas-pipeline (invited only). */
async function workingAlliance() {
  const a = await newAlliance(["xu-xin", "distribution-live-line", "zhongzhou-gas-pipeline"]);
  expect((await answer(a.slug, "accept", "xu-xin", xuAdmin)).status).toBe(200);
  expect((await answer(a.slug, "accept", "distribution-live-line", gridAdmin)).status).toBe(200);
  return a;
}

const proposeForm = (o: Partial<Record<string, string | string[]>> = {}): Fields => ({
  title: `配电房与轨旁设备联合巡检${unique()}`,
  goals: "共建巡检点位库，试点挂轨巡检装置",
  lead: "xu-xin",
  partners: ["distribution-live-line"],
  milestoneTitle: ["巡检点位梳理"],
  milestoneDue: ["2026-12-20"],
  ...o,
});
const propose = (slug: string, fields: Fields, who: Actor | null, csrf?: "missing") => post(projectNew.action, `/alliances/${slug}/projects/new`, { slug }, fields, who, csrf);

async function newProject(a: { slug: string }, o: Partial<Record<string, string | string[]>> = {}) {
  const form = proposeForm(o);
  const out = await propose(a.slug, form, coordinator);
  expect(out.status).toBe(302);
  return db.jointProject.findFirstOrThrow({ where: { title: String(form.title) }, include: { milestones: true } });
}

const act = (a: { slug: string }, p: { slug: string }, fields: Fields, who: Actor | null, csrf?: "missing") =>
  post(projectPage.action, `/alliances/${a.slug}/projects/${p.slug}`, { slug: a.slug, project: p.slug }, fields, who, csrf);

beforeAll(async () => {
  const report = await importContent(db, "content");
  if (!report.ok) throw new Error(JSON.stringify(report.problems));
  coordinator = await actor({ role: "coordinator", name: "王协调" });
  otherCoordinator = await actor({ role: "coordinator", name: "李协调" });
  siteAdmin = await actor({ role: "admin", name: "网站管理员" });
  gridAdmin = await actor({ studio: "distribution-live-line", studioRole: "admin", name: "马国强" });
  gridMember = await actor({ studio: "distribution-live-line", studioRole: "member", name: "配网班组成员" });
  xuAdmin = await actor({ studio: "xu-xin", studioRole: "admin", name: "徐欣" });
  xuMember = await actor({ studio: "xu-xin", studioRole: "member", name: "徐欣工作室成员" });
  gasAdmin = await actor({ studio: "zhongzhou-gas-pipeline", studioRole: "admin", name: "牛建军" });
  signalAdmin = await actor({ studio: "metro-signal", studioRole: "admin", name: "孙丽娜" });
  nobody = await actor({ name: "普通用户" });
});

describe("creating an alliance and inviting studios", () => {
  test.each([
    ["a coordinator", () => coordinator],
    ["a site admin", () => siteAdmin],
  ])("%s creates one; the invited studios' admins hear of it in the inbox and by mail", async (_, who) => {
    const { out, name } = await createAlliance(who(), ["distribution-live-line"]);
    const a = await db.alliance.findFirstOrThrow({ where: { name }, include: { members: { include: { studio: true } } } });
    expect(out).toMatchObject({ status: 302, location: `/alliances/${a.slug}` });
    expect(a).toMatchObject({ theme: "智能巡检", createdById: who().user.id, charterText: expect.stringContaining("联盟章程") });
    expect(a.members.map((m) => [m.studio.slug, m.state])).toEqual([["distribution-live-line", "invited"]]);
    const invited = (await notes(gridAdmin, "alliance.invited")).filter((n) => n.url === `/alliances/${a.slug}`);
    expect(invited).toHaveLength(1);
    expect(invited[0].title).toBe(`配网带电作业劳模创新工作室受邀加入联盟“${name}”`);
    expect(await notes(gridMember, "alliance.invited")).toEqual([]); // the studio's admins answer for it
    expect(mailsTo(gridAdmin.user.email).some((m) => m.subject === invited[0].title && m.text.includes(`${ORIGIN}/alliances/${a.slug}`))).toBe(true);
  });

  test.each([
    ["a studio admin", () => gridAdmin],
    ["a studio member", () => xuMember],
    ["a signed-in user with no studio", () => nobody],
  ])("%s may not create one (403, nothing written)", async (_, who) => {
    await expectRefused(async () => (await createAlliance(who(), ["xu-xin"])).out);
  });

  test("an anonymous visitor is sent to log in", async () => {
    const before = await snapshot();
    expect((await createAlliance(null)).out).toMatchObject({ status: 302, location: loginRedirect("/alliances/new") });
    expect(await snapshot()).toEqual(before);
  });

  test("only coordinators and site admins invite more studios", async () => {
    const a = await workingAlliance();
    const invite = (who: Actor) => post(alliancePage.action, `/alliances/${a.slug}`, { slug: a.slug }, { intent: "invite", studio: "metro-signal" }, who);
    for (const who of [gridAdmin, xuAdmin, signalAdmin, xuMember, nobody]) await expectRefused(() => invite(who));
    expect(await memberState(a.id, "metro-signal")).toBeNull();
    const out = await invite(coordinator);
    expect(out).toMatchObject({ status: 200, data: { invited: ["郑州地铁信号系统工匠创新工作室"] } });
    expect(await memberState(a.id, "metro-signal")).toBe("invited");
    expect((await notes(signalAdmin, "alliance.invited")).some((n) => n.url === `/alliances/${a.slug}`)).toBe(true);
    // inviting again an invited (or accepted) studio does nothing
    const before = await snapshot();
    expect(await post(alliancePage.action, `/alliances/${a.slug}`, { slug: a.slug }, { intent: "invite", studio: ["metro-signal", "xu-xin"] }, siteAdmin)).toMatchObject({
      status: 200,
      data: { invited: [] },
    });
    expect(await snapshot()).toEqual(before);
  });
});

describe("answering an invitation", () => {
  test.each([
    ["a member (not admin) of the invited studio", () => gridMember, "distribution-live-line"],
    ["an admin of another studio, answering for the invited one", () => signalAdmin, "distribution-live-line"],
    ["the coordinator who invited it", () => coordinator, "distribution-live-line"],
    ["an admin of a studio that was not invited, answering for their own", () => signalAdmin, "metro-signal"],
  ])("%s gets 403 and nothing changes", async (_, who, studio) => {
    const a = await newAlliance(["distribution-live-line"]);
    for (const intent of ["accept", "decline"]) await expectRefused(() => answer(a.slug, intent, studio, who()));
    expect(await memberState(a.id, "distribution-live-line")).toBe("invited");
  });

  test("an anonymous visitor is sent to log in", async () => {
    const a = await newAlliance(["distribution-live-line"]);
    expect(await answer(a.slug, "accept", "distribution-live-line", null)).toMatchObject({ status: 302, location: loginRedirect(`/alliances/${a.slug}`) });
    expect(await memberState(a.id, "distribution-live-line")).toBe("invited");
  });

  test("the invited studio's admin accepts; the coordinator hears of it; answering again is a 409", async () => {
    const a = await newAlliance(["distribution-live-line"]);
    const unreadBefore = await unreadCount(coordinator.user.id);
    expect(await answer(a.slug, "accept", "distribution-live-line", gridAdmin)).toMatchObject({ status: 200, data: { error: null } });
    expect(await memberState(a.id, "distribution-live-line")).toBe("accepted");
    const accepted = (await notes(coordinator, "alliance.accepted")).filter((n) => n.url === `/alliances/${a.slug}`);
    expect(accepted.map((n) => n.title)).toEqual([`配网带电作业劳模创新工作室已加入联盟“${a.name}”`]);
    expect(await unreadCount(coordinator.user.id)).toBe(unreadBefore + 1);
    expect(mailsTo(coordinator.user.email).some((m) => m.subject === accepted[0].title)).toBe(true);
    for (const intent of ["accept", "decline"]) await expectRefused(() => answer(a.slug, intent, "distribution-live-line", gridAdmin), 409);
    expect(await memberState(a.id, "distribution-live-line")).toBe("accepted");
  });

  test("a declined invitation cannot be accepted afterwards (409)", async () => {
    const a = await newAlliance(["distribution-live-line"]);
    expect((await answer(a.slug, "decline", "distribution-live-line", gridAdmin)).status).toBe(200);
    expect(await memberState(a.id, "distribution-live-line")).toBe("declined");
    expect((await notes(coordinator, "alliance.declined")).some((n) => n.url === `/alliances/${a.slug}`)).toBe(true);
    await expectRefused(() => answer(a.slug, "accept", "distribution-live-line", gridAdmin), 409);
    expect(await memberState(a.id, "distribution-live-line")).toBe("declined");
  });

  test("the inbox lists the invitation, unread, and opening it marks it read", async () => {
    const a = await newAlliance(["zhongzhou-gas-pipeline"]);
    const page = await get(inbox.loader, "/inbox", {}, gasAdmin);
    const items = (page.data as { items: { id: string; title: string; url: string; unread: boolean }[] }).items;
    const item = items.find((i) => i.url === `/alliances/${a.slug}`)!;
    expect(item).toMatchObject({ title: `燃气管网智能巡检创新工作室受邀加入联盟“${a.name}”`, unread: true });
    const unread = await unreadCount(gasAdmin.user.id);
    expect(unread).toBeGreaterThan(0);
    const out = await post(inbox.action, "/inbox", {}, { id: item.id, to: item.url }, gasAdmin);
    expect(out).toMatchObject({ status: 302, location: `/alliances/${a.slug}` });
    expect(await unreadCount(gasAdmin.user.id)).toBe(unread - 1);
  });

  test("each reader gets the notice in their own language, in the inbox and by mail", async () => {
    const english = await actor({ studio: "zhongzhou-gas-pipeline", studioRole: "admin" });
    await db.user.update({ where: { id: english.user.id }, data: { locale: "en" } });
    const a = await newAlliance(["zhongzhou-gas-pipeline"]);
    const line = `燃气管网智能巡检创新工作室 is invited to join the alliance “${a.name}”`;
    const lang = (await localeCookie.serialize("en")).split(";")[0];
    const withLang = { ...english, cookie: `${english.cookie}; ${lang}` };
    const items = ((await get(inbox.loader, "/inbox", {}, withLang)).data as { items: { title: string; url: string }[] }).items;
    expect(items.find((i) => i.url === `/alliances/${a.slug}`)?.title).toBe(line);
    expect(mailsTo(english.user.email).map((m) => m.subject)).toContain(line);
    expect(mailsTo(gasAdmin.user.email).map((m) => m.subject)).toContain(`燃气管网智能巡检创新工作室受邀加入联盟“${a.name}”`);
  });

  test("visiting the page a notice points to clears it from the badge, without going through the inbox", async () => {
    const a = await newAlliance(["zhongzhou-gas-pipeline"]);
    const badge = async (path: string) => ((await get(root.loader, path, {}, gasAdmin)).data as { user: { unread: number } }).user.unread;
    const before = await badge("/alliances");
    expect(before).toBeGreaterThan(0);
    expect(await badge(`/alliances/${a.slug}`)).toBe(before - 1);
    expect(await badge("/alliances")).toBe(before - 1);
  });
});

describe("leaving an alliance", () => {
  test("only an accepted studio's admin can leave; the coordinator hears of it; leaving twice is a 409", async () => {
    const a = await workingAlliance();
    await expectRefused(() => answer(a.slug, "leave", "zhongzhou-gas-pipeline", gasAdmin), 409); // invited, not a member yet
    expect(await memberState(a.id, "zhongzhou-gas-pipeline")).toBe("invited");
    for (const who of [gridMember, coordinator, signalAdmin]) await expectRefused(() => answer(a.slug, "leave", "distribution-live-line", who));
    expect(await memberState(a.id, "distribution-live-line")).toBe("accepted");
    expect((await answer(a.slug, "leave", "distribution-live-line", gridAdmin)).status).toBe(200);
    expect(await memberState(a.id, "distribution-live-line")).toBe("left");
    expect((await notes(coordinator, "alliance.left")).map((n) => n.title)).toContain(`配网带电作业劳模创新工作室已退出联盟“${a.name}”`);
    await expectRefused(() => answer(a.slug, "leave", "distribution-live-line", gridAdmin), 409);
  });
});

describe("proposing a joint project", () => {
  test.each([
    ["the coordinator", () => coordinator],
    ["an admin of a member studio", () => gridAdmin],
    ["a site admin", () => siteAdmin],
  ])("%s proposes one; participants hear of it", async (_, who) => {
    const a = await workingAlliance();
    const form = proposeForm({ lead: "distribution-live-line", partners: ["xu-xin"], milestoneTitle: ["点位梳理", "样机试点"], milestoneDue: ["2026-12-20", "2027-03-01"] });
    const out = await propose(a.slug, form, who());
    const p = await db.jointProject.findFirstOrThrow({
      where: { title: String(form.title) },
      include: { participants: { include: { studio: true } }, milestones: { orderBy: { sortOrder: "asc" } } },
    });
    expect(out).toMatchObject({ status: 302, location: `/alliances/${a.slug}/projects/${p.slug}` });
    expect(p.status).toBe("proposed");
    expect(p.participants.map((x) => [x.studio.slug, x.role]).sort()).toEqual([
      ["distribution-live-line", "lead"],
      ["xu-xin", "partner"],
    ]);
    expect(p.milestones.map((m) => [m.title, m.dueOn])).toEqual([
      ["点位梳理", "2026-12-20"],
      ["样机试点", "2027-03-01"],
    ]);
    for (const member of [gridMember, xuMember, xuAdmin]) expect((await notes(member, "project.proposed")).some((n) => n.title.includes(String(form.title)))).toBe(true);
    expect((await notes(gasAdmin, "project.proposed")).some((n) => n.title.includes(String(form.title)))).toBe(false);
  });

  test.each([
    ["a member (not admin) of a member studio", () => gridMember],
    ["the admin of a studio invited but not yet accepted", () => gasAdmin],
    ["an admin of a studio outside the alliance", () => signalAdmin],
    ["a signed-in user with no studio", () => nobody],
  ])("%s may not (403, nothing written)", async (_, who) => {
    const a = await workingAlliance();
    await expectRefused(() => propose(a.slug, proposeForm(), who()));
  });

  test("the lead must be a member studio", async () => {
    const a = await workingAlliance();
    const out = await expectRefused(() => propose(a.slug, proposeForm({ lead: "zhongzhou-gas-pipeline" }), coordinator), 400);
    expect(out.data).toMatchObject({ errors: { lead: "form.invalid" } });
  });
});

describe("updating a joint project", () => {
  /** A project led by xu-xin with distribution-live-line, in an alliance that zhongzhou-gas-pipeline also joined. */
  async function project() {
    const a = await workingAlliance();
    expect((await answer(a.slug, "accept", "zhongzhou-gas-pipeline", gasAdmin)).status).toBe(200);
    const p = await newProject(a);
    return { a, p, milestone: p.milestones[0] };
  }
  const intents = (milestone: string): [string, Fields][] => [
    ["status", { intent: "status", to: "active" }],
    ["milestone", { intent: "milestone", milestone, done: "1" }],
    ["update", { intent: "update", text: "完成了首批20个配电房的点位梳理" }],
    ["outcome", { intent: "outcome", result: "hmi-simulation-software" }],
    ["adopt", { intent: "adopt", newName: "郑州中州燃气股份有限公司", adoptedOn: "2026-11-01", benefit: "培训时长缩短30%" }],
  ];

  test("non-participants get 403 for every change, and nothing changes", async () => {
    const { a, p, milestone } = await project();
    expect((await act(a, p, { intent: "outcome", result: "hmi-simulation-software" }, xuMember)).status).toBe(302); // so that adopt is possible
    const refused = [
      ["a coordinator who did not start it", otherCoordinator],
      ["the admin of a member studio that is not in the project", gasAdmin],
      ["an admin of a studio outside the alliance", signalAdmin],
      ["a signed-in user with no studio", nobody],
    ] as const;
    for (const [, who] of refused) {
      for (const [, fields] of intents(milestone.id)) await expectRefused(() => act(a, p, fields, who));
    }
    expect(await db.jointProject.findUniqueOrThrow({ where: { id: p.id } })).toMatchObject({ status: "proposed" });
  });

  test("any member of a participating studio makes every change", async () => {
    const { a, p, milestone } = await project();
    for (const [name, fields] of intents(milestone.id)) {
      const who = name === "update" || name === "status" ? gridMember : xuMember;
      expect(await act(a, p, fields, who), name).toMatchObject({ status: 302, location: `/alliances/${a.slug}/projects/${p.slug}` });
    }
    const after = await db.jointProject.findUniqueOrThrow({
      where: { id: p.id },
      include: { milestones: true, updates: true, outcomeResult: { include: { adoptions: { include: { enterprise: true } } } } },
    });
    expect(after.status).toBe("active");
    expect(after.milestones[0].completedAt).not.toBeNull();
    expect(after.updates.map((u) => [u.text, u.authorId])).toEqual([["完成了首批20个配电房的点位梳理", gridMember.user.id]]);
    expect(after.outcomeResult?.slug).toBe("hmi-simulation-software");
    expect(after.outcomeResult?.adoptions.map((x) => [x.enterprise?.name, x.adoptedOn, x.benefit])).toEqual([["郑州中州燃气股份有限公司", "2026-11-01", "培训时长缩短30%"]]);
  });

  test("the status moves only forward: proposed → active → completed, or cancelled; every other move is a 409", async () => {
    const { a, p } = await project();
    const status = (to: string) => act(a, p, { intent: "status", to }, xuMember);
    const now = async () => (await db.jointProject.findUniqueOrThrow({ where: { id: p.id } })).status;
    for (const to of ["completed", "proposed", "bogus"]) await expectRefused(() => status(to), 409);
    expect((await status("active")).status).toBe(302);
    for (const to of ["proposed", "active"]) await expectRefused(() => status(to), 409);
    expect((await status("completed")).status).toBe(302);
    expect(await now()).toBe("completed");
    for (const to of ["active", "proposed", "cancelled"]) {
      const out = await expectRefused(() => status(to), 409);
      expect(out.data).toMatchObject({ errors: { _form: `the project cannot move from completed to ${to}` } });
    }
    expect(await now()).toBe("completed");
  });

  test("the outcome must be a published result of a participating studio; an adoption needs an outcome first", async () => {
    const { a, p } = await project();
    await expectRefused(() => act(a, p, { intent: "adopt", newName: "郑州中州燃气股份有限公司", adoptedOn: "2026-11-01", benefit: "节省培训工时" }, xuMember), 400);
    await expectRefused(() => act(a, p, { intent: "outcome", result: "gas-station-inspection-robot" }, xuMember), 400); // zhongzhou is not in the project
    await expectRefused(() => act(a, p, { intent: "outcome", result: "no-such-result" }, xuMember), 400);
  });
});

describe("alliance-only results", () => {
  // studios no other test puts in an alliance, so that no other alliance lends anyone a right here:
  // yufeng-frozen-food publishes, konggang-sorting is a member, kangyuan-formulation only invited,
  // huaxin-sensors outside
  let a: { id: string; slug: string; name: string };
  let slug: string;
  let foodAdmin: Actor, foodMember: Actor, sortingAdmin: Actor, sortingMember: Actor, pharmaAdmin: Actor, sensorAdmin: Actor;
  const title = "速冻生产线装箱码垛机器人联盟内部调试手册";

  beforeAll(async () => {
    foodAdmin = await actor({ studio: "yufeng-frozen-food", studioRole: "admin", name: "程丽" });
    foodMember = await actor({ studio: "yufeng-frozen-food", studioRole: "member", name: "詹涛" });
    sortingAdmin = await actor({ studio: "konggang-sorting", studioRole: "admin", name: "彭浩" });
    sortingMember = await actor({ studio: "konggang-sorting", studioRole: "member", name: "雷鸣" });
    pharmaAdmin = await actor({ studio: "kangyuan-formulation", studioRole: "admin", name: "黄雅琴" });
    sensorAdmin = await actor({ studio: "huaxin-sensors", studioRole: "admin", name: "吴婷婷" });
    a = await newAlliance(["yufeng-frozen-food", "konggang-sorting", "kangyuan-formulation"]);
    expect((await answer(a.slug, "accept", "yufeng-frozen-food", foodAdmin)).status).toBe(200);
    expect((await answer(a.slug, "accept", "konggang-sorting", sortingAdmin)).status).toBe(200);
    const studio = await db.studio.findUniqueOrThrow({ where: { slug: "yufeng-frozen-food" } });
    slug = (await createResultDraft(studio, title)).slug;
    const form = await resultForm(slug, {
      title,
      kind: "standard",
      industry: "food",
      tags: "工业机器人，码垛，机器视觉",
      benefits: "装箱工位用工减少4人",
      status: "piloting",
      adopters: "郑州豫丰食品有限公司",
      year: "2026",
      visibility: "alliance",
      body: body("手册记录了装箱码垛机器人工作站的调试步骤与参数。"),
    });
    const request = await postRequest(`/results/${slug}/edit`, form, { session: foodAdmin.cookie });
    const out = await settle(() => resultEdit.action({ request, params: { slug }, context: {} }));
    expect(out).toMatchObject({ status: 302, location: `/results/${slug}?published=1` });
  });

  const allianceResults = async (who: Actor | null) =>
    ((await get(alliancePage.loader, `/alliances/${a.slug}`, { slug: a.slug }, who)).data as { results: { slug: string; allianceOnly: boolean }[] }).results;
  const resultStatus = async (result: string, who: Actor | null) => (await get(resultPage.loader, `/results/${result}`, { slug: result }, who)).status;

  test("publishing it tells the other member studios (inbox and mail), not the invited-only one", async () => {
    for (const who of [sortingAdmin, sortingMember]) {
      const n = (await notes(who, "alliance.result")).find((x) => x.url === `/results/${slug}`);
      expect(n?.title).toBe(`联盟成员发布了新成果：${title}`);
      expect(mailsTo(who.user.email).some((m) => m.subject === n?.title)).toBe(true);
    }
    for (const who of [pharmaAdmin, sensorAdmin, foodMember]) expect((await notes(who, "alliance.result")).some((x) => x.url === `/results/${slug}`)).toBe(false);
  });

  test("the alliance page shows it to members of member studios only", async () => {
    for (const who of [sortingMember, foodMember]) expect(await allianceResults(who)).toContainEqual(expect.objectContaining({ slug, allianceOnly: true }));
    for (const who of [pharmaAdmin, sensorAdmin, nobody, null]) {
      const results = await allianceResults(who);
      expect(results.map((r) => r.slug)).not.toContain(slug);
      expect(results.map((r) => r.slug)).toContain("production-line-plc-retrofit-method"); // public results of members stay visible
    }
  });

  test("its page is a 404 for everyone else, and the public API never gives it", async () => {
    for (const who of [sortingMember, sortingAdmin, foodMember]) {
      const out = await get(resultPage.loader, `/results/${slug}`, { slug }, who);
      expect(out.status).toBe(200);
      expect(out.data).toMatchObject({ allianceOnly: true, result: { slug, title } });
    }
    for (const who of [pharmaAdmin, sensorAdmin, nobody, null]) expect(await resultStatus(slug, who)).toBe(404);
    const api = (await resultsApi.loader({ request: getRequest(`/api/results/${slug}`), params: { slug }, context: {} })) as Response;
    expect(api.status).toBe(404);
    expect(await api.json()).toMatchObject({ error: { code: "not_found" } });
  });

  test("a studio that leaves stops seeing it; its own studio still does", async () => {
    expect(await resultStatus(slug, sortingMember)).toBe(200);
    expect((await answer(a.slug, "leave", "konggang-sorting", sortingAdmin)).status).toBe(200);
    expect(await resultStatus(slug, sortingMember)).toBe(404);
    expect((await allianceResults(sortingMember)).map((r) => r.slug)).not.toContain(slug);
    expect(await resultStatus(slug, foodMember)).toBe(200);
  });
});

describe("milestone notifications", () => {
  test("completing a milestone tells the other participants, not the one who did it", async () => {
    const a = await workingAlliance();
    const p = await newProject(a, { milestoneTitle: ["首批点位验收"], milestoneDue: ["2027-01-15"] });
    expect((await act(a, p, { intent: "milestone", milestone: p.milestones[0].id, done: "1" }, xuMember)).status).toBe(302);
    const title = `里程碑完成：${p.title} — 首批点位验收`;
    for (const who of [xuAdmin, gridAdmin, gridMember]) expect((await notes(who, "milestone.done")).map((n) => n.title)).toContain(title);
    expect((await notes(xuMember, "milestone.done")).map((n) => n.title)).not.toContain(title);
    expect((await notes(gasAdmin, "milestone.done")).map((n) => n.title)).not.toContain(title);
  });

  test("milestones due within three days are announced to participants once", async () => {
    const a = await workingAlliance();
    const p = await newProject(a, { milestoneTitle: ["联调完成", "中期评审", "已提前完成"], milestoneDue: ["2031-03-10", "2031-04-30", "2031-03-09"] });
    const done = p.milestones.find((m) => m.title === "已提前完成")!;
    expect((await act(a, p, { intent: "milestone", milestone: done.id, done: "1" }, gridMember)).status).toBe(302);
    const due = (who: Actor) => notes(who, "milestone.due").then((l) => l.filter((n) => n.url === `/alliances/${a.slug}/projects/${p.slug}`).map((n) => n.title));

    await notifyDueMilestones(ORIGIN, new Date("2031-03-01T08:00:00Z"));
    expect(await due(xuMember)).toEqual([]); // ten days ahead: not yet
    await notifyDueMilestones(ORIGIN, new Date("2031-03-08T08:00:00Z"));
    const expected = [`里程碑即将到期（2031-03-10）：${p.title} — 联调完成`];
    for (const who of [xuAdmin, xuMember, gridAdmin, gridMember]) expect(await due(who)).toEqual(expected);
    expect(await due(gasAdmin)).toEqual([]);
    expect(mailsTo(xuMember.user.email).some((m) => m.subject === expected[0] && m.text.includes(`${ORIGIN}/alliances/${a.slug}/projects/${p.slug}`))).toBe(true);
    await notifyDueMilestones(ORIGIN, new Date("2031-03-09T08:00:00Z"));
    expect(await due(xuMember)).toEqual(expected); // once
  });
});

describe("adoptions roll up into 已被 N 家企业复用", () => {
  test("adoptions recorded on a joint project's outcome count each other enterprise once, on the result page", async () => {
    const a = await workingAlliance();
    const p = await newProject(a);
    expect((await act(a, p, { intent: "outcome", result: "timetable-typesetting-system" }, xuAdmin)).status).toBe(302);
    const page = async () =>
      (await get(resultPage.loader, "/results/timetable-typesetting-system", { slug: "timetable-typesetting-system" }, null)).data as {
        reusedBy: number;
        adoptions: { enterprise: string; adoptedOn: string; benefit: string }[];
      };
    expect((await page()).reusedBy).toBe(0); // its only adopter is its own enterprise
    const adopt = (enterprise: string, benefit: string) => act(a, p, { intent: "adopt", newName: enterprise, adoptedOn: "2026-10-08", benefit }, gridMember);
    expect((await adopt("国网郑州供电公司", "调度值班表排版用时减少70%")).status).toBe(302);
    expect((await adopt("郑州中州燃气股份有限公司", "巡检排班表自动生成")).status).toBe(302);
    expect((await adopt("国网郑州供电公司", "调度值班表排版用时减少75%")).status).toBe(302); // the same enterprise again: updated, not added
    expect((await adopt("郑州地铁集团有限公司", "5号线以外线路推广")).status).toBe(302); // its own enterprise does not count
    const after = await page();
    expect(after.reusedBy).toBe(2);
    expect(after.adoptions).toEqual(
      expect.arrayContaining([
        { enterprise: "国网郑州供电公司", enterpriseSlug: expect.any(String), adoptedOn: "2026-10-08", benefit: "调度值班表排版用时减少75%" },
        { enterprise: "郑州中州燃气股份有限公司", enterpriseSlug: expect.any(String), adoptedOn: "2026-10-08", benefit: "巡检排班表自动生成" },
      ]),
    );
    expect(MESSAGES["zh-CN"]["result.reusedBy"].replace("{n}", String(after.reusedBy))).toBe("已被 2 家企业复用");
  });

  test("adopters named in the content and adoption records are counted together, without the owner", () => {
    const adopters = JSON.stringify(["郑州空港智慧物流有限公司", "郑州宏达客车制造有限公司", "郑州豫丰食品有限公司"]);
    expect(reuseCount(adopters, [], "郑州空港智慧物流有限公司")).toBe(2);
    expect(reuseCount(adopters, [{ enterprise: { name: "郑州宏达客车制造有限公司" } }, { enterprise: { name: "郑州锦绣纺织集团有限公司" } }], "郑州空港智慧物流有限公司")).toBe(3);
  });
});

describe("every alliance form needs its CSRF token", () => {
  test("posts without the token are refused (403) and write nothing", async () => {
    const a = await workingAlliance();
    const p = await newProject(a);
    await expectRefused(async () => (await createAlliance(coordinator, ["xu-xin"], "missing")).out);
    await expectRefused(() => post(alliancePage.action, `/alliances/${a.slug}`, { slug: a.slug }, { intent: "invite", studio: "metro-signal" }, coordinator, "missing"));
    await expectRefused(() => answer(a.slug, "accept", "zhongzhou-gas-pipeline", gasAdmin, "missing"));
    await expectRefused(() => answer(a.slug, "decline", "zhongzhou-gas-pipeline", gasAdmin, "missing"));
    await expectRefused(() => answer(a.slug, "leave", "xu-xin", xuAdmin, "missing"));
    await expectRefused(() => propose(a.slug, proposeForm(), coordinator, "missing"));
    const changes: Fields[] = [
      { intent: "status", to: "active" },
      { intent: "milestone", milestone: p.milestones[0].id, done: "1" },
      { intent: "update", text: "进展" },
      { intent: "outcome", result: "hmi-simulation-software" },
      { intent: "adopt", newName: "国网郑州供电公司", adoptedOn: "2026-11-01", benefit: "效益" },
    ];
    for (const fields of changes) {
      const out = await expectRefused(() => act(a, p, fields, xuMember, "missing"));
      expect(out.data).toMatchObject({ error: { code: "csrf" } });
    }
  });
});
