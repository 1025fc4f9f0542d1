import type { StudioFront } from "~/content/schema";
import { db, keptUntilChange, type Prisma, type Tx } from "~/utils/db.server";
import { PERSON_LISTS, RESULT_LISTS, STUDIO_LISTS, toList, withLists } from "~/utils/json";
import { pageWindow, slicePage } from "~/utils/paging";
import { randomUUID } from "node:crypto";
import { indexRecord, writeDocuments } from "./search/sync.server";
import { buildPersonDocuments, buildStudioDocuments } from "./search/documents.server";
import { changedFields, recordActivities, recordActivity, type SaveOutcome } from "./common.server";
import { recordFirstRevisions, recordNextRevisions, recordRevision } from "./revision.server";
import { ensureEnterprise, ensureEnterprises } from "./enterprise.server";
import { createStudioPeople, indexStudioPeople, syncStudioPeople, syncStudiosPeople } from "./person.server";
import { rawConnectionOf } from "~/utils/raw-sqlite.server";
import { patentVisibleTo, resultVisibleTo, type ResultViewer } from "./result-visibility";

export interface StudioInput {
  slug: string;
  data: StudioFront;
  body: string;
  bodyText: string;
}

/** Creates or updates a studio (by slug) with its leader and members; reports what happened. */
export async function saveStudio(tx: Tx, input: StudioInput, options: { actorId?: string | null; clearDraft?: boolean } = {}): Promise<SaveOutcome> {
  const { actorId } = options;
  const { data } = input;
  const enterprise = await ensureEnterprise(tx, data.enterprise);
  const fields = studioFields(input, enterprise.id);
  const existing = await tx.studio.findUnique({ where: { slug: input.slug } });
  // people are updated in place, never re-created: deliveries and links name them by id
  const syncPeople = (studioId: string) => syncStudioPeople(tx, studioId, data.leader, data.leader_honours, data.members);
  const peopleChanged = existing ? await syncPeople(existing.id) : true;
  const changed = changedFields(existing, fields);
  const draft = options.clearDraft ? { draft: null, draftAt: null } : {};
  if (existing && !changed.length && !peopleChanged) {
    if (options.clearDraft && existing.draft) await tx.studio.update({ where: { id: existing.id }, data: draft });
    return "unchanged";
  }

  const studio = existing
    ? await tx.studio.update({ where: { id: existing.id }, data: { ...fields, ...draft, version: { increment: 1 } } })
    : await tx.studio.create({ data: { slug: input.slug, ...fields, ...draft } });
  await recordRevision(tx, "studio", studio.id, studio.version, { ...data, slug: studio.slug, body: input.body }, actorId);
  if (!existing) await syncPeople(studio.id);
  await indexRecord(tx, "studio", studio.slug);
  await indexStudioPeople(tx, studio.id);
  if (existing && (changed.includes("name") || changed.includes("enterpriseId") || changed.includes("level"))) {
    // results and patents show their studio's name and enterprise in search
    const [results, patents] = await Promise.all([
      tx.result.findMany({ where: { studioId: studio.id }, select: { slug: true } }),
      tx.patent.findMany({ where: { studioId: studio.id }, select: { slug: true } }),
    ]);
    for (const r of results) await indexRecord(tx, "result", r.slug);
    for (const p of patents) await indexRecord(tx, "patent", p.slug);
  }
  await recordActivity(tx, {
    verb: existing ? "studio.updated" : "studio.created",
    subjectType: "studio",
    subjectId: studio.id,
    studioId: studio.id,
    actorId,
    summary: studio.name,
  });
  return existing ? "updated" : "created";
}

/**
 * Many new studios at once (a spreadsheet import, decision 0025): what saveStudio writes for a new
 * studio — the row, its first revision, its leader and members, the search documents of the studio
 * and its people, a studio.created Activity — in a few statements per 500 rows. The slugs must be
 * new (the importer checked); `reservedPersonSlugs` are slugs promised to people written afterwards.
 */
