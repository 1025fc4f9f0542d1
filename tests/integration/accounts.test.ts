import { beforeAll, describe, expect, test } from "vitest";
import * as account from "~/routes/account";
import * as language from "~/routes/language";
import * as login from "~/routes/login";
import * as logout from "~/routes/logout";
import * as register from "~/routes/register";
import * as verifyEmail from "~/routes/verify-email";
import { addressForLimits, LIMITS } from "~/utils/auth.server";
import { safeRedirect } from "~/utils/http.server";
import { db } from "~/utils/db.server";
import { hashPassword, verifyPassword } from "~/utils/password.server";
import { getUser, IDLE_DAYS, sessionCookie as sessionCookieCodec } from "~/utils/session.server";
import { actionArgs, cookiePair, createUser, csrfPair, getRequest, linkIn, mailsTo, ORIGIN, PASSWORD, postRequest, sessionCookie, settle, unique } from "../setup/auth";

// Accounts as a visitor meets them: register → mail → confirm → signed in; log in, out, everywhere;
// change the password. Neither registration nor login may tell whether an address has an account.

const post = (route: { action: (a: ReturnType<typeof actionArgs>) => unknown }, url: string, fields: Record<string, string>, session?: string | null, address = "10.0.0.1") =>
  postRequest(url, fields, { session }).then((r) => settle(() => route.action(actionArgs(r, {}, { clientAddress: address }))));

const doRegister = (fields: { name: string; email: string; password: string; redirectTo?: string }) => post(register, "/register", { redirectTo: "", ...fields });
const doLogin = (email: string, password: string, address = "10.0.0.1") => post(login, "/login", { email, password, redirectTo: "/account" }, null, address);
const confirm = (token: string) => settle(() => verifyEmail.loader(actionArgs(getRequest(`/verify-email?token=${encodeURIComponent(token)}`))));
const tokenOf = (link: string) => new URL(link).searchParams.get("token") ?? "";
/** Opens the link from a mail, as the browser would. */
const follow = (link: string) => settle(() => verifyEmail.loader(actionArgs(getRequest(new URL(link).pathname + new URL(link).search))));

/** The user a Cookie header signs in, or null. */
const whoIs = (cookie: string) => getUser(getRequest("/", cookie));

/** A fresh address from 10.1.x.x, so that rate-limit tests do not share counters. */
let addresses = 0;
const freshAddress = () => `10.1.${Math.floor(++addresses / 250)}.${addresses % 250}`;

