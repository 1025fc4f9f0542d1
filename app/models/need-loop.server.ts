import { z } from "zod";
import { DISPATCH_STATES, NEED_STATUSES } from "~/content/enums";
import { checkPostedBody } from "~/lexical/posted.server";
import { isCoordinator } from "~/utils/auth.server";
import { db, type Prisma, type Tx } from "~/utils/db.server";
import { parseForm, type FieldErrors } from "~/utils/forms.server";
import { safeString } from "~/utils/text-safety";
import { NEED_LISTS, parseList, toList, withLists } from "~/utils/json";
import { pageWindow, type Paging } from "~/utils/paging";
import { slugFromName } from "~/utils/slug.server";
import { indexRecord } from "./search/sync.server";
import { recordActivity } from "./common.server";
import { coordinatorIds, notify, studioAdminIds } from "./notification.server";
import { holdsSave, notifyReviewers, submitForReview } from "./review.server";
import { attachmentsByFile, ownAttachments } from "./upload.server";

/** A delivery's attachment, by the file name the upload model gave it. */
const ATTACHMENT_FILE = /^[A-Za-z0-9_-]{8,40}\.(png|jpg|gif|webp|pdf)$/;

// 点单 → 配送 → 送技: the life of an enterprise need. Every change of a need's status goes through
// `transition` below, which checks who may take the step and from which status, and writes the
// status, the timeline event, the activity row and the search document in one transaction.

export type NeedStatus = (typeof NEED_STATUSES)[number];
export type DispatchState = (typeof DISPATCH_STATES)[number];

/** Statuses in which a need is waiting for someone; more than OVERDUE_DAYS there is overdue. */
const WAITING: readonly NeedStatus[] = ["open", "dispatched", "accepted", "delivered"];
export const OVERDUE_DAYS = 7;

type Who = "requester" | "coordinator" | "dispatched-studio";
/** The steps of the loop: who takes each, and the statuses it may start from. */
export const STEPS = {
  submit: { who: "requester", from: ["draft"] },
  edit: { who: "requester", from: ["draft", "open"] },
  withdraw: { who: "requester", from: ["draft", "open", "dispatched", "accepted"] },
  dispatch: { who: "coordinator", from: ["open", "dispatched", "accepted"] },
  accept: { who: "dispatched-studio", from: ["dispatched", "accepted"] },
  decline: { who: "dispatched-studio", from: ["dispatched", "accepted"] },
  deliver: { who: "dispatched-studio", from: ["accepted"] },
  confirm: { who: "requester", from: ["delivered"] },
} as const satisfies Record<string, { who: Who; from: readonly NeedStatus[] }>;
export type NeedStep = keyof typeof STEPS;

/** What a step's caller gets back: the need's slug, or an error as a message key. */
export type StepOutcome = { ok: true; slug: string; held?: boolean } | { ok: false; status: 400 | 403 | 404 | 409; errors: FieldErrors; values: Record<string, string> };

export interface NeedActor {
  id: string;
  role: string;
  memberships: { studioId: string; role: string }[];
}

/** The enterprise a user speaks for: a confirmed enterprise contact's enterprise id, or null. */
export async function contactEnterpriseId(userId: string): Promise<string | null> {
  const c = await db.enterpriseContact.findUnique({ where: { userId }, select: { enterpriseId: true, status: true } });
  return c?.status === "confirmed" ? c.enterpriseId : null;
}

type NeedRow = { id: string; enterpriseId: string; createdById: string | null; status: string; visibility: string; review?: string | null };

/** The requester: whoever posted the need, or a confirmed contact of its enterprise. */
async function isRequester(actor: NeedActor | null, need: NeedRow): Promise<boolean> {
  if (!actor) return false;
  if (need.createdById === actor.id) return true;
  return (await contactEnterpriseId(actor.id)) === need.enterpriseId;
}

/** Whether the actor answers for the studio: its admins, and site admins. */
function adminOf(actor: NeedActor | null, studioId: string): boolean {
  if (!actor) return false;
  if (actor.role === "admin") return true;
  return actor.memberships.some((m) => m.studioId === studioId && m.role === "admin");
}

type NeedAccess = { access: "none" | "public" | "full"; requester: boolean };

/**
 * What a viewer may see of a need: nothing (drafts of others, union-only needs for outsiders), the
 * public page, or the page with contact details — and whether the viewer is its requester. The one
 * rule every read of a need goes through.
 */
async function accessTo(viewer: NeedActor | null, need: NeedRow & { dispatches?: { studioId: string; state: string }[] }): Promise<NeedAccess> {
  const requester = await isRequester(viewer, need);
  if (requester || (isCoordinator(viewer) && need.status !== "draft")) return { access: "full", requester };
  if (need.status === "draft") return { access: "none", requester };
  const dispatched = (need.dispatches ?? (await db.needDispatch.findMany({ where: { needId: need.id }, select: { studioId: true, state: true } }))).some((d) =>
    viewer?.memberships.some((m) => m.studioId === d.studioId),
  );
  if (dispatched) return { access: "full", requester };
  // a new need waiting for review (审核, review.server.ts) is its enterprise's and the coordinators' only
  return { access: need.visibility !== "public" || need.status === "withdrawn" || (need.review ?? null) !== null ? "none" : "public", requester };
}

