// An in-memory Meilisearch behind msw 2 handlers, following the documented HTTP API closely enough
// to exercise the official client and this project's engine, outbox and reindex:
//
//   GET  /health, /version, /stats
//   GET  /indexes            POST /indexes              GET/PATCH/DELETE /indexes/:uid
//   GET/PATCH/DELETE /indexes/:uid/settings             GET /indexes/:uid/stats
//   POST /indexes/:uid/documents (add or replace)       PUT /indexes/:uid/documents (add or update)
//   GET  /indexes/:uid/documents[/:id]                  DELETE /indexes/:uid/documents
//   POST /indexes/:uid/documents/delete-batch           POST /indexes/:uid/documents/delete (by filter)
//   POST /indexes/:uid/search                           POST /multi-search
//   POST /swap-indexes        GET /tasks                GET /tasks/:uid
//
// Writes answer 202 with a summarized task and take effect when the task is processed — when a
// client polls GET /tasks/:uid (optionally after reporting "processing" a few polls), as the real
// server would have by then. Tasks fail with Meilisearch's error object for invalid input
// (invalid or missing document id, unknown index, index already exists, a delete-by-filter on an
// attribute that is not filterable) or when a failure is injected. Synchronous validation errors
// (unknown fields, bad settings, filter / sort / facet errors, unknown index on reads, auth) answer
// 4xx with {message, code, type, link}.
//
// Search: the `filter` grammar (=, !=, >, >=, <, <=, TO, IN, NOT IN, EXISTS, IS NULL, IS EMPTY,
// NOT, AND, OR, parentheses, quoted values with backslash escapes, and the array form); words
// matched on the searchable attributes in order — Latin words whole, as a prefix for the last query
// word, and with typos per the typoTolerance setting; Chinese segmented with jieba and matched as
// substrings (a stand-in for charabia); synonyms and stop words from the settings; the ranking rules
// words, typo, attribute, sort, exactness and `attr:asc|desc` (proximity is not modelled); the
// "all", "last" and "frequency" matching strategies; facets with facetDistribution (sorted and truncated per
// the faceting setting); sort; page/hitsPerPage and offset/limit; highlight and crop with the given
// tags, crop length and marker.
import { http, HttpResponse, type HttpHandler } from "msw";
import { damerau } from "../../search/query";
import { cut } from "../../search/segment";

export const MOCK_MEILI_HOST = "http://meilisearch.test:7700";

type Doc = Record<string, unknown>;
export interface MeiliErrorBody {
  message: string;
  code: string;
  type: string;
  link: string;
}
type TaskStatus = "enqueued" | "processing" | "succeeded" | "failed" | "canceled";

export interface MockTask {
  uid: number;
  batchUid: number | null;
  indexUid: string | null;
  status: TaskStatus;
  type: string;
  canceledBy: null;
  details: Record<string, unknown>;
  error: MeiliErrorBody | null;
  duration: string | null;
  enqueuedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}
interface TaskEntry {
  task: MockTask;
  run: () => void;
  polls: number;
  /** ids of the documents a document task carries, for targeted failure injection */
  docIds: string[];
}

export interface MockIndex {
  uid: string;
  primaryKey: string | null;
  createdAt: string;
  updatedAt: string;
  settings: Settings;
  docs: Map<string, Doc>;
}

export interface RequestLog {
  method: string;
  path: string;
  search: string;
  body: unknown;
}

type Settings = Record<string, unknown> & {
  displayedAttributes: string[];
  searchableAttributes: string[];
  filterableAttributes: (string | { attributePatterns: string[] })[];
  sortableAttributes: string[];
  rankingRules: string[];
  stopWords: string[];
  synonyms: Record<string, string[]>;
  typoTolerance: {
    enabled: boolean;
    minWordSizeForTypos: { oneTypo: number; twoTypos: number };
    disableOnWords: string[];
    disableOnAttributes: string[];
    disableOnNumbers: boolean;
  };
  faceting: { maxValuesPerFacet: number; sortFacetValuesBy: Record<string, "alpha" | "count"> };
  pagination: { maxTotalHits: number };
  localizedAttributes: { attributePatterns: string[]; locales: string[] }[] | null;
};

const defaultSettings = (): Settings => ({
  displayedAttributes: ["*"],
  searchableAttributes: ["*"],
  filterableAttributes: [],
  sortableAttributes: [],
  rankingRules: ["words", "typo", "proximity", "attribute", "sort", "exactness"],
  stopWords: [],
  nonSeparatorTokens: [],
  separatorTokens: [],
  dictionary: [],
  synonyms: {},
  distinctAttribute: null,
  proximityPrecision: "byWord",
  typoTolerance: { enabled: true, minWordSizeForTypos: { oneTypo: 5, twoTypos: 9 }, disableOnWords: [], disableOnAttributes: [], disableOnNumbers: false },
  faceting: { maxValuesPerFacet: 100, sortFacetValuesBy: { "*": "alpha" } },
  pagination: { maxTotalHits: 1000 },
  embedders: {},
  searchCutoffMs: null,
  localizedAttributes: null,
  facetSearch: true,
  prefixSearch: "indexingTime",
});
const SETTING_KEYS = Object.keys(defaultSettings());
const BUILTIN_RULES = ["words", "typo", "proximity", "attribute", "sort", "exactness"];
// ISO 639-3 codes charabia knows (a subset is enough to reject typos such as "zh" or "chinese")
const LOCALES = new Set([
  "epo",
  "eng",
  "rus",
  "cmn",
  "spa",
  "por",
  "ita",
  "ben",
  "fra",
  "deu",
  "ukr",
  "kat",
  "ara",
  "hin",
  "jpn",
  "heb",
  "yid",
  "pol",
  "amh",
  "jav",
  "kor",
  "nob",
  "dan",
  "swe",
  "fin",
  "tur",
  "nld",
  "hun",
  "ces",
  "ell",
  "bul",
  "bel",
  "mar",
  "kan",
  "ron",
  "slv",
  "hrv",
  "srp",
  "mkd",
  "lit",
  "lav",
  "est",
  "tam",
  "vie",
  "urd",
  "tha",
  "guj",
  "uzb",
  "pan",
  "aze",
  "ind",
  "tel",
  "pes",
  "mal",
  "ori",
  "mya",
  "nep",
  "sin",
  "khm",
  "tuk",
  "aka",
  "zul",
  "sna",
  "afr",
  "lat",
  "slk",
  "cat",
  "tgl",
  "hye",
]);
const SEARCH_FIELDS = new Set([
  "q",
  "offset",
  "limit",
  "page",
  "hitsPerPage",
  "attributesToRetrieve",
  "retrieveVectors",
  "attributesToCrop",
  "cropLength",
  "cropMarker",
  "attributesToHighlight",
  "highlightPreTag",
  "highlightPostTag",
  "showMatchesPosition",
  "showRankingScore",
  "showRankingScoreDetails",
  "filter",
  "sort",
  "distinct",
  "facets",
  "matchingStrategy",
  "attributesToSearchOn",
  "rankingScoreThreshold",
  "locales",
  "vector",
  "hybrid",
]);

const CJK = /[\u3400-\u9fff\uf900-\ufaff]/;
const CJK_RUN = /[\u3400-\u9fff\uf900-\ufaff]+|[^\u3400-\u9fff\uf900-\ufaff]+/g;

class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: MeiliErrorBody,
  ) {
    super(body.message);
  }
}
class TaskFailure extends Error {
  constructor(readonly body: MeiliErrorBody) {
    super(body.message);
  }
}

export function meiliError(code: string, message: string, type = "invalid_request"): MeiliErrorBody {
  return { message, code, type, link: `https://docs.meilisearch.com/errors#${code}` };
}
const fail = (status: number, code: string, message: string, type?: string): never => {
  throw new ApiError(status, meiliError(code, message, type));
};
const now = () => new Date().toISOString();
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === "string");

export interface MeilisearchMockOptions {
  host?: string;
  /** when set, every route but /health needs `Authorization: Bearer <apiKey>` */
  apiKey?: string;
  /** how many polls of GET /tasks/:uid answer "processing" before the task is processed */
  processingPolls?: number;
}

