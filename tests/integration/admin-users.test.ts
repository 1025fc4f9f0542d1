// /admin/users, driven through the route's loader and action as the browser posts them: a site
// admin finds users by name or email a page at a time, changes a role (the user's rights change on
// their very next request), disables an account (its sessions end at once) and enables it again,
// and mails a reset link that works. Every change is one Activity row with before → after; the
// rules (not yourself, not the last admin who can sign in) refuse with a message and write nothing.
import { beforeAll, describe, expect, test } from "vitest";
import * as adminIndex from "~/routes/admin._index";
import * as adminUsers from "~/routes/admin.users";
import * as allianceNew from "~/routes/alliances.new";
import { changeUserRole, resetPassword, setUserDisabled, USERS_PER_PAGE } from "~/models/user.server";
import { db } from "~/utils/db.server";
import { getUser } from "~/utils/session.server";
import { createUser, getRequest, linkIn, loginRedirect, mailsTo, postRequest, sessionCookie, settle, unique, type Fields, type TestUser } from "../setup/auth";

let admin: TestUser & { session: string };

beforeAll(async () => {
  const u = await createUser({ role: "admin", name: "站点管理员" });
  admin = { ...u, session: await sessionCookie(u.id) };
});

async function post(fields: Fields, session: string | null = admin.session) {
  const request = await postRequest("/admin/users", fields, { session });
  return settle(() => adminUsers.action({ request, params: {}, context: {} }));
}

type Page = {
  users: { id: string; name: string; email: string; role: string; disabledAt: string | null }[];
  total: number;
  page: number;
  pages: number;
  done: string | null;
  doneUser: { name: string } | null;
};
async function page(query = "", session: string | null = admin.session) {
  const out = await settle(() => adminUsers.loader({ request: getRequest(`/admin/users${query}`, session), params: {}, context: {} }));
  return { out, data: out.data as Page };
}

const written = async () => ({
  users: await db.user.findMany({ select: { id: true, role: true, disabledAt: true }, orderBy: { id: "asc" } }),
  sessions: await db.session.count(),
  activities: await db.activity.count(),
  tokens: await db.emailToken.count(),
});

describe("finding users", () => {
  test("search matches name or email, every word; the list pages 20 at a time and keeps the query", async () => {
    const tag = unique();
    for (let i = 0; i < USERS_PER_PAGE + 3; i++) await createUser({ name: `郑州地铁${tag}号${i}`, email: `rail-${tag}-${i}@example.cn` });
    await createUser({ name: `张工${tag}`, email: `zhang-${tag}@power.example.cn` });

    const first = await page(`?q=${encodeURIComponent(`郑州地铁${tag}`)}`);
    expect(first.out.status).toBe(200);
    expect(first.data).toMatchObject({ total: USERS_PER_PAGE + 3, page: 1, pages: 2 });
    expect(first.data.users).toHaveLength(USERS_PER_PAGE);
    const second = await page(`?q=${encodeURIComponent(`郑州地铁${tag}`)}&page=2`);
    expect(second.data.users).toHaveLength(3);
    expect(new Set([...first.data.users, ...second.data.users].map((u) => u.id)).size).toBe(USERS_PER_PAGE + 3);

    const byEmail = await page(`?q=${encodeURIComponent(`ZHANG-${tag}`)}`);
    expect(byEmail.data.users.map((u) => u.name)).toEqual([`张工${tag}`]);
    const twoWords = await page(`?q=${encodeURIComponent(`${tag} power`)}`);
    expect(twoWords.data.users.map((u) => u.name)).toEqual([`张工${tag}`]);
    expect((await page(`?q=nobody-${tag}`)).data).toMatchObject({ total: 0, users: [] });
  });

  test("the index and the users page are for site admins only", async () => {
    const coordinator = await createUser({ role: "coordinator" });
    const s = await sessionCookie(coordinator.id);
    expect((await page("", s)).out.status).toBe(403);
    expect((await page("", null)).out).toMatchObject({ status: 302, location: loginRedirect("/admin/users") });
    expect((await settle(() => adminIndex.loader({ request: getRequest("/admin", s), params: {}, context: {} }))).status).toBe(403);
    expect((await settle(() => adminIndex.loader({ request: getRequest("/admin", admin.session), params: {}, context: {} }))).status).toBe(200);
  });
});

