import type { Tx } from "~/utils/db.server";

export type SaveOutcome = "created" | "updated" | "unchanged";

/** Names of the fields whose value differs between a stored record and the values about to be written. */
export function changedFields(existing: Record<string, unknown> | null, next: Record<string, unknown>): string[] {
  if (!existing) return Object.keys(next);
  return Object.keys(next).filter((k) => !sameValue(existing[k], next[k]));
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a instanceof Date || b instanceof Date) return String(a) === String(b);
  return (a ?? null) === (b ?? null);
}

export async function recordActivity(
  tx: Tx,
  a: {
    verb: string;
    subjectType: string;
    subjectId: string;
    studioId?: string | null;
    allianceId?: string | null;
    actorId?: string | null;
    summary: string;
    after?: string | null;
  },
) {
  await tx.activity.create({ data: { ...a, studioId: a.studioId ?? null, allianceId: a.allianceId ?? null, actorId: a.actorId ?? null } });
}