export async function needAccess(viewer: NeedActor | null, need: NeedRow & { dispatches?: { studioId: string; state: string }[] }) {
  return (await accessTo(viewer, need)).access;
}

/** The Prisma filter for needs anyone may list: submitted, public, not withdrawn. */
export const PUBLIC_NEEDS: Prisma.NeedWhereInput = { status: { notIn: ["draft", "withdrawn"] }, visibility: "public", review: null };

export function isOverdue(need: { status: string; statusAt: Date }, now = new Date()): boolean {
  return (WAITING as readonly string[]).includes(need.status) && now.getTime() - need.statusAt.getTime() > OVERDUE_DAYS * 86_400_000;
}

// ── forms ────────────────────────────────────────────────────────────────────────────────────────

const line = (max: number) => safeString().trim().max(max, "form.tooLong");
const required = (max: number) => line(max).pipe(z.string().min(1, "form.required"));
/** A need's skills wanted, typed as a list (the need form and an enquiry turned into a need). */
export const tagList = z
  .string()
  .max(2000, "form.tooLong")
  .optional()
  .default("")
  .transform((s) => [
    ...new Set(
      s
        .split(/[\n,，、;；]+/)
        .map((x) => x.trim())
        .filter(Boolean),
    ),
  ])
  .pipe(z.array(z.string().max(20, "form.tooLong")).min(1, "need.form.tagsRequired").max(10, "form.tooMany"));

export const NeedFormSchema = z.object({
  title: required(120),
  industry: z.string().regex(/^[a-z0-9][a-z0-9-]{0,79}$/, "form.invalid"),
  tags: tagList,
  district: line(40).optional().default(""),
  timeframe: line(60).optional().default(""),
  contactName: required(40),
  contactPhone: z
    .string()
    .trim()
    .regex(/^[0-9+\-() ]{5,20}$/, "need.form.phone"),
  visibility: z.enum(["public", "union"], "form.invalid"),
  intent: z.enum(["draft", "submit"], "form.invalid"),
  version: z.coerce.number().int().min(0).optional().default(0),
});

const DispatchSchema = z.object({
  studios: z
    .array(z.string().regex(/^[a-z0-9][a-z0-9-]{0,79}$/, "form.invalid"))
    .min(1, "need.dispatch.pickStudio")
    .max(10, "form.tooMany"),
  note: line(500).optional().default(""),
  version: z.coerce.number().int().min(0),
});
const AcceptSchema = z.object({
  studio: z.string().regex(/^[a-z0-9][a-z0-9-]{0,79}$/, "form.invalid"),
  visitDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "form.date"),
  people: z.array(z.string().min(1).max(40)).min(1, "need.accept.pickPeople").max(20, "form.tooMany"),
  version: z.coerce.number().int().min(0),
});
const DeclineSchema = z.object({
  studio: z.string().regex(/^[a-z0-9][a-z0-9-]{0,79}$/, "form.invalid"),
  reason: required(500),
  version: z.coerce.number().int().min(0),
});
const DeliverSchema = z.object({
  studio: z.string().regex(/^[a-z0-9][a-z0-9-]{0,79}$/, "form.invalid"),
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "form.date"),
  people: z.array(z.string().min(1).max(40)).min(1, "need.accept.pickPeople").max(20, "form.tooMany"),
  hours: z.coerce.number("form.invalid").positive("need.deliver.hours").max(1000, "need.deliver.hours"),
  work: required(2000),
  outcome: required(2000),
  attachments: z.array(z.string().regex(ATTACHMENT_FILE, "form.invalid")).max(10, "form.tooMany").default([]),
  version: z.coerce.number().int().min(0),
});
const ConfirmSchema = z.object({
  rating: z.coerce.number("need.confirm.rating").int("need.confirm.rating").min(1, "need.confirm.rating").max(5, "need.confirm.rating"),
  comment: line(1000).optional().default(""),
  version: z.coerce.number().int().min(0),
});
const WithdrawSchema = z.object({ version: z.coerce.number().int().min(0), reason: line(500).optional().default("") });

/** A step that found the need in a state it cannot start from, or changed since the form was shown. */
class StepRefused extends Error {
  constructor(
    public status: 403 | 404 | 409,
    public key: string,
  ) {
    super(key);
  }
}

const fail = (status: 400 | 403 | 404 | 409, errors: FieldErrors, values: Record<string, string> = {}): StepOutcome => ({ ok: false, status, errors, values });

/**
 * Runs one step on a need: checks the actor and the status the need is in *inside* the transaction,
 * moves the need by compare-and-set on its version (two coordinators dispatching at once: one wins,
 * the other is told the need changed), then records the event, the activity and the search document.
 */
