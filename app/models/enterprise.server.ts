import { randomUUID } from "node:crypto";
import { z } from "zod";
import { db, type Tx } from "~/utils/db.server";
import { NEED_LISTS, STUDIO_LISTS, withLists } from "~/utils/json";
import { pageWindow, type Paging } from "~/utils/paging";
import { safeString } from "~/utils/text-safety";
import { indexRecord } from "./search/sync.server";
import { slugFromName } from "~/utils/slug.server";
import { patentVisibleTo, resultVisibleTo, type ResultViewer } from "./result-visibility";
import { recordActivity } from "./common.server";

/** Finds an enterprise by its name or creates it with a pinyin slug that no other enterprise uses. */
export async function ensureEnterprise(tx: Tx, name: string): Promise<{ id: string; created: boolean }> {
  const existing = await tx.enterprise.findUnique({ where: { name }, select: { id: true } });
  if (existing) return { id: existing.id, created: false };
  const base = slugFromName(name);
  let slug = base;
  for (let n = 2; await tx.enterprise.findUnique({ where: { slug }, select: { id: true } }); n++) slug = `${base}-${n}`;
  const e = await tx.enterprise.create({ data: { name, slug }, select: { id: true } });
  return { id: e.id, created: true };
}

/**
 * ensureEnterprise for many names at once (a spreadsheet import): the id of each name, the missing
 * enterprises created with the slugs ensureEnterprise would give them, in a few statements.
 */
export async function ensureEnterprises(tx: Tx, names: Iterable<string>): Promise<Map<string, string>> {
  const wanted = [...new Set(names)];
  const ids = new Map<string, string>();
  for (let i = 0; i < wanted.length; i += 500) {
    for (const e of await tx.enterprise.findMany({ where: { name: { in: wanted.slice(i, i + 500) } }, select: { id: true, name: true } })) ids.set(e.name, e.id);
  }
  const missing = wanted.filter((n) => !ids.has(n));
  if (!missing.length) return ids;
  const taken = new Set((await tx.enterprise.findMany({ select: { slug: true } })).map((e) => e.slug));
  const rows = missing.map((name) => {
    const base = slugFromName(name);
    let slug = base;
    for (let n = 2; taken.has(slug); n++) slug = `${base}-${n}`;
    taken.add(slug);
    ids.set(name, randomUUID());
    return { id: ids.get(name)!, name, slug };
  });
  for (let i = 0; i < rows.length; i += 500) await tx.enterprise.createMany({ data: rows.slice(i, i + 500) });
  return ids;
}

// —— an enterprise named in a form (an enterprise contact's request, an adoption record) ——

const ENTERPRISE_SLUG = /^([a-z0-9][a-z0-9-]{0,79})?$/;

/** The two fields of a form that names an enterprise: one picked from the list, or a new name. */
export const EnterpriseChoiceFields = {
  enterprise: z.string().regex(ENTERPRISE_SLUG, "form.invalid").optional().default(""),
  newName: safeString().trim().max(80, "form.tooLong").optional().default(""),
};
/** Exactly one of the two is given (a refine for schemas built from EnterpriseChoiceFields). */
export const ONE_ENTERPRISE: [(v: { enterprise: string; newName: string }) => boolean, { message: string; path: PropertyKey[] }] = [
  (v) => Boolean(v.enterprise) !== Boolean(v.newName),
  { message: "contact.pickOne", path: ["enterprise"] },
];

export type EnterpriseChoice = { ok: true; enterpriseId: string; proposedName: "" } | { ok: true; enterpriseId: null; proposedName: string } | { ok: false; field: "enterprise" };

/**
 * The one rule for an enterprise a user names: one picked from the list, or typed with the exact name
 * of one, is used as it is; any other name is only *proposed* — the record waits with `proposedName`
 * and the name becomes a public enterprise when a coordinator confirms it (confirmProposedEnterprise).
 * Nothing a user types creates an enterprise by itself.
 */
export async function chooseEnterprise(tx: Tx, choice: { enterprise: string; newName: string }): Promise<EnterpriseChoice> {
  if (choice.enterprise) {
    const e = await tx.enterprise.findUnique({ where: { slug: choice.enterprise }, select: { id: true } });
    return e ? { ok: true, enterpriseId: e.id, proposedName: "" } : { ok: false, field: "enterprise" };
  }
  const same = await tx.enterprise.findUnique({ where: { name: choice.newName }, select: { id: true } });
  return same ? { ok: true, enterpriseId: same.id, proposedName: "" } : { ok: true, enterpriseId: null, proposedName: choice.newName };
}

