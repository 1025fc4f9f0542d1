import { afterEach, beforeAll, describe, expect, test, vi } from "vitest";
import { importContent } from "~/models/content-import.server";
import * as join from "~/routes/join.$token";
import * as studioEdit from "~/routes/studios.$slug.edit";
import * as members from "~/routes/studios.$slug.members";
import { db } from "~/utils/db.server";
import { body, studioForm } from "../fixtures/editing";
import { actionArgs, createUser, getRequest, linkIn, mailsTo, postRequest, sessionCookie, settle, type Fields, type TestUser } from "../setup/auth";

// A studio admin invites people with a link that works once, for seven days; the studio keeps at
// least one admin; whoever joins can then edit the studio.

const STUDIO = "xu-xin";
let admin: TestUser;
let adminCookie: string;
let xuXinId: string;

beforeAll(async () => {
  const report = await importContent(db, "content");
  if (!report.ok) throw new Error(JSON.stringify(report.problems));
  xuXinId = (await db.studio.findUniqueOrThrow({ where: { slug: STUDIO } })).id;
  admin = await createUser({ studio: STUDIO, studioRole: "admin", name: "徐欣" });
  adminCookie = await sessionCookie(admin.id);
});

afterEach(() => {
  vi.useRealTimers();
});

async function membersPost(fields: Fields, cookie = adminCookie, slug = STUDIO) {
  const request = await postRequest(`/studios/${slug}/members`, fields, { session: cookie });
  return settle(() => members.action(actionArgs(request, { slug })));
}
async function invite(role: "member" | "admin" = "member", email = "") {
  const out = await membersPost({ intent: "invite", role, email });
  expect(out.status).toBe(200);
  return (out.data as { link: string }).link;
}
const tokenOf = (link: string) => link.split("/join/")[1];
async function accept(link: string, cookie: string) {
  const token = tokenOf(link);
  const request = await postRequest(`/join/${token}`, {}, { session: cookie });
  return settle(() => join.action(actionArgs(request, { token })));
}
const joinPage = (link: string, cookie: string | null) => join.loader(actionArgs(getRequest(`/join/${tokenOf(link)}`, cookie), { token: tokenOf(link) }));
const membership = (userId: string, studioId = xuXinId) => db.membership.findUnique({ where: { userId_studioId: { userId, studioId } } });

/** A signed-in person with no studio yet. */
async function newcomer(name: string) {
  const user = await createUser({ name });
  return { user, cookie: await sessionCookie(user.id) };
}