async function transition(
  slug: string,
  step: NeedStep,
  actor: NeedActor | null,
  version: number,
  values: Record<string, string>,
  apply: (
    tx: Tx,
    need: NeedRow & { slug: string; title: string },
  ) => Promise<{ to: NeedStatus; studioId?: string | null; detail?: Record<string, unknown>; data?: Record<string, unknown> }>,
): Promise<StepOutcome> {
  if (!actor) return fail(403, { _form: "need.error.signIn" }, values);
  try {
    await db.$transaction(async (tx) => {
      const need = await tx.need.findUnique({
        where: { slug },
        select: { id: true, slug: true, title: true, enterpriseId: true, createdById: true, status: true, visibility: true, version: true, review: true },
      });
      if (!need) throw new StepRefused(404, "need.error.notFound");
      const rule = STEPS[step];
      if (rule.who === "requester" && !(await isRequester(actor, need))) throw new StepRefused(403, "need.error.notRequester");
      if (rule.who === "coordinator" && !isCoordinator(actor)) throw new StepRefused(403, "need.error.notCoordinator");
      if (!(rule.from as readonly string[]).includes(need.status)) throw new StepRefused(409, `need.error.from.${need.status}`);
      if (need.version !== version) throw new StepRefused(409, "need.error.stale");
      const { to, studioId, detail, data } = await apply(tx, need);
      const moved = await tx.need.updateMany({
        where: { id: need.id, version },
        data: { ...data, status: to, version: { increment: 1 }, ...(to !== need.status ? { statusAt: new Date() } : {}) },
      });
      if (moved.count !== 1) throw new StepRefused(409, "need.error.stale");
      await tx.needEvent.create({
        data: { needId: need.id, step, fromStatus: need.status, toStatus: to, actorId: actor.id, studioId: studioId ?? null, detail: JSON.stringify(detail ?? {}) },
      });
      await recordActivity(tx, { verb: `need.${step}`, subjectType: "need", subjectId: need.id, studioId: studioId ?? null, actorId: actor.id, summary: need.title });
      await indexRecord(tx, "need", need.slug);
    });
  } catch (e) {
    if (e instanceof StepRefused) return fail(e.status, { _form: e.key }, values);
    throw e;
  }
  return { ok: true, slug };
}

/** The need form, its body and its industry checked: the data, or the outcome to answer with. */
async function checkNeedForm(form: FormData) {
  const parsed = parseForm(NeedFormSchema, form);
  const values = parsed.values;
  const errors: FieldErrors = parsed.ok ? {} : { ...parsed.errors };
  const body = checkPostedBody(form.get("body"));
  if ("error" in body) errors.body = body.error;
  if (!parsed.ok || "error" in body) return { ok: false as const, outcome: fail(400, errors, values) };
  if (!(await db.industry.findUnique({ where: { key: parsed.data.industry }, select: { key: true } }))) {
    return { ok: false as const, outcome: fail(400, { industry: "form.invalid" }, values) };
  }
  return { ok: true as const, data: parsed.data, body, values };
}

/** 点单: an enterprise contact (or a coordinator, for an enterprise) posts a need, as a draft or submitted. */
export async function postNeed(actor: NeedActor, form: FormData, enterpriseSlug?: string, options: { illustrative?: boolean } = {}): Promise<StepOutcome> {
  const checked = await checkNeedForm(form);
  if (!checked.ok) return checked.outcome;
  const { data: d, body, values } = checked;
  const enterpriseId =
    isCoordinator(actor) && enterpriseSlug
      ? ((await db.enterprise.findUnique({ where: { slug: enterpriseSlug }, select: { id: true } }))?.id ?? null)
      : await contactEnterpriseId(actor.id);
  if (!enterpriseId) return fail(403, { _form: "need.error.noEnterprise" }, values);
  const status: NeedStatus = d.intent === "submit" ? "open" : "draft";
  const held = status === "open" && (await holdsSave(actor.id, d.visibility === "public"));
  const need = await db.$transaction(async (tx) => {
    const created = await insertNeed(
      tx,
      {
        title: d.title,
        enterpriseId,
        industryKey: d.industry,
        tags: d.tags,
        status,
        body: body.json,
        bodyText: body.text,
        visibility: d.visibility,
        district: d.district,
        timeframe: d.timeframe,
        contactName: d.contactName,
        contactPhone: d.contactPhone,
        createdById: actor.id,
        illustrative: options.illustrative ?? false,
        review: held ? "pending" : null,
      },
      actor.id,
    );
    if (held) await submitForReview(tx, { subjectType: "need", subjectId: created.id, enterpriseId, kind: "new", title: created.title, values, submittedById: actor.id });
    return created;
  });
  if (held) await notifyReviewers({ subjectType: "need", title: need.title });
  else if (status === "open") await notifyStep(need.slug, "submit");
  return { ok: true, slug: need.slug };
}

export interface NewNeed {
  title: string;
  enterpriseId: string;
  industryKey: string;
  tags: string[];
  status: "draft" | "open";
  body: string;
  bodyText: string;
  visibility: "public" | "union";
  district: string;
  timeframe: string;
  contactName: string;
  contactPhone: string;
  /** the requester: who follows the need, confirms and rates its delivery */
  createdById: string;
  illustrative?: boolean;
  /** "pending" when review (审核) holds a new public need (review.server.ts) */
  review?: "pending" | null;
}

