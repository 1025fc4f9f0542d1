import { db } from "~/utils/db.server";
import { getEnv } from "~/utils/env.server";
import { getSearchEngine } from "~/models/search.server";

/** Database and search engine state, for monitoring. 503 when the database does not answer. */
export async function loader() {
  const started = performance.now();
  const env = getEnv();
  let database: Record<string, unknown>;
  let ok = true;
  try {
    const [studios, results, patents, needs, migrations] = await Promise.all([
      db.studio.count(), db.result.count(), db.patent.count(), db.need.count(),
      db.$queryRawUnsafe<{ n: bigint | number }[]>(`SELECT count(*) AS n FROM _prisma_migrations WHERE finished_at IS NOT NULL`),
    ]);
    database = { status: "ok", provider: "sqlite", counts: { studios, results, patents, needs }, migrations: Number(migrations[0]?.n ?? 0) };
  } catch (e) {
    ok = false;
    database = { status: "error", message: e instanceof Error ? e.message.split("\n")[0] : String(e) };
  }
  let search: Record<string, unknown>;
  try {
    search = { ...(await getSearchEngine().health()) };
    if (search.status !== "ok") ok = ok && search.status !== "down";
  } catch (e) {
    search = { engine: env.MEILI_HOST ? "meilisearch" : "embedded", status: "down", message: e instanceof Error ? e.message : String(e) };
  }
  return Response.json(
    { status: ok ? "ok" : "error", database, search, tookMs: Math.round((performance.now() - started) * 10) / 10 },
    { status: ok ? 200 : 503, headers: { "Cache-Control": "no-store" } },
  );
}
