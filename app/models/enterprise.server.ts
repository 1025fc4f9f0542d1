import { db, type Tx } from "~/utils/db.server";
import { slugFromName } from "~/utils/slug.server";
import { resultVisibleTo, type ResultViewer } from "./result-visibility";

/** Finds an enterprise by its name or creates it with a pinyin slug that no other enterprise uses. */
export async function ensureEnterprise(tx: Tx, name: string): Promise<{ id: string; created: boolean }> {
  const existing = await tx.enterprise.findUnique({ where: { name }, select: { id: true } });
  if (existing) return { id: existing.id, created: false };
  const base = slugFromName(name);
  let slug = base;
  for (let n = 2; await tx.enterprise.findUnique({ where: { slug }, select: { id: true } }); n++) slug = `${base}-${n}`;
  const e = await tx.enterprise.create({ data: { name, slug }, select: { id: true } });
  return { id: e.id, created: true };
}

export function getEnterprise(viewer: ResultViewer, slug: string) {
  return db.enterprise.findUnique({
    where: { slug },
    include: {
      studios: { orderBy: { name: "asc" }, include: { industry: true, _count: { select: { results: { where: resultVisibleTo(viewer) }, patents: true } } } },
      needs: { orderBy: { createdAt: "desc" }, include: { industry: true } },
    },
  });
}

export function listEnterprises() {
  return db.enterprise.findMany({
    orderBy: { name: "asc" },
    include: { _count: { select: { studios: true, needs: true } } },
  });
}