/**
 * Writes a new need (a draft, or submitted: open) with its first timeline event, its activity row and
 * its search document, inside the caller's transaction. Every new need goes through here: posted by
 * its enterprise (postNeed) or turned from an enquiry by a coordinator (enquiry.server.ts).
 */
export async function insertNeed(tx: Tx, n: NewNeed, actorId: string, detail: Record<string, unknown> = {}) {
  const base = slugFromName(n.title).slice(0, 50) || "need";
  // "new" and "contacts" are pages of their own under /needs/
  let slug = base === "new" || base === "contacts" ? `${base}-2` : base;
  for (let i = 2; await tx.need.findUnique({ where: { slug }, select: { id: true } }); i++) slug = `${base}-${i}`;
  const created = await tx.need.create({ data: { ...n, slug, tags: toList(n.tags), illustrative: n.illustrative ?? false } });
  await tx.needEvent.create({
    data: { needId: created.id, step: n.status === "open" ? "submit" : "draft", fromStatus: "draft", toStatus: n.status, actorId, detail: JSON.stringify(detail) },
  });
  await recordActivity(tx, { verb: n.status === "open" ? "need.submit" : "need.draft", subjectType: "need", subjectId: created.id, actorId, summary: created.title });
  await indexRecord(tx, "need", created.slug);
  return created;
}

/** Coordinators hear of a need submitted outside postNeed (an enquiry turned into a need). */
export const notifyNeedSubmitted = (slug: string) => notifyStep(slug, "submit");

/** Edits a need until it is dispatched; `intent=submit` on a draft also submits it. */
export async function editNeed(actor: NeedActor, slug: string, form: FormData): Promise<StepOutcome> {
  const checked = await checkNeedForm(form);
  if (!checked.ok) return checked.outcome;
  const { data: d, body, values } = checked;
  let submitted = false;
  let heldAs: "new" | "change" | null = null;
  const held = await holdsSave(actor.id, d.visibility === "public");
  const fields = {
    title: d.title,
    industryKey: d.industry,
    tags: toList(d.tags),
    body: body.json,
    bodyText: body.text,
    visibility: d.visibility,
    district: d.district,
    timeframe: d.timeframe,
    contactName: d.contactName,
    contactPhone: d.contactPhone,
  };
  if (held) {
    // a change to a need already public waits for review; the published version stays
    const current = await db.need.findUnique({
      where: { slug },
      select: { id: true, enterpriseId: true, createdById: true, status: true, visibility: true, version: true, review: true },
    });
    if (current && current.status !== "draft" && current.review === null) {
      if (!(await isRequester(actor, current))) return fail(403, { _form: "need.error.notRequester" }, values);
      if (!(STEPS.edit.from as readonly string[]).includes(current.status)) return fail(409, { _form: `need.error.from.${current.status}` }, values);
      if (current.version !== d.version) return fail(409, { _form: "need.error.stale" }, values);
      await db.$transaction((tx) =>
        submitForReview(tx, {
          subjectType: "need",
          subjectId: current.id,
          enterpriseId: current.enterpriseId,
          kind: "change",
          title: d.title,
          payload: { type: "need", data: fields },
          values,
          submittedById: actor.id,
        }),
      );
      await notifyReviewers({ subjectType: "need", title: d.title });
      return { ok: true, slug, held: true };
    }
  }
  const outcome = await transition(slug, "edit", actor, d.version, values, async (tx, need) => {
    submitted = d.intent === "submit" && need.status === "draft";
    const waits = held && (submitted || (need.status !== "draft" && need.review !== null));
    if (waits) {
      heldAs = "new";
      await submitForReview(tx, { subjectType: "need", subjectId: need.id, enterpriseId: need.enterpriseId, kind: "new", title: d.title, values, submittedById: actor.id });
    }
    return {
      to: submitted ? "open" : (need.status as NeedStatus),
      data: {
        ...(waits ? { review: "pending" } : need.status !== "draft" && !held ? { review: null } : {}),
        ...fields,
      },
    };
  });
  if (outcome.ok && heldAs) await notifyReviewers({ subjectType: "need", title: d.title });
  else if (outcome.ok && submitted) await notifyStep(slug, "submit");
  return outcome.ok && heldAs ? { ...outcome, held: true } : outcome;
}

