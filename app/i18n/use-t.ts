import { useRouteLoaderData } from "@remix-run/react";
import { messagesFor } from "./catalogue";
import { format } from "./format";
import type { Locale, MessageKey } from "./messages";

export interface RootI18n {
  locale: Locale;
  /** the version of the language's catalogue script (app/i18n/catalogue.ts) */
  catalogue: string;
}

/** The translator for components, in the language the root loader chose. */
export function useT() {
  const data = useRouteLoaderData("root") as RootI18n | undefined;
  const messages = messagesFor(data?.locale);
  const t = (key: MessageKey, vars?: Record<string, string | number>) => format(messages?.[key] ?? key, vars);
  const locale = data?.locale ?? ("zh-CN" as Locale);
  const has = (key: string) => Boolean(messages && key in messages);
  return Object.assign(t, { locale, has, colon: locale === "en" ? ": " : "：" });
}