export function createMeilisearchMock(options: MeilisearchMockOptions = {}) {
  const host = (options.host ?? MOCK_MEILI_HOST).replace(/\/$/, "");
  const state = {
    indexes: new Map<string, MockIndex>(),
    tasks: [] as TaskEntry[],
    down: false,
    requests: [] as RequestLog[],
    injected: [] as { type?: string; indexUid?: string; documentId?: string; remaining: number; error: MeiliErrorBody }[],
    processingPolls: options.processingPolls ?? 0,
  };

  // ---------------------------------------------------------------- tasks
  function enqueue(type: string, indexUid: string | null, details: Record<string, unknown>, run: () => void, docIds: string[] = []) {
    const task: MockTask = {
      uid: state.tasks.length,
      batchUid: null,
      indexUid,
      status: "enqueued",
      type,
      canceledBy: null,
      details,
      error: null,
      duration: null,
      enqueuedAt: now(),
      startedAt: null,
      finishedAt: null,
    };
    state.tasks.push({ task, run, polls: 0, docIds });
    return { status: 202, body: { taskUid: task.uid, indexUid, status: task.status, type, enqueuedAt: task.enqueuedAt } };
  }

  function process(entry: TaskEntry) {
    const t = entry.task;
    if (t.status !== "enqueued" && t.status !== "processing") return;
    t.startedAt ??= now();
    t.batchUid = t.uid;
    const injected = state.injected.find(
      (f) => f.remaining > 0 && (!f.type || f.type === t.type) && (!f.indexUid || f.indexUid === t.indexUid) && (!f.documentId || entry.docIds.includes(f.documentId)),
    );
    try {
      if (injected) {
        injected.remaining--;
        throw new TaskFailure(injected.error);
      }
      entry.run();
      t.status = "succeeded";
    } catch (e) {
      if (!(e instanceof TaskFailure)) throw e;
      t.status = "failed";
      t.error = e.body;
      if ("indexedDocuments" in t.details) t.details.indexedDocuments = 0;
      if ("deletedDocuments" in t.details) t.details.deletedDocuments = 0;
    }
    t.finishedAt = now();
    t.duration = "PT0.001S";
  }

  /** Processes every task up to `uid` in order (Meilisearch processes its queue in order). */
  function processUpTo(uid: number) {
    for (const entry of state.tasks) if (entry.task.uid <= uid) process(entry);
  }

  // ---------------------------------------------------------------- indexes
  function getIndex(uid: string): MockIndex {
    const ix = state.indexes.get(uid);
    if (!ix) fail(404, "index_not_found", `Index \`${uid}\` not found.`);
    return ix!;
  }
  function indexOrTaskFailure(uid: string): MockIndex {
    const ix = state.indexes.get(uid);
    if (!ix) throw new TaskFailure(meiliError("index_not_found", `Index \`${uid}\` not found.`));
    return ix;
  }
  function createIndexNow(uid: string, primaryKey: string | null): MockIndex {
    const ix: MockIndex = { uid, primaryKey, createdAt: now(), updatedAt: now(), settings: defaultSettings(), docs: new Map() };
    state.indexes.set(uid, ix);
    return ix;
  }
  const indexView = (ix: MockIndex) => ({ uid: ix.uid, createdAt: ix.createdAt, updatedAt: ix.updatedAt, primaryKey: ix.primaryKey });
  function checkIndexUid(uid: unknown) {
    if (typeof uid !== "string" || !/^[A-Za-z0-9_-]{1,400}$/.test(uid)) {
      fail(
        400,
        "invalid_index_uid",
        `\`${String(uid)}\` is not a valid index uid. Index uid can be an integer or a string containing only alphanumeric characters, hyphens (-) and underscores (_), and can not be more than 512 bytes.`,
      );
    }
  }
  function stats(ix: MockIndex) {
    const fieldDistribution: Record<string, number> = {};
    let size = 0;
    for (const d of ix.docs.values()) {
      size += JSON.stringify(d).length;
      for (const k of Object.keys(d)) fieldDistribution[k] = (fieldDistribution[k] ?? 0) + 1;
    }
    const isIndexing = state.tasks.some((e) => e.task.indexUid === ix.uid && (e.task.status === "enqueued" || e.task.status === "processing"));
    return {
      numberOfDocuments: ix.docs.size,
      rawDocumentDbSize: size,
      avgDocumentSize: ix.docs.size ? Math.round(size / ix.docs.size) : 0,
      isIndexing,
      numberOfEmbeddings: 0,
      numberOfEmbeddedDocuments: 0,
      fieldDistribution,
    };
  }

  // ---------------------------------------------------------------- settings
  function validateSettings(body: unknown): Record<string, unknown> {
    if (!isObject(body)) fail(400, "bad_request", "Invalid value type: expected an object");
    const s = body as Record<string, unknown>;
    for (const key of Object.keys(s)) {
      if (!SETTING_KEYS.includes(key)) fail(400, "bad_request", `Unknown field \`${key}\`: expected one of ${SETTING_KEYS.map((k) => `\`${k}\``).join(", ")}`);
    }
    const code = (key: string) => `invalid_settings_${key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}`;
    const bad = (key: string, message: string) => fail(400, code(key), `Invalid value type at \`.${key}\`: ${message}`);
    for (const key of ["displayedAttributes", "searchableAttributes", "sortableAttributes", "stopWords", "rankingRules"]) {
      if (s[key] !== undefined && s[key] !== null && !isStringArray(s[key])) bad(key, "expected an array of strings");
    }
    if (s.filterableAttributes !== undefined && s.filterableAttributes !== null) {
      const ok = Array.isArray(s.filterableAttributes) && s.filterableAttributes.every((f) => typeof f === "string" || (isObject(f) && isStringArray(f.attributePatterns)));
      if (!ok) bad("filterableAttributes", "expected an array of strings or of objects with `attributePatterns`");
    }
    for (const rule of (s.rankingRules as string[] | undefined) ?? []) {
      if (!BUILTIN_RULES.includes(rule) && !/^[^:\s]+:(asc|desc)$/.test(rule)) {
        fail(
          400,
          "invalid_settings_ranking_rules",
          `Invalid value at \`.rankingRules[${(s.rankingRules as string[]).indexOf(rule)}]\`: \`${rule}\` ranking rule is invalid. Valid ranking rules are words, typo, sort, proximity, attribute, exactness and custom ranking rules.`,
        );
      }
    }
    if (s.synonyms !== undefined && s.synonyms !== null) {
      if (!isObject(s.synonyms) || !Object.values(s.synonyms).every(isStringArray)) bad("synonyms", "expected an object of arrays of strings");
    }
    if (s.typoTolerance !== undefined && s.typoTolerance !== null) {
      const t = s.typoTolerance;
      if (!isObject(t)) bad("typoTolerance", "expected an object");
      const tt = t as Record<string, unknown>;
      for (const k of Object.keys(tt)) {
        if (!["enabled", "minWordSizeForTypos", "disableOnWords", "disableOnAttributes", "disableOnNumbers"].includes(k)) {
          fail(400, "invalid_settings_typo_tolerance", `Unknown field \`${k}\` inside \`.typoTolerance\``);
        }
      }
      const m = tt.minWordSizeForTypos as { oneTypo?: number; twoTypos?: number } | undefined;
      if (m && (m.oneTypo ?? 5) > (m.twoTypos ?? 9)) {
        fail(
          400,
          "invalid_settings_typo_tolerance",
          `\`minWordSizeForTypos\` setting is invalid. \`twoTypos\` should be greater or equals to \`oneTypo\` but found \`oneTypo: ${m.oneTypo}\` and \`twoTypos: ${m.twoTypos}\`.`,
        );
      }
    }
    if (s.localizedAttributes !== undefined && s.localizedAttributes !== null) {
      const la = s.localizedAttributes;
      if (!Array.isArray(la) || !la.every((r) => isObject(r) && isStringArray(r.attributePatterns) && isStringArray(r.locales))) {
        bad("localizedAttributes", "expected an array of objects with `attributePatterns` and `locales`");
      }
      for (const r of la as { locales: string[] }[]) {
        for (const l of r.locales)
          if (!LOCALES.has(l))
            fail(
              400,
              "invalid_settings_localized_attributes",
              `Unknown value \`${l}\` at \`.localizedAttributes[0].locales\`: expected one of ${[...LOCALES]
                .slice(0, 8)
                .map((x) => `\`${x}\``)
                .join(", ")}, …`,
            );
      }
    }
    for (const key of ["faceting", "pagination"]) {
      if (s[key] !== undefined && s[key] !== null && !isObject(s[key])) bad(key, "expected an object");
    }
    return s;
  }
  function applySettings(ix: MockIndex, s: Record<string, unknown>) {
    const defaults = defaultSettings();
    for (const [key, value] of Object.entries(s)) {
      if (value === null) (ix.settings as Record<string, unknown>)[key] = defaults[key];
      else if (key === "typoTolerance" || key === "faceting" || key === "pagination") {
        const merged = { ...(ix.settings[key] as object), ...(value as object) } as Record<string, unknown>;
        if (key === "typoTolerance" && isObject((value as Record<string, unknown>).minWordSizeForTypos)) {
          merged.minWordSizeForTypos = { ...ix.settings.typoTolerance.minWordSizeForTypos, ...((value as Record<string, unknown>).minWordSizeForTypos as object) };
        }
        (ix.settings as Record<string, unknown>)[key] = merged;
      } else (ix.settings as Record<string, unknown>)[key] = structuredClone(value);
    }
    ix.updatedAt = now();
  }

  // ---------------------------------------------------------------- documents
  function checkId(pk: string, doc: Doc): string {
    if (!(pk in doc)) throw new TaskFailure(meiliError("missing_document_id", `Document doesn't have a \`${pk}\` attribute: \`${JSON.stringify(doc)}\`.`));
    const v = doc[pk];
    const valid = (typeof v === "number" && Number.isInteger(v) && v >= 0) || (typeof v === "string" && /^[A-Za-z0-9_-]+$/.test(v) && Buffer.byteLength(v) <= 511);
    if (!valid) {
      throw new TaskFailure(
        meiliError(
          "invalid_document_id",
          `Document identifier \`${JSON.stringify(v)}\` is invalid. A document identifier can be of type integer or string, only composed of alphanumeric characters (a-z A-Z 0-9), hyphens (-) and underscores (_), and can not be more than 511 bytes.`,
        ),
      );
    }
    return String(v);
  }
  function inferPrimaryKey(docs: Doc[]): string {
    const candidates = [...new Set(docs.flatMap((d) => Object.keys(d)).filter((k) => /id$/i.test(k)))];
    if (candidates.length === 1) return candidates[0];
    if (!candidates.length)
      throw new TaskFailure(
        meiliError(
          "index_primary_key_no_candidate_found",
          "The primary key inference failed as the engine did not find any field ending with `id` in its name. Please specify the primary key manually using the `primaryKey` query parameter.",
        ),
      );
    throw new TaskFailure(
      meiliError(
        "index_primary_key_multiple_candidates_found",
        `The primary key inference failed as the engine found ${candidates.length} fields ending with \`id\` in their names: ${candidates.map((c) => `'${c}'`).join(" and ")}. Please specify the primary key manually using the \`primaryKey\` query parameter.`,
      ),
    );
  }
  function addDocuments(uid: string, body: unknown, url: URL, merge: boolean) {
    const docs = Array.isArray(body) ? body : isObject(body) ? [body] : fail(400, "malformed_payload", "The `json` payload must be an array of objects or an object.");
    if (!docs.every(isObject)) fail(400, "malformed_payload", "The `json` payload must be an array of objects or an object.");
    const givenPk = url.searchParams.get("primaryKey");
    const details = { receivedDocuments: docs.length, indexedDocuments: null as number | null };
    return enqueue(
      "documentAdditionOrUpdate",
      uid,
      details,
      () => {
        const ix = state.indexes.get(uid);
        const existingPk = ix?.primaryKey ?? null;
        if (givenPk && existingPk && givenPk !== existingPk && ix!.docs.size) {
          throw new TaskFailure(meiliError("index_primary_key_already_exists", `Index \`${uid}\`: Index already has a primary key: \`${existingPk}\`.`));
        }
        const pk = existingPk ?? givenPk ?? inferPrimaryKey(docs as Doc[]);
        const staged = new Map<string, Doc>();
        for (const d of docs as Doc[]) staged.set(checkId(pk, d), structuredClone(d));
        const target = ix ?? createIndexNow(uid, pk);
        target.primaryKey = pk;
        for (const [id, d] of staged) target.docs.set(id, merge ? { ...(target.docs.get(id) ?? {}), ...d } : d);
        target.updatedAt = now();
        details.indexedDocuments = staged.size;
      },
      (docs as Doc[]).map((d) => String(d[givenPk ?? state.indexes.get(uid)?.primaryKey ?? "id"])),
    );
  }

  // ---------------------------------------------------------------- request plumbing
  type Ctx = { params: Record<string, string>; body: unknown; url: URL };
  type Result = { status: number; body: unknown };
  function route(method: "get" | "post" | "put" | "patch" | "delete", path: string, fn: (ctx: Ctx) => Result, opts: { public?: boolean } = {}): HttpHandler {
    return http[method](`${host}${path}`, async ({ request, params }) => {
      if (state.down) return HttpResponse.error();
      const url = new URL(request.url);
      const text = await request.text();
      let body: unknown;
      let malformed = false;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        malformed = true;
      }
      state.requests.push({ method: method.toUpperCase(), path: url.pathname, search: url.search, body });
      const json = (r: Result) => (r.body === undefined ? new HttpResponse(null, { status: r.status }) : HttpResponse.json(r.body as never, { status: r.status }));
      if (!opts.public && options.apiKey) {
        const auth = request.headers.get("authorization");
        if (!auth)
          return json({
            status: 401,
            body: meiliError("missing_authorization_header", "The Authorization header is missing. It must use the bearer authorization method.", "auth"),
          });
        if (auth !== `Bearer ${options.apiKey}`) return json({ status: 403, body: meiliError("invalid_api_key", "The provided API key is invalid.", "auth") });
      }
      if (malformed) return json({ status: 400, body: meiliError("malformed_payload", "The json payload provided is malformed. `expected value at line 1 column 1`.") });
      if (text && method !== "get" && !(request.headers.get("content-type") ?? "").includes("application/json")) {
        return json({ status: 415, body: meiliError("invalid_content_type", "The Content-Type is not supported. Use `application/json`.") });
      }
      try {
        return json(fn({ params: params as Record<string, string>, body, url }));
      } catch (e) {
        if (e instanceof ApiError) return json({ status: e.status, body: e.body });
        throw e;
      }
    });
  }

  const taskView = (t: MockTask) => ({ ...t });

  const handlers: HttpHandler[] = [
    route("get", "/health", () => ({ status: 200, body: { status: "available" } }), { public: true }),
    route("get", "/version", () => ({ status: 200, body: { commitSha: "msw-mock", commitDate: "2026-01-01T00:00:00Z", pkgVersion: "1.x-msw-mock" } })),
    route("get", "/stats", () => ({
      status: 200,
      body: { databaseSize: 0, usedDatabaseSize: 0, lastUpdate: now(), indexes: Object.fromEntries([...state.indexes.values()].map((ix) => [ix.uid, stats(ix)])) },
    })),

    // indexes
    route("get", "/indexes", ({ url }) => {
      const offset = Number(url.searchParams.get("offset") ?? 0);
      const limit = Number(url.searchParams.get("limit") ?? 20);
      const all = [...state.indexes.values()].sort((a, b) => a.uid.localeCompare(b.uid));
      return { status: 200, body: { results: all.slice(offset, offset + limit).map(indexView), offset, limit, total: all.length } };
    }),
    route("post", "/indexes", ({ body }) => {
      if (!isObject(body) || body.uid === undefined) fail(400, "missing_index_uid", "Missing field `uid`");
      const { uid, primaryKey = null } = body as { uid: unknown; primaryKey?: string | null };
      checkIndexUid(uid);
      return enqueue("indexCreation", uid as string, { primaryKey }, () => {
        if (state.indexes.has(uid as string)) throw new TaskFailure(meiliError("index_already_exists", `Index \`${uid}\` already exists.`));
        createIndexNow(uid as string, primaryKey);
      });
    }),
    route("get", "/indexes/:uid", ({ params }) => ({ status: 200, body: indexView(getIndex(params.uid)) })),
    route("patch", "/indexes/:uid", ({ params, body }) => {
      const { primaryKey = null } = (body ?? {}) as { primaryKey?: string | null };
      return enqueue("indexUpdate", params.uid, { primaryKey }, () => {
        const ix = indexOrTaskFailure(params.uid);
        if (ix.docs.size && primaryKey && ix.primaryKey !== primaryKey)
          throw new TaskFailure(meiliError("index_primary_key_already_exists", `Index \`${ix.uid}\`: Index already has a primary key: \`${ix.primaryKey}\`.`));
        ix.primaryKey = primaryKey ?? ix.primaryKey;
        ix.updatedAt = now();
      });
    }),
    route("delete", "/indexes/:uid", ({ params }) => {
      const details = { deletedDocuments: null as number | null };
      return enqueue("indexDeletion", params.uid, details, () => {
        const ix = indexOrTaskFailure(params.uid);
        details.deletedDocuments = ix.docs.size;
        state.indexes.delete(params.uid);
      });
    }),
    route("get", "/indexes/:uid/stats", ({ params }) => ({ status: 200, body: stats(getIndex(params.uid)) })),

    // settings
    route("get", "/indexes/:uid/settings", ({ params }) => ({ status: 200, body: structuredClone(getIndex(params.uid).settings) })),
    route("patch", "/indexes/:uid/settings", ({ params, body }) => {
      const s = validateSettings(body);
      return enqueue("settingsUpdate", params.uid, structuredClone(s), () => {
        applySettings(state.indexes.get(params.uid) ?? createIndexNow(params.uid, null), s);
      });
    }),
    route("delete", "/indexes/:uid/settings", ({ params }) =>
      enqueue("settingsUpdate", params.uid, {}, () => {
        indexOrTaskFailure(params.uid).settings = defaultSettings();
      }),
    ),

    // documents
    route("post", "/indexes/:uid/documents", ({ params, body, url }) => addDocuments(params.uid, body, url, false)),
    route("put", "/indexes/:uid/documents", ({ params, body, url }) => addDocuments(params.uid, body, url, true)),
    route("get", "/indexes/:uid/documents", ({ params, url }) => {
      const ix = getIndex(params.uid);
      const offset = Number(url.searchParams.get("offset") ?? 0);
      const limit = Number(url.searchParams.get("limit") ?? 20);
      const all = [...ix.docs.values()];
      return { status: 200, body: { results: all.slice(offset, offset + limit).map((d) => displayed(ix, d, ["*"])), offset, limit, total: all.length } };
    }),
    route("get", "/indexes/:uid/documents/:id", ({ params }) => {
      const doc = getIndex(params.uid).docs.get(params.id);
      if (!doc) fail(404, "document_not_found", `Document \`${params.id}\` not found.`);
      return { status: 200, body: displayed(getIndex(params.uid), doc!, ["*"]) };
    }),
    route("post", "/indexes/:uid/documents/delete-batch", ({ params, body }) => {
      if (!Array.isArray(body) || !body.every((x) => typeof x === "string" || typeof x === "number")) {
        fail(400, "invalid_document_ids", "Invalid value type: expected an array of document ids");
      }
      const ids = (body as (string | number)[]).map(String);
      const details = { providedIds: ids.length, deletedDocuments: null as number | null };
      return enqueue("documentDeletion", params.uid, details, () => {
        const ix = indexOrTaskFailure(params.uid);
        let n = 0;
        for (const id of ids) if (ix.docs.delete(id)) n++;
        details.deletedDocuments = n;
      });
    }),
    route("post", "/indexes/:uid/documents/delete", ({ params, body }) => {
      if (!isObject(body) || body.filter === undefined) fail(400, "missing_document_filter", "Missing field `filter`");
      const filter = (body as { filter: unknown }).filter;
      const details = { providedIds: 0, originalFilter: JSON.stringify(filter), deletedDocuments: null as number | null };
      return enqueue("documentDeletion", params.uid, details, () => {
        const ix = indexOrTaskFailure(params.uid);
        let predicate: (d: Doc) => boolean;
        try {
          predicate = compileFilter(filter, filterableCheck(ix));
        } catch (e) {
          if (e instanceof FilterError) throw new TaskFailure(meiliError("invalid_document_filter", e.message));
          throw e;
        }
        let n = 0;
        for (const [id, d] of ix.docs) if (predicate(d) && ix.docs.delete(id)) n++;
        details.deletedDocuments = n;
      });
    }),
    route("delete", "/indexes/:uid/documents", ({ params }) => {
      const details = { providedIds: 0, deletedDocuments: null as number | null };
      return enqueue("documentDeletion", params.uid, details, () => {
        const ix = indexOrTaskFailure(params.uid);
        details.deletedDocuments = ix.docs.size;
        ix.docs.clear();
      });
    }),

    // search
    route("post", "/indexes/:uid/search", ({ params, body }) => ({ status: 200, body: search(getIndex(params.uid), body ?? {}) })),
    route("post", "/multi-search", ({ body }) => {
      if (!isObject(body) || !Array.isArray(body.queries)) fail(400, "bad_request", "Missing field `queries`");
      if ((body as Record<string, unknown>).federation !== undefined) fail(400, "bad_request", "msw mock: federated multi-search is not modelled");
      const results = (body as { queries: unknown[] }).queries.map((query, i) => {
        try {
          if (!isObject(query) || typeof query.indexUid !== "string") fail(400, "missing_index_uid", "Missing field `indexUid`");
          const { indexUid, ...params } = query as Record<string, unknown>;
          return { indexUid, ...search(getIndex(indexUid as string), params) };
        } catch (e) {
          if (e instanceof ApiError) throw new ApiError(e.status, { ...e.body, message: `Inside \`.queries[${i}]\`: ${e.body.message}` });
          throw e;
        }
      });
      return { status: 200, body: { results } };
    }),

    // swap
    route("post", "/swap-indexes", ({ body }) => {
      if (!Array.isArray(body)) fail(400, "bad_request", "Invalid value type: expected an array");
      const swaps = (body as unknown[]).map((s, i) => {
        if (!isObject(s)) return fail(400, "bad_request", `Invalid value type at \`[${i}]\`: expected an object`);
        const unknown = Object.keys(s).find((k) => k !== "indexes" && k !== "rename");
        if (unknown) fail(400, "bad_request", `Unknown field \`${unknown}\` inside \`[${i}]\`: expected one of \`indexes\`, \`rename\``);
        if (!isStringArray(s.indexes) || s.indexes.length !== 2)
          fail(
            400,
            "invalid_swap_indexes",
            `Two indexes must be given for each swap. The list \`${JSON.stringify(s.indexes)}\` contains ${Array.isArray(s.indexes) ? s.indexes.length : 0} indexes.`,
          );
        return { indexes: s.indexes as [string, string], rename: s.rename === true };
      });
      const named = swaps.flatMap((s) => s.indexes);
      const dup = named.find((u, i) => named.indexOf(u) !== i);
      if (dup) fail(400, "invalid_swap_duplicate_index_found", `Indexes must be declared only once during a swap. \`${dup}\` was specified several times.`);
      return enqueue("indexSwap", null, { swaps }, () => {
        const missing = swaps.flatMap((s) => (s.rename ? [s.indexes[0]] : s.indexes)).filter((u) => !state.indexes.has(u));
        if (missing.length) {
          throw new TaskFailure(
            meiliError("index_not_found", missing.length === 1 ? `Index \`${missing[0]}\` not found.` : `Indexes ${missing.map((m) => `\`${m}\``).join(", ")} not found.`),
          );
        }
        for (const {
          indexes: [a, b],
          rename,
        } of swaps) {
          const ia = state.indexes.get(a)!;
          if (rename) {
            if (state.indexes.has(b)) throw new TaskFailure(meiliError("index_already_exists", `Index \`${b}\` already exists.`));
            state.indexes.delete(a);
            state.indexes.set(b, { ...ia, uid: b });
            continue;
          }
          const ib = state.indexes.get(b)!;
          state.indexes.set(a, { ...ib, uid: a, updatedAt: now() });
          state.indexes.set(b, { ...ia, uid: b, updatedAt: now() });
        }
      });
    }),

    // tasks
    route("get", "/tasks", ({ url }) => {
      const list = (name: string) => url.searchParams.get(name)?.split(",").filter(Boolean);
      const [statuses, types, uids] = [list("statuses"), list("types"), list("indexUids")];
      const limit = Number(url.searchParams.get("limit") ?? 20);
      const from = url.searchParams.get("from");
      const all = state.tasks
        .map((e) => e.task)
        .filter((t) => (!statuses || statuses.includes(t.status)) && (!types || types.includes(t.type)) && (!uids || (t.indexUid !== null && uids.includes(t.indexUid))))
        .filter((t) => from === null || t.uid <= Number(from))
        .reverse();
      const page = all.slice(0, limit);
      return { status: 200, body: { results: page.map(taskView), total: all.length, limit, from: page[0]?.uid ?? null, next: all[limit]?.uid ?? null } };
    }),
    route("get", "/tasks/:uid", ({ params }) => {
      const entry = state.tasks[Number(params.uid)];
      if (!entry || !/^\d+$/.test(params.uid)) fail(404, "task_not_found", `Task \`${params.uid}\` not found.`);
      const t = entry.task;
      if (t.status === "enqueued" || t.status === "processing") {
        if (entry.polls < state.processingPolls) {
          entry.polls++;
          t.status = "processing";
          t.startedAt ??= now();
        } else processUpTo(t.uid);
      }
      return { status: 200, body: taskView(t) };
    }),
  ];

  return {
    host,
    handlers,
    state,
    /** Down: every request fails at the network level, as with a stopped server. */
    setDown(down: boolean) {
      state.down = down;
    },
    /** Make the next `times` tasks (matching type / index / a carried document id when given) fail with this error. */
    failTasks(match: { type?: string; indexUid?: string; documentId?: string; times?: number; error?: Partial<MeiliErrorBody> } = {}) {
      const code = match.error?.code ?? "internal";
      state.injected.push({
        type: match.type,
        indexUid: match.indexUid,
        documentId: match.documentId,
        remaining: match.times ?? 1,
        error: { ...meiliError(code, match.error?.message ?? "An internal error has occurred.", match.error?.type ?? "internal"), ...match.error },
      });
    },
    /** Stop failing tasks on purpose. */
    clearFailures() {
      state.injected.length = 0;
    },
    /** Process every enqueued task now. */
    processAll() {
      processUpTo(Number.MAX_SAFE_INTEGER);
    },
    index(uid: string): MockIndex | undefined {
      return state.indexes.get(uid);
    },
    task(uid: number): MockTask | undefined {
      return state.tasks[uid]?.task;
    },
    reset() {
      state.indexes.clear();
      state.tasks.length = 0;
      state.requests.length = 0;
      state.injected.length = 0;
      state.down = false;
      state.processingPolls = options.processingPolls ?? 0;
    },
  };
}

