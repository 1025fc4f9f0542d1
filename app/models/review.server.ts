import type { MessageKey } from "~/i18n/messages";
import { db, type Tx } from "~/utils/db.server";
import { parseList } from "~/utils/json";
import { recordActivity } from "./common.server";
import { notify } from "./notification.server";
import type { PatentInput } from "./patent.server";
import { savePatent, setPatentReview } from "./patent.server";
import type { ResultInput } from "./result.server";
import { saveResult, setResultReview } from "./result.server";
import { applyApprovedNeedChange, setNeedReview } from "./need.server";
import { getSiteSettings } from "./site-setting.server";

// 审核 — while the site setting `review` is on, a new or changed public result, patent or need
// waits for a coordinator. A new one is written with `review: "pending"`, which the visibility rule
// (./result-visibility.ts, and need-loop.server.ts for needs) shows only to its own studio (or
// enterprise) and to coordinators. A change leaves the published record as it is: the change waits
// in a ReviewItem and is applied when approved. Coordinators' and site admins' own saves are not held.

export type ReviewSubject = "result" | "patent" | "need";

export async function reviewIsOn(): Promise<boolean> {
  return (await getSiteSettings()).review === "on";
}

const isReviewer = (actor: { role: string } | null) => actor?.role === "coordinator" || actor?.role === "admin";

/** Whether a save by `actorId` of something that will be public waits for review now. */
export async function holdsSave(actorId: string | null | undefined, willBePublic: boolean): Promise<boolean> {
  if (!willBePublic || !actorId || !(await reviewIsOn())) return false;
  const actor = await db.user.findUnique({ where: { id: actorId }, select: { role: true } });
  return !isReviewer(actor);
}

/** What approving a change applies. */
export type ChangePayload =
  { type: "result"; input: ResultInput; visibility: "public" | "alliance" } | { type: "patent"; input: PatentInput } | { type: "need"; data: Record<string, string> };

interface Submission {
  subjectType: ReviewSubject;
  subjectId: string;
  studioId?: string | null;
  enterpriseId?: string | null;
  kind: "new" | "change";
  title: string;
  payload?: ChangePayload;
  values?: Record<string, unknown>;
  submittedById: string;
}

/** Puts a submission in the queue (replacing an earlier one of the same record still waiting), with its activity row. */
export async function submitForReview(tx: Tx, s: Submission) {
  await tx.reviewItem.updateMany({ where: { subjectType: s.subjectType, subjectId: s.subjectId, status: "pending" }, data: { status: "superseded" } });
  const item = await tx.reviewItem.create({
    data: {
      subjectType: s.subjectType,
      subjectId: s.subjectId,
      studioId: s.studioId ?? null,
      enterpriseId: s.enterpriseId ?? null,
      kind: s.kind,
      title: s.title,
      payload: JSON.stringify(s.payload ?? {}),
      values: JSON.stringify(s.values ?? {}),
      submittedById: s.submittedById,
    },
  });
  // not in the studio's public feed: the title of a change is not public until approved
  await recordActivity(tx, { verb: "review.submitted", subjectType: s.subjectType, subjectId: s.subjectId, actorId: s.submittedById, summary: s.title });
  return item;
}

/**
 * A save that was not held: whatever of the same record still waits would undo it when approved,
 * and a returned submission is no longer what the page should say (the activity log keeps both).
 */
export async function supersedeReviews(tx: Tx, subjectType: ReviewSubject, subjectId: string) {
  await tx.reviewItem.updateMany({ where: { subjectType, subjectId, status: { in: ["pending", "returned"] } }, data: { status: "superseded" } });
}

/** Coordinators hear that something waits for them (after the submission's transaction). */
export async function notifyReviewers(item: { subjectType: string; title: string }, origin?: string) {
  const reviewers = await db.user.findMany({ where: { role: "coordinator", disabledAt: null }, select: { id: true } });
  await notify(
    reviewers.map((u) => u.id),
    { kind: "review.submitted", params: { title: item.title, type: item.subjectType }, url: "/review" },
    origin,
  );
}

const pathOf = (type: string, slug: string) => `/${type}s/${slug}`;

/** The fields a change is shown by in the queue, in order. */
export const REVIEW_FIELDS = [
  "title",
  "number",
  "kind",
  "industry",
  "status",
  "tags",
  "benefits",
  "adopters",
  "year",
  "awards",
  "filed",
  "granted",
  "district",
  "timeframe",
  "visibility",
  "body",
] as const;
export type ReviewField = (typeof REVIEW_FIELDS)[number];

const shown = (v: unknown): string => {
  const text = Array.isArray(v) ? v.join("、") : v === null || v === undefined ? "" : String(v);
  return text.length > 160 ? `${text.slice(0, 160)}…` : text;
};

