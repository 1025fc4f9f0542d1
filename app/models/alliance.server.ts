import type { Locale, MessageKey } from "~/i18n/messages";
import type { SerializedState } from "~/lexical/nodes";
import { isCoordinator, studioRole } from "~/utils/auth.server";
import { db } from "~/utils/db.server";
import { ALLIANCE_LISTS, STUDIO_LISTS, parseList, toList, withLists } from "~/utils/json";
import { safeString } from "~/utils/text-safety";
import { z } from "zod";
import type { SessionUser } from "~/utils/session.server";
import { slugFromName } from "~/utils/slug.server";
import { CONFIRMED_ADOPTION } from "./adoption.server";
import { recordActivity } from "./common.server";
import { listIndustries } from "./industry.server";
import { invitationRecipients, mailNotice, notify, recordNotice, studioAdminIds, studioMemberIds, type InvitationReach, type Notice } from "./notification.server";

/**
 * A member studio's states: invited → accepted | declined (by the studio) | withdrawn (by the
 * alliance's manager); accepted → left (by the studio) | removed (by the manager). Any state but
 * invited and accepted may be invited again.
 */
export const MEMBER_STATES = ["invited", "accepted", "declined", "left", "withdrawn", "removed"] as const;
export const PROJECT_STATUSES = ["proposed", "active", "completed", "cancelled"] as const;
export type ProjectStatus = (typeof PROJECT_STATUSES)[number];

/** Which project status may follow which. */
export const NEXT_STATUS: Record<ProjectStatus, ProjectStatus[]> = {
  proposed: ["active", "cancelled"],
  active: ["completed", "cancelled"],
  completed: [],
  cancelled: [],
};

async function uniqueSlug(base: string, taken: (slug: string) => Promise<boolean>) {
  const root = base.slice(0, 60) || "alliance";
  let slug = root;
  for (let n = 2; await taken(slug); n++) slug = `${root}-${n}`;
  return slug;
}

export async function createAlliance(
  input: { name: string; theme: string; industries: string[]; charter: string; charterText: string; invite: string[] },
  user: SessionUser,
  origin: string,
) {
  const slug = await uniqueSlug(slugFromName(input.name), async (s) => Boolean(await db.alliance.findUnique({ where: { slug: s }, select: { id: true } })));
  const studios = input.invite.length ? await db.studio.findMany({ where: { slug: { in: input.invite } }, select: { id: true, name: true } }) : [];
  const reach = new Map(await Promise.all(studios.map(async (s) => [s.id, await invitationRecipients(s.id)] as const)));
  const alliance = await db.$transaction(async (tx) => {
    const a = await tx.alliance.create({
      data: { slug, name: input.name, theme: input.theme, industries: toList(input.industries), charter: input.charter, charterText: input.charterText, createdById: user.id },
    });
    for (const s of studios) await tx.allianceMember.create({ data: { allianceId: a.id, studioId: s.id, state: "invited", reachedVia: reach.get(s.id)!.via } });
    await recordActivity(tx, { verb: "alliance.created", subjectType: "alliance", subjectId: a.id, allianceId: a.id, actorId: user.id, summary: a.name });
    return a;
  });
  for (const s of studios) await sendInvitation(reach.get(s.id)!, s.name, alliance, origin);
  return alliance;
}

/**
 * Tells whoever an invitation reached: the studio's admins answer it; a studio without an admin
 * account has it forwarded to its enterprise's contacts, or else to the site admins, so that
 * someone can get the studio an admin (or, as a site admin, answer for it).
 */
async function sendInvitation(reach: InvitationReach, studio: string, alliance: { name: string; slug: string }, origin: string) {
  const kind = reach.via === "studio" ? "alliance.invited" : "alliance.invitedForward";
  await notify(reach.ids, { kind, params: { studio, alliance: alliance.name }, url: `/alliances/${alliance.slug}` }, origin);
}

/** The alliance's manager: the coordinator who created it, or a site admin. */
export function mayManageAlliance(user: SessionUser | null, alliance: { createdById: string | null }): boolean {
  if (!user) return false;
  return user.role === "admin" || (user.role === "coordinator" && alliance.createdById === user.id);
}

/** What a refused alliance or project change answers: the HTTP status and why, as a message key. */
export type Refused = { ok: false; status: 403 | 409; reason: MessageKey };
const refused = (status: 403 | 409, reason: MessageKey): Refused => ({ ok: false, status, reason });

