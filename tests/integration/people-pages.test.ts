import type { LoaderFunctionArgs } from "@remix-run/node";
import { beforeAll, describe, expect, test } from "vitest";
import { importContent } from "~/models/content-import.server";
import { PEOPLE_PER_PAGE } from "~/models/person.server";
import * as personPage from "~/routes/people.$slug";
import * as peoplePage from "~/routes/people._index";
import * as studioPage from "~/routes/studios.$slug";
import { db } from "~/utils/db.server";

// The talent base's pages, called as Remix calls their loaders, over the imported seed content.

beforeAll(async () => {
  const report = await importContent(db, "content");
  if (!report.ok) throw new Error(JSON.stringify(report.problems));
});

function args(url: string, params: Record<string, string> = {}): LoaderFunctionArgs {
  return { request: new Request(new URL(url, "http://localhost")), params, context: {} };
}
async function thrownStatus(run: () => unknown): Promise<{ status: number; data: unknown }> {
  try {
    await run();
  } catch (e) {
    if (e && typeof e === "object" && (e as { type?: unknown }).type === "DataWithResponseInit") {
      const d = e as unknown as { data: unknown; init: { status?: number } | null };
      return { status: d.init?.status ?? 200, data: d.data };
    }
    if (e instanceof Response) return { status: e.status, data: await e.text() };
    throw e;
  }
  throw new Error("expected the loader to throw");
}
const directory = (query = "") => peoplePage.loader(args(`/people${query}`));

describe("the people directory", () => {
  test("lists everybody, best honoured first, one page at a time", async () => {
    const everyone = await db.person.count();
    const first = await directory();
    expect(first.total).toBe(everyone);
    expect(first.people).toHaveLength(Math.min(everyone, PEOPLE_PER_PAGE));
    expect(first.people[0].level).toBe("national");
    expect(first.pages).toBe(Math.ceil(everyone / PEOPLE_PER_PAGE));
    const second = await directory("?page=2");
    expect(second.page).toBe(2);
    expect(second.people.map((p) => p.slug)).not.toContain(first.people[0].slug);
    const all = [];
    for (let page = 1; page <= first.pages; page++) all.push(...(await directory(`?page=${page}`)).people.map((p) => p.slug));
    expect(new Set(all).size).toBe(everyone);
  });

  test("the honour-level filter keeps the people whose highest honour is of that level, and counts each level", async () => {
    const national = await directory("?level=national");
    expect(national.people.map((p) => p.name)).toContain("张铁柱");
    expect(national.people.every((p) => p.level === "national")).toBe(true);
    expect(national.total).toBe(national.levelCounts.national);
    const municipal = await directory("?level=municipal");
    expect(municipal.people.map((p) => p.name)).not.toContain("张铁柱");
    expect(municipal.people.length).toBeGreaterThan(0);
    // 全国纺织工业劳动模范 is not on the controlled list: its holder has no level
    const textile = await db.person.findFirstOrThrow({ where: { honours: { contains: "全国纺织工业劳动模范" } } });
    for (const level of ["national", "provincial", "municipal"]) expect((await directory(`?level=${level}`)).people.map((p) => p.slug)).not.toContain(textile.slug);
  });

  test("a controlled honour, an industry and an enterprise narrow the list", async () => {
    const medal = await directory("?honour=national-may-day-medal");
    expect(medal.people.map((p) => p.name)).toEqual(["张铁柱"]);
    const rail = await directory("?industry=rail-transit");
    expect(rail.people.map((p) => p.name)).toContain("徐欣");
    expect(rail.people.map((p) => p.name)).not.toContain("张铁柱");
    const metro = await directory("?enterprise=zhengzhou-ditie-jituan");
    expect(metro.people.length).toBeGreaterThan(0);
    expect(metro.people.every((p) => p.enterprise.name === "郑州地铁集团有限公司")).toBe(true);
  });

  test("the skill filter finds the people who list the skill, and the skill is offered with its count", async () => {
    // people/zhang-tiezhu.md and people/li-zhigang.md both list 激光熔覆
    const found = await directory(`?skill=${encodeURIComponent("激光熔覆")}`);
    expect(found.people.map((x) => x.name)).toEqual(["张铁柱", "李志刚"]);
    expect(found.skills).toContainEqual({ value: "激光熔覆", count: 2 });
    expect(found.skills).toContainEqual({ value: "液压支架大修", count: 1 });
    expect((await directory(`?skill=${encodeURIComponent("激光")}`)).total).toBe(0);
  });

  test("unknown filter values are ignored rather than answered with an error", async () => {
    const everyone = await db.person.count();
    expect((await directory("?level=galactic&honour=nobel&page=-3")).total).toBe(everyone);
  });
});