export type MeilisearchMock = ReturnType<typeof createMeilisearchMock>;

/** A mock on MOCK_MEILI_HOST and its handlers, for `setupServer(...handlers)`. */
export const meilisearchMock = createMeilisearchMock();
export const handlers = meilisearchMock.handlers;

// ==================================================================== search

function attrMatches(pattern: string, attr: string): boolean {
  if (pattern === "*") return true;
  if (pattern.startsWith("*") && pattern.endsWith("*") && pattern.length > 1) return attr.includes(pattern.slice(1, -1));
  if (pattern.endsWith("*")) return attr.startsWith(pattern.slice(0, -1));
  if (pattern.startsWith("*")) return attr.endsWith(pattern.slice(1));
  return pattern === attr;
}
function filterablePatterns(ix: MockIndex): string[] {
  return ix.settings.filterableAttributes.flatMap((f) => (typeof f === "string" ? [f] : f.attributePatterns));
}
function filterableCheck(ix: MockIndex): (attr: string) => void {
  const patterns = filterablePatterns(ix);
  return (attr) => {
    if (!patterns.some((p) => attrMatches(p, attr))) {
      throw new FilterError(
        patterns.length
          ? `Attribute \`${attr}\` is not filterable. Available filterable attribute patterns are: ${patterns.map((p) => `\`${p}\``).join(", ")}.`
          : `Attribute \`${attr}\` is not filterable. This index does not have configured filterable attributes.`,
      );
    }
  };
}