describe("invitations", () => {
  test("an admin creates a link; another user accepts it and becomes a member", async () => {
    const link = await invite();
    expect(link).toMatch(/^http:\/\/localhost\/join\/[A-Za-z0-9_-]{43}$/);
    const stored = await db.invitation.findFirstOrThrow({ where: { createdById: admin.id }, orderBy: { createdAt: "desc" } });
    expect(stored.tokenHash).not.toContain(tokenOf(link)); // only the hash is kept
    const days = (stored.expiresAt.getTime() - stored.createdAt.getTime()) / 86_400_000;
    expect(days).toBeCloseTo(7, 2);

    const page = await members.loader(actionArgs(getRequest(`/studios/${STUDIO}/members`, adminCookie), { slug: STUDIO }));
    expect(page.invitations.map((i) => i.id)).toContain(stored.id);

    const { user, cookie } = await newcomer("王师傅");
    const seen = await joinPage(link, cookie);
    expect(seen).toMatchObject({ invitation: { studio: "徐欣创新工作室", studioSlug: STUDIO, role: "member", inviter: "徐欣" }, signedIn: true, already: false });

    const out = await accept(link, cookie);
    expect(out).toMatchObject({ status: 302, location: `/studios/${STUDIO}?joined=1` });
    expect(await membership(user.id)).toMatchObject({ role: "member" });
    expect(await db.activity.findFirst({ where: { verb: "studio.joined", actorId: user.id } })).toMatchObject({ studioId: xuXinId });
    const after = await members.loader(actionArgs(getRequest(`/studios/${STUDIO}/members`, adminCookie), { slug: STUDIO }));
    expect(after.members.map((m) => [m.name, m.role])).toContainEqual(["王师傅", "member"]);
    expect(after.invitations.map((i) => i.id)).not.toContain(stored.id);
  });

  test("an invitation sent to an address mails the link there", async () => {
    const email = `invitee-${Date.now()}@example.cn`;
    const link = await invite("member", email);
    const [mail] = mailsTo(email);
    expect(mail.subject).toBe("邀请你加入徐欣创新工作室 / Invitation to join 徐欣创新工作室");
    expect(linkIn(mail, "http://localhost/join/")).toBe(link);
  });

  test("an admin invitation makes an admin", async () => {
    const link = await invite("admin");
    const { user, cookie } = await newcomer("赵工");
    expect((await accept(link, cookie)).status).toBe(302);
    expect(await membership(user.id)).toMatchObject({ role: "admin" });
  });

  test("the same link fails the second time (410), for anyone", async () => {
    const link = await invite();
    const first = await newcomer("钱工");
    const second = await newcomer("孙工");
    expect((await accept(link, first.cookie)).status).toBe(302);
    const again = await accept(link, second.cookie);
    expect(again).toMatchObject({ status: 410, data: { error: { code: "invalid_invitation" } } });
    expect(await membership(second.user.id)).toBeNull();
    expect((await joinPage(link, second.cookie)).invitation).toBeNull();
    // nor can the first person use it to change their role
    expect((await accept(link, first.cookie)).status).toBe(410);
  });

  test("a link works until seven days have passed, and not after", async () => {
    const early = await invite();
    const late = await invite();
    const a = await newcomer("周工");
    const b = await newcomer("吴工");
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() + 7 * 86_400_000 - 60_000); // a minute before expiry
    expect((await accept(early, a.cookie)).status).toBe(302);
    vi.setSystemTime(Date.now() + 2 * 60_000); // a minute after
    // b has used the site meanwhile: a session idle for 7 days would have ended (session.server.ts)
    await db.session.updateMany({ where: { userId: b.user.id }, data: { lastSeenAt: new Date() } });
    expect((await joinPage(late, b.cookie)).invitation).toBeNull();
    expect(await accept(late, b.cookie)).toMatchObject({ status: 410 });
    expect(await membership(b.user.id)).toBeNull();
  });

  test.each(["", "short", "x".repeat(43), "../../etc/passwd", "%27%20OR%201%3D1--"])("a made-up token (%j) is refused", async (token) => {
    const { user, cookie } = await newcomer("郑工");
    const request = await postRequest(`/join/${encodeURIComponent(token)}`, {}, { session: cookie });
    expect(await settle(() => join.action(actionArgs(request, { token })))).toMatchObject({ status: 410 });
    expect(await db.membership.count({ where: { userId: user.id } })).toBe(0);
  });

  test("an anonymous visitor sees the invitation and is asked to log in or register; accepting sends them to log in", async () => {
    const link = await invite();
    const seen = await joinPage(link, null);
    expect(seen).toMatchObject({ invitation: { studioSlug: STUDIO }, signedIn: false, here: `/join/${tokenOf(link)}` });
    const request = await postRequest(`/join/${tokenOf(link)}`, {}, { session: null });
    const out = await settle(() => join.action(actionArgs(request, { token: tokenOf(link) })));
    expect(out).toMatchObject({ status: 302, location: `/login?redirectTo=${encodeURIComponent(`/join/${tokenOf(link)}`)}` });
    expect((await joinPage(link, null)).invitation).not.toBeNull(); // still unused
  });
});

describe("who may invite", () => {
  test("a member cannot invite (403) and no invitation is made", async () => {
    const m = await createUser({ studio: STUDIO, studioRole: "member" });
    const before = await db.invitation.count();
    const out = await membersPost({ intent: "invite", role: "admin", email: "" }, await sessionCookie(m.id));
    expect(out).toMatchObject({ status: 403, data: { error: { code: "forbidden" } } });
    expect(await db.invitation.count()).toBe(before);
  });

  test("an admin of another studio cannot invite into this one", async () => {
    const other = await createUser({ studio: "metro-signal", studioRole: "admin" });
    const before = await db.invitation.count();
    const out = await membersPost({ intent: "invite", role: "admin", email: "" }, await sessionCookie(other.id));
    expect(out.status).toBe(403);
    expect(await db.invitation.count()).toBe(before);
  });

  test("an invitation with a bad role or address comes back with a message at that field", async () => {
    const before = await db.invitation.count();
    const out = await membersPost({ intent: "invite", role: "owner", email: "not-an-address" });
    expect(out).toMatchObject({ status: 400, data: { link: null, errors: { role: "form.invalid", email: "form.email.invalid" } } });
    expect(await db.invitation.count()).toBe(before);
  });
});

