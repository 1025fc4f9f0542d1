import { recordActivity } from "./common.server";
import { z } from "zod";
import { LEVELS } from "~/content/enums";
import type { MessageKey } from "~/i18n/messages";
import { db, type Tx } from "~/utils/db.server";
import { parseForm, type FieldErrors } from "~/utils/forms.server";
import { parseList, toList } from "~/utils/json";
import { safeString } from "~/utils/text-safety";
import { notify, studioAdminIds } from "./notification.server";
import { saveStudio } from "./studio.server";
import { storeUpload } from "./upload.server";

// 认定 — a studio's level and official honours are set by coordinators and site admins only. A
// studio admin asks for a change with evidence (and an optional scanned document); the request waits
// until a coordinator approves it (the change is applied in the same transaction, with its activity
// row) or returns it with a reason. The only write path for RecognitionRequest.

export interface RecognitionActor {
  id: string;
  role: string;
  memberships: { studioId: string; role: string }[];
}

const recognises = (actor: { role: string }) => actor.role === "coordinator" || actor.role === "admin";
const adminOf = (actor: RecognitionActor, studioId: string) => actor.role === "admin" || actor.memberships.some((m) => m.studioId === studioId && m.role === "admin");

const lines = safeString()
  .max(10000, "form.tooLong")
  .optional()
  .default("")
  .transform((s) => [
    ...new Set(
      s
        .split(/\n+/)
        .map((x) => x.trim())
        .filter(Boolean),
    ),
  ])
  .pipe(z.array(z.string().max(200, "form.tooLong")).max(30, "form.tooMany"));

export const RecognitionSchema = z.object({
  level: z.enum(LEVELS, "form.invalid"),
  honours: lines,
  evidence: safeString().trim().min(1, "form.required").max(2000, "form.tooLong"),
});

export const RecognitionSetSchema = RecognitionSchema.extend({ evidence: safeString().trim().max(2000, "form.tooLong").optional().default("") });

export type RecognitionOutcome = { ok: true; id?: string } | { ok: false; status: 400 | 403 | 404 | 409; errors: FieldErrors; values: Record<string, string> };

const refused = (status: 403 | 404 | 409, key: MessageKey, values: Record<string, string> = {}): RecognitionOutcome => ({ ok: false, status, errors: { _form: key }, values });

/** A studio admin asks for a new level and/or honours, with evidence; nothing about the studio changes yet. */
export async function requestRecognition(actor: RecognitionActor, studioSlug: string, form: FormData, origin?: string): Promise<RecognitionOutcome> {
  const studio = await db.studio.findUnique({ where: { slug: studioSlug } });
  if (!studio) return refused(404, "recognition.error.notFound");
  if (!adminOf(actor, studio.id)) return refused(403, "refused.studioAdmin");
  const parsed = parseForm(RecognitionSchema, form);
  if (!parsed.ok) return { ok: false, status: 400, errors: parsed.errors, values: parsed.values };
  const { data, values } = parsed;
  if (data.level === studio.level && toList(data.honours) === toList(parseList(studio.honours))) {
    return { ok: false, status: 400, errors: { level: "recognition.error.unchanged" }, values };
  }
  if (await db.recognitionRequest.findFirst({ where: { studioId: studio.id, status: "pending" }, select: { id: true } })) {
    return { ok: false, status: 409, errors: { _form: "recognition.error.pending" }, values };
  }
  let attachment: string | null = null;
  const file = form.get("attachment");
  if (file instanceof File && file.size > 0) {
    const stored = await storeUpload(actor.id, new Uint8Array(await file.arrayBuffer()));
    if (!stored.ok) return { ok: false, status: 400, errors: { attachment: stored.message }, values };
    attachment = stored.src;
  }
  const request = await db.$transaction(async (tx) => {
    // checked again inside the write: two admins sending at once leave one request
    if (await tx.recognitionRequest.findFirst({ where: { studioId: studio.id, status: "pending" }, select: { id: true } })) return null;
    const r = await tx.recognitionRequest.create({
      data: { studioId: studio.id, level: data.level, honours: toList(data.honours), evidence: data.evidence, attachment, requestedById: actor.id },
    });
    await recordActivity(tx, {
      verb: "recognition.requested",
      subjectType: "recognitionRequest",
      subjectId: r.id,
      studioId: studio.id,
      actorId: actor.id,
      summary: studio.name,
      before: JSON.stringify({ level: studio.level, honours: parseList(studio.honours) }),
      after: JSON.stringify({ level: data.level, honours: data.honours }),
    });
    return r;
  });
  if (!request) return { ok: false, status: 409, errors: { _form: "recognition.error.pending" }, values };
  const reviewers = await db.user.findMany({ where: { role: "coordinator", disabledAt: null }, select: { id: true } });
  await notify(
    reviewers.map((u) => u.id),
    { kind: "recognition.requested", params: { studio: studio.name }, url: "/review" },
    origin,
  );
  return { ok: true, id: request.id };
}

/** Writes a studio's level and honours through the studio's own write path (revision, search, activity). */
async function applyRecognition(tx: Tx, studioId: string, level: string, honours: string[], actorId: string) {
  const s = await tx.studio.findUniqueOrThrow({ where: { id: studioId }, include: { enterprise: true, people: { orderBy: { sortOrder: "asc" } } } });
  const leader = s.people.find((p) => p.role === "leader");
  await saveStudio(
    tx,
    {
      slug: s.slug,
      body: s.body,
      bodyText: s.bodyText,
      data: {
        name: s.name,
        enterprise: s.enterprise.name,
        leader: leader?.name ?? "",
        leader_honours: leader ? parseList(leader.honours) : [],
        members: s.people.filter((p) => p.role === "member").map((p) => p.name),
        level: level as (typeof LEVELS)[number],
        industry: s.industryKey,
        sector: s.sector as never,
        specialties: parseList(s.specialties),
        founded: s.founded,
        honours,
        needs: parseList(s.skillNeeds),
        illustrative: s.illustrative,
      },
    },
    { actorId },
  );
  return s;
}

