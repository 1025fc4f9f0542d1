import { z } from "zod";
import type { MessageKey } from "~/i18n/messages";
import { isCoordinator } from "~/utils/auth.server";
import { db, type Prisma, type Tx } from "~/utils/db.server";
import { parseForm, type FieldErrors } from "~/utils/forms.server";
import { parseList } from "~/utils/json";
import type { SessionUser } from "~/utils/session.server";
import { safeString } from "~/utils/text-safety";
import { recordActivity } from "./common.server";
import { chooseEnterprise, confirmProposedEnterprise, EnterpriseChoiceFields, ONE_ENTERPRISE } from "./enterprise.server";
import { insertNeed, notifyNeedSubmitted, tagList } from "./need-loop.server";
import { coordinatorIds, notify, studioAdminIds } from "./notification.server";
import { PUBLIC_VIEWER, resultVisibleTo, type ResultViewer } from "./result-visibility";

// 需求对接 — a signed-in user writes to a studio from its page or one of its results. The message
// reaches the studio's admins (inbox and mail, in each one's language); the sender's contact details
// are seen only by them and by coordinators; a coordinator may turn it into a posted need in one step.
// The only write path for enquiries.

/** How many enquiries one account may send: counted in the database, so every server process agrees. */
export const ENQUIRY_LIMITS = { perHour: 5, perDay: 20 };
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

const line = (max: number) => safeString().trim().max(max, "form.tooLong");
const required = (max: number) => line(max).pipe(z.string().min(1, "form.required"));
const SLUG = /^[a-z0-9][a-z0-9-]{0,119}$/;

export const EnquirySchema = z.object({
  message: required(2000).pipe(z.string().min(10, "enquiry.form.tooShort")),
  contactName: required(40),
  contact: required(80),
  organisation: line(80).optional().default(""),
  result: z.string().regex(SLUG, "form.invalid").optional().or(z.literal("")).default(""),
});

export const ConvertSchema = z
  .object({
    title: required(120),
    industry: z.string().regex(/^[a-z0-9][a-z0-9-]{0,79}$/, "form.invalid"),
    tags: tagList,
    visibility: z.enum(["public", "union"], "form.invalid"),
    ...EnterpriseChoiceFields,
  })
  .refine(...ONE_ENTERPRISE);

export type EnquiryOutcome =
  { ok: true; id: string } | { ok: false; status: 400 | 401 | 403 | 404 | 409 | 429; errors: FieldErrors; values: Record<string, string>; vars?: Record<string, number> };

const fail = (status: 400 | 401 | 403 | 404 | 409 | 429, errors: FieldErrors, values: Record<string, string> = {}, vars?: Record<string, number>): EnquiryOutcome => ({
  ok: false,
  status,
  errors,
  values,
  ...(vars ? { vars } : {}),
});

type Viewer = Pick<SessionUser, "id" | "role" | "memberships"> | null;

/**
 * Who may read a studio's enquiries, with the sender's contact details: coordinators, site admins,
 * and those who act for the studio — the same people its notices go to (studioAdminIds). The one
 * rule every read of an enquiry goes through.
 */
async function mayRead(viewer: Viewer, studioId: string): Promise<boolean> {
  if (!viewer) return false;
  if (isCoordinator(viewer)) return true;
  return (await studioAdminIds(studioId)).includes(viewer.id);
}

/** Whether the viewer sees a studio's enquiries (the list on its page). */
export const mayReadEnquiries = mayRead;

/**
 * Sends an enquiry: checked, counted against the sender's limits and written in one write
 * transaction (two processes cannot both see room for one more), then the studio's admins hear of it.
 */