/**
 * A coordinator invites studios (again, after a decline, a leave, a withdrawal or a removal); the
 * invitation reaches the studios' admins, or whoever answers for a studio without one.
 */
export async function inviteStudios(allianceId: string, studioSlugs: string[], user: SessionUser, origin: string): Promise<{ ok: true; invited: string[] } | Refused> {
  if (!isCoordinator(user)) return refused(403, "refused.coordinator");
  const alliance = await db.alliance.findUniqueOrThrow({ where: { id: allianceId } });
  if (alliance.dissolvedAt) return refused(409, "refused.allianceDissolved");
  const studios = await db.studio.findMany({ where: { slug: { in: studioSlugs } }, select: { id: true, name: true } });
  const invited: { id: string; name: string; reach: InvitationReach }[] = [];
  for (const s of studios) {
    const reach = await invitationRecipients(s.id);
    const done = await db.$transaction(async (tx) => {
      const existing = await tx.allianceMember.findUnique({ where: { allianceId_studioId: { allianceId, studioId: s.id } } });
      if (existing && (existing.state === "invited" || existing.state === "accepted")) return false;
      await tx.allianceMember.upsert({
        where: { allianceId_studioId: { allianceId, studioId: s.id } },
        create: { allianceId, studioId: s.id, state: "invited", reachedVia: reach.via },
        update: { state: "invited", invitedAt: new Date(), respondedAt: null, declineReason: "", reachedVia: reach.via },
      });
      await recordActivity(tx, { verb: "alliance.invited", subjectType: "studio", subjectId: s.id, allianceId, actorId: user.id, summary: s.name });
      return true;
    });
    if (done) invited.push({ ...s, reach });
  }
  for (const s of invited) await sendInvitation(s.reach, s.name, alliance, origin);
  return { ok: true, invited: invited.map((s) => s.name) };
}

export const AllianceEditSchema = z.object({
  name: safeString().trim().min(1, "form.required").max(60, "form.tooLong"),
  theme: safeString().trim().min(1, "form.required").max(60, "form.tooLong"),
  industries: z
    .array(z.string().regex(/^[a-z0-9-]{1,80}$/, "form.invalid"))
    .max(10, "form.tooMany")
    .default([]),
});

/** The manager edits the alliance's name, theme, industries and charter; the change and its before → after are logged. */
export async function updateAlliance(
  allianceId: string,
  input: { name: string; theme: string; industries: string[]; charter: string; charterText: string },
  user: SessionUser,
): Promise<{ ok: true; changed: boolean } | Refused> {
  const a = await db.alliance.findUnique({ where: { id: allianceId } });
  if (!a || !mayManageAlliance(user, a)) return refused(403, "refused.allianceManager");
  if (a.dissolvedAt) return refused(409, "refused.allianceDissolved");
  const before = { name: a.name, theme: a.theme, industries: parseList(a.industries).join("、"), charter: a.charterText };
  const after = { name: input.name, theme: input.theme, industries: input.industries.join("、"), charter: input.charterText };
  const changed = (Object.keys(before) as (keyof typeof before)[]).filter((k) => before[k] !== after[k] || (k === "charter" && a.charter !== input.charter));
  if (!changed.length) return { ok: true, changed: false };
  await db.$transaction(async (tx) => {
    await tx.alliance.update({
      where: { id: allianceId },
      data: { name: input.name, theme: input.theme, industries: toList(input.industries), charter: input.charter, charterText: input.charterText },
    });
    await recordActivity(tx, {
      verb: "alliance.updated",
      subjectType: "alliance",
      subjectId: allianceId,
      allianceId,
      actorId: user.id,
      summary: input.name,
      before: JSON.stringify(Object.fromEntries(changed.map((k) => [k, before[k]]))),
      after: JSON.stringify(Object.fromEntries(changed.map((k) => [k, after[k]]))),
    });
  });
  return { ok: true, changed: true };
}

/**
 * The manager dissolves the alliance: from then on it is read-only. Pending invitations are
 * withdrawn with it; the member studios' admins hear of it.
 */
