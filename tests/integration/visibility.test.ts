// An alliance-only result is named nowhere a visitor can look. One result of yufeng-frozen-food is
// published, linked to a patent, made the outcome of a joint project with konggang-sorting and
// adopted by an enterprise — all through the pages' forms — and then made alliance-only. Every
// route that has a loader (the list is read from app/routes/, so a new route must be added here)
// is then called as Remix calls it, with every slug a page can be asked about, as an anonymous
// visitor and as a member of a studio in no alliance: neither its title nor its adoption appears
// in what the loader answers (the page's data, the same JSON a `.data` request carries) nor in
// what it throws (404 pages with suggestions). Members of the alliance still see it.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { readdirSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { importContent } from "~/models/content-import.server";
import { createResultDraft } from "~/models/editing.server";
import * as root from "~/root";
import * as alliancePage from "~/routes/alliances.$slug";
import * as projectPage from "~/routes/alliances.$slug.projects.$project";
import * as projectNew from "~/routes/alliances.$slug.projects.new";
import * as allianceNew from "~/routes/alliances.new";
import * as enterprisePage from "~/routes/enterprises.$slug";
import * as needContacts from "~/routes/needs.contacts";
import * as studioContact from "~/routes/studios.$slug.contact";
import * as resultEdit from "~/routes/results.$slug.edit";
import * as resultPage from "~/routes/results.$slug";
import * as studioPage from "~/routes/studios.$slug";
import * as studiosPage from "~/routes/studios._index";
import * as newPatent from "~/routes/studios.$slug.patents.new";
import * as reviewPage from "~/routes/review";
import * as apiSearch from "~/routes/api.search";
import { saveSiteSettings } from "~/models/site-setting.server";
import { db } from "~/utils/db.server";
import { body, newPatentForm, resultForm } from "../fixtures/editing";
import { createUser, getRequest, postRequest, sessionCookie, settle, type Fields, type Outcome } from "../setup/auth";

const OWNER = "yufeng-frozen-food";
const PARTNER = "konggang-sorting";
const OUTSIDE = "huaxin-sensors"; // in no alliance of this file
const TITLE = "速冻水饺生产线装箱码垛联盟专用调试规程";
const ADOPTER = "郑州冷链物流装备测试有限公司";
const BENEFIT = "装箱码垛节拍提升百分之十七";

interface Actor {
  cookie: string;
}
let coordinator: Actor, ownerAdmin: Actor, partnerAdmin: Actor, partnerMember: Actor, outsider: Actor;
let resultSlug: string, patentSlug: string, allianceSlug: string, projectSlug: string;

type Action = (args: ActionFunctionArgs) => unknown;
type Loader = (args: LoaderFunctionArgs) => unknown;

async function actor(o: Parameters<typeof createUser>[0]): Promise<Actor> {
  return { cookie: await sessionCookie((await createUser(o)).id) };
}
async function post(action: Action, url: string, params: Record<string, string>, fields: Fields, who: Actor): Promise<Outcome> {
  const request = await postRequest(url, fields, { session: who.cookie });
  const out = await settle(() => action({ request, params, context: { clientAddress: "10.0.0.1" } }));
  expect(out.status, `${url}: ${JSON.stringify(out.data)}`).toBeLessThan(400);
  return out;
}
const load = (loader: Loader, url: string, params: Record<string, string>, who: Actor | null) =>
  settle(() => loader({ request: getRequest(url, who?.cookie ?? null), params, context: { clientAddress: "10.0.0.1" } }));

/** Everything a visitor receives from an answer, as text. */
const seen = (out: Outcome) => (typeof out.data === "string" ? out.data : (JSON.stringify(out.data) ?? ""));

async function setVisibility(visibility: "public" | "alliance") {
  await post(resultEdit.action, `/results/${resultSlug}/edit`, { slug: resultSlug }, await resultForm(resultSlug, { visibility }), ownerAdmin);
}