function displayed(ix: MockIndex, doc: Doc, retrieve: string[]): Doc {
  const shown = ix.settings.displayedAttributes;
  const out: Doc = {};
  for (const [k, v] of Object.entries(doc)) {
    if (shown.some((p) => attrMatches(p, k)) && retrieve.some((p) => attrMatches(p, k))) out[k] = v;
  }
  return out;
}

function fieldText(v: unknown): string | null {
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  if (Array.isArray(v))
    return v
      .map(fieldText)
      .filter((x) => x !== null)
      .join(" ");
  return null;
}

/** Query words: Latin / digit runs whole, CJK runs cut by jieba; lower-cased. */
function queryWords(q: string): string[] {
  const out: string[] = [];
  for (const m of q
    .normalize("NFKC")
    .toLowerCase()
    .matchAll(/[\p{L}\p{N}]+/gu)) {
    for (const piece of m[0].match(CJK_RUN) ?? []) {
      if (CJK.test(piece))
        out.push(
          ...cut(piece)
            .map((w) => w.trim())
            .filter(Boolean),
        );
      else out.push(piece);
    }
  }
  return out;
}

interface Span {
  start: number;
  end: number;
}
interface WordMatch {
  typos: number;
  exact: boolean;
  spans: Span[];
}

/** Latin-script and digit words of a text, with positions. */
function latinTokens(lower: string): { text: string; start: number }[] {
  const out: { text: string; start: number }[] = [];
  for (const m of lower.matchAll(/[\p{L}\p{N}]+/gu)) {
    let at = m.index!;
    for (const piece of m[0].match(CJK_RUN) ?? []) {
      if (!CJK.test(piece)) out.push({ text: piece, start: at });
      at += piece.length;
    }
  }
  return out;
}

