// /admin/audit: the activity log for site admins, filtered by who (name or email), what (verb),
// subject type and a date range in China time, 30 a page, newest first, each admin action with its
// values before → after. Every verb the site writes has a label in both languages, so the page
// never shows a raw key.
import { readdirSync, readFileSync } from "node:fs";
import { beforeAll, describe, expect, test } from "vitest";
import { en, zh } from "~/i18n/messages";
import { PROJECT_STATUSES } from "~/models/alliance.server";
import { AUDIT_PER_PAGE, changesOf } from "~/models/audit.server";
import { STEPS } from "~/models/need-loop.server";
import { changeUserRole } from "~/models/user.server";
import { saveSiteSettings } from "~/models/site-setting.server";
import * as adminAudit from "~/routes/admin.audit";
import { db } from "~/utils/db.server";
import { createUser, getRequest, loginRedirect, sessionCookie, settle, unique, type TestUser } from "../setup/auth";

let admin: TestUser & { session: string };
let editor: TestUser;
let target: TestUser;

type Entry = {
  verb: string;
  subjectType: string;
  subjectId: string;
  actor: { name: string } | null;
  changes: { field: string; before: unknown; after: unknown }[];
  summary: string;
};
type Log = { entries: Entry[]; total: number; page: number; pages: number; verbs: string[]; subjects: string[]; errors: Record<string, string> };

async function audit(query = "", session: string | null = admin.session) {
  const out = await settle(() => adminAudit.loader({ request: getRequest(`/admin/audit${query}`, session), params: {}, context: {} }));
  return { out, log: out.data as Log };
}

beforeAll(async () => {
  const u = await createUser({ role: "admin", name: "审计管理员", email: `auditor-${unique()}@example.cn` });
  admin = { ...u, session: await sessionCookie(u.id) };
  editor = await createUser({ name: "成果编辑李", email: `li-${unique()}@metro.example.cn` });
  target = await createUser({ name: "被改角色的王" });
  expect(await changeUserRole(admin, target.id, "coordinator")).toEqual({ ok: true, changed: true });
  expect(await saveSiteSettings(admin, { host: "郑州市总工会" })).toMatchObject({ ok: true });
  // older rows by someone else, on known dates (China time)
  for (const [i, at] of ["2026-03-01T09:00:00+08:00", "2026-03-15T23:30:00+08:00", "2026-04-01T00:10:00+08:00"].entries()) {
    await db.activity.create({ data: { verb: "result.published", subjectType: "result", subjectId: `r${i}`, actorId: editor.id, summary: `成果${i}`, createdAt: new Date(at) } });
  }
});