beforeAll(async () => {
  const report = await importContent(db, "content");
  if (!report.ok) throw new Error(JSON.stringify(report.problems));
  coordinator = await actor({ role: "coordinator" });
  ownerAdmin = await actor({ studio: OWNER, studioRole: "admin" });
  partnerAdmin = await actor({ studio: PARTNER, studioRole: "admin" });
  partnerMember = await actor({ studio: PARTNER, studioRole: "member" });
  outsider = await actor({ studio: OUTSIDE, studioRole: "member" });

  // a patent of the owner's, for the result to link to (the patent page lists its results)
  const patent = await post(newPatent.action, `/studios/${OWNER}/patents/new`, { slug: OWNER }, newPatentForm(OWNER, 9117, { title: "一种速冻食品装箱用码垛夹爪" }), ownerAdmin);
  patentSlug = /^\/patents\/([^?]+)/.exec(patent.location ?? "")![1];
  const patentNumber = (await db.patent.findUniqueOrThrow({ where: { slug: patentSlug } })).number;

  const studio = await db.studio.findUniqueOrThrow({ where: { slug: OWNER } });
  resultSlug = (await createResultDraft(studio, TITLE)).slug;
  // the studio's leader took part in it: the person's page lists it (people/<slug>.md `results`)
  const leader = await db.person.findFirstOrThrow({ where: { studioId: studio.id, role: "leader" } });
  await db.personResult.create({ data: { personId: leader.id, resultId: (await db.result.findUniqueOrThrow({ where: { slug: resultSlug } })).id } });
  await post(
    resultEdit.action,
    `/results/${resultSlug}/edit`,
    { slug: resultSlug },
    await resultForm(resultSlug, {
      title: TITLE,
      kind: "process",
      industry: "food",
      tags: "码垛，装箱，调试",
      benefits: "新线调试周期缩短一周",
      status: "in-use",
      adopters: "",
      year: "2026",
      visibility: "public",
      patents: [patentNumber],
      body: body("规程记录了速冻水饺装箱码垛工位的调试步骤。"),
    }),
    ownerAdmin,
  );

  const name = `速冻食品装备工作室联盟${Date.now()}`;
  await post(
    allianceNew.action,
    "/alliances/new",
    {},
    { name, theme: "装箱码垛", industries: ["food"], invite: [OWNER, PARTNER], charter: body("共享装箱码垛调试经验。") },
    coordinator,
  );
  allianceSlug = (await db.alliance.findFirstOrThrow({ where: { name } })).slug;
  await post(alliancePage.action, `/alliances/${allianceSlug}`, { slug: allianceSlug }, { intent: "accept", studio: OWNER }, ownerAdmin);
  await post(alliancePage.action, `/alliances/${allianceSlug}`, { slug: allianceSlug }, { intent: "accept", studio: PARTNER }, partnerAdmin);

  const projectTitle = "装箱码垛工位联合调试";
  await post(
    projectNew.action,
    `/alliances/${allianceSlug}/projects/new`,
    { slug: allianceSlug },
    {
      title: projectTitle,
      goals: "两条产线共用一套调试规程",
      lead: OWNER,
      partners: [PARTNER],
      milestoneTitle: ["首条产线调试完成"],
      milestoneDue: ["2027-03-01"],
    },
    coordinator,
  );
  projectSlug = (await db.jointProject.findFirstOrThrow({ where: { title: projectTitle } })).slug;
  const at = `/alliances/${allianceSlug}/projects/${projectSlug}`;
  const params = { slug: allianceSlug, project: projectSlug };
  await post(projectPage.action, at, params, { intent: "outcome", result: resultSlug }, ownerAdmin);
  await post(projectPage.action, at, params, { intent: "adopt", newName: ADOPTER, adoptedOn: "2026-10-08", benefit: BENEFIT }, ownerAdmin);
  // a new enterprise's adoption counts once a coordinator confirms it
  const pending = await db.adoption.findFirstOrThrow({ where: { proposedName: ADOPTER, status: "pending" } });
  await post(needContacts.action, "/needs/contacts", {}, { intent: "confirm-adoption", id: pending.id }, coordinator);
  // an enquiry about the result: its pages name the result only to the studio's admins and coordinators
  await post(
    studioContact.action,
    `/studios/${OWNER}/contact`,
    { slug: OWNER },
    { message: "想借鉴装箱码垛工位的调试规程", contactName: "何部长", contact: "0371-6688 1234", result: resultSlug },
    partnerMember,
  );
});

