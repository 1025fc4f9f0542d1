import type { Prisma } from "~/utils/db.server";

// THE rule for who sees a result. Every read of results goes through `resultVisibleTo` (a Prisma
// `where`) or `isResultVisibleTo` (one record already loaded); app/models/result.server.ts works
// out a viewer from a signed-in user. Free of runtime imports, so the search documents
// (app/models/search/documents.server.ts) can apply the same rule without pulling in the database.
//
// A published result is seen by everyone when public. An alliance-only one is seen by members of
// its studio, by members of studios that are accepted in an alliance together with its studio,
// and by coordinators and site admins. Drafts (unpublished) are seen by nobody here: the editor
// has its own permission check.

/** Who is looking, as the rule needs to know them. */
export interface ResultViewer {
  /** coordinators and site admins */
  readonly everyStudio: boolean;
  /** studios whose alliance-only results this viewer sees */
  readonly studioIds: ReadonlySet<string>;
}

/** A visitor who is not signed in — and what search indexes and public figures count. */
export const PUBLIC_VIEWER: ResultViewer = Object.freeze({ everyStudio: false, studioIds: new Set<string>() });

/** The results `viewer` may see, as a Prisma `where`; `and` narrows them further. */
export function resultVisibleTo(viewer: ResultViewer, and?: Prisma.ResultWhereInput): Prisma.ResultWhereInput {
  const ids = [...viewer.studioIds];
  const rule: Prisma.ResultWhereInput = viewer.everyStudio
    ? { published: true }
    : ids.length
      ? { published: true, OR: [{ visibility: "public" }, { studioId: { in: ids } }] }
      : { published: true, visibility: "public" };
  return and ? { AND: [rule, and] } : rule;
}

/** Whether `viewer` may see this one result: the same rule as `resultVisibleTo`. */
export function isResultVisibleTo(viewer: ResultViewer, r: { published: boolean; visibility: string; studioId: string }): boolean {
  return r.published && (viewer.everyStudio || r.visibility === "public" || viewer.studioIds.has(r.studioId));
}
