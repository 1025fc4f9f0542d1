import type { LoaderFunctionArgs } from "@remix-run/node";
import { catalogueScript } from "~/i18n/catalogue.server";
import { isLocale } from "~/i18n/locale.server";

/**
 * /i18n/<locale>.<version>.js: one language's interface strings for the browser (app/i18n/catalogue.ts).
 * The version is a hash of the content, so the current one is cached for a year; an older page asking
 * for an older version gets today's catalogue, not to be kept.
 */
export function loader({ params }: LoaderFunctionArgs) {
  const m = /^(.+)\.([\w-]+)\.js$/.exec(params.file ?? "");
  if (!m || !isLocale(m[1])) return new Response("Not found", { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  const { body, version } = catalogueScript(m[1]);
  return new Response(body, {
    headers: {
      "Content-Type": "text/javascript; charset=utf-8",
      "Cache-Control": version === m[2] ? "public, max-age=31536000, immutable" : "no-cache",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
