import { getEnv } from "~/utils/env.server";
import { EmbeddedEngine } from "./embedded.server";
import type { SearchEngine } from "./engine";

declare global {
  // one engine per process, kept across dev rebuilds
  var __searchEngine: SearchEngine | undefined;
}

/** The engine the site searches with: the embedded one (the Meilisearch engine joins later). */
export function getSearchEngine(): SearchEngine {
  return (globalThis.__searchEngine ??= new EmbeddedEngine(getEnv().databaseFile));
}
