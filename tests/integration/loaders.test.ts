import type { LoaderFunctionArgs } from "@remix-run/node";
import { beforeAll, describe, expect, test } from "vitest";
import { getLocale, localeCookie } from "~/i18n/locale.server";
import { importContent } from "~/models/content-import.server";
import * as notFoundRoute from "~/routes/$";
import * as apiCatchAll from "~/routes/api.$";
import * as apiHealth from "~/routes/api.health";
import * as apiNeed from "~/routes/api.needs.$slug";
import * as apiPatent from "~/routes/api.patents.$slug";
import * as apiResult from "~/routes/api.results.$slug";
import * as apiStudio from "~/routes/api.studios.$slug";
import * as enterprisePage from "~/routes/enterprises.$slug";
import * as enterprisesPage from "~/routes/enterprises._index";
import * as home from "~/routes/_index";
import * as language from "~/routes/language";
import * as needPage from "~/routes/needs.$slug";
import * as needsPage from "~/routes/needs._index";
import * as patentPage from "~/routes/patents.$slug";
import * as patentsPage from "~/routes/patents._index";
import * as resultPage from "~/routes/results.$slug";
import * as resultsPage from "~/routes/results._index";
import * as studioPage from "~/routes/studios.$slug";
import * as studiosPage from "~/routes/studios._index";
import { enterpriseDirectory } from "~/models/enterprise.server";
import { listNeedsPage } from "~/models/need-loop.server";
import { listPatents } from "~/models/patent.server";
import { listResults, PUBLIC_VIEWER, RESULTS_PER_PAGE } from "~/models/result.server";
import { listStudios, STUDIO_SORTS, STUDIOS_PER_PAGE } from "~/models/studio.server";
import { db } from "~/utils/db.server";
import { seedFiles } from "../fixtures/content";
import { createUser, postRequest, sessionCookie } from "../setup/auth";

// The app's own `db` points at this file's database (tests/setup/per-file.ts); the seed content
// is imported once, and the loaders are called as Remix would call them.

const seed = {
  studios: seedFiles("studios"),
  results: seedFiles("results"),
  patents: seedFiles("patents"),
  needs: seedFiles("needs"),
};

beforeAll(async () => {
  const report = await importContent(db, "content");
  if (!report.ok) throw new Error(JSON.stringify(report.problems));
});

function args(url: string, params: Record<string, string> = {}, init?: RequestInit): LoaderFunctionArgs {
  return { request: new Request(new URL(url, "http://localhost"), init), params, context: {} };
}

/** What a loader threw, as the status and data Remix would answer with. */
async function thrownBy(run: () => unknown): Promise<{ status: number; data: unknown }> {
  try {
    await run();
  } catch (e) {
    if (e instanceof Response) return { status: e.status, data: await e.text() };
    if (e && typeof e === "object" && (e as { type?: unknown }).type === "DataWithResponseInit") {
      const d = e as unknown as { data: unknown; init: { status?: number } | null };
      return { status: d.init?.status ?? 200, data: d.data };
    }
    throw e;
  }
  throw new Error("expected the loader to throw");
}

async function jsonOf(res: Response | Promise<Response>) {
  const r = await res;
  expect(r.headers.get("Content-Type")).toMatch(/^application\/json/);
  return { status: r.status, body: await r.json() };
}

const slugsOf = (xs: { slug: string }[]) => xs.map((x) => x.slug).sort();

