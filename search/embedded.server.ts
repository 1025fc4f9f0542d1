import Database from "better-sqlite3";
import { decodeTerms } from "./documents.server";
import { FACETS, type EngineHealth, type FacetName, type SearchEngine, type SearchHit, type SearchQuery, type SearchResponse, type Suggestion } from "./engine";
import { highlight, snippet } from "./highlight";
import { MemoryIndex } from "./memory-index";
import { damerau, planQuery } from "./query";
import { normalize } from "./segment";
import { loadSynonyms } from "./synonyms";

interface DocRow {
  id: string;
  type: string;
  slug: string;
  url: string;
  title: string;
  body: string;
  studio: string | null;
  enterprise: string | null;
  industry: string | null;
  kind: string | null;
  level: string | null;
  date: string;
  illustrative: number;
  terms: string;
}

/**
 * The default engine. Documents live in the SearchDoc table, written in the same transaction as
 * the content; this engine keeps an in-memory index of them and, before every query, replays the
 * SearchChange log from where it left off — so a change is searchable as soon as it commits, in
 * this process or any other.
 */
export class EmbeddedEngine implements SearchEngine {
  readonly name = "embedded";
  private sqlite: Database.Database;
  private index = new MemoryIndex();
  private lastSeq = -1;
  private stmts: {
    maxSeq: Database.Statement;
    minSeq: Database.Statement;
    changes: Database.Statement;
    all: Database.Statement;
    one: Database.Statement;
  };

  constructor(databaseFile: string) {
    this.sqlite = new Database(databaseFile, { fileMustExist: true });
    this.sqlite.pragma("busy_timeout = 5000");
    this.stmts = {
      maxSeq: this.sqlite.prepare(`SELECT coalesce(max(seq), 0) FROM SearchChange`).pluck(),
      minSeq: this.sqlite.prepare(`SELECT coalesce(min(seq), 0) FROM SearchChange`).pluck(),
      changes: this.sqlite.prepare(`SELECT seq, docId FROM SearchChange WHERE seq > ? ORDER BY seq`),
      all: this.sqlite.prepare(`SELECT id, title, date, industry, kind, level, type, enterprise, terms FROM SearchDoc`),
      one: this.sqlite.prepare(`SELECT id, title, date, industry, kind, level, type, enterprise, terms FROM SearchDoc WHERE id = ?`),
    };
  }

  close() {
    this.sqlite.close();
  }

  /** Replays committed changes into the in-memory index (a full load the first time). */
  sync(): void {
    const read = this.sqlite.transaction(() => {
      const max = this.stmts.maxSeq.get() as number;
      if (this.lastSeq >= 0 && max === this.lastSeq) return;
      const min = this.stmts.minSeq.get() as number;
      if (this.lastSeq < 0 || (min > this.lastSeq + 1 && this.lastSeq > 0) || max < this.lastSeq) {
        this.index = new MemoryIndex();
        for (const row of this.stmts.all.iterate() as Iterable<DocRow>) this.index.upsert(toIndexed(row));
      } else {
        const changed = new Set((this.stmts.changes.all(this.lastSeq) as { docId: string }[]).map((c) => c.docId));
        for (const id of changed) {
          const row = this.stmts.one.get(id) as DocRow | undefined;
          if (row) this.index.upsert(toIndexed(row));
          else this.index.remove(id);
        }
      }
      this.lastSeq = max;
    });
    read.deferred();
  }

  async search(query: SearchQuery): Promise<SearchResponse> {
    const started = performance.now();
    this.sync();
    const perPage = Math.min(50, Math.max(1, query.perPage ?? 10));
    const page = Math.max(1, query.page ?? 1);
    const synonyms = loadSynonyms();
    const plan = planQuery(query.q, this.index, synonyms);
    const res = this.index.search({
      groups: plan.groups,
      phrase: plan.phrase,
      filters: clean(query.filters),
      sort: query.sort ?? "relevance",
      offset: (page - 1) * perPage,
      limit: perPage,
    });
    const rows = this.rows(res.ids);
    const terms = [...res.matched, ...plan.groups.map((g) => g.word)];
    const hits: SearchHit[] = res.ids.flatMap((id) => {
      const r = rows.get(id);
      if (!r) return [];
      return [{
        type: r.type as SearchHit["type"], slug: r.slug, title: r.title, titleHtml: highlight(r.title, terms),
        snippet: snippet(r.body, terms), studio: r.studio, enterprise: r.enterprise, url: r.url,
        illustrative: Boolean(r.illustrative), date: r.date,
      }];
    });
    const suggestion = res.total === 0 || res.relaxed ? this.correct(query.q) : null;
    return {
      query: query.q, total: res.total, page, perPage, hits, facets: res.facets, suggestion, partial: res.relaxed, engine: this.name,
      tookMs: Math.round((performance.now() - started) * 100) / 100,
    };
  }

  async suggest(prefix: string, limit = 8): Promise<Suggestion[]> {
    if (!prefix.trim()) return [];
    this.sync();
    const plan = planQuery(prefix, this.index, loadSynonyms());
    const res = this.index.search({ groups: plan.groups, phrase: plan.phrase, filters: {}, sort: "relevance", offset: 0, limit });
    const rows = this.rows(res.ids);
    return res.ids.flatMap((id) => {
      const r = rows.get(id);
      return r ? [{ type: r.type as Suggestion["type"], title: r.title, url: r.url }] : [];
    });
  }

  async health(): Promise<EngineHealth> {
    this.sync();
    return { engine: this.name, status: "ok", documents: this.index.size, detail: { lastChange: this.lastSeq } };
  }

  /** A query with each unknown Latin word replaced by the closest indexed word, if any. */
  private correct(q: string): string | null {
    let changed = false;
    const words = normalize(q).split(/(\s+)/).map((w) => {
      if (!/^[a-z]{4,}$/.test(w) || this.index.df(w) > 0) return w;
      const max = w.length >= 9 ? 2 : 1;
      let best: string | null = null, bestDf = 0;
      for (const t of this.index.latinTerms()) {
        if (Math.abs(t.length - w.length) > max) continue;
        const df = this.index.df(t);
        if (df > bestDf && damerau(w, t, max) <= max) {
          best = t;
          bestDf = df;
        }
      }
      if (best) changed = true;
      return best ?? w;
    });
    return changed ? words.join("") : null;
  }

  private rows(ids: string[]): Map<string, DocRow> {
    if (!ids.length) return new Map();
    const list = this.sqlite
      .prepare(`SELECT id, type, slug, url, title, body, studio, enterprise, date, illustrative FROM SearchDoc WHERE id IN (${ids.map(() => "?").join(",")})`)
      .all(...ids) as DocRow[];
    return new Map(list.map((r) => [r.id, r]));
  }
}

function toIndexed(row: DocRow) {
  return {
    id: row.id,
    title: normalize(row.title),
    date: Date.parse(row.date) || 0,
    terms: decodeTerms(row.terms),
    facets: { type: row.type, industry: row.industry, kind: row.kind, level: row.level, enterprise: row.enterprise },
  };
}

function clean(filters: SearchQuery["filters"]): Partial<Record<FacetName, string>> {
  const out: Partial<Record<FacetName, string>> = {};
  for (const f of FACETS) if (filters?.[f]) out[f] = filters[f];
  return out;
}
