// The Meilisearch engine: the same SearchEngine contract as the embedded one, answered by a
// Meilisearch server through the official client. Documents reach it through the outbox
// (outbox.server.ts); this module owns the index settings, the document shape, the query mapping
// and the response mapping.
import { Meilisearch, type Index, type SearchParams, type Settings } from "meilisearch";
import { z } from "zod";
import type { Db } from "~/utils/db.server";
import {
  DOC_TYPES,
  FACETS,
  type EngineHealth,
  type FacetCount,
  type FacetName,
  type SearchEngine,
  type SearchHit,
  type SearchQuery,
  type SearchResponse,
  type Suggestion,
} from "./engine";
import { escapeHtml } from "./highlight";
import { MeiliError, request, runTask, toMeiliError, validate } from "./meili-errors";
import { outboxStats } from "./outbox.server";
import { STOPWORDS } from "./query";
import { cut, isCjkWord, normalize } from "./segment";
import { parseStoredWords, SYNONYMS_CHANGE, synonymsForMeilisearch } from "./synonyms";

export const DEFAULT_INDEX_UID = "hub_documents";

/** The highlight tags Meilisearch puts around matches; everything between them is escaped by us. */
export const HIGHLIGHT_PRE = "<mark>";
export const HIGHLIGHT_POST = "</mark>";
/** Words of body text around the best match in a snippet (Meilisearch counts words, CJK words included). */
export const CROP_LENGTH = 40;
export const CROP_MARKER = "…";

const DISPLAYED = ["docId", "type", "slug", "url", "title", "keywords", "body", "studio", "studioSlug", "enterprise", "industry", "kind", "level", "date", "illustrative"] as const;

/**
 * The index settings, kept here and applied whenever an index is created, rebuilt or first used by a
 * process (`npm run search:reindex` re-applies them after synonyms.yaml changes).
 *
 * - `subwords` holds the character pairs inside CJK words of three or more characters (在建工程 →
 *   在建 建工 工程), the same pairs the embedded engine indexes, so that a two-character query finds
 *   words inside longer words — Meilisearch's own segmentation does not. It is searched last and
 *   never displayed.
 * - `sort` comes first among the ranking rules: it only acts when a search asks for a sort, and then
 *   "newest first" means newest first, as on the embedded engine, not "newest among equally
 *   relevant". Without a sort the order is words, typo, proximity, attribute, exactness.
 * - Typo tolerance follows the embedded engine: one typo from 4 letters, two from 9.
 */
export const MEILI_SETTINGS = {
  searchableAttributes: ["title", "keywords", "studio", "enterprise", "body", "subwords"],
  filterableAttributes: [...FACETS],
  sortableAttributes: ["date"],
  displayedAttributes: [...DISPLAYED],
  // "words" first: documents holding every query word rank above those holding fewer, whatever
  // the sort (the embedded engine's tiers); matchingStrategy "frequency" drops the most common
  // words first, so the rarest word is never dropped (a query for 量子纠缠 仿真 stays empty)
  rankingRules: ["words", "sort", "typo", "proximity", "attribute", "exactness"],
  synonyms: synonymsForMeilisearch(),
  stopWords: [...STOPWORDS],
  typoTolerance: { enabled: true, minWordSizeForTypos: { oneTypo: 4, twoTypos: 9 } },
  localizedAttributes: [{ attributePatterns: ["*"], locales: ["cmn"] }],
  // exhaustive totals and facet counts up to what the API lets anyone page to (500 pages of 50)
  pagination: { maxTotalHits: 25_000 },
  faceting: { maxValuesPerFacet: 200, sortFacetValuesBy: { "*": "count" } },
} satisfies Settings;

/** What is stored in Meilisearch for one SearchDoc row. */
export interface MeiliDocument {
  id: string;
  docId: string;
  type: string;
  slug: string;
  url: string;
  title: string;
  keywords: string;
  body: string;
  studio: string | null;
  studioSlug: string | null;
  enterprise: string | null;
  industry: string | null;
  kind: string | null;
  level: string | null;
  date: string;
  illustrative: boolean;
  subwords: string;
}

