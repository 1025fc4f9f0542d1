import type { LoaderFunctionArgs } from "@remix-run/node";
import { getSearchEngine } from "~/models/search.server";
import { parseSearchParams } from "../utils/search-params";
import { apiError } from "~/utils/http.server";

/** GET /api/search?q=&type=&industry=&kind=&level=&page= (DESIGN.md "JSON API"). */
export async function loader({ request }: LoaderFunctionArgs) {
  const parsed = parseSearchParams(new URL(request.url).searchParams);
  if (!parsed.ok) return apiError(400, parsed.error.code, parsed.error.message, parsed.error.field);
  const r = await getSearchEngine().search(parsed.query);
  return Response.json({
    query: r.query,
    total: r.total,
    page: r.page,
    perPage: r.perPage,
    tookMs: r.tookMs,
    engine: r.engine,
    suggestion: r.suggestion,
    // (added by issue 9) some hits hold only some of the words (each hit says which it lacks);
    // the words no hit of the page holds
    partial: r.partial ?? false,
    missingWords: r.missingWords ?? [],
    fullMatches: r.fullMatches ?? r.total,
    hits: r.hits.map((h) => ({
      type: h.type,
      slug: h.slug,
      title: h.title,
      snippet: h.snippet,
      studio: h.studio,
      enterprise: h.enterprise,
      url: h.url,
      titleHtml: h.titleHtml,
      illustrative: h.illustrative,
      date: h.date,
      missingWords: h.missingWords ?? [],
    })),
    facets: r.facets,
  });
}