function matchWordIn(text: string, word: string, opts: { prefix: boolean; maxTypos: number }): WordMatch | null {
  const lower = text.toLowerCase();
  const spans: Span[] = [];
  let best: WordMatch | null = null;
  const consider = (typos: number, exact: boolean, span: Span) => {
    spans.push(span);
    if (!best || typos < best.typos || (typos === best.typos && exact && !best.exact)) best = { typos, exact, spans };
  };
  if (CJK.test(word) || /\s/.test(word)) {
    // Chinese (and multi-word synonyms): substring matching
    for (let at = lower.indexOf(word); at >= 0; at = lower.indexOf(word, at + word.length)) consider(0, true, { start: at, end: at + word.length });
  } else {
    for (const tok of latinTokens(lower)) {
      if (tok.text === word) consider(0, true, { start: tok.start, end: tok.start + tok.text.length });
      else if (opts.prefix && tok.text.startsWith(word)) consider(0, false, { start: tok.start, end: tok.start + word.length });
      else if (opts.maxTypos > 0 && !/^\d+$/.test(word)) {
        const d = damerau(word, tok.text, opts.maxTypos);
        if (d <= opts.maxTypos) consider(d, false, { start: tok.start, end: tok.start + tok.text.length });
      }
    }
  }
  if (best) (best as WordMatch).spans = spans;
  return best;
}

interface Term {
  word: string;
  alternatives: string[]; // synonyms, matched exactly
  prefix: boolean;
  maxTypos: number;
}

interface DocMatch {
  doc: Doc;
  order: number;
  words: number;
  typos: number;
  attribute: number;
  exact: number;
}