/** A coordinator confirmed a proposed name: the enterprise now exists (or already did, by that name). */
export async function confirmProposedEnterprise(tx: Tx, proposedName: string): Promise<string> {
  return (await ensureEnterprise(tx, proposedName)).id;
}

export async function getEnterprise(viewer: ResultViewer, slug: string) {
  const e = await db.enterprise.findUnique({
    where: { slug },
    include: {
      studios: {
        orderBy: { name: "asc" },
        include: { industry: true, _count: { select: { results: { where: resultVisibleTo(viewer) }, patents: { where: patentVisibleTo(viewer) } } } },
      },
      needs: { orderBy: { createdAt: "desc" }, include: { industry: true } },
    },
  });
  return e && { ...e, studios: e.studios.map((s) => withLists(s, STUDIO_LISTS)), needs: e.needs.map((n) => withLists(n, NEED_LISTS)) };
}

/** The slug of the enterprise a merged one now lives on, following merges of merges; null when none. */
export async function survivorSlug(mergedIntoId: string | null): Promise<string | null> {
  for (let id = mergedIntoId, hops = 0; id && hops < 10; hops++) {
    const e = await db.enterprise.findUnique({ where: { id }, select: { slug: true, mergedIntoId: true } });
    if (!e) return null;
    if (!e.mergedIntoId) return e.slug;
    id = e.mergedIntoId;
  }
  return null;
}

export const ENTERPRISES_PER_PAGE = 48;

/** One page of the enterprise directory (/enterprises): every enterprise not archived, by name, counted and paged in SQL. */
export async function enterpriseDirectory(paging: Paging) {
  const where = { archivedAt: null };
  const total = await db.enterprise.count({ where });
  const w = pageWindow(total, paging, ENTERPRISES_PER_PAGE);
  const enterprises = await db.enterprise.findMany({
    where,
    orderBy: [{ name: "asc" }, { slug: "asc" }],
    skip: w.skip,
    take: w.take,
    include: { _count: { select: { studios: true, needs: true } } },
  });
  return { total, page: w.page, pages: w.pages, enterprises };
}

/** Every enterprise not archived, by name: the choices of the forms and filters. */
export function listEnterprises() {
  return db.enterprise.findMany({
    where: { archivedAt: null },
    orderBy: { name: "asc" },
    include: { _count: { select: { studios: true, needs: true } } },
  });
}

/** At most this many enterprises in a list's filter: a province's thousands would make a page of megabytes. */
export const ENTERPRISE_FILTER_CHOICES = 100;

/**
 * The enterprises a list's filter offers: those with studios (or needs), the ones with the most
 * first when there are more than ENTERPRISE_FILTER_CHOICES, always with the one chosen; by name.
 * Every enterprise stays reachable from /enterprises, which pages.
 */
export async function enterpriseFilterChoices(of: "studios" | "needs", chosen?: string | null) {
  // (a copy: answers of the read cache are shared and frozen)
  const rows = [
    ...(await db.enterprise.findMany({
      where: { archivedAt: null, [of]: { some: {} } },
      orderBy: [{ [of]: { _count: "desc" } }, { name: "asc" }],
      take: ENTERPRISE_FILTER_CHOICES,
      select: { slug: true, name: true },
    })),
  ];
  if (chosen && !rows.some((e) => e.slug === chosen)) {
    const one = await db.enterprise.findUnique({ where: { slug: chosen }, select: { slug: true, name: true } });
    if (one) rows.push(one);
  }
  const collator = new Intl.Collator("zh-CN");
  return rows.sort((a, b) => collator.compare(a.name, b.name));
}

// —— administration (/admin/enterprises): the only write path for creating, editing, archiving and
// merging enterprises; each change, its search documents and its Activity row in one transaction ——

type Actor = { id: string; role: string };
const isAdmin = (a: Actor | null) => a?.role === "admin";

export const EnterpriseSchema = z.object({
  name: safeString().trim().min(2, "form.required").max(100, "form.tooLong"),
  nameEn: safeString().trim().max(200, "form.tooLong").optional().default(""),
  description: safeString().trim().max(2000, "form.tooLong").optional().default(""),
});
export type EnterpriseInput = z.input<typeof EnterpriseSchema>;