describe("registration", () => {
  test("a new address gets a confirmation mail; its link confirms the address and signs the user in", async () => {
    const email = `wang-${unique()}@example.cn`;
    const res = await doRegister({ name: "王建国", email, password: "gongjiang-2024-mima" });
    expect(res.status).toBe(200);
    expect(res.data).toEqual({ sentTo: email, errors: null, values: { name: "王建国", email, redirectTo: "" } });
    expect(res.headers.get("Set-Cookie")).toBeNull();

    const [mail, ...more] = mailsTo(email);
    expect(more).toHaveLength(0);
    expect(mail.subject).toBe("请确认你的邮箱");
    expect(mail.text).toContain("王建国，你好");
    const link = linkIn(mail, `${ORIGIN}/verify-email?token=`);

    const user = await db.user.findUniqueOrThrow({ where: { email } });
    expect(user.emailVerifiedAt).toBeNull();
    expect(user.passwordHash).toMatch(/^\$argon2id\$/);
    expect(user.passwordHash).not.toContain("gongjiang");

    const confirmed = await follow(link);
    expect(confirmed.status).toBe(302);
    expect(confirmed.location).toBe("/account?welcome=1");
    const cookie = confirmed.headers.get("Set-Cookie")!;
    expect(cookie).toMatch(/^__session=/);
    expect(await whoIs(cookiePair(cookie))).toMatchObject({ id: user.id, email, name: "王建国" });
    expect((await db.user.findUniqueOrThrow({ where: { email } })).emailVerifiedAt).toBeInstanceOf(Date);
  });

  test("the confirmation link keeps a same-site `next` (an invitation) and drops a foreign one", async () => {
    const email = `next-${unique()}@example.cn`;
    await doRegister({ name: "赵磊", email, password: "gongjiang-2024-mima", redirectTo: "/join/abc" });
    const confirmed = await follow(linkIn(mailsTo(email)[0], `${ORIGIN}/verify-email?token=`));
    expect(confirmed.location).toBe("/join/abc");

    const other = `next-${unique()}@example.cn`;
    await doRegister({ name: "赵磊", email: other, password: "gongjiang-2024-mima", redirectTo: "//evil.example/" });
    const link = linkIn(mailsTo(other)[0], `${ORIGIN}/verify-email?token=`);
    expect(link).not.toContain("evil");
    expect((await follow(link)).location).toBe("/account?welcome=1");
  });

  test("a taken address gets the same answer; its mail says there is already an account, and nothing changes", async () => {
    const taken = await createUser({ name: "李师傅" });
    const before = await db.user.findUniqueOrThrow({ where: { id: taken.id } });
    const fresh = `fresh-${unique()}@example.cn`;

    const forTaken = await doRegister({ name: "冒名者", email: taken.email, password: "another-password-1" });
    const forFresh = await doRegister({ name: "冒名者", email: fresh, password: "another-password-1" });
    expect(forTaken.status).toBe(forFresh.status);
    const scrub = (o: unknown, email: string) => JSON.stringify(o).replaceAll(email, "EMAIL");
    expect(scrub(forTaken.data, taken.email)).toBe(scrub(forFresh.data, fresh));
    expect([...forTaken.headers]).toEqual([...forFresh.headers]);

    const [mail, ...more] = mailsTo(taken.email);
    expect(more).toHaveLength(0);
    expect(mail.subject).toBe("有人用你的邮箱注册");
    expect(mail.text).toContain(`${ORIGIN}/login`);
    expect(mail.text).toContain(`${ORIGIN}/forgot-password`);
    expect(mail.text).not.toContain("verify-email");
    // the confirmed account keeps its name and password
    expect(await db.user.findUniqueOrThrow({ where: { id: taken.id } })).toMatchObject({ name: before.name, passwordHash: before.passwordHash });
    expect(await db.emailToken.count({ where: { userId: taken.id } })).toBe(0);
  });

  test("a taken address takes as long to answer as a new one (at least one password hash)", async () => {
    const taken = await createUser();
    const hashTimes: number[] = [];
    for (let i = 0; i < 3; i++) {
      const t = performance.now();
      await hashPassword("some-password-123");
      hashTimes.push(performance.now() - t);
    }
    const t = performance.now();
    await doRegister({ name: "冒名者", email: taken.email, password: "another-password-1" });
    expect(performance.now() - t).toBeGreaterThan(0.5 * Math.min(...hashTimes));
  });

  test("a form with errors comes back with a message per field and what was typed, but never the password", async () => {
    const res = await doRegister({ name: "", email: "not-an-address", password: "short" });
    expect(res.status).toBe(400);
    expect(res.data).toEqual({
      sentTo: null,
      errors: { name: "form.name.required", email: "form.email.invalid", password: "form.password.short" },
      values: { name: "", email: "not-an-address", redirectTo: "" },
    });
    expect(await db.user.count({ where: { email: "not-an-address" } })).toBe(0);
  });

  test("re-registering a never-confirmed address changes nothing: the owner's password and link stand, and the owner is told", async () => {
    const email = `hijack-${unique()}@example.cn`;
    await doRegister({ name: "真正的主人", email, password: "owner-password-2024" });
    const before = await db.user.findUniqueOrThrow({ where: { email } });
    const ownersLink = linkIn(mailsTo(email)[0], `${ORIGIN}/verify-email?token=`);

    const fresh = `fresh-${unique()}@example.cn`;
    const again = await doRegister({ name: "抢注者", email, password: "attacker-password-1" });
    const forFresh = await doRegister({ name: "抢注者", email: fresh, password: "attacker-password-1" });
    // the same answer as for an address nobody has: the attacker learns nothing
    expect(again.status).toBe(forFresh.status);
    expect(JSON.stringify(again.data).replaceAll(email, "EMAIL")).toBe(JSON.stringify(forFresh.data).replaceAll(fresh, "EMAIL"));
    expect([...again.headers]).toEqual([...forFresh.headers]);

    expect(await db.user.findUniqueOrThrow({ where: { email } })).toMatchObject({ name: "真正的主人", passwordHash: before.passwordHash, emailVerifiedAt: null });
    expect(await db.emailToken.count({ where: { userId: before.id } })).toBe(1);
    const [, note, ...more] = mailsTo(email);
    expect(more).toHaveLength(0);
    expect(note.subject).toBe("有人用你的邮箱注册");
    expect(note.text).toContain(`${ORIGIN}/forgot-password`);
    expect(note.text).not.toContain("verify-email");

    // the owner confirms with their own link; only their password signs in
    expect((await follow(ownersLink)).status).toBe(302);
    const address = freshAddress();
    expect((await doLogin(email, "attacker-password-1", address)).status).toBe(400);
    expect((await doLogin(email, "owner-password-2024", address)).status).toBe(302);
  });

  test("two registrations of one new address at the same moment make one account, and both get the usual answer", async () => {
    const email = `twice-${unique()}@example.cn`;
    const [a, b] = await Promise.all([doRegister({ name: "甲", email, password: "first-password-2024" }), doRegister({ name: "乙", email, password: "second-password-2024" })]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(await db.user.count({ where: { email } })).toBe(1);
    expect(
      mailsTo(email)
        .map((m) => m.subject)
        .sort(),
    ).toEqual(["有人用你的邮箱注册", "请确认你的邮箱"]);
  });

  test("mail is in the recipient's language: the registrant's, then the one the user last chose on the site", async () => {
    const email = `en-${unique()}@example.cn`;
    const req = await postRequest("/register", { name: "Wang Wei", email, password: "gongjiang-2024-mima", redirectTo: "" }, { headers: { "Accept-Language": "en-GB,en;q=0.9" } });
    await settle(() => register.action(actionArgs(req)));
    const [mail] = mailsTo(email);
    expect(mail.subject).toBe("Confirm your email");
    expect(mail.text).toContain("Hello Wang Wei");
    const user = await db.user.findUniqueOrThrow({ where: { email } });
    expect(user.locale).toBe("en");

    // switching the site to Chinese while signed in makes the account's mail Chinese
    const cookie = await sessionCookie(user.id);
    const switched = await postRequest("/language", { lang: "zh-CN", redirectTo: "/" }, { session: cookie });
    expect((await settle(() => language.action(actionArgs(switched)))).status).toBe(302);
    expect((await db.user.findUniqueOrThrow({ where: { email } })).locale).toBe("zh-CN");
    await doRegister({ name: "Someone", email, password: "another-password-1" });
    expect(mailsTo(email).at(-1)!.subject).toBe("有人用你的邮箱注册");
  });

  test("links in mail come from PUBLIC_URL (or localhost:PORT), never from the request's Host header", async () => {
    const saved = { PUBLIC_URL: process.env.PUBLIC_URL, PORT: process.env.PORT };
    try {
      delete process.env.PUBLIC_URL;
      delete process.env.PORT;
      const email = `host-${unique()}@example.cn`;
      const req = await postRequest(
        "/register",
        { name: "钱工", email, password: "gongjiang-2024-mima", redirectTo: "" },
        { headers: { Host: "evil.example", "X-Forwarded-Host": "evil.example" } },
      );
      const evilUrl = new Request(new URL("http://evil.example/register"), { method: "POST", headers: req.headers, body: await req.text() });
      expect((await settle(() => register.action(actionArgs(evilUrl)))).status).toBe(200);
      const [mail] = mailsTo(email);
      expect(mail.text).not.toContain("evil.example");
      expect(linkIn(mail, "http://localhost:3000/verify-email?token=")).toMatch(/token=[A-Za-z0-9_-]{43}/);

      process.env.PUBLIC_URL = "https://hub.example.cn/";
      const other = `host-${unique()}@example.cn`;
      const req2 = await postRequest("/register", { name: "钱工", email: other, password: "gongjiang-2024-mima", redirectTo: "" }, { headers: { Host: "evil.example" } });
      await settle(() => register.action(actionArgs(req2)));
      expect(mailsTo(other)[0].text).toContain("https://hub.example.cn/verify-email?token=");
      expect(mailsTo(other)[0].text).not.toContain("evil.example");
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  });
});

describe("confirmation links", () => {
  async function registered() {
    const email = `link-${unique()}@example.cn`;
    await doRegister({ name: "周工", email, password: "gongjiang-2024-mima" });
    return { email, token: tokenOf(linkIn(mailsTo(email)[0], `${ORIGIN}/verify-email?token=`)) };
  }

  test("a used link fails the second time and signs nobody in", async () => {
    const { token } = await registered();
    expect((await confirm(token)).status).toBe(302);
    const again = await confirm(token);
    expect(again).toMatchObject({ status: 200, data: { failed: true } });
    expect(again.headers.get("Set-Cookie")).toBeNull();
  });

  test("an expired link fails and leaves the address unconfirmed", async () => {
    const { email, token } = await registered();
    const user = await db.user.findUniqueOrThrow({ where: { email } });
    await db.emailToken.updateMany({ where: { userId: user.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await confirm(token)).data).toEqual({ failed: true });
    expect((await db.user.findUniqueOrThrow({ where: { email } })).emailVerifiedAt).toBeNull();
  });

  test.each(["", "abc", "x".repeat(43), "%00%27%20OR%201%3D1--", "y".repeat(500)])("a garbage token (%j) fails", async (token) => {
    const res = await confirm(token);
    expect(res).toMatchObject({ status: 200, data: { failed: true } });
    expect(res.headers.get("Set-Cookie")).toBeNull();
  });

  test("an unconfirmed account cannot log in, with the same answer as a wrong password", async () => {
    const { email } = await registered();
    const address = freshAddress();
    const unconfirmed = await doLogin(email, "gongjiang-2024-mima", address);
    const wrong = await doLogin(email, "not-the-password", address);
    expect(unconfirmed.status).toBe(400);
    expect(unconfirmed.data).toEqual(wrong.data);
    expect(unconfirmed.headers.get("Set-Cookie")).toBeNull();
  });
});

describe("login", () => {
  test("the right password signs in: a redirect back, and a session cookie", async () => {
    const user = await createUser();
    const res = await post(login, "/login", { email: user.email.toUpperCase(), password: PASSWORD, redirectTo: "/studios/xu-xin/edit" }, null, freshAddress());
    expect(res.status).toBe(302);
    expect(res.location).toBe("/studios/xu-xin/edit");
    expect(await whoIs(cookiePair(res.headers.get("Set-Cookie")!))).toMatchObject({ id: user.id });
  });

  test("a foreign redirectTo is ignored after login", async () => {
    const user = await createUser();
    const res = await post(login, "/login", { email: user.email, password: PASSWORD, redirectTo: "https://evil.example/" }, null, freshAddress());
    expect(res.location).toBe("/account");
  });

  test("a wrong password and an unknown email give the same message and status", async () => {
    const user = await createUser();
    const address = freshAddress();
    const wrong = await doLogin(user.email, "wrong-password-123", address);
    const unknown = await doLogin(`nobody-${unique()}@example.cn`, "wrong-password-123", address);
    expect(wrong.status).toBe(400);
    expect(unknown.status).toBe(400);
    const { email: _a, ...wrongRest } = wrong.data as Record<string, unknown>;
    const { email: _b, ...unknownRest } = unknown.data as Record<string, unknown>;
    expect(wrongRest).toEqual({ error: "invalid", minutes: 0 });
    expect(unknownRest).toEqual(wrongRest);
    expect(wrong.headers.get("Set-Cookie")).toBeNull();
    expect(unknown.headers.get("Set-Cookie")).toBeNull();
  });

  test("4 failures on one account still let the right password in", async () => {
    const user = await createUser();
    for (let i = 0; i < 4; i++) expect((await doLogin(user.email, `wrong-${i}-password`, freshAddress())).status).toBe(400);
    expect((await doLogin(user.email, PASSWORD, freshAddress())).status).toBe(302);
  });

  test(`${LIMITS.pair} failures on one account from one address rate-limit that address for it, even with the right password`, async () => {
    const user = await createUser();
    const address = freshAddress();
    for (let i = 0; i < LIMITS.pair; i++) expect((await doLogin(user.email, `wrong-${i}-password`, address)).status).toBe(400);
    const locked = await doLogin(user.email, PASSWORD, address);
    expect(locked.status).toBe(429);
    expect(locked.data).toMatchObject({ error: "rate-limited", minutes: 15 });
    expect(locked.headers.get("Set-Cookie")).toBeNull();
    expect(await db.session.count({ where: { userId: user.id } })).toBe(0);
    // another account from the same address is not affected
    const other = await createUser();
    expect((await doLogin(other.email, PASSWORD, address)).status).toBe(302);
  });

  test("addresses of one IPv6 /64 count as one address: rotating through them does not reset the limit", async () => {
    const user = await createUser();
    for (let i = 0; i < LIMITS.pair; i++) expect((await doLogin(user.email, `wrong-${i}-password`, `2001:db8:77:1::${i + 1}`)).status).toBe(400);
    expect((await doLogin(user.email, PASSWORD, "2001:db8:77:1:abcd::9")).status).toBe(429);
    expect((await doLogin(user.email, PASSWORD, "::ffff:10.1.250.1")).status).toBe(302);
    expect(addressForLimits("::ffff:10.1.250.1")).toBe("10.1.250.1");
  });

  test("nobody can lock the owner out: after many failures from other addresses, the owner's own address still signs in", async () => {
    const user = await createUser();
    for (let a = 0; a < 4; a++) {
      const attacker = freshAddress();
      for (let i = 0; i < LIMITS.pair + 1; i++) await doLogin(user.email, `wrong-${a}-${i}-password`, attacker);
      expect((await doLogin(user.email, PASSWORD, attacker)).status).toBe(429);
    }
    expect((await doLogin(user.email, PASSWORD, freshAddress())).status).toBe(302);
  });

  test("the limit on a pair lifts after the 15-minute window", async () => {
    const user = await createUser();
    const address = freshAddress();
    for (let i = 0; i < LIMITS.pair; i++) await doLogin(user.email, `wrong-${i}-password`, address);
    expect((await doLogin(user.email, PASSWORD, address)).status).toBe(429);
    await db.loginAttempt.updateMany({
      where: { key: { startsWith: "pair:" }, createdAt: { gt: new Date(Date.now() - 60_000) } },
      data: { createdAt: new Date(Date.now() - 16 * 60_000) },
    });
    expect((await doLogin(user.email, PASSWORD, address)).status).toBe(302);
  });

  test(`${LIMITS.address} failures from one address, across accounts, block that address`, async () => {
    const address = freshAddress();
    for (let i = 0; i < LIMITS.address; i++) {
      expect((await doLogin(`guess-${i}-${unique()}@example.cn`, "guessed-password", address)).status).toBe(400);
    }
    const user = await createUser();
    const blocked = await doLogin(user.email, PASSWORD, address);
    expect(blocked.status).toBe(429);
    expect(blocked.data).toMatchObject({ error: "rate-limited" });
    // the same person from elsewhere still gets in
    expect((await doLogin(user.email, PASSWORD, freshAddress())).status).toBe(302);
  });

  test("the address comes from the server, not from a header the client sends", async () => {
    const address = freshAddress();
    for (let i = 0; i < LIMITS.address; i++) await doLogin(`guess-${i}-${unique()}@example.cn`, "guessed-password", address);
    const user = await createUser();
    const req = await postRequest("/login", { email: user.email, password: PASSWORD, redirectTo: "/account" }, { headers: { "X-Client-Address": "203.0.113.9" } });
    const res = await settle(() => login.action(actionArgs(req, {}, { clientAddress: address })));
    expect(res.status).toBe(429);
  });
});

describe("sessions", () => {
  test("the session cookie is HttpOnly and SameSite=Lax, and holds only a random session id", async () => {
    const user = await createUser();
    const res = await doLogin(user.email, PASSWORD, freshAddress());
    const setCookie = res.headers.get("Set-Cookie")!;
    expect(setCookie).toMatch(/^__session=/);
    expect(setCookie).toMatch(/;\s*HttpOnly/i);
    expect(setCookie).toMatch(/;\s*SameSite=Lax/i);
    expect(setCookie).toMatch(/;\s*Path=\//);
    expect(setCookie).toMatch(/;\s*Max-Age=2592000/);

    const raw = decodeURIComponent(cookiePair(setCookie).slice("__session=".length));
    const decoded = raw
      .split(".")
      .map((part) => Buffer.from(part, "base64").toString("latin1"))
      .join(" ");
    for (const secret of [user.id, user.email, user.name, PASSWORD]) {
      expect(raw).not.toContain(secret);
      expect(decoded).not.toContain(secret);
    }
    const id = await sessionCookieCodec.parse(cookiePair(setCookie));
    expect(typeof id).toBe("string");
    expect(id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await db.session.findUnique({ where: { id } })).toMatchObject({ userId: user.id });
  });

  test("a forged or tampered cookie signs nobody in", async () => {
    const user = await createUser();
    const cookie = await sessionCookie(user.id);
    expect(await whoIs(cookie)).toMatchObject({ id: user.id });
    const session = await db.session.findFirstOrThrow({ where: { userId: user.id } });
    // the id alone, unsigned, is not a cookie this site accepts
    expect(await whoIs(`__session=${Buffer.from(JSON.stringify(session.id)).toString("base64")}`)).toBeNull();
    expect(await whoIs(cookie.slice(0, -3) + "AAA")).toBeNull();
  });

  test("an expired session signs nobody in", async () => {
    const user = await createUser();
    const cookie = await sessionCookie(user.id);
    await db.session.updateMany({ where: { userId: user.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await whoIs(cookie)).toBeNull();
  });

  test(`a session unused for ${IDLE_DAYS} days ends, though its 30 days are not over`, async () => {
    const user = await createUser();
    const cookie = await sessionCookie(user.id);
    const day = 86_400_000;
    await db.session.updateMany({ where: { userId: user.id }, data: { createdAt: new Date(Date.now() - (IDLE_DAYS + 1) * day), lastSeenAt: null } });
    expect(await whoIs(cookie)).toBeNull();
    expect(await db.session.count({ where: { userId: user.id } })).toBe(0);
  });

  test("using a session keeps it alive: its last-seen time moves on, at most once an hour", async () => {
    const user = await createUser();
    const cookie = await sessionCookie(user.id);
    const day = 86_400_000;
    const old = new Date(Date.now() - (IDLE_DAYS - 1) * day);
    await db.session.updateMany({ where: { userId: user.id }, data: { createdAt: old, lastSeenAt: old } });
    expect(await whoIs(cookie)).toMatchObject({ id: user.id });
    const seen = (await db.session.findFirstOrThrow({ where: { userId: user.id } })).lastSeenAt!;
    expect(Date.now() - seen.getTime()).toBeLessThan(60_000);
    // two days later it would have been idle for 8 days without that visit
    await db.session.updateMany({ where: { userId: user.id }, data: { lastSeenAt: new Date(seen.getTime() - 2 * day) } });
    expect(await whoIs(cookie)).toMatchObject({ id: user.id });
    // seen 10 minutes ago: no write
    const recent = new Date(Date.now() - 10 * 60_000);
    await db.session.updateMany({ where: { userId: user.id }, data: { lastSeenAt: recent } });
    expect(await whoIs(cookie)).toMatchObject({ id: user.id });
    expect((await db.session.findFirstOrThrow({ where: { userId: user.id } })).lastSeenAt).toEqual(recent);
  });

  test("the account page counts only the sessions that still sign in", async () => {
    const user = await createUser();
    const here = await sessionCookie(user.id);
    await sessionCookie(user.id);
    const idle = await sessionCookie(user.id);
    const idleId = await sessionCookieCodec.parse(idle);
    await db.session.update({ where: { id: idleId }, data: { lastSeenAt: new Date(Date.now() - (IDLE_DAYS + 1) * 86_400_000) } });
    const page = await settle(() => account.loader(actionArgs(getRequest("/account", here))));
    expect(page.data).toMatchObject({ sessions: 2 });
  });

  test("a disabled account's sessions sign nobody in, and its password no longer does", async () => {
    const user = await createUser();
    const cookie = await sessionCookie(user.id);
    await db.user.update({ where: { id: user.id }, data: { disabledAt: new Date() } });
    expect(await whoIs(cookie)).toBeNull();
    const res = await doLogin(user.email, PASSWORD, freshAddress());
    expect(res).toMatchObject({ status: 400, data: { error: "invalid" } });
  });

  test("logging out deletes the session row and clears the cookie", async () => {
    const user = await createUser();
    const cookie = await sessionCookie(user.id);
    const other = await sessionCookie(user.id);
    const res = await post(logout, "/logout", {}, cookie);
    expect(res.status).toBe(302);
    expect(res.location).toBe("/");
    expect(res.headers.get("Set-Cookie")).toMatch(/^__session=;.*Max-Age=0/);
    expect(await whoIs(cookie)).toBeNull();
    expect(await db.session.count({ where: { userId: user.id } })).toBe(1);
    // the session on the other device stays
    expect(await whoIs(other)).toMatchObject({ id: user.id });
  });

  test("log out everywhere deletes every session of the user, and only theirs", async () => {
    const user = await createUser();
    const bystander = await createUser();
    const cookies = [await sessionCookie(user.id), await sessionCookie(user.id), await sessionCookie(user.id)];
    const theirs = await sessionCookie(bystander.id);
    const res = await post(account, "/account", { intent: "logout-everywhere" }, cookies[0]);
    expect(res.status).toBe(302);
    expect(res.location).toBe("/login?loggedOutEverywhere=1");
    expect(res.headers.get("Set-Cookie")).toMatch(/^__session=;/);
    expect(await db.session.count({ where: { userId: user.id } })).toBe(0);
    for (const c of cookies) expect(await whoIs(c)).toBeNull();
    expect(await whoIs(theirs)).toMatchObject({ id: bystander.id });
  });
});

describe("change password", () => {
  let user: Awaited<ReturnType<typeof createUser>>;
  let here: string;
  let elsewhere: string;
  beforeAll(async () => {
    user = await createUser();
    here = await sessionCookie(user.id);
    elsewhere = await sessionCookie(user.id);
  });

  const hashOf = async () => (await db.user.findUniqueOrThrow({ where: { id: user.id } })).passwordHash;

  test("the current password is required: a wrong one is an error at that field and changes nothing", async () => {
    const before = await hashOf();
    const res = await post(account, "/account", { intent: "password", currentPassword: "not-my-password", newPassword: "new-password-2024" }, here);
    expect(res.status).toBe(400);
    expect(res.data).toEqual({ errors: { currentPassword: "auth.wrongPassword" }, done: false });
    expect(await hashOf()).toBe(before);
    expect(await whoIs(elsewhere)).toMatchObject({ id: user.id });
  });

  test("each bad field gets its own message", async () => {
    const before = await hashOf();
    const res = await post(account, "/account", { intent: "password", currentPassword: "", newPassword: "short" }, here);
    expect(res.status).toBe(400);
    expect(res.data).toEqual({ errors: { currentPassword: "form.password.required", newPassword: "form.password.short" }, done: false });
    expect(await hashOf()).toBe(before);
  });

  test("the right current password changes it and logs out the other sessions, not this one", async () => {
    const res = await post(account, "/account", { intent: "password", currentPassword: PASSWORD, newPassword: "new-password-2024" }, here);
    expect(res.status).toBe(200);
    expect(res.data).toEqual({ errors: null, done: true });
    expect(await verifyPassword(await hashOf(), "new-password-2024")).toBe(true);
    expect(await whoIs(here)).toMatchObject({ id: user.id });
    expect(await whoIs(elsewhere)).toBeNull();
    expect(await db.session.count({ where: { userId: user.id } })).toBe(1);
    const address = freshAddress();
    expect((await doLogin(user.email, PASSWORD, address)).status).toBe(400);
    expect((await doLogin(user.email, "new-password-2024", address)).status).toBe(302);
  });

  test("anonymous visitors are sent to log in", async () => {
    const res = await post(account, "/account", { intent: "password", currentPassword: PASSWORD, newPassword: "new-password-2024" }, null);
    expect(res).toMatchObject({ status: 302, location: "/login?redirectTo=%2Faccount" });
  });
});

describe("forms and redirects", () => {
  test("a CSRF cookie + token pair made for another session (an attacker's own, planted) is refused", async () => {
    const victim = await createUser();
    const attacker = await createUser();
    const victimSession = await sessionCookie(victim.id);
    const planted = await csrfPair(await sessionCookie(attacker.id));
    const anonymous = await csrfPair(null);
    for (const pair of [planted, anonymous]) {
      const req = await postRequest("/account", { intent: "logout-everywhere" }, { session: victimSession, csrf: pair });
      const res = await settle(() => account.action(actionArgs(req)));
      expect(res).toMatchObject({ status: 403, data: { error: { code: "csrf" } } });
    }
    expect(await whoIs(victimSession)).toMatchObject({ id: victim.id });
    // the pair the victim's own pages carry works
    const own = await postRequest("/account", { intent: "logout-everywhere" }, { session: victimSession, csrf: await csrfPair(victimSession) });
    expect((await settle(() => account.action(actionArgs(own)))).status).toBe(302);
  });

  test("a post the server's guard marked as from another origin is refused with 403, as a foreign Origin is", async () => {
    const user = await createUser();
    const cookie = await sessionCookie(user.id);
    const req = await postRequest("/account", { intent: "logout-everywhere" }, { session: cookie, headers: { "X-Foreign-Origin": "1" } });
    const res = await settle(() => account.action(actionArgs(req)));
    expect(res).toMatchObject({ status: 403, data: { error: { code: "csrf", key: "csrf.foreignOrigin", message: "This form was sent from another site and was refused." } } });
    expect(await whoIs(cookie)).toMatchObject({ id: user.id });
  });

  test.each([
    ["/研究", "/%E7%A0%94%E7%A9%B6"],
    ["/studios?q=地铁#概况", "/studios?q=%E5%9C%B0%E9%93%81#%E6%A6%82%E5%86%B5"],
    ["/..//evil.example", "/account"],
    ["//evil.example", "/account"],
    ["/\\evil.example", "/account"],
    ["https://evil.example/", "/account"],
    ["/%0d%0aSet-Cookie:x=1", "/%0d%0aSet-Cookie:x=1"],
  ])("redirectTo=%j sends a signed-in visitor to %j, never a 500", async (target, location) => {
    const user = await createUser();
    const cookie = await sessionCookie(user.id);
    const res = await settle(() => login.loader(actionArgs(getRequest(`/login?redirectTo=${encodeURIComponent(target)}`, cookie))));
    expect(res).toMatchObject({ status: 302, location });
  });

  test("a lone surrogate in a redirect target falls back instead of throwing", () => {
    expect(safeRedirect("/a\ud800b", "/x")).toBe("/x");
  });
});
