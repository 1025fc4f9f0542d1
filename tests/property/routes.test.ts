// The real route actions and loaders driven with generated form bodies and query strings, as
// Remix calls them (a signed-in session and a valid CSRF pair, as the browser sends them). Any
// answer is fine but a 500: an exception that is not a Response is what Remix turns into one.
// When the answer refuses the input, no table gained or lost a row and the record is as it was.
import Database from "better-sqlite3";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { LEVELS, PATENT_KINDS, PATENT_STATUSES, RESULT_KINDS, RESULT_STATUSES, SECTORS } from "~/content/enums";
import { importContent } from "~/models/content-import.server";
import * as account from "~/routes/account";
import * as projectPage from "~/routes/alliances.$slug.projects.$project";
import * as projectNew from "~/routes/alliances.$slug.projects.new";
import * as alliancePage from "~/routes/alliances.$slug";
import * as allianceNew from "~/routes/alliances.new";
import * as alliances from "~/routes/alliances._index";
import * as apiSearch from "~/routes/api.search";
import * as apiSuggest from "~/routes/api.suggest";
import * as enterprises from "~/routes/enterprises._index";
import * as inbox from "~/routes/inbox";
import * as language from "~/routes/language";
import * as login from "~/routes/login";
import * as match from "~/routes/match";
import * as needs from "~/routes/needs._index";
import * as patentEdit from "~/routes/patents.$slug.edit";
import * as patents from "~/routes/patents._index";
import * as register from "~/routes/register";
import * as resultEdit from "~/routes/results.$slug.edit";
import * as resultHistory from "~/routes/results.$slug.history";
import * as results from "~/routes/results._index";
import * as search from "~/routes/search";
import * as studioEdit from "~/routes/studios.$slug.edit";
import * as studioMembers from "~/routes/studios.$slug.members";
import * as newPatent from "~/routes/studios.$slug.patents.new";
import * as newResult from "~/routes/studios.$slug.results.new";
import * as studios from "~/routes/studios._index";
import { db } from "~/utils/db.server";
import { body as bodyOfBlocks, newPatentForm, resultForm, studioForm } from "../fixtures/editing";
import { createUser, getRequest, postRequest, sessionCookie, settle, unique, type Fields } from "../setup/auth";
import { bodyOf, date, formFields, lexicalStateOf, numberish, printable, slugish, wellFormed } from "./arbitraries";

// a fixed seed keeps CI repeatable; FC_SEED=<n> (or FC_SEED=random) explores further
const seed = process.env.FC_SEED === "random" ? Date.now() % 2 ** 31 : Number(process.env.FC_SEED ?? 20261202);
fc.configureGlobal({ seed, endOnFailure: false });

type Handler = (args: { request: Request; params: Record<string, string>; context: { clientAddress: string } }) => unknown;

/** The status Remix would answer with; an exception that is not a Response is its 500. */
async function statusOf(run: () => unknown): Promise<{ status: number; error?: unknown }> {
  try {
    return { status: (await settle(run)).status };
  } catch (e) {
    return { status: 500, error: e };
  }
}

const why = (r: { status: number; error?: unknown }, input: unknown) =>
  `answered ${r.status}${r.error ? ` (${r.error instanceof Error ? r.error.stack?.split("\n").slice(0, 3).join(" ") : String(r.error)})` : ""} to ${JSON.stringify(input)}`;

let sqlite: Database.Database;
let tables: string[];
/** Rows in every table, read beside the app's own connection. */
const counts = () => Object.fromEntries(tables.map((t) => [t, (sqlite.prepare(`SELECT count(*) AS n FROM "${t}"`).get() as { n: number }).n]));

let admin: string, coordinator: string, memberOfNone: string;
let allianceSlug: string, projectSlug: string;
const STUDIO = "xu-xin";

