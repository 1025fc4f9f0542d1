import Database from "better-sqlite3";
import pg from "pg";
import { FACETS, type EngineHealth, type FacetName, type SearchEngine, type SearchHit, type SearchQuery, type SearchResponse, type Suggestion } from "./engine";
import { highlight, highlightTerms, snippet } from "./highlight";
import { MemoryIndex } from "./memory-index";
import { damerau, planQuery } from "./query";
import { normalize } from "./segment";
import { parseStoredWords, SYNONYMS_CHANGE, withSiteSynonyms, type SynonymMap } from "./synonyms";

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
  illustrative: number | boolean;
  terms: string;
}

type StoredRow = [string, string, string, string | null, string | null, string | null, string, string | null, string];

/**
 * The default engine. Documents live in the SearchDoc table, written in the same transaction as
 * the content; this engine keeps an in-memory index of them and, before every query, replays the
 * SearchChange log from where it left off — so a change is searchable as soon as it commits, in
 * this process or any other.
 */
export class EmbeddedEngine implements SearchEngine {
  readonly name = "embedded";
  /** SQLite: the database file's own read connection; null with PostgreSQL */
  private sqlite: Database.Database | null = null;
  /** PostgreSQL (a postgresql:// URL instead of a file): a small pool of its own */
  private pool: pg.Pool | null = null;
  private index = new MemoryIndex();
  private lastSeq = -1;
  /** PRAGMA data_version when the index was last brought up to date */
  private lastVersion: number | string = -1;
  private rowStatements = new Map<number, Database.Statement>();
  private stmts!: {
    dataVersion: Database.Statement;
    maxSeq: Database.Statement;
    minSeq: Database.Statement;
    changes: Database.Statement;
    all: Database.Statement;
    one: Database.Statement;
  };

  /**
   * Answers to recent searches (Solr's queryResultCache, in small): popular queries and the
   * prefixes typed into the search box repeat, and a cached answer costs nothing. Emptied
   * whenever the index changes, so it can never serve a stale result. `cache: false` turns it
   * off, and the row cache below (npm run bench times the engine without them).
   */
  private cache: Map<string, SearchResponse> | null;
  private suggestCache: Map<string, Suggestion[]> | null;

  /**
   * `configure` sets up the engine's read connection the way the application sets up its own (a
   * busy timeout and nothing else when not given): this library does not know the app's settings.
   */
  constructor(databaseFile: string, options: { cache?: boolean; configure?: (sqlite: Database.Database) => void } = {}) {
    this.cache = options.cache === false ? null : new Map();
    this.suggestCache = options.cache === false ? null : new Map();
    if (/^postgres(ql)?:\/\//.test(databaseFile)) {
      this.pool = new pg.Pool({ connectionString: databaseFile, max: 2, allowExitOnIdle: true });
      // an idle connection the server closed (a restart, a failover, an administrator) is dropped by the
      // pool and the next query opens another; unheard, the error would end the whole process
      this.pool.on("error", () => undefined);
      return;
    }
    const sqlite = (this.sqlite = new Database(databaseFile, { fileMustExist: true }));
    if (options.configure) options.configure(sqlite);
    else sqlite.pragma("busy_timeout = 5000");
    this.stmts = {
      dataVersion: sqlite.prepare(`PRAGMA data_version`).pluck(),
      maxSeq: sqlite.prepare(`SELECT coalesce(max(seq), 0) FROM SearchChange`).pluck(),
      minSeq: sqlite.prepare(`SELECT coalesce(min(seq), 0) FROM SearchChange`).pluck(),
      changes: sqlite.prepare(`SELECT seq, docId FROM SearchChange WHERE seq > ? ORDER BY seq`),
      all: sqlite.prepare(`SELECT id, title, date, industry, kind, level, type, enterprise, terms FROM SearchDoc`).raw(),
      one: sqlite.prepare(`SELECT id, title, date, industry, kind, level, type, enterprise, terms FROM SearchDoc WHERE id = ?`),
    };
  }

  close(): void | Promise<void> {
    this.sqlite?.close();
    if (this.pool) return this.pool.end();
  }

  private synonymMap: SynonymMap | null = null;
  /**
   * The shipped synonyms and the site's own groups, read once and again after sync() replays a
   * SYNONYMS_CHANGE (a site admin changed them, in this process or another).
   */
  private synonyms(): SynonymMap {
    return (this.synonymMap ??= withSiteSynonyms(this.siteSynonymGroups()));
  }

  /** PostgreSQL: the site's groups, read by syncPostgres (the SQLite connection reads them on demand) */
  private postgresSynonymGroups: string[][] = [];

