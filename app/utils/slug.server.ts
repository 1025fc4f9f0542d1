import { pinyin } from "pinyin-pro";
import { cut } from "../../search/segment";

const COMPANY_SUFFIX = /(股份有限公司|有限责任公司|有限公司|股份公司|公司)$/;

/**
 * An ASCII slug for a Chinese name: pinyin by word, e.g. 郑州地铁集团有限公司 → zhengzhou-ditie-jituan.
 * Used for enterprises, which the content files name rather than slug.
 */
export function slugFromName(name: string): string {
  const base = name.trim().replace(COMPANY_SUFFIX, "") || name.trim();
  const words = cut(base).map((w) => (/[\u4e00-\u9fff]/.test(w) ? pinyin(w, { toneType: "none", type: "array", nonZh: "consecutive" }).join("") : w));
  const slug = words
    .join("-")
    .toLowerCase()
    .replace(/ü/g, "v")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60)
    .replace(/-+$/, "");
  return slug || "enterprise";
}
