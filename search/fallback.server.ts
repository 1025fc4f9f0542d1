// The engine the site uses when MEILI_HOST is set: Meilisearch answers; when it cannot (down,
// timing out, index missing, or an error), the embedded engine answers instead and the response
// says so (`engine: "embedded (fallback)"`). Writes never depend on Meilisearch: they go to SQLite
// and the outbox, which drains when it is back.
import type { EngineHealth, SearchEngine, SearchQuery, SearchResponse, Suggestion } from "./engine";
import { isOutage, toMeiliError } from "./meili-errors";
import type { MeilisearchEngine } from "./meilisearch.server";
import { outboxStats } from "./outbox.server";

export interface FallbackOptions {
  /** after an outage, answer from the embedded engine for this long before trying Meilisearch again */
  retryAfterMs?: number;
  log?: (message: string) => void;
}

export class FallbackEngine implements SearchEngine {
  readonly name = "meilisearch";
  private retryAt = 0;
  private down = false;
  private lastError: { message: string; at: string } | null = null;
  private readonly retryAfterMs: number;
  private readonly log: (message: string) => void;

  constructor(
    readonly primary: MeilisearchEngine,
    readonly fallback: SearchEngine,
    options: FallbackOptions = {},
  ) {
    this.retryAfterMs = options.retryAfterMs ?? 5_000;
    this.log = options.log ?? ((m) => console.warn(m));
  }

  async search(query: SearchQuery): Promise<SearchResponse> {
    const res = await this.attempt(() => this.primary.search(query));
    if (res) {
      if (res.total === 0 && query.q.trim()) {
        // Meilisearch offers no "did you mean": the embedded engine knows the same vocabulary
        res.suggestion = (await this.fallback.search({ q: query.q, perPage: 1 })).suggestion;
      }
      return res;
    }
    const local = await this.fallback.search(query);
    return { ...local, engine: `${this.fallback.name} (fallback)` };
  }

  async suggest(prefix: string, limit?: number): Promise<Suggestion[]> {
    return (await this.attempt(() => this.primary.suggest(prefix, limit))) ?? this.fallback.suggest(prefix, limit);
  }

  async health(): Promise<EngineHealth> {
    const local = await this.fallback.health();
    try {
      const h = await this.primary.health();
      return { ...h, detail: { ...h.detail, fallback: { engine: local.engine, documents: local.documents } } };
    } catch (e) {
      const err = toMeiliError(e, "health");
      return {
        engine: this.name,
        status: "degraded",
        documents: local.documents,
        detail: {
          host: this.primary.host,
          index: this.primary.indexUid,
          meilisearch: { status: "down", code: err.code, message: err.message },
          answeringWith: `${this.fallback.name} (fallback)`,
          outbox: await outboxStats(this.primary.db),
          lastSearchError: this.lastError,
        },
      };
    }
  }

  /** The primary's answer, or null when it failed (the failure is logged and remembered). */
  private async attempt<T>(run: () => Promise<T>): Promise<T | null> {
    if (Date.now() < this.retryAt) return null;
    try {
      const value = await run();
      if (this.down) {
        this.down = false;
        this.log("search: Meilisearch answers again; the embedded fallback is off");
      }
      return value;
    } catch (e) {
      const err = toMeiliError(e, "search");
      this.lastError = { message: err.message, at: new Date().toISOString() };
      if (isOutage(err)) {
        this.retryAt = Date.now() + this.retryAfterMs;
        if (!this.down) {
          this.down = true;
          this.log(`search: Meilisearch failed, answering from the embedded engine: ${err.message}`);
        }
      } else {
        // Meilisearch refused this one request: say so every time, it is a bug to fix
        this.log(`search: Meilisearch refused a request, answered from the embedded engine: ${err.message}`);
      }
      return null;
    }
  }
}