/** Every URL each route can be asked for here, by route file. A route file missing from this list fails the test. */
async function urlsOf(): Promise<Record<string, { url: string; params: Record<string, string> }[]>> {
  const studios = (await db.studio.findMany({ select: { slug: true } })).map((s) => s.slug);
  const enterprises = (await db.enterprise.findMany({ select: { slug: true } })).map((e) => e.slug);
  const need = (await db.need.findFirstOrThrow({ select: { slug: true } })).slug;
  const people = (await db.person.findMany({ where: { studio: { slug: OWNER } }, select: { slug: true } })).map((p) => p.slug);
  const one = (url: string, params: Record<string, string> = {}) => [{ url, params }];
  const q = encodeURIComponent("装箱码垛调试规程");
  const enquiry = (await db.enquiry.findFirstOrThrow({ select: { id: true } })).id;
  return {
    "$.tsx": one("/no-such-page", { "*": "no-such-page" }),
    "_index.tsx": one("/"),
    "account.tsx": one("/account"),
    "account.enterprise.tsx": one("/account/enterprise"),
    "forgot-password.tsx": one("/forgot-password"),
    "reset-password.$token.tsx": one("/reset-password/not-a-token", { token: "not-a-token" }),
    "admin._index.tsx": one("/admin"),
    "apply.tsx": one("/apply"),
    "admin.audit.tsx": one("/admin/audit"),
    "admin.import.tsx": one("/admin/import"),
    "admin.import_.template.ts": one("/admin/import/template"),
    "admin.enterprises.tsx": one("/admin/enterprises"),
    "admin.honours.tsx": one("/admin/honours"),
    "admin.search.tsx": one("/admin/search"),
    "admin.settings.tsx": one("/admin/settings"),
    "admin.users.tsx": one("/admin/users"),
    "alliances.$slug.projects.$project.tsx": one(`/alliances/${allianceSlug}/projects/${projectSlug}`, { slug: allianceSlug, project: projectSlug }),
    "alliances.$slug.edit.tsx": one(`/alliances/${allianceSlug}/edit`, { slug: allianceSlug }),
    "alliances.$slug.projects.new.tsx": one(`/alliances/${allianceSlug}/projects/new`, { slug: allianceSlug }),
    "alliances.$slug.tsx": one(`/alliances/${allianceSlug}`, { slug: allianceSlug }),
    "alliances._index.tsx": one("/alliances"),
    "alliances.new.tsx": one("/alliances/new"),
    "api.$.ts": one("/api/no-such-thing", { "*": "no-such-thing" }),
    "api.health.ts": one("/api/health"),
    "i18n.$file.ts": one("/i18n/zh-CN.any.js", { file: "zh-CN.any.js" }),
    "api.needs.$slug.ts": one(`/api/needs/${need}`, { slug: need }),
    "api.needs.$slug.candidates.ts": one(`/api/needs/${need}/candidates`, { slug: need }),
    "api.patents.$slug.ts": one(`/api/patents/${patentSlug}`, { slug: patentSlug }),
    "api.results.$slug.ts": one(`/api/results/${resultSlug}`, { slug: resultSlug }),
    "api.search.ts": [`/api/search?q=${q}`, `/api/search?q=${q}&type=result`, "/api/search?q=%E7%A0%81%E5%9E%9B"].map((url) => ({ url, params: {} })),
    "api.studios.$slug.peers.ts": studios.map((slug) => ({ url: `/api/studios/${slug}/peers?limit=50`, params: { slug } })),
    "api.studios.$slug.ts": studios.map((slug) => ({ url: `/api/studios/${slug}`, params: { slug } })),
    "api.suggest.ts": one(`/api/suggest?q=${encodeURIComponent("速冻水饺")}`),
    "dashboard.tsx": one("/dashboard?from=2026-01&to=2026-06"),
    "enterprises.$slug.tsx": enterprises.map((slug) => ({ url: `/enterprises/${slug}`, params: { slug } })),
    "enterprises._index.tsx": one("/enterprises"),
    "enquiries._index.tsx": one("/enquiries"),
    "enquiries.$id.tsx": one(`/enquiries/${enquiry}`, { id: enquiry }),
    // CSV: text the walk can search (the .xlsx of the same list is the same rows, zipped)
    "export.$file.ts": ["studios", "results", "patents", "needs", "people", "alliances", "dashboard"].map((list) => ({
      url: `/export/${list}.csv`,
      params: { file: `${list}.csv` },
    })),
    "inbox.tsx": one("/inbox"),
    "join.$token.tsx": one("/join/not-a-token", { token: "not-a-token" }),
    "language.tsx": one("/language"),
    "login.tsx": one("/login"),
    "logout.tsx": one("/logout"),
    "match.tsx": [`/match?theme=${encodeURIComponent("装箱 码垛 调试")}`, `/match?need=${need}`].map((url) => ({ url, params: {} })),
    "needs.$slug.tsx": one(`/needs/${need}`, { slug: need }),
    "needs.$slug.attachments.$file.ts": one(`/needs/${need}/attachments/nonexistent.pdf`, { slug: need, file: "nonexistent.pdf" }),
    "needs._index.tsx": ["/needs", "/needs?mine=1", "/needs?status=closed"].map((url) => ({ url, params: {} })),
    "needs.$slug.edit.tsx": one(`/needs/${need}/edit`, { slug: need }),
    "needs.contacts.tsx": one("/needs/contacts"),
    "needs.new.tsx": one("/needs/new"),
    "patents.$slug.edit.tsx": one(`/patents/${patentSlug}/edit`, { slug: patentSlug }),
    "patents.$slug.history.tsx": one(`/patents/${patentSlug}/history`, { slug: patentSlug }),
    "patents.$slug.tsx": one(`/patents/${patentSlug}`, { slug: patentSlug }),
    "patents._index.tsx": one("/patents"),
    "people.$slug.tsx": people.map((slug) => ({ url: `/people/${slug}`, params: { slug } })),
    "people._index.tsx": ["/people", "/people?industry=food", "/people?level=national"].map((url) => ({ url, params: {} })),
    "register.tsx": one("/register"),
    "results.$slug.edit.tsx": one(`/results/${resultSlug}/edit`, { slug: resultSlug }),
    "results.$slug.history.tsx": one(`/results/${resultSlug}/history`, { slug: resultSlug }),
    // the second is an unknown slug close to it: the 404 suggests similar results
    "results.$slug.tsx": [resultSlug, `${resultSlug}-x`].map((slug) => ({ url: `/results/${slug}`, params: { slug } })),
    "review.tsx": one("/review"),
    "results._index.tsx": ["/results", "/results?industry=food", "/results?kind=process"].map((url) => ({ url, params: {} })),
    "search.tsx": [`/search?q=${q}`, `/search?q=${q}&type=result`, "/search?q=%E7%A0%81%E5%9E%9B"].map((url) => ({ url, params: {} })),
    "studios.$slug.edit.tsx": one(`/studios/${OWNER}/edit`, { slug: OWNER }),
    // asked about the alliance-only result: the form names it only to those who may see it
    "studios.$slug.contact.tsx": one(`/studios/${OWNER}/contact?result=${resultSlug}`, { slug: OWNER }),
    "studios.$slug.history.tsx": one(`/studios/${OWNER}/history`, { slug: OWNER }),
    "studios.$slug.members.tsx": one(`/studios/${OWNER}/members`, { slug: OWNER }),
    "studios.$slug.people.tsx": one(`/studios/${OWNER}/people`, { slug: OWNER }),
    "studios.$slug.recognition.tsx": one(`/studios/${OWNER}/recognition`, { slug: OWNER }),
    "studios.$slug.patents.new.tsx": one(`/studios/${OWNER}/patents/new`, { slug: OWNER }),
    "studios.$slug.results.new.tsx": one(`/studios/${OWNER}/results/new`, { slug: OWNER }),
    "studios.$slug.tsx": studios.map((slug) => ({ url: `/studios/${slug}`, params: { slug } })),
    "studios._index.tsx": ["/studios", "/studios?sort=results", "/studios?industry=food"].map((url) => ({ url, params: {} })),
    "uploads.$file.ts": one("/uploads/none.png", { file: "none.png" }),
    "verify-email.tsx": one("/verify-email?token=nothing"),
  };
}

