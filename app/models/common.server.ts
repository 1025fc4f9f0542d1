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

/**
 * The one way an Activity row is written: by the model of the change it describes, in that change's
 * transaction (an interactive `tx`, or `db` inside a batch `db.$transaction([...])`).
 */
export function recordActivity(
  tx: Tx,
  a: {
    verb: string;
    subjectType: string;
    subjectId: string;
    studioId?: string | null;
    allianceId?: string | null;
    actorId?: string | null;
    summary: string;
    before?: string | null;
    after?: string | null;
  },
) {
  return tx.activity.create({ data: { ...a, studioId: a.studioId ?? null, allianceId: a.allianceId ?? null, actorId: a.actorId ?? null } });
}

type ActivityRow = Parameters<typeof recordActivity>[1];

/** recordActivity for many rows at once (a spreadsheet import of thousands of records): one statement per 500. */
export async function recordActivities(tx: Tx, rows: readonly ActivityRow[]) {
  for (let i = 0; i < rows.length; i += 500) {
    await tx.activity.createMany({
      data: rows.slice(i, i + 500).map((a) => ({ ...a, studioId: a.studioId ?? null, allianceId: a.allianceId ?? null, actorId: a.actorId ?? null })),
    });
  }
}
