import type { MessageKey } from "~/i18n/messages";
import type { SerializedState } from "~/lexical/nodes";
import { isCoordinator, studioRole } from "~/utils/auth.server";
import { db } from "~/utils/db.server";
import { parseList, toList } from "~/utils/json";
import type { SessionUser } from "~/utils/session.server";
import { slugFromName } from "~/utils/slug.server";
import { CONFIRMED_ADOPTION } from "./adoption.server";
import { recordActivity } from "./common.server";
import { notify, studioAdminIds, studioMemberIds } from "./notification.server";

export const MEMBER_STATES = ["invited", "accepted", "declined", "left"] as const;
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
  const alliance = await db.$transaction(async (tx) => {
    const a = await tx.alliance.create({
      data: { slug, name: input.name, theme: input.theme, industries: toList(input.industries), charter: input.charter, charterText: input.charterText, createdById: user.id },
    });
    for (const s of studios) await tx.allianceMember.create({ data: { allianceId: a.id, studioId: s.id, state: "invited" } });
    await recordActivity(tx, { verb: "alliance.created", subjectType: "alliance", subjectId: a.id, allianceId: a.id, actorId: user.id, summary: a.name });
    return a;
  });
  for (const s of studios) {
    await notify(await studioAdminIds(s.id), { kind: "alliance.invited", params: { studio: s.name, alliance: alliance.name }, url: `/alliances/${alliance.slug}` }, origin);
  }
  return alliance;
}

/** What a refused alliance or project change answers: the HTTP status and why, as a message key. */
export type Refused = { ok: false; status: 403 | 409; reason: MessageKey };
const refused = (status: 403 | 409, reason: MessageKey): Refused => ({ ok: false, status, reason });

/** A coordinator invites studios (again, after a decline or a leave); the studios' admins hear of it. */
export async function inviteStudios(allianceId: string, studioSlugs: string[], user: SessionUser, origin: string): Promise<{ ok: true; invited: string[] } | Refused> {
  if (!isCoordinator(user)) return refused(403, "refused.coordinator");
  const alliance = await db.alliance.findUniqueOrThrow({ where: { id: allianceId } });
  const studios = await db.studio.findMany({ where: { slug: { in: studioSlugs } }, select: { id: true, name: true } });
  const invited: { id: string; name: string }[] = [];
  for (const s of studios) {
    const done = await db.$transaction(async (tx) => {
      const existing = await tx.allianceMember.findUnique({ where: { allianceId_studioId: { allianceId, studioId: s.id } } });
      if (existing && (existing.state === "invited" || existing.state === "accepted")) return false;
      await tx.allianceMember.upsert({
        where: { allianceId_studioId: { allianceId, studioId: s.id } },
        create: { allianceId, studioId: s.id, state: "invited" },
        update: { state: "invited", invitedAt: new Date(), respondedAt: null },
      });
      await recordActivity(tx, { verb: "alliance.invited", subjectType: "studio", subjectId: s.id, allianceId, actorId: user.id, summary: s.name });
      return true;
    });
    if (done) invited.push(s);
  }
  for (const s of invited) {
    await notify(await studioAdminIds(s.id), { kind: "alliance.invited", params: { studio: s.name, alliance: alliance.name }, url: `/alliances/${alliance.slug}` }, origin);
  }
  return { ok: true, invited: invited.map((s) => s.name) };
}

/**
 * A studio's admin answers an invitation, or the studio leaves: only that studio's admins, only a
 * studio that was invited, and only from the state the answer starts from.
 */
export async function respond(allianceId: string, studioSlug: string, answer: "accept" | "decline" | "leave", user: SessionUser, origin: string): Promise<{ ok: true } | Refused> {
  const studio = await db.studio.findUnique({ where: { slug: studioSlug }, select: { id: true } });
  if (!studio || studioRole(user, studio.id) !== "admin") return refused(403, "refused.invitedStudioAdmin");
  const studioId = studio.id;
  const m = await db.allianceMember.findUnique({ where: { allianceId_studioId: { allianceId, studioId } }, include: { studio: true, alliance: true } });
  if (!m) return refused(403, "refused.notInvited");
  const from = answer === "leave" ? "accepted" : "invited";
  const to = answer === "accept" ? "accepted" : answer === "decline" ? "declined" : "left";
  const changed = await db.$transaction(async (tx) => {
    const c = await tx.allianceMember.updateMany({ where: { id: m.id, state: from }, data: { state: to, respondedAt: new Date() } });
    if (c.count !== 1) return false;
    await recordActivity(tx, { verb: `alliance.${to}`, subjectType: "studio", subjectId: studioId, studioId, allianceId, actorId: user.id, summary: m.studio.name });
    return true;
  });
  if (!changed) return refused(409, "refused.invitationAnswered");
  if (m.alliance.createdById) {
    await notify(
      [m.alliance.createdById],
      {
        kind: `alliance.${to === "accepted" ? "accepted" : to === "declined" ? "declined" : "left"}`,
        params: { studio: m.studio.name, alliance: m.alliance.name },
        url: `/alliances/${m.alliance.slug}`,
      },
      origin,
    );
  }
  return { ok: true };
}

