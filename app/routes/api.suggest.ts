import type { LoaderFunctionArgs } from "@remix-run/node";
import { getSearchEngine } from "~/models/search.server";
import { MAX_QUERY_LENGTH } from "../utils/search-params";
import { apiError } from "~/utils/http.server";

/** GET /api/suggest?q= — titles for the search box as the user types. */
export async function loader({ request }: LoaderFunctionArgs) {
  const q = (new URL(request.url).searchParams.get("q") ?? "").trim();
  if (q.length > MAX_QUERY_LENGTH) return apiError(400, "invalid_parameter", `q is longer than ${MAX_QUERY_LENGTH} characters`, "q");
  const suggestions = q ? await getSearchEngine().suggest(q, 8) : [];
  return Response.json({ query: q, suggestions }, { headers: { "Cache-Control": "no-store" } });
}
