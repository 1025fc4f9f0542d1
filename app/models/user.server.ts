import { DEMO_ACCOUNTS } from "~/models/demo.server";
import { addressForLimits, EMAIL, PASSWORD, recordAttempts } from "~/utils/auth.server";
import { isLocale, translator } from "~/i18n/locale.server";
import type { Locale } from "~/i18n/messages";
import { db, type Tx } from "~/utils/db.server";
import { sendMail } from "~/utils/mailer.server";
import { hashPassword, verifyPassword } from "~/utils/password.server";
import { endSessions, hashToken, randomToken } from "~/utils/session.server";
import { recordActivity } from "./common.server";

const VERIFY_HOURS = 24;
const DEMO_EMAILS: string[] = DEMO_ACCOUNTS.map((a) => a.email);

/**
 * Registration that does not reveal whether an address is taken: the answer is always "check your
 * email", after the same slow hash. A new address gets a confirmation link. An address that has
 * an account, confirmed or not, is never changed (overwriting an unconfirmed one let whoever
 * registered last set the password the owner would then confirm): its owner gets a note saying
 * how to sign in or reset the password.
 */
export async function register(input: { name: string; email: string; password: string }, origin: string, next?: string, locale: Locale = "zh-CN") {
  const passwordHash = await hashPassword(input.password);
  const token = randomToken();
  const created = await db.user
    .create({
      data: {
        name: input.name,
        email: input.email,
        passwordHash,
        locale,
        emailTokens: { create: { purpose: "verify-email", tokenHash: hashToken(token), expiresAt: new Date(Date.now() + VERIFY_HOURS * 3_600_000) } },
      },
    })
    .catch((e: unknown) => {
      if ((e as { code?: string }).code === "P2002") return null; // the address has an account
      throw e;
    });
  if (!created) {
    const existing = await db.user.findUniqueOrThrow({ where: { email: input.email } });
    const t = translator(isLocale(existing.locale) ? existing.locale : "zh-CN");
    await sendMail({
      to: existing.email,
      subject: t("mail.registerAttempt.subject"),
      text: t("mail.registerAttempt.text", { login: `${origin}/login`, forgot: `${origin}/forgot-password` }),
    });
    return;
  }
  const link = `${origin}/verify-email?token=${token}${next ? `&next=${encodeURIComponent(next)}` : ""}`;
  const t = translator(locale);
  await sendMail({ to: input.email, subject: t("mail.verify.subject"), text: t("mail.verify.text", { name: input.name, link }) });
}

/** Confirms an address from its link; returns the user's id, or null when the link is bad or used. */
export async function confirmEmail(token: string): Promise<string | null> {
  const row = await db.emailToken.findUnique({ where: { tokenHash: hashToken(token) } });
  if (!row || row.purpose !== "verify-email" || row.usedAt || row.expiresAt < new Date()) return null;
  await db.$transaction([
    db.emailToken.update({ where: { id: row.id }, data: { usedAt: new Date() } }),
    db.user.update({ where: { id: row.userId }, data: { emailVerifiedAt: new Date() } }),
  ]);
  return row.userId;
}

/** Whether `password` is the user's current password (asked again before a change). */
export async function isCurrentPassword(userId: string, password: string): Promise<boolean> {
  const row = await db.user.findUnique({ where: { id: userId }, select: { passwordHash: true } });
  return Boolean(row) && (await verifyPassword(row!.passwordHash, password));
}

export async function changePassword(userId: string, newPassword: string, keepSessionId: string | null) {
  const passwordHash = await hashPassword(newPassword);
  await db.$transaction([db.user.update({ where: { id: userId }, data: { passwordHash } }), endSessions(db, userId, { except: keepSessionId })]);
}

export function logoutEverywhere(userId: string) {
  return endSessions(db, userId);
}

export type AdminResult = { ok: true; created: boolean; email: string } | { ok: false; errors: Record<string, string> };

/**
 * `npm run admin:create`: makes the address a confirmed site admin. A new account needs a name
 * and a password; an existing one is promoted (and takes the password when one is given, which
 * ends its sessions). A demo account is never made an admin of a public deployment.
 */
