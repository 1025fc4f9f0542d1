import { randomUUID } from "node:crypto";
import type { NeedFront } from "~/content/schema";
import { db, type Tx } from "~/utils/db.server";
import { toList } from "~/utils/json";
import { rawConnectionOf } from "~/utils/raw-sqlite.server";
import { buildNeedDocuments } from "./search/documents.server";
import { indexRecord, writeDocuments } from "./search/sync.server";
import { changedFields, recordActivities, recordActivity, type SaveOutcome } from "./common.server";
import { ensureEnterprise, ensureEnterprises } from "./enterprise.server";

export interface NeedInput {
  slug: string;
  data: NeedFront;
  body: string;
  bodyText: string;
}

/** The columns a need's front matter and body fill. */
const needFields = (input: NeedInput, enterpriseId: string) => ({
  title: input.data.title,
  enterpriseId,
  industryKey: input.data.industry,
  tags: toList(input.data.tags),
  status: input.data.status,
  body: input.body,
  bodyText: input.bodyText,
  illustrative: input.data.illustrative,
});

export async function saveNeed(tx: Tx, input: NeedInput, actorId?: string | null): Promise<SaveOutcome> {
  const enterprise = await ensureEnterprise(tx, input.data.enterprise);
  const fields = needFields(input, enterprise.id);
  const existing = await tx.need.findUnique({ where: { slug: input.slug } });
  if (existing && !changedFields(existing, fields).length) return "unchanged";
  const need = existing
    ? await tx.need.update({ where: { id: existing.id }, data: { ...fields, version: { increment: 1 } } })
    : await tx.need.create({ data: { slug: input.slug, ...fields } });
  await indexRecord(tx, "need", need.slug);
  await recordActivity(tx, {
    verb: existing ? "need.updated" : "need.posted",
    subjectType: "need",
    subjectId: need.id,
    actorId,
    summary: need.title,
  });
  return existing ? "updated" : "created";
}

export function getNeed(slug: string) {
  return db.need.findUnique({
    where: { slug },
    include: { enterprise: true, industry: true, dispatches: { include: { studio: { include: { enterprise: true } } } } },
  });
}

export function listNeeds(filter: { status?: string; industry?: string }) {
  return db.need.findMany({
    where: { ...(filter.status ? { status: filter.status } : {}), ...(filter.industry ? { industryKey: filter.industry } : {}) },
    orderBy: [{ createdAt: "desc" }],
    include: { enterprise: true, industry: true },
  });
}

/** Every need with what its spreadsheet row shows, for the importer to compare rows with (coordinators only import). */
export function needsForSheet() {
  return db.need.findMany({ include: { enterprise: { select: { name: true } } } });
}

/**
 * Many new needs at once (a spreadsheet import of thousands of rows): the rows, activity and search
 * documents saveNeed writes for a new need. Inside a transaction the rows are inserted on its own
 * connection (app/utils/raw-sqlite.server.ts: Prisma costs milliseconds a statement, which makes
 * 10,000 rows minutes); elsewhere through Prisma. The slugs must be new (the caller checked).
 */