export async function dissolveAlliance(allianceId: string, user: SessionUser, origin: string): Promise<{ ok: true } | Refused> {
  const a = await db.alliance.findUnique({ where: { id: allianceId }, include: { members: { where: { state: "accepted" }, select: { studioId: true } } } });
  if (!a || !mayManageAlliance(user, a)) return refused(403, "refused.allianceManager");
  const done = await db.$transaction(async (tx) => {
    const c = await tx.alliance.updateMany({ where: { id: allianceId, dissolvedAt: null }, data: { dissolvedAt: new Date() } });
    if (c.count !== 1) return false;
    await tx.allianceMember.updateMany({ where: { allianceId, state: "invited" }, data: { state: "withdrawn", respondedAt: new Date() } });
    await recordActivity(tx, {
      verb: "alliance.dissolved",
      subjectType: "alliance",
      subjectId: allianceId,
      allianceId,
      actorId: user.id,
      summary: a.name,
      before: JSON.stringify({ dissolved: false }),
      after: JSON.stringify({ dissolved: true }),
    });
    return true;
  });
  if (!done) return refused(409, "refused.allianceDissolved");
  const admins = (await Promise.all(a.members.map((m) => studioAdminIds(m.studioId)))).flat().filter((id) => id !== user.id);
  await notify(admins, { kind: "alliance.dissolved", params: { alliance: a.name }, url: `/alliances/${a.slug}` }, origin);
  return { ok: true };
}

/**
 * The manager withdraws a pending invitation (only while it is pending), or removes an accepted
 * member studio; whoever the invitation reached, or the removed studio's members, hear of it.
 */
export async function endMembership(allianceId: string, studioSlug: string, change: "withdraw" | "remove", user: SessionUser, origin: string): Promise<{ ok: true } | Refused> {
  const a = await db.alliance.findUnique({ where: { id: allianceId } });
  if (!a || !mayManageAlliance(user, a)) return refused(403, "refused.allianceManager");
  if (a.dissolvedAt) return refused(409, "refused.allianceDissolved");
  const studio = await db.studio.findUnique({ where: { slug: studioSlug }, select: { id: true, name: true } });
  const m = studio ? await db.allianceMember.findUnique({ where: { allianceId_studioId: { allianceId, studioId: studio.id } } }) : null;
  if (!studio || !m) return refused(409, change === "withdraw" ? "refused.invitationNotPending" : "refused.notAMember");
  const [from, to] = change === "withdraw" ? (["invited", "withdrawn"] as const) : (["accepted", "removed"] as const);
  const done = await db.$transaction(async (tx) => {
    const c = await tx.allianceMember.updateMany({ where: { id: m.id, state: from }, data: { state: to, respondedAt: new Date() } });
    if (c.count !== 1) return false;
    await recordActivity(tx, {
      verb: `alliance.${to}`,
      subjectType: "studio",
      subjectId: studio.id,
      studioId: studio.id,
      allianceId,
      actorId: user.id,
      summary: studio.name,
      before: JSON.stringify({ state: from }),
      after: JSON.stringify({ state: to }),
    });
    return true;
  });
  if (!done) return refused(409, change === "withdraw" ? "refused.invitationNotPending" : "refused.notAMember");
  const url = `/alliances/${a.slug}`;
  const params = { studio: studio.name, alliance: a.name };
  if (change === "withdraw") await notify((await invitationRecipients(studio.id)).ids, { kind: "alliance.withdrawn", params, url }, origin);
  else await notify(await studioMemberIds([studio.id]), { kind: "alliance.removed", params, url }, origin);
  return { ok: true };
}

/**
 * A studio's admin answers an invitation, or the studio leaves: only that studio's admins, only a
 * studio that was invited, and only from the state the answer starts from.
 */
