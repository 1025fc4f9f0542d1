import { getLocale, translator } from "~/i18n/locale.server";
import { MAX_UPLOAD_BYTES } from "./images.server";

/** A spreadsheet to import (/admin/import): at most 10 MB, the importer's own limit. */
export const MAX_SHEET_UPLOAD_BYTES = 10 * 1024 * 1024;

// How large a request body may be, per route, checked by server.mjs before anything reads it
// (Content-Length first, the bytes as they arrive for a chunked body): an anonymous 150 MB post
// must never be read into memory. The entry module re-exports these for server.mjs.

const MB = 1024 * 1024;
/** Every form: a few fields, far smaller than this. */
export const FORM_BODY_LIMIT = 1 * MB;
/** The editor's forms carry the Lexical JSON of a body (at most 512 KB) and the draft beside it. */
export const RICH_TEXT_BODY_LIMIT = 2 * MB;
/** An image (at most 5 MB) and its multipart framing. */
export const UPLOAD_BODY_LIMIT = MAX_UPLOAD_BYTES + 64 * 1024;
/** A workbook and its multipart framing. */
export const SHEET_BODY_LIMIT = MAX_SHEET_UPLOAD_BYTES + 64 * 1024;

const RICH_TEXT_ROUTES = [/^\/(studios|results|patents)\/[^/]+\/edit$/, /^\/studios\/[^/]+\/(results|patents)\/new$/, /^\/alliances\/new$/, /^\/alliances\/[^/]+\/projects\/new$/];

/** The most bytes a request to this path may carry. */
export function bodyLimitFor(pathname: string): number {
  // single-fetch submissions go to `<path>.data` (`/_root.data` for the home page)
  const path = pathname
    .replace(/\.data$/, "")
    .replace(/^\/_root$/, "/")
    .replace(/(.)\/$/, "$1");
  if (path === "/uploads") return UPLOAD_BODY_LIMIT;
  if (path === "/admin/import") return SHEET_BODY_LIMIT;
  return RICH_TEXT_ROUTES.some((r) => r.test(path)) ? RICH_TEXT_BODY_LIMIT : FORM_BODY_LIMIT;
}

/** Whether the answer should be JSON: the API, uploads, and requests made by scripts (fetch). */
function wantsJson(request: Request): boolean {
  const { pathname } = new URL(request.url);
  if (pathname.startsWith("/api/") || pathname === "/uploads" || pathname.endsWith(".data")) return true;
  const accept = request.headers.get("Accept") ?? "";
  return accept.includes("application/json") && !accept.includes("text/html");
}

/** The 413 answer, in the visitor's language: JSON for the API and fetch requests, a page otherwise. */
export async function requestTooLarge(request: Request, limit: number): Promise<Response> {
  const locale = await getLocale(request);
  const t = translator(locale);
  const mb = Math.round((limit / MB) * 10) / 10;
  const message = t("request.tooLarge", { mb });
  // the rest of the body is not read: the connection is closed after the answer
  const headers = { "Cache-Control": "no-store", Connection: "close" };
  if (wantsJson(request)) {
    const field = new URL(request.url).pathname === "/uploads" ? { field: "file" } : {};
    return Response.json({ error: { code: "too_large", message, limit, ...field } }, { status: 413, headers });
  }
  const esc = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  const title = t("request.tooLarge.title");
  const html = `<!doctype html>
<html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)} · ${esc(t("site.short"))}</title></head>
<body><main><p>413</p><h1>${esc(title)}</h1><p>${esc(message)}</p><p><a href="/">${esc(t("request.back"))}</a></p></main></body></html>
`;
  return new Response(html, { status: 413, headers: { ...headers, "Content-Type": "text/html; charset=utf-8" } });
}
