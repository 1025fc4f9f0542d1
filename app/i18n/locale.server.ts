import { createCookie } from "@remix-run/node";
import { LOCALES, MESSAGES, type Locale, type MessageKey, format } from "./messages";

export const localeCookie = createCookie("lang", { path: "/", sameSite: "lax", httpOnly: true, maxAge: 60 * 60 * 24 * 365 });

/** The cookie wins; otherwise the best Accept-Language match; otherwise Chinese. */
export async function getLocale(request: Request): Promise<Locale> {
  const fromCookie = await localeCookie.parse(request.headers.get("Cookie"));
  if (isLocale(fromCookie)) return fromCookie;
  return fromAcceptLanguage(request.headers.get("Accept-Language"));
}

export function isLocale(v: unknown): v is Locale {
  return typeof v === "string" && (LOCALES as readonly string[]).includes(v);
}

export function fromAcceptLanguage(header: string | null): Locale {
  if (!header) return "zh-CN";
  const ranked = header
    .split(",")
    .map((part) => {
      const [tag, ...params] = part.trim().split(";");
      const q = params.map((p) => /^q=([\d.]+)$/.exec(p.trim())?.[1]).find(Boolean);
      return { tag: tag.toLowerCase(), q: q ? Number(q) : 1 };
    })
    .filter((x) => x.tag && x.q > 0)
    .sort((a, b) => b.q - a.q);
  for (const { tag } of ranked) {
    if (tag.startsWith("zh")) return "zh-CN";
    if (tag.startsWith("en")) return "en";
  }
  return "zh-CN";
}

/** A translator for loaders and meta on the server. */
export function translator(locale: Locale) {
  const m = MESSAGES[locale];
  return (key: MessageKey, vars?: Record<string, string | number>) => format(m[key], vars);
}