export async function createOrPromoteAdmin(input: { email: string; name?: string; password?: string }, o: { publicDeployment: boolean }): Promise<AdminResult> {
  const errors: Record<string, string> = {};
  const email = EMAIL.safeParse(input.email);
  if (!email.success) errors.email = `"${input.email}" is not an email address`;
  const password = input.password === undefined ? null : PASSWORD.safeParse(input.password);
  if (password && !password.success)
    errors.password = password.error.issues[0].message === "form.password.short" ? "the password needs at least 10 characters" : "the password is longer than 200 characters";
  const name = input.name?.trim();
  if (name !== undefined && (name.length < 1 || name.length > 40)) errors.name = "the name needs 1 to 40 characters";
  if (Object.keys(errors).length || !email.success) return { ok: false, errors };
  if (o.publicDeployment && DEMO_EMAILS.includes(email.data)) {
    return { ok: false, errors: { email: `${email.data} is a demo account, whose password is published; use a real address` } };
  }
  const existing = await db.user.findUnique({ where: { email: email.data } });
  const passwordHash = password?.success ? await hashPassword(password.data) : null;
  if (existing) {
    await db.$transaction([
      db.user.update({
        where: { id: existing.id },
        data: { role: "admin", disabledAt: null, emailVerifiedAt: existing.emailVerifiedAt ?? new Date(), ...(name ? { name } : {}), ...(passwordHash ? { passwordHash } : {}) },
      }),
      ...(passwordHash ? [endSessions(db, existing.id)] : []),
    ]);
    return { ok: true, created: false, email: email.data };
  }
  if (!name) errors.name = "a new account needs --name";
  if (!passwordHash) errors.password = "a new account needs a password (ADMIN_PASSWORD, or typed when asked)";
  if (Object.keys(errors).length || !name || !passwordHash) return { ok: false, errors };
  await db.user.create({ data: { email: email.data, name, passwordHash, role: "admin", emailVerifiedAt: new Date() } });
  return { ok: true, created: true, email: email.data };
}

const RESET_MINUTES = 60;
/** Reset mails allowed per hour: to one address, and asked for from one client address. */
export const RESET_LIMITS = { email: 3, address: 10 };

/**
 * "Forgot password": mails a single-use link valid for an hour when the address has an account,
 * and answers the same when it has none. Requests are counted before anything else (in the
 * login-attempt table, under their own keys), so nobody can flood a mailbox or probe addresses fast.
 */
export async function requestPasswordReset(email: string, address: string, origin: string): Promise<{ ok: true } | { ok: false; retryMinutes: number }> {
  const keys = [`reset-email:${email}`, `reset-ip:${addressForLimits(address)}`];
  await recordAttempts(keys);
  const since = new Date(Date.now() - RESET_MINUTES * 60_000);
  const [byEmail, byAddress] = await Promise.all(keys.map((key) => db.loginAttempt.count({ where: { key, createdAt: { gt: since } } })));
  if (byEmail > RESET_LIMITS.email || byAddress > RESET_LIMITS.address) return { ok: false, retryMinutes: RESET_MINUTES };
  const user = await db.user.findUnique({ where: { email } });
  if (!user || user.disabledAt) return { ok: true };
  const token = randomToken();
  await db.$transaction([
    db.emailToken.deleteMany({ where: { userId: user.id, purpose: "reset-password", usedAt: null } }),
    db.emailToken.create({ data: { userId: user.id, purpose: "reset-password", tokenHash: hashToken(token), expiresAt: new Date(Date.now() + RESET_MINUTES * 60_000) } }),
  ]);
  await mailResetLink(user, token, origin);
  return { ok: true };
}

const plausibleToken = (token: string) => /^[A-Za-z0-9_-]{20,100}$/.test(token);

/** Whether a reset link can still be used (not used, not expired, its account not disabled). */
export async function resetLinkUsable(token: string): Promise<boolean> {
  if (!plausibleToken(token)) return false;
  const row = await db.emailToken.findUnique({ where: { tokenHash: hashToken(token) }, include: { user: { select: { disabledAt: true } } } });
  return !!row && row.purpose === "reset-password" && !row.usedAt && row.expiresAt > new Date() && !row.user.disabledAt;
}