function search(ix: MockIndex, body: unknown): Record<string, unknown> {
  if (!isObject(body)) fail(400, "bad_request", "Invalid value type: expected an object");
  const p = body as Record<string, unknown>;
  for (const key of Object.keys(p)) {
    if (!SEARCH_FIELDS.has(key)) fail(400, "bad_request", `Unknown field \`${key}\`: expected one of ${[...SEARCH_FIELDS].map((k) => `\`${k}\``).join(", ")}`);
  }
  const int = (key: string, min = 0): number | undefined => {
    const v = p[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== "number" || !Number.isInteger(v) || v < min) {
      fail(
        400,
        `invalid_search_${key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}`,
        `Invalid value type at \`.${key}\`: expected a positive integer, but found ${JSON.stringify(v)}`,
      );
    }
    return v as number;
  };
  const strings = (key: string): string[] | undefined => {
    const v = p[key];
    if (v === undefined || v === null) return undefined;
    if (!isStringArray(v))
      fail(400, `invalid_search_${key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}`, `Invalid value type at \`.${key}\`: expected an array, but found ${JSON.stringify(v)}`);
    return v as string[];
  };
  if (p.q !== undefined && p.q !== null && typeof p.q !== "string")
    fail(400, "invalid_search_q", `Invalid value type at \`.q\`: expected a string, but found ${JSON.stringify(p.q)}`);
  const q = (p.q as string | null | undefined) ?? "";
  const finite = p.page !== undefined || p.hitsPerPage !== undefined;
  const page = int("page") ?? 1;
  const hitsPerPage = int("hitsPerPage") ?? 20;
  const offset = int("offset") ?? 0;
  const limit = int("limit") ?? 20;
  const cropLength = int("cropLength") ?? 10;
  const strategy = (p.matchingStrategy as string | undefined) ?? "last";
  if (!["all", "last", "frequency"].includes(strategy))
    fail(400, "invalid_search_matching_strategy", `Unknown value \`${strategy}\` at \`.matchingStrategy\`: expected one of \`last\`, \`all\`, \`frequency\``);
  const s = ix.settings;

  // filter
  let predicate: (d: Doc) => boolean = () => true;
  if (p.filter !== undefined && p.filter !== null) {
    try {
      predicate = compileFilter(p.filter, filterableCheck(ix));
    } catch (e) {
      if (e instanceof FilterError) fail(400, "invalid_search_filter", e.message);
      throw e;
    }
  }
  // facets
  const filterable = filterablePatterns(ix);
  const facets = strings("facets") ?? [];
  for (const f of facets) {
    if (f !== "*" && !filterable.some((pat) => attrMatches(pat, f))) {
      fail(
        400,
        "invalid_search_facets",
        `Invalid facet distribution, attribute \`${f}\` is not filterable. The available filterable attribute patterns are \`${filterable.join(", ")}\`.`,
      );
    }
  }
  // sort
  const sort = (strings("sort") ?? []).map((expr) => {
    const m = /^([^:\s]+):(asc|desc)$/.exec(expr);
    if (!m) fail(400, "invalid_search_sort", `Invalid syntax for the sort parameter: expected expression ending by \`:asc\` or \`:desc\`, found \`${expr}\`.`);
    const [, attr, dir] = m!;
    if (!s.sortableAttributes.some((pat) => attrMatches(pat, attr))) {
      fail(
        400,
        "invalid_search_sort",
        s.sortableAttributes.length
          ? `Attribute \`${attr}\` is not sortable. Available sortable attributes are: \`${s.sortableAttributes.join(", ")}\`.`
          : `Attribute \`${attr}\` is not sortable. This index does not have configured sortable attributes.`,
      );
    }
    if (!s.rankingRules.includes("sort"))
      fail(400, "invalid_search_sort", "You must specify where `sort` is listed in the rankingRules setting to use the sort parameter at search time.");
    return { attr, desc: dir === "desc" };
  });

  // query words, synonyms, stop words
  const stop = new Set(s.stopWords.map((w) => w.toLowerCase()));
  const synonyms = new Map<string, string[]>();
  for (const [k, v] of Object.entries(s.synonyms))
    synonyms.set(
      k.toLowerCase(),
      v.map((x) => x.toLowerCase()),
    );
  const words = queryWords(q).filter((w) => !stop.has(w));
  const typo = s.typoTolerance;
  const terms: Term[] = words.map((word, i) => ({
    word,
    alternatives: synonyms.get(word) ?? [],
    prefix: i === words.length - 1 && !/\s$/.test(q),
    maxTypos:
      !typo.enabled || CJK.test(word) || typo.disableOnWords.includes(word)
        ? 0
        : word.length >= typo.minWordSizeForTypos.twoTypos
          ? 2
          : word.length >= typo.minWordSizeForTypos.oneTypo
            ? 1
            : 0,
  }));

  const docs = [...ix.docs.values()];
  const searchable = (doc: Doc) => (s.searchableAttributes.includes("*") ? Object.keys(doc) : s.searchableAttributes.filter((a) => a in doc));
  const matchTerm = (doc: Doc, t: Term): { attribute: number; typos: number; exact: boolean } | null => {
    let best: { attribute: number; typos: number; exact: boolean } | null = null;
    searchable(doc).forEach((attr, ai) => {
      const text = fieldText(doc[attr]);
      if (text === null) return;
      const typos = s.typoTolerance.disableOnAttributes.includes(attr) ? 0 : t.maxTypos;
      for (const [alt, isSyn] of [[t.word, false], ...t.alternatives.map((a) => [a, true] as const)] as [string, boolean][]) {
        const m = matchWordIn(text, alt, { prefix: t.prefix && !isSyn, maxTypos: isSyn ? 0 : typos });
        if (!m) continue;
        const cand = { attribute: ai, typos: m.typos, exact: m.exact && !isSyn };
        if (!best || cand.typos < best.typos || (cand.typos === best.typos && cand.attribute < best.attribute)) best = cand;
      }
    });
    return best;
  };

  // "frequency": the most common words are dropped first, so words are kept rarest first
  // (documents matching the word, over the whole index); "last" keeps them in query order
  let kept = terms;
  if (strategy === "frequency" && terms.length > 1) {
    const freq = new Map(terms.map((t) => [t, docs.filter((d) => matchTerm(d, t)).length]));
    kept = terms
      .map((t, i) => ({ t, i }))
      .sort((a, b) => freq.get(a.t)! - freq.get(b.t)! || a.i - b.i)
      .map((x) => x.t);
  }
  const matched: DocMatch[] = [];
  docs.forEach((doc, order) => {
    if (!predicate(doc)) return;
    if (!terms.length) {
      matched.push({ doc, order, words: 0, typos: 0, attribute: 0, exact: 0 });
      return;
    }
    const results = kept.map((t) => matchTerm(doc, t));
    // "last" / "frequency": words are dropped from the end (of the kept order) until documents
    // match; "all": every word must match
    let k = 0;
    while (k < results.length && results[k]) k++;
    if (k === 0 || (strategy === "all" && k < terms.length)) return;
    const used = results.slice(0, k) as { attribute: number; typos: number; exact: boolean }[];
    matched.push({
      doc,
      order,
      words: k,
      typos: used.reduce((a, r) => a + r.typos, 0),
      attribute: used.reduce((a, r) => a + r.attribute, 0),
      exact: used.filter((r) => r.exact).length,
    });
  });

  const compareValues = (a: unknown, b: unknown): number => {
    if (a === undefined || a === null) return b === undefined || b === null ? 0 : 1;
    if (b === undefined || b === null) return -1;
    if (typeof a === "number" && typeof b === "number") return a - b;
    return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
  };
  const byRule = (rule: string): ((x: DocMatch, y: DocMatch) => number) => {
    switch (rule) {
      case "words":
        return (x, y) => y.words - x.words;
      case "typo":
        return (x, y) => x.typos - y.typos;
      case "attribute":
        return (x, y) => x.attribute - y.attribute;
      case "exactness":
        return (x, y) => y.exact - x.exact;
      case "proximity":
        return () => 0;
      case "sort":
        return (x, y) => {
          for (const { attr, desc } of sort) {
            const [a, b] = [x.doc[attr], y.doc[attr]];
            // documents without the attribute come last in both directions
            if ((a === undefined || a === null) !== (b === undefined || b === null)) return a === undefined || a === null ? 1 : -1;
            const c = compareValues(a, b);
            if (c) return desc ? -c : c;
          }
          return 0;
        };
      default: {
        const [attr, dir] = rule.split(":");
        return (x, y) => (dir === "desc" ? -1 : 1) * compareValues(x.doc[attr], y.doc[attr]);
      }
    }
  };
  const rules = s.rankingRules.map(byRule);
  matched.sort((x, y) => {
    for (const r of rules) {
      const c = r(x, y);
      if (c) return c;
    }
    return x.order - y.order;
  });

  const capped = matched.slice(0, s.pagination.maxTotalHits);
  const from = finite ? (page === 0 ? capped.length : (page - 1) * hitsPerPage) : offset;
  const size = finite ? hitsPerPage : limit;
  const pageDocs = capped.slice(from, from + size);

  // facets
  let facetDistribution: Record<string, Record<string, number>> | undefined;
  let facetStats: Record<string, { min: number; max: number }> | undefined;
  if (p.facets !== undefined && p.facets !== null) {
    facetDistribution = {};
    facetStats = {};
    const names = facets.includes("*") ? [...new Set(docs.flatMap((d) => Object.keys(d)).filter((k) => filterable.some((pat) => attrMatches(pat, k))))] : facets;
    for (const f of names) {
      const counts = new Map<string, { value: string; count: number }>();
      const nums: number[] = [];
      for (const { doc } of matched) {
        const raw = doc[f];
        const values = Array.isArray(raw) ? raw : [raw];
        for (const v of new Set(values)) {
          if (v === null || v === undefined || typeof v === "object") continue;
          if (typeof v === "number") nums.push(v);
          const key = String(v).toLowerCase();
          const c = counts.get(key) ?? { value: String(v), count: 0 };
          c.count++;
          counts.set(key, c);
        }
      }
      const order = s.faceting.sortFacetValuesBy[f] ?? s.faceting.sortFacetValuesBy["*"] ?? "alpha";
      const list = [...counts.values()].sort((a, b) => (order === "count" ? b.count - a.count : 0) || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
      facetDistribution[f] = Object.fromEntries(list.slice(0, s.faceting.maxValuesPerFacet).map((c) => [c.value, c.count]));
      if (nums.length) facetStats[f] = { min: Math.min(...nums), max: Math.max(...nums) };
    }
  }

  // hits, highlighting and cropping
  const retrieve = strings("attributesToRetrieve") ?? ["*"];
  const toHighlight = strings("attributesToHighlight") ?? [];
  const toCrop = (strings("attributesToCrop") ?? []).map((a) => {
    const [attr, n] = a.split(":");
    return { attr, length: n ? Number(n) : cropLength };
  });
  const pre = (p.highlightPreTag as string | undefined) ?? "<em>";
  const post = (p.highlightPostTag as string | undefined) ?? "</em>";
  const marker = (p.cropMarker as string | undefined) ?? "…";
  const hits = pageDocs.map(({ doc }) => {
    const hit: Doc = displayed(ix, doc, retrieve);
    if (toHighlight.length || toCrop.length) {
      const formatted: Doc = {};
      for (const [k, v] of Object.entries(displayed(ix, doc, ["*"]))) {
        if (!(k in hit) && !toHighlight.some((pat) => attrMatches(pat, k)) && !toCrop.some((c) => attrMatches(c.attr, k))) continue;
        if (typeof v !== "string") {
          formatted[k] = v;
          continue;
        }
        const highlight = toHighlight.some((pat) => attrMatches(pat, k));
        const spans = spansIn(v, terms);
        const crop = toCrop.find((c) => attrMatches(c.attr, k));
        const [start, end] = crop ? cropWindow(v, spans, crop.length) : [0, v.length];
        formatted[k] = (start > 0 ? marker : "") + mark(v, start, end, highlight ? spans : [], pre, post) + (end < v.length ? marker : "");
      }
      hit._formatted = formatted;
    }
    return hit;
  });

  const paging = finite
    ? { hitsPerPage, page, totalPages: hitsPerPage ? Math.ceil(capped.length / hitsPerPage) : 0, totalHits: capped.length }
    : { limit, offset, estimatedTotalHits: capped.length };
  return {
    hits,
    query: q,
    processingTimeMs: 0,
    ...paging,
    ...(facetDistribution ? { facetDistribution, facetStats } : {}),
  };
}

