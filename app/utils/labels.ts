import type { Locale } from "~/i18n/messages";

/** Industry names come from the taxonomy in both languages. */
export function industryName(ind: { nameZh: string; nameEn: string } | null | undefined, locale: Locale): string {
  if (!ind) return "";
  return locale === "en" ? ind.nameEn : ind.nameZh;
}
