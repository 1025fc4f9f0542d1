import type { Locale, Messages } from "./messages";

// Where components and meta functions find the interface strings (docs/decisions/0027). On the
// server, entry.server.tsx provides both languages once at start; in the browser, the page loads
// its language's catalogue as a script of its own (/i18n/<locale>.<version>.js, cached for a year
// under a name that changes with its content), so neither the page's data nor the JavaScript bundle
// carries it on every request.

declare global {
  interface Window {
    __hubMessages?: { locale: Locale; messages: Messages };
  }
}

const provided: Partial<Record<Locale, Messages>> = {};

export function provideMessages(catalogues: Partial<Record<Locale, Messages>>) {
  Object.assign(provided, catalogues);
}

/** The catalogue of a language, or undefined in a browser that has not loaded it (yet). */
export function messagesFor(locale: Locale | undefined): Messages | undefined {
  if (!locale) return undefined;
  if (!provided[locale] && typeof window !== "undefined" && window.__hubMessages?.locale === locale) provided[locale] = window.__hubMessages.messages;
  return provided[locale];
}
