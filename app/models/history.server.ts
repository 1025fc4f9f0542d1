import { renderBodyHtml } from "~/lexical/render.server";
import type { HistoryData } from "~/components/history";
import { getRevision, listRevisions, revisionChanges, type SubjectType } from "./revision.server";

/** What the history page shows for one record; `view` is the version opened beside the list. */
export async function historyData(type: SubjectType, id: string, name: string, href: string, current: number, view: number | null): Promise<HistoryData> {
  const revisions = await listRevisions(type, id);
  const parsed = revisions.map((r) => ({ ...r, fields: JSON.parse(r.data) as Record<string, unknown> }));
  const viewing = view ? await getRevision(type, id, view) : null;
  return {
    name,
    href,
    current,
    revisions: parsed.map((r, i) => ({
      version: r.version,
      by: r.author?.name ?? null,
      at: r.createdAt.toISOString(),
      changed: revisionChanges(parsed[i + 1]?.fields ?? null, r.fields).filter((k) => k !== "slug"),
    })),
    viewing: viewing ? { version: viewing.version, html: renderBodyHtml(String(viewing.fields.body ?? "")) } : null,
  };
}