/**
 * Sets the new password from a reset link, once: the link is claimed atomically (a second use, even
 * at the same moment, fails), every session of the user ends, and the address counts as confirmed
 * (the link proved it) — which also kills any confirmation link of someone else's registration.
 */
export async function resetPassword(token: string, newPassword: string): Promise<boolean> {
  if (!(await resetLinkUsable(token))) return false;
  const passwordHash = await hashPassword(newPassword);
  return db.$transaction(async (tx) => {
    const now = new Date();
    const row = await tx.emailToken.findUnique({ where: { tokenHash: hashToken(token) } });
    if (!row) return false;
    const claimed = await tx.emailToken.updateMany({ where: { id: row.id, purpose: "reset-password", usedAt: null, expiresAt: { gt: now } }, data: { usedAt: now } });
    if (claimed.count !== 1) return false;
    const user = await tx.user.findUniqueOrThrow({ where: { id: row.userId } });
    if (user.disabledAt) return false;
    await tx.user.update({ where: { id: user.id }, data: { passwordHash, emailVerifiedAt: user.emailVerifiedAt ?? now } });
    await endSessions(tx, user.id);
    await tx.emailToken.deleteMany({ where: { userId: user.id, usedAt: null } });
    return true;
  });
}

/** The language of the account's mail follows the one its owner last chose on the site. */
export async function setUserLocale(userId: string, locale: Locale) {
  await db.user.updateMany({ where: { id: userId }, data: { locale } });
}

// —— site administration (/admin/users): the only write path for a user's role and disabled state ——

export const SITE_ROLES = ["member", "coordinator", "admin"] as const;
export type SiteRole = (typeof SITE_ROLES)[number];
export const USERS_PER_PAGE = 20;

type Actor = { id: string; role: string };
const isAdmin = (actor: Actor | null) => actor?.role === "admin";

/** Why an admin change to a user was refused; each is a message key on the page. */
export type UserAdminOutcome = { ok: true; changed: boolean } | { ok: false; reason: "forbidden" | "not-found" | "self" | "last-admin" | "disabled" | "invalid" };

/** A Prisma `where` for users whose name or email contains the words typed, all of them. */
function userSearch(q: string) {
  const words = q
    .trim()
    .split(/[\s\u3000]+/)
    .filter(Boolean)
    .slice(0, 5);
  return words.length ? { AND: words.map((w) => ({ OR: [{ name: { contains: w } }, { email: { contains: w.toLowerCase() } }] })) } : {};
}

/** Users for /admin/users, searched by name or email, 20 a page, newest first; null for anyone but a site admin. */
export async function listUsersForAdmin(actor: Actor | null, o: { q?: string; page?: number } = {}) {
  if (!isAdmin(actor)) return null;
  const where = userSearch(o.q ?? "");
  const total = await db.user.count({ where });
  const pages = Math.max(1, Math.ceil(total / USERS_PER_PAGE));
  const page = Math.min(Math.max(1, Math.floor(o.page ?? 1)), pages);
  const rows = await db.user.findMany({
    where,
    orderBy: [{ createdAt: "desc" }, { id: "asc" }],
    skip: (page - 1) * USERS_PER_PAGE,
    take: USERS_PER_PAGE,
    select: { id: true, name: true, email: true, role: true, disabledAt: true, emailVerifiedAt: true, createdAt: true },
  });
  const users = rows.map((u) => ({
    id: u.id,
    name: u.name,
    email: u.email,
    role: u.role as SiteRole,
    self: u.id === actor!.id,
    disabledAt: u.disabledAt?.toISOString() ?? null,
    verified: !!u.emailVerifiedAt,
    createdAt: u.createdAt.toISOString(),
  }));
  return { users, total, page, pages };
}

/** True when the user is the only admin who can still sign in: the site must keep one. */
async function isLastActiveAdmin(tx: Tx, user: { id: string; role: string; disabledAt: Date | null }) {
  if (user.role !== "admin" || user.disabledAt) return false;
  return (await tx.user.count({ where: { role: "admin", disabledAt: null, id: { not: user.id } } })) === 0;
}

const userSummary = (u: { name: string; email: string }) => `${u.name} <${u.email}>`;