export async function sendEnquiry(sender: Viewer, studioSlug: string, form: FormData, o: { origin?: string; viewer?: ResultViewer; now?: Date } = {}): Promise<EnquiryOutcome> {
  if (!sender) return fail(401, { _form: "enquiry.signIn" });
  const parsed = parseForm(EnquirySchema, form);
  if (!parsed.ok) return fail(400, parsed.errors, parsed.values);
  const d = parsed.data;
  const now = o.now ?? new Date();
  const studio = await db.studio.findUnique({ where: { slug: studioSlug }, select: { id: true, name: true } });
  if (!studio) return fail(404, { _form: "enquiry.studioNotFound" }, parsed.values);
  let resultId: string | null = null;
  let resultTitle = "";
  if (d.result) {
    // only a result of this studio that the sender may see
    const r = await db.result.findFirst({ where: resultVisibleTo(o.viewer ?? PUBLIC_VIEWER, { slug: d.result, studioId: studio.id }), select: { id: true, title: true } });
    if (!r) return fail(400, { result: "form.invalid" }, parsed.values);
    resultId = r.id;
    resultTitle = r.title;
  }
  const outcome = await db.$transaction(async (tx): Promise<EnquiryOutcome> => {
    const recent = await tx.enquiry.findMany({
      where: { senderId: sender.id, createdAt: { gt: new Date(now.getTime() - DAY_MS) } },
      orderBy: { createdAt: "asc" },
      select: { createdAt: true },
    });
    const lastHour = recent.filter((e) => e.createdAt.getTime() > now.getTime() - HOUR_MS);
    if (lastHour.length >= ENQUIRY_LIMITS.perHour) {
      const minutes = Math.max(1, Math.ceil((lastHour[0].createdAt.getTime() + HOUR_MS - now.getTime()) / 60_000));
      return fail(429, { _form: "enquiry.rate.hour" }, parsed.values, { n: ENQUIRY_LIMITS.perHour, minutes });
    }
    if (recent.length >= ENQUIRY_LIMITS.perDay) {
      const hours = Math.max(1, Math.ceil((recent[0].createdAt.getTime() + DAY_MS - now.getTime()) / HOUR_MS));
      return fail(429, { _form: "enquiry.rate.day" }, parsed.values, { n: ENQUIRY_LIMITS.perDay, hours });
    }
    const e = await tx.enquiry.create({
      data: {
        studioId: studio.id,
        resultId,
        senderId: sender.id,
        message: d.message,
        contactName: d.contactName,
        contact: d.contact,
        organisation: d.organisation,
        createdAt: now,
      },
    });
    // no studioId: the studio's public feed does not tell who writes to it
    await recordActivity(tx, { verb: "enquiry.sent", subjectType: "enquiry", subjectId: e.id, actorId: sender.id, summary: resultTitle || studio.name });
    return { ok: true, id: e.id };
  });
  if (outcome.ok) {
    const from = d.organisation ? `${d.contactName}（${d.organisation}）` : d.contactName;
    const admins = await studioAdminIds(studio.id);
    const url = `/enquiries/${outcome.id}`;
    await notify(admins, { kind: resultId ? "enquiry.aboutResult" : "enquiry.received", params: { studio: studio.name, from, result: resultTitle }, url }, o.origin);
    // coordinators may turn it into a need: an inbox entry (no mail; the studio's admins answer it),
    // unless they already heard of it as the studio's admin or sent it themselves
    const told = new Set([...admins, sender.id]);
    await notify(
      (await coordinatorIds()).filter((id) => !told.has(id)),
      { kind: "enquiry.forCoordinators", params: { studio: studio.name, from }, url },
      o.origin,
      { mail: false },
    );
  }
  return outcome;
}

/** The studio an enquiry form writes to, and the result it is about when the visitor may see it; null for an unknown studio. */
export async function enquiryTarget(viewer: ResultViewer, studioSlug: string, resultSlug?: string | null) {
  const studio = await db.studio.findUnique({ where: { slug: studioSlug }, select: { id: true, slug: true, name: true, enterprise: { select: { name: true } } } });
  if (!studio) return null;
  const result =
    resultSlug && SLUG.test(resultSlug)
      ? await db.result.findFirst({ where: resultVisibleTo(viewer, { slug: resultSlug, studioId: studio.id }), select: { slug: true, title: true } })
      : null;
  return { studio: { slug: studio.slug, name: studio.name, enterprise: studio.enterprise.name }, result };
}

