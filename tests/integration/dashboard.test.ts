import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { dashboardFigures, defaultFilters, parseDashboardFilters, type DashboardFilters } from "~/models/dashboard.server";
import { db } from "~/utils/db.server";
import * as dashboardRoute from "~/routes/dashboard";
import { createUser, getRequest, loginRedirect, sessionCookie, settle, type SiteRole } from "../setup/auth";
import { freshDb } from "../setup/db";

// The coordinator's dashboard figures, against a small hub built by hand in this file's database.
// Every expected number below was counted by hand from the rows made in beforeAll (see the notes
// beside them); months are China time, so 2026-01-31T17:00Z belongs to February.

const NOW = new Date("2026-06-15T04:00:00Z");
const PERIOD: DashboardFilters = { from: "2026-01", to: "2026-06", industry: null };
const at = (iso: string) => new Date(iso.length === 10 ? `${iso}T00:00:00Z` : iso);
const ids: Record<string, string> = {};

async function need(slug: string, industryKey: string, status: string, o: { events?: [string, string, string][]; statusAt: string; createdAt?: string; rating?: number }) {
  const n = await db.need.create({
    data: {
      slug,
      title: `需求${slug}`,
      enterpriseId: ids.bearing,
      industryKey,
      status,
      body: "{}",
      statusAt: at(o.statusAt),
      createdAt: at(o.createdAt ?? o.events?.[0]?.[2] ?? o.statusAt),
      rating: o.rating ?? null,
    },
  });
  let from = "draft";
  for (const [step, to, when] of o.events ?? []) {
    await db.needEvent.create({ data: { needId: n.id, step, fromStatus: from, toStatus: to, createdAt: at(when) } });
    from = to;
  }
  ids[slug] = n.id;
  return n;
}
const loop = (dates: string[]): [string, string, string][] =>
  (
    [
      ["submit", "open"],
      ["dispatch", "dispatched"],
      ["accept", "accepted"],
      ["deliver", "delivered"],
      ["confirm", "closed"],
    ] as const
  )
    .slice(0, dates.length)
    .map(([s, t], i) => [s, t, dates[i]]);

async function delivery(needSlug: string, studio: string, date: string, hours: number, people: string[]) {
  const dispatch = await db.needDispatch.upsert({
    where: { needId_studioId: { needId: ids[needSlug], studioId: ids[studio] } },
    create: { needId: ids[needSlug], studioId: ids[studio], state: "delivered" },
    update: {},
  });
  await db.delivery.create({
    data: { needId: ids[needSlug], dispatchId: dispatch.id, date, hours, work: "现场指导", outcome: "问题解决", people: JSON.stringify(people.map((p) => ids[p])) },
  });
}