/** Each (route, url) answer that names the result or its adoption (or, given, other marks), for `who`. */
async function leaks(who: Actor | null, marks: Record<string, string> = { title: TITLE, adoption: BENEFIT }): Promise<string[]> {
  const dir = path.resolve("app/routes");
  const urls = await urlsOf();
  const found: string[] = [];
  const check = (where: string, out: Outcome) => {
    const text = seen(out);
    for (const [name, mark] of Object.entries(marks)) if (text.includes(mark)) found.push(`${where} (${name})`);
  };
  check("root /", await load(root.loader as Loader, "/", {}, who));
  for (const file of readdirSync(dir).sort()) {
    const mod = (await import(/* @vite-ignore */ path.join(dir, file))) as { loader?: Loader };
    if (typeof mod.loader !== "function") continue;
    const list = urls[file];
    if (!list) throw new Error(`app/routes/${file} has a loader but no URL in this test's list`);
    for (const { url, params } of list) check(`${file} ${url}`, await load(mod.loader, url, params, who));
  }
  return found;
}

describe("an alliance-only result that is a joint project's outcome", () => {
  test("while it is public, the walk finds it where it should (the check can see a title)", async () => {
    const anywhere = await leaks(null);
    expect(anywhere).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^alliances\.\$slug\.projects\.\$project\.tsx .* \(title\)$/),
        expect.stringMatching(/^alliances\.\$slug\.projects\.\$project\.tsx .* \(adoption\)$/),
        expect.stringMatching(/^results\.\$slug\.tsx .* \(title\)$/),
        expect.stringMatching(/^patents\.\$slug\.tsx .* \(title\)$/),
        expect.stringMatching(/^studios\.\$slug\.tsx .* \(title\)$/),
        expect.stringMatching(/^people\.\$slug\.tsx .* \(title\)$/),
        expect.stringMatching(/^api\.results\.\$slug\.ts .* \(title\)$/),
        expect.stringMatching(/^api\.search\.ts .* \(title\)$/),
        expect.stringMatching(/^export\.\$file\.ts \/export\/results\.csv \(title\)$/),
      ]),
    );
  });

  test("once alliance-only, no page or API names it or its adoption to an anonymous visitor or to a member of an unrelated studio", async () => {
    await setVisibility("alliance");
    expect(await leaks(null)).toEqual([]);
    expect(await leaks(outsider)).toEqual([]);
  });

  test("the project page says its outcome is for alliance members; they still see it there and on its page", async () => {
    const at = `/alliances/${allianceSlug}/projects/${projectSlug}`;
    const params = { slug: allianceSlug, project: projectSlug };
    for (const who of [null, outsider]) {
      expect((await load(projectPage.loader as Loader, at, params, who)).data).toMatchObject({ outcome: null, outcomeHidden: true });
    }
    for (const who of [partnerMember, ownerAdmin, coordinator]) {
      const data = (await load(projectPage.loader as Loader, at, params, who)).data;
      expect(data).toMatchObject({ outcomeHidden: false, outcome: { slug: resultSlug, title: TITLE, adoptions: [{ enterprise: ADOPTER, benefit: BENEFIT }] } });
      expect((await load(resultPage.loader as Loader, `/results/${resultSlug}`, { slug: resultSlug }, who)).data).toMatchObject({ allianceOnly: true, result: { title: TITLE } });
    }
  });
});