  private siteSynonymGroups(): string[][] {
    if (!this.sqlite) return this.postgresSynonymGroups;
    try {
      return (this.sqlite.prepare(`SELECT words FROM SynonymGroup ORDER BY createdAt, id`).pluck().all() as string[]).map(parseStoredWords);
    } catch (e) {
      // a database from before the SynonymGroup migration (bench corpora): the shipped groups only
      if (e instanceof Error && /no such table/.test(e.message)) return [];
      throw e;
    }
  }

  /**
   * Replays committed changes into the in-memory index (a full load the first time). Synchronous
   * on SQLite; a promise on PostgreSQL.
   */
  sync(): void | Promise<void> {
    if (!this.sqlite) return this.syncPostgresOnce();
    this.syncSqlite();
  }

  private syncing: Promise<void> | null = null;
  private syncAgain: Promise<void> | null = null;
  /**
   * One replay at a time. A caller arriving while one runs waits for it and then for one more,
   * started after its arrival: the running one may have read before the caller's own commit.
   */
  private syncPostgresOnce(): Promise<void> {
    if (this.syncing) {
      return (this.syncAgain ??= this.syncing
        .catch(() => undefined)
        .then(() => {
          this.syncAgain = null;
          return this.syncPostgresOnce();
        }));
    }
    const run = (this.syncing = this.syncPostgres().finally(() => {
      this.syncing = null;
    }));
    return run;
  }

  /**
   * syncSqlite's PostgreSQL counterpart. pg_current_snapshot() stands in for PRAGMA data_version: it
   * moves with every commit of a writing transaction, from any server. Everything is read in one
   * REPEATABLE READ transaction, so the snapshot, the log and the rows agree. (The log's writers
   * commit in seq order: app/models/search/sync.server.ts takes a lock for it.)
   */
  private async syncPostgres(): Promise<void> {
    const client = await this.pool!.connect();
    const before = this.lastSeq;
    try {
      await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
      const version = (await client.query<{ v: string }>("SELECT pg_current_snapshot()::text AS v")).rows[0].v;
      if (this.lastSeq >= 0 && version === this.lastVersion) return;
      const { max, min } = (await client.query<{ max: number; min: number }>(`SELECT coalesce(max(seq), 0) AS max, coalesce(min(seq), 0) AS min FROM "SearchChange"`)).rows[0];
      if (this.lastSeq < 0 || (min > this.lastSeq + 1 && this.lastSeq > 0) || max < this.lastSeq) {
        const rows = await client.query<StoredRow>({
          text: `SELECT id, title, date, industry, kind, level, type, enterprise, terms FROM "SearchDoc"`,
          rowMode: "array",
        });
        this.postgresSynonymGroups = await this.readPostgresSynonyms(client);
        this.index = this.loadRows(rows.rows);
        this.rowCache.clear();
        this.synonymMap = null;
      } else if (max !== this.lastSeq) {
        const changes = await client.query<{ docId: string }>(`SELECT "docId" FROM "SearchChange" WHERE seq > $1 ORDER BY seq`, [this.lastSeq]);
        const changed = new Set(changes.rows.map((c) => c.docId));
        if (changed.delete(SYNONYMS_CHANGE)) {
          this.postgresSynonymGroups = await this.readPostgresSynonyms(client);
          this.synonymMap = null;
        }
        const found = new Map(
          (await client.query<DocRow>(`SELECT id, title, date, industry, kind, level, type, enterprise, terms FROM "SearchDoc" WHERE id = ANY($1)`, [[...changed]])).rows.map(
            (r) => [r.id, r],
          ),
        );
        for (const id of changed) {
          this.rowCache.delete(id);
          const row = found.get(id);
          if (row)
            this.index.upsertStored(row.id, normalize(row.title), Date.parse(row.date) || 0, row.terms, {
              type: row.type,
              industry: row.industry,
              kind: row.kind,
              level: row.level,
              enterprise: row.enterprise,
            });
          else this.index.remove(id);
        }
      }
      this.lastSeq = max;
      this.lastVersion = version;
    } finally {
      await client.query("COMMIT").catch(() => undefined);
      client.release();
      if (this.lastSeq !== before) {
        this.cache?.clear();
        this.suggestCache?.clear();
      }
    }
  }

  private async readPostgresSynonyms(client: pg.PoolClient): Promise<string[][]> {
    const rows = await client.query<{ words: string }>(`SELECT words FROM "SynonymGroup" ORDER BY "createdAt", id`);
    return rows.rows.map((r) => parseStoredWords(r.words));
  }