export type EnterpriseOutcome =
  | { ok: true; slug: string; name: string; changed: boolean }
  | { ok: false; reason: "forbidden" | "not-found" | "same" | "archivedTarget" }
  | { ok: false; reason: "invalid"; errors: Record<string, string> };

/** Enterprises for the admin page, with what hangs off each; archived ones only when asked for. */
export async function listEnterprisesForAdmin(actor: Actor | null, o: { archived?: boolean } = {}) {
  if (!isAdmin(actor)) return null;
  const rows = await db.enterprise.findMany({
    where: o.archived ? {} : { archivedAt: null },
    orderBy: { name: "asc" },
    include: { _count: { select: { studios: true, needs: true, contacts: true } } },
  });
  return rows.map((e) => ({
    id: e.id,
    slug: e.slug,
    name: e.name,
    nameEn: e.nameEn ?? "",
    description: e.description ?? "",
    archivedAt: e.archivedAt?.toISOString() ?? null,
    studios: e._count.studios,
    needs: e._count.needs,
    contacts: e._count.contacts,
  }));
}

/** The search documents that show the enterprise's name: its studios, their results and patents, its needs. */
async function reindexEnterprise(tx: Tx, enterpriseId: string) {
  const studios = await tx.studio.findMany({ where: { enterpriseId }, select: { slug: true, results: { select: { slug: true } }, patents: { select: { slug: true } } } });
  const needs = await tx.need.findMany({ where: { enterpriseId }, select: { slug: true } });
  for (const s of studios) {
    await indexRecord(tx, "studio", s.slug);
    for (const r of s.results) await indexRecord(tx, "result", r.slug);
    for (const p of s.patents) await indexRecord(tx, "patent", p.slug);
  }
  for (const n of needs) await indexRecord(tx, "need", n.slug);
}

const fieldsOf = (e: { name: string; nameEn: string | null; description: string | null }) => ({ name: e.name, nameEn: e.nameEn ?? "", description: e.description ?? "" });

function parseEnterprise(input: EnterpriseInput): { ok: true; data: z.output<typeof EnterpriseSchema> } | { ok: false; errors: Record<string, string> } {
  const parsed = EnterpriseSchema.safeParse(input);
  if (parsed.success) return { ok: true, data: parsed.data };
  const errors: Record<string, string> = {};
  for (const i of parsed.error.issues) errors[String(i.path[0])] ??= i.message.includes(".") ? i.message : "form.invalid";
  return { ok: false, errors };
}

export async function createEnterprise(actor: Actor, input: EnterpriseInput): Promise<EnterpriseOutcome> {
  if (!isAdmin(actor)) return { ok: false, reason: "forbidden" };
  const parsed = parseEnterprise(input);
  if (!parsed.ok) return { ok: false, reason: "invalid", errors: parsed.errors };
  const d = parsed.data;
  return db.$transaction(async (tx) => {
    if (await tx.enterprise.findUnique({ where: { name: d.name }, select: { id: true } }))
      return { ok: false as const, reason: "invalid" as const, errors: { name: "admin.enterprises.error.nameTaken" } };
    const { id } = await ensureEnterprise(tx, d.name);
    const e = await tx.enterprise.update({ where: { id }, data: { nameEn: d.nameEn || null, description: d.description || null } });
    await recordActivity(tx, { verb: "enterprise.created", subjectType: "enterprise", subjectId: e.id, actorId: actor.id, summary: e.name, after: JSON.stringify(fieldsOf(e)) });
    return { ok: true as const, slug: e.slug, name: e.name, changed: true };
  });
}

export async function updateEnterprise(actor: Actor, id: string, input: EnterpriseInput): Promise<EnterpriseOutcome> {
  if (!isAdmin(actor)) return { ok: false, reason: "forbidden" };
  const parsed = parseEnterprise(input);
  if (!parsed.ok) return { ok: false, reason: "invalid", errors: parsed.errors };
  const next = parsed.data;
  return db.$transaction(async (tx) => {
    const e = await tx.enterprise.findUnique({ where: { id } });
    if (!e) return { ok: false as const, reason: "not-found" as const };
    const before = fieldsOf(e);
    const changed = (Object.keys(before) as (keyof typeof before)[]).filter((k) => before[k] !== next[k]);
    if (!changed.length) return { ok: true as const, slug: e.slug, name: e.name, changed: false };
    if (next.name !== e.name && (await tx.enterprise.findUnique({ where: { name: next.name }, select: { id: true } }))) {
      return { ok: false as const, reason: "invalid" as const, errors: { name: "admin.enterprises.error.nameTaken" } };
    }
    await tx.enterprise.update({ where: { id }, data: { name: next.name, nameEn: next.nameEn || null, description: next.description || null } });
    if (next.name !== e.name) await reindexEnterprise(tx, id);
    await recordActivity(tx, {
      verb: "enterprise.updated",
      subjectType: "enterprise",
      subjectId: id,
      actorId: actor.id,
      summary: next.name,
      before: JSON.stringify(Object.fromEntries(changed.map((k) => [k, before[k]]))),
      after: JSON.stringify(Object.fromEntries(changed.map((k) => [k, next[k]]))),
    });
    return { ok: true as const, slug: e.slug, name: next.name, changed: true };
  });
}