describe("the audit log", () => {
  test("shows admin actions newest first, with before → after", async () => {
    const { out, log } = await audit();
    expect(out.status).toBe(200);
    expect(log.entries.slice(0, 2).map((e) => [e.verb, e.actor?.name, e.changes])).toEqual([
      ["setting.updated", "审计管理员", [{ field: "host", before: "", after: "郑州市总工会" }]],
      ["user.roleChanged", "审计管理员", [{ field: "role", before: "member", after: "coordinator" }]],
    ]);
    expect(log.verbs).toEqual(expect.arrayContaining(["result.published", "setting.updated", "user.roleChanged"]));
    expect(log.subjects).toEqual(expect.arrayContaining(["result", "siteSetting", "user"]));
  });

  test("filters by actor name or email, verb, subject type", async () => {
    expect((await audit(`?actor=${encodeURIComponent("成果编辑")}`)).log.entries.map((e) => e.subjectId)).toEqual(["r2", "r1", "r0"]);
    expect((await audit(`?actor=${encodeURIComponent(editor.email.toUpperCase())}`)).log.total).toBe(3);
    expect((await audit("?verb=user.roleChanged")).log.entries.map((e) => e.subjectId)).toEqual([target.id]);
    expect((await audit("?subject=siteSetting")).log.entries.map((e) => e.verb)).toEqual(["setting.updated"]);
    expect((await audit(`?actor=${encodeURIComponent("成果编辑")}&verb=user.roleChanged`)).log).toMatchObject({ total: 0, entries: [] });
  });

  test("filters by dates in China time, both ends inclusive", async () => {
    expect((await audit("?from=2026-03-15&to=2026-03-31")).log.entries.map((e) => e.subjectId)).toEqual(["r1"]);
    expect((await audit("?from=2026-03-01&to=2026-03-01")).log.entries.map((e) => e.subjectId)).toEqual(["r0"]);
    expect((await audit("?to=2026-04-01")).log.entries.map((e) => e.subjectId)).toEqual(["r2", "r1", "r0"]);
    expect((await audit("?from=2026-04-02&actor=" + encodeURIComponent("成果编辑"))).log.total).toBe(0);
  });

  test("a bad date is named and left out; the other filters still apply", async () => {
    const { out, log } = await audit(`?from=2026-13-45&actor=${encodeURIComponent("成果编辑")}`);
    expect(out.status).toBe(200);
    expect(log.errors).toEqual({ from: "admin.audit.badDate" });
    expect(log.total).toBe(3);
  });

  test("pages 30 at a time", async () => {
    const tag = unique();
    for (let i = 0; i < AUDIT_PER_PAGE + 2; i++) await db.activity.create({ data: { verb: "need.posted", subjectType: "need", subjectId: `${tag}-${i}`, actorId: editor.id } });
    const first = await audit("?verb=need.posted");
    expect(first.log).toMatchObject({ total: AUDIT_PER_PAGE + 2, page: 1, pages: 2 });
    expect(first.log.entries).toHaveLength(AUDIT_PER_PAGE);
    const second = await audit("?verb=need.posted&page=2");
    expect(second.log.entries).toHaveLength(2);
  });

  test("is for site admins only", async () => {
    const c = await createUser({ role: "coordinator" });
    expect((await audit("", await sessionCookie(c.id))).out.status).toBe(403);
    expect((await audit("?verb=user.disabled", null)).out).toMatchObject({ status: 302, location: loginRedirect("/admin/audit?verb=user.disabled") });
  });

  test("a before/after that is not a JSON object gives no changes rather than failing the page", () => {
    expect(changesOf("not json", '["x"]')).toEqual([]);
    expect(changesOf('{"disabled":false}', '{"disabled":true}')).toEqual([{ field: "disabled", before: false, after: true }]);
  });
});

describe("every verb the site writes has a label", () => {
  test("in Chinese and English", () => {
    const verbs = new Set<string>();
    for (const file of readdirSync("app/models")) {
      if (!file.endsWith(".ts")) continue;
      for (const m of readFileSync(`app/models/${file}`, "utf8").matchAll(/verb: (?:[a-z]+ \? )?"([a-zA-Z]+\.[a-zA-Z]+)"(?: : "([a-zA-Z]+\.[a-zA-Z]+)")?/g)) {
        verbs.add(m[1]);
        if (m[2]) verbs.add(m[2]);
      }
    }
    // the verbs built from a variable
    for (const step of [...Object.keys(STEPS), "draft"]) verbs.add(`need.${step}`);
    for (const to of ["accepted", "declined", "left", "withdrawn", "removed"]) verbs.add(`alliance.${to}`);
    for (const s of PROJECT_STATUSES) verbs.add(`project.${s}`);
    for (const d of ["confirm", "reject"]) verbs.add(`contact.${d}ed`);
    for (const v of ["result.published", "result.updated", "patent.created", "patent.updated", "need.posted", "need.updated", "studio.created", "studio.updated"]) verbs.add(v);
    expect(verbs.size).toBeGreaterThan(40);
    const missing = [...verbs].filter((v) => !(`admin.audit.verb.${v}` in zh) || !(en as Record<string, string>)[`admin.audit.verb.${v}`]);
    expect(missing).toEqual([]);
  });
});
