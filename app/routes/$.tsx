import { notFound } from "~/utils/http.server";

// Every unknown path answers 404 through the root error boundary.
export function loader() {
  notFound();
}

export default function NotFoundRoute() {
  return null;
}