/** Archived enterprises leave the lists (/enterprises, the admin page by default); their pages still answer. */
export async function setEnterpriseArchived(actor: Actor, id: string, archived: boolean): Promise<EnterpriseOutcome> {
  if (!isAdmin(actor)) return { ok: false, reason: "forbidden" };
  return db.$transaction(async (tx) => {
    const e = await tx.enterprise.findUnique({ where: { id } });
    if (!e) return { ok: false as const, reason: "not-found" as const };
    if (!!e.archivedAt === archived) return { ok: true as const, slug: e.slug, name: e.name, changed: false };
    await tx.enterprise.update({ where: { id }, data: { archivedAt: archived ? new Date() : null, ...(archived ? {} : { mergedIntoId: null }) } });
    await recordActivity(tx, {
      verb: archived ? "enterprise.archived" : "enterprise.restored",
      subjectType: "enterprise",
      subjectId: id,
      actorId: actor.id,
      summary: e.name,
      before: JSON.stringify({ archived: !archived }),
      after: JSON.stringify({ archived }),
    });
    return { ok: true as const, slug: e.slug, name: e.name, changed: true };
  });
}

/**
 * Merges two records of the same company: the studios, needs, contacts and adoptions of `fromId`
 * move to `intoId` (an adoption of a result the survivor has also adopted is dropped), the search
 * documents follow the new name, and `fromId` is archived, pointing at the survivor. One transaction.
 */
export async function mergeEnterprises(actor: Actor, fromId: string, intoId: string): Promise<EnterpriseOutcome> {
  if (!isAdmin(actor)) return { ok: false, reason: "forbidden" };
  if (fromId === intoId) return { ok: false, reason: "same" };
  return db.$transaction(async (tx) => {
    const [from, into] = await Promise.all([tx.enterprise.findUnique({ where: { id: fromId } }), tx.enterprise.findUnique({ where: { id: intoId } })]);
    if (!from || !into) return { ok: false as const, reason: "not-found" as const };
    if (into.archivedAt) return { ok: false as const, reason: "archivedTarget" as const };
    const kept = await tx.adoption.findMany({ where: { enterpriseId: intoId }, select: { resultId: true } });
    await tx.adoption.deleteMany({ where: { enterpriseId: fromId, resultId: { in: kept.map((a) => a.resultId) } } });
    const moved = {
      studios: (await tx.studio.updateMany({ where: { enterpriseId: fromId }, data: { enterpriseId: intoId } })).count,
      needs: (await tx.need.updateMany({ where: { enterpriseId: fromId }, data: { enterpriseId: intoId } })).count,
      contacts: (await tx.enterpriseContact.updateMany({ where: { enterpriseId: fromId }, data: { enterpriseId: intoId } })).count,
      adoptions: (await tx.adoption.updateMany({ where: { enterpriseId: fromId }, data: { enterpriseId: intoId } })).count,
    };
    await tx.enterprise.update({ where: { id: fromId }, data: { archivedAt: from.archivedAt ?? new Date(), mergedIntoId: intoId } });
    await reindexEnterprise(tx, intoId);
    await recordActivity(tx, {
      verb: "enterprise.merged",
      subjectType: "enterprise",
      subjectId: fromId,
      actorId: actor.id,
      summary: `${from.name} → ${into.name}`,
      before: JSON.stringify({ mergedInto: "" }),
      after: JSON.stringify({ mergedInto: into.name, moved: `${moved.studios} / ${moved.needs} / ${moved.contacts} / ${moved.adoptions}` }),
    });
    return { ok: true as const, slug: into.slug, name: into.name, changed: true };
  });
}
