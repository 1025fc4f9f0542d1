import { recordActivity } from "./common.server";
import { z } from "zod";
import { LEVELS, SECTORS } from "~/content/enums";
import type { MessageKey } from "~/i18n/messages";
import { markdownToLexical } from "~/lexical/markdown.server";
import { bodyToText } from "~/lexical/text";
import { db } from "~/utils/db.server";
import { parseForm, type FieldErrors } from "~/utils/forms.server";
import { parseList, toList } from "~/utils/json";
import { slugFromName } from "~/utils/slug.server";
import { safeString } from "~/utils/text-safety";
import { ensureEnterprise } from "./enterprise.server";
import { notify } from "./notification.server";
import { saveStudio } from "./studio.server";
import { storeUpload } from "./upload.server";

// 申报 — a signed-in user applies for their studio to join the hub with the studio's fields and an
// attachment. A coordinator approves (the studio is created — with a new enterprise when one was
// typed — and the applicant becomes its studio admin, in one transaction) or returns it with a
// reason; the applicant sees the reason and resubmits from the same form. The only write path.

const text = (max: number) => safeString().trim().min(1, "form.required").max(max, "form.tooLong");

export const ApplicationSchema = z
  .object({
    name: text(100),
    enterprise: z
      .string()
      .regex(/^([a-z0-9][a-z0-9-]{0,79})?$/, "form.invalid")
      .optional()
      .default(""),
    enterpriseName: safeString().trim().max(100, "form.tooLong").optional().default(""),
    leader: text(40),
    level: z.enum(LEVELS, "form.invalid"),
    industry: z.string().regex(/^[a-z0-9][a-z0-9-]{0,79}$/, "form.invalid"),
    specialties: safeString()
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
      .pipe(z.array(z.string().max(40, "form.tooLong")).min(1, "form.required").max(20, "form.tooMany")),
    introduction: text(3000),
  })
  .superRefine((a, ctx) => {
    if (!a.enterprise && !a.enterpriseName) ctx.addIssue({ code: "custom", path: ["enterprise"], message: "apply.error.enterprise" });
  });

export type ApplicationOutcome = { ok: true; id: string } | { ok: false; status: 400 | 403 | 404 | 409; errors: FieldErrors; values: Record<string, string> };

/** Sends an application, or (with `id`) resubmits one that was returned, keeping its attachment unless a new one comes. */
export async function submitApplication(actor: { id: string }, form: FormData, origin?: string): Promise<ApplicationOutcome> {
  const parsed = parseForm(ApplicationSchema, form);
  if (!parsed.ok) return { ok: false, status: 400, errors: parsed.errors, values: parsed.values };
  const { data: d, values } = parsed;
  const id = typeof form.get("id") === "string" ? String(form.get("id")) : "";
  const previous = id ? await db.studioApplication.findUnique({ where: { id } }) : null;
  if (id && (!previous || previous.applicantId !== actor.id)) return { ok: false, status: 404, errors: { _form: "apply.error.notFound" }, values };
  if (previous && previous.status !== "returned") return { ok: false, status: 409, errors: { _form: "apply.error.decided" }, values };
  if (!previous && (await db.studioApplication.findFirst({ where: { applicantId: actor.id, status: "pending" }, select: { id: true } }))) {
    return { ok: false, status: 409, errors: { _form: "apply.error.pending" }, values };
  }
  const [industry, enterprise, sameName] = await Promise.all([
    db.industry.findUnique({ where: { key: d.industry }, select: { key: true } }),
    d.enterprise ? db.enterprise.findFirst({ where: { slug: d.enterprise, archivedAt: null }, select: { id: true } }) : null,
    db.studio.findFirst({ where: { name: d.name }, select: { id: true } }),
  ]);
  if (!industry) return { ok: false, status: 400, errors: { industry: "form.invalid" }, values };
  if (d.enterprise && !enterprise) return { ok: false, status: 400, errors: { enterprise: "form.invalid" }, values };
  if (sameName) return { ok: false, status: 400, errors: { name: "apply.error.nameTaken" }, values };
  let attachment = previous?.attachment ?? null;
  const file = form.get("attachment");
  if (file instanceof File && file.size > 0) {
    const stored = await storeUpload(actor.id, new Uint8Array(await file.arrayBuffer()));
    if (!stored.ok) return { ok: false, status: 400, errors: { attachment: stored.message }, values };
    attachment = stored.src;
  }
  const fields = {
    name: d.name,
    enterpriseId: enterprise?.id ?? null,
    enterpriseName: enterprise ? "" : d.enterpriseName,
    leader: d.leader,
    level: d.level,
    industryKey: d.industry,
    specialties: toList(d.specialties),
    introduction: d.introduction,
    attachment,
    status: "pending",
    reason: "",
  };
  const app = await db.$transaction(async (tx) => {
    const a = previous
      ? await tx.studioApplication.update({ where: { id: previous.id }, data: fields })
      : await tx.studioApplication.create({ data: { ...fields, applicantId: actor.id } });
    await recordActivity(tx, { verb: "application.submitted", subjectType: "studioApplication", subjectId: a.id, actorId: actor.id, summary: a.name });
    return a;
  });
  const reviewers = await db.user.findMany({ where: { role: "coordinator", disabledAt: null }, select: { id: true } });
  await notify(
    reviewers.map((u) => u.id),
    { kind: "application.submitted", params: { name: app.name }, url: "/review" },
    origin,
  );
  return { ok: true, id: app.id };
}

export type ApplicationDecision = { ok: true; studioSlug?: string } | { ok: false; status: 400 | 403 | 404 | 409; reason: MessageKey; field?: string };

