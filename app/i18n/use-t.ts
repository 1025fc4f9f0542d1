import { useRouteLoaderData } from "@remix-run/react";
import { format, type Locale, type MessageKey, type Messages } from "./messages";

export interface RootI18n {
  locale: Locale;
  messages: Messages;
}

/** The translator for components: messages come with the root loader, one language at a time. */
export function useT() {
  const data = useRouteLoaderData("root") as RootI18n | undefined;
  const messages = data?.messages;
  const t = (key: MessageKey, vars?: Record<string, string | number>) => format(messages?.[key] ?? key, vars);
  const locale = data?.locale ?? ("zh-CN" as Locale);
  const has = (key: string) => Boolean(messages && key in messages);
  return Object.assign(t, { locale, has, colon: locale === "en" ? ": " : "：" });
}