const INCLUDE = {
  studio: { select: { id: true, slug: true, name: true, industryKey: true, specialties: true } },
  result: { select: { slug: true, title: true, industryKey: true, tags: true } },
  sender: { select: { id: true, name: true, email: true } },
  need: { select: { slug: true, title: true, status: true } },
} as const;

/** One enquiry for a reader who may see it, "forbidden" for anyone else, null when unknown. */
export async function getEnquiry(viewer: Viewer, id: string) {
  const e = await db.enquiry.findUnique({ where: { id }, include: INCLUDE });
  if (!e) return null;
  if (!(await mayRead(viewer, e.studioId))) return "forbidden" as const;
  return e;
}

/**
 * The enquiries a reader may see, newest first: all of them for coordinators (or one studio's), the
 * studios' own for those who act for them. Null for anyone who may see none.
 */
export async function listEnquiries(viewer: Viewer, o: { studioId?: string; take?: number } = {}) {
  const studioIds = await readableStudios(viewer, o.studioId);
  if (studioIds === undefined) return null;
  return db.enquiry.findMany({
    where: studioIds ? { studioId: { in: studioIds } } : {},
    orderBy: { createdAt: "desc" },
    take: o.take ?? 100,
    include: INCLUDE,
  });
}

/** The studios whose enquiries the reader sees (of `studioId` only, when given): null for every studio, undefined for none. */
async function readableStudios(viewer: Viewer, studioId?: string): Promise<string[] | null | undefined> {
  if (!viewer) return undefined;
  if (isCoordinator(viewer)) return studioId ? [studioId] : null;
  const studioIds: string[] = [];
  for (const s of studioId ? [studioId] : viewer.memberships.map((m) => m.studioId)) if (await mayRead(viewer, s)) studioIds.push(s);
  return studioIds.length ? studioIds : undefined;
}

/**
 * How many enquiries not yet turned into a need the reader may see (the same enquiries as
 * listEnquiries): the number /enquiries and the coordinators' dashboard show. Null for anyone who may see none.
 */
export async function countNewEnquiries(viewer: Viewer): Promise<number | null> {
  const studioIds = await readableStudios(viewer);
  if (studioIds === undefined) return null;
  return db.enquiry.count({ where: { status: "new", ...(studioIds ? { studioId: { in: studioIds } } : {}) } });
}

/** An enquiry as the lists show it to its readers (studio admins, coordinators). */
export function enquiryRow(e: Prisma.EnquiryGetPayload<{ include: typeof INCLUDE }>) {
  const flat = e.message.replace(/\s+/g, " ").trim();
  return {
    id: e.id,
    status: e.status,
    at: e.createdAt.toISOString(),
    excerpt: flat.length > 60 ? `${flat.slice(0, 60)}…` : flat,
    from: e.contactName,
    organisation: e.organisation,
    contact: e.contact,
    studio: { slug: e.studio.slug, name: e.studio.name },
    result: e.result ? { slug: e.result.slug, title: e.result.title } : null,
    need: e.need ? { slug: e.need.slug, title: e.need.title } : null,
  };
}

/** What the "转为需求" form starts from: the enquiry's studio or result, and the sender's enterprise. */
export async function conversionDefaults(e: Prisma.EnquiryGetPayload<{ include: typeof INCLUDE }>) {
  const contact = await db.enterpriseContact.findUnique({ where: { userId: e.senderId }, include: { enterprise: { select: { slug: true } } } });
  const byName = e.organisation ? await db.enterprise.findUnique({ where: { name: e.organisation }, select: { slug: true } }) : null;
  const enterprise = (contact?.status === "confirmed" ? contact.enterprise?.slug : null) ?? byName?.slug ?? "";
  const firstLine = e.message.split(/\n/)[0].trim();
  return {
    title: firstLine.length > 40 ? `${firstLine.slice(0, 40)}…` : firstLine,
    industry: e.result?.industryKey ?? e.studio.industryKey,
    tags: (e.result ? parseList(e.result.tags) : parseList(e.studio.specialties)).slice(0, 5).join("，"),
    visibility: "union",
    enterprise,
    newName: enterprise ? "" : e.organisation,
  };
}