beforeAll(async () => {
  const report = await importContent(db, "content");
  if (!report.ok) throw new Error(JSON.stringify(report.problems));
  sqlite = new Database(process.env.DATABASE_URL!.replace(/^file:/, ""), { readonly: true });
  tables = (
    sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_prisma%' AND sql NOT LIKE 'CREATE VIRTUAL%'").all() as {
      name: string;
    }[]
  ).map((r) => r.name);
  admin = await sessionCookie((await createUser({ studio: STUDIO, studioRole: "admin" })).id);
  coordinator = await sessionCookie((await createUser({ role: "coordinator" })).id);
  memberOfNone = await sessionCookie((await createUser()).id);
  // an alliance with xu-xin in it and a project of theirs, made through the real forms
  const name = `属性测试联盟${unique()}`;
  const made = await settle(async () =>
    allianceNew.action({
      request: await postRequest(
        "/alliances/new",
        { name, theme: "智能巡检", industries: ["rail-transit"], invite: [STUDIO], charter: bodyOfBlocks("联盟章程。") },
        { session: coordinator },
      ),
      params: {},
      context: { clientAddress: "10.0.0.1" },
    }),
  );
  expect(made.status).toBe(302);
  allianceSlug = (await db.alliance.findFirstOrThrow({ where: { name } })).slug;
  const accepted = await settle(async () =>
    alliancePage.action({
      request: await postRequest(`/alliances/${allianceSlug}`, { intent: "accept", studio: STUDIO }, { session: admin }),
      params: { slug: allianceSlug },
      context: { clientAddress: "10.0.0.1" },
    }),
  );
  expect(accepted.status).toBe(200);
  const title = `联合巡检${unique()}`;
  const proposed = await settle(async () =>
    projectNew.action({
      request: await postRequest(
        `/alliances/${allianceSlug}/projects/new`,
        { title, goals: "共建巡检点位库", lead: STUDIO, milestoneTitle: ["点位梳理"], milestoneDue: ["2026-12-20"] },
        { session: admin },
      ),
      params: { slug: allianceSlug },
      context: { clientAddress: "10.0.0.1" },
    }),
  );
  expect(proposed.status).toBe(302);
  projectSlug = (await db.jointProject.findFirstOrThrow({ where: { title } })).slug;
});
afterAll(() => sqlite?.close());

// A body field: well-formed with generated text, any Lexical-shaped JSON, or any string. Lone
// surrogate halves have a test of their own below (a known bug, fixed on another branch).
const body = fc.oneof(
  { weight: 3, arbitrary: fc.array(wellFormed(40), { minLength: 1, maxLength: 3 }).map(bodyOf) },
  { weight: 2, arbitrary: lexicalStateOf(wellFormed(30)).map((s) => JSON.stringify(s)) },
  { weight: 1, arbitrary: wellFormed(40) },
);

interface Case {
  name: string;
  handler: Handler;
  url: string;
  params: Record<string, string>;
  session: () => string | null;
  fields: Record<string, fc.Arbitrary<string>>;
  lists?: string[];
  numRuns: number;
  /** the record a refused edit must leave as it was */
  record?: () => Promise<unknown>;
  /** tables a refused request may still write to (a failed login is counted, for the rate limit) */
  mayWrite?: string[];
}