export async function respond(
  allianceId: string,
  studioSlug: string,
  answer: "accept" | "decline" | "leave",
  user: SessionUser,
  origin: string,
  reason = "",
): Promise<{ ok: true } | Refused> {
  const studio = await db.studio.findUnique({ where: { slug: studioSlug }, select: { id: true } });
  if (!studio || studioRole(user, studio.id) !== "admin") return refused(403, "refused.invitedStudioAdmin");
  const studioId = studio.id;
  const m = await db.allianceMember.findUnique({ where: { allianceId_studioId: { allianceId, studioId } }, include: { studio: true, alliance: true } });
  if (!m) return refused(403, "refused.notInvited");
  if (m.alliance.dissolvedAt) return refused(409, "refused.allianceDissolved");
  // a reason is free text shown to coordinators: one paragraph, no control characters
  const declineReason =
    answer === "decline"
      ? reason
          .replace(/[\u0000-\u001f\u007f]+/g, " ")
          .trim()
          .slice(0, 500)
      : "";
  const from = answer === "leave" ? "accepted" : "invited";
  const to = answer === "accept" ? "accepted" : answer === "decline" ? "declined" : "left";
  const changed = await db.$transaction(async (tx) => {
    const c = await tx.allianceMember.updateMany({
      where: { id: m.id, state: from },
      data: { state: to, respondedAt: new Date(), ...(answer === "decline" ? { declineReason } : {}) },
    });
    if (c.count !== 1) return false;
    const summary = declineReason ? `${m.studio.name}：${declineReason}` : m.studio.name;
    await recordActivity(tx, { verb: `alliance.${to}`, subjectType: "studio", subjectId: studioId, studioId, allianceId, actorId: user.id, summary });
    return true;
  });
  if (!changed) return refused(409, "refused.invitationAnswered");
  if (m.alliance.createdById) {
    await notify(
      [m.alliance.createdById],
      {
        kind: to === "accepted" ? "alliance.accepted" : to === "left" ? "alliance.left" : declineReason ? "alliance.declinedReason" : "alliance.declined",
        params: { studio: m.studio.name, alliance: m.alliance.name, ...(declineReason ? { reason: declineReason } : {}) },
        url: `/alliances/${m.alliance.slug}`,
      },
      origin,
    );
  }
  return { ok: true };
}

export async function getAlliance(slug: string) {
  const a = await db.alliance.findUnique({
    where: { slug },
    include: {
      createdBy: { select: { id: true, name: true } },
      members: { include: { studio: { include: { enterprise: true, industry: true } } }, orderBy: { invitedAt: "asc" } },
      projects: { include: { participants: { include: { studio: true } }, milestones: true }, orderBy: { createdAt: "desc" } },
      activities: { orderBy: { createdAt: "desc" }, take: 15, include: { actor: { select: { name: true } } } },
    },
  });
  return a && { ...withLists(a, ALLIANCE_LISTS), members: a.members.map((m) => ({ ...m, studio: withLists(m.studio, STUDIO_LISTS) })) };
}

/**
 * Studios a coordinator might invite next: the best peers of the alliance's current members (not
 * declined or left) that are not already in or invited, best first, with the strongest reason.
 */
export async function suggestStudios(members: { state: string; studio: { slug: string } }[], locale: Locale, take = 8) {
  const { findPeers, localizeReasons } = await import("./peers.server");
  const industries = await listIndustries();
  const inAlliance = new Set(members.filter((m) => m.state === "accepted" || m.state === "invited").map((m) => m.studio.slug));
  const seen = new Map<string, { slug: string; name: string; enterprise: string; reason: string; score: number }>();
  for (const m of members.filter((x) => x.state !== "declined" && x.state !== "left").slice(0, 6)) {
    const peers = await findPeers(m.studio.slug, 6);
    for (const p of peers?.peers ?? []) {
      if (inAlliance.has(p.slug)) continue;
      const prev = seen.get(p.slug);
      if (!prev || prev.score < p.score)
        seen.set(p.slug, {
          slug: p.slug,
          name: p.name,
          enterprise: p.enterprise,
          reason: p.reasons.length ? localizeReasons(p.reasons.slice(0, 1), locale, industries)[0].text : "",
          score: p.score,
        });
    }
  }
  return [...seen.values()].sort((x, y) => y.score - x.score).slice(0, take);
}

/** An alliance's id and name by its slug, for the forms that act on it. */
export function findAlliance(slug: string) {
  return db.alliance.findUnique({ where: { slug }, select: { id: true, slug: true, name: true, createdById: true, dissolvedAt: true } });
}

/** What the alliance's edit form starts from. */
export async function allianceForEdit(slug: string) {
  const a = await db.alliance.findUnique({
    where: { slug },
    select: { id: true, slug: true, name: true, theme: true, industries: true, charter: true, createdById: true, dissolvedAt: true },
  });
  return a && withLists(a, ALLIANCE_LISTS);
}

/** An alliance with its accepted member studios, for proposing a project. */
export function allianceWithMembers(slug: string) {
  return db.alliance.findUnique({ where: { slug }, include: { members: { where: { state: "accepted" }, include: { studio: { include: { enterprise: true } } } } } });
}

export function listAlliances() {
  return db.alliance.findMany({
    orderBy: { createdAt: "desc" },
    include: { members: { where: { state: "accepted" }, include: { studio: { select: { enterpriseId: true } } } }, _count: { select: { projects: true } } },
  });
}

