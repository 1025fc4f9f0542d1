import { z } from "zod";
import { LEVELS, PATENT_KINDS, PATENT_STATUSES, RESULT_KINDS, RESULT_STATUSES, SECTORS } from "~/content/enums";
import { checkPostedBody } from "~/lexical/posted.server";
import { db } from "~/utils/db.server";
import { parseForm, type FieldErrors } from "~/utils/forms.server";
import { parseList, toList } from "~/utils/json";
import { safeString } from "~/utils/text-safety";
import { clearPatentDraft, savePatent, storePatentDraft, type PatentInput } from "./patent.server";
import { clearResultDraft, createUnpublishedResult, saveResult, storeResultDraft, type ResultInput } from "./result.server";
import { holdsSave, notifyReviewers, submitForReview, supersedeReviews } from "./review.server";
import { saveStudio, storeStudioDraft } from "./studio.server";

// The editor's forms: one schema per form, used by the action; errors are message keys.

const splitList = (max: number, maxLen: number) =>
  safeString()
    .max(5000, "form.tooLong")
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
    .pipe(z.array(z.string().max(maxLen, "form.tooLong")).max(max, "form.tooMany"));
const splitLines = (max: number, maxLen: number) =>
  safeString()
    .max(10000, "form.tooLong")
    .optional()
    .default("")
    .transform((s) =>
      s
        .split(/\n+/)
        .map((x) => x.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.string().max(maxLen, "form.tooLong")).max(max, "form.tooMany"));
const text = (max: number) => safeString().trim().min(1, "form.required").max(max, "form.tooLong");
const enumOf = <T extends readonly [string, ...string[]]>(values: T) => z.enum(values, "form.invalid");
const year = z.coerce.number("form.invalid").int("form.invalid").min(1949, "form.yearRange").max(2100, "form.yearRange");
const key = z.string().regex(/^[a-z0-9][a-z0-9-]{0,79}$/, "form.invalid");
const version = z.coerce.number().int().min(0);

export const ResultFormSchema = z.object({
  studio: key,
  version,
  title: text(120),
  kind: enumOf(RESULT_KINDS),
  industry: key,
  tags: splitList(20, 30),
  benefits: splitLines(12, 300),
  status: enumOf(RESULT_STATUSES),
  adopters: splitLines(40, 120),
  year,
  patents: z.array(z.string().max(40)).max(30).optional().default([]),
  awards: splitLines(20, 200),
  visibility: z.enum(["public", "alliance"], "form.invalid"),
});

export const StudioFormSchema = z.object({
  studio: key,
  version,
  name: text(100),
  industry: key,
  sector: enumOf(SECTORS),
  // 认定: level and honours are set by coordinators (recognition.server.ts); a studio's own editors' form leaves them out
  level: enumOf(LEVELS).optional(),
  specialties: splitList(20, 40).pipe(z.array(z.string()).min(1, "form.required")),
  founded: year,
  honours: splitLines(30, 200),
  needs: splitList(10, 40),
});

export const PatentFormSchema = z
  .object({
    studio: key,
    version,
    number: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9.\-]{6,30}$/, "form.patentNumber"),
    title: text(150),
    kind: enumOf(PATENT_KINDS),
    status: enumOf(PATENT_STATUSES),
    filed: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "form.date"),
    granted: z
      .string()
      .regex(/^(\d{4}-\d{2}-\d{2})?$/, "form.date")
      .optional()
      .default(""),
  })
  .superRefine((p, ctx) => {
    if (p.status === "granted" && !p.granted) ctx.addIssue({ code: "custom", path: ["granted"], message: "form.grantedRequired" });
    if (p.granted && p.granted < p.filed) ctx.addIssue({ code: "custom", path: ["granted"], message: "form.grantedBeforeFiled" });
  });

/** `held`: the save waits for review (the site setting `review`, review.server.ts) */
export type EditOutcome =
  { ok: true; slug: string; held?: boolean } | { ok: false; status: number; errors: FieldErrors; values: Record<string, string>; stale?: { by: string | null; at: string } };

export class StaleEdit extends Error {
  constructor(
    public by: string | null,
    public at: Date,
  ) {
    super("stale");
  }
}

/** A version conflict becomes a 409 that keeps what the user typed; anything else is rethrown. */
function staleOutcome(e: unknown, values: Record<string, string>): EditOutcome {
  if (e instanceof StaleEdit) return { ok: false, status: 409, errors: { _form: "form.stale" }, values, stale: { by: e.by, at: e.at.toISOString() } };
  throw e;
}

async function latestAuthor(subjectType: string, subjectId: string) {
  const r = await db.revision.findFirst({ where: { subjectType, subjectId }, orderBy: { version: "desc" }, include: { author: { select: { name: true } } } });
  return r?.author?.name ?? null;
}