export function getAlliance(slug: string) {
  return db.alliance.findUnique({
    where: { slug },
    include: {
      createdBy: { select: { id: true, name: true } },
      members: { include: { studio: { include: { enterprise: true, industry: true } } }, orderBy: { invitedAt: "asc" } },
      projects: { include: { participants: { include: { studio: true } }, milestones: true }, orderBy: { createdAt: "desc" } },
      activities: { orderBy: { createdAt: "desc" }, take: 15, include: { actor: { select: { name: true } } } },
    },
  });
}

/**
 * Studios a coordinator might invite next: the best peers of the alliance's current members (not
 * declined or left) that are not already in or invited, best first, with the strongest reason.
 */
export async function suggestStudios(members: { state: string; studio: { slug: string } }[], take = 8) {
  const { findPeers } = await import("./peers.server");
  const inAlliance = new Set(members.filter((m) => m.state === "accepted" || m.state === "invited").map((m) => m.studio.slug));
  const seen = new Map<string, { slug: string; name: string; enterprise: string; reason: string; score: number }>();
  for (const m of members.filter((x) => x.state !== "declined" && x.state !== "left").slice(0, 6)) {
    const peers = await findPeers(m.studio.slug, 6);
    for (const p of peers?.peers ?? []) {
      if (inAlliance.has(p.slug)) continue;
      const prev = seen.get(p.slug);
      if (!prev || prev.score < p.score) seen.set(p.slug, { slug: p.slug, name: p.name, enterprise: p.enterprise, reason: p.reasons[0]?.text ?? "", score: p.score });
    }
  }
  return [...seen.values()].sort((x, y) => y.score - x.score).slice(0, take);
}

/** An alliance's id and name by its slug, for the forms that act on it. */
export function findAlliance(slug: string) {
  return db.alliance.findUnique({ where: { slug }, select: { id: true, slug: true, name: true } });
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

export async function createProject(
  alliance: { id: string; slug: string; name: string },
  input: { title: string; goals: string; lead: string; partners: string[]; milestones: { title: string; dueOn: string }[] },
  user: SessionUser,
  origin: string,
) {
  const members = await db.allianceMember.findMany({ where: { allianceId: alliance.id, state: "accepted" }, include: { studio: true } });
  const bySlug = new Map(members.map((m) => [m.studio.slug, m.studio]));
  const lead = bySlug.get(input.lead);
  const partners = input.partners
    .filter((p) => p !== input.lead)
    .map((p) => bySlug.get(p))
    .filter((s): s is NonNullable<typeof s> => Boolean(s));
  if (!lead) return null;
  const slug = await uniqueSlug(slugFromName(input.title), async (s) => Boolean(await db.jointProject.findUnique({ where: { slug: s }, select: { id: true } })));
  const project = await db.$transaction(async (tx) => {
    const p = await tx.jointProject.create({ data: { slug, allianceId: alliance.id, title: input.title, goals: input.goals, status: "proposed" } });
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
  return project;
}

export const projectUrl = (allianceSlug: string, projectSlug: string) => `/alliances/${allianceSlug}/projects/${projectSlug}`;

export function getProject(allianceSlug: string, projectSlug: string) {
  return db.jointProject.findFirst({
    where: { slug: projectSlug, alliance: { slug: allianceSlug } },
    include: {
      alliance: true,
      participants: { include: { studio: { include: { enterprise: true } } } },
      milestones: { orderBy: [{ sortOrder: "asc" }, { dueOn: "asc" }] },
      updates: { orderBy: { createdAt: "desc" }, include: { author: { select: { name: true } } } },
      outcomeResult: { include: { adoptions: { where: CONFIRMED_ADOPTION, include: { enterprise: true } }, studio: true } },
    },
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

export async function setProjectStatus(projectId: string, to: ProjectStatus, user: SessionUser): Promise<boolean> {
  const p = await db.jointProject.findUniqueOrThrow({ where: { id: projectId } });
  if (!NEXT_STATUS[p.status as ProjectStatus]?.includes(to)) return false;
  return db.$transaction(async (tx) => {
    const changed = await tx.jointProject.updateMany({ where: { id: projectId, status: p.status }, data: { status: to } });
    if (changed.count !== 1) return false;
    await recordActivity(tx, { verb: `project.${to}`, subjectType: "project", subjectId: projectId, allianceId: p.allianceId, actorId: user.id, summary: p.title });
    return true;
  });
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
    const others = (await studioMemberIds(m.project.participants.map((p) => p.studioId))).filter((id) => id !== user.id);
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
export function reuseCount(adopters: string, adoptions: { enterprise: { name: string } | null }[], ownEnterprise: string): number {
  const names = new Set([...parseList(adopters), ...adoptions.flatMap((a) => (a.enterprise ? [a.enterprise.name] : []))]);
  names.delete(ownEnterprise);
  return names.size;
}

export type CharterState = SerializedState;
