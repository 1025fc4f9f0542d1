import type { MetaDescriptor } from "@remix-run/node";
import { messagesFor } from "~/i18n/catalogue";
import type { RootI18n } from "~/i18n/use-t";
import type { MessageKey } from "~/i18n/messages";

type Matches = { id: string; data: unknown }[];

export function rootMessages(matches: Matches) {
  return messagesFor((matches.find((m) => m.id === "root")?.data as RootI18n | undefined)?.locale);
}

/** Title and description for a page, in the visitor's language. */
export function pageMeta(matches: Matches, title: string | MessageKey, description?: string): MetaDescriptor[] {
  const m = rootMessages(matches);
  const resolved = m && title in m ? m[title as MessageKey] : title;
  const site = m?.["site.name"] ?? "Studio Alliance Hub";
  const desc = description ?? m?.["site.tagline"] ?? "";
  // the home page's heading is the site's name: "劳模工匠创新工作室联盟 · 劳模工匠创新工作室联盟" says it twice
  return [
    { title: resolved === site ? site : `${resolved} · ${site}` },
    { name: "description", content: desc },
    { property: "og:title", content: resolved },
    { property: "og:description", content: desc },
  ];
}