/**
 * The checks every editor form goes through before anything is read or written: its fields, its
 * body, and that it names the studio of the page it was posted to.
 */
function checkEditForm<S extends z.ZodType<{ studio: string }>>(
  schema: S,
  form: FormData,
  studioSlug: string,
  listFields: string[] = [],
): { ok: true; data: z.output<S>; body: { json: string; text: string }; values: Record<string, string> } | Extract<EditOutcome, { ok: false }> {
  const parsed = parseForm(schema, form, listFields);
  const values = parsed.values;
  const errors: FieldErrors = parsed.ok ? {} : { ...parsed.errors };
  const body = checkPostedBody(form.get("body"));
  if ("error" in body) errors.body = body.error;
  if (parsed.ok && parsed.data.studio !== studioSlug) return { ok: false, status: 403, errors: { _form: "form.forgedStudio" }, values };
  if (!parsed.ok || "error" in body) return { ok: false, status: 400, errors, values };
  return { ok: true, data: parsed.data, body, values };
}

/** A new result of a studio, not yet published: the editor autosaves into it. */
export function createResultDraft(studio: { id: string; slug: string; industryKey: string }, title: string) {
  return createUnpublishedResult(studio, title);
}

/** Publishes a result from the editor's form: validated, version-checked, in one transaction. */
export async function publishResult(form: FormData, studio: { id: string; slug: string }, resultSlug: string, actorId: string): Promise<EditOutcome> {
  const checked = checkEditForm(ResultFormSchema, form, studio.slug, ["patents"]);
  if (!checked.ok) return checked;
  const { data, body, values } = checked;
  const [industry, patents] = await Promise.all([
    db.industry.findUnique({ where: { key: data.industry } }),
    data.patents.length ? db.patent.findMany({ where: { number: { in: data.patents } }, select: { number: true, studioId: true } }) : [],
  ]);
  if (!industry) return { ok: false, status: 400, errors: { industry: "form.invalid" }, values };
  const foreign = data.patents.filter((n) => !patents.some((p) => p.number === n && p.studioId === studio.id));
  if (foreign.length) return { ok: false, status: 400, errors: { patents: "form.patentNotOurs" }, values };
  const held = await holdsSave(actorId, data.visibility === "public");
  try {
    await db.$transaction(async (tx) => {
      const existing = await tx.result.findUnique({ where: { slug: resultSlug } });
      if (!existing || existing.studioId !== studio.id) throw new Response("not found", { status: 404 });
      if (existing.version !== data.version) throw new StaleEdit(await latestAuthor("result", existing.id), existing.updatedAt);
      const input: ResultInput = {
        slug: resultSlug,
        data: {
          title: data.title,
          studio: studio.slug,
          kind: data.kind,
          industry: data.industry,
          tags: data.tags,
          benefits: data.benefits,
          status: data.status,
          adopters: data.adopters,
          year: data.year,
          patents: data.patents,
          awards: data.awards,
          illustrative: existing.illustrative,
        },
        body: body.json,
        bodyText: body.text,
      };
      const live = existing.published && existing.review === null;
      if (held && live) {
        // the published version stays until a coordinator approves the change
        await clearResultDraft(tx, existing.id);
        await submitForReview(tx, {
          subjectType: "result",
          subjectId: existing.id,
          studioId: studio.id,
          kind: "change",
          title: data.title,
          payload: { type: "result", input, visibility: data.visibility },
          values: formValues(form),
          submittedById: actorId,
        });
        return;
      }
      await saveResult(tx, input, { actorId, visibility: data.visibility, clearDraft: true, review: held ? "pending" : null });
      if (held)
        await submitForReview(tx, {
          subjectType: "result",
          subjectId: existing.id,
          studioId: studio.id,
          kind: "new",
          title: data.title,
          values: formValues(form),
          submittedById: actorId,
        });
      else await supersedeReviews(tx, "result", existing.id);
    });
  } catch (e) {
    return staleOutcome(e, values);
  }
  if (held) await notifyReviewers({ subjectType: "result", title: data.title });
  return { ok: true, slug: resultSlug, held };
}

/** The submitted form as the editor reopens it (a held change lives only in its review item). */
function formValues(form: FormData): Record<string, string | string[]> {
  const values: Record<string, string | string[]> = {};
  for (const k of new Set(form.keys())) {
    if (k === "csrf" || k === "intent") continue;
    const all = form.getAll(k).filter((v): v is string => typeof v === "string");
    values[k] = k === "patents" ? all : (all[0] ?? "");
  }
  return values;
}