describe("changing a role", () => {
  test("a member made coordinator may open /alliances/new on their next request, with the same session; the change is logged before → after", async () => {
    const u = await createUser({ name: `王协调${unique()}` });
    const s = await sessionCookie(u.id);
    const newAlliance = () => settle(() => allianceNew.loader({ request: getRequest("/alliances/new", s), params: {}, context: {} }));
    expect((await newAlliance()).status).toBe(403);

    const out = await post({ intent: "role", userId: u.id, role: "coordinator", back: "q=王协调" });
    expect(out).toMatchObject({ status: 302, location: `/admin/users?q=${encodeURIComponent("王协调")}&done=role&user=${u.id}` });
    expect((await newAlliance()).status).toBe(200);
    expect((await getUser(getRequest("/", s)))?.role).toBe("coordinator");
    const a = await db.activity.findFirstOrThrow({ where: { subjectType: "user", subjectId: u.id } });
    expect(a).toMatchObject({ verb: "user.roleChanged", actorId: admin.id, before: JSON.stringify({ role: "member" }), after: JSON.stringify({ role: "coordinator" }) });
    expect(a.summary).toContain(u.email);

    const shown = await page(`?q=${encodeURIComponent(u.email)}&done=role&user=${u.id}`);
    expect(shown.data).toMatchObject({ done: "role", doneUser: { name: u.name } });
    expect(shown.data.users[0]).toMatchObject({ id: u.id, role: "coordinator" });

    // back to member: the rights go as fast as they came
    expect(await post({ intent: "role", userId: u.id, role: "member" })).toMatchObject({ status: 302 });
    expect((await newAlliance()).status).toBe(403);
  });

  test("the same role again changes nothing and logs nothing", async () => {
    const u = await createUser();
    const before = await written();
    expect(await post({ intent: "role", userId: u.id, role: "member" })).toMatchObject({ status: 302, location: `/admin/users?done=unchanged&user=${u.id}` });
    expect(await written()).toEqual(before);
  });

  test("an unknown role or user is refused with its message and nothing written", async () => {
    const u = await createUser();
    const before = await written();
    expect(await post({ intent: "role", userId: u.id, role: "superuser" })).toMatchObject({ status: 400, data: { userId: u.id, error: "admin.users.error.invalid" } });
    expect(await post({ intent: "role", userId: "no-such-user", role: "admin" })).toMatchObject({ status: 404, data: { error: "admin.users.error.not-found" } });
    expect(await post({ intent: "promote", userId: u.id })).toMatchObject({ status: 400, data: { userId: null, error: "form.invalid" } });
    expect(await written()).toEqual(before);
  });
});

