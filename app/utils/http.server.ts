import { data } from "@remix-run/node";
import { MESSAGES, type MessageKey } from "~/i18n/messages";

export interface Suggestion {
  href: string;
  label: string;
}

/** Throws a 404 that the error boundary renders as a helpful page (with suggestions when given). */
export function notFound(suggestions: Suggestion[] = []): never {
  throw data({ suggestions }, { status: 404 });
}

export async function requireFound<T>(value: T | null | undefined, suggestions?: () => Promise<Suggestion[]>): Promise<T> {
  if (value === null || value === undefined) notFound(suggestions ? await suggestions() : []);
  return value;
}

/**
 * A refused request, in the API's error shape, carrying the message key that says why: the error
 * page renders the key in the visitor's language; `message` is its English text, for API callers.
 */
export function refusal(status: number, code: string, key: MessageKey, field?: string) {
  return Response.json({ error: { code, key, message: MESSAGES.en[key] ?? key, ...(field ? { field } : {}) } }, { status });
}

/** 403, saying why: the one way a route or a rule refuses someone. */
export const forbidden = (key: MessageKey = "refused.default") => refusal(403, "forbidden", key);

/** The JSON error shape of the API: { error: { code, message, field? } }. */
export function apiError(status: number, code: string, message: string, field?: string) {
  return Response.json({ error: { code, message, ...(field ? { field } : {}) } }, { status });
}

/** Reads one enumerated query parameter; anything else counts as not given. */
export function pick<T extends string>(params: URLSearchParams, name: string, allowed: readonly T[]): T | undefined {
  const v = params.get(name);
  return v && (allowed as readonly string[]).includes(v) ? (v as T) : undefined;
}

/** A slug-like query parameter (industry keys, enterprise slugs); anything else counts as not given. */
export function pickKey(params: URLSearchParams, name: string): string | undefined {
  const v = params.get(name);
  return v && /^[a-z0-9][a-z0-9-]{0,79}$/.test(v) ? v : undefined;
}

/**
 * Only same-site paths, never an open redirect, and always a valid Location header: the target is
 * resolved the way a browser would ("/\\host" and "/<tab>/host" read as "//host") and must stay
 * on this origin; non-ASCII characters (/研究) come back percent-encoded.
 */
export function safeRedirect(to: FormDataEntryValue | string | null | undefined, fallback = "/"): string {
  if (typeof to !== "string" || !to.startsWith("/") || to.length > 2000) return fallback;
  if (/^\/[/\\]/.test(to) || /[\u0000-\u001f\u007f]/.test(to)) return fallback;
  // a lone surrogate half is not text: no page of ours has one in its address
  if (/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(to)) return fallback;
  const base = "http://same-origin.invalid";
  let url: URL;
  try {
    url = new URL(to, base);
  } catch {
    return fallback;
  }
  const path = url.pathname + url.search + url.hash;
  // "/..//host" resolves to "//host": the result is checked again, not only the input
  return url.origin === base && !/^\/[/\\]/.test(path) ? path : fallback;
}

const FORM_TYPES = /^(application\/x-www-form-urlencoded|multipart\/form-data)\b/i;

/**
 * The posted form of an action. Anything that is not a readable form — another content type
 * (415), a multipart body without its boundary, a truncated one (400) — is answered here with an
 * error naming the problem, never a 500 from deep inside the body parser.
 */
export async function readForm(request: Request): Promise<FormData> {
  const type = request.headers.get("Content-Type") ?? "";
  if (!FORM_TYPES.test(type)) throw apiError(415, "unsupported_media_type", "form.notAForm");
  try {
    return await request.formData();
  } catch {
    throw apiError(400, "bad_request", "form.unreadable");
  }
}