describe("record pages", () => {
  test("a studio page has the studio, its enterprise, results and patents", async () => {
    const data = await studioPage.loader(args("/studios/xu-xin", { slug: "xu-xin" }));
    expect(data.studio).toMatchObject({
      slug: "xu-xin",
      name: "徐欣创新工作室",
      level: "provincial",
      enterprise: { name: "郑州地铁集团有限公司" },
      industry: { key: "rail-transit", nameZh: "城市轨道交通" },
      leader: { name: "徐欣" },
    });
    expect(data.studio.html).toContain("<strong>省级</strong>");
    expect(slugsOf(data.results)).toEqual(
      seed.results
        .filter((f) => f.front.studio === "xu-xin")
        .map((f) => f.slug)
        .sort(),
    );
    expect(slugsOf(data.patents)).toEqual(
      seed.patents
        .filter((f) => f.front.studio === "xu-xin")
        .map((f) => f.slug)
        .sort(),
    );
    expect(data.description.length).toBeGreaterThan(10);
  });

  test.each(["xu-xi", "xin"])("an unknown studio slug close to a real one (%s) is a 404 with suggestions", async (slug) => {
    const { status, data } = await thrownBy(() => studioPage.loader(args(`/studios/${slug}`, { slug })));
    expect(status).toBe(404);
    expect((data as { suggestions: { href: string; label: string }[] }).suggestions).toContainEqual({ href: "/studios/xu-xin", label: "徐欣创新工作室" });
  });

  test("an unknown studio slug unlike any other is a 404 without suggestions", async () => {
    const { status, data } = await thrownBy(() => studioPage.loader(args("/studios/q", { slug: "q" })));
    expect(status).toBe(404);
    expect(data).toEqual({ suggestions: [] });
  });

  test("a result page has the result, its studio and linked patents", async () => {
    const data = await resultPage.loader(args("/results/bms-active-balancing-algorithm", { slug: "bms-active-balancing-algorithm" }));
    expect(data.result).toMatchObject({ slug: "bms-active-balancing-algorithm", title: "储能电池簇主动均衡BMS控制算法", kind: "software", year: 2022 });
    expect(data.studio.slug).toBe("lvneng-bms");
    expect(data.patents.map((p) => p.number)).toEqual(["ZL202010100079.2"]);
    expect(data.description).toContain("簇内电芯最大压差由80mV降至25mV");
  });

  test("an unknown result slug is a 404 that suggests similar results", async () => {
    const { status, data } = await thrownBy(() => resultPage.loader(args("/results/bms-balancing", { slug: "bms-balancing" })));
    expect(status).toBe(404);
    expect((data as { suggestions: { href: string }[] }).suggestions.map((s) => s.href)).toContain("/results/bms-active-balancing-algorithm");
  });

  test("a result that is not public answers 404 on its page and in the API", async () => {
    const slug = "bms-active-balancing-algorithm";
    await db.result.update({ where: { slug }, data: { visibility: "alliance" } });
    try {
      expect((await thrownBy(() => resultPage.loader(args(`/results/${slug}`, { slug })))).status).toBe(404);
      expect((await jsonOf(apiResult.loader(args(`/api/results/${slug}`, { slug })))).status).toBe(404);
    } finally {
      await db.result.update({ where: { slug }, data: { visibility: "public" } });
    }
  });

  test("a patent page has the patent, its studio and the results using it", async () => {
    const data = await patentPage.loader(args("/patents/bms-active-balancing-method-patent", { slug: "bms-active-balancing-method-patent" }));
    expect(data.patent).toMatchObject({ number: "ZL202010100079.2", status: "granted", filed: "2020-06-22", granted: "2022-03-08" });
    expect(data.studio.slug).toBe("lvneng-bms");
    expect(data.results.map((r) => r.slug)).toContain("bms-active-balancing-algorithm");
  });

  test("a need page has the need and its enterprise", async () => {
    const data = await needPage.loader(args("/needs/bearing-ring-visual-inspection", { slug: "bearing-ring-visual-inspection" }));
    expect(data.need).toMatchObject({ title: "轴承套圈表面缺陷机器视觉检测", status: "open", enterprise: { name: "郑州博远轴承有限公司" } });
    expect(data.need.html).toContain("<h2>需求内容</h2>");
  });

  test("an enterprise page lists its studios and needs", async () => {
    const metro = await db.enterprise.findUniqueOrThrow({ where: { name: "郑州地铁集团有限公司" } });
    const data = await enterprisePage.loader(args(`/enterprises/${metro.slug}`, { slug: metro.slug }));
    expect(data.enterprise.name).toBe("郑州地铁集团有限公司");
    expect(slugsOf(data.studios)).toEqual(
      seed.studios
        .filter((f) => f.front.enterprise === "郑州地铁集团有限公司")
        .map((f) => f.slug)
        .sort(),
    );
  });

  test.each([
    ["patent", () => patentPage.loader(args("/patents/zl-nothing", { slug: "zl-nothing" }))],
    ["need", () => needPage.loader(args("/needs/no-such-need", { slug: "no-such-need" }))],
    ["enterprise", () => enterprisePage.loader(args("/enterprises/no-such-company", { slug: "no-such-company" }))],
    ["result", () => resultPage.loader(args("/results/x", { slug: "x" }))],
    ["studio (hostile slug)", () => studioPage.loader(args("/studios/%27%20OR%201%3D1--", { slug: "' OR 1=1--" }))],
  ])("an unknown %s slug is a 404", async (_, run) => {
    expect((await thrownBy(run)).status).toBe(404);
  });

  test("any unknown path is a 404", async () => {
    expect((await thrownBy(() => notFoundRoute.loader())).status).toBe(404);
  });
});

