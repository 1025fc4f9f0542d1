import { isbot } from "isbot";
import { getLocale } from "~/i18n/locale.server";
import { getCsrfToken } from "./csrf.server";
import { currentGeneration } from "./page-version.server";

// Anonymous pages rendered once and kept until the database changes (issue 11, docs/decisions/0028).
//
// What an anonymous visitor's page is made from: the build, the address, the language, the
// database — and two values of the request itself, the visitor's CSRF token and the script nonce.
// So server.mjs renders a page once, keeps its HTML with those two values cut out, and answers the
// next visitor of the same address in the same language by putting theirs back in, without running
// a loader or React. Kept:
// - only while the database is what it was (PRAGMA data_version, as the read cache and the ETags:
//   any commit by any process drops every page), and at most PAGE_TTL_MS (pages that say "3 days
//   ago" or "overdue" depend on the clock too);
// - only for requests without a session and with no cookie but the language and CSRF ones;
// - only 200 answers of a page or of a client-side navigation's data (`/<path>.data`, which holds
//   the token too); at most MAX_BYTES of them in memory, least recently used first out.
// PAGE_CACHE=0 turns it off (the pages bench measures both).

const PAGE_TTL_MS = 60_000;
const MAX_BYTES = 48 * 1024 * 1024;

interface Page {
  status: number;
  headers: [string, string][];
  parts: string[]; // the HTML cut where the token and the nonce were; odd places say which goes there ("t" or "n")
  bytes: number;
  generation: number;
  storedAt: number;
}

const pages = new Map<string, Page>();
let bytes = 0;

export function pageCacheEnabled(): boolean {
  return process.env.PAGE_CACHE !== "0";
}

const KNOWN_COOKIES = new Set(["lang", "csrf"]);

/**
 * The key of an anonymous document request whose page may be kept, or null. The caller has
 * already made sure it is an anonymous GET of a page (no __session cookie, not the API).
 */
export async function anonymousPageKey(build: string, request: Request): Promise<string | null> {
  const url = new URL(request.url);
  if (!pageCacheEnabled()) return null;
  for (const part of (request.headers.get("Cookie") ?? "").split(";")) {
    const name = part.slice(0, part.indexOf("=")).trim();
    if (name && !KNOWN_COOKIES.has(name)) return null; // a flash notice or anything else the page may show
  }
  const locale = await getLocale(request);
  return `${build}\n${locale}\n${isbot(request.headers.get("User-Agent") ?? "") ? "bot" : "browser"}\n${url.pathname}${url.search}`;
}

async function fresh(page: Page): Promise<boolean> {
  return page.generation === (await currentGeneration()) && Date.now() - page.storedAt < PAGE_TTL_MS;
}

/** A kept page for this key, filled in with this request's token and nonce; null on a miss. */
export async function keptPage(key: string, request: Request, nonce: string): Promise<{ status: number; headers: [string, string][]; body: string } | null> {
  const page = pages.get(key);
  if (!page || !(await fresh(page))) {
    if (page) forget(key, page);
    return null;
  }
  pages.delete(key);
  pages.set(key, page); // most recently used last
  const csrf = await getCsrfToken(request);
  let body = "";
  for (let i = 0; i < page.parts.length; i++) body += i % 2 === 0 ? page.parts[i] : page.parts[i] === "t" ? csrf.token : nonce;
  const headers = csrf.setCookie ? [...page.headers, ["Set-Cookie", csrf.setCookie] as [string, string]] : page.headers;
  return { status: page.status, headers, body };
}

/**
 * Keeps a page just rendered for key, if it may be: a 200 HTML answer that holds the token and
 * nonce it was rendered with. generation is the database's as read before the page was rendered,
 * so a commit during rendering keeps it from being served afterwards.
 */
export function keepPage(key: string, generation: number, response: { status: number; headers: Headers }, html: string, token: string | null, nonce: string) {
  if (response.status !== 200 || !isPage(response.headers.get("Content-Type"))) return;
  if (response.headers.get("Cache-Control")?.includes("no-store")) return;
  if (!token) return;
  const parts: string[] = [];
  html.split(token).forEach((piece, i) => {
    if (i) parts.push("t");
    piece.split(nonce).forEach((text, j) => {
      if (j) parts.push("n");
      parts.push(text);
    });
  });
  const headers: [string, string][] = [];
  response.headers.forEach((value, name) => {
    if (name.toLowerCase() !== "set-cookie") headers.push([name, value]);
  });
  const page: Page = { status: 200, headers, parts, bytes: html.length * 2, generation, storedAt: Date.now() };
  const old = pages.get(key);
  if (old) forget(key, old);
  pages.set(key, page);
  bytes += page.bytes;
  for (const [k, p] of pages) {
    if (bytes <= MAX_BYTES) break;
    forget(k, p);
  }
}

/** A document (HTML) or the data of a client-side navigation to it (Remix's single fetch, `<path>.data`). */
export function isPage(contentType: string | null): boolean {
  return Boolean(contentType && (contentType.startsWith("text/html") || contentType.startsWith("text/x-script")));
}

function forget(key: string, page: Page) {
  pages.delete(key);
  bytes -= page.bytes;
}
