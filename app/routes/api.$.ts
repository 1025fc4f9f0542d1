import type { LoaderFunctionArgs } from "@remix-run/node";
import { apiError } from "~/utils/http.server";

export function loader({ request }: LoaderFunctionArgs) {
  return apiError(404, "not_found", `no API endpoint at ${new URL(request.url).pathname}`);
}

export function action({ request }: LoaderFunctionArgs) {
  return apiError(405, "method_not_allowed", `${request.method} is not supported here: the API is read-only`);
}