export type SearchDocRow = Omit<MeiliDocument, "id" | "docId" | "subwords"> & { id: string };

/**
 * Meilisearch document ids allow only [A-Za-z0-9_-] (at most 511 bytes): `result:metro-hmi` becomes
 * `result__metro-hmi`; any other character of a slug is written as `_<hex code point>_`, so the
 * mapping stays one-to-one (`_` itself is `_5f_`). The original id is kept in `docId`.
 */
export function meiliId(docId: string): string {
  const at = docId.indexOf(":");
  const type = at < 0 ? "doc" : docId.slice(0, at);
  const slug = at < 0 ? docId : docId.slice(at + 1);
  const enc = (s: string) => [...s].map((c) => (/[A-Za-z0-9-]/.test(c) ? c : `_${c.codePointAt(0)!.toString(16)}_`)).join("");
  return `${enc(type)}__${enc(slug)}`;
}

/** Character pairs inside the CJK words of three or more characters of a text. */
export function subwords(text: string): string {
  const pairs = new Set<string>();
  for (const w of cut(normalize(text))) {
    if (w.length >= 3 && isCjkWord(w)) for (let i = 0; i + 2 <= w.length; i++) pairs.add(w.slice(i, i + 2));
  }
  return [...pairs].join(" ");
}

export function toMeiliDocument(row: SearchDocRow): MeiliDocument {
  return {
    id: meiliId(row.id),
    docId: row.id,
    type: row.type,
    slug: row.slug,
    url: row.url,
    title: row.title,
    keywords: row.keywords,
    body: row.body,
    studio: row.studio,
    studioSlug: row.studioSlug,
    enterprise: row.enterprise,
    industry: row.industry,
    kind: row.kind,
    level: row.level,
    date: row.date,
    illustrative: row.illustrative,
    subwords: subwords([row.title, row.keywords, row.body].join("\n")),
  };
}