/** 配送: a coordinator dispatches the need to studios of other enterprises (again, to more of them). */
export async function dispatchNeed(actor: NeedActor | null, slug: string, form: FormData): Promise<StepOutcome> {
  const parsed = parseForm(DispatchSchema, form, ["studios"]);
  if (!parsed.ok) return fail(400, parsed.errors, parsed.values);
  const { studios: slugs, note, version } = parsed.data;
  const outcome = await transition(slug, "dispatch", actor, version, parsed.values, async (tx, need) => {
    const studios = await tx.studio.findMany({ where: { slug: { in: slugs } }, select: { id: true, slug: true, enterpriseId: true } });
    if (studios.length !== new Set(slugs).size) throw new StepRefused(409, "need.dispatch.unknownStudio");
    if (studios.some((s) => s.enterpriseId === need.enterpriseId)) throw new StepRefused(409, "need.dispatch.sameEnterprise");
    const existing = await tx.needDispatch.findMany({ where: { needId: need.id, studioId: { in: studios.map((s) => s.id) } } });
    if (existing.some((d) => d.state !== "declined")) throw new StepRefused(409, "need.dispatch.already");
    for (const s of studios) {
      await tx.needDispatch.upsert({
        where: { needId_studioId: { needId: need.id, studioId: s.id } },
        create: { needId: need.id, studioId: s.id, note, dispatchedById: actor!.id },
        update: { state: "dispatched", note, declineReason: "", visitDate: "", people: "[]", dispatchedById: actor!.id },
      });
    }
    const accepted = await tx.needDispatch.count({ where: { needId: need.id, state: "accepted" } });
    return { to: accepted ? "accepted" : "dispatched", detail: { studios: studios.map((s) => s.slug), note } };
  });
  if (outcome.ok) await notifyStep(slug, "dispatch", slugs);
  return outcome;
}

/** The dispatch of this need to the studio, checked to be the actor's to answer. */
async function ownDispatch(tx: Tx, actor: NeedActor | null, needId: string, studioSlug: string, states: DispatchState[]) {
  const d = await tx.needDispatch.findFirst({ where: { needId, studio: { slug: studioSlug } }, include: { studio: { select: { id: true, slug: true } } } });
  if (!d) throw new StepRefused(404, "need.error.notDispatched");
  if (!adminOf(actor, d.studioId)) throw new StepRefused(403, "need.error.notStudioAdmin");
  if (!states.includes(d.state as DispatchState)) throw new StepRefused(409, `need.error.dispatch.${d.state}`);
  return d;
}

/** 接单: the studio accepts, proposing a visit date and the people (of its talent base) who will go. */
export async function acceptDispatch(actor: NeedActor | null, slug: string, form: FormData): Promise<StepOutcome> {
  const parsed = parseForm(AcceptSchema, form, ["people"]);
  if (!parsed.ok) return fail(400, parsed.errors, parsed.values);
  const { studio, visitDate, people, version } = parsed.data;
  const outcome = await transition(slug, "accept", actor, version, parsed.values, async (tx, need) => {
    const d = await ownDispatch(tx, actor, need.id, studio, ["dispatched"]);
    const found = await tx.person.findMany({ where: { id: { in: people }, studioId: d.studioId }, select: { id: true, name: true } });
    if (found.length !== new Set(people).size) throw new StepRefused(409, "need.accept.notOurPeople");
    await tx.needDispatch.update({ where: { id: d.id }, data: { state: "accepted", visitDate, people: toList(found.map((p) => p.id)) } });
    return { to: "accepted", studioId: d.studioId, detail: { studio, visitDate, people: found.map((p) => p.name) } };
  });
  if (outcome.ok) await notifyStep(slug, "accept", [studio]);
  return outcome;
}

/** The studio declines with a reason; when no studio is left on it, the need goes back to the coordinators. */
export async function declineDispatch(actor: NeedActor | null, slug: string, form: FormData): Promise<StepOutcome> {
  const parsed = parseForm(DeclineSchema, form);
  if (!parsed.ok) return fail(400, parsed.errors, parsed.values);
  const { studio, reason, version } = parsed.data;
  const outcome = await transition(slug, "decline", actor, version, parsed.values, async (tx, need) => {
    const d = await ownDispatch(tx, actor, need.id, studio, ["dispatched", "accepted"]);
    await tx.needDispatch.update({ where: { id: d.id }, data: { state: "declined", declineReason: reason } });
    const live = await tx.needDispatch.findMany({ where: { needId: need.id, state: { in: ["dispatched", "accepted"] } }, select: { state: true } });
    const to: NeedStatus = live.some((x) => x.state === "accepted") ? "accepted" : live.length ? "dispatched" : "open";
    return { to, studioId: d.studioId, detail: { studio, reason } };
  });
  if (outcome.ok) await notifyStep(slug, "decline", [studio]);
  return outcome;
}

/** 送技记录: the studio records what it delivered. */
export async function recordDelivery(actor: NeedActor | null, slug: string, form: FormData): Promise<StepOutcome> {
  const parsed = parseForm(DeliverSchema, form, ["people", "attachments"]);
  if (!parsed.ok) return fail(400, parsed.errors, parsed.values);
  const d0 = parsed.data;
  const outcome = await transition(slug, "deliver", actor, d0.version, parsed.values, async (tx, need) => {
    const d = await ownDispatch(tx, actor, need.id, d0.studio, ["accepted"]);
    const found = await tx.person.findMany({ where: { id: { in: d0.people }, studioId: d.studioId }, select: { id: true, name: true } });
    if (found.length !== new Set(d0.people).size) throw new StepRefused(409, "need.accept.notOurPeople");
    // only files the one recording uploaded as attachments (images or PDF, checked by their bytes)
    if ((await ownAttachments(tx, actor!.id, d0.attachments)).length !== new Set(d0.attachments).size) throw new StepRefused(409, "need.deliver.unknownAttachment");
    await tx.needDispatch.update({ where: { id: d.id }, data: { state: "delivered" } });
    await tx.delivery.create({
      data: {
        needId: need.id,
        dispatchId: d.id,
        date: d0.date,
        people: toList(found.map((p) => p.id)),
        hours: d0.hours,
        work: d0.work,
        outcome: d0.outcome,
        attachments: toList([...new Set(d0.attachments)]),
        recordedById: actor!.id,
      },
    });
    return { to: "delivered", studioId: d.studioId, detail: { studio: d0.studio, date: d0.date, hours: d0.hours, people: found.map((p) => p.name) } };
  });
  if (outcome.ok) await notifyStep(slug, "deliver", [d0.studio]);
  return outcome;
}

