import type { PatentFront } from "~/content/schema";
import { db, type Tx } from "~/utils/db.server";
import { pageWindow, type Paging } from "~/utils/paging";
import { indexRecord } from "./search/sync.server";
import { changedFields, recordActivity, type SaveOutcome } from "./common.server";
import { patentVisibleTo, resultVisibleTo, type ResultViewer } from "./result-visibility";
import { recordRevision } from "./revision.server";

export interface PatentInput {
  slug: string;
  data: PatentFront;
  body: string;
  bodyText: string;
}

/** `review`: "pending" writes a new patent that waits for review (review.server.ts); null marks it approved; imports leave it. */
export async function savePatent(tx: Tx, input: PatentInput, options: { actorId?: string | null; clearDraft?: boolean; review?: "pending" | null } = {}): Promise<SaveOutcome> {
  const { actorId } = options;
  const { data } = input;
  const studio = await tx.studio.findUniqueOrThrow({ where: { slug: data.studio }, select: { id: true } });
  const fields = {
    number: data.number,
    title: data.title,
    kind: data.kind,
    status: data.status,
    studioId: studio.id,
    filedOn: data.filed,
    grantedOn: data.granted ?? null,
    body: input.body,
    bodyText: input.bodyText,
    illustrative: data.illustrative,
    ...(options.review !== undefined ? { review: options.review } : {}),
  };
  const existing = await tx.patent.findUnique({ where: { slug: input.slug } });
  const draft = options.clearDraft ? { draft: null, draftAt: null } : {};
  if (existing && !changedFields(existing, fields).length) {
    if (options.clearDraft && existing.draft) await tx.patent.update({ where: { id: existing.id }, data: draft });
    return "unchanged";
  }
  const patent = existing
    ? await tx.patent.update({ where: { id: existing.id }, data: { ...fields, ...draft, version: { increment: 1 } } })
    : await tx.patent.create({ data: { slug: input.slug, ...fields, ...draft } });
  await recordRevision(tx, "patent", patent.id, patent.version, { ...data, slug: patent.slug, body: input.body }, actorId);
  await indexRecord(tx, "patent", patent.slug);
  // a patent waiting for review is announced when approved (review.server.ts)
  if (patent.review !== null) return existing ? "updated" : "created";
  await recordActivity(tx, {
    verb: existing && existing.review === null ? "patent.updated" : "patent.created",
    subjectType: "patent",
    subjectId: patent.id,
    studioId: studio.id,
    actorId,
    summary: patent.title,
  });
  return existing ? "updated" : "created";
}

/** A patent with the results linked to it that `viewer` may see. */
/** A patent by its slug with its studio, for the forms that act on it (editing, history). */
export function findPatent(slug: string) {
  return db.patent.findUnique({ where: { slug }, include: { studio: true } });
}

/** A studio's patents, newest first: the choices of a result's "related patents". */
export function studioPatentChoices(studioId: string) {
  return db.patent.findMany({ where: { studioId }, orderBy: { filedOn: "desc" }, select: { number: true, title: true } });
}

export function getPatent(viewer: ResultViewer, slug: string) {
  return db.patent.findFirst({
    where: patentVisibleTo(viewer, { slug }),
    include: {
      studio: { include: { enterprise: true } },
      results: { where: { result: resultVisibleTo(viewer) }, include: { result: { select: { slug: true, title: true } } } },
    },
  });
}

export const PATENTS_PER_PAGE = 24;

/** One page of the patents `viewer` may see that match the filter, newest filing first, and how many match: counted and paged in SQL. */
export async function listPatents(viewer: ResultViewer, filter: { kind?: string; status?: string } & Paging) {
  const where = patentVisibleTo(viewer, { ...(filter.kind ? { kind: filter.kind } : {}), ...(filter.status ? { status: filter.status } : {}) });
  const total = await db.patent.count({ where });
  const w = pageWindow(total, filter, PATENTS_PER_PAGE);
  const patents = await db.patent.findMany({
    where,
    orderBy: [{ filedOn: "desc" }, { slug: "asc" }],
    skip: w.skip,
    take: w.take,
    include: { studio: { include: { enterprise: true } } },
  });
  return { total, page: w.page, pages: w.pages, patents };
}

/** Autosave: the editor's whole form as the patent's draft; nothing is published or indexed. */
export async function storePatentDraft(id: string, data: { draft: string; draftAt: Date }) {
  await db.patent.update({ where: { id }, data });
}

/** Review (审核, decision 0024): the patent's review state, and its search document with it. */
export async function setPatentReview(tx: Tx, id: string, review: "pending" | "returned" | null) {
  const p = await tx.patent.update({ where: { id }, data: { review } });
  await indexRecord(tx, "patent", p.slug);
  return p;
}

/** A change held for review: the editor's autosaved draft is spent (the published version stays). */
export async function clearPatentDraft(tx: Tx, id: string) {
  await tx.patent.update({ where: { id }, data: { draft: null, draftAt: null } });
}