const resultSlug = () => "hmi-simulation-software";
const CASES: Case[] = [
  {
    name: "POST /register",
    handler: register.action,
    url: "/register",
    params: {},
    session: () => null,
    numRuns: 80,
    fields: {
      name: printable(45),
      email: fc.oneof(fc.emailAddress(), printable(15)),
      password: printable(24),
      redirectTo: fc.oneof(fc.constantFrom("/", "/account", "//evil.example", "/搜索"), printable(10)),
    },
  },
  {
    name: "POST /login",
    handler: login.action,
    url: "/login",
    params: {},
    session: () => null,
    numRuns: 60,
    mayWrite: ["LoginAttempt"],
    fields: { email: fc.oneof(fc.emailAddress(), printable(15)), password: printable(24), redirectTo: fc.oneof(fc.constantFrom("/", "/account", "//evil.example"), printable(10)) },
  },
  {
    name: "POST /language",
    handler: language.action,
    url: "/language",
    params: {},
    session: () => null,
    numRuns: 200,
    fields: {
      lang: fc.constantFrom("zh-CN", "en", "fr", ""),
      redirectTo: fc.oneof(fc.constantFrom("/", "/studios?industry=rail-transit", "//evil.example", "/\\evil", "https://evil.example"), printable(20)),
    },
  },
  {
    name: "POST /account (password)",
    handler: account.action,
    url: "/account",
    params: {},
    session: () => memberOfNone,
    numRuns: 60,
    fields: { intent: fc.constantFrom("password", "other"), currentPassword: printable(24), newPassword: printable(24) },
  },
  {
    name: "POST /inbox",
    handler: inbox.action,
    url: "/inbox",
    params: {},
    session: () => admin,
    numRuns: 80,
    fields: { id: printable(20), to: fc.oneof(fc.constantFrom("/", "/inbox", "//evil.example"), printable(20)) },
  },
  {
    name: "POST /studios/:slug/results/new",
    handler: newResult.action,
    url: `/studios/${STUDIO}/results/new`,
    params: { slug: STUDIO },
    session: () => admin,
    numRuns: 60,
    fields: { title: printable(130) },
  },
  {
    name: "POST /studios/:slug/patents/new",
    handler: newPatent.action,
    url: `/studios/${STUDIO}/patents/new`,
    params: { slug: STUDIO },
    session: () => admin,
    numRuns: 100,
    fields: {
      studio: fc.oneof(fc.constant(STUDIO), slugish),
      version: numberish,
      number: fc.oneof(fc.stringMatching(/^ZL20[0-9]{9}\.[0-9X]$/), printable(12)),
      title: printable(160),
      kind: fc.constantFrom(...PATENT_KINDS, "x"),
      status: fc.constantFrom(...PATENT_STATUSES, "x"),
      filed: date,
      granted: fc.oneof(date, fc.constant("")),
      body,
    },
  },
  {
    name: "POST /results/:slug/edit (publish)",
    handler: resultEdit.action,
    url: `/results/${resultSlug()}/edit`,
    params: { slug: resultSlug() },
    session: () => admin,
    numRuns: 100,
    record: () => db.result.findUnique({ where: { slug: resultSlug() }, include: { patents: true } }),
    lists: ["patents"],
    fields: {
      intent: fc.constantFrom("publish", "autosave", "other"),
      studio: fc.oneof(fc.constant(STUDIO), slugish),
      version: fc.oneof(fc.constant("0"), numberish),
      title: printable(130),
      kind: fc.constantFrom(...RESULT_KINDS, "x"),
      industry: fc.constantFrom("rail-transit", "power-grid", "no-such"),
      tags: printable(60),
      benefits: printable(200),
      status: fc.constantFrom(...RESULT_STATUSES, "x"),
      adopters: printable(80),
      year: numberish,
      patents: printable(20),
      awards: printable(60),
      visibility: fc.constantFrom("public", "alliance", "x"),
      body,
    },
  },
  {
    name: "POST /studios/:slug/edit (publish)",
    handler: studioEdit.action,
    url: `/studios/${STUDIO}/edit`,
    params: { slug: STUDIO },
    session: () => admin,
    numRuns: 80,
    record: () => db.studio.findUnique({ where: { slug: STUDIO } }),
    fields: {
      intent: fc.constantFrom("publish", "autosave"),
      studio: fc.oneof(fc.constant(STUDIO), slugish),
      version: fc.oneof(fc.constant("0"), numberish),
      name: printable(110),
      industry: fc.constantFrom("rail-transit", "no-such"),
      sector: fc.constantFrom(...SECTORS, "x"),
      level: fc.constantFrom(...LEVELS, "x"),
      specialties: printable(80),
      founded: numberish,
      honours: printable(80),
      needs: printable(60),
      body,
    },
  },
  {
    name: "POST /patents/:slug/edit (publish)",
    handler: patentEdit.action,
    url: "/patents/PATENT/edit",
    params: { slug: "PATENT" },
    session: () => admin,
    numRuns: 80,
    record: async () => db.patent.findFirst({ where: { studio: { slug: STUDIO } }, orderBy: { slug: "asc" } }),
    fields: {
      intent: fc.constantFrom("publish", "autosave"),
      studio: fc.oneof(fc.constant(STUDIO), slugish),
      version: fc.oneof(fc.constant("0"), numberish),
      number: printable(14),
      title: printable(160),
      kind: fc.constantFrom(...PATENT_KINDS, "x"),
      status: fc.constantFrom(...PATENT_STATUSES, "x"),
      filed: date,
      granted: fc.oneof(date, fc.constant("")),
      body,
    },
  },
  {
    name: "POST /results/:slug/history (restore)",
    handler: resultHistory.action,
    url: `/results/${resultSlug()}/history`,
    params: { slug: resultSlug() },
    session: () => admin,
    numRuns: 100,
    record: () => db.result.findUnique({ where: { slug: resultSlug() } }),
    fields: { intent: fc.constantFrom("restore", "x"), version: numberish },
  },
  {
    name: "POST /studios/:slug/members",
    handler: studioMembers.action,
    url: `/studios/${STUDIO}/members`,
    params: { slug: STUDIO },
    session: () => admin,
    numRuns: 150,
    fields: {
      intent: fc.constantFrom("invite", "remove", "x"),
      role: fc.constantFrom("member", "admin", "owner"),
      email: fc.oneof(fc.emailAddress(), fc.constant(""), printable(10)),
      membership: printable(20),
    },
  },
  {
    name: "POST /alliances/new",
    handler: allianceNew.action,
    url: "/alliances/new",
    params: {},
    session: () => coordinator,
    numRuns: 100,
    lists: ["industries", "invite"],
    fields: {
      name: printable(70),
      theme: printable(70),
      industries: fc.oneof(fc.constantFrom("rail-transit", "power-grid"), slugish),
      invite: fc.oneof(fc.constantFrom("xu-xin", "metro-signal"), slugish),
      charter: body,
    },
  },
  {
    name: "POST /alliances/:slug",
    handler: alliancePage.action,
    url: "/alliances/ALLIANCE",
    params: { slug: "ALLIANCE" },
    session: () => admin,
    numRuns: 100,
    fields: { intent: fc.constantFrom("invite", "accept", "decline", "x"), studio: fc.oneof(fc.constantFrom(STUDIO, "metro-signal"), slugish) },
  },
  {
    name: "POST /alliances/:slug/projects/new",
    handler: projectNew.action,
    url: "/alliances/ALLIANCE/projects/new",
    params: { slug: "ALLIANCE" },
    session: () => admin,
    numRuns: 80,
    lists: ["partners", "milestoneTitle", "milestoneDue"],
    fields: {
      title: printable(110),
      goals: printable(200),
      lead: fc.oneof(fc.constant(STUDIO), slugish),
      partners: fc.oneof(fc.constant("metro-signal"), slugish),
      milestoneTitle: printable(50),
      milestoneDue: fc.oneof(date, fc.constant("")),
    },
  },
  {
    name: "POST /alliances/:slug/projects/:project",
    handler: projectPage.action,
    url: "/alliances/ALLIANCE/projects/PROJECT",
    params: { slug: "ALLIANCE", project: "PROJECT" },
    session: () => admin,
    numRuns: 100,
    fields: {
      intent: fc.constantFrom("status", "milestone", "update", "outcome", "adopt", "x"),
      to: fc.constantFrom("active", "done", "proposed", "x"),
      milestone: printable(20),
      done: fc.constantFrom("1", "0"),
      text: printable(100),
      result: fc.oneof(fc.constant(resultSlug()), slugish),
      enterprise: printable(50),
      adoptedOn: date,
      benefit: printable(100),
    },
  },
];