/** A value as a quoted filter string: `"` and `\` escaped with a backslash, as Meilisearch's parser reads them. */
export function quoteFilterValue(value: string): string {
  return `"${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

/** `type = "result" AND industry = "rail-transit"`, or undefined without filters. */
export function buildFilter(filters: Partial<Record<FacetName, string>>): string | undefined {
  const parts = FACETS.filter((f) => filters[f] !== undefined).map((f) => `${f} = ${quoteFilterValue(filters[f]!)}`);
  return parts.length ? parts.join(" AND ") : undefined;
}

/**
 * Meilisearch returns the stored text, unescaped, with the highlight tags inserted. This escapes
 * all of it except the tags it inserted; a stray or unbalanced tag is escaped like any text.
 */
export function markedToHtml(text: string, pre = HIGHLIGHT_PRE, post = HIGHLIGHT_POST): string {
  let out = "";
  let open = false;
  let i = 0;
  while (i < text.length) {
    const nextPre = text.indexOf(pre, i);
    const nextPost = text.indexOf(post, i);
    const next = open ? nextPost : nextPre;
    if (next < 0) break;
    out += escapeHtml(text.slice(i, next)) + (open ? "</mark>" : "<mark>");
    open = !open;
    i = next + (open ? pre.length : post.length);
  }
  out += escapeHtml(text.slice(i));
  return open ? out + "</mark>" : out;
}

const Formatted = z.looseObject({ title: z.unknown().optional(), body: z.unknown().optional() });
const HitSchema = z.looseObject({
  docId: z.string(),
  type: z.enum(DOC_TYPES),
  slug: z.string(),
  url: z.string(),
  title: z.string(),
  body: z.string().optional(),
  keywords: z.string().optional(),
  studio: z.string().nullable().optional(),
  enterprise: z.string().nullable().optional(),
  date: z.string(),
  illustrative: z.boolean().optional(),
  _formatted: Formatted.optional(),
});
const Distribution = z.record(z.string(), z.record(z.string(), z.number()));
const PagedResponse = z.looseObject({
  hits: z.array(HitSchema),
  totalHits: z.number().int().nonnegative(),
  page: z.number().int(),
  hitsPerPage: z.number().int(),
  facetDistribution: Distribution.optional(),
});
const FacetOnlyResponse = z.looseObject({ facetDistribution: Distribution.optional() });
const MultiResponse = z.looseObject({ results: z.array(z.unknown()).min(1) });
const SuggestResponse = z.looseObject({ hits: z.array(z.looseObject({ type: z.enum(DOC_TYPES), title: z.string(), url: z.string() })) });
const HealthResponse = z.looseObject({ status: z.literal("available") });
const StatsResponse = z.looseObject({ numberOfDocuments: z.number().int().nonnegative(), isIndexing: z.boolean() });

export interface MeiliConfig {
  host: string;
  apiKey?: string;
  indexUid?: string;
  /** per HTTP request; a search that takes longer falls back to the embedded engine */
  timeoutMs?: number;
  /** how long to wait for a write task */
  taskTimeoutMs?: number;
}

export class MeilisearchEngine implements SearchEngine {
  readonly name = "meilisearch";
  readonly client: Meilisearch;
  readonly indexUid: string;
  readonly host: string;
  readonly taskTimeoutMs: number;
  private ensured = false;

  constructor(
    config: MeiliConfig,
    readonly db: Db,
  ) {
    this.host = config.host;
    this.indexUid = config.indexUid ?? DEFAULT_INDEX_UID;
    this.taskTimeoutMs = config.taskTimeoutMs ?? 120_000;
    this.client = new Meilisearch({
      host: config.host,
      apiKey: config.apiKey || undefined,
      timeout: config.timeoutMs ?? 5_000,
      defaultWaitOptions: { timeout: this.taskTimeoutMs, interval: 50 },
    });
  }

  index(uid = this.indexUid): Index<MeiliDocument> {
    return this.client.index<MeiliDocument>(uid);
  }

  async search(query: SearchQuery): Promise<SearchResponse> {
    const started = performance.now();
    const perPage = Math.min(50, Math.max(1, query.perPage ?? 10));
    const page = Math.max(1, query.page ?? 1);
    const q = query.q.trim();
    const filters: Partial<Record<FacetName, string>> = {};
    for (const f of FACETS) if (query.filters?.[f]) filters[f] = query.filters[f];
    // an empty query lists everything newest first, as the embedded engine does
    const sort = query.sort === "date" || !q ? ["date:desc"] : undefined;
    const main: SearchParams = {
      filter: buildFilter(filters),
      facets: [...FACETS],
      sort,
      page,
      hitsPerPage: perPage,
      matchingStrategy: "frequency",
      attributesToRetrieve: [...DISPLAYED],
      attributesToHighlight: ["title", "body"],
      highlightPreTag: HIGHLIGHT_PRE,
      highlightPostTag: HIGHLIGHT_POST,
      attributesToCrop: ["body"],
      cropLength: CROP_LENGTH,
      cropMarker: CROP_MARKER,
    };
    // Facets are disjunctive, as on the embedded engine: a dimension's counts ignore that
    // dimension's own filter (so the other industries stay visible once one is chosen). Each
    // filtered dimension gets its own facet-only query, all in one multi-search request.
    const active = FACETS.filter((f) => filters[f] !== undefined);
    let raw: unknown;
    const others: unknown[] = [];
    if (!active.length) {
      raw = await request(`searching ${this.indexUid}`, () => this.index().search(q, main));
    } else {
      const facetQueries = active.map((f) => {
        const rest = { ...filters };
        delete rest[f];
        return { indexUid: this.indexUid, q, filter: buildFilter(rest), facets: [f], limit: 0, matchingStrategy: "frequency" as const };
      });
      const res = await request(`searching ${this.indexUid}`, () => this.client.multiSearch({ queries: [{ indexUid: this.indexUid, q, ...main }, ...facetQueries] }));
      const results = validate(MultiResponse, res, "multi-search").results;
      if (results.length !== facetQueries.length + 1)
        throw new MeiliError(`multi-search: ${results.length} results for ${facetQueries.length + 1} queries`, "response", "invalid_response");
      raw = results[0];
      others.push(...results.slice(1));
    }
    const res = validate(PagedResponse, raw, "search");
    const facets = Object.fromEntries(FACETS.map((f) => [f, facetCounts(res.facetDistribution?.[f])])) as Record<FacetName, FacetCount[]>;
    active.forEach((f, i) => {
      facets[f] = facetCounts(validate(FacetOnlyResponse, others[i], "facet search").facetDistribution?.[f]);
    });
    const hits: SearchHit[] = res.hits.map((h) => {
      const formatted = h._formatted ?? {};
      const titleHtml = typeof formatted.title === "string" ? markedToHtml(formatted.title) : escapeHtml(h.title);
      const snippet =
        typeof formatted.body === "string" ? markedToHtml(formatted.body.replace(/\s+/g, " ").trim()) : escapeHtml((h.body ?? "").replace(/\s+/g, " ").trim().slice(0, 110));
      return {
        type: h.type,
        slug: h.slug,
        title: h.title,
        titleHtml,
        snippet,
        studio: h.studio ?? null,
        enterprise: h.enterprise ?? null,
        url: h.url,
        illustrative: h.illustrative ?? false,
        date: h.date,
      };
    });
    // which query words each hit holds (Meilisearch does not say): the word or a synonym in its text
    const words = [
      ...new Set(
        cut(normalize(q))
          .map((w) => w.trim())
          .filter((w) => w && /[\p{L}\p{N}]/u.test(w) && !STOPWORDS.has(w)),
      ),
    ];
    const synonyms = synonymsForMeilisearch();
    const holds = (text: string, w: string) => text.includes(w) || (synonyms[w] ?? []).some((s) => text.includes(s));
    const texts = res.hits.map((h) => normalize([h.title, h.keywords ?? "", h.body ?? "", h.studio ?? "", h.enterprise ?? ""].join(" ")));
    const lacks = texts.map((text) => (words.length > 1 ? words.filter((w) => !holds(text, w)) : []));
    hits.forEach((h, i) => (h.missingWords = lacks[i]));
    const missingWords = words.length > 1 && texts.length ? words.filter((w) => texts.every((text) => !holds(text, w))) : [];
    const fullMatches = words.length > 1 && texts.length && lacks.every((l) => l.length > 0) ? 0 : res.totalHits;
    return {
      query: query.q,
      total: res.totalHits,
      page,
      perPage,
      hits,
      facets,
      suggestion: null,
      engine: this.name,
      partial: lacks.some((l) => l.length > 0),
      missingWords,
      fullMatches,
      tookMs: Math.round((performance.now() - started) * 100) / 100,
    };
  }

  async suggest(prefix: string, limit = 8): Promise<Suggestion[]> {
    const q = prefix.trim();
    if (!q) return [];
    const raw = await request(`suggesting from ${this.indexUid}`, () => this.index().search(q, { limit, attributesToRetrieve: ["type", "title", "url"], matchingStrategy: "all" }));
    return validate(SuggestResponse, raw, "suggest").hits.map((h) => ({ type: h.type, title: h.title, url: h.url }));
  }

  /** Server health, index stats and the outbox backlog. Throws when Meilisearch does not answer. */
  async health(): Promise<EngineHealth> {
    const outbox = await outboxStats(this.db);
    validate(HealthResponse, await request("health", () => this.client.health()), "health");
    let stats: z.infer<typeof StatsResponse> | null = null;
    try {
      stats = validate(StatsResponse, await this.index().getStats(), "index stats");
    } catch (e) {
      const err = toMeiliError(e, `stats of ${this.indexUid}`);
      if (err.code !== "index_not_found") throw err;
    }
    const status = !stats || outbox.failing > 0 ? "degraded" : "ok";
    return {
      engine: this.name,
      status,
      documents: stats?.numberOfDocuments ?? 0,
      detail: {
        host: this.host,
        index: this.indexUid,
        indexExists: Boolean(stats),
        isIndexing: stats?.isIndexing ?? false,
        outbox,
        ...(stats ? {} : { message: `index ${this.indexUid} does not exist yet: the outbox worker creates it, or run npm run search:reindex` }),
      },
    };
  }

  /**
   * Makes sure the live index exists with the settings in code (once per process, again after the
   * index went missing). Returns whether it had to create the index — then it is empty.
   */
  async ensureIndex(): Promise<{ created: boolean }> {
    if (this.ensured) return { created: false };
    const created = await this.createIfMissing(this.indexUid);
    await this.applySettings(this.indexUid);
    this.ensured = true;
    return { created };
  }

  async createIfMissing(uid: string): Promise<boolean> {
    try {
      await this.client.getRawIndex(uid);
      return false;
    } catch (e) {
      const err = toMeiliError(e, `looking up index ${uid}`);
      if (err.code !== "index_not_found") throw err;
    }
    try {
      await runTask(this.client.createIndex(uid, { primaryKey: "id" }), `creating index ${uid}`, this.taskTimeoutMs);
      return true;
    } catch (e) {
      if (e instanceof MeiliError && e.code === "index_already_exists") return false; // another process was first
      throw e;
    }
  }

  async applySettings(uid: string): Promise<void> {
    const synonyms = await this.synonyms();
    await runTask(this.index(uid).updateSettings(synonyms ? { ...MEILI_SETTINGS, synonyms } : MEILI_SETTINGS), `applying settings to ${uid}`, this.taskTimeoutMs);
  }

  /** The shipped synonyms with the site's groups (SynonymGroup), or null when the site has none. */
  private async synonyms(): Promise<Record<string, string[]> | null> {
    const rows = await this.db.synonymGroup.findMany({ select: { words: true }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
    return rows.length ? synonymsForMeilisearch(rows.map((r) => parseStoredWords(r.words))) : null;
  }

  /** Sends the `synonyms` setting as the database holds it now (an outbox row of op "settings"). */
  async pushSynonyms(uid = this.indexUid): Promise<void> {
    const synonyms = (await this.synonyms()) ?? MEILI_SETTINGS.synonyms;
    await runTask(this.index(uid).updateSettings({ synonyms }), `updating the synonyms of ${uid}`, this.taskTimeoutMs);
  }

  /** Adds or replaces documents in an index and waits until Meilisearch has indexed them. */
  async addRows(rows: SearchDocRow[], uid = this.indexUid): Promise<void> {
    if (!rows.length) return;
    await runTask(this.index(uid).addDocuments(rows.map(toMeiliDocument), { primaryKey: "id" }), `adding ${rows.length} documents to ${uid}`, this.taskTimeoutMs);
  }

  /**
   * Brings the given documents in the live index in line with the SearchDoc table: present rows
   * are added or replaced, missing ones deleted. Delivering the current state (not the logged
   * operation) makes delivery idempotent and order-independent.
   */
  async deliver(docIds: string[]): Promise<{ upserted: number; deleted: number }> {
    const ids = [...new Set(docIds)];
    if (!ids.length) return { upserted: 0, deleted: 0 };
    await this.ensureIndex();
    const settings = ids.indexOf(SYNONYMS_CHANGE);
    if (settings >= 0) {
      ids.splice(settings, 1);
      try {
        await this.pushSynonyms();
      } catch (e) {
        if (e instanceof MeiliError && e.code === "index_not_found") this.ensured = false;
        throw e;
      }
      if (!ids.length) return { upserted: 0, deleted: 0 };
    }
    const rows = await this.db.searchDoc.findMany({ where: { id: { in: ids } } });
    const present = new Set(rows.map((r) => r.id));
    const gone = ids.filter((id) => !present.has(id));
    try {
      await this.addRows(rows);
      if (gone.length) {
        await runTask(this.index().deleteDocuments(gone.map(meiliId)), `deleting ${gone.length} documents from ${this.indexUid}`, this.taskTimeoutMs);
      }
    } catch (e) {
      if (e instanceof MeiliError && e.code === "index_not_found") this.ensured = false;
      throw e;
    }
    return { upserted: rows.length, deleted: gone.length };
  }

  /** Forget that the index was checked (after a swap or when it may have been deleted). */
  resetEnsured() {
    this.ensured = false;
  }
}

function facetCounts(dist: Record<string, number> | undefined): FacetCount[] {
  return Object.entries(dist ?? {})
    .filter(([, n]) => n > 0)
    .map(([value, count]) => ({ value, count }))
    .sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
}
