import type { LoaderFunctionArgs } from "@remix-run/node";
import { needJson } from "~/models/api.server";
import { apiError } from "~/utils/http.server";

export async function loader({ params }: LoaderFunctionArgs) {
  const record = await needJson(params.slug ?? "");
  if (!record) return apiError(404, "not_found", `no need with slug "${params.slug}"`, "slug");
  return Response.json(record);
}