/** Fills in the slugs made in beforeAll. */
const at = (s: string) => s.replace("ALLIANCE", allianceSlug).replace("PROJECT", projectSlug);

describe("every form action, with generated forms", () => {
  test.each(CASES.map((c) => [c.name, c] as const))("%s: never a 500; a refused form writes nothing", async (_name, c) => {
    const patentSlug = c.url.includes("/patents/PATENT") ? ((await c.record!()) as { slug: string }).slug : null;
    const url = at(c.url).replace("PATENT", patentSlug ?? "PATENT");
    const params = Object.fromEntries(Object.entries(c.params).map(([k, v]) => [k, at(v).replace("PATENT", patentSlug ?? "PATENT")]));
    await fc.assert(
      fc.asyncProperty(formFields(c.fields, wellFormed), async (entries) => {
        const fields: Fields = {};
        for (const [k, v] of entries) fields[k] = k in fields ? [...[fields[k]].flat(), v] : v;
        // an editor form carries the record's current version most of the time, so it is published
        if (c.record && fields.version === "0") {
          const rec = (await c.record()) as { version?: number } | null;
          if (rec?.version !== undefined) fields.version = String(rec.version);
        }
        const before = counts();
        const record = c.record ? JSON.stringify(await c.record()) : null;
        const request = await postRequest(url, fields, { session: c.session() });
        const r = await statusOf(() => c.handler({ request, params, context: { clientAddress: `10.1.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}` } }));
        expect(r.status, why(r, fields)).toBeLessThan(500);
        if (r.status >= 400) {
          const after = counts();
          for (const t of c.mayWrite ?? []) {
            delete after[t];
            delete before[t];
          }
          expect(after, `a ${r.status} answer changed rows: ${JSON.stringify(fields)}`).toEqual(before);
          if (record !== null) expect(JSON.stringify(await c.record!()), `a ${r.status} answer changed the record: ${JSON.stringify(fields)}`).toBe(record);
        }
      }),
      { numRuns: c.numRuns },
    );
  });
});