/** The enterprise confirms the delivery and rates it; the need closes. */
export async function confirmDelivery(actor: NeedActor | null, slug: string, form: FormData): Promise<StepOutcome> {
  const parsed = parseForm(ConfirmSchema, form);
  if (!parsed.ok) return fail(400, parsed.errors, parsed.values);
  const { rating, comment, version } = parsed.data;
  const outcome = await transition(slug, "confirm", actor, version, parsed.values, async () => ({
    to: "closed",
    detail: { rating, comment },
    data: { rating, ratingComment: comment || null },
  }));
  if (outcome.ok) await notifyStep(slug, "confirm");
  return outcome;
}

/** The enterprise withdraws the need (any time before delivery). */
export async function withdrawNeed(actor: NeedActor | null, slug: string, form: FormData): Promise<StepOutcome> {
  const parsed = parseForm(WithdrawSchema, form);
  if (!parsed.ok) return fail(400, parsed.errors, parsed.values);
  const outcome = await transition(slug, "withdraw", actor, parsed.data.version, parsed.values, async (tx, need) => {
    await tx.needDispatch.updateMany({ where: { needId: need.id, state: { in: ["dispatched", "accepted"] } }, data: { state: "declined", declineReason: "" } });
    return { to: "withdrawn", detail: { reason: parsed.data.reason } };
  });
  if (outcome.ok) await notifyStep(slug, "withdraw");
  return outcome;
}

// ── notifications ────────────────────────────────────────────────────────────────────────────────

/** Who hears of each step: the requester side, the coordinators, the studios concerned. */
async function notifyStep(slug: string, step: NeedStep | "submit", studioSlugs: string[] = []) {
  if (step === "edit") return; // the requester's own edits tell nobody
  const need = await db.need.findUnique({
    where: { slug },
    select: { title: true, enterpriseId: true, createdById: true, dispatches: { where: { state: { not: "declined" } }, select: { studioId: true } } },
  });
  if (!need) return;
  const requesters = async () => [
    ...(need.createdById ? [need.createdById] : []),
    ...(await db.enterpriseContact.findMany({ where: { enterpriseId: need.enterpriseId, status: "confirmed" }, select: { userId: true } })).map((c) => c.userId),
  ];
  const coordinators = coordinatorIds;
  const adminsOf = async (studioIds: string[]) => (await Promise.all(studioIds.map(studioAdminIds))).flat();
  const dispatchedTo = () => adminsOf(need.dispatches.map((d) => d.studioId));
  const to =
    step === "submit" || step === "decline"
      ? await coordinators()
      : step === "dispatch"
        ? await adminsOf((await db.studio.findMany({ where: { slug: { in: studioSlugs } }, select: { id: true } })).map((s) => s.id))
        : step === "accept" || step === "deliver"
          ? [...(await requesters()), ...(await coordinators())]
          : step === "confirm" || step === "withdraw"
            ? [...(await coordinators()), ...(await dispatchedTo())]
            : [];
  await notify(to, { kind: `need.${step}`, params: { need: need.title }, url: `/needs/${slug}` });
}

// ── reads ────────────────────────────────────────────────────────────────────────────────────────

/** A need's timeline, oldest first, with who took each step and for which studio. */
export async function needTimeline(needId: string) {
  const events = await db.needEvent.findMany({
    where: { needId },
    orderBy: { createdAt: "asc" },
    include: { actor: { select: { name: true } }, studio: { select: { slug: true, name: true } } },
  });
  return events.map((e) => ({
    id: e.id,
    step: e.step,
    from: e.fromStatus,
    to: e.toStatus,
    at: e.createdAt.toISOString(),
    actor: e.actor?.name ?? null,
    studio: e.studio,
    detail: safeDetail(e.detail),
  }));
}

function safeDetail(s: string): Record<string, unknown> {
  try {
    const v = JSON.parse(s);
    return v && typeof v === "object" ? v : {};
  } catch {
    return {};
  }
}

/** The people of a studio who can be sent, for the accept and delivery forms. */
export function studioPeople(studioId: string) {
  return db.person.findMany({ where: { studioId }, orderBy: [{ sortOrder: "asc" }, { name: "asc" }], select: { id: true, name: true, role: true, honours: true } });
}