// —— joint projects ——

/** Needs a project may answer: those the user may list, past the draft, not withdrawn. */
export async function needChoices(user: SessionUser) {
  const { listNeedsFor } = await import("./need-loop.server");
  const needs = await listNeedsFor(user, {});
  return needs.filter((n) => n.status !== "draft" && n.status !== "withdrawn").map((n) => ({ slug: n.slug, title: n.title, enterprise: n.enterprise.name, status: n.status }));
}

/** The need by its slug, when the user may link a project to it; null otherwise. */
async function linkableNeed(user: SessionUser, slug: string) {
  if (!slug) return null;
  return (await needChoices(user)).some((n) => n.slug === slug) ? db.need.findUnique({ where: { slug }, select: { id: true } }) : null;
}

export type ProjectOutcome = { ok: true; slug: string } | { ok: false; status: 400; errors: Record<string, string> } | Refused;

export async function createProject(
  alliance: { id: string; slug: string; name: string; dissolvedAt?: Date | null },
  input: { title: string; goals: string; lead: string; partners: string[]; milestones: { title: string; dueOn: string }[]; need?: string },
  user: SessionUser,
  origin: string,
): Promise<ProjectOutcome> {
  if (alliance.dissolvedAt) return refused(409, "refused.allianceDissolved");
  const members = await db.allianceMember.findMany({ where: { allianceId: alliance.id, state: "accepted" }, include: { studio: true } });
  const bySlug = new Map(members.map((m) => [m.studio.slug, m.studio]));
  const lead = bySlug.get(input.lead);
  const partners = input.partners
    .filter((p) => p !== input.lead)
    .map((p) => bySlug.get(p))
    .filter((s): s is NonNullable<typeof s> => Boolean(s));
  if (!lead) return { ok: false, status: 400, errors: { lead: "form.invalid" } };
  const need = input.need ? await linkableNeed(user, input.need) : null;
  if (input.need && !need) return { ok: false, status: 400, errors: { need: "form.invalid" } };
  const slug = await uniqueSlug(slugFromName(input.title), async (s) => Boolean(await db.jointProject.findUnique({ where: { slug: s }, select: { id: true } })));
  const project = await db.$transaction(async (tx) => {
    const p = await tx.jointProject.create({
      data: { slug, allianceId: alliance.id, title: input.title, goals: input.goals, status: "proposed", createdById: user.id, needId: need?.id ?? null },
    });
    await tx.projectParticipant.create({ data: { projectId: p.id, studioId: lead.id, role: "lead" } });
    for (const s of partners) await tx.projectParticipant.create({ data: { projectId: p.id, studioId: s.id, role: "partner" } });
    for (const [i, m] of input.milestones.entries()) await tx.milestone.create({ data: { projectId: p.id, title: m.title, dueOn: m.dueOn, sortOrder: i } });
    await recordActivity(tx, { verb: "project.proposed", subjectType: "project", subjectId: p.id, allianceId: alliance.id, actorId: user.id, summary: p.title });
    return p;
  });
  await notify(
    await studioMemberIds([lead.id, ...partners.map((s) => s.id)]),
    { kind: "project.proposed", params: { alliance: alliance.name, project: project.title }, url: projectUrl(alliance.slug, project.slug) },
    origin,
  );
  return { ok: true, slug: project.slug };
}

export const projectUrl = (allianceSlug: string, projectSlug: string) => `/alliances/${allianceSlug}/projects/${projectSlug}`;

export function getProject(allianceSlug: string, projectSlug: string) {
  return db.jointProject.findFirst({
    where: { slug: projectSlug, alliance: { slug: allianceSlug } },
    include: {
      alliance: true,
      createdBy: { select: { id: true, name: true } },
      need: { select: { id: true, slug: true, title: true, status: true, enterpriseId: true, createdById: true, visibility: true } },
      participants: { include: { studio: { include: { enterprise: true } } } },
      milestones: { orderBy: [{ sortOrder: "asc" }, { dueOn: "asc" }] },
      updates: { orderBy: { createdAt: "desc" }, include: { author: { select: { name: true } } } },
      outcomeResult: { include: { adoptions: { where: CONFIRMED_ADOPTION, include: { enterprise: true } }, studio: true } },
    },
  });
}