/**
 * Publishes a studio profile from the editor's form. The level and official honours (认定) are
 * coordinators' to set: a form from anyone else that changes them is refused; leaving them out keeps them.
 */
export async function publishStudio(form: FormData, studio: { id: string; slug: string }, actorId: string): Promise<EditOutcome> {
  const checked = checkEditForm(StudioFormSchema, form, studio.slug);
  if (!checked.ok) return checked;
  const { data, body, values } = checked;
  if (!(await db.industry.findUnique({ where: { key: data.industry } }))) return { ok: false, status: 400, errors: { industry: "form.invalid" }, values };
  const actor = await db.user.findUnique({ where: { id: actorId }, select: { role: true } });
  const recognises = actor?.role === "coordinator" || actor?.role === "admin";
  const current = await db.studio.findUniqueOrThrow({ where: { id: studio.id }, select: { level: true, honours: true } });
  const level = data.level ?? current.level;
  const honours = form.has("honours") ? data.honours : parseList(current.honours);
  if (!recognises && (level !== current.level || toList(honours) !== toList(parseList(current.honours)))) {
    return { ok: false, status: 403, errors: { _form: "studio.error.recognitionByCoordinator" }, values };
  }
  try {
    await db.$transaction(async (tx) => {
      const existing = await tx.studio.findUniqueOrThrow({ where: { id: studio.id }, include: { enterprise: true, people: { orderBy: { sortOrder: "asc" } } } });
      if (existing.version !== data.version) throw new StaleEdit(await latestAuthor("studio", existing.id), existing.updatedAt);
      const leader = existing.people.find((p) => p.role === "leader");
      await saveStudio(
        tx,
        {
          slug: existing.slug,
          data: {
            name: data.name,
            enterprise: existing.enterprise.name,
            leader: leader?.name ?? "",
            leader_honours: leader ? JSON.parse(leader.honours) : [],
            members: existing.people.filter((p) => p.role === "member").map((p) => p.name),
            level: level as (typeof LEVELS)[number],
            industry: data.industry,
            sector: data.sector,
            specialties: data.specialties,
            founded: data.founded,
            honours,
            needs: data.needs,
            illustrative: existing.illustrative,
          },
          body: body.json,
          bodyText: body.text,
        },
        { actorId, clearDraft: true },
      );
    });
  } catch (e) {
    return staleOutcome(e, values);
  }
  return { ok: true, slug: studio.slug };
}

/** Creates (patentSlug null) or updates a patent from the editor's form. */
export async function publishPatent(form: FormData, studio: { id: string; slug: string }, patentSlug: string | null, actorId: string): Promise<EditOutcome> {
  const checked = checkEditForm(PatentFormSchema, form, studio.slug);
  if (!checked.ok) return checked;
  const { data, body, values } = checked;
  const owner = await db.patent.findUnique({ where: { number: data.number }, select: { slug: true } });
  if (owner && owner.slug !== patentSlug) return { ok: false, status: 400, errors: { number: "form.patentNumberTaken" }, values };
  let slug = patentSlug;
  const held = await holdsSave(actorId, true);
  try {
    await db.$transaction(async (tx) => {
      let existing: { id: string; review: string | null } | null = null;
      if (patentSlug) {
        const found = await tx.patent.findUnique({ where: { slug: patentSlug } });
        if (!found || found.studioId !== studio.id) throw new Response("not found", { status: 404 });
        if (found.version !== data.version) throw new StaleEdit(await latestAuthor("patent", found.id), found.updatedAt);
        existing = found;
      } else {
        const base = data.number
          .toLowerCase()
          .replace(/[^a-z0-9]+/g, "-")
          .replace(/^-|-$/g, "");
        slug = base;
        for (let n = 2; await tx.patent.findUnique({ where: { slug }, select: { id: true } }); n++) slug = `${base}-${n}`;
      }
      const input: PatentInput = {
        slug: slug!,
        data: {
          number: data.number,
          title: data.title,
          kind: data.kind,
          status: data.status,
          studio: studio.slug,
          filed: data.filed,
          granted: data.granted || undefined,
          illustrative: false,
        },
        body: body.json,
        bodyText: body.text,
      };
      if (held && existing && existing.review === null) {
        // the published version stays until a coordinator approves the change
        await clearPatentDraft(tx, existing.id);
        await submitForReview(tx, {
          subjectType: "patent",
          subjectId: existing.id,
          studioId: studio.id,
          kind: "change",
          title: data.title,
          payload: { type: "patent", input },
          values: formValues(form),
          submittedById: actorId,
        });
        return;
      }
      await savePatent(tx, input, { actorId, clearDraft: true, review: held ? "pending" : null });
      const saved = await tx.patent.findUniqueOrThrow({ where: { slug: slug! }, select: { id: true } });
      if (held)
        await submitForReview(tx, {
          subjectType: "patent",
          subjectId: saved.id,
          studioId: studio.id,
          kind: "new",
          title: data.title,
          values: formValues(form),
          submittedById: actorId,
        });
      else await supersedeReviews(tx, "patent", saved.id);
    });
  } catch (e) {
    return staleOutcome(e, values);
  }
  if (held) await notifyReviewers({ subjectType: "patent", title: data.title });
  return { ok: true, slug: slug!, held };
}