describe("list pages", () => {
  test("studios filtered by industry=rail-transit are exactly the rail-transit studios", async () => {
    const data = await studiosPage.loader(args("/studios?industry=rail-transit"));
    const expected = seed.studios
      .filter((f) => f.front.industry === "rail-transit")
      .map((f) => f.slug)
      .sort();
    expect(expected.length).toBeGreaterThan(1);
    expect(slugsOf(data.studios)).toEqual(expected);
  });

  test("studios by level and sorted by founding year", async () => {
    const data = await studiosPage.loader(args("/studios?level=provincial&sort=founded"));
    expect(slugsOf(data.studios)).toEqual(
      seed.studios
        .filter((f) => f.front.level === "provincial")
        .map((f) => f.slug)
        .sort(),
    );
    const years = data.studios.map((s) => seed.studios.find((f) => f.slug === s.slug)!.front.founded as number);
    expect(years).toEqual([...years].sort((a, b) => b - a));
  });

  test("hostile query strings are ignored, and the page answers as if they were not there", async () => {
    const hostile = "industry=%3Cscript%3E&level=%27%20OR%201%3D1--&sort=..%2F..%2Fetc&sector=%00&enterprise=..%2F..&kind=%3Cscript%3E&status=%27%20OR%201%3D1--";
    expect(slugsOf((await studiosPage.loader(args(`/studios?${hostile}`))).studios)).toEqual(slugsOf((await studiosPage.loader(args("/studios"))).studios));
    expect((await studiosPage.loader(args(`/studios?${hostile}`))).total).toBe(seed.studios.length);
    expect((await resultsPage.loader(args(`/results?${hostile}`))).total).toBe(seed.results.length);
    expect((await patentsPage.loader(args(`/patents?${hostile}`))).total).toBe(seed.patents.length);
    expect((await needsPage.loader(args(`/needs?${hostile}`))).total).toBe(seed.needs.length);
  });

  test("a good filter still applies next to hostile ones", async () => {
    const data = await studiosPage.loader(args("/studios?industry=rail-transit&level=%3Cscript%3E&sort=%27%3B%20DROP%20TABLE%20Studio--"));
    expect(data.studios).toHaveLength(seed.studios.filter((f) => f.front.industry === "rail-transit").length);
    expect(await db.studio.count()).toBe(seed.studios.length);
  });

  test("results, patents and needs filter by their own fields", async () => {
    const software = await resultsPage.loader(args("/results?kind=software"));
    expect(slugsOf(software.results)).toEqual(
      seed.results
        .filter((f) => f.front.kind === "software")
        .map((f) => f.slug)
        .sort(),
    );
    const granted = await patentsPage.loader(args("/patents?status=granted"));
    expect(slugsOf(granted.patents)).toEqual(
      seed.patents
        .filter((f) => f.front.status === "granted")
        .map((f) => f.slug)
        .sort(),
    );
    const open = await needsPage.loader(args("/needs?status=open"));
    expect(slugsOf(open.needs)).toEqual(
      seed.needs
        .filter((f) => f.front.status === "open")
        .map((f) => f.slug)
        .sort(),
    );
  });

  test("the enterprises page and the home page count what was imported", async () => {
    const { enterprises } = await enterprisesPage.loader(args("/enterprises"));
    const names = new Set([...seed.studios, ...seed.needs].map((f) => f.front.enterprise));
    expect(enterprises.map((e) => e.name).sort()).toEqual([...names].sort());
    const { figures } = await home.loader(args("/"));
    expect(figures.totals).toMatchObject({ studios: seed.studios.length, results: seed.results.length, patents: seed.patents.length, needs: seed.needs.length });
  });
});