export async function createNeeds(tx: Tx, inputs: NeedInput[], actorId?: string | null): Promise<void> {
  const enterprises = new Map<string, string>();
  for (const name of new Set(inputs.map((i) => i.data.enterprise))) enterprises.set(name, (await ensureEnterprise(tx, name)).id);
  const rows = inputs.map((input) => ({ id: randomUUID(), slug: input.slug, ...needFields(input, enterprises.get(input.data.enterprise)!) }));
  const sqlite = rawConnectionOf(tx);
  if (sqlite?.inTransaction) {
    const now = new Date().toISOString().replace("Z", "+00:00"); // how Prisma stores DateTime
    const need = sqlite.prepare(
      `INSERT INTO "Need" ("id", "slug", "title", "enterpriseId", "industryKey", "tags", "status", "body", "bodyText", "illustrative", "statusAt", "createdAt", "updatedAt") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const activity = sqlite.prepare(
      `INSERT INTO "Activity" ("id", "actorId", "verb", "subjectType", "subjectId", "summary", "createdAt") VALUES (?, ?, 'need.posted', 'need', ?, ?, ?)`,
    );
    for (const r of rows) {
      need.run(r.id, r.slug, r.title, r.enterpriseId, r.industryKey, r.tags, r.status, r.body, r.bodyText, r.illustrative ? 1 : 0, now, now, now);
      activity.run(randomUUID(), actorId ?? null, r.id, r.title, now);
    }
  } else {
    for (let i = 0; i < rows.length; i += 500) {
      const chunk = rows.slice(i, i + 500);
      await tx.need.createMany({ data: chunk });
      await tx.activity.createMany({ data: chunk.map((n) => ({ verb: "need.posted", subjectType: "need", subjectId: n.id, actorId: actorId ?? null, summary: n.title })) });
    }
  }
  await writeDocuments(
    tx,
    await buildNeedDocuments(
      tx,
      inputs.map((i) => i.slug),
    ),
  );
}

/**
 * Many existing needs at once (a spreadsheet import of changed needs, decision 0025): what saveNeed
 * writes for each — the row with its version moved on (its review state left as it is), the
 * enterprise named found or created as ensureEnterprise does, the search document, a need.updated
 * Activity — read and written a slice of 500 at a time; a row that changes nothing writes nothing
 * and is "unchanged". Inside a transaction the need rows are updated on its own connection
 * (app/utils/raw-sqlite.server.ts). A row whose slug no need holds, or that names the same need as
 * an earlier row, goes through saveNeed after the others. `onProgress` hears how many rows are done
 * after each slice. Returns each row's outcome, in order.
 */
export async function updateNeeds(tx: Tx, inputs: readonly NeedInput[], actorId?: string | null, onProgress?: (done: number) => void): Promise<SaveOutcome[]> {
  if (!inputs.length) return [];
  const outcomes = new Array<SaveOutcome>(inputs.length);
  const later: number[] = [];
  const seen = new Set<string>();
  for (let start = 0; start < inputs.length; start += 500) {
    const slice = inputs.slice(start, start + 500);
    const existing = new Map((await tx.need.findMany({ where: { slug: { in: slice.map((i) => i.slug) } } })).map((n) => [n.slug, n]));
    const known = slice.filter((i) => existing.has(i.slug));
    const enterprises = await ensureEnterprises(
      tx,
      known.map((i) => i.data.enterprise),
    );
    const changed: { need: NonNullable<ReturnType<typeof existing.get>>; fields: ReturnType<typeof needFields> }[] = [];
    slice.forEach((input, k) => {
      const need = existing.get(input.slug);
      if (!need || seen.has(input.slug)) return void later.push(start + k);
      seen.add(input.slug);
      const fields = needFields(input, enterprises.get(input.data.enterprise)!);
      if (!changedFields(need, fields).length) return void (outcomes[start + k] = "unchanged");
      outcomes[start + k] = "updated";
      changed.push({ need, fields });
    });
    if (changed.length) {
      const sqlite = rawConnectionOf(tx);
      if (sqlite?.inTransaction) {
        const now = new Date().toISOString().replace("Z", "+00:00"); // how Prisma stores DateTime
        const cols = Object.keys(changed[0].fields) as (keyof ReturnType<typeof needFields>)[];
        const update = sqlite.prepare(`UPDATE "Need" SET ${cols.map((c) => `"${c}" = ?`).join(", ")}, "version" = "version" + 1, "updatedAt" = ? WHERE "id" = ?`);
        for (const r of changed) update.run(...cols.map((c) => sqliteValue(r.fields[c])), now, r.need.id);
      } else {
        for (const r of changed) await tx.need.update({ where: { id: r.need.id }, data: { ...r.fields, version: { increment: 1 } } });
      }
      await writeDocuments(
        tx,
        await buildNeedDocuments(
          tx,
          changed.map((r) => r.need.slug),
        ),
      );
      await recordActivities(
        tx,
        changed.map((r) => ({ verb: "need.updated", subjectType: "need", subjectId: r.need.id, actorId, summary: r.fields.title })),
      );
    }
    onProgress?.(Math.min(inputs.length, start + 500) - later.length);
  }
  for (const i of later) outcomes[i] = await saveNeed(tx, inputs[i], actorId);
  onProgress?.(inputs.length);
  return outcomes;
}

const sqliteValue = (v: unknown) => (typeof v === "boolean" ? (v ? 1 : 0) : v);

/** Review (审核, decision 0024): the need's review state, and its search document with it. */
export async function setNeedReview(tx: Tx, id: string, review: "pending" | "returned" | null) {
  const n = await tx.need.update({ where: { id }, data: { review } });
  await indexRecord(tx, "need", n.slug);
  return n;
}

/**
 * A change to a public need, held for review, applied on approval: the need's own edit step as
 * need-loop.server.ts records it (the fields, the next version, an "edit" event on the timeline,
 * the Activity row and the search document), in the approval's transaction.
 */
export async function applyApprovedNeedChange(tx: Tx, id: string, data: Record<string, unknown>, actorId: string | null) {
  const n = await tx.need.update({ where: { id }, data: { ...data, review: null, version: { increment: 1 } } });
  await tx.needEvent.create({ data: { needId: n.id, step: "edit", fromStatus: n.status, toStatus: n.status, actorId } });
  await recordActivity(tx, { verb: "need.edit", subjectType: "need", subjectId: n.id, actorId, summary: n.title });
  await indexRecord(tx, "need", n.slug);
  return n;
}