  private syncSqlite(): void {
    // PRAGMA data_version changes only when another connection commits: when it has not moved,
    // nothing can have changed and the log need not be read (one cheap call per query).
    const version = this.stmts.dataVersion.get() as number;
    if (this.lastSeq >= 0 && version === this.lastVersion) return;
    const read = this.sqlite!.transaction(() => {
      const max = this.stmts.maxSeq.get() as number;
      if (this.lastSeq >= 0 && max === this.lastSeq) return;
      const min = this.stmts.minSeq.get() as number;
      if (this.lastSeq < 0 || (min > this.lastSeq + 1 && this.lastSeq > 0) || max < this.lastSeq) {
        this.index = this.loadAll();
        this.rowCache.clear();
        this.synonymMap = null;
      } else {
        const changed = new Set((this.stmts.changes.all(this.lastSeq) as { docId: string }[]).map((c) => c.docId));
        if (changed.delete(SYNONYMS_CHANGE)) this.synonymMap = null;
        for (const id of changed) {
          this.rowCache.delete(id);
          const row = this.stmts.one.get(id) as DocRow | undefined;
          if (row)
            this.index.upsertStored(row.id, normalize(row.title), Date.parse(row.date) || 0, row.terms, {
              type: row.type,
              industry: row.industry,
              kind: row.kind,
              level: row.level,
              enterprise: row.enterprise,
            });
          else this.index.remove(id);
        }
      }
      this.lastSeq = max;
    });
    const before = this.lastSeq;
    read.deferred();
    this.lastVersion = version;
    if (this.lastSeq !== before) {
      this.cache?.clear();
      this.suggestCache?.clear();
    }
  }

  /**
   * Every document into a fresh index: raw rows and the stored term list as it is, no Map per
   * document (this is most of the index build time, see `npm run bench`).
   */
  private loadAll(): MemoryIndex {
    return this.loadRows(this.stmts.all.iterate() as Iterable<StoredRow>);
  }

  private loadRows(rows: Iterable<StoredRow>): MemoryIndex {
    const index = new MemoryIndex();
    index.beginBulk();
    for (const row of rows) {
      const [id, title, date, industry, kind, level, type, enterprise, terms] = row;
      index.upsertStored(id, normalize(title), Date.parse(date) || 0, terms, { type, industry, kind, level, enterprise });
    }
    index.endBulk();
    return index;
  }

  async search(query: SearchQuery): Promise<SearchResponse> {
    const started = performance.now();
    await this.sync();
    const perPage = Math.min(50, Math.max(1, query.perPage ?? 10));
    const page = Math.max(1, query.page ?? 1);
    const key = this.cache ? JSON.stringify([query.q, clean(query.filters), query.sort ?? "relevance", page, perPage]) : "";
    const cached = this.cache?.get(key);
    if (cached) {
      remember(this.cache!, key, cached);
      return { ...cached, query: query.q, tookMs: Math.round((performance.now() - started) * 100) / 100 };
    }
    const response = await this.compute(query, page, perPage, started);
    if (this.cache) remember(this.cache, key, response);
    return response;
  }

  private async compute(query: SearchQuery, page: number, perPage: number, started: number): Promise<SearchResponse> {
    let plan = planQuery(query.q, this.index, this.synonyms());
    const run = (p: typeof plan) =>
      this.index.search({
        groups: p.groups,
        phrase: p.phrase,
        filters: clean(query.filters),
        sort: query.sort ?? "relevance",
        offset: (page - 1) * perPage,
        limit: perPage,
      });
    let res = run(plan);
    if (res.total === 0) {
      // nothing found: a character of the same sound typed by mistake (均瓷 for 钧瓷)?
      const heard = planQuery(query.q, this.index, this.synonyms(), { soundAlike: true });
      if (heard.corrected && heard.corrected !== plan.corrected) {
        plan = heard;
        res = run(plan);
      }
    }
    const rows = await this.rows(res.ids);
    const terms = highlightTerms(
      plan.groups.map((g) => g.word),
      res.matched,
    );
    const hits: SearchHit[] = res.ids.flatMap((id, i) => {
      const r = rows.get(id);
      if (!r) return [];
      return [
        {
          type: r.type as SearchHit["type"],
          slug: r.slug,
          title: r.title,
          titleHtml: highlight(r.title, terms),
          snippet: snippet(r.body, terms),
          studio: r.studio,
          enterprise: r.enterprise,
          url: r.url,
          illustrative: Boolean(r.illustrative),
          date: r.date,
          missingWords: res.lacks[i],
        },
      ];
    });
    // the typos the plan corrected (results are already for the corrected words), else a
    // correction when the query found nothing or not every word
    const suggestion = plan.corrected ?? (res.total === 0 || res.relaxed ? this.correct(query.q) : null);
    return {
      query: query.q,
      total: res.total,
      page,
      perPage,
      hits,
      facets: res.facets,
      suggestion,
      partial: res.lacks.some((l) => l.length > 0),
      missingWords: res.missingWords,
      fullMatches: res.full,
      engine: this.name,
      tookMs: Math.round((performance.now() - started) * 100) / 100,
    };
  }