/** A coordinator approves (the studio is made, its applicant its admin) or returns an application with a reason. */
export async function decideApplication(
  actor: { id: string; role: string },
  id: string,
  decision: "approve" | "return",
  reason: string,
  origin?: string,
): Promise<ApplicationDecision> {
  if (actor.role !== "coordinator" && actor.role !== "admin") return { ok: false, status: 403, reason: "refused.coordinator" };
  const why = reason.trim().slice(0, 1000);
  if (decision === "return" && !why) return { ok: false, status: 400, reason: "review.error.reasonRequired", field: "reason" };
  const out = await db.$transaction(async (tx): Promise<ApplicationDecision | { ok: true; studioSlug?: string; applicantId: string; name: string }> => {
    const a = await tx.studioApplication.findUnique({ where: { id }, include: { enterprise: true, industry: true } });
    if (!a) return { ok: false, status: 404, reason: "apply.error.notFound" };
    if (a.applicantId === actor.id) return { ok: false, status: 403, reason: "review.error.own" };
    const claimed = await tx.studioApplication.updateMany({
      where: { id, status: "pending" },
      data: { status: decision === "approve" ? "approved" : "returned", reason: why, decidedById: actor.id, decidedAt: new Date() },
    });
    if (claimed.count !== 1) return { ok: false, status: 409, reason: "apply.error.decided" };
    let studioSlug: string | undefined;
    if (decision === "approve") {
      const enterpriseName = a.enterprise?.name ?? a.enterpriseName;
      if (!a.enterprise) await ensureEnterprise(tx, enterpriseName);
      const base = slugFromName(a.name).slice(0, 60) || "studio";
      let slug = base;
      for (let n = 2; await tx.studio.findUnique({ where: { slug }, select: { id: true } }); n++) slug = `${base}-${n}`;
      const body = markdownToLexical(a.introduction);
      const json = body.ok ? body.json : JSON.stringify({ root: { type: "root", version: 1, direction: null, format: "", indent: 0, children: [] } });
      await saveStudio(
        tx,
        {
          slug,
          body: json,
          bodyText: body.ok ? bodyToText(body.state) : a.introduction,
          data: {
            name: a.name,
            enterprise: enterpriseName,
            leader: a.leader,
            leader_honours: [],
            members: [],
            level: a.level as (typeof LEVELS)[number],
            industry: a.industryKey,
            sector: (SECTORS as readonly string[]).includes(a.industry.sector) ? (a.industry.sector as (typeof SECTORS)[number]) : "traditional",
            specialties: parseList(a.specialties),
            founded: new Date().getFullYear(),
            honours: [],
            needs: [],
            illustrative: false,
          },
        },
        { actorId: actor.id },
      );
      const studio = await tx.studio.findUniqueOrThrow({ where: { slug }, select: { id: true } });
      await tx.membership.upsert({
        where: { userId_studioId: { userId: a.applicantId, studioId: studio.id } },
        create: { userId: a.applicantId, studioId: studio.id, role: "admin" },
        update: { role: "admin" },
      });
      await tx.studioApplication.update({ where: { id }, data: { studioId: studio.id } });
      studioSlug = slug;
    }
    await recordActivity(tx, {
      verb: decision === "approve" ? "application.approved" : "application.returned",
      subjectType: "studioApplication",
      subjectId: a.id,
      actorId: actor.id,
      summary: a.name,
      ...(why ? { after: JSON.stringify({ reason: why }) } : {}),
    });
    return { ok: true, studioSlug, applicantId: a.applicantId, name: a.name };
  });
  if (!out.ok || !("applicantId" in out)) return out;
  await notify(
    [out.applicantId],
    {
      kind: decision === "approve" ? "application.approved" : "application.returned",
      params: { name: out.name, reason: why },
      url: out.studioSlug ? `/studios/${out.studioSlug}` : "/apply",
    },
    origin,
  );
  return { ok: true, studioSlug: out.studioSlug };
}

/** Applications waiting for a coordinator, oldest first. */
export async function pendingApplications() {
  const rows = await db.studioApplication.findMany({
    where: { status: "pending" },
    orderBy: { createdAt: "asc" },
    include: { enterprise: { select: { name: true } }, applicant: { select: { name: true } } },
  });
  return rows.map((a) => ({
    id: a.id,
    name: a.name,
    enterprise: a.enterprise?.name ?? a.enterpriseName,
    leader: a.leader,
    level: a.level,
    specialties: parseList(a.specialties),
    introduction: a.introduction,
    attachment: a.attachment,
    applicant: a.applicant.name,
    createdAt: a.createdAt.toISOString(),
  }));
}

/** The user's applications, newest first, with what the form needs to resubmit one. */
export async function myApplications(userId: string) {
  const rows = await db.studioApplication.findMany({
    where: { applicantId: userId },
    orderBy: { updatedAt: "desc" },
    include: { enterprise: { select: { slug: true, name: true } }, studio: { select: { slug: true } } },
  });
  return rows.map((a) => ({
    id: a.id,
    status: a.status as "pending" | "approved" | "returned",
    reason: a.reason,
    studioSlug: a.studio?.slug ?? null,
    attachment: a.attachment,
    values: {
      name: a.name,
      enterprise: a.enterprise?.slug ?? "",
      enterpriseName: a.enterpriseName,
      leader: a.leader,
      level: a.level,
      industry: a.industryKey,
      specialties: parseList(a.specialties).join("，"),
      introduction: a.introduction,
    },
  }));
}