function spansIn(text: string, terms: Term[]): Span[] {
  const spans: Span[] = [];
  for (const t of terms) {
    for (const [alt, isSyn] of [[t.word, false], ...t.alternatives.map((a) => [a, true] as const)] as [string, boolean][]) {
      const m = matchWordIn(text, alt, { prefix: t.prefix && !isSyn, maxTypos: isSyn ? 0 : t.maxTypos });
      if (m) spans.push(...m.spans);
    }
  }
  spans.sort((a, b) => a.start - b.start || b.end - a.end);
  const merged: Span[] = [];
  for (const sp of spans) {
    const last = merged[merged.length - 1];
    if (last && sp.start <= last.end) last.end = Math.max(last.end, sp.end);
    else merged.push({ ...sp });
  }
  return merged;
}

/** Words of a text with positions: Latin runs whole, CJK runs cut by jieba. */
function wordsOf(text: string): Span[] {
  const out: Span[] = [];
  for (const m of text.matchAll(/[\p{L}\p{N}]+/gu)) {
    let at = m.index!;
    for (const piece of m[0].match(CJK_RUN) ?? []) {
      if (CJK.test(piece)) {
        for (const w of cut(piece)) {
          out.push({ start: at, end: at + w.length });
          at += w.length;
        }
      } else {
        out.push({ start: at, end: at + piece.length });
        at += piece.length;
      }
    }
  }
  return out;
}

/** The character range of `length` words around the first match (the start when nothing matched). */
function cropWindow(text: string, spans: Span[], length: number): [number, number] {
  const words = wordsOf(text);
  if (words.length <= length) return [0, text.length];
  const first = spans.length
    ? Math.max(
        0,
        words.findIndex((w) => w.end > spans[0].start),
      )
    : 0;
  const startWord = Math.max(0, Math.min(first - Math.floor((length - 1) / 2), words.length - length));
  const endWord = startWord + length;
  return [startWord === 0 ? 0 : words[startWord].start, endWord >= words.length ? text.length : words[endWord - 1].end];
}

function mark(text: string, start: number, end: number, spans: Span[], pre: string, post: string): string {
  let out = "";
  let at = start;
  for (const sp of spans) {
    const s = Math.max(sp.start, start);
    const e = Math.min(sp.end, end);
    if (e <= s || s < at) continue;
    out += text.slice(at, s) + pre + text.slice(s, e) + post;
    at = e;
  }
  return out + text.slice(at, end);
}

// ==================================================================== filters

export class FilterError extends Error {}

type Tok = { kind: "word" | "string" | "op" | "punct"; text: string; at: number };

function tokenizeFilter(src: string): Tok[] {
  const toks: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '"' || c === "'") {
      let j = i + 1;
      let value = "";
      for (; j < src.length && src[j] !== c; j++) {
        if (src[j] === "\\" && j + 1 < src.length) {
          j++;
          value += src[j];
        } else value += src[j];
      }
      if (j >= src.length) throw new FilterError(`Expression \`${src.slice(i)}\` is missing the following closing delimiter: \`${c}\`.\n${i + 1}:${src.length} ${src}`);
      toks.push({ kind: "string", text: value, at: i });
      i = j + 1;
      continue;
    }
    const two = src.slice(i, i + 2);
    if (two === "!=" || two === ">=" || two === "<=") {
      toks.push({ kind: "op", text: two, at: i });
      i += 2;
      continue;
    }
    if ("=<>".includes(c)) {
      toks.push({ kind: "op", text: c, at: i });
      i++;
      continue;
    }
    if ("()[],".includes(c)) {
      toks.push({ kind: "punct", text: c, at: i });
      i++;
      continue;
    }
    const m = /^[\p{L}\p{N}_.\-]+/u.exec(src.slice(i));
    if (!m) throw new FilterError(`Was expecting a value but instead got \`${c}\`.\n${i + 1}:${i + 2} ${src}`);
    toks.push({ kind: "word", text: m[0], at: i });
    i += m[0].length;
  }
  return toks;
}

