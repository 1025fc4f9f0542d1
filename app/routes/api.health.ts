import type { LoaderFunctionArgs } from "@remix-run/node";
import { getSearchEngine } from "~/models/search.server";
import { isSiteAdmin } from "~/utils/auth.server";
import { getEnv } from "~/utils/env.server";
import { getUser } from "~/utils/session.server";
import { databaseHealth } from "~/models/stats.server";

/** How long the health check waits for the search engine (Meilisearch over the network). */
export const HEALTH_SEARCH_TIMEOUT_MS = 2_000;

/**
 * Liveness for anyone (`{ status: "ok" | "degraded" }`; 503 when the database does not answer),
 * and the details — database counts, the engine, Meilisearch's host and state, the outbox backlog,
 * errors — for site admins only: a host name and an error text help an attacker, not a visitor.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const started = performance.now();
  const [database, search] = await Promise.all([checkDatabase(), checkSearch()]);
  const status = database.status === "ok" && search.status === "ok" ? "ok" : "degraded";
  const httpStatus = database.status === "ok" ? 200 : 503;
  const headers = { "Cache-Control": "no-store" };
  const user = await getUser(request).catch(() => null);
  if (!isSiteAdmin(user)) return Response.json({ status }, { status: httpStatus, headers });
  return Response.json({ status, database, search, tookMs: Math.round((performance.now() - started) * 10) / 10 }, { status: httpStatus, headers });
}

async function checkDatabase(): Promise<Record<string, unknown>> {
  try {
    return { status: "ok", ...(await databaseHealth()) };
  } catch (e) {
    return { status: "error", message: e instanceof Error ? e.message.split("\n")[0] : String(e) };
  }
}

async function checkSearch(): Promise<Record<string, unknown>> {
  const engine = getEnv().MEILI_HOST ? "meilisearch" : "embedded";
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the search engine did not answer within ${HEALTH_SEARCH_TIMEOUT_MS / 1000} s`)), HEALTH_SEARCH_TIMEOUT_MS);
  });
  try {
    return { ...(await Promise.race([getSearchEngine().health(), timeout])) };
  } catch (e) {
    return { engine, status: "down", ...(getEnv().MEILI_HOST ? { host: getEnv().MEILI_HOST } : {}), message: e instanceof Error ? e.message : String(e) };
  } finally {
    clearTimeout(timer);
  }
}