/**
 * Changes a user's site role. The new rights hold from the user's next request (sessions read the
 * role from the database). An admin cannot demote themselves, nor the last admin who can sign in.
 */
export async function changeUserRole(actor: Actor, userId: string, role: string): Promise<UserAdminOutcome> {
  if (!isAdmin(actor)) return { ok: false, reason: "forbidden" };
  if (!(SITE_ROLES as readonly string[]).includes(role)) return { ok: false, reason: "invalid" };
  return db.$transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { id: userId } });
    if (!user) return { ok: false as const, reason: "not-found" as const };
    if (user.role === role) return { ok: true as const, changed: false };
    if (user.role === "admin") {
      if (user.id === actor.id) return { ok: false as const, reason: "self" as const };
      if (await isLastActiveAdmin(tx, user)) return { ok: false as const, reason: "last-admin" as const };
    }
    await tx.user.update({ where: { id: user.id }, data: { role } });
    await recordActivity(tx, {
      verb: "user.roleChanged",
      subjectType: "user",
      subjectId: user.id,
      actorId: actor.id,
      summary: userSummary(user),
      before: JSON.stringify({ role: user.role }),
      after: JSON.stringify({ role }),
    });
    return { ok: true as const, changed: true };
  });
}

/**
 * Disables or enables an account. Disabling ends every session of the user in the same
 * transaction, so they are signed out at their next request; a disabled account cannot sign in
 * or reset its password. An admin cannot disable themselves, nor the last admin who can sign in.
 */
export async function setUserDisabled(actor: Actor, userId: string, disabled: boolean): Promise<UserAdminOutcome> {
  if (!isAdmin(actor)) return { ok: false, reason: "forbidden" };
  return db.$transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { id: userId } });
    if (!user) return { ok: false as const, reason: "not-found" as const };
    if (!!user.disabledAt === disabled) return { ok: true as const, changed: false };
    if (disabled) {
      if (user.id === actor.id) return { ok: false as const, reason: "self" as const };
      if (await isLastActiveAdmin(tx, user)) return { ok: false as const, reason: "last-admin" as const };
    }
    await tx.user.update({ where: { id: user.id }, data: { disabledAt: disabled ? new Date() : null } });
    if (disabled) await endSessions(tx, user.id);
    await recordActivity(tx, {
      verb: disabled ? "user.disabled" : "user.enabled",
      subjectType: "user",
      subjectId: user.id,
      actorId: actor.id,
      summary: userSummary(user),
      before: JSON.stringify({ disabled: !disabled }),
      after: JSON.stringify({ disabled }),
    });
    return { ok: true as const, changed: true };
  });
}

/**
 * Mails the user the same single-use reset link as /forgot-password (valid an hour, replacing any
 * earlier unused one). Not for disabled accounts, whose links would not work anyway.
 */
export async function sendResetLinkByAdmin(actor: Actor, userId: string, origin: string): Promise<UserAdminOutcome> {
  if (!isAdmin(actor)) return { ok: false, reason: "forbidden" };
  const user = await db.user.findUnique({ where: { id: userId } });
  if (!user) return { ok: false, reason: "not-found" };
  if (user.disabledAt) return { ok: false, reason: "disabled" };
  const token = randomToken();
  await db.$transaction([
    db.emailToken.deleteMany({ where: { userId: user.id, purpose: "reset-password", usedAt: null } }),
    db.emailToken.create({ data: { userId: user.id, purpose: "reset-password", tokenHash: hashToken(token), expiresAt: new Date(Date.now() + RESET_MINUTES * 60_000) } }),
    recordActivity(db, { verb: "user.resetSent", subjectType: "user", subjectId: user.id, actorId: actor.id, summary: userSummary(user) }),
  ]);
  await mailResetLink(user, token, origin);
  return { ok: true, changed: true };
}

function mailResetLink(user: { email: string; name: string; locale: string }, token: string, origin: string) {
  const t = translator(isLocale(user.locale) ? user.locale : "zh-CN");
  return sendMail({ to: user.email, subject: t("mail.reset.subject"), text: t("mail.reset.text", { name: user.name, link: `${origin}/reset-password/${token}` }) });
}