describe("counts of results", () => {
  const studioCount = async (who: Actor | null, slug: string) => {
    // the owner's industry: the whole list is more than a page
    const data = (await load(studiosPage.loader as Loader, "/studios?industry=food", {}, who)).data as { studios: { slug: string; results: number }[] };
    return data.studios.find((s) => s.slug === slug)!.results;
  };
  const studioPageSlugs = async (who: Actor | null) =>
    ((await load(studioPage.loader as Loader, `/studios/${OWNER}`, { slug: OWNER }, who)).data as { results: { slug: string }[] }).results.map((r) => r.slug);
  const enterpriseCount = async (who: Actor | null) => {
    const enterprise = (await db.studio.findUniqueOrThrow({ where: { slug: OWNER }, include: { enterprise: true } })).enterprise.slug;
    const data = (await load(enterprisePage.loader as Loader, `/enterprises/${enterprise}`, { slug: enterprise }, who)).data as { studios: { slug: string; results: number }[] };
    return data.studios.find((s) => s.slug === OWNER)!.results;
  };

  test("the studio list, the studio page and the enterprise page count only results the visitor may see", async () => {
    await setVisibility("public");
    // an unpublished draft of the owner's, which nobody sees on these pages
    await createResultDraft(await db.studio.findUniqueOrThrow({ where: { slug: OWNER } }), "尚未发布的速冻线草稿成果");
    const all = await studioCount(partnerMember, OWNER);
    expect(await studioCount(null, OWNER)).toBe(all);
    expect(await studioPageSlugs(null)).toHaveLength(all);
    expect(await enterpriseCount(null)).toBe(all);

    await setVisibility("alliance");
    for (const who of [null, outsider]) {
      expect(await studioCount(who, OWNER)).toBe(all - 1);
      expect(await enterpriseCount(who)).toBe(all - 1);
      expect(await studioPageSlugs(who)).not.toContain(resultSlug);
    }
    for (const who of [partnerMember, ownerAdmin, coordinator]) {
      expect(await studioCount(who, OWNER)).toBe(all);
      expect(await enterpriseCount(who)).toBe(all);
      expect(await studioPageSlugs(who)).toContain(resultSlug);
    }
    const sorted = (await load(studiosPage.loader as Loader, "/studios?sort=results", {}, null)).data as { studios: { results: number }[] };
    const counts = sorted.studios.map((s) => s.results);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
  });
});

