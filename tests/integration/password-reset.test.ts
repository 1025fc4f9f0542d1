import { describe, expect, test } from "vitest";
import * as forgot from "~/routes/forgot-password";
import * as login from "~/routes/login";
import * as reset from "~/routes/reset-password.$token";
import { RESET_LIMITS } from "~/models/user.server";
import { db } from "~/utils/db.server";
import { verifyPassword } from "~/utils/password.server";
import { getUser, hashToken } from "~/utils/session.server";
import { actionArgs, createUser, getRequest, linkIn, mailsTo, ORIGIN, PASSWORD, postRequest, readMails, sessionCookie, settle, unique } from "../setup/auth";

// A forgotten password, as its owner meets it: ask on /forgot-password → a mail with a link →
// choose a new password twice on /reset-password/:token → every session ends → log in anew.

let addresses = 0;
const freshAddress = () => `10.7.${Math.floor(++addresses / 250)}.${addresses % 250}`;

const ask = (email: string, address = freshAddress(), headers: Record<string, string> = {}) =>
  postRequest("/forgot-password", { email }, { headers }).then((r) => settle(() => forgot.action(actionArgs(r, {}, { clientAddress: address }))));
const open = (token: string) => settle(() => reset.loader(actionArgs(getRequest(`/reset-password/${token}`), { token })));
const choose = (token: string, password: string, confirm = password) =>
  postRequest(`/reset-password/${token}`, { password, confirm }).then((r) => settle(() => reset.action(actionArgs(r, { token }))));
const tokenIn = (email: string) => linkIn(mailsTo(email).at(-1)!, `${ORIGIN}/reset-password/`).split("/reset-password/")[1];
const hashOf = async (id: string) => (await db.user.findUniqueOrThrow({ where: { id } })).passwordHash;
const logIn = (email: string, password: string) =>
  postRequest("/login", { email, password, redirectTo: "/account" }).then((r) => settle(() => login.action(actionArgs(r, {}, { clientAddress: freshAddress() }))));

describe("asking for a reset link", () => {
  test("an address with an account gets a single-use link in its language; the database keeps only its hash", async () => {
    const user = await createUser({ name: "孔师傅" });
    const res = await ask(user.email.toUpperCase());
    expect(res).toMatchObject({ status: 200, data: { sentTo: user.email, errors: null } });
    const [mail, ...more] = mailsTo(user.email);
    expect(more).toHaveLength(0);
    expect(mail.subject).toBe("重设你的密码");
    expect(mail.text).toContain("孔师傅，你好");
    expect(mail.text).toContain("1 小时内有效");
    const token = tokenIn(user.email);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const rows = await db.emailToken.findMany({ where: { userId: user.id, purpose: "reset-password" } });
    expect(rows).toHaveLength(1);
    expect(rows[0].tokenHash).toBe(hashToken(token));
    expect(JSON.stringify(rows)).not.toContain(token);
    expect(rows[0].expiresAt.getTime() - Date.now()).toBeGreaterThan(59 * 60_000);
    expect(rows[0].expiresAt.getTime() - Date.now()).toBeLessThanOrEqual(60 * 60_000);
  });

  test("an English-speaking user's mail is in English", async () => {
    const user = await createUser({ name: "Li Wei" });
    await db.user.update({ where: { id: user.id }, data: { locale: "en" } });
    await ask(user.email);
    const [mail] = mailsTo(user.email);
    expect(mail.subject).toBe("Reset your password");
    expect(mail.text).toContain("Hello Li Wei");
    expect(mail.text).not.toContain("你好");
  });

  test("an address without an account gets the same answer, and no mail is sent anywhere", async () => {
    const user = await createUser();
    const nobody = `nobody-${unique()}@example.cn`;
    const before = readMails().length;
    const forNobody = await ask(nobody);
    const forUser = await ask(user.email);
    expect(forNobody.status).toBe(forUser.status);
    expect(JSON.stringify(forNobody.data).replaceAll(nobody, "EMAIL")).toBe(JSON.stringify(forUser.data).replaceAll(user.email, "EMAIL"));
    expect([...forNobody.headers]).toEqual([...forUser.headers]);
    expect(readMails().length).toBe(before + 1);
    expect(mailsTo(nobody)).toHaveLength(0);
  });

  test("a malformed address is an error at its field, with what was typed", async () => {
    const res = await ask("not-an-address");
    expect(res).toMatchObject({ status: 400, data: { sentTo: null, errors: { email: "form.email.invalid" }, values: { email: "not-an-address" } } });
  });

  test(`at most ${RESET_LIMITS.email} mails an hour to one address, whoever asks`, async () => {
    const user = await createUser();
    for (let i = 0; i < RESET_LIMITS.email; i++) expect((await ask(user.email)).status).toBe(200);
    const limited = await ask(user.email);
    expect(limited).toMatchObject({ status: 429, data: { errors: { _form: "auth.forgotRateLimited" }, minutes: 60 } });
    expect(mailsTo(user.email)).toHaveLength(RESET_LIMITS.email);
  });

  test(`at most ${RESET_LIMITS.address} requests an hour from one client address`, async () => {
    const address = freshAddress();
    for (let i = 0; i < RESET_LIMITS.address; i++) expect((await ask(`probe-${i}-${unique()}@example.cn`, address)).status).toBe(200);
    const user = await createUser();
    expect((await ask(user.email, address)).status).toBe(429);
    expect(mailsTo(user.email)).toHaveLength(0);
    expect((await ask(user.email)).status).toBe(200);
  });

  test("the link comes from configuration, not from the request's Host header", async () => {
    const user = await createUser();
    await ask(user.email, freshAddress(), { Host: "evil.example", "X-Forwarded-Host": "evil.example" });
    expect(mailsTo(user.email)[0].text).not.toContain("evil.example");
  });

  test("a disabled account gets no link", async () => {
    const user = await createUser();
    await db.user.update({ where: { id: user.id }, data: { disabledAt: new Date() } });
    expect((await ask(user.email)).status).toBe(200);
    expect(mailsTo(user.email)).toHaveLength(0);
  });
});

