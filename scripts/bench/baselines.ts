// The baselines `npm run bench` compares the embedded engine with:
//  - BigramBM25: plain character-bigram BM25 over the same documents (relevance baseline);
//  - likeSearch: a SQL LIKE scan over the SearchDoc table, with GROUP BY facets;
//  - MiniSearchBaseline: minisearch 7.2 given the same jieba segmentation, with facets counted
//    over its hits.

import type Database from "better-sqlite3";
import MiniSearch from "minisearch";
import { FACETS, type FacetName } from "../../search/engine";
import { STOPWORDS } from "../../search/query";
import { indexTerms, normalize, queryWords } from "../../search/segment";

export interface BaselineDoc {
  id: string;
  type: string;
  title: string;
  keywords: string;
  body: string;
  studio: string | null;
  enterprise: string | null;
  industry: string | null;
  kind: string | null;
  level: string | null;
  date: string;
}

export interface BaselineResult {
  total: number;
  ids: string[];
  facets: Record<string, Record<string, number>>;
}

type Filters = Partial<Record<FacetName, string>>;

const matchesFilters = (d: BaselineDoc, filters: Filters) => FACETS.every((f) => filters[f] === undefined || (d as unknown as Record<string, string | null>)[f] === filters[f]);

// ── character-bigram BM25 ────────────────────────────────────────────────────────────────────────

const CJK_RUN = /[\u3400-\u9fff\uf900-\ufaff]+|[a-z0-9]+/g;

/** Every overlapping character pair of each CJK run (a lone character stands for itself), Latin words whole. */
export function bigrams(text: string): string[] {
  const out: string[] = [];
  for (const m of normalize(text).matchAll(CJK_RUN)) {
    const run = m[0];
    if (/^[a-z0-9]/.test(run) || run.length === 1) out.push(run);
    else for (let i = 0; i + 2 <= run.length; i++) out.push(run.slice(i, i + 2));
  }
  return out;
}

export class BigramBM25 {
  private postings = new Map<string, { doc: number; tf: number }[]>();
  private lens: number[] = [];
  private avg = 1;

  constructor(private docs: BaselineDoc[]) {
    docs.forEach((d, i) => {
      const grams = bigrams([d.title, d.keywords, d.studio ?? "", d.enterprise ?? "", d.body].join("\n"));
      this.lens.push(grams.length);
      const tf = new Map<string, number>();
      for (const g of grams) tf.set(g, (tf.get(g) ?? 0) + 1);
      for (const [g, n] of tf) {
        let list = this.postings.get(g);
        if (!list) this.postings.set(g, (list = []));
        list.push({ doc: i, tf: n });
      }
    });
    this.avg = this.lens.reduce((a, b) => a + b, 0) / Math.max(1, this.lens.length);
  }

  /** Every document sharing at least one bigram with the query, best first. */
  search(q: string, filters: Filters = {}): string[] {
    const N = this.docs.length;
    const scores = new Map<number, number>();
    for (const g of new Set(bigrams(q))) {
      const list = this.postings.get(g);
      if (!list) continue;
      const idf = Math.log(1 + (N - list.length + 0.5) / (list.length + 0.5));
      for (const { doc, tf } of list) {
        const s = (idf * tf * 2.2) / (tf + 1.2 * (0.25 + (0.75 * this.lens[doc]) / this.avg));
        scores.set(doc, (scores.get(doc) ?? 0) + s);
      }
    }
    return [...scores.entries()]
      .filter(([d]) => matchesFilters(this.docs[d], filters))
      .sort((a, b) => b[1] - a[1] || a[0] - b[0])
      .map(([d]) => this.docs[d].id);
  }
}

// ── SQL LIKE scan ────────────────────────────────────────────────────────────────────────────────

/** The query's words as the engine segments them, stopwords dropped. */
export function contentWords(q: string): string[] {
  const words = queryWords(q);
  const kept = words.filter((w) => !STOPWORDS.has(w));
  return [...new Set(kept.length ? kept : words)];
}

/**
 * Every word must occur in the title, keywords or body (LIKE '%word%'); the ten newest documents
 * with a word in the title first; facet counts by GROUP BY over the same match.
 */
