import { isLocale, translator } from "~/i18n/locale.server";
import type { MessageKey } from "~/i18n/messages";
import { db, type Tx } from "~/utils/db.server";
import { sendMail } from "~/utils/mailer.server";

export type NotificationKind =
  | "alliance.invited"
  | "alliance.accepted"
  | "alliance.declined"
  | "alliance.left"
  | "alliance.invitedForward"
  | "alliance.declinedReason"
  | "alliance.withdrawn"
  | "alliance.removed"
  | "alliance.dissolved"
  | "project.proposed"
  | "project.completed"
  | "milestone.due"
  | "milestone.done"
  | "alliance.result"
  | `review.${"submitted" | "approved" | "returned"}`
  | `recognition.${"requested" | "approved" | "returned"}`
  | `application.${"submitted" | "approved" | "returned"}`
  | "enquiry.received"
  | "enquiry.aboutResult"
  | "enquiry.forCoordinators"
  | `need.${"submit" | "dispatch" | "accept" | "decline" | "deliver" | "confirm" | "withdraw"}`;

/** The values a notice's message is filled with (studio, alliance, project, need… names). */
export type NoticeParams = Record<string, string>;

type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

/** What a notice says, in the language of `t`. Rows written before notices had params keep their stored title. */
export function noticeText(t: Translate, n: { kind: string; params: string; title: string }): string {
  let params: NoticeParams = {};
  try {
    params = JSON.parse(n.params) as NoticeParams;
  } catch {
    /* a damaged row reads as its stored title */
  }
  if (!Object.keys(params).length && n.title) return n.title;
  return t(`notice.${n.kind}` as MessageKey, params);
}

/**
 * Tells users about an event: an inbox entry each, and the same by email (SMTP when configured,
 * the local mail outbox otherwise), each in the recipient's own language. Mail failures never undo
 * the event. `mail: false` for news that only needs to wait in the inbox.
 */
export async function notify(userIds: Iterable<string>, n: Notice, origin?: string, o: { mail?: boolean } = {}) {
  const ids = [...new Set(userIds)];
  if (!ids.length) return;
  await recordNotice(db, ids, n);
  if (o.mail !== false) await mailNotice(ids, n, origin);
}

export type Notice = { kind: NotificationKind; params: NoticeParams; url: string };

/** The notices in the recipients' inboxes, written through `client`: a transaction's, to commit with the change they tell of. */
export async function recordNotice(client: Tx, userIds: Iterable<string>, n: Notice) {
  const ids = [...new Set(userIds)];
  if (!ids.length) return;
  const params = JSON.stringify(n.params);
  await client.notification.createMany({ data: ids.map((userId) => ({ userId, kind: n.kind, params, url: n.url })) });
}

/** The mail of a notice already recorded, in each recipient's language; a failed send is logged, not thrown. */
export async function mailNotice(userIds: Iterable<string>, n: Notice, origin?: string) {
  const ids = [...new Set(userIds)];
  if (!ids.length) return;
  const params = JSON.stringify(n.params);
  const users = await db.user.findMany({ where: { id: { in: ids } }, select: { email: true, locale: true } });
  const link = origin ? `${origin}${n.url}` : n.url;
  for (const u of users) {
    const t = translator(isLocale(u.locale) ? u.locale : "zh-CN");
    const subject = noticeText(t, { kind: n.kind, params, title: "" });
    try {
      await sendMail({ to: u.email, subject, text: `${subject}\n\n${t("notice.mail.open", { link })}\n\n${t("notice.mail.footer")}\n` });
    } catch (e) {
      console.warn(`mail to ${u.email} failed: ${e instanceof Error ? e.message : e}`);
    }
  }
}

/** The union's coordinators and the site admins (who may do what coordinators do), active accounts only. */
export async function coordinatorIds(): Promise<string[]> {
  return (await db.user.findMany({ where: { role: { in: ["coordinator", "admin"] }, disabledAt: null }, select: { id: true } })).map((u) => u.id);
}

