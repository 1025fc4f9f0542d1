import { db, type Tx } from "~/utils/db.server";

export type SubjectType = "studio" | "result" | "patent";

/** Keeps the state of a record as of one version: who saved it, when, and every field with the body. */
export async function recordRevision(tx: Tx, subjectType: SubjectType, subjectId: string, version: number, data: Record<string, unknown>, authorId?: string | null) {
  await tx.revision.upsert({
    where: { subjectType_subjectId_version: { subjectType, subjectId, version } },
    create: { subjectType, subjectId, version, authorId: authorId ?? null, data: JSON.stringify(data) },
    update: { authorId: authorId ?? null, data: JSON.stringify(data) },
  });
}

/** The first revision (version 1) of many new records at once (a spreadsheet import): one statement per 500. */
export async function recordFirstRevisions(tx: Tx, subjectType: SubjectType, rows: readonly { subjectId: string; data: Record<string, unknown> }[], authorId?: string | null) {
  for (let i = 0; i < rows.length; i += 500) {
    await tx.revision.createMany({
      data: rows.slice(i, i + 500).map((r) => ({ subjectType, subjectId: r.subjectId, version: 1, authorId: authorId ?? null, data: JSON.stringify(r.data) })),
    });
  }
}

/**
 * The next revision of many records at once (a spreadsheet update): a revision of the same version
 * left over from an earlier save is replaced, as recordRevision does; one statement per 500.
 */
export async function recordNextRevisions(
  tx: Tx,
  subjectType: SubjectType,
  rows: readonly { subjectId: string; version: number; data: Record<string, unknown> }[],
  authorId?: string | null,
) {
  for (let i = 0; i < rows.length; i += 500) {
    const slice = rows.slice(i, i + 500);
    const next = new Map(slice.map((r) => [r.subjectId, r.version]));
    const leftOver = await tx.revision.findMany({ where: { subjectType, subjectId: { in: [...next.keys()] } }, select: { id: true, subjectId: true, version: true } });
    const stale = leftOver.filter((v) => next.get(v.subjectId) === v.version).map((v) => v.id);
    if (stale.length) await tx.revision.deleteMany({ where: { id: { in: stale } } });
    await tx.revision.createMany({
      data: slice.map((r) => ({ subjectType, subjectId: r.subjectId, version: r.version, authorId: authorId ?? null, data: JSON.stringify(r.data) })),
    });
  }
}

export function listRevisions(subjectType: SubjectType, subjectId: string) {
  return db.revision.findMany({
    where: { subjectType, subjectId },
    orderBy: { version: "desc" },
    include: { author: { select: { name: true } } },
  });
}

export async function getRevision(subjectType: SubjectType, subjectId: string, version: number) {
  const r = await db.revision.findUnique({
    where: { subjectType_subjectId_version: { subjectType, subjectId, version } },
    include: { author: { select: { name: true } } },
  });
  return r ? { ...r, fields: JSON.parse(r.data) as Record<string, unknown> } : null;
}

/** Names of the fields that differ between two revisions' data, for the history list. */
export function revisionChanges(prev: Record<string, unknown> | null, next: Record<string, unknown>): string[] {
  if (!prev) return [];
  return Object.keys(next).filter((k) => JSON.stringify(prev[k]) !== JSON.stringify(next[k]));
}
