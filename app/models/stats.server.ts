import { isPostgres } from "~/utils/db-provider.server";
import { db } from "~/utils/db.server";
import { resultVisibleTo, type ResultViewer } from "./result-visibility";

/** Headline figures for the home page: counts overall and by level, sector and industry. */
/** What /api/health reports of the database: row counts and applied migrations (throws when unreachable). */
export async function databaseHealth() {
  const [studios, results, patents, needs, migrations] = await Promise.all([
    db.studio.count(),
    db.result.count(),
    db.patent.count(),
    db.need.count(),
    db.$queryRawUnsafe<{ n: bigint | number }[]>(`SELECT count(*) AS n FROM _prisma_migrations WHERE finished_at IS NOT NULL`),
  ]);
  return { provider: isPostgres(db) ? "postgresql" : "sqlite", counts: { studios, results, patents, needs }, migrations: Number(migrations[0]?.n ?? 0) };
}

export async function headlineFigures(viewer: ResultViewer) {
  const [studios, results, patents, enterprises, needs, byLevel, bySector, byIndustry, industries] = await Promise.all([
    db.studio.count(),
    db.result.count({ where: resultVisibleTo(viewer) }),
    db.patent.count(),
    db.enterprise.count({ where: { studios: { some: {} } } }),
    db.need.count(),
    db.studio.groupBy({ by: ["level"], _count: { _all: true } }),
    db.studio.groupBy({ by: ["sector"], _count: { _all: true } }),
    db.studio.groupBy({ by: ["industryKey"], _count: { _all: true } }),
    db.industry.findMany({ orderBy: { sortOrder: "asc" } }),
  ]);
  const count = (rows: { _count: { _all: number } }[], pick: (r: never) => string) => Object.fromEntries(rows.map((r) => [pick(r as never), r._count._all]));
  const industryCounts = count(byIndustry, (r: { industryKey: string }) => r.industryKey);
  return {
    totals: { studios, results, patents, enterprises, needs },
    byLevel: count(byLevel, (r: { level: string }) => r.level) as Record<string, number>,
    bySector: count(bySector, (r: { sector: string }) => r.sector) as Record<string, number>,
    byIndustry: industries
      .map((i) => ({ key: i.key, nameZh: i.nameZh, nameEn: i.nameEn, sector: i.sector, count: industryCounts[i.key] ?? 0 }))
      .filter((i) => i.count > 0)
      .sort((a, b) => b.count - a.count),
  };
}