describe("using the link", () => {
  test("the new password, typed twice, replaces the old one and ends every session of the user", async () => {
    const user = await createUser();
    const sessions = [await sessionCookie(user.id), await sessionCookie(user.id)];
    const bystander = await createUser();
    const theirs = await sessionCookie(bystander.id);
    await ask(user.email);
    const token = tokenIn(user.email);
    expect(await open(token)).toMatchObject({ status: 200, data: { usable: true } });

    const done = await choose(token, "brand-new-password-2026");
    expect(done).toMatchObject({ status: 302, location: "/login?reset=1" });
    expect(await verifyPassword(await hashOf(user.id), "brand-new-password-2026")).toBe(true);
    for (const c of sessions) expect(await getUser(getRequest("/", c))).toBeNull();
    expect(await getUser(getRequest("/", theirs))).toMatchObject({ id: bystander.id });
    expect((await logIn(user.email, PASSWORD)).status).toBe(400);
    expect((await logIn(user.email, "brand-new-password-2026")).status).toBe(302);
  });

  test("each bad field gets its own message, and nothing changes", async () => {
    const user = await createUser();
    await ask(user.email);
    const token = tokenIn(user.email);
    const before = await hashOf(user.id);
    expect(await choose(token, "short")).toMatchObject({ status: 400, data: { usable: true, errors: { password: "form.password.short" } } });
    expect(await choose(token, "long-enough-password-1", "another-password-22")).toMatchObject({
      status: 400,
      data: { usable: true, errors: { confirm: "form.password.mismatch" } },
    });
    expect(await hashOf(user.id)).toBe(before);
    // the link still works after a mistyped form
    expect((await choose(token, "long-enough-password-1")).status).toBe(302);
  });

  test("a used link gets a clear message the second time, even when both are sent at once", async () => {
    const user = await createUser();
    await ask(user.email);
    const token = tokenIn(user.email);
    const [a, b] = await Promise.all([choose(token, "first-new-password-1"), choose(token, "second-new-password-2")]);
    expect([a.status, b.status].sort()).toEqual([302, 410]);
    const winner = a.status === 302 ? "first-new-password-1" : "second-new-password-2";
    expect(await verifyPassword(await hashOf(user.id), winner)).toBe(true);
    expect(await open(token)).toMatchObject({ status: 410, data: { usable: false } });
    expect(await choose(token, "third-new-password-3")).toMatchObject({ status: 410, data: { usable: false } });
    expect(await verifyPassword(await hashOf(user.id), winner)).toBe(true);
  });

  test("an expired link gets the same clear message and changes nothing", async () => {
    const user = await createUser();
    await ask(user.email);
    const token = tokenIn(user.email);
    await db.emailToken.updateMany({ where: { userId: user.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const before = await hashOf(user.id);
    expect(await open(token)).toMatchObject({ status: 410, data: { usable: false } });
    expect(await choose(token, "too-late-password-1")).toMatchObject({ status: 410, data: { usable: false } });
    expect(await hashOf(user.id)).toBe(before);
  });

  test("asking again replaces the earlier link", async () => {
    const user = await createUser();
    await ask(user.email);
    const first = tokenIn(user.email);
    await ask(user.email);
    const second = tokenIn(user.email);
    expect(second).not.toBe(first);
    expect((await open(first)).status).toBe(410);
    expect((await open(second)).status).toBe(200);
  });

  test.each(["", "abc", "x".repeat(43), "../../etc/passwd", "y".repeat(500)])("a made-up token (%j) gets the clear message", async (token) => {
    expect(await open(token)).toMatchObject({ status: 410, data: { usable: false } });
    expect(await choose(token, "whatever-password-1")).toMatchObject({ status: 410, data: { usable: false } });
  });

  test("a reset confirms a never-confirmed address and kills the confirmation link of a registration someone else made", async () => {
    const email = `claimed-${unique()}@example.cn`;
    // someone registered the owner's address with their own password; the confirmation went to the owner
    const squatter = await db.user.create({ data: { email, name: "抢注者", passwordHash: await (await import("~/utils/password.server")).hashPassword("squatter-password-1") } });
    await db.emailToken.create({
      data: { userId: squatter.id, purpose: "verify-email", tokenHash: hashToken("squatters-confirmation-link-0123456789abc"), expiresAt: new Date(Date.now() + 86_400_000) },
    });
    await ask(email);
    expect((await choose(tokenIn(email), "owner-password-2026")).status).toBe(302);
    const user = await db.user.findUniqueOrThrow({ where: { email } });
    expect(user.emailVerifiedAt).toBeInstanceOf(Date);
    expect(await db.emailToken.count({ where: { userId: user.id, usedAt: null } })).toBe(0);
    expect((await logIn(email, "squatter-password-1")).status).toBe(400);
    expect((await logIn(email, "owner-password-2026")).status).toBe(302);
  });
});