describe("removing members", () => {
  /** A studio of its own for these tests, with one admin. */
  async function studioWithAdmin() {
    const studio = await db.studio.findUniqueOrThrow({ where: { slug: "metro-signal" } });
    await db.membership.deleteMany({ where: { studioId: studio.id } });
    const a = await createUser({ studio: "metro-signal", studioRole: "admin", name: "孙工" });
    return { studio, a, cookie: await sessionCookie(a.id) };
  }
  const remove = (membershipId: string, cookie: string) => membersPost({ intent: "remove", membership: membershipId }, cookie, "metro-signal");

  test("the last admin cannot be removed, not even by themselves", async () => {
    const { studio, a, cookie } = await studioWithAdmin();
    const own = (await membership(a.id, studio.id))!;
    const out = await remove(own.id, cookie);
    expect(out).toMatchObject({ status: 400, data: { removed: false, errors: { _form: "members.lastAdmin" } } });
    expect(await membership(a.id, studio.id)).not.toBeNull();
  });

  test("with a second admin, an admin can be removed; members can always be removed", async () => {
    const { studio, a, cookie } = await studioWithAdmin();
    const b = await createUser({ studio: "metro-signal", studioRole: "admin" });
    const c = await createUser({ studio: "metro-signal", studioRole: "member" });
    expect(await remove((await membership(c.id, studio.id))!.id, cookie)).toMatchObject({ status: 200, data: { removed: true } });
    expect(await membership(c.id, studio.id)).toBeNull();
    expect((await remove((await membership(b.id, studio.id))!.id, cookie)).status).toBe(200);
    expect(await membership(b.id, studio.id)).toBeNull();
    // now a is the last admin again
    expect((await remove((await membership(a.id, studio.id))!.id, cookie)).status).toBe(400);
    expect(await membership(a.id, studio.id)).not.toBeNull();
  });

  test("an admin cannot remove a membership of another studio by posting its id", async () => {
    const { cookie } = await studioWithAdmin();
    const victim = await createUser({ studio: STUDIO, studioRole: "member" });
    const theirs = (await membership(victim.id))!;
    await remove(theirs.id, cookie);
    expect(await membership(victim.id)).toMatchObject({ id: theirs.id, role: "member" });
  });

  test("a member cannot remove anyone (403)", async () => {
    const { studio, a } = await studioWithAdmin();
    const m = await createUser({ studio: "metro-signal", studioRole: "member" });
    const out = await remove((await membership(a.id, studio.id))!.id, await sessionCookie(m.id));
    expect(out.status).toBe(403);
    expect(await membership(a.id, studio.id)).not.toBeNull();
  });
});

describe("after joining", () => {
  test("an invited user can edit the studio; before accepting they could not", async () => {
    const { user, cookie } = await newcomer("冯工");
    const edit = async () => {
      const request = await postRequest(`/studios/${STUDIO}/edit`, await studioForm(STUDIO, { body: body("新成员写的工作室简介。") }), { session: cookie });
      return settle(() => studioEdit.action(actionArgs(request, { slug: STUDIO })));
    };
    const before = await db.studio.findUniqueOrThrow({ where: { slug: STUDIO } });
    expect((await edit()).status).toBe(403);
    expect((await db.studio.findUniqueOrThrow({ where: { slug: STUDIO } })).version).toBe(before.version);

    expect((await accept(await invite(), cookie)).status).toBe(302);
    // the same session: memberships are read afresh on every request
    const out = await edit();
    expect(out).toMatchObject({ status: 302, location: `/studios/${STUDIO}?published=1` });
    const after = await db.studio.findUniqueOrThrow({ where: { slug: STUDIO } });
    expect(after.version).toBe(before.version + 1);
    expect(after.bodyText).toBe("新成员写的工作室简介。");
    expect(await db.revision.findFirst({ where: { subjectId: after.id, version: after.version } })).toMatchObject({ authorId: user.id });
  });
});