describe("every search and list page, with generated query strings", () => {
  const NAMES = ["q", "type", "industry", "kind", "level", "enterprise", "page", "perPage", "sort", "sector", "status", "studio", "view"];
  const value = fc.oneof(
    printable(30),
    numberish,
    fc.constantFrom("rail-transit", "result", "studio", "software", "national", "date", "relevance", "仿真", "地铁 信号", "", "500", "501"),
  );
  const queryString = fc
    .array(fc.tuple(fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...NAMES) }, { weight: 1, arbitrary: printable(5) }), value), { maxLength: 6 })
    .map((e) => new URLSearchParams(e).toString());
  const LOADERS: [string, Handler][] = [
    ["/api/search", apiSearch.loader],
    ["/api/suggest", apiSuggest.loader],
    ["/search", search.loader],
    ["/studios", studios.loader],
    ["/results", results.loader],
    ["/patents", patents.loader],
    ["/needs", needs.loader],
    ["/enterprises", enterprises.loader],
    ["/alliances", alliances.loader],
    ["/match", match.loader],
  ];
  test.each(LOADERS)("%s: never a 500", async (pathname, loader) => {
    await fc.assert(
      fc.asyncProperty(queryString, fc.boolean(), async (qs, signedIn) => {
        const request = getRequest(`${pathname}?${qs}`, signedIn ? admin : null);
        const r = await statusOf(() => loader({ request, params: {}, context: { clientAddress: "10.0.0.1" } }));
        expect(r.status, why(r, qs)).toBeLessThan(500);
      }),
      { numRuns: pathname.startsWith("/api/") ? 300 : 60 },
    );
  });
});

