import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { isLocale, localeCookie } from "~/i18n/locale.server";
import { requireCsrf } from "~/utils/csrf.server";
import { readForm, safeRedirect } from "~/utils/http.server";
import { setUserLocale } from "~/models/user.server";
import { getUser } from "~/utils/session.server";

/** Sets the interface language (a plain form post, so it works without JavaScript). */
export async function action({ request }: ActionFunctionArgs) {
  const form = await readForm(request);
  await requireCsrf(request, form);
  const lang = form.get("lang");
  const safe = safeRedirect(form.get("redirectTo"));
  if (!isLocale(lang)) return redirect(safe);
  const user = await getUser(request);
  if (user) await setUserLocale(user.id, lang);
  return redirect(safe, { headers: { "Set-Cookie": await localeCookie.serialize(lang) } });
}

export function loader() {
  return redirect("/");
}