describe("paged lists", () => {
  interface Listed {
    total: number;
    page: number;
    pages: number;
    slugs: string[];
  }
  /**
   * A list read page by page: page 1 and page 2 share no row, every page together is the whole
   * filtered list in its order (perPage Infinity, as the export reads it), each page says the same
   * total, and a page past the end is the last page.
   */
  async function pagesAreTheList(read: (page: number, perPage?: number) => Promise<Listed>, perPage: number, expectedTotal: number) {
    const all = await read(1, Infinity);
    expect(all.slugs).toHaveLength(expectedTotal);
    expect(all.total).toBe(expectedTotal);
    expect(expectedTotal, "the filter must select more rows than a page").toBeGreaterThan(perPage);
    const [first, second] = [await read(1, perPage), await read(2, perPage)];
    expect(first.slugs).toHaveLength(perPage);
    expect(second.page).toBe(2);
    expect(second.slugs.length).toBeGreaterThan(0);
    expect(second.slugs.filter((s) => first.slugs.includes(s))).toEqual([]);
    expect(first.pages).toBe(Math.ceil(expectedTotal / perPage));
    const walked: string[] = [];
    for (let page = 1; page <= first.pages; page++) {
      const p = await read(page, perPage);
      expect(p.total).toBe(expectedTotal);
      walked.push(...p.slugs);
    }
    expect(walked).toEqual(all.slugs);
    const past = await read(first.pages + 7, perPage);
    expect(past.page).toBe(first.pages);
    expect(past.slugs).toEqual(all.slugs.slice((first.pages - 1) * perPage));
  }

  test("studios page in SQL, filtered and in every sort, the pages together being the filtered list", async () => {
    const municipal = seed.studios.filter((f) => f.front.level === "municipal").length;
    for (const sort of STUDIO_SORTS) {
      const read = async (page: number, perPage?: number) => {
        const l = await listStudios(PUBLIC_VIEWER, { level: "municipal", sort, page, perPage });
        return { ...l, slugs: l.studios.map((s) => s.slug) };
      };
      await pagesAreTheList(read, 5, municipal);
    }
  });

  test("results, patents, needs and enterprises page the same way", async () => {
    const inUse = seed.results.filter((f) => f.front.status === "in-use").length;
    await pagesAreTheList(
      async (page, perPage) => {
        const l = await listResults(PUBLIC_VIEWER, { status: "in-use", page, perPage });
        return { ...l, slugs: l.results.map((r) => r.slug) };
      },
      7,
      inUse,
    );
    const granted = seed.patents.filter((f) => f.front.status === "granted").length;
    await pagesAreTheList(
      async (page, perPage) => {
        const l = await listPatents(PUBLIC_VIEWER, { status: "granted", page, perPage });
        return { ...l, slugs: l.patents.map((p) => p.slug) };
      },
      5,
      granted,
    );
    const open = seed.needs.filter((f) => f.front.status === "open").length;
    await pagesAreTheList(
      async (page, perPage) => {
        const l = await listNeedsPage(null, { status: "open", page, perPage });
        return { ...l, slugs: l.rows.map((n) => n.slug) };
      },
      4,
      open,
    );
    const enterprises = await db.enterprise.count({ where: { archivedAt: null } });
    await pagesAreTheList(
      async (page, perPage) => {
        const l = await enterpriseDirectory({ page, perPage });
        return { ...l, slugs: l.enterprises.map((e) => e.slug) };
      },
      5,
      enterprises,
    );
  });

  test("the pages show the filtered total, a page of rows, and the page the query string names", async () => {
    const first = await studiosPage.loader(args("/studios"));
    expect(first).toMatchObject({ total: seed.studios.length, page: 1, pages: Math.ceil(seed.studios.length / STUDIOS_PER_PAGE) });
    expect(first.studios).toHaveLength(STUDIOS_PER_PAGE);
    const second = await studiosPage.loader(args("/studios?page=2"));
    expect(second.studios).toHaveLength(seed.studios.length - STUDIOS_PER_PAGE);
    expect(slugsOf([...first.studios, ...second.studios])).toEqual(seed.studios.map((f) => f.slug).sort());

    // results with a filter that selects more than a page: the filter applies on page 2 too
    const inUse = seed.results.filter((f) => f.front.status === "in-use").map((f) => f.slug);
    expect(inUse.length).toBeGreaterThan(RESULTS_PER_PAGE);
    const r1 = await resultsPage.loader(args("/results?status=in-use"));
    const r2 = await resultsPage.loader(args("/results?status=in-use&page=2"));
    expect(r1).toMatchObject({ total: inUse.length, page: 1, pages: 2 });
    expect(r2).toMatchObject({ total: inUse.length, page: 2, pages: 2 });
    expect(r1.results).toHaveLength(RESULTS_PER_PAGE);
    expect(r2.results.filter((r) => r1.results.some((x) => x.slug === r.slug))).toEqual([]);
    expect(slugsOf([...r1.results, ...r2.results])).toEqual(inUse.sort());
    expect(r2.results.every((r) => r.status === "in-use")).toBe(true);

    const patents = await patentsPage.loader(args("/patents?status=granted"));
    expect(patents.total).toBe(seed.patents.filter((f) => f.front.status === "granted").length);
    const needs = await needsPage.loader(args("/needs?status=open"));
    expect(needs.total).toBe(seed.needs.filter((f) => f.front.status === "open").length);
    // the status choices count every status of the list before the page is cut
    expect(needs.counts.open).toBe(needs.total);
    const enterprises = await enterprisesPage.loader(args("/enterprises"));
    expect(enterprises.total).toBe(await db.enterprise.count({ where: { archivedAt: null } }));
  });

  test("the needs' age and overdue filters (in SQL) select what they did, and the total is theirs", async () => {
    const coordinator = { headers: { Cookie: await sessionCookie((await createUser({ role: "coordinator" })).id) } };
    const open = await db.need.findMany({ where: { status: "open" }, orderBy: { slug: "asc" }, take: 2 });
    const day = 86_400_000;
    // one posted 40 days ago and waiting 10 days at its step, one posted and moved just now
    await db.need.update({ where: { id: open[0].id }, data: { createdAt: new Date(Date.now() - 40 * day), statusAt: new Date(Date.now() - 10 * day) } });
    await db.need.update({ where: { id: open[1].id }, data: { createdAt: new Date(), statusAt: new Date() } });
    const overdue = await needsPage.loader(args("/needs?overdue=1", {}, coordinator));
    expect(overdue.needs.map((n) => n.slug)).toContain(open[0].slug);
    expect(overdue.needs.map((n) => n.slug)).not.toContain(open[1].slug);
    expect(overdue.needs.every((n) => n.overdue)).toBe(true);
    expect(overdue.total).toBe(overdue.needs.length);
    // only coordinators see which needs are overdue
    expect((await needsPage.loader(args("/needs?overdue=1"))).total).toBe(0);
    const recent = await needsPage.loader(args("/needs?age=30"));
    expect(recent.needs.map((n) => n.slug)).toContain(open[1].slug);
    expect(recent.needs.map((n) => n.slug)).not.toContain(open[0].slug);
    expect(recent.total).toBe(recent.needs.length);
    // the status choices count the list before the age filter
    expect(recent.counts.open).toBe(seed.needs.filter((f) => f.front.status === "open").length);
  });

  test("a bad page number is the first page and one past the end the last, as on /people: never an error or an empty page", async () => {
    const first = slugsOf((await resultsPage.loader(args("/results"))).results);
    for (const bad of ["0", "-3", "abc"]) {
      const data = await resultsPage.loader(args(`/results?page=${bad}`));
      expect(data.page, bad).toBe(1);
      expect(slugsOf(data.results)).toEqual(first);
    }
    const last = await resultsPage.loader(args("/results?page=999"));
    expect(last.page).toBe(last.pages);
    expect(last.results.length).toBeGreaterThan(0);
    const studios = await studiosPage.loader(args("/studios?industry=rail-transit&page=40"));
    expect(studios).toMatchObject({ page: 1, pages: 1 });
    expect(studios.studios).toHaveLength(seed.studios.filter((f) => f.front.industry === "rail-transit").length);
    expect((await needsPage.loader(args("/needs?page=-1"))).page).toBe(1);
    expect((await patentsPage.loader(args("/patents?page=abc"))).page).toBe(1);
    expect((await enterprisesPage.loader(args("/enterprises?page=99"))).page).toBe(1);
  });
});

