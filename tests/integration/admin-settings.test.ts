// /admin/settings: a site admin sets the footer's 主办单位, 联系方式, ICP备案号 and 公安备案号; the
// next page of anyone shows them in the footer (the root loader), the ICP number linking to the
// MIIT registry. Badly formed numbers are refused with the field's message, the typed values come
// back and nothing is written. The root loader's cached settings follow changes made by this
// process and by another connection (another server process) alike.
import Database from "better-sqlite3";
import pg from "pg";
import { beforeAll, describe, expect, test } from "vitest";
import * as root from "~/root";
import * as adminSettings from "~/routes/admin.settings";
import { getSiteSettings, saveSiteSettings } from "~/models/site-setting.server";
import { zh } from "~/i18n/messages";
import { db } from "~/utils/db.server";
import { getEnv } from "~/utils/env.server";
import { createUser, getRequest, loginRedirect, postRequest, sessionCookie, settle, type Fields, type TestUser } from "../setup/auth";

let admin: TestUser & { session: string };
const GOOD = { host: "郑州市总工会", contact: "0371-6000 0000", icp: "豫ICP备12345678号-1", police: "豫公网安备41010502000001号" };

beforeAll(async () => {
  const u = await createUser({ role: "admin", name: "站点管理员" });
  admin = { ...u, session: await sessionCookie(u.id) };
});

async function post(fields: Fields, session: string | null = admin.session) {
  const request = await postRequest("/admin/settings", fields, { session });
  return settle(() => adminSettings.action({ request, params: {}, context: {} }));
}

/** The footer values a visitor's next page gets from the root loader. */
async function footer() {
  const out = await settle(() => root.loader({ request: getRequest("/"), params: {}, context: {} }));
  return (out.data as { footer: Record<string, string> }).footer;
}

const written = async () => ({ settings: await db.siteSetting.findMany({ orderBy: { key: "asc" } }), activities: await db.activity.count() });

describe("saving the settings", () => {
  test("valid values show in every visitor's footer, and each changed one is logged before → after", async () => {
    expect(await footer()).toEqual({ host: "", contact: "", icp: "", police: "" });
    expect(await post(GOOD)).toMatchObject({ status: 302, location: "/admin/settings?done=saved" });
    expect(await footer()).toEqual(GOOD);
    const log = await db.activity.findMany({ where: { verb: "setting.updated" }, orderBy: { subjectId: "asc" } });
    expect(log.map((a) => [a.subjectId, a.before, a.after, a.actorId])).toEqual([
      ["contact", '{"contact":""}', '{"contact":"0371-6000 0000"}', admin.id],
      ["host", '{"host":""}', '{"host":"郑州市总工会"}', admin.id],
      ["icp", '{"icp":""}', '{"icp":"豫ICP备12345678号-1"}', admin.id],
      ["police", '{"police":""}', '{"police":"豫公网安备41010502000001号"}', admin.id],
    ]);

    // one field changed: one row; the same form again: nothing
    expect(await post({ ...GOOD, contact: " zgh@zhengzhou.example.cn " })).toMatchObject({ status: 302 });
    expect(await footer()).toEqual({ ...GOOD, contact: "zgh@zhengzhou.example.cn" });
    expect(await db.activity.count({ where: { verb: "setting.updated" } })).toBe(5);
    const before = await written();
    expect(await post({ ...GOOD, contact: "zgh@zhengzhou.example.cn" })).toMatchObject({ status: 302, location: "/admin/settings?done=unchanged" });
    expect(await written()).toEqual(before);

    // emptied: gone from the footer
    expect(await post({ ...GOOD, police: "" })).toMatchObject({ status: 302 });
    expect((await footer()).police).toBe("");
    expect(await db.siteSetting.findUnique({ where: { key: "police" } })).toBeNull();
  });

  test.each([
    ["icp", "京ICP证030173号", "admin.settings.error.icp"],
    ["icp", "ICP备12345678号", "admin.settings.error.icp"],
    ["icp", "豫ICP备1234号-1", "admin.settings.error.icp"],
    ["police", "豫公网安备4101050200号", "admin.settings.error.police"],
    ["police", "豫ICP备12345678号-1", "admin.settings.error.police"],
    ["host", "总工会\u202e", "form.controlChars"],
    ["contact", "电".repeat(201), "form.tooLong"],
  ])("%s %s is refused with its message, the typed values come back, nothing is written", async (field, value, key) => {
    const before = await written();
    const fields = { ...GOOD, [field]: value };
    const out = await post(fields);
    expect(out.status).toBe(400);
    expect(out.data).toMatchObject({ errors: { [field]: key }, values: fields });
    expect(Object.keys((out.data as { errors: object }).errors)).toEqual([field]);
    expect(zh[key as keyof typeof zh]).toBeTruthy();
    expect(await written()).toEqual(before);
  });

  test("only site admins: a coordinator gets 403 from the page and the model, a visitor is sent to log in", async () => {
    const c = await createUser({ role: "coordinator" });
    const s = await sessionCookie(c.id);
    expect((await settle(() => adminSettings.loader({ request: getRequest("/admin/settings", s), params: {}, context: {} }))).status).toBe(403);
    expect(await settle(() => adminSettings.loader({ request: getRequest("/admin/settings"), params: {}, context: {} }))).toMatchObject({
      status: 302,
      location: loginRedirect("/admin/settings"),
    });
    expect(await saveSiteSettings({ id: c.id, role: "coordinator" }, GOOD)).toEqual({ ok: false, reason: "forbidden" });
  });
});

describe("the cached settings", () => {
  test("follow a write by another connection, as another server process would make it", async () => {
    await getSiteSettings(); // warm
    if (getEnv().postgres) {
      const other = new pg.Client({ connectionString: getEnv().databaseFile });
      await other.connect();
      try {
        await other.query(`INSERT INTO "SiteSetting" (key, value, "updatedAt") VALUES ('host', '河南省总工会', now()) ON CONFLICT (key) DO UPDATE SET value = excluded.value`);
      } finally {
        await other.end();
      }
      expect((await footer()).host).toBe("河南省总工会");
      return;
    }
    const other = new Database(getEnv().databaseFile);
    try {
      other.prepare(`INSERT INTO "SiteSetting" (key, value, updatedAt) VALUES ('host', '河南省总工会', 0) ON CONFLICT(key) DO UPDATE SET value = excluded.value`).run();
    } finally {
      other.close();
    }
    expect((await footer()).host).toBe("河南省总工会");
  });

  test("follow a write on this process's own connection that did not go through the model", async () => {
    await getSiteSettings();
    await db.siteSetting.update({ where: { key: "host" }, data: { value: "郑州市总工会（测试）" } });
    expect((await getSiteSettings()).host).toBe("郑州市总工会（测试）");
    // and with nothing changed, the same object comes back: no query was made
    expect(await getSiteSettings()).toBe(await getSiteSettings());
  });
});