type Pred = (d: Doc) => boolean;

function norm(v: unknown): string {
  return String(v).normalize("NFKC").toLowerCase();
}
function values(d: Doc, attr: string): unknown[] {
  const v = attr.split(".").reduce<unknown>((o, k) => (isObject(o) ? o[k] : undefined), d);
  if (v === undefined) return [];
  return Array.isArray(v) ? v : [v];
}

function parseFilterString(src: string, check: (attr: string) => void): Pred {
  const toks = tokenizeFilter(src);
  let pos = 0;
  const peek = () => toks[pos];
  const isKw = (t: Tok | undefined, kw: string) => t?.kind === "word" && t.text === kw;
  const where = (t: Tok | undefined) => (t ? `${t.at + 1}:${t.at + 1 + t.text.length} ${src}` : `${src.length}:${src.length} ${src}`);
  const expectValue = (): string => {
    const t = toks[pos++];
    if (!t || (t.kind !== "word" && t.kind !== "string")) throw new FilterError(`Was expecting a value but instead got ${t ? `\`${t.text}\`` : "nothing"}.\n${where(t)}`);
    return t.text;
  };
  const cmp = (a: unknown, b: string): number => {
    const x = typeof a === "number" ? a : Number(a);
    const y = Number(b);
    if (!Number.isNaN(x) && !Number.isNaN(y) && String(b).trim() !== "") return x - y;
    return norm(a) < norm(b) ? -1 : norm(a) > norm(b) ? 1 : 0;
  };
  const equals = (a: unknown, b: string) => (typeof a === "number" ? a === Number(b) : typeof a === "boolean" ? String(a) === b.toLowerCase() : norm(a) === norm(b));

  const condition = (): Pred => {
    const attrTok = toks[pos];
    if (!attrTok || (attrTok.kind !== "word" && attrTok.kind !== "string")) {
      throw new FilterError(
        `Was expecting an operation \`=\`, \`!=\`, \`>=\`, \`>\`, \`<=\`, \`<\`, \`IN\`, \`NOT IN\`, \`TO\`, \`EXISTS\`, \`NOT EXISTS\`, \`IS NULL\`, \`IS NOT NULL\`, \`IS EMPTY\`, \`IS NOT EMPTY\`, \`_geoRadius\`, or \`_geoBoundingBox\` at \`${src.slice(attrTok?.at ?? src.length)}\`.\n${where(attrTok)}`,
      );
    }
    pos++;
    const attr = attrTok.text;
    const t = peek();
    const opError = () =>
      new FilterError(
        `Was expecting an operation \`=\`, \`!=\`, \`>=\`, \`>\`, \`<=\`, \`<\`, \`IN\`, \`NOT IN\`, \`TO\`, \`EXISTS\`, \`NOT EXISTS\`, \`IS NULL\`, \`IS NOT NULL\`, \`IS EMPTY\`, \`IS NOT EMPTY\`, \`_geoRadius\`, or \`_geoBoundingBox\` at \`${src.slice(attrTok.at)}\`.\n${where(attrTok)}`,
      );
    if (!t) throw opError();
    check(attr);
    if (t.kind === "op") {
      pos++;
      const value = expectValue();
      switch (t.text) {
        case "=":
          return (d) => values(d, attr).some((v) => equals(v, value));
        case "!=":
          return (d) => !values(d, attr).some((v) => equals(v, value));
        case ">":
          return (d) => values(d, attr).some((v) => cmp(v, value) > 0);
        case ">=":
          return (d) => values(d, attr).some((v) => cmp(v, value) >= 0);
        case "<":
          return (d) => values(d, attr).some((v) => cmp(v, value) < 0);
        default:
          return (d) => values(d, attr).some((v) => cmp(v, value) <= 0);
      }
    }
    const inList = (): string[] => {
      pos++; // IN
      if (peek()?.text !== "[") throw new FilterError(`Expected \`[\` after \`IN\` keyword.\n${where(peek())}`);
      pos++;
      const list: string[] = [];
      while (peek() && peek().text !== "]") {
        list.push(expectValue());
        if (peek()?.text === ",") pos++;
      }
      if (peek()?.text !== "]") throw new FilterError(`Expected matching \`]\` after the list of field names given to \`IN[\`\n${where(peek())}`);
      pos++;
      return list;
    };
    if (isKw(t, "IN")) {
      const list = inList();
      return (d) => values(d, attr).some((v) => list.some((x) => equals(v, x)));
    }
    if (isKw(t, "EXISTS")) {
      pos++;
      return (d) => values(d, attr).length > 0 || attr in d;
    }
    if (isKw(t, "NOT")) {
      pos++;
      if (isKw(peek(), "IN")) {
        const list = inList();
        return (d) => !values(d, attr).some((v) => list.some((x) => equals(v, x)));
      }
      if (isKw(peek(), "EXISTS")) {
        pos++;
        return (d) => !(attr in d);
      }
      throw opError();
    }
    if (isKw(t, "IS")) {
      pos++;
      const negate = isKw(peek(), "NOT");
      if (negate) pos++;
      const what = toks[pos++];
      let p: Pred;
      if (isKw(what, "NULL")) p = (d) => attr in d && d[attr] === null;
      else if (isKw(what, "EMPTY"))
        p = (d) =>
          attr in d && (d[attr] === "" || (Array.isArray(d[attr]) && (d[attr] as unknown[]).length === 0) || (isObject(d[attr]) && !Object.keys(d[attr] as object).length));
      else throw opError();
      return negate ? (d) => !p(d) : p;
    }
    if (t.kind === "word" || t.kind === "string") {
      // attr low TO high
      const low = expectValue();
      if (!isKw(peek(), "TO")) throw opError();
      pos++;
      const high = expectValue();
      return (d) => values(d, attr).some((v) => cmp(v, low) >= 0 && cmp(v, high) <= 0);
    }
    throw opError();
  };
  const primary = (): Pred => {
    if (peek()?.text === "(" && peek()?.kind === "punct") {
      pos++;
      const inner = or();
      if (peek()?.text !== ")") throw new FilterError(`Expression \`${src}\` is missing the following closing delimiter: \`)\`.\n${where(peek())}`);
      pos++;
      return inner;
    }
    return condition();
  };
  const not = (): Pred => {
    if (isKw(peek(), "NOT")) {
      pos++;
      const inner = not();
      return (d) => !inner(d);
    }
    return primary();
  };
  const and = (): Pred => {
    let left = not();
    while (isKw(peek(), "AND")) {
      pos++;
      const l = left,
        r = not();
      left = (d) => l(d) && r(d);
    }
    return left;
  };
  function or(): Pred {
    let left = and();
    while (isKw(peek(), "OR")) {
      pos++;
      const l = left,
        r = and();
      left = (d) => l(d) || r(d);
    }
    return left;
  }
  if (!toks.length) return () => true;
  const pred = or();
  if (pos < toks.length)
    throw new FilterError(
      `Found unexpected characters at the end of the filter: \`${src.slice(toks[pos].at)}\`. You probably forgot an \`OR\` or an \`AND\` rule.\n${where(toks[pos])}`,
    );
  return pred;
}

/** A filter as Meilisearch accepts it: a string, or an array (AND) of strings and arrays (OR). */
export function compileFilter(filter: unknown, check: (attr: string) => void = () => undefined): Pred {
  if (typeof filter === "string") return parseFilterString(filter, check);
  if (Array.isArray(filter)) {
    const parts = filter.map((f) => {
      if (typeof f === "string") return parseFilterString(f, check);
      if (Array.isArray(f) && f.every((x) => typeof x === "string")) {
        const ors = (f as string[]).map((x) => parseFilterString(x, check));
        return (d: Doc) => ors.some((o) => o(d));
      }
      throw new FilterError("Invalid value type at `.filter`: expected a string or an array of strings or arrays of strings");
    });
    return (d) => parts.every((p) => p(d));
  }
  throw new FilterError(`Invalid value type at \`.filter\`: expected a string or an array, but found ${JSON.stringify(filter)}`);
}