/** A coordinator or site admin sets a studio's level and honours directly (logged, before → after). */
export async function setRecognition(actor: { id: string; role: string }, studioSlug: string, form: FormData): Promise<RecognitionOutcome> {
  if (!recognises(actor)) return refused(403, "refused.coordinator");
  const studio = await db.studio.findUnique({ where: { slug: studioSlug } });
  if (!studio) return refused(404, "recognition.error.notFound");
  const parsed = parseForm(RecognitionSetSchema, form);
  if (!parsed.ok) return { ok: false, status: 400, errors: parsed.errors, values: parsed.values };
  const { data } = parsed;
  await db.$transaction(async (tx) => {
    await applyRecognition(tx, studio.id, data.level, data.honours, actor.id);
    await recordActivity(tx, {
      verb: "recognition.set",
      subjectType: "studio",
      subjectId: studio.id,
      studioId: studio.id,
      actorId: actor.id,
      summary: studio.name,
      before: JSON.stringify({ level: studio.level, honours: parseList(studio.honours) }),
      after: JSON.stringify({ level: data.level, honours: data.honours }),
    });
  });
  return { ok: true };
}

export type RecognitionDecision = { ok: true } | { ok: false; status: 400 | 403 | 404 | 409; reason: MessageKey; field?: string };

/** A coordinator approves a request (the studio changes in the same transaction) or returns it with a reason. */
export async function decideRecognition(
  actor: { id: string; role: string },
  id: string,
  decision: "approve" | "return",
  reason: string,
  origin?: string,
): Promise<RecognitionDecision> {
  if (!recognises(actor)) return { ok: false, status: 403, reason: "refused.coordinator" };
  const why = reason.trim().slice(0, 1000);
  if (decision === "return" && !why) return { ok: false, status: 400, reason: "review.error.reasonRequired", field: "reason" };
  const out = await db.$transaction(async (tx): Promise<RecognitionDecision | { ok: true; studio: { id: string; name: string; slug: string }; requestedById: string | null }> => {
    const r = await tx.recognitionRequest.findUnique({ where: { id }, include: { studio: true } });
    if (!r) return { ok: false, status: 404, reason: "recognition.error.notFound" };
    if (r.requestedById === actor.id) return { ok: false, status: 403, reason: "recognition.error.own" };
    const claimed = await tx.recognitionRequest.updateMany({
      where: { id, status: "pending" },
      data: { status: decision === "approve" ? "approved" : "returned", reason: why, decidedById: actor.id, decidedAt: new Date() },
    });
    if (claimed.count !== 1) return { ok: false, status: 409, reason: "recognition.error.decided" };
    if (decision === "approve") await applyRecognition(tx, r.studioId, r.level, parseList(r.honours), actor.id);
    await recordActivity(tx, {
      verb: decision === "approve" ? "recognition.approved" : "recognition.returned",
      subjectType: "recognitionRequest",
      subjectId: r.id,
      studioId: r.studioId,
      actorId: actor.id,
      summary: r.studio.name,
      before: JSON.stringify({ level: r.studio.level, honours: parseList(r.studio.honours) }),
      after: JSON.stringify(decision === "approve" ? { level: r.level, honours: parseList(r.honours) } : { reason: why }),
    });
    return { ok: true, studio: r.studio, requestedById: r.requestedById };
  });
  if (!out.ok || !("studio" in out)) return out;
  const told = new Set(await studioAdminIds(out.studio.id));
  if (out.requestedById) told.add(out.requestedById);
  await notify(
    told,
    {
      kind: decision === "approve" ? "recognition.approved" : "recognition.returned",
      params: { studio: out.studio.name, reason: why },
      url: `/studios/${out.studio.slug}/recognition`,
    },
    origin,
  );
  return { ok: true };
}

/** The requests waiting for a coordinator, oldest first. */
export async function pendingRecognitions() {
  const rows = await db.recognitionRequest.findMany({
    where: { status: "pending" },
    orderBy: { createdAt: "asc" },
    include: { studio: { select: { slug: true, name: true, level: true, honours: true } }, requestedBy: { select: { name: true } } },
  });
  return rows.map((r) => ({
    id: r.id,
    studio: { slug: r.studio.slug, name: r.studio.name, level: r.studio.level, honours: parseList(r.studio.honours) },
    level: r.level,
    honours: parseList(r.honours),
    evidence: r.evidence,
    attachment: r.attachment,
    requestedBy: r.requestedBy?.name ?? null,
    createdAt: r.createdAt.toISOString(),
  }));
}

/** A studio's requests, newest first, for its recognition page. */
export async function studioRecognitions(studioId: string) {
  const rows = await db.recognitionRequest.findMany({ where: { studioId }, orderBy: { createdAt: "desc" }, take: 20, include: { requestedBy: { select: { name: true } } } });
  return rows.map((r) => ({
    id: r.id,
    level: r.level,
    honours: parseList(r.honours),
    evidence: r.evidence,
    attachment: r.attachment,
    status: r.status as "pending" | "approved" | "returned",
    reason: r.reason,
    requestedBy: r.requestedBy?.name ?? null,
    createdAt: r.createdAt.toISOString(),
  }));
}