describe("the site keeps an admin", () => {
  test("an admin cannot demote or disable themselves", async () => {
    await createUser({ role: "admin" }); // so that "last admin" is not why
    const before = await written();
    expect(await post({ intent: "role", userId: admin.id, role: "member" })).toMatchObject({ status: 400, data: { userId: admin.id, error: "admin.users.error.self" } });
    expect(await post({ intent: "disable", userId: admin.id })).toMatchObject({ status: 400, data: { error: "admin.users.error.self" } });
    expect(await written()).toEqual(before);
  });

  test("the last admin who can sign in cannot be demoted or disabled, by the model's rule", async () => {
    // a fresh database state: only two admins, one of them disabled
    await db.user.updateMany({ where: { role: "admin", id: { not: admin.id } }, data: { role: "member" } });
    const other = await createUser({ role: "admin", name: "另一位管理员" });
    const otherActor = { id: other.id, role: "admin" };
    // the other admin may demote admin while admin is not the last…
    await db.user.update({ where: { id: other.id }, data: { disabledAt: new Date() } });
    // …but with `other` disabled, `admin` is the last active one
    expect(await changeUserRole(otherActor, admin.id, "member")).toEqual({ ok: false, reason: "last-admin" });
    expect(await setUserDisabled(otherActor, admin.id, true)).toEqual({ ok: false, reason: "last-admin" });
    await db.user.update({ where: { id: other.id }, data: { disabledAt: null } });
    expect(await changeUserRole(otherActor, admin.id, "coordinator")).toEqual({ ok: true, changed: true });
    expect((await db.user.findUniqueOrThrow({ where: { id: admin.id } })).role).toBe("coordinator");
    await db.user.update({ where: { id: admin.id }, data: { role: "admin" } });
  });

  test("only site admins may call the model", async () => {
    const u = await createUser();
    const coordinator = { id: (await createUser({ role: "coordinator" })).id, role: "coordinator" };
    expect(await changeUserRole(coordinator, u.id, "admin")).toEqual({ ok: false, reason: "forbidden" });
    expect(await setUserDisabled(coordinator, u.id, true)).toEqual({ ok: false, reason: "forbidden" });
  });
});

describe("disabling and enabling", () => {
  test("disabling ends every session of the user at once; enabling lets them sign in again; both are logged", async () => {
    const u = await createUser({ name: `李停用${unique()}` });
    const [s1, s2] = [await sessionCookie(u.id), await sessionCookie(u.id)];
    expect(await getUser(getRequest("/", s1))).toMatchObject({ id: u.id });

    expect(await post({ intent: "disable", userId: u.id })).toMatchObject({ status: 302, location: `/admin/users?done=disable&user=${u.id}` });
    expect(await db.session.count({ where: { userId: u.id } })).toBe(0);
    expect(await getUser(getRequest("/", s1))).toBeNull();
    expect(await getUser(getRequest("/", s2))).toBeNull();
    expect((await db.user.findUniqueOrThrow({ where: { id: u.id } })).disabledAt).toBeInstanceOf(Date);

    // a disabled account gets no reset link
    const before = await written();
    expect(await post({ intent: "reset", userId: u.id })).toMatchObject({ status: 400, data: { error: "admin.users.error.disabled" } });
    expect(await written()).toEqual(before);
    expect(mailsTo(u.email)).toEqual([]);

    expect(await post({ intent: "enable", userId: u.id })).toMatchObject({ status: 302, location: `/admin/users?done=enable&user=${u.id}` });
    expect((await db.user.findUniqueOrThrow({ where: { id: u.id } })).disabledAt).toBeNull();
    const log = await db.activity.findMany({ where: { subjectId: u.id }, orderBy: { createdAt: "asc" } });
    expect(log.map((a) => [a.verb, a.before, a.after])).toEqual([
      ["user.disabled", '{"disabled":false}', '{"disabled":true}'],
      ["user.enabled", '{"disabled":true}', '{"disabled":false}'],
    ]);
  });
});

describe("sending a reset link", () => {
  test("the user gets the single-use reset link of /forgot-password, and it sets a new password", async () => {
    const u = await createUser({ name: `赵重设${unique()}` });
    expect(await post({ intent: "reset", userId: u.id })).toMatchObject({ status: 302, location: `/admin/users?done=reset&user=${u.id}` });
    const mails = mailsTo(u.email);
    expect(mails).toHaveLength(1);
    const link = linkIn(mails[0], "http://localhost/reset-password/");
    const token = link.split("/").at(-1)!;
    expect(await resetPassword(token, "a-brand-new-password-9")).toBe(true);
    expect(await resetPassword(token, "another-password-99")).toBe(false);
    expect(await db.activity.findFirst({ where: { subjectId: u.id, verb: "user.resetSent" } })).toMatchObject({ actorId: admin.id });
  });
});
