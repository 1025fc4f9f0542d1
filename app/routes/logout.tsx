import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { requireCsrf } from "~/utils/csrf.server";
import { logout } from "~/utils/session.server";

export async function action({ request }: ActionFunctionArgs) {
  await requireCsrf(request, await request.formData());
  return logout(request);
}

export function loader() {
  return redirect("/");
}
