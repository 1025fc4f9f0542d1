import { isLocale, translator } from "~/i18n/locale.server";
import { db } from "~/utils/db.server";
import { sendMail } from "~/utils/mailer.server";
import { hashToken, randomToken } from "~/utils/session.server";
import { recordActivity } from "./common.server";

const INVITE_DAYS = 7;

/** An invitation link that works once, for a week. Only its hash is stored. */
export async function createInvitation(studio: { id: string; name: string }, role: "member" | "admin", createdById: string, origin: string, email?: string) {
  const token = randomToken();
  await db.invitation.create({
    data: { studioId: studio.id, role, createdById, tokenHash: hashToken(token), expiresAt: new Date(Date.now() + INVITE_DAYS * 86_400_000) },
  });
  const link = `${origin}/join/${token}`;
  if (email) {
    // in the invitee's language when they have an account; both languages when we cannot know it
    const known = await db.user.findUnique({ where: { email }, select: { locale: true } });
    const langs = known && isLocale(known.locale) ? [known.locale] : (["zh-CN", "en"] as const);
    const ts = langs.map((l) => translator(l));
    await sendMail({
      to: email,
      subject: ts.map((t) => t("mail.invite.subject", { studio: studio.name })).join(" / "),
      text: ts.map((t) => t("mail.invite.text", { studio: studio.name, link }) + "\n").join("\n"),
    });
  }
  return link;
}

/** A studio's memberships (with each member's name and address) and its open invitations. */
export function studioMembersAndInvitations(studioId: string) {
  return Promise.all([
    db.membership.findMany({ where: { studioId }, include: { user: { select: { name: true, email: true } } }, orderBy: { createdAt: "asc" } }),
    db.invitation.findMany({ where: { studioId, usedAt: null, expiresAt: { gt: new Date() } }, orderBy: { createdAt: "desc" } }),
  ]);
}

export async function findInvitation(token: string) {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return null;
  const inv = await db.invitation.findUnique({
    where: { tokenHash: hashToken(token) },
    include: { studio: true, createdBy: { select: { name: true } } },
  });
  if (!inv || inv.usedAt || inv.expiresAt < new Date()) return null;
  return inv;
}

/** Accepts an invitation for a user: single use, checked again inside the transaction. */
export async function acceptInvitation(token: string, userId: string): Promise<{ studioSlug: string } | null> {
  return db.$transaction(async (tx) => {
    const inv = await tx.invitation.findUnique({ where: { tokenHash: hashToken(token) }, include: { studio: true } });
    if (!inv || inv.usedAt || inv.expiresAt < new Date()) return null;
    const used = await tx.invitation.updateMany({ where: { id: inv.id, usedAt: null }, data: { usedAt: new Date() } });
    if (used.count !== 1) return null;
    await tx.membership.upsert({
      where: { userId_studioId: { userId, studioId: inv.studioId } },
      create: { userId, studioId: inv.studioId, role: inv.role },
      update: inv.role === "admin" ? { role: "admin" } : {},
    });
    await recordActivity(tx, { verb: "studio.joined", subjectType: "studio", subjectId: inv.studioId, studioId: inv.studioId, actorId: userId, summary: inv.studio.name });
    return { studioSlug: inv.studio.slug };
  });
}

/** Removes a member of this studio; the studio's last admin stays. */
export async function removeMember(studioId: string, membershipId: string): Promise<"removed" | "last-admin" | "not-found"> {
  return db.$transaction(async (tx) => {
    const m = await tx.membership.findUnique({ where: { id: membershipId } });
    if (!m || m.studioId !== studioId) return "not-found";
    if (m.role === "admin" && (await tx.membership.count({ where: { studioId, role: "admin" } })) <= 1) return "last-admin";
    await tx.membership.delete({ where: { id: m.id } });
    return "removed";
  });
}
