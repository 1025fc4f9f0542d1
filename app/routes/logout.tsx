import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { requireCsrf } from "~/utils/csrf.server";
import { logout } from "~/utils/session.server";
import { readForm } from "~/utils/http.server";

export async function action({ request }: ActionFunctionArgs) {
  await requireCsrf(request, await readForm(request));
  return logout(request);
}

export function loader() {
  return redirect("/");
}