describe("JSON API", () => {
  test("every studio comes back with its front-matter fields by the same names", async () => {
    for (const f of seed.studios) {
      const { status, body } = await jsonOf(apiStudio.loader(args(`/api/studios/${f.slug}`, { slug: f.slug })));
      expect(status).toBe(200);
      expect(body).toMatchObject({
        slug: f.slug,
        url: `/studios/${f.slug}`,
        name: f.front.name,
        enterprise: f.front.enterprise,
        leader: f.front.leader,
        level: f.front.level,
        industry: f.front.industry,
        sector: f.front.sector,
        specialties: f.front.specialties,
        founded: f.front.founded,
        honours: f.front.honours ?? [],
        needs: f.front.needs ?? [],
      });
      expect(body.body.root.type).toBe("root");
    }
  });

  test("every result comes back with its front-matter fields by the same names", async () => {
    for (const f of seed.results) {
      const { status, body } = await jsonOf(apiResult.loader(args(`/api/results/${f.slug}`, { slug: f.slug })));
      expect(status).toBe(200);
      expect(body).toMatchObject({
        slug: f.slug,
        title: f.front.title,
        studio: f.front.studio,
        kind: f.front.kind,
        industry: f.front.industry,
        tags: f.front.tags,
        benefits: f.front.benefits,
        status: f.front.status,
        adopters: f.front.adopters ?? [],
        year: f.front.year,
        awards: f.front.awards ?? [],
      });
      expect([...body.patents].sort()).toEqual([...(f.front.patents ?? [])].sort());
    }
  });

  test("every patent comes back with its front-matter fields by the same names", async () => {
    for (const f of seed.patents) {
      const { status, body } = await jsonOf(apiPatent.loader(args(`/api/patents/${f.slug}`, { slug: f.slug })));
      expect(status).toBe(200);
      expect(body).toMatchObject({
        number: f.front.number,
        title: f.front.title,
        kind: f.front.kind,
        status: f.front.status,
        studio: f.front.studio,
        filed: f.front.filed,
        granted: f.front.granted ?? null,
      });
    }
  });

  test("every need comes back with its front-matter fields by the same names", async () => {
    for (const f of seed.needs) {
      const { status, body } = await jsonOf(apiNeed.loader(args(`/api/needs/${f.slug}`, { slug: f.slug })));
      expect(status).toBe(200);
      expect(body).toMatchObject({ title: f.front.title, enterprise: f.front.enterprise, industry: f.front.industry, tags: f.front.tags, status: f.front.status });
    }
  });

  test.each([
    ["studios", apiStudio.loader, "studio"],
    ["results", apiResult.loader, "result"],
    ["patents", apiPatent.loader, "patent"],
    ["needs", apiNeed.loader, "need"],
  ] as const)("an unknown slug under /api/%s is a 404 JSON error naming the field", async (kind, loader, noun) => {
    const { status, body } = await jsonOf(loader(args(`/api/${kind}/no-such-thing`, { slug: "no-such-thing" })));
    expect(status).toBe(404);
    expect(body).toEqual({ error: { code: "not_found", message: `no ${noun} with slug "no-such-thing"`, field: "slug" } });
  });

  test("an unknown API path is a 404 JSON error, and writes are refused with 405", async () => {
    const missing = await jsonOf(apiCatchAll.loader(args("/api/alliances")));
    expect(missing).toEqual({ status: 404, body: { error: { code: "not_found", message: "no API endpoint at /api/alliances" } } });
    const post = await jsonOf(apiCatchAll.action(args("/api/studios/xu-xin", {}, { method: "DELETE" })));
    expect(post.status).toBe(405);
    expect(post.body.error.code).toBe("method_not_allowed");
  });

  test("/api/health says the database is ok, with counts (to a site admin)", async () => {
    const admin = await sessionCookie((await createUser({ role: "admin" })).id);
    const res = await apiHealth.loader(args("/api/health", {}, { headers: { Cookie: admin } }));
    expect(res.headers.get("Cache-Control")).toBe("no-store");
    const { status, body } = await jsonOf(res);
    expect(status).toBe(200);
    expect(body.status).toBe("ok");
    expect(body.database).toMatchObject({
      status: "ok",
      // (TEST_DATABASE=postgresql runs the suite on PostgreSQL)
      provider: process.env.DATABASE_URL!.startsWith("postgresql://") ? "postgresql" : "sqlite",
      counts: { studios: seed.studios.length, results: seed.results.length, patents: seed.patents.length, needs: seed.needs.length },
    });
    expect(body.database.migrations).toBeGreaterThan(0);
    expect(body.search.engine).toBe("embedded");
  });
});