// Issue 8 lists these two; they are being fixed on other branches, so these tests fail until that
// work is merged, and pass with any fix that refuses the input or cleans it.
describe("issue 8's known bugs: lone surrogates in bodies, control characters in titles", () => {
  const LONE = fc.constantFrom("\ud800", "\udbff", "\udc00", "\udfff", "a\ud83d", "\ude00b");
  const withLone = fc.tuple(printable(10), LONE, printable(10)).map(([a, x, b]) => a + x + b);

  /** The editor forms that carry a body, each filled in validly, with `text` as its body's text. */
  const bodyForms: [string, Handler, string, Record<string, string>, () => string, (text: string) => Promise<Fields>][] = [
    ["result", resultEdit.action, `/results/${resultSlug()}/edit`, { slug: resultSlug() }, () => admin, async (t) => resultForm(resultSlug(), { body: bodyOf([t]) })],
    ["studio", studioEdit.action, `/studios/${STUDIO}/edit`, { slug: STUDIO }, () => admin, async (t) => studioForm(STUDIO, { body: bodyOf([t]) })],
    [
      "new patent",
      newPatent.action,
      `/studios/${STUDIO}/patents/new`,
      { slug: STUDIO },
      () => admin,
      async (t) => newPatentForm(STUDIO, Math.floor(Math.random() * 1e7), { body: bodyOf([t]) }),
    ],
    [
      "alliance",
      allianceNew.action,
      "/alliances/new",
      {},
      () => coordinator,
      async (t) => ({ name: `联盟${unique()}`, theme: "巡检", industries: ["rail-transit"], charter: bodyOf([t]) }),
    ],
  ];

  test("a lone surrogate half in a body's text is refused or stored, never a 500, and a refusal writes nothing", async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...bodyForms.map((f) => f[0])), withLone, async (which, text) => {
        const [, handler, url, params, session, form] = bodyForms.find((f) => f[0] === which)!;
        const fields = await form(text);
        const before = counts();
        const request = await postRequest(url, fields, { session: session() });
        const r = await statusOf(() => handler({ request, params, context: { clientAddress: "10.0.0.2" } }));
        expect(r.status, why(r, { url, text })).toBeLessThan(500);
        if (r.status >= 400) expect(counts()).toEqual(before);
      }),
      { numRuns: 40 },
    );
  });

  const CONTROL = fc.constantFrom("\u0000", "\u0007", "\u001b", "\u202e", "\u202d", "\u2066", "\u2067", "\u2068", "\u2069", "\u200e", "\u200f", "\u061c");
  const titled = fc
    .tuple(
      printable(8).filter((s) => s.trim().length > 0),
      CONTROL,
      printable(8),
    )
    .map(([a, x, b]) => `${a}${x}${b}成果`);
  const BAD = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

  /** Forms that name a record, and where the name they saved can be read back. */
  const titleForms: [string, Handler, string, Record<string, string>, () => string, (title: string) => Promise<Fields>, (title: string) => Promise<string[]>][] = [
    [
      "new result",
      newResult.action,
      `/studios/${STUDIO}/results/new`,
      { slug: STUDIO },
      () => admin,
      async (t) => ({ title: t }),
      async () => (await db.result.findMany({ orderBy: { createdAt: "desc" }, take: 1, select: { title: true } })).map((r) => r.title),
    ],
    [
      "result",
      resultEdit.action,
      `/results/${resultSlug()}/edit`,
      { slug: resultSlug() },
      () => admin,
      async (t) => resultForm(resultSlug(), { title: t }),
      async () => [(await db.result.findUniqueOrThrow({ where: { slug: resultSlug() } })).title],
    ],
    [
      "new patent",
      newPatent.action,
      `/studios/${STUDIO}/patents/new`,
      { slug: STUDIO },
      () => admin,
      async (t) => newPatentForm(STUDIO, Math.floor(Math.random() * 1e7), { title: t }),
      async () => (await db.patent.findMany({ orderBy: { createdAt: "desc" }, take: 1, select: { title: true } })).map((p) => p.title),
    ],
    [
      "studio",
      studioEdit.action,
      `/studios/${STUDIO}/edit`,
      { slug: STUDIO },
      () => admin,
      async (t) => studioForm(STUDIO, { name: t }),
      async () => [(await db.studio.findUniqueOrThrow({ where: { slug: STUDIO } })).name],
    ],
    [
      "alliance",
      allianceNew.action,
      "/alliances/new",
      {},
      () => coordinator,
      async (t) => ({ name: t, theme: "巡检", industries: ["rail-transit"], charter: bodyOfBlocks("章程。") }),
      async () => (await db.alliance.findMany({ orderBy: { createdAt: "desc" }, take: 1, select: { name: true } })).map((a) => a.name),
    ],
  ];

  test("a title or name never keeps NUL, other control or bidi-override characters", async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...titleForms.map((f) => f[0])), titled, async (what, title) => {
        const [, handler, url, params, session, form, stored] = titleForms.find((f) => f[0] === what)!;
        const request = await postRequest(url, await form(title), { session: session() });
        const r = await statusOf(() => handler({ request, params, context: { clientAddress: "10.0.0.3" } }));
        expect(r.status, why(r, { url, title })).toBeLessThan(500);
        if (r.status < 400) for (const saved of await stored(title)) expect(BAD.test(saved), `${what} saved as ${JSON.stringify(saved)}`).toBe(false);
      }),
      { numRuns: 40 },
    );
  });
});