/** Joint projects that answer a need, for its page. */
export function projectsForNeed(needId: string) {
  return db.jointProject.findMany({
    where: { needId },
    orderBy: { createdAt: "desc" },
    select: { slug: true, title: true, status: true, alliance: { select: { slug: true, name: true } } },
  });
}

/** Coordinators and admins of the alliance's accepted member studios may propose a joint project. */
export function mayProposeProject(user: SessionUser | null, acceptedMembers: { studioId: string }[]): boolean {
  return isCoordinator(user) || acceptedMembers.some((m) => studioRole(user, m.studioId) === "admin");
}

/** Participants (members of a participating studio) and site admins may change a project. */
export function isParticipant(user: SessionUser | null, participantStudioIds: string[]): boolean {
  if (!user) return false;
  if (user.role === "admin") return true;
  return user.memberships.some((m) => participantStudioIds.includes(m.studioId));
}

type ProjectRef = { createdById: string | null; participants: { studioId: string }[]; alliance: { createdById: string | null; dissolvedAt: Date | null } };

/**
 * Who may update a project: members of its participating studios, whoever proposed it (the
 * coordinator who started it), the alliance's manager and site admins.
 */
export function mayUpdateProject(user: SessionUser | null, p: ProjectRef): boolean {
  if (!user) return false;
  return (
    isParticipant(
      user,
      p.participants.map((x) => x.studioId),
    ) ||
    p.createdById === user.id ||
    mayManageAlliance(user, p.alliance)
  );
}

/** Why this user may not change this project now (403: not theirs; 409: the alliance is dissolved), or null. */
export function projectChangeRefusal(user: SessionUser | null, p: ProjectRef): Refused | null {
  if (!mayUpdateProject(user, p)) return refused(403, "refused.projectUpdater");
  if (p.alliance.dissolvedAt) return refused(409, "refused.allianceDissolved");
  return null;
}

/** Today's date as the milestones' dates are written (YYYY-MM-DD, UTC). */
export const today = (now = new Date()) => now.toISOString().slice(0, 10);

/** A milestone past its date, not done, in a project still under way. */
export function isMilestoneOverdue(m: { dueOn: string; completedAt: Date | null }, projectStatus: string, now = new Date()): boolean {
  return !m.completedAt && (projectStatus === "proposed" || projectStatus === "active") && Boolean(m.dueOn) && m.dueOn < today(now);
}

/** Members of the participating studios and whoever proposed the project: those its news reaches. */
async function projectAudience(p: { createdById: string | null; participants: { studioId: string }[] }) {
  const ids = await studioMemberIds(p.participants.map((x) => x.studioId));
  return p.createdById ? [...ids, p.createdById] : ids;
}

export async function setProjectStatus(projectId: string, to: ProjectStatus, user: SessionUser, origin?: string): Promise<boolean> {
  const p = await db.jointProject.findUniqueOrThrow({ where: { id: projectId }, include: { alliance: true, participants: true } });
  if (!NEXT_STATUS[p.status as ProjectStatus]?.includes(to)) return false;
  const changed = await db.$transaction(async (tx) => {
    const changed = await tx.jointProject.updateMany({ where: { id: projectId, status: p.status }, data: { status: to } });
    if (changed.count !== 1) return false;
    await recordActivity(tx, { verb: `project.${to}`, subjectType: "project", subjectId: projectId, allianceId: p.allianceId, actorId: user.id, summary: p.title });
    return true;
  });
  if (changed && to === "completed") {
    const others = (await projectAudience(p)).filter((id) => id !== user.id);
    await notify(others, { kind: "project.completed", params: { project: p.title, alliance: p.alliance.name }, url: projectUrl(p.alliance.slug, p.slug) }, origin);
  }
  return changed;
}

/** Links the project to the need it answers (an empty slug clears the link). */
export async function setProjectNeed(projectId: string, needSlug: string, user: SessionUser): Promise<boolean> {
  const p = await db.jointProject.findUniqueOrThrow({ where: { id: projectId }, include: { need: { select: { slug: true } } } });
  const need = needSlug ? await linkableNeed(user, needSlug) : null;
  if (needSlug && !need) return false;
  if ((p.need?.slug ?? "") === needSlug) return true;
  await db.$transaction(async (tx) => {
    await tx.jointProject.update({ where: { id: projectId }, data: { needId: need?.id ?? null } });
    await recordActivity(tx, {
      verb: "project.needLinked",
      subjectType: "project",
      subjectId: projectId,
      allianceId: p.allianceId,
      actorId: user.id,
      summary: p.title,
      before: JSON.stringify({ need: p.need?.slug ?? "" }),
      after: JSON.stringify({ need: needSlug }),
    });
  });
  return true;
}