/** A Lexical body of the enquiry's message: one paragraph per line. */
function messageBody(message: string): string {
  const paragraphs = message
    .split(/\n+/)
    .map((l) => l.trim())
    .filter(Boolean)
    .map((text) => ({
      type: "paragraph",
      version: 1,
      direction: "ltr",
      format: "",
      indent: 0,
      children: [{ type: "text", version: 1, text, format: 0, detail: 0, mode: "normal", style: "" }],
    }));
  return JSON.stringify({ root: { type: "root", version: 1, direction: "ltr", format: "", indent: 0, children: paragraphs } });
}

class Refused extends Error {
  constructor(
    public status: 404 | 409,
    public key: MessageKey,
  ) {
    super(key);
  }
}

/**
 * 转为需求: a coordinator turns an enquiry into a submitted (open) need of the enterprise the sender
 * speaks for — picked from the list, or named anew and confirmed by this very step, since the one
 * confirming is a coordinator (chooseEnterprise, confirmProposedEnterprise). The sender becomes the
 * need's requester; the need, its timeline event, the enquiry's link to it and the activity rows are
 * written in one transaction, and an enquiry is converted once.
 */
export async function convertEnquiry(actor: Viewer, id: string, form: FormData): Promise<EnquiryOutcome & ({ ok: false } | { ok: true; need: string })> {
  const parsed = parseForm(ConvertSchema, form);
  if (!isCoordinator(actor)) return fail(403, { _form: "refused.coordinator" }, parsed.values) as EnquiryOutcome & { ok: false };
  if (!parsed.ok) return fail(400, parsed.errors, parsed.values) as EnquiryOutcome & { ok: false };
  const d = parsed.data;
  if (!(await db.industry.findUnique({ where: { key: d.industry }, select: { key: true } })))
    return fail(400, { industry: "form.invalid" }, parsed.values) as EnquiryOutcome & { ok: false };
  try {
    const slug = await db.$transaction(async (tx: Tx) => {
      const e = await tx.enquiry.findUnique({ where: { id }, include: { studio: { select: { id: true, name: true } } } });
      if (!e) throw new Refused(404, "enquiry.notFound");
      if (e.status !== "new") throw new Refused(409, "enquiry.alreadyConverted");
      const choice = await chooseEnterprise(tx, d);
      if (!choice.ok) throw new Refused(409, "enquiry.convert.enterprise");
      const enterpriseId = choice.enterpriseId ?? (await confirmProposedEnterprise(tx, choice.proposedName));
      const need = await insertNeed(
        tx,
        {
          title: d.title,
          enterpriseId,
          industryKey: d.industry,
          tags: d.tags,
          status: "open",
          body: messageBody(e.message),
          bodyText: e.message,
          visibility: d.visibility,
          district: "",
          timeframe: "",
          contactName: e.contactName,
          contactPhone: e.contact,
          createdById: e.senderId,
        },
        actor!.id,
        { enquiry: e.studio.name },
      );
      const moved = await tx.enquiry.updateMany({
        where: { id, status: "new" },
        data: { status: "converted", needId: need.id, convertedById: actor!.id, convertedAt: new Date() },
      });
      if (moved.count !== 1) throw new Refused(409, "enquiry.alreadyConverted");
      await recordActivity(tx, { verb: "enquiry.converted", subjectType: "enquiry", subjectId: id, actorId: actor!.id, summary: need.title });
      return need.slug;
    });
    await notifyNeedSubmitted(slug);
    return { ok: true, id, need: slug };
  } catch (err) {
    if (err instanceof Refused) return fail(err.status, { _form: err.key }, parsed.values) as EnquiryOutcome & { ok: false };
    throw err;
  }
}