/** The need for its edit page: null when unknown, "forbidden" for anyone but the requester. */
export async function getNeedForEdit(actor: NeedActor, slug: string) {
  const n = await db.need.findUnique({ where: { slug } });
  if (!n) return null;
  if (!(await isRequester(actor, n))) return "forbidden" as const;
  return withLists(n, NEED_LISTS);
}

/**
 * Everything the need page shows the viewer, by the one access rule: null when the viewer may not
 * see the need at all. Contact details, dispatch notes and the steps a viewer may take appear only
 * for those they concern.
 */
export async function needPage(viewer: NeedActor | null, slug: string, now = new Date()) {
  const n = await db.need.findUnique({
    where: { slug },
    include: {
      enterprise: true,
      industry: true,
      dispatches: { orderBy: { createdAt: "asc" }, include: { studio: { include: { enterprise: { select: { name: true } } } } } },
      deliveries: { orderBy: { createdAt: "asc" } },
    },
  });
  if (!n) return null;
  const { access, requester } = await accessTo(viewer, n);
  if (access === "none") return null;
  const full = access === "full";
  const coordinator = isCoordinator(viewer) && n.status !== "draft";
  const personIds = [...new Set([...n.dispatches.flatMap((d) => parseList(d.people)), ...n.deliveries.flatMap((d) => parseList(d.people))])];
  const names = new Map((await db.person.findMany({ where: { id: { in: personIds } }, select: { id: true, name: true } })).map((p) => [p.id, p.name]));
  const nameList = (ids: string) =>
    parseList(ids)
      .map((id) => names.get(id))
      .filter((x): x is string => Boolean(x));
  const mine = n.dispatches.filter((d) => adminOf(viewer, d.studioId));
  // attachments: listed, with their download links, only to those who see the whole need
  const files = full ? await attachmentsByFile(n.deliveries.flatMap((d) => parseList(d.attachments))) : new Map();
  const attachmentsOf = (list: string) =>
    parseList(list)
      .map((f) => files.get(f))
      .filter((a): a is { file: string; name: string; mime: string; size: number } => Boolean(a))
      .map((a) => ({ ...a, url: `/needs/${n.slug}/attachments/${a.file}` }));
  const studioTeams = await Promise.all(mine.map(async (d) => ({ studio: d.studio.slug, people: await studioPeople(d.studioId) })));
  return {
    need: withLists(n, NEED_LISTS),
    access,
    requester,
    coordinator,
    overdue: coordinator && isOverdue(n, now),
    contact: full ? { name: n.contactName, phone: n.contactPhone } : null,
    dispatches: n.dispatches.map((d) => ({
      studio: { slug: d.studio.slug, name: d.studio.name },
      enterprise: d.studio.enterprise.name,
      state: d.state,
      note: full ? d.note : "",
      declineReason: full ? d.declineReason : "",
      visitDate: d.visitDate,
      people: nameList(d.people),
      mayAnswer: adminOf(viewer, d.studioId),
    })),
    deliveries: n.deliveries.map((d) => {
      const dispatch = n.dispatches.find((x) => x.id === d.dispatchId);
      return {
        id: d.id,
        studio: dispatch?.studio.name ?? "",
        date: d.date,
        hours: d.hours,
        work: d.work,
        outcome: d.outcome,
        people: nameList(d.people),
        attachments: attachmentsOf(d.attachments),
      };
    }),
    teams: studioTeams,
    timeline: (await needTimeline(n.id)).map((e) => {
      // the delivery step lists the files of the studio's delivery record
      if (e.step !== "deliver" || !full) return { ...e, attachments: [] };
      const delivery = n.deliveries.find((d) => n.dispatches.find((x) => x.id === d.dispatchId)?.studio.slug === e.studio?.slug);
      return { ...e, attachments: delivery ? attachmentsOf(delivery.attachments) : [] };
    }),
  };
}

/**
 * One attachment of a need's delivery records, for download: null when the need or the file is
 * unknown (or not attached to it), "forbidden" for anyone who may not see the whole need — the same
 * rule as the need page's attachment links.
 */
export async function deliveryAttachment(viewer: NeedActor | null, slug: string, file: string) {
  if (!ATTACHMENT_FILE.test(file)) return null;
  const n = await db.need.findUnique({ where: { slug }, include: { dispatches: { select: { studioId: true, state: true } }, deliveries: { select: { attachments: true } } } });
  if (!n || !n.deliveries.some((d) => parseList(d.attachments).includes(file))) return null;
  if ((await accessTo(viewer, n)).access !== "full") return "forbidden" as const;
  return (await attachmentsByFile([file])).get(file) ?? null;
}

type NeedListFilter = { status?: string; industry?: string; district?: string; enterprise?: string; mine?: boolean };