beforeAll(async () => {
  await db.industry.createMany({
    data: [
      { key: "rail", nameZh: "轨道交通", nameEn: "Rail transit", sector: "traditional", sortOrder: 1 },
      { key: "grid", nameZh: "电力", nameEn: "Power grid", sector: "leading", sortOrder: 2 },
      { key: "ai", nameZh: "人工智能", nameEn: "AI", sector: "emerging", sortOrder: 3 },
    ],
  });
  for (const [key, name] of [
    ["metro", "郑州地铁集团"],
    ["power", "国网郑州供电公司"],
    ["smart", "郑州智算科技"],
    ["bearing", "郑州博远轴承有限公司"],
    ["bus", "郑州宏达客车制造有限公司"],
  ]) {
    ids[key] = (await db.enterprise.create({ data: { slug: key, name } })).id;
  }
  // five studios: levels national 1, provincial 1, municipal 3; sectors traditional 2, leading 2, emerging 1
  for (const [slug, enterprise, level, industryKey, sector] of [
    ["s1", "metro", "national", "rail", "traditional"],
    ["s2", "metro", "provincial", "rail", "traditional"],
    ["s3", "power", "municipal", "grid", "leading"],
    ["s4", "smart", "municipal", "ai", "emerging"],
    ["s5", "power", "municipal", "grid", "leading"],
  ]) {
    ids[slug] = (await db.studio.create({ data: { slug, name: `工作室${slug}`, enterpriseId: ids[enterprise], level, industryKey, sector, founded: 2015, body: "{}" } })).id;
  }
  for (const [key, name, studio] of [
    ["p1", "马国强", "s3"],
    ["p2", "李建军", "s3"],
    ["p3", "王晓燕", "s4"],
  ]) {
    ids[key] = (await db.person.create({ data: { name, slug: `dash-${key}`, studioId: ids[studio], role: "member" } })).id;
  }

  // results: r1 reused by 2 other enterprises (own enterprise named too, not counted), r3 by 1; r4 unpublished
  const result = (slug: string, studio: string, industryKey: string, status: string, adopters: string[], published = true) =>
    db.result.create({
      data: { slug, title: `成果${slug}`, studioId: ids[studio], kind: "software", industryKey, status, adopters: JSON.stringify(adopters), year: 2025, body: "{}", published },
    });
  const r1 = await result("r1", "s1", "rail", "transferred", ["郑州宏达客车制造有限公司", "郑州地铁集团"]);
  await db.adoption.create({ data: { resultId: r1.id, enterpriseId: ids.bearing, adoptedOn: "2026-03-01" } });
  const r2 = await result("r2", "s3", "grid", "in-use", []);
  await result("r3", "s4", "ai", "piloting", ["国网郑州供电公司"]);
  await result("r4", "s1", "rail", "in-use", ["郑州博远轴承有限公司"], false);

  // alliances: A1 (s1+s3, two enterprises), A2 (s1+s2 accepted, s4 only invited: one enterprise), A3 (s3; s5 declined)
  const alliance = async (slug: string, members: [string, string][]) => {
    const a = await db.alliance.create({ data: { slug, name: `联盟${slug}`, theme: "协作", charter: "{}" } });
    for (const [studio, state] of members) await db.allianceMember.create({ data: { allianceId: a.id, studioId: ids[studio], state } });
    return a;
  };
  const a1 = await alliance("a1", [
    ["s1", "accepted"],
    ["s3", "accepted"],
  ]);
  const a2 = await alliance("a2", [
    ["s1", "accepted"],
    ["s2", "accepted"],
    ["s4", "invited"],
  ]);
  await alliance("a3", [
    ["s3", "accepted"],
    ["s5", "declined"],
  ]);
  const project = async (slug: string, allianceId: string, status: string, studios: string[]) => {
    const p = await db.jointProject.create({ data: { slug, allianceId, title: `项目${slug}`, status, outcomeResultId: slug === "p-cross" ? r2.id : null } });
    for (const [i, s] of studios.entries()) await db.projectParticipant.create({ data: { projectId: p.id, studioId: ids[s], role: i ? "partner" : "lead" } });
  };
  await project("p-cross", a1.id, "active", ["s1", "s3"]);
  await project("p-one", a2.id, "completed", ["s1", "s2"]);
  await project("p-cancelled", a1.id, "cancelled", ["s1", "s3"]); // cancelled: not counted

  // needs (all of 博远轴承); in the period 2026-01..06: n1 n2 n3 n4 n6 n7 n9
  await need("n1", "grid", "closed", { events: loop(["2026-02-01", "2026-02-03", "2026-02-04", "2026-02-10", "2026-02-11"]), statusAt: "2026-02-11", rating: 5 });
  await need("n2", "grid", "delivered", { events: loop(["2026-03-01", "2026-03-05", "2026-03-09", "2026-03-11"]), statusAt: "2026-03-11" }); // overdue 96 days
  await need("n3", "ai", "dispatched", { events: loop(["2026-04-01", "2026-04-02"]), statusAt: "2026-04-02" }); // overdue 74 days
  await need("n4", "rail", "open", { events: loop(["2026-06-10"]), statusAt: "2026-06-10" }); // waiting 5 days: not overdue
  await need("n5", "rail", "closed", { events: loop(["2025-11-01", "2025-11-02", "2025-11-03", "2025-11-04", "2025-11-05"]), statusAt: "2025-11-05", rating: 1 }); // before the period
  await need("n6", "ai", "withdrawn", {
    events: [
      ["submit", "open", "2026-03-15"],
      ["withdraw", "withdrawn", "2026-03-20"],
    ],
    statusAt: "2026-03-20",
  });
  await need("n7", "grid", "accepted", { createdAt: "2026-05-01", statusAt: "2026-06-10" }); // imported: a status, no events
  await need("n8", "grid", "draft", { createdAt: "2026-03-01", statusAt: "2026-03-01" }); // a draft is not posted
  await need("n9", "grid", "closed", { events: loop(["2026-01-10", "2026-01-12", "2026-01-20", "2026-01-21", "2026-01-31"]), statusAt: "2026-01-31", rating: 3 });
  await need("n10", "rail", "open", { events: loop(["2025-10-01"]), statusAt: "2025-10-01" }); // overdue 257 days, posted before the period

  // 送技 in the period: d1 d2 d3 d5 (d4 is in 2025)
  await delivery("n1", "s3", "2026-02-10", 6, ["p1", "p2"]);
  await delivery("n2", "s3", "2026-03-11", 4, ["p1"]);
  await delivery("n9", "s4", "2026-01-21", 3, ["p3"]);
  await delivery("n5", "s4", "2025-11-04", 8, ["p3"]);
  await delivery("n9", "s3", "2026-06-30", 2, ["p1"]);

  // activity: Jan 1, Feb 2 (one at 01:00 China time on 1 Feb), Apr 1; one just before and one just after the period
  for (const [when, studio] of [
    ["2026-01-15T02:00:00Z", "s1"],
    ["2026-01-31T17:00:00Z", "s3"],
    ["2026-02-10T02:00:00Z", "s3"],
    ["2026-04-05T02:00:00Z", null],
    ["2025-12-31T15:00:00Z", "s1"],
    ["2026-06-30T16:30:00Z", "s3"],
  ] as const) {
    await db.activity.create({ data: { verb: "studio.updated", subjectType: "studio", subjectId: "x", studioId: studio ? ids[studio] : null, createdAt: new Date(when) } });
  }
});

