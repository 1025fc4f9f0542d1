import { createHash } from "node:crypto";
import { LOCALES, MESSAGES, type Locale } from "./messages";

/** The script that gives a browser one language's catalogue, and its version (a hash of its content). */
const scripts = new Map(
  LOCALES.map((locale) => {
    const body = `window.__hubMessages=${JSON.stringify({ locale, messages: MESSAGES[locale] })};\n`;
    return [locale, { body, version: createHash("sha1").update(body).digest("base64url").slice(0, 12) }] as const;
  }),
);

export function catalogueVersion(locale: Locale): string {
  return scripts.get(locale)!.version;
}

export function catalogueScript(locale: Locale): { body: string; version: string } {
  return scripts.get(locale)!;
}
