import type { Prisma } from "~/utils/db.server";

// THE rule for who sees a result or a patent. Every read of results goes through `resultVisibleTo`
// (a Prisma `where`) or `isResultVisibleTo` (one record already loaded), and of patents through
// `patentVisibleTo` / `isPatentVisibleTo`; app/models/result.server.ts works out a viewer from a
// signed-in user. Free of runtime imports, so the search documents (app/models/search/documents.server.ts)
// can apply the same rule without pulling in the database.
//
// A published result is seen by everyone when public. An alliance-only one is seen by members of
// its studio, by members of studios that are accepted in an alliance together with its studio,
// and by coordinators and site admins. Drafts (unpublished) are seen by nobody here: the editor
// has its own permission check. A new result or patent waiting for review (审核, `review` set:
// app/models/review.server.ts) is seen only by its own studio's members and by coordinators and
// site admins, who approve it; a change waiting for review leaves the record as it was published.

/** Who is looking, as the rule needs to know them. */
export interface ResultViewer {
  /** coordinators and site admins */
  readonly everyStudio: boolean;
  /** studios whose alliance-only results this viewer sees */
  readonly studioIds: ReadonlySet<string>;
  /** the viewer's own studios: their results and patents waiting for review are seen too */
  readonly ownStudioIds: ReadonlySet<string>;
}

/** A visitor who is not signed in — and what search indexes and public figures count. */
export const PUBLIC_VIEWER: ResultViewer = Object.freeze({ everyStudio: false, studioIds: new Set<string>(), ownStudioIds: new Set<string>() });

/** Coordinators and site admins: every published result, waiting for review or not. */
export const EVERY_STUDIO_VIEWER: ResultViewer = Object.freeze({ everyStudio: true, studioIds: new Set<string>(), ownStudioIds: new Set<string>() });

/** Not waiting for review, or waiting and the viewer's own studio's (a Prisma `where`). */
function reviewed(viewer: ResultViewer): { OR: [{ review: null }, { studioId: { in: string[] } }] } | { review: null } {
  const own = [...viewer.ownStudioIds];
  return own.length ? { OR: [{ review: null }, { studioId: { in: own } }] } : { review: null };
}

/** The results `viewer` may see, as a Prisma `where`; `and` narrows them further. */
export function resultVisibleTo(viewer: ResultViewer, and?: Prisma.ResultWhereInput): Prisma.ResultWhereInput {
  const ids = [...viewer.studioIds];
  const rule: Prisma.ResultWhereInput = viewer.everyStudio
    ? { published: true }
    : ids.length
      ? { published: true, AND: [{ OR: [{ visibility: "public" }, { studioId: { in: ids } }] }, reviewed(viewer)] }
      : { published: true, visibility: "public", ...reviewed(viewer) };
  return and ? { AND: [rule, and] } : rule;
}

/** Whether `viewer` may see this one result: the same rule as `resultVisibleTo`. */
export function isResultVisibleTo(viewer: ResultViewer, r: { published: boolean; visibility: string; studioId: string; review: string | null }): boolean {
  return r.published && (viewer.everyStudio || ((r.visibility === "public" || viewer.studioIds.has(r.studioId)) && (r.review === null || viewer.ownStudioIds.has(r.studioId))));
}

/** The patents `viewer` may see, as a Prisma `where`; `and` narrows them further. */
export function patentVisibleTo(viewer: ResultViewer, and?: Prisma.PatentWhereInput): Prisma.PatentWhereInput {
  const rule: Prisma.PatentWhereInput = viewer.everyStudio ? {} : reviewed(viewer);
  return and ? { AND: [rule, and] } : rule;
}

/** Whether `viewer` may see this one patent: the same rule as `patentVisibleTo`. */
export function isPatentVisibleTo(viewer: ResultViewer, p: { studioId: string; review: string | null }): boolean {
  return viewer.everyStudio || p.review === null || viewer.ownStudioIds.has(p.studioId);
}