export async function completeMilestone(projectId: string, milestoneId: string, done: boolean, user: SessionUser, origin: string) {
  const m = await db.milestone.findFirst({ where: { id: milestoneId, projectId }, include: { project: { include: { alliance: true, participants: true } } } });
  if (!m) return false;
  await db.$transaction(async (tx) => {
    await tx.milestone.update({ where: { id: m.id }, data: { completedAt: done ? new Date() : null } });
    if (done)
      await recordActivity(tx, {
        verb: "milestone.done",
        subjectType: "project",
        subjectId: projectId,
        allianceId: m.project.allianceId,
        actorId: user.id,
        summary: `${m.project.title} — ${m.title}`,
      });
  });
  if (done) {
    const others = (await projectAudience(m.project)).filter((id) => id !== user.id);
    await notify(others, { kind: "milestone.done", params: { project: m.project.title, milestone: m.title }, url: projectUrl(m.project.alliance.slug, m.project.slug) }, origin);
  }
  return true;
}

export async function addProjectUpdate(projectId: string, text: string, user: SessionUser) {
  const p = await db.jointProject.findUniqueOrThrow({ where: { id: projectId } });
  await db.$transaction(async (tx) => {
    await tx.projectUpdate.create({ data: { projectId, authorId: user.id, text } });
    await recordActivity(tx, { verb: "project.update", subjectType: "project", subjectId: projectId, allianceId: p.allianceId, actorId: user.id, summary: p.title });
  });
}

/** Links the project's outcome to a published result of one of its participating studios. */
export async function setOutcome(projectId: string, resultSlug: string, participantStudioIds: string[]): Promise<boolean> {
  const r = await db.result.findUnique({ where: { slug: resultSlug } });
  if (!r || !r.published || !participantStudioIds.includes(r.studioId)) return false;
  await db.jointProject.update({ where: { id: projectId }, data: { outcomeResultId: r.id } });
  return true;
}

/** How many enterprises reuse a result: adoption records plus adopters named in its content. */
export function reuseCount(adopters: string | string[], adoptions: { enterprise: { name: string } | null }[], ownEnterprise: string): number {
  const names = new Set([...(typeof adopters === "string" ? parseList(adopters) : adopters), ...adoptions.flatMap((a) => (a.enterprise ? [a.enterprise.name] : []))]);
  names.delete(ownEnterprise);
  return names.size;
}

export type CharterState = SerializedState;

/**
 * Tells participants about milestones due within three days, once each. Scheduled work
 * (scheduled-job.server.ts), never called from a request.
 */
export async function notifyDueMilestones(origin?: string, now = new Date()) {
  const soon = new Date(now.getTime() + 3 * 86_400_000).toISOString().slice(0, 10);
  const due = await db.milestone.findMany({
    where: { completedAt: null, dueNotifiedAt: null, dueOn: { lte: soon }, project: { status: { in: ["proposed", "active"] }, alliance: { dissolvedAt: null } } },
    include: { project: { include: { alliance: true, participants: true } } },
  });
  let sent = 0;
  for (const m of due) {
    const users = await studioMemberIds(m.project.participants.map((p) => p.studioId));
    // and whoever proposed the project
    if (m.project.createdById) users.push(m.project.createdById);
    const notice: Notice = {
      kind: "milestone.due",
      params: { due: m.dueOn, project: m.project.title, milestone: m.title },
      url: `/alliances/${m.project.alliance.slug}/projects/${m.project.slug}`,
    };
    // claimed and recorded in one transaction: another server checking at the same moment finds it
    // taken, so nobody hears twice; a server that dies before the commit leaves it unclaimed, so
    // nobody misses it (the mail follows the commit)
    const claimed = await db.$transaction(async (tx) => {
      const c = await tx.milestone.updateMany({ where: { id: m.id, dueNotifiedAt: null }, data: { dueNotifiedAt: now } });
      if (c.count > 0) await recordNotice(tx, users, notice);
      return c.count > 0;
    });
    if (!claimed) continue;
    await mailNotice(users, notice, origin);
    sent++;
  }
  return sent;
}