describe("a new result waiting for review (审核)", () => {
  const PENDING = "速冻汤圆包馅机防粘改进待审成果";
  test("is named by no page or API to a visitor, an unrelated member or an alliance partner until a coordinator approves it", async () => {
    const admin = await createUser({ role: "admin" });
    expect(await saveSiteSettings(admin, { review: "on" })).toMatchObject({ ok: true, changed: ["review"] });
    const studio = await db.studio.findUniqueOrThrow({ where: { slug: OWNER } });
    const slug = (await createResultDraft(studio, PENDING)).slug;
    await post(
      resultEdit.action,
      `/results/${slug}/edit`,
      { slug },
      await resultForm(slug, { title: PENDING, industry: "food", visibility: "public", body: body("防粘涂层与刮板改进。") }),
      ownerAdmin,
    );
    expect(await db.result.findUniqueOrThrow({ where: { slug } })).toMatchObject({ review: "pending", published: true });

    for (const who of [null, outsider, partnerMember]) expect(await leaks(who, { pending: PENDING })).toEqual([]);
    const search = async () => seen(await load(apiSearch.loader as Loader, `/api/search?q=${encodeURIComponent("汤圆包馅机防粘")}`, {}, null));
    expect(await search()).not.toContain(PENDING);
    // its own studio sees it, marked
    expect((await load(resultPage.loader as Loader, `/results/${slug}`, { slug }, ownerAdmin)).data).toMatchObject({ review: { status: "pending", kind: "new" } });

    const item = await db.reviewItem.findFirstOrThrow({ where: { subjectType: "result", status: "pending" } });
    await post(reviewPage.action, "/review", {}, { intent: "approve", type: "content", id: item.id, reason: "" }, coordinator);
    expect(await leaks(null, { pending: PENDING })).toEqual(
      expect.arrayContaining([expect.stringMatching(/^results\.\$slug\.tsx .* \(pending\)$/), expect.stringMatching(/^results\._index\.tsx .* \(pending\)$/)]),
    );
    expect(await search()).toContain(PENDING);
    expect(await saveSiteSettings(admin, { review: "" })).toMatchObject({ ok: true });
  });
});
