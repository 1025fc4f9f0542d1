import type { Industry } from "~/content/schema";
import { db, type Tx } from "~/utils/db.server";
import { parseList, toList } from "~/utils/json";
import { changedFields, type SaveOutcome } from "./common.server";

export async function saveIndustry(tx: Tx, ind: Industry, sortOrder: number): Promise<SaveOutcome> {
  const fields = { nameZh: ind.zh, nameEn: ind.en, sector: ind.sector, related: toList(ind.related), sortOrder };
  const existing = await tx.industry.findUnique({ where: { key: ind.key } });
  if (existing && !changedFields(existing, fields).length) return "unchanged";
  await tx.industry.upsert({ where: { key: ind.key }, create: { key: ind.key, ...fields }, update: fields });
  return existing ? "updated" : "created";
}

export async function listIndustries() {
  const rows = await db.industry.findMany({ orderBy: [{ sortOrder: "asc" }, { key: "asc" }] });
  return rows.map((r) => ({ ...r, relatedKeys: parseList(r.related) }));
}