export async function createStudios(tx: Tx, inputs: readonly StudioInput[], actorId?: string | null, reservedPersonSlugs: Iterable<string> = []): Promise<void> {
  if (!inputs.length) return;
  const enterprises = await ensureEnterprises(
    tx,
    inputs.map((i) => i.data.enterprise),
  );
  const rows = inputs.map((input) => ({ id: randomUUID(), slug: input.slug, ...studioFields(input, enterprises.get(input.data.enterprise)!) }));
  for (let i = 0; i < rows.length; i += 500) await tx.studio.createMany({ data: rows.slice(i, i + 500) });
  await recordFirstRevisions(
    tx,
    "studio",
    inputs.map((input, i) => ({ subjectId: rows[i].id, data: { ...input.data, slug: input.slug, body: input.body } })),
    actorId,
  );
  const people = await createStudioPeople(
    tx,
    inputs.map((input, i) => ({ id: rows[i].id, leader: input.data.leader, leaderHonours: input.data.leader_honours, members: input.data.members })),
    reservedPersonSlugs,
  );
  await writeDocuments(tx, [
    ...(await buildStudioDocuments(
      tx,
      rows.map((r) => r.slug),
    )),
    ...(await buildPersonDocuments(tx, people)),
  ]);
  await recordActivities(
    tx,
    rows.map((r) => ({ verb: "studio.created", subjectType: "studio", subjectId: r.id, studioId: r.id, actorId, summary: r.name })),
  );
}

/**
 * Many existing studios at once (a spreadsheet import of changed studios, decision 0025): what
 * saveStudio writes for each — the row with its version moved on and a revision of it, its leader
 * and members brought in line (syncStudiosPeople), the search documents of the studio and all its
 * people (and of its results and patents when its name, enterprise or level changed), a
 * studio.updated Activity — read and written a slice of 500 at a time; a row that changes nothing
 * writes nothing and is "unchanged". Inside a transaction the studio rows are updated on its own
 * connection (app/utils/raw-sqlite.server.ts). A row whose slug no studio holds goes through
 * saveStudio after the others. `onProgress` hears how many rows are done after each slice.
 */
export async function updateStudios(
  tx: Tx,
  inputs: readonly StudioInput[],
  actorId?: string | null,
  onProgress?: (done: number) => void,
  reservedPersonSlugs: Iterable<string> = [],
): Promise<SaveOutcome[]> {
  if (!inputs.length) return [];
  const outcomes = new Array<SaveOutcome>(inputs.length);
  const later: number[] = [];
  const seen = new Set<string>();
  const reserved = [...reservedPersonSlugs];
  for (let start = 0; start < inputs.length; start += 500) {
    const slice = inputs.slice(start, start + 500);
    const enterprises = await ensureEnterprises(
      tx,
      slice.map((i) => i.data.enterprise),
    );
    const existing = new Map((await tx.studio.findMany({ where: { slug: { in: slice.map((i) => i.slug) } } })).map((s) => [s.slug, s]));
    const rows: { index: number; input: StudioInput; studio: NonNullable<ReturnType<typeof existing.get>>; fields: ReturnType<typeof studioFields> }[] = [];
    slice.forEach((input, k) => {
      const studio = existing.get(input.slug);
      if (!studio || seen.has(input.slug)) return void later.push(start + k);
      seen.add(input.slug);
      rows.push({ index: start + k, input, studio, fields: studioFields(input, enterprises.get(input.data.enterprise)!) });
    });
    // people are updated in place, never re-created: deliveries and links name them by id
    const peopleChanged = await syncStudiosPeople(
      tx,
      rows.map((r) => ({ id: r.studio.id, leader: r.input.data.leader, leaderHonours: r.input.data.leader_honours, members: r.input.data.members })),
      reserved,
    );
    const renamed: string[] = [];
    const changed = rows.filter((r) => {
      const fields = changedFields(r.studio, r.fields);
      outcomes[r.index] = fields.length || peopleChanged.has(r.studio.id) ? "updated" : "unchanged";
      if (fields.some((f) => f === "name" || f === "enterpriseId" || f === "level")) renamed.push(r.studio.id);
      return outcomes[r.index] === "updated";
    });
    if (!changed.length) {
      onProgress?.(Math.min(inputs.length, start + 500) - later.length);
      continue;
    }
    const sqlite = rawConnectionOf(tx);
    if (sqlite?.inTransaction) {
      const now = new Date().toISOString().replace("Z", "+00:00"); // how Prisma stores DateTime
      const cols = Object.keys(changed[0]?.fields ?? {});
      const update = sqlite.prepare(`UPDATE "Studio" SET ${cols.map((c) => `"${c}" = ?`).join(", ")}, "version" = "version" + 1, "updatedAt" = ? WHERE "id" = ?`);
      for (const r of changed) update.run(...cols.map((c) => sqliteValue(r.fields[c as keyof typeof r.fields])), now, r.studio.id);
    } else {
      for (const r of changed) await tx.studio.update({ where: { id: r.studio.id }, data: { ...r.fields, version: { increment: 1 } } });
    }
    await recordNextRevisions(
      tx,
      "studio",
      changed.map((r) => ({ subjectId: r.studio.id, version: r.studio.version + 1, data: { ...r.input.data, slug: r.studio.slug, body: r.input.body } })),
      actorId,
    );
    const ids = changed.map((r) => r.studio.id);
    const people = (await tx.person.findMany({ where: { studioId: { in: ids } }, select: { slug: true } })).map((p) => p.slug);
    await writeDocuments(tx, [
      ...(await buildStudioDocuments(
        tx,
        changed.map((r) => r.studio.slug),
      )),
      ...(await buildPersonDocuments(tx, people)),
    ]);
    await recordActivities(
      tx,
      changed.map((r) => ({ verb: "studio.updated", subjectType: "studio", subjectId: r.studio.id, studioId: r.studio.id, actorId, summary: r.fields.name })),
    );
    // results and patents show their studio's name, enterprise and level in search
    if (renamed.length) {
      const [results, patents] = await Promise.all([
        tx.result.findMany({ where: { studioId: { in: renamed } }, select: { slug: true } }),
        tx.patent.findMany({ where: { studioId: { in: renamed } }, select: { slug: true } }),
      ]);
      for (const r of results) await indexRecord(tx, "result", r.slug);
      for (const p of patents) await indexRecord(tx, "patent", p.slug);
    }
    onProgress?.(Math.min(inputs.length, start + 500) - later.length);
  }
  for (const i of later) outcomes[i] = await saveStudio(tx, inputs[i], { actorId });
  onProgress?.(inputs.length);
  return outcomes;
}

