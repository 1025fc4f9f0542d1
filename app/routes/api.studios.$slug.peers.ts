import type { LoaderFunctionArgs } from "@remix-run/node";
import { getLocale } from "~/i18n/locale.server";
import { listIndustries } from "~/models/industry.server";
import { findPeers, localizeReasons } from "~/models/peers.server";
import { apiError } from "~/utils/http.server";

/** GET /api/studios/:slug/peers — studios of other enterprises that fit this one, with reasons (their text in the request's language). */
export async function loader({ params, request }: LoaderFunctionArgs) {
  const limitParam = new URL(request.url).searchParams.get("limit");
  const limit = limitParam === null ? 8 : Number(limitParam);
  if (!Number.isInteger(limit) || limit < 1 || limit > 50) return apiError(400, "invalid_parameter", "limit must be a whole number from 1 to 50", "limit");
  const result = await findPeers(params.slug ?? "", limit);
  if (!result) return apiError(404, "not_found", `no studio with slug "${params.slug}"`, "slug");
  const [locale, industries] = await Promise.all([getLocale(request), listIndustries()]);
  return Response.json({ ...result, peers: result.peers.map((p) => ({ ...p, reasons: localizeReasons(p.reasons, locale, industries) })) });
}
