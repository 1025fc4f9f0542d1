import type { LoaderFunctionArgs } from "@remix-run/node";
import { resultJson } from "~/models/api.server";
import { apiError } from "~/utils/http.server";

export async function loader({ params }: LoaderFunctionArgs) {
  const record = await resultJson(params.slug ?? "");
  if (!record) return apiError(404, "not_found", `no result with slug "${params.slug}"`, "slug");
  return Response.json(record);
}