export function likeSearch(sqlite: Database.Database, q: string, filters: Filters = {}): BaselineResult {
  const words = contentWords(q);
  const where: string[] = [];
  const args: string[] = [];
  for (const w of words) {
    where.push("(title LIKE ? OR keywords LIKE ? OR body LIKE ?)");
    const pat = `%${w.replace(/[%_]/g, "")}%`;
    args.push(pat, pat, pat);
  }
  for (const f of FACETS) {
    if (filters[f] !== undefined) {
      where.push(`${f} = ?`);
      args.push(filters[f]!);
    }
  }
  const cond = where.length ? where.join(" AND ") : "1";
  const titleFirst = words.length ? `(title LIKE ?) DESC, ` : "";
  const top = sqlite
    .prepare(`SELECT id, title, body FROM SearchDoc WHERE ${cond} ORDER BY ${titleFirst}date DESC LIMIT 10`)
    .all(...args, ...(words.length ? [`%${words[0]}%`] : [])) as { id: string }[];
  const grouped = sqlite
    .prepare(
      `WITH m AS MATERIALIZED (SELECT type, industry, kind, level, enterprise FROM SearchDoc WHERE ${cond}) ` +
        FACETS.map((f) => `SELECT '${f}' AS facet, ${f} AS value, count(*) AS n FROM m WHERE ${f} IS NOT NULL GROUP BY ${f}`).join(" UNION ALL "),
    )
    .all(...args) as { facet: string; value: string; n: number }[];
  const facets: BaselineResult["facets"] = Object.fromEntries(FACETS.map((f) => [f, {}]));
  let total = 0;
  for (const g of grouped) {
    facets[g.facet][g.value] = g.n;
    if (g.facet === "type") total += g.n;
  }
  return { total, ids: top.map((r) => r.id), facets };
}

// ── minisearch ───────────────────────────────────────────────────────────────────────────────────

const FIELDS = ["title", "keywords", "context", "body"] as const;

/**
 * minisearch indexing the same fields with the engine's own segmentation (indexTerms: jieba words
 * plus character pairs inside longer words) and searching with the engine's query words, all of
 * which must match; Latin words get minisearch's fuzzy and prefix matching.
 */
export class MiniSearchBaseline {
  readonly mini: MiniSearch<BaselineDoc & { context: string }>;

  constructor() {
    this.mini = new MiniSearch<BaselineDoc & { context: string }>({
      fields: [...FIELDS],
      storeFields: ["type", "industry", "kind", "level", "enterprise"],
      tokenize: (text) => [...indexTerms(text).keys()],
      processTerm: (t) => t,
      searchOptions: {
        boost: { title: 4, keywords: 2, context: 0.5 },
        combineWith: "AND",
        tokenize: contentWords,
        processTerm: (t) => t,
        fuzzy: (term) => (/^[a-z]{4,}$/.test(term) ? 0.2 : false),
        prefix: (term, i, terms) => i === terms.length - 1 && /^[a-z]{2,}$/.test(term),
      },
    });
  }

  add(docs: BaselineDoc[]) {
    this.mini.addAll(docs.map((d) => ({ ...d, context: [d.studio, d.enterprise].filter(Boolean).join(" ") })));
  }

  search(q: string, filters: Filters = {}): BaselineResult {
    const hasFilter = FACETS.some((f) => filters[f] !== undefined);
    const hits = this.mini.search(q);
    const facets: BaselineResult["facets"] = Object.fromEntries(FACETS.map((f) => [f, {}]));
    const ids: string[] = [];
    let total = 0;
    for (const h of hits) {
      const stored = h as unknown as Record<string, string | null>;
      if (hasFilter && !FACETS.every((f) => filters[f] === undefined || stored[f] === filters[f])) continue;
      total++;
      if (ids.length < 10) ids.push(String(h.id));
      for (const f of FACETS) {
        const v = stored[f];
        if (v) facets[f][v] = (facets[f][v] ?? 0) + 1;
      }
    }
    return { total, ids, facets };
  }
}
