// The app's door to the search module: routes import from here (an app/*.server module, so the
// browser build never sees the engine or the segmenter).
import { db } from "~/utils/db.server";
import type { EngineHealth, FacetName, SearchEngine, SearchQuery, SearchResponse, Suggestion } from "../../search/engine";
import { getSearchEngine as engineOfThisProcess } from "./search/engine.server";
import { isResultVisibleTo, PUBLIC_VIEWER } from "./result-visibility";

declare global {
  var __checkedSearchEngine: { inner: SearchEngine; checked: SearchEngine } | undefined;
}

/**
 * The engine the site searches with. Meilisearch is fed by the outbox and can be behind the
 * database: a result made alliance-only a moment ago may still be in its index. Its hits are
 * therefore checked against the database with the visibility rule before anyone sees them. The
 * embedded engine's documents are written in the same transaction as the records: nothing to check.
 */
export function getSearchEngine(): SearchEngine {
  const inner = engineOfThisProcess();
  if (inner.name === "embedded") return inner;
  const kept = globalThis.__checkedSearchEngine;
  if (kept?.inner === inner) return kept.checked;
  const checked = new VisibleHitsEngine(inner, hiddenResults);
  globalThis.__checkedSearchEngine = { inner, checked };
  return checked;
}

/** A hidden result's facet values, so the counts can leave it out; null when it no longer exists. */
export type HiddenResult = Partial<Record<FacetName, string>> | null;

/** Of these result slugs, the ones a visitor may not see (search shows only what anyone may). */
export async function hiddenResults(slugs: string[]): Promise<Map<string, HiddenResult>> {
  const rows = await db.result.findMany({
    where: { slug: { in: slugs } },
    select: {
      slug: true,
      published: true,
      visibility: true,
      review: true,
      studioId: true,
      kind: true,
      industryKey: true,
      studio: { select: { level: true, enterprise: { select: { name: true } } } },
    },
  });
  const bySlug = new Map(rows.map((r) => [r.slug, r]));
  const hidden = new Map<string, HiddenResult>();
  for (const slug of slugs) {
    const r = bySlug.get(slug);
    if (!r) hidden.set(slug, null);
    else if (!isResultVisibleTo(PUBLIC_VIEWER, r))
      hidden.set(slug, { type: "result", industry: r.industryKey, kind: r.kind, level: r.studio.level, enterprise: r.studio.enterprise.name });
  }
  return hidden;
}

/** An engine whose result hits and suggestions are re-checked against the database. */
export class VisibleHitsEngine implements SearchEngine {
  constructor(
    private readonly inner: SearchEngine,
    private readonly hidden: (slugs: string[]) => Promise<Map<string, HiddenResult>>,
  ) {}

  get name() {
    return this.inner.name;
  }

  async search(query: SearchQuery): Promise<SearchResponse> {
    const res = await this.inner.search(query);
    // the embedded fallback answered: it reads the database itself
    if (res.engine.startsWith("embedded")) return res;
    const slugs = res.hits.filter((h) => h.type === "result").map((h) => h.slug);
    if (!slugs.length) return res;
    const hidden = await this.hidden(slugs);
    if (!hidden.size) return res;
    const facets = { ...res.facets };
    for (const values of hidden.values()) {
      for (const [facet, value] of Object.entries(values ?? { type: "result" }) as [FacetName, string][]) {
        facets[facet] = (facets[facet] ?? []).map((c) => (c.value === value ? { ...c, count: c.count - 1 } : c)).filter((c) => c.count > 0);
      }
    }
    return {
      ...res,
      hits: res.hits.filter((h) => h.type !== "result" || !hidden.has(h.slug)),
      total: Math.max(0, res.total - hidden.size),
      facets,
    };
  }

  async suggest(prefix: string, limit?: number): Promise<Suggestion[]> {
    const list = await this.inner.suggest(prefix, limit);
    const slugOf = (s: Suggestion) => decodeURIComponent(s.url.replace(/^\/results\//, ""));
    const slugs = list.filter((s) => s.type === "result").map(slugOf);
    if (!slugs.length) return list;
    const hidden = await this.hidden(slugs);
    return list.filter((s) => s.type !== "result" || !hidden.has(slugOf(s)));
  }

  health(): Promise<EngineHealth> {
    return this.inner.health();
  }
}
