import { db } from "~/utils/db.server";
import { sendMail } from "~/utils/mailer.server";
import { hashPassword } from "~/utils/password.server";
import { hashToken, randomToken } from "~/utils/session.server";

const VERIFY_HOURS = 24;

/**
 * Registration that does not reveal whether an address is taken: the answer is always "check your
 * email". A new or never-confirmed address gets a confirmation link (a never-confirmed account takes
 * the newest password, so nobody can squat an address they cannot read); a confirmed one gets a
 * note that it already has an account.
 */
export async function register(input: { name: string; email: string; password: string }, origin: string, next?: string) {
  const existing = await db.user.findUnique({ where: { email: input.email } });
  if (existing?.emailVerifiedAt) {
    await hashPassword(input.password); // the same slow work as a new account: the answer's timing must not tell either
    await sendMail({
      to: input.email,
      subject: "你已经有账户了 / You already have an account",
      text: `有人（可能是你）用这个邮箱注册了劳模工匠创新工作室联盟。你已经有账户，请直接登录：${origin}/login\n\nSomeone (probably you) tried to register with this address. You already have an account: ${origin}/login\n`,
    });
    return;
  }
  const passwordHash = await hashPassword(input.password);
  const token = randomToken();
  await db.$transaction(async (tx) => {
    const user = existing
      ? await tx.user.update({ where: { id: existing.id }, data: { name: input.name, passwordHash } })
      : await tx.user.create({ data: { name: input.name, email: input.email, passwordHash } });
    await tx.emailToken.deleteMany({ where: { userId: user.id, purpose: "verify-email" } });
    await tx.emailToken.create({
      data: { userId: user.id, purpose: "verify-email", tokenHash: hashToken(token), expiresAt: new Date(Date.now() + VERIFY_HOURS * 3_600_000) },
    });
  });
  const link = `${origin}/verify-email?token=${token}${next ? `&next=${encodeURIComponent(next)}` : ""}`;
  await sendMail({
    to: input.email,
    subject: "请确认你的邮箱 / Confirm your email",
    text: `${input.name}，你好：\n\n请打开下面的链接完成注册（24 小时内有效）：\n${link}\n\nOpen this link to finish registering (valid for 24 hours):\n${link}\n`,
  });
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

export async function changePassword(userId: string, newPassword: string, keepSessionId: string | null) {
  const passwordHash = await hashPassword(newPassword);
  await db.$transaction([
    db.user.update({ where: { id: userId }, data: { passwordHash } }),
    db.session.deleteMany({ where: { userId, ...(keepSessionId ? { id: { not: keepSessionId } } : {}) } }),
  ]);
}

export function logoutEverywhere(userId: string) {
  return db.session.deleteMany({ where: { userId } });
}
