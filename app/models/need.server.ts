import type { NeedFront } from "~/content/schema";
import { db, type Tx } from "~/utils/db.server";
import { toList } from "~/utils/json";
import { indexRecord } from "./search/sync.server";
import { changedFields, recordActivity, type SaveOutcome } from "./common.server";
import { ensureEnterprise } from "./enterprise.server";

export interface NeedInput {
  slug: string;
  data: NeedFront;
  body: string;
  bodyText: string;
}

export async function saveNeed(tx: Tx, input: NeedInput, actorId?: string | null): Promise<SaveOutcome> {
  const { data } = input;
  const enterprise = await ensureEnterprise(tx, data.enterprise);
  const fields = {
    title: data.title,
    enterpriseId: enterprise.id,
    industryKey: data.industry,
    tags: toList(data.tags),
    status: data.status,
    body: input.body,
    bodyText: input.bodyText,
    illustrative: data.illustrative,
  };
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
