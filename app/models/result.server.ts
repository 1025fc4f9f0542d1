import type { ResultFront } from "~/content/schema";
import { db, type Tx } from "~/utils/db.server";
import { RESULT_LISTS, toList, withLists } from "~/utils/json";
import { pageWindow, type Paging } from "~/utils/paging";
import { slugFromName } from "~/utils/slug.server";
import { indexRecord } from "./search/sync.server";
import { CONFIRMED_ADOPTION } from "./adoption.server";
import { changedFields, recordActivity, type SaveOutcome } from "./common.server";
import type { SessionUser } from "~/utils/session.server";
import { EVERY_STUDIO_VIEWER, PUBLIC_VIEWER, resultVisibleTo, type ResultViewer } from "./result-visibility";
import { recordRevision } from "./revision.server";

export { isPatentVisibleTo, isResultVisibleTo, patentVisibleTo, PUBLIC_VIEWER, resultVisibleTo, type ResultViewer } from "./result-visibility";

export interface ResultInput {
  slug: string;
  data: ResultFront;
  body: string;
  bodyText: string;
}

/** Creates or updates a result (by slug) and its patent links. The studio and patents must exist. */
export interface SaveOptions {
  actorId?: string | null;
  /** from the editor: who may see it; imports leave it as it is */
  visibility?: "public" | "alliance";
  /** publishing from the editor clears the autosaved draft */
  clearDraft?: boolean;
  /** 审核: "pending" writes a new result that waits for review (review.server.ts); null marks it approved; imports leave it */
  review?: "pending" | null;
}

export async function saveResult(tx: Tx, input: ResultInput, options: SaveOptions = {}): Promise<SaveOutcome> {
  const { actorId } = options;
  const { data } = input;
  const studio = await tx.studio.findUniqueOrThrow({ where: { slug: data.studio }, select: { id: true } });
  const patents = data.patents.length ? await tx.patent.findMany({ where: { number: { in: data.patents } }, select: { id: true, number: true } }) : [];
  const fields = {
    title: data.title,
    studioId: studio.id,
    kind: data.kind,
    industryKey: data.industry,
    tags: toList(data.tags),
    benefits: toList(data.benefits),
    status: data.status,
    adopters: toList(data.adopters),
    year: data.year,
    awards: toList(data.awards),
    body: input.body,
    bodyText: input.bodyText,
    illustrative: data.illustrative,
    ...(options.visibility ? { visibility: options.visibility } : {}),
    ...(options.review !== undefined ? { review: options.review } : {}),
    published: true,
  };
  const existing = await tx.result.findUnique({ where: { slug: input.slug }, include: { patents: { select: { patentId: true } } } });
  const patentIds = patents.map((p) => p.id).sort();
  const linksChanged = !existing || JSON.stringify(existing.patents.map((p) => p.patentId).sort()) !== JSON.stringify(patentIds);
  const draft = options.clearDraft ? { draft: null, draftAt: null } : {};
  if (existing && !changedFields(existing, fields).length && !linksChanged) {
    if (options.clearDraft && existing.draft) await tx.result.update({ where: { id: existing.id }, data: draft });
    return "unchanged";
  }

  const result = existing
    ? await tx.result.update({ where: { id: existing.id }, data: { ...fields, ...draft, version: { increment: 1 } } })
    : await tx.result.create({ data: { slug: input.slug, ...fields, ...draft } });
  await recordRevision(tx, "result", result.id, result.version, { ...data, slug: result.slug, visibility: result.visibility, body: input.body }, actorId);
  if (linksChanged) {
    await tx.resultPatent.deleteMany({ where: { resultId: result.id } });
    if (patentIds.length) await tx.resultPatent.createMany({ data: patentIds.map((patentId) => ({ resultId: result.id, patentId })) });
  }
  await indexRecord(tx, "result", result.slug);
  // a result waiting for review is announced when approved (review.server.ts)
  if (result.review !== null) return existing ? "updated" : "created";
  await recordActivity(tx, {
    verb: existing?.published && existing.review === null ? "result.updated" : "result.published",
    subjectType: "result",
    subjectId: result.id,
    studioId: studio.id,
    actorId,
    summary: result.title,
  });
  return existing ? "updated" : "created";
}

/** A result's page data, or null when unknown or not for `viewer`'s eyes. */
/** A result by its slug with its studio and linked patents, for the forms that act on it (editing, history). */
export async function findResult(slug: string) {
  const r = await db.result.findUnique({ where: { slug }, include: { studio: true, patents: { include: { patent: true } } } });
  return r && withLists(r, RESULT_LISTS);
}