describe("the whole hub, first half of 2026", () => {
  let f: Awaited<ReturnType<typeof dashboardFigures>>;
  beforeAll(async () => {
    f = await dashboardFigures(PERIOD, { now: NOW });
  });

  test("studios by level, sector and industry, with the share in leading and emerging industries", () => {
    expect(f.studios.total).toBe(5);
    expect(f.studios.byLevel).toEqual([
      { key: "national", count: 1 },
      { key: "provincial", count: 1 },
      { key: "municipal", count: 3 },
      { key: "enterprise", count: 0 },
    ]);
    expect(f.studios.bySector).toEqual([
      { key: "traditional", count: 2 },
      { key: "leading", count: 2 },
      { key: "emerging", count: 1 },
    ]);
    expect(f.studios.byIndustry.map((i) => [i.key, i.count])).toEqual([
      ["grid", 2],
      ["rail", 2],
      ["ai", 1],
    ]);
    expect(f.studios.leadingEmerging).toBe(3);
    expect(f.studios.leadingEmergingShare).toBeCloseTo(0.6);
  });

  test("alliances and joint projects across enterprises: accepted members only, cancelled projects left out", () => {
    expect(f.collaboration).toMatchObject({ alliances: 3, crossAlliances: 1, projects: 2, crossProjects: 1, crossProjectShare: 0.5 });
    expect(f.collaboration.crossAllianceShare).toBeCloseTo(1 / 3);
  });

  test("published results by status, and the transfer rate counting other enterprises only", () => {
    expect(f.results.total).toBe(3);
    expect(f.results.byStatus).toEqual([
      { key: "piloting", count: 1 },
      { key: "in-use", count: 1 },
      { key: "transferred", count: 1 },
    ]);
    expect(f.results.reused).toBe(2);
    expect(f.results.transferRate).toBeCloseTo(2 / 3);
    expect(f.results.mostReused).toEqual([
      { slug: "r1", title: "成果r1", enterprises: 2 },
      { slug: "r3", title: "成果r3", enterprises: 1 },
    ]);
  });

  test("the needs funnel of needs posted in the period, with the median days from step to step", () => {
    expect(f.needs.posted).toBe(7);
    expect(f.needs.withdrawn).toBe(1);
    expect(f.needs.funnel).toEqual([
      { step: "open", count: 7, medianDays: null },
      { step: "dispatched", count: 5, medianDays: 2 }, // n3 1, n1 2, n9 2, n2 4
      { step: "accepted", count: 4, medianDays: 4 }, // n1 1, n2 4, n9 8 (n7 has no events)
      { step: "delivered", count: 3, medianDays: 2 }, // n9 1, n2 2, n1 6
      { step: "closed", count: 2, medianDays: 5.5 }, // n1 1, n9 10
    ]);
    expect(f.needs.rating).toEqual({ count: 2, average: 4 }); // n1 5, n9 3; n5's 1 is before the period
  });

  test("overdue needs are those waiting more than 7 days now, whenever they were posted, longest first", () => {
    expect(f.needs.overdue).toBe(3);
    expect(f.needs.overdueList).toEqual([
      { slug: "n10", title: "需求n10", status: "open", days: 257 },
      { slug: "n2", title: "需求n2", status: "delivered", days: 96 },
      { slug: "n3", title: "需求n3", status: "dispatched", days: 74 },
    ]);
  });

  test("activity per month in China time, every month of the period", () => {
    expect(f.activity.months).toEqual([
      { month: "2026-01", count: 1 },
      { month: "2026-02", count: 2 },
      { month: "2026-03", count: 0 },
      { month: "2026-04", count: 1 },
      { month: "2026-05", count: 0 },
      { month: "2026-06", count: 0 },
    ]);
    expect(f.activity.total).toBe(4);
  });

  test("the studios and people most active in 送技", () => {
    expect(f.delivery).toMatchObject({ deliveries: 4, hours: 15 });
    expect(f.delivery.topStudios).toEqual([
      { slug: "s3", name: "工作室s3", deliveries: 3, hours: 12, needs: 3 },
      { slug: "s4", name: "工作室s4", deliveries: 1, hours: 3, needs: 1 },
    ]);
    expect(f.delivery.topPeople.map((p) => [p.name, p.studio, p.deliveries, p.hours])).toEqual([
      ["马国强", "工作室s3", 3, 12],
      ["李建军", "工作室s3", 1, 6],
      ["王晓燕", "工作室s4", 1, 3],
    ]);
  });
});