/** The columns of a studio as its content file gives them (saveStudio and updateStudios). */
function studioFields({ data, body, bodyText }: StudioInput, enterpriseId: string) {
  return {
    name: data.name,
    enterpriseId,
    level: data.level,
    industryKey: data.industry,
    sector: data.sector,
    specialties: toList(data.specialties),
    founded: data.founded,
    honours: toList(data.honours),
    skillNeeds: toList(data.needs),
    body,
    bodyText,
    illustrative: data.illustrative,
  };
}

const sqliteValue = (v: unknown) => (typeof v === "boolean" ? (v ? 1 : 0) : v);

export const STUDIO_SORTS = ["name", "results", "founded", "level"] as const;
export type StudioSort = (typeof STUDIO_SORTS)[number];

export const STUDIOS_PER_PAGE = 24;

export interface StudioFilter {
  industry?: string;
  level?: string;
  sector?: string;
  enterprise?: string;
  sort?: StudioSort;
  /** the page, and studios per page (the spreadsheet export takes them all: Infinity) */
  page?: number;
  perPage?: number;
}

const LEVEL_ORDER = ["national", "provincial", "municipal", "enterprise"];

/**
 * One page of the studios matching the filter, with the number of results `viewer` may see (and
 * sorted by it), and how many match. The order ends on the zh-CN collator (pinyin), which SQLite
 * cannot sort by: the sort keys of every matching studio are read (a few columns, and the visible
 * result count when sorting by it), ordered here, and only the page's studios are read whole.
 */
export async function listStudios(viewer: ResultViewer, filter: StudioFilter) {
  const where: Prisma.StudioWhereInput = {
    ...(filter.industry ? { industryKey: filter.industry } : {}),
    ...(filter.level ? { level: filter.level } : {}),
    ...(filter.sector ? { sector: filter.sector } : {}),
    ...(filter.enterprise ? { enterprise: { slug: filter.enterprise } } : {}),
  };
  const sort = filter.sort ?? "name";
  // the order of every matching studio, kept until the database changes: at 10,000 studios reading
  // their keys and sorting them by pinyin is most of the page (the count sort depends on the viewer)
  const ordered = await keptUntilChange(db, "studios.order", { where, sort, viewer: sort === "results" ? viewerKey(viewer) : null }, () => studioOrder(viewer, where, sort));
  const w = pageWindow(ordered.length, filter, STUDIOS_PER_PAGE);
  const ids = slicePage(ordered, w).map((k) => k.id);
  const rows = await db.studio.findMany({
    // all of them (the export): the filter again rather than thousands of ids
    where: w.take === undefined ? where : { id: { in: ids } },
    include: {
      enterprise: { select: { slug: true, name: true } },
      industry: true,
      people: { where: { role: "leader" }, select: { name: true } },
      _count: { select: { results: { where: resultVisibleTo(viewer) }, patents: { where: patentVisibleTo(viewer) } } },
    },
  });
  const byId = new Map(rows.map((s) => [s.id, s]));
  return {
    total: ordered.length,
    page: w.page,
    pages: w.pages,
    studios: ids.flatMap((id) => (byId.has(id) ? [withLists(byId.get(id)!, STUDIO_LISTS)] : [])),
  };
}