describe("language switch", () => {
  // a form post as the page sends it, with the visitor's CSRF cookie and token
  const post = async (fields: Record<string, string>) => language.action({ request: await postRequest("/language", fields), params: {}, context: {} });

  test("sets the lang cookie and goes back to the page", async () => {
    const res = await post({ lang: "en", redirectTo: "/studios?industry=rail-transit" });
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe("/studios?industry=rail-transit");
    const cookie = res.headers.get("Set-Cookie")!;
    expect(cookie).toMatch(/^lang=/);
    expect(cookie).toMatch(/HttpOnly/i);
    // the next request carrying that cookie is in English, whatever the browser prefers
    const next = new Request("http://localhost/", { headers: { Cookie: cookie.split(";")[0], "Accept-Language": "zh-CN,zh;q=0.9" } });
    expect(await getLocale(next)).toBe("en");
  });

  test.each(["//evil.example", "https://evil.example/", "/\\evil.example", "/\t/evil.example", "/\n/evil.example", "javascript:alert(1)", ""])(
    "refuses to redirect to %j and goes home instead",
    async (redirectTo) => {
      const res = await post({ lang: "zh-CN", redirectTo });
      expect(res.status).toBe(302);
      expect(res.headers.get("Location")).toBe("/");
    },
  );

  test("an unknown language sets no cookie", async () => {
    const res = await post({ lang: "fr", redirectTo: "/results" });
    expect(res.headers.get("Location")).toBe("/results");
    expect(res.headers.get("Set-Cookie")).toBeNull();
    expect(await localeCookie.parse(null)).toBeNull();
  });
});
