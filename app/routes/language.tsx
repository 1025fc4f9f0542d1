import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { isLocale, localeCookie } from "~/i18n/locale.server";

/** Sets the interface language (a plain form post, so it works without JavaScript). */
export async function action({ request }: ActionFunctionArgs) {
  const form = await request.formData();
  const lang = form.get("lang");
  const target = String(form.get("redirectTo") ?? "/");
  // only same-site paths: never an open redirect. Browsers read "/\\host" and "/<tab>/host" as "//host",
  // and a control character would not even fit in the Location header.
  const safe = /^\/(?![/\\])/.test(target) && !/[\u0000-\u001f\u007f]/.test(target) ? target : "/";
  if (!isLocale(lang)) return redirect(safe);
  return redirect(safe, { headers: { "Set-Cookie": await localeCookie.serialize(lang) } });
}

export function loader() {
  return redirect("/");
}