/** What a waiting change would change: field, published value, proposed value — for the coordinator deciding it. */
async function changesOf(type: string, id: string, payloadJson: string): Promise<{ field: ReviewField; before: string; after: string }[]> {
  const payload = JSON.parse(payloadJson) as ChangePayload;
  let before: Partial<Record<ReviewField, unknown>> = {};
  let after: Partial<Record<ReviewField, unknown>> = {};
  if (type === "result" && payload.type === "result") {
    const r = await db.result.findUnique({ where: { id } });
    if (!r) return [];
    const d = payload.input.data;
    before = {
      title: r.title,
      kind: r.kind,
      industry: r.industryKey,
      status: r.status,
      tags: parseList(r.tags),
      benefits: parseList(r.benefits),
      adopters: parseList(r.adopters),
      year: r.year,
      awards: parseList(r.awards),
      visibility: r.visibility,
      body: r.bodyText,
    };
    after = {
      title: d.title,
      kind: d.kind,
      industry: d.industry,
      status: d.status,
      tags: d.tags,
      benefits: d.benefits,
      adopters: d.adopters,
      year: d.year,
      awards: d.awards,
      visibility: payload.visibility,
      body: payload.input.bodyText,
    };
  } else if (type === "patent" && payload.type === "patent") {
    const p = await db.patent.findUnique({ where: { id } });
    if (!p) return [];
    const d = payload.input.data;
    before = { title: p.title, number: p.number, kind: p.kind, status: p.status, filed: p.filedOn, granted: p.grantedOn, body: p.bodyText };
    after = { title: d.title, number: d.number, kind: d.kind, status: d.status, filed: d.filed, granted: d.granted ?? null, body: payload.input.bodyText };
  } else if (type === "need" && payload.type === "need") {
    const n = await db.need.findUnique({ where: { id } });
    if (!n) return [];
    const d = payload.data;
    before = { title: n.title, industry: n.industryKey, tags: parseList(n.tags), district: n.district, timeframe: n.timeframe, visibility: n.visibility, body: n.bodyText };
    after = { title: d.title, industry: d.industryKey, tags: parseList(d.tags), district: d.district, timeframe: d.timeframe, visibility: d.visibility, body: d.bodyText };
  }
  return REVIEW_FIELDS.filter((f) => f in after && shown(before[f]) !== shown(after[f])).map((f) => ({ field: f, before: shown(before[f]), after: shown(after[f]) }));
}

async function subjectOf(type: string, id: string): Promise<{ slug: string; title: string } | null> {
  if (type === "result") return db.result.findUnique({ where: { id }, select: { slug: true, title: true } });
  if (type === "patent") return db.patent.findUnique({ where: { id }, select: { slug: true, title: true } });
  return db.need.findUnique({ where: { id }, select: { slug: true, title: true } });
}

/** The items waiting for a coordinator, oldest first, with where they live. */
export async function pendingReviews() {
  const items = await db.reviewItem.findMany({
    where: { status: "pending" },
    orderBy: { createdAt: "asc" },
    include: { submittedBy: { select: { name: true } } },
  });
  const studios = await db.studio.findMany({ where: { id: { in: items.flatMap((i) => (i.studioId ? [i.studioId] : [])) } }, select: { id: true, name: true } });
  const enterprises = await db.enterprise.findMany({ where: { id: { in: items.flatMap((i) => (i.enterpriseId ? [i.enterpriseId] : [])) } }, select: { id: true, name: true } });
  const out = [];
  for (const i of items) {
    const subject = await subjectOf(i.subjectType, i.subjectId);
    if (!subject) continue;
    out.push({
      id: i.id,
      type: i.subjectType as ReviewSubject,
      kind: i.kind as "new" | "change",
      title: i.title,
      url: pathOf(i.subjectType, subject.slug),
      owner: studios.find((s) => s.id === i.studioId)?.name ?? enterprises.find((e) => e.id === i.enterpriseId)?.name ?? "",
      changes: i.kind === "change" ? await changesOf(i.subjectType, i.subjectId, i.payload) : [],
      submittedBy: i.submittedBy?.name ?? null,
      createdAt: i.createdAt.toISOString(),
    });
  }
  return out;
}

/** The newest submission of a record that is waiting or was returned, for its page and editor; null when none. */
export async function reviewStateOf(subjectType: ReviewSubject, subjectId: string) {
  const item = await db.reviewItem.findFirst({ where: { subjectType, subjectId, status: { in: ["pending", "returned", "approved"] } }, orderBy: { createdAt: "desc" } });
  if (!item || item.status === "approved") return null;
  return {
    status: item.status as "pending" | "returned",
    kind: item.kind as "new" | "change",
    reason: item.reason,
    title: item.title,
    values: parseValues(item.values),
    at: item.createdAt,
  };
}

