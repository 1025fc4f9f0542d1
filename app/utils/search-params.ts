import { LEVELS, RESULT_KINDS } from "~/content/enums";
import { DOC_TYPES, SORTS, type FacetName, type SearchQuery } from "../../search/engine";

export const MAX_QUERY_LENGTH = 200;
export const MAX_PAGE = 500;

export type ParamError = { code: string; message: string; field: string };

const KEY = /^[a-z0-9][a-z0-9-]{0,79}$/;

/** Reads /search and /api/search parameters; anything malformed is named, never guessed at. */
export function parseSearchParams(params: URLSearchParams): { ok: true; query: SearchQuery } | { ok: false; error: ParamError } {
  const bad = (field: string, message: string) => ({ ok: false as const, error: { code: "invalid_parameter", field, message } });
  for (const name of ["q", "type", "industry", "kind", "level", "enterprise", "page", "perPage", "sort"]) {
    if (params.getAll(name).length > 1) return bad(name, `${name} is given more than once`);
  }
  const q = (params.get("q") ?? "").trim();
  if (q.length > MAX_QUERY_LENGTH) return bad("q", `q is ${q.length} characters long; the limit is ${MAX_QUERY_LENGTH}`);

  const filters: Partial<Record<FacetName, string>> = {};
  const type = params.get("type");
  if (type) {
    if (!(DOC_TYPES as readonly string[]).includes(type)) return bad("type", `type must be one of ${DOC_TYPES.join(", ")}`);
    filters.type = type;
  }
  const industry = params.get("industry");
  if (industry) {
    if (!KEY.test(industry)) return bad("industry", "industry must be an industry key such as rail-transit");
    filters.industry = industry;
  }
  const kind = params.get("kind");
  if (kind) {
    if (!(RESULT_KINDS as readonly string[]).includes(kind)) return bad("kind", `kind must be one of ${RESULT_KINDS.join(", ")}`);
    filters.kind = kind;
  }
  const level = params.get("level");
  if (level) {
    if (!(LEVELS as readonly string[]).includes(level)) return bad("level", `level must be one of ${LEVELS.join(", ")}`);
    filters.level = level;
  }
  const enterprise = params.get("enterprise");
  if (enterprise) {
    if (enterprise.length > 100) return bad("enterprise", "enterprise must be an enterprise name of at most 100 characters");
    filters.enterprise = enterprise;
  }
  const page = integer(params.get("page"), 1);
  if (page === null || page < 1 || page > MAX_PAGE) return bad("page", `page must be a whole number from 1 to ${MAX_PAGE}`);
  const perPage = integer(params.get("perPage"), 10);
  if (perPage === null || perPage < 1 || perPage > 50) return bad("perPage", "perPage must be a whole number from 1 to 50");
  const sort = params.get("sort") ?? "relevance";
  if (!(SORTS as readonly string[]).includes(sort)) return bad("sort", `sort must be one of ${SORTS.join(", ")}`);

  return { ok: true, query: { q, filters, page, perPage, sort: sort as SearchQuery["sort"] } };
}

function integer(v: string | null, fallback: number): number | null {
  if (v === null || v === "") return fallback;
  return /^\d{1,6}$/.test(v) ? Number(v) : null;
}