/** Users who act for a studio: its admins (falling back to all members when it has no admin). */
export async function studioAdminIds(studioId: string): Promise<string[]> {
  const members = await db.membership.findMany({ where: { studioId }, select: { userId: true, role: true } });
  const admins = members.filter((m) => m.role === "admin");
  return (admins.length ? admins : members).map((m) => m.userId);
}

/** Who an invitation to a studio reaches, and why them: see `invitationRecipients`. */
export type InvitationReach = { via: "studio" | "enterprise" | "site"; ids: string[] };

/**
 * Who an alliance invitation reaches: the studio's admins, who answer it; for a studio without an
 * admin account, its enterprise's confirmed contacts, or failing those the site admins, so that it
 * never waits unread.
 */
export async function invitationRecipients(studioId: string): Promise<InvitationReach> {
  const admins = await db.membership.findMany({ where: { studioId, role: "admin", user: { disabledAt: null } }, select: { userId: true } });
  if (admins.length) return { via: "studio", ids: admins.map((m) => m.userId) };
  const studio = await db.studio.findUniqueOrThrow({ where: { id: studioId }, select: { enterpriseId: true } });
  const contacts = await db.enterpriseContact.findMany({ where: { enterpriseId: studio.enterpriseId, status: "confirmed", user: { disabledAt: null } }, select: { userId: true } });
  if (contacts.length) return { via: "enterprise", ids: contacts.map((c) => c.userId) };
  const siteAdmins = await db.user.findMany({ where: { role: "admin", disabledAt: null }, select: { id: true } });
  return { via: "site", ids: siteAdmins.map((u) => u.id) };
}

/** The names of an enterprise's confirmed contacts, for saying whom a forwarded invitation reached. */
export async function enterpriseContactNames(enterpriseId: string): Promise<string[]> {
  const contacts = await db.enterpriseContact.findMany({ where: { enterpriseId, status: "confirmed", user: { disabledAt: null } }, select: { user: { select: { name: true } } } });
  return contacts.map((c) => c.user.name);
}

export async function studioMemberIds(studioIds: string[]): Promise<string[]> {
  const members = await db.membership.findMany({ where: { studioId: { in: studioIds } }, select: { userId: true } });
  return members.map((m) => m.userId);
}

/**
 * A reader on the page a notice points to has seen it: their unread notices for that page count as
 * read, so the inbox badge clears when they act on the page, not only when they open the inbox.
 */
export async function unreadCountAfterVisit(userId: string, path: string) {
  await db.notification.updateMany({ where: { userId, url: path, readAt: null }, data: { readAt: new Date() } });
  return unreadCount(userId);
}

export function unreadCount(userId: string) {
  return db.notification.count({ where: { userId, readAt: null } });
}

export function listNotifications(userId: string, take = 50) {
  return db.notification.findMany({ where: { userId }, orderBy: { createdAt: "desc" }, take });
}

export function markRead(userId: string, id?: string) {
  return db.notification.updateMany({ where: { userId, readAt: null, ...(id ? { id } : {}) }, data: { readAt: new Date() } });
}

/** Everyone's notifications about these pages count as read (history, such as the demo's). */
export function markReadFor(urls: string[]) {
  return db.notification.updateMany({ where: { url: { in: urls }, readAt: null }, data: { readAt: new Date() } });
}

/** Members of the other studios in a studio's alliances hear about its newly published result. */
export async function notifyAllianceOfResult(studioId: string, result: { title: string; slug: string }, origin?: string) {
  const memberships = await db.allianceMember.findMany({ where: { studioId, state: "accepted" }, select: { allianceId: true } });
  if (!memberships.length) return;
  const peers = await db.allianceMember.findMany({
    where: { allianceId: { in: memberships.map((m) => m.allianceId) }, state: "accepted", NOT: { studioId } },
    select: { studioId: true },
  });
  const users = await studioMemberIds([...new Set(peers.map((p) => p.studioId))]);
  await notify(users, { kind: "alliance.result", params: { result: result.title }, url: `/results/${result.slug}` }, origin);
}