export async function getResult(viewer: ResultViewer, slug: string) {
  const r = await db.result.findFirst({
    where: resultVisibleTo(viewer, { slug }),
    include: {
      industry: true,
      studio: { include: { enterprise: true, people: { where: { role: "leader" } } } },
      patents: { include: { patent: true } },
      adoptions: { where: CONFIRMED_ADOPTION, include: { enterprise: true } },
    },
  });
  return r && withLists(r, RESULT_LISTS);
}

/**
 * Who `user` is to the visibility rule (./result-visibility.ts): the studios whose alliance-only
 * results they see — their own, and those accepted in an alliance with one of theirs.
 */
export async function resultViewer(user: SessionUser | null): Promise<ResultViewer> {
  if (!user) return PUBLIC_VIEWER;
  if (user.role === "admin" || user.role === "coordinator") return EVERY_STUDIO_VIEWER;
  const mine = user.memberships.map((m) => m.studioId);
  if (!mine.length) return PUBLIC_VIEWER;
  const peers = await db.allianceMember.findMany({
    where: { state: "accepted", alliance: { members: { some: { studioId: { in: mine }, state: "accepted" } } } },
    select: { studioId: true },
  });
  return { everyStudio: false, studioIds: new Set([...mine, ...peers.map((p) => p.studioId)]), ownStudioIds: new Set(mine) };
}

export function latestResults(viewer: ResultViewer, take = 6) {
  return db.result.findMany({
    where: resultVisibleTo(viewer),
    orderBy: [{ year: "desc" }, { createdAt: "desc" }],
    take,
    include: { studio: { include: { enterprise: true } }, industry: true },
  });
}

export const RESULTS_PER_PAGE = 24;

/**
 * One page of the results `viewer` may see that match the filter, newest year first, and how many
 * match: counted and paged in SQL. perPage Infinity: all of them (the export, an alliance's results).
 */
export async function listResults(viewer: ResultViewer, filter: { kind?: string; industry?: string; status?: string; studioIds?: string[] } & Paging) {
  const where = resultVisibleTo(viewer, {
    ...(filter.kind ? { kind: filter.kind } : {}),
    ...(filter.industry ? { industryKey: filter.industry } : {}),
    ...(filter.status ? { status: filter.status } : {}),
    ...(filter.studioIds ? { studioId: { in: filter.studioIds } } : {}),
  });
  const total = await db.result.count({ where });
  const w = pageWindow(total, filter, RESULTS_PER_PAGE);
  const results = await db.result.findMany({
    where,
    // the slug last, so that the pages are disjoint however many share a year and a title
    orderBy: [{ year: "desc" }, { title: "asc" }, { slug: "asc" }],
    skip: w.skip,
    take: w.take,
    include: { studio: { include: { enterprise: true } }, industry: true },
  });
  return { total, page: w.page, pages: w.pages, results: results.map((r) => withLists(r, RESULT_LISTS)) };
}

/** Results `viewer` sees whose slug shares a word with an unknown one, for a helpful 404. */
export async function similarResults(viewer: ResultViewer, slug: string, take = 4) {
  const words = slug.split("-").filter((w) => w.length > 2);
  if (!words.length) return [];
  return db.result.findMany({ where: resultVisibleTo(viewer, { OR: words.map((w) => ({ slug: { contains: w } })) }), select: { slug: true, title: true }, take });
}

/** A new result of a studio, not yet published (editing.server.ts createResultDraft). */
export async function createUnpublishedResult(studio: { id: string; slug: string; industryKey: string }, title: string) {
  const base = slugFromName(title || "result").slice(0, 50) || "result";
  let slug = base;
  for (let n = 2; await db.result.findUnique({ where: { slug }, select: { id: true } }); n++) slug = `${base}-${n}`;
  const empty = JSON.stringify({ root: { type: "root", version: 1, direction: "ltr", format: "", indent: 0, children: [] } });
  return db.result.create({
    data: {
      slug,
      title: title || "未命名成果",
      studioId: studio.id,
      kind: "other",
      industryKey: studio.industryKey,
      status: "piloting",
      year: new Date().getFullYear(),
      body: empty,
      bodyText: "",
      published: false,
      version: 0,
    },
  });
}

/** Autosave: the editor's whole form as the result's draft; nothing is published or indexed. */
export async function storeResultDraft(id: string, data: { draft: string; draftAt: Date }) {
  await db.result.update({ where: { id }, data });
}

/** Review (审核, decision 0024): the result's review state, and its search document with it. */
export async function setResultReview(tx: Tx, id: string, review: "pending" | "returned" | null) {
  const r = await tx.result.update({ where: { id }, data: { review } });
  await indexRecord(tx, "result", r.slug);
  return r;
}

/** A change held for review: the editor's autosaved draft is spent (the published version stays). */
export async function clearResultDraft(tx: Tx, id: string) {
  await tx.result.update({ where: { id }, data: { draft: null, draftAt: null } });
}
