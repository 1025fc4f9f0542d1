import type { LoaderFunctionArgs } from "@remix-run/node";
import { getLocale } from "~/i18n/locale.server";
import { findCandidates } from "~/models/candidates.server";
import { apiError } from "~/utils/http.server";
import { getUser } from "~/utils/session.server";

/** GET /api/needs/:slug/candidates — studios of other enterprises that can meet the need, with reasons. */
export async function loader({ params, request }: LoaderFunctionArgs) {
  const [user, locale] = await Promise.all([getUser(request), getLocale(request)]);
  const found = await findCandidates(params.slug ?? "", { user, locale });
  if (!found) return apiError(404, "not_found", `no need with slug "${params.slug}"`, "slug");
  return Response.json(found);
}