/** The Prisma filter of the demand base for `viewer`: what they may see, narrowed by the filter. */
async function needsWhere(viewer: NeedActor | null, filter: NeedListFilter): Promise<Prisma.NeedWhereInput> {
  const enterpriseId = viewer ? await contactEnterpriseId(viewer.id) : null;
  const own = viewer ? [{ createdById: viewer.id }, ...(enterpriseId ? [{ enterpriseId }] : [])] : [];
  const visible: Prisma.NeedWhereInput = isCoordinator(viewer)
    ? { OR: [{ status: { not: "draft" } }, ...own] }
    : { OR: [PUBLIC_NEEDS, ...own, ...(viewer?.memberships.length ? [{ dispatches: { some: { studioId: { in: viewer.memberships.map((m) => m.studioId) } } } }] : [])] };
  return {
    AND: [
      visible,
      filter.mine ? { OR: own.length ? own : [{ id: "" }] } : {},
      filter.status ? { status: filter.status } : {},
      filter.industry ? { industryKey: filter.industry } : {},
      filter.district ? { district: filter.district } : {},
      filter.enterprise ? { enterprise: { slug: filter.enterprise } } : {},
    ],
  };
}

const NEED_ORDER: Prisma.NeedOrderByWithRelationInput[] = [{ createdAt: "desc" }, { slug: "asc" }];

/** The demand base (企业需求库): needs anyone may see, with the viewer's own drafts and union-only needs. */
export async function listNeedsFor(viewer: NeedActor | null, filter: NeedListFilter) {
  const needs = await db.need.findMany({ where: await needsWhere(viewer, filter), orderBy: NEED_ORDER, include: { enterprise: true, industry: true } });
  return needs.map((n) => withLists(n, NEED_LISTS));
}

export const NEEDS_PER_PAGE = 24;

/**
 * The needs page's list (and its spreadsheet export): listNeedsFor's filter, then the page's own —
 * posted within `age` days, and for coordinators only the overdue ones (isOverdue, in SQL) — each
 * row marked overdue for coordinators; one page of it and how many match, counted in SQL. `counts`
 * (by status) and `districts` are of the list before those two filters, the filter bar's choices.
 */
export async function listNeedsPage(viewer: NeedActor | null, f: NeedListFilter & { age?: string; overdue?: boolean } & Paging, now = new Date()) {
  const where = await needsWhere(viewer, f);
  const coordinator = isCoordinator(viewer);
  const overdue: Prisma.NeedWhereInput = { status: { in: [...WAITING] }, statusAt: { lt: new Date(now.getTime() - OVERDUE_DAYS * 86_400_000) } };
  const narrowed: Prisma.NeedWhereInput = {
    AND: [
      where,
      f.age ? { createdAt: { gte: new Date(now.getTime() - Number(f.age) * 86_400_000) } } : {},
      // only coordinators see which needs are overdue: for anyone else the filter keeps none
      f.overdue ? (coordinator ? overdue : { id: "" }) : {},
    ],
  };
  const [byStatus, districts, total] = await Promise.all([
    db.need.groupBy({ by: ["status"], where, _count: { _all: true } }),
    db.need.findMany({ where: { AND: [where, { district: { not: "" } }] }, distinct: ["district"], select: { district: true }, orderBy: { district: "asc" } }),
    db.need.count({ where: narrowed }),
  ]);
  const w = pageWindow(total, f, NEEDS_PER_PAGE);
  const rows = await db.need.findMany({ where: narrowed, orderBy: NEED_ORDER, skip: w.skip, take: w.take, include: { enterprise: true, industry: true } });
  return {
    counts: Object.fromEntries(byStatus.map((g) => [g.status, g._count._all])) as Record<string, number>,
    districts: districts.map((d) => d.district),
    total,
    page: w.page,
    pages: w.pages,
    rows: rows.map((n) => ({ ...withLists(n, NEED_LISTS), overdue: coordinator && isOverdue(n, now) })),
  };
}

/** The timelines of many needs at once (the needs export's second sheet), oldest step first. */
export async function needTimelines(needIds: string[]) {
  const out: (Awaited<ReturnType<typeof needTimeline>>[number] & { needId: string })[] = [];
  for (let i = 0; i < needIds.length; i += 500) {
    const events = await db.needEvent.findMany({
      where: { needId: { in: needIds.slice(i, i + 500) } },
      orderBy: { createdAt: "asc" },
      include: { actor: { select: { name: true } }, studio: { select: { slug: true, name: true } } },
    });
    for (const e of events) {
      out.push({
        needId: e.needId,
        id: e.id,
        step: e.step,
        from: e.fromStatus,
        to: e.toStatus,
        at: e.createdAt.toISOString(),
        actor: e.actor?.name ?? null,
        studio: e.studio,
        detail: safeDetail(e.detail),
      });
    }
  }
  return out;
}

/** Studios a coordinator may dispatch the need to: other enterprises', not already on it. */
export async function dispatchableStudios(needId: string) {
  const need = await db.need.findUniqueOrThrow({
    where: { id: needId },
    select: { enterpriseId: true, dispatches: { where: { state: { not: "declined" } }, select: { studioId: true } } },
  });
  const taken = new Set(need.dispatches.map((d) => d.studioId));
  const studios = await db.studio.findMany({
    where: { enterpriseId: { not: need.enterpriseId } },
    orderBy: { name: "asc" },
    select: { id: true, slug: true, name: true, enterprise: { select: { name: true } } },
  });
  return studios.filter((s) => !taken.has(s.id)).map((s) => ({ slug: s.slug, name: s.name, enterprise: s.enterprise.name }));
}