  async suggest(prefix: string, limit = 8): Promise<Suggestion[]> {
    if (!prefix.trim()) return [];
    await this.sync();
    const key = `${limit}\u0000${prefix}`;
    const cached = this.suggestCache?.get(key);
    if (cached) return cached;
    const list = await this.computeSuggestions(prefix, limit);
    if (this.suggestCache) remember(this.suggestCache, key, list);
    return list;
  }

  private async computeSuggestions(prefix: string, limit: number): Promise<Suggestion[]> {
    const plan = planQuery(prefix, this.index, this.synonyms());
    // suggestions hold every typed word: a partial match is no completion of what was typed
    const res = this.index.search({ groups: plan.groups, phrase: plan.phrase, filters: {}, sort: "relevance", offset: 0, limit, minCoverage: 1 });
    const rows = await this.rows(res.ids);
    return res.ids.flatMap((id) => {
      const r = rows.get(id);
      return r ? [{ type: r.type as Suggestion["type"], title: r.title, url: r.url }] : [];
    });
  }

  async health(): Promise<EngineHealth> {
    await this.sync();
    return { engine: this.name, status: "ok", documents: this.index.size, detail: { lastChange: this.lastSeq } };
  }

  /** A query with each unknown Latin word replaced by the closest indexed word, if any. */
  private correct(q: string): string | null {
    let changed = false;
    const words = normalize(q)
      .split(/(\s+)/)
      .map((w) => {
        if (!/^[a-z]{4,}$/.test(w) || this.index.df(w) > 0) return w;
        const max = w.length >= 9 ? 2 : 1;
        let best: string | null = null,
          bestDf = 0;
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

  /**
   * The displayed fields of the hits. Recently shown documents are kept (a row costs ~20 µs to
   * read: its body spans overflow pages); sync() drops a document here as soon as it changes.
   */
  private rowCache = new Map<string, DocRow>();
  private rows(ids: string[]): Map<string, DocRow> | Promise<Map<string, DocRow>> {
    const out = new Map<string, DocRow>();
    const missing: string[] = [];
    for (const id of ids) {
      const r = this.rowCache.get(id);
      if (r) out.set(id, r);
      else missing.push(id);
    }
    if (!missing.length) return out;
    if (!this.sqlite) return this.rowsPostgres(missing, out);
    let stmt = this.rowStatements.get(missing.length);
    if (!stmt) {
      stmt = this.sqlite.prepare(
        `SELECT id, type, slug, url, title, body, studio, enterprise, date, illustrative FROM SearchDoc WHERE id IN (${missing.map(() => "?").join(",")})`,
      );
      this.rowStatements.set(missing.length, stmt);
    }
    return this.keepRows(stmt.all(...missing) as DocRow[], out);
  }

  private async rowsPostgres(missing: string[], out: Map<string, DocRow>): Promise<Map<string, DocRow>> {
    const { rows } = await this.pool!.query<DocRow>(`SELECT id, type, slug, url, title, body, studio, enterprise, date, illustrative FROM "SearchDoc" WHERE id = ANY($1)`, [
      missing,
    ]);
    return this.keepRows(rows, out);
  }

  private keepRows(rows: DocRow[], out: Map<string, DocRow>): Map<string, DocRow> {
    for (const r of rows) {
      out.set(r.id, r);
      if (this.cache) this.rowCache.set(r.id, r); // (no caching at all with cache: false)
    }
    while (this.rowCache.size > 5000) this.rowCache.delete(this.rowCache.keys().next().value!);
    return out;
  }
}

/** Keeps `key → value` as the most recent entry, dropping the least recent beyond the cache size. */
function remember<T>(cache: Map<string, T>, key: string, value: T) {
  cache.delete(key);
  cache.set(key, value);
  if (cache.size > 1000) cache.delete(cache.keys().next().value!);
}

function clean(filters: SearchQuery["filters"]): Partial<Record<FacetName, string>> {
  const out: Partial<Record<FacetName, string>> = {};
  for (const f of FACETS) if (filters?.[f]) out[f] = filters[f];
  return out;
}
