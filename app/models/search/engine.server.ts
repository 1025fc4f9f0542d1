import { db } from "~/utils/db.server";
import { getEnv } from "~/utils/env.server";
import { configureConnection } from "~/utils/sqlite-connection.server";
import { EmbeddedEngine } from "../../../search/embedded.server";
import type { SearchEngine } from "../../../search/engine";
import { FallbackEngine } from "../../../search/fallback.server";
import { MeilisearchEngine } from "../../../search/meilisearch.server";
import { startOutboxWorker, type OutboxWorker } from "../../../search/outbox.server";
import { deliverOutbox } from "./outbox-turn.server";
import { setOutboxEnabled } from "./sync.server";

declare global {
  // one engine per process, kept across dev rebuilds
  var __searchEngine: SearchEngine | undefined;
  var __searchOutboxWorker: OutboxWorker | undefined;
}

/**
 * The engine the site searches with: the embedded one by default; with MEILI_HOST, Meilisearch
 * with the embedded engine as its fallback, fed by the outbox worker started here (in the first
 * server process only).
 */
export function getSearchEngine(): SearchEngine {
  if (globalThis.__searchEngine) return globalThis.__searchEngine;
  const env = getEnv();
  const embedded = new EmbeddedEngine(env.databaseFile, { configure: (sqlite) => configureConnection(sqlite) });
  if (!env.MEILI_HOST) return (globalThis.__searchEngine = embedded);

  setOutboxEnabled(true);
  const meili = new MeilisearchEngine({ host: env.MEILI_HOST, apiKey: env.MEILI_API_KEY }, db);
  globalThis.__searchOutboxWorker?.stop();
  // with several server processes (WEB_CONCURRENCY) only the first delivers the outbox: two
  // deliverers could send an older version of a document after a newer one
  const deliverer = process.env.HUB_WORKER === undefined || process.env.HUB_WORKER === "1";
  globalThis.__searchOutboxWorker = deliverer ? startOutboxWorker(db, meili, { drain: deliverOutbox }) : undefined;
  return (globalThis.__searchEngine = new FallbackEngine(meili, embedded));
}