describe("filters", () => {
  test("one industry narrows every figure to it", async () => {
    const f = await dashboardFigures({ ...PERIOD, industry: "grid" }, { now: NOW });
    expect(f.studios).toMatchObject({ total: 2, leadingEmerging: 2, leadingEmergingShare: 1 });
    expect(f.studios.byLevel.find((l) => l.key === "municipal")?.count).toBe(2);
    expect(f.collaboration).toMatchObject({ alliances: 2, crossAlliances: 1, crossAllianceShare: 0.5, projects: 1, crossProjects: 1 });
    expect(f.results).toMatchObject({ total: 1, reused: 0, transferRate: 0 });
    expect(f.needs.funnel.map((s) => s.count)).toEqual([4, 4, 4, 3, 2]);
    expect(f.needs.overdueList.map((n) => n.slug)).toEqual(["n2"]);
    expect(f.activity.months.map((m) => m.count)).toEqual([0, 2, 0, 0, 0, 0]);
    expect(f.delivery).toMatchObject({ deliveries: 3, hours: 12 });
    expect(f.delivery.topPeople.map((p) => p.name)).toEqual(["马国强", "李建军"]);
  });

  test("a shorter period counts only its own needs, activity and deliveries; stocks stay", async () => {
    const f = await dashboardFigures({ from: "2026-02", to: "2026-03", industry: null }, { now: NOW });
    expect(f.studios.total).toBe(5);
    expect(f.needs.posted).toBe(3); // n1, n2, n6
    expect(f.needs.funnel.map((s) => s.count)).toEqual([3, 2, 2, 2, 1]);
    expect(f.needs.rating).toEqual({ count: 1, average: 5 });
    expect(f.activity.months).toEqual([
      { month: "2026-02", count: 2 },
      { month: "2026-03", count: 0 },
    ]);
    expect(f.delivery).toMatchObject({ deliveries: 2, hours: 10 });
    expect(f.needs.overdue).toBe(3);
  });

  test("the query string: defaults to the last twelve months, and bad input names the field in the user's language", async () => {
    expect(defaultFilters(NOW)).toEqual({ from: "2025-07", to: "2026-06", industry: null });
    expect(await parseDashboardFilters(new URLSearchParams(""), NOW)).toMatchObject({ ok: true, filters: { from: "2025-07", to: "2026-06", industry: null } });
    expect(await parseDashboardFilters(new URLSearchParams("from=2026-02&to=2026-04&industry=grid"), NOW)).toMatchObject({
      ok: true,
      filters: { from: "2026-02", to: "2026-04", industry: "grid" },
    });
    expect(await parseDashboardFilters(new URLSearchParams("from=2026-13&to=2026-04"), NOW)).toEqual({
      ok: false,
      errors: { from: "dashboard.error.month" },
      values: { from: "2026-13", to: "2026-04", industry: "" },
    });
    expect(await parseDashboardFilters(new URLSearchParams("from=2026-05&to=2026-04"), NOW)).toMatchObject({ ok: false, errors: { to: "dashboard.error.order" } });
    expect(await parseDashboardFilters(new URLSearchParams("from=2020-01&to=2026-04"), NOW)).toMatchObject({ ok: false, errors: { to: "dashboard.error.span" } });
    expect(await parseDashboardFilters(new URLSearchParams("industry=mining"), NOW)).toMatchObject({
      ok: false,
      errors: { industry: "dashboard.error.industry" },
      values: { industry: "mining" },
    });
  });
});