/** The part of a review state a page shows (no form values). */
export function reviewBadge(state: Awaited<ReturnType<typeof reviewStateOf>>) {
  return state ? { status: state.status, kind: state.kind, reason: state.reason } : null;
}

/** The form a change waiting (or returned) was sent with, when it is newer than the editor's autosaved draft. */
export async function submittedValues(subjectType: ReviewSubject, subjectId: string, draftAt: Date | null) {
  const state = await reviewStateOf(subjectType, subjectId);
  return state && state.kind === "change" && (!draftAt || state.at > draftAt) ? state.values : null;
}

function parseValues(json: string): Record<string, string | string[]> {
  try {
    const v = JSON.parse(json);
    return v && typeof v === "object" ? v : {};
  } catch {
    return {};
  }
}

export type DecideOutcome = { ok: true } | { ok: false; status: 400 | 403 | 404 | 409; reason: MessageKey; field?: string };

/**
 * A coordinator approves a submission (a new record goes live; a change is applied) or returns it
 * with a reason. The record, the item and the activity row change in one transaction; the
 * submitter hears either way.
 */
export async function decideReview(actor: { id: string; role: string }, id: string, decision: "approve" | "return", reason: string, origin?: string): Promise<DecideOutcome> {
  if (!isReviewer(actor)) return { ok: false, status: 403, reason: "refused.coordinator" };
  const why = reason.trim().slice(0, 1000);
  if (decision === "return" && !why) return { ok: false, status: 400, reason: "review.error.reasonRequired", field: "reason" };
  const out = await db.$transaction(
    async (tx): Promise<DecideOutcome | { ok: true; item: { submittedById: string | null; subjectType: string; subjectId: string; title: string } }> => {
      const item = await tx.reviewItem.findUnique({ where: { id } });
      if (!item) return { ok: false, status: 404, reason: "review.error.notFound" };
      if (item.submittedById === actor.id) return { ok: false, status: 403, reason: "review.error.own" };
      // claimed first: a second decision (another coordinator at the same moment) finds it taken
      const claimed = await tx.reviewItem.updateMany({
        where: { id, status: "pending" },
        data: { status: decision === "approve" ? "approved" : "returned", reason: why, decidedById: actor.id, decidedAt: new Date() },
      });
      if (claimed.count !== 1) return { ok: false, status: 409, reason: "review.error.decided" };
      if (decision === "approve") await applyApproval(tx, item, actor.id);
      else if (item.kind === "new") await setReviewState(tx, item.subjectType as ReviewSubject, item.subjectId, "returned");
      await recordActivity(tx, {
        verb: decision === "approve" ? "review.approved" : "review.returned",
        subjectType: item.subjectType,
        subjectId: item.subjectId,
        actorId: actor.id,
        summary: item.title,
        ...(why ? { after: JSON.stringify({ reason: why }) } : {}),
      });
      return { ok: true, item };
    },
  );
  if (!out.ok) return out;
  if ("item" in out && out.item.submittedById) {
    const subject = await subjectOf(out.item.subjectType, out.item.subjectId);
    await notify(
      [out.item.submittedById],
      {
        kind: decision === "approve" ? "review.approved" : "review.returned",
        params: { title: out.item.title, reason: why },
        url: subject ? pathOf(out.item.subjectType, subject.slug) : "/",
      },
      origin,
    );
  }
  return { ok: true };
}

function setReviewState(tx: Tx, type: ReviewSubject, id: string, review: "pending" | "returned" | null) {
  return type === "result" ? setResultReview(tx, id, review) : type === "patent" ? setPatentReview(tx, id, review) : setNeedReview(tx, id, review);
}

async function applyApproval(
  tx: Tx,
  item: { kind: string; subjectType: string; subjectId: string; payload: string; submittedById: string | null; studioId: string | null },
  deciderId: string,
) {
  const type = item.subjectType as ReviewSubject;
  if (item.kind === "new") {
    const rec = await setReviewState(tx, type, item.subjectId, null);
    const verb = type === "result" ? "result.published" : type === "patent" ? "patent.created" : "need.posted";
    await recordActivity(tx, { verb, subjectType: type, subjectId: item.subjectId, studioId: item.studioId, actorId: item.submittedById ?? deciderId, summary: rec.title });
    return;
  }
  const payload = JSON.parse(item.payload) as ChangePayload;
  if (payload.type === "result") await saveResult(tx, payload.input, { actorId: item.submittedById, visibility: payload.visibility, review: null });
  else if (payload.type === "patent") await savePatent(tx, payload.input, { actorId: item.submittedById, review: null });
  else await applyApprovedNeedChange(tx, item.subjectId, payload.data, item.submittedById);
}