describe("a person's page", () => {
  test("has the studio, enterprise, role and the honours, controlled ones with their level", async () => {
    const data = await personPage.loader(args("/people/zhang-tiezhu", { slug: "zhang-tiezhu" }));
    expect(data.person).toMatchObject({
      name: "张铁柱",
      role: "leader",
      level: "national",
      studio: { slug: "yuzhong-hydraulic-support", name: "液压支架创新工作室" },
      enterprise: { name: "豫中煤矿机械集团有限公司" },
    });
    expect(data.person.honours).toEqual([
      { text: "全国五一劳动奖章获得者", honour: { key: "national-may-day-medal", nameZh: "全国五一劳动奖章", nameEn: "National May Day Labour Medal", level: "national" } },
      { text: "中原大工匠", honour: { key: "zhongyuan-craftsman", nameZh: "中原大工匠", nameEn: "Great Craftsman of the Central Plains", level: "provincial" } },
    ]);
  });

  test("lists deliveries on needs anyone may see, never those on union-only needs", async () => {
    const person = await db.person.findUniqueOrThrow({ where: { slug: "zhang-tiezhu" } });
    const [open, union] = await db.need.findMany({ where: { visibility: "public" }, take: 2, orderBy: { slug: "asc" } });
    await db.need.update({ where: { id: union.id }, data: { visibility: "union" } });
    for (const [need, date] of [
      [open, "2026-11-02"],
      [union, "2026-11-09"],
    ] as const) {
      const dispatch = await db.needDispatch.create({ data: { needId: need.id, studioId: person.studioId, state: "delivered", people: JSON.stringify([person.id]) } });
      await db.delivery.create({ data: { needId: need.id, dispatchId: dispatch.id, date, people: JSON.stringify([person.id]), hours: 6, work: "现场诊断", outcome: "问题解决" } });
    }
    const data = await personPage.loader(args("/people/zhang-tiezhu", { slug: "zhang-tiezhu" }));
    expect(data.deliveries.map((d) => [d.need.slug, d.date, d.hours])).toEqual([[open.slug, "2026-11-02", 6]]);
  });

  test("lists the results the person took part in (from people/zhang-tiezhu.md), with the profile and skills", async () => {
    const data = await personPage.loader(args("/people/zhang-tiezhu", { slug: "zhang-tiezhu" }));
    expect(data.results.map((r) => r.slug).sort()).toEqual(["hydraulic-column-laser-cladding", "hydraulic-support-ehc-training-simulator"]);
    expect(data.person.skills).toEqual(["液压支架大修", "激光熔覆", "高强板焊接", "仿真培训"]);
    expect(data.person.bio).toContain("激光熔覆修复工艺");
  });

  test("never carries contact details", async () => {
    const data = await personPage.loader(args("/people/zhang-tiezhu", { slug: "zhang-tiezhu" }));
    expect(Object.keys(data.person).sort()).toEqual(["bio", "enterprise", "honours", "illustrative", "industry", "level", "name", "role", "skills", "slug", "studio", "title"]);
  });

  test("an unknown slug close to a person's is a 404 that suggests them", async () => {
    const { status, data } = await thrownStatus(() => personPage.loader(args("/people/zhang-tie", { slug: "zhang-tie" })));
    expect(status).toBe(404);
    expect((data as { suggestions: { href: string; label: string }[] }).suggestions).toContainEqual({ href: "/people/zhang-tiezhu", label: "张铁柱" });
  });

  test("the studio page links its leader and members to their pages", async () => {
    const data = await studioPage.loader(args("/studios/yuzhong-hydraulic-support", { slug: "yuzhong-hydraulic-support" }));
    expect(data.studio.leader).toMatchObject({ name: "张铁柱", slug: "zhang-tiezhu" });
    expect(data.studio.members.map((m) => m.name)).toEqual(["王建伟", "李志刚", "赵红卫", "马小龙"]);
    for (const m of data.studio.members) expect((await personPage.loader(args(`/people/${m.slug}`, { slug: m.slug }))).person.name).toBe(m.name);
  });
});