describe("an empty hub", () => {
  const empty = freshDb();
  afterAll(() => empty.db.$disconnect());

  test("gives zeros and no shares, medians or rating rather than dividing by nothing", async () => {
    const f = await dashboardFigures(defaultFilters(NOW), { now: NOW, client: empty.db });
    expect(f.studios).toMatchObject({ total: 0, leadingEmerging: 0, leadingEmergingShare: null, byIndustry: [] });
    expect(f.studios.byLevel.map((l) => l.count)).toEqual([0, 0, 0, 0]);
    expect(f.collaboration).toMatchObject({ alliances: 0, crossAllianceShare: null, projects: 0, crossProjectShare: null });
    expect(f.results).toMatchObject({ total: 0, reused: 0, transferRate: null, mostReused: [] });
    expect(f.needs.funnel).toEqual(["open", "dispatched", "accepted", "delivered", "closed"].map((step) => ({ step, count: 0, medianDays: null })));
    expect(f.needs).toMatchObject({ posted: 0, overdue: 0, rating: { count: 0, average: null } });
    expect(f.activity.months).toHaveLength(12);
    expect(f.activity.months.every((m) => m.count === 0)).toBe(true);
    expect(f.delivery).toMatchObject({ deliveries: 0, hours: 0, topStudios: [], topPeople: [] });
  });
});

describe("the /dashboard page", () => {
  const open = async (url: string, role: SiteRole | null, headers: Record<string, string> = {}) => {
    const cookie = role ? await sessionCookie((await createUser({ role })).id) : null;
    const request = getRequest(url, cookie);
    for (const [k, v] of Object.entries(headers)) request.headers.set(k, v);
    return settle(() => dashboardRoute.loader({ request, params: {}, context: { clientAddress: "10.0.0.1" } }));
  };
  type Page = {
    figures: { studios: { total: number }; needs: { posted: number } };
    charts: Record<string, string>;
    errors: Record<string, string> | null;
    values: Record<string, string>;
  };

  test("anonymous visitors are sent to log in; members get 403", async () => {
    const anon = await open("/dashboard", null);
    expect(anon.status).toBe(302);
    expect(anon.location).toBe(loginRedirect("/dashboard"));
    expect((await open("/dashboard", "member")).status).toBe(403);
  });

  test("coordinators and site admins get the figures and a chart for each, in their language", async () => {
    for (const role of ["coordinator", "admin"] as const) {
      const out = await open("/dashboard?from=2026-01&to=2026-06", role);
      expect(out.status).toBe(200);
      const page = out.data as Page;
      expect(page.figures.studios.total).toBe(5);
      expect(page.figures.needs.posted).toBe(7);
      expect(Object.keys(page.charts).sort()).toEqual([
        "activity",
        "collaboration",
        "funnel",
        "industry",
        "level",
        "medianDays",
        "resultStatus",
        "sector",
        "topPeople",
        "topStudios",
      ]);
      expect(page.charts.level).toContain('<title id="chart-level-title">按级别</title>');
      expect(page.charts.funnel).toContain("点单  7");
    }
    const en = (await open("/dashboard?from=2026-01&to=2026-06", "coordinator", { "Accept-Language": "en" })).data as Page;
    expect(en.charts.level).toContain('<title id="chart-level-title">By level</title>');
    expect(en.charts.level).toContain(">Municipal<");
    expect(en.charts.funnel).toContain("Posted  7");
  });

  test("bad filters answer 400 with the error on the field and the typed values, showing the default period meanwhile", async () => {
    const out = await open("/dashboard?from=2026-05&to=2026-02&industry=grid", "coordinator");
    expect(out.status).toBe(400);
    const page = out.data as Page;
    expect(page.errors).toEqual({ to: "dashboard.error.order" });
    expect(page.values).toEqual({ from: "2026-05", to: "2026-02", industry: "grid" });
    expect(page.figures.studios.total).toBe(5);
  });
});