/** What a cache key needs of a viewer (its sets are not JSON). */
const viewerKey = (v: ResultViewer) => ({ every: v.everyStudio, studios: [...v.studioIds].sort(), own: [...v.ownStudioIds].sort() });

/** The ids of every studio matching `where`, in the list's order. */
async function studioOrder(viewer: ResultViewer, where: Prisma.StudioWhereInput, sort: StudioSort): Promise<{ id: string }[]> {
  const keys = await db.studio.findMany({ where, select: { id: true, name: true, founded: true, level: true } });
  const counts =
    sort === "results"
      ? new Map(
          (await db.studio.findMany({ where, select: { id: true, _count: { select: { results: { where: resultVisibleTo(viewer) } } } } })).map((s) => [s.id, s._count.results]),
        )
      : null;
  const collator = new Intl.Collator("zh-CN");
  const byName = (a: { name: string; id: string }, b: { name: string; id: string }) => collator.compare(a.name, b.name) || a.id.localeCompare(b.id);
  return [...keys]
    .sort((a, b) => {
      switch (sort) {
        case "results":
          return (counts!.get(b.id) ?? 0) - (counts!.get(a.id) ?? 0) || byName(a, b);
        case "founded":
          return b.founded - a.founded || byName(a, b);
        case "level":
          return LEVEL_ORDER.indexOf(a.level) - LEVEL_ORDER.indexOf(b.level) || byName(a, b);
        default:
          return byName(a, b);
      }
    })
    .map((k) => ({ id: k.id }));
}

export async function getStudio(viewer: ResultViewer, slug: string) {
  // the feed must not name results `viewer` may not see (alliance-only, not yet published)
  const hidden = await db.result.findMany({ where: { studio: { slug }, NOT: resultVisibleTo(viewer) }, select: { id: true } });
  const studio = await db.studio.findUnique({
    where: { slug },
    include: {
      enterprise: true,
      industry: true,
      people: { orderBy: { sortOrder: "asc" } },
      results: { where: resultVisibleTo(viewer), orderBy: [{ year: "desc" }, { title: "asc" }], include: { industry: true } },
      patents: { where: patentVisibleTo(viewer), orderBy: { filedOn: "desc" } },
      activities: {
        where: { NOT: { subjectType: "result", subjectId: { in: hidden.map((r) => r.id) } } },
        orderBy: { createdAt: "desc" },
        take: 8,
      },
    },
  });
  return (
    studio && { ...withLists(studio, STUDIO_LISTS), people: studio.people.map((p) => withLists(p, PERSON_LISTS)), results: studio.results.map((r) => withLists(r, RESULT_LISTS)) }
  );
}

/**
 * Studios with what their spreadsheet row shows (app/models/sheets): enterprise and people. All of
 * them, or those of `ids` (a list the caller has already read through its visibility rule).
 */
export async function studiosForSheet(ids?: string[]) {
  const include = { enterprise: { select: { name: true } }, people: { select: { name: true, role: true, honours: true, sortOrder: true } } } as const;
  if (!ids) return db.studio.findMany({ include });
  const out = [];
  for (let i = 0; i < ids.length; i += 500) out.push(...(await db.studio.findMany({ where: { id: { in: ids.slice(i, i + 500) } }, include })));
  return out;
}

/** Studios whose slug is close to an unknown one, for a helpful 404. */
/** Every studio's slug and name, by name: the choices of a form that picks studios. */
export function studioChoices() {
  return db.studio.findMany({ orderBy: { name: "asc" }, select: { slug: true, name: true } });
}

/** Studios by slug with their enterprise (a form's preselected choices). */
export function studiosBySlug(slugs: string[]) {
  return db.studio.findMany({ where: { slug: { in: slugs } }, include: { enterprise: true } });
}

/** A studio by its slug, for the forms that act on it (editing, members, new results and patents). */
export async function findStudio(slug: string) {
  const s = await db.studio.findUnique({ where: { slug } });
  return s && withLists(s, STUDIO_LISTS);
}

export async function similarStudios(slug: string, take = 4) {
  const words = slug.split("-").filter((w) => w.length > 1);
  if (!words.length) return [];
  return db.studio.findMany({
    where: { OR: words.map((w) => ({ slug: { contains: w } })) },
    select: { slug: true, name: true },
    take,
  });
}

/** Autosave: the editor's whole form as the studio's draft; nothing is published or indexed. */
export async function storeStudioDraft(id: string, data: { draft: string; draftAt: Date }) {
  await db.studio.update({ where: { id }, data });
}