const DRAFT_LIMIT = 600 * 1024;

/** Autosave: keeps the editor's whole form as the record's draft. Nothing is published or indexed. */
export async function saveDraft(kind: "result" | "studio" | "patent", id: string, form: FormData): Promise<{ ok: true; savedAt: string } | { ok: false; message: string }> {
  const values: Record<string, string | string[]> = {};
  for (const k of new Set(form.keys())) {
    if (k === "csrf" || k === "intent") continue;
    const all = form.getAll(k).filter((v): v is string => typeof v === "string");
    values[k] = k === "patents" ? all : (all[0] ?? "");
  }
  const json = JSON.stringify(values);
  if (json.length > DRAFT_LIMIT) return { ok: false, message: "the draft is too large to save" };
  const now = new Date();
  const data = { draft: json, draftAt: now };
  if (kind === "result") await storeResultDraft(id, data);
  else if (kind === "studio") await storeStudioDraft(id, data);
  else await storePatentDraft(id, data);
  return { ok: true, savedAt: now.toISOString() };
}

export function readDraft(draft: string | null): Record<string, string | string[]> | null {
  if (!draft) return null;
  try {
    const v = JSON.parse(draft);
    return v && typeof v === "object" ? v : null;
  } catch {
    return null;
  }
}

/** Publishes an earlier version's body as the newest version (fields stay as they are now). */
export async function restoreBody(type: "studio" | "result" | "patent", id: string, version: number, actorId: string): Promise<boolean> {
  const rev = await db.revision.findUnique({ where: { subjectType_subjectId_version: { subjectType: type, subjectId: id, version } } });
  if (!rev) return false;
  const body = checkPostedBody((JSON.parse(rev.data) as { body?: string }).body ?? null);
  if ("error" in body) return false;
  await db.$transaction(async (tx) => {
    if (type === "result") {
      const r = await tx.result.findUniqueOrThrow({ where: { id }, include: { studio: true, patents: { include: { patent: true } } } });
      await saveResult(
        tx,
        {
          slug: r.slug,
          body: body.json,
          bodyText: body.text,
          data: {
            title: r.title,
            studio: r.studio.slug,
            kind: r.kind as never,
            industry: r.industryKey,
            tags: JSON.parse(r.tags),
            benefits: JSON.parse(r.benefits),
            status: r.status as never,
            adopters: JSON.parse(r.adopters),
            year: r.year,
            patents: r.patents.map((p) => p.patent.number),
            awards: JSON.parse(r.awards),
            illustrative: r.illustrative,
          },
        },
        { actorId, visibility: r.visibility as "public" | "alliance" },
      );
    } else if (type === "studio") {
      const s = await tx.studio.findUniqueOrThrow({ where: { id }, include: { enterprise: true, people: { orderBy: { sortOrder: "asc" } } } });
      const leader = s.people.find((p) => p.role === "leader");
      await saveStudio(
        tx,
        {
          slug: s.slug,
          body: body.json,
          bodyText: body.text,
          data: {
            name: s.name,
            enterprise: s.enterprise.name,
            leader: leader?.name ?? "",
            leader_honours: leader ? JSON.parse(leader.honours) : [],
            members: s.people.filter((p) => p.role === "member").map((p) => p.name),
            level: s.level as never,
            industry: s.industryKey,
            sector: s.sector as never,
            specialties: JSON.parse(s.specialties),
            founded: s.founded,
            honours: JSON.parse(s.honours),
            needs: JSON.parse(s.skillNeeds),
            illustrative: s.illustrative,
          },
        },
        { actorId },
      );
    } else {
      const p = await tx.patent.findUniqueOrThrow({ where: { id }, include: { studio: true } });
      await savePatent(
        tx,
        {
          slug: p.slug,
          body: body.json,
          bodyText: body.text,
          data: {
            number: p.number,
            title: p.title,
            kind: p.kind as never,
            status: p.status as never,
            studio: p.studio.slug,
            filed: p.filedOn,
            granted: p.grantedOn ?? undefined,
            illustrative: p.illustrative,
          },
        },
        { actorId },
      );
    }
  });
  return true;
}
